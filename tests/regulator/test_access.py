"""regulator/access.py: each decision of the regulator's staff is one permission codename, held by the group
the table names; pages and services ask the same decision."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from regulator import access
from tests.regulator.factories import AssessmentFactory, MetricResultFactory


@pytest.mark.parametrize(("decision", "analyst_may", "supervisor_may"), [
    (access.RUN_ASSESSMENTS, True, True),
    (access.ADD_NOTE, True, True),
    (access.OVERRIDE_RESULT, True, True),
    (access.FINALISE_ASSESSMENT, True, True),
    (access.CONFIRM_OVERRIDE, False, True),
    (access.EDIT_RULEBOOK, False, True),
], ids=lambda value: getattr(value, "codename", str(value)))
def test_each_decision_is_held_by_the_groups_the_table_names(analyst, supervisor, company_a_officer, decision,
                                                            analyst_may, supervisor_may):
    assert decision.allows(analyst) is analyst_may
    assert decision.allows(supervisor) is supervisor_may
    assert not decision.allows(company_a_officer)
    assert not decision.allows(None)


def test_confirming_an_override_is_a_decision_apart_from_editing_the_rulebook():
    assert access.CONFIRM_OVERRIDE.codename != access.EDIT_RULEBOOK.codename
    codenames = [decision.codename for decision in (access.RUN_ASSESSMENTS, access.ADD_NOTE, access.OVERRIDE_RESULT,
                                                      access.CONFIRM_OVERRIDE, access.FINALISE_ASSESSMENT,
                                                      access.EDIT_RULEBOOK)]
    assert len(set(codenames)) == len(codenames)


def test_a_refusal_says_who_may(analyst):
    with pytest.raises(PermissionDenied, match="Only a supervisor confirms overrides"):
        access.CONFIRM_OVERRIDE.require(analyst)


def test_staff_pages_are_for_the_staff_only(company_a_officer, analyst, supervisor):
    access.require_staff(analyst)
    with pytest.raises(PermissionDenied, match="for the regulator's staff"):
        access.require_staff(company_a_officer)
    assert access.may_manage_staff(supervisor) and not access.may_manage_staff(analyst)


def test_the_assessment_page_shows_the_confirm_button_to_a_supervisor_only(client_as, company_a, analyst):
    """The page asks the same decision as the service: the flag it passes is CONFIRM_OVERRIDE.allows()."""
    result = MetricResultFactory(assessment=AssessmentFactory(company=company_a), override_value="0.96",
                                 override_justification="Orders miscounted.", override_by=analyst,
                                 override_status="pending")
    url = f"/assessments/{result.assessment_id}/"
    assert "Confirm the override" not in client_as("analyst").get(url).content.decode()
    assert "Confirm the override" in client_as("supervisor").get(url).content.decode()
