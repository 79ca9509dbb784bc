"""core.workflows.transition is the gate of every workflow: each model's table of allowed moves, then a
compare-and-set. Every pair a table forbids is tried and refused with nothing changed."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from companies.models import Filing, FilingStatus, FilingUpload, RegistrationRequest, RegistrationStatus, UploadStatus
from core.workflows import allowed_moves, transition
from regulator.models import Assessment, AssessmentStatus
from tests.companies.factories import FilingFactory, FilingUploadFactory, RegistrationRequestFactory
from tests.regulator.factories import AssessmentFactory


def _filing(status: str) -> Filing:
    submitted = status not in (FilingStatus.DRAFT, FilingStatus.ABANDONED)
    return FilingFactory(status=status, submitted_at=timezone.now() if submitted else None)


def _registration(status: str) -> RegistrationRequest:
    return RegistrationRequestFactory(status=status,
                                      decision_reason="Not a platform." if status == RegistrationStatus.REJECTED else "")


WORKFLOWS = {
    Filing: (FilingStatus, _filing),
    RegistrationRequest: (RegistrationStatus, _registration),
    FilingUpload: (UploadStatus, lambda status: FilingUploadFactory(status=status)),
    Assessment: (AssessmentStatus, lambda status: AssessmentFactory(status=status)),
}


def _fields_for(model: type, new: str) -> dict:
    """What the database requires with some moves (an attestation time, a rejection's reason)."""
    if model is Filing and new == FilingStatus.SUBMITTED:
        return {"submitted_at": timezone.now()}
    if model is RegistrationRequest and new == RegistrationStatus.REJECTED:
        return {"decision_reason": "Not a platform."}
    return {}


def _pairs(allowed: bool) -> list[tuple[type, str, str]]:
    pairs = []
    for model, (statuses, _make) in WORKFLOWS.items():
        table = allowed_moves(model)
        for old, new in itertools.product(statuses.values, repeat=2):
            if (new in table[old]) == allowed:
                pairs.append((model, old, new))
    return pairs


def _id(value) -> str:
    return value.__name__ if isinstance(value, type) else str(value)


@pytest.mark.parametrize("model", list(WORKFLOWS), ids=_id)
def test_every_status_has_a_row_in_its_table(model):
    statuses, _make = WORKFLOWS[model]
    table = allowed_moves(model)
    assert set(table) == set(statuses.values)
    assert all(set(targets) <= set(statuses.values) for targets in table.values())


@pytest.mark.parametrize(("model", "old", "new"), _pairs(allowed=False), ids=_id)
def test_a_move_the_table_forbids_is_refused_and_changes_nothing(db, model, old, new):
    _statuses, make = WORKFLOWS[model]
    obj = make(old)
    with pytest.raises(ValidationError, match="cannot go from"):
        transition(obj, old=old, new=new)
    assert model.objects.get(pk=obj.pk).status == old
    assert obj.status == old


@pytest.mark.parametrize(("model", "old", "new"), _pairs(allowed=True), ids=_id)
def test_an_allowed_move_happens_once(db, model, old, new):
    """The first caller moves the row; a second caller who read the same old status is refused."""
    _statuses, make = WORKFLOWS[model]
    obj = make(old)
    stale = model.objects.get(pk=obj.pk)
    transition(obj, old=old, new=new, **_fields_for(model, new))
    assert model.objects.get(pk=obj.pk).status == new and obj.status == new
    with pytest.raises(ValidationError, match="nothing changed"):
        transition(stale, old=old, new=new, **_fields_for(model, new))
    assert model.objects.get(pk=obj.pk).status == new
