"""penalties/services/escalation.py: which cases a period's final assessments and filings call for (docs/DESIGN.md
§4.3): a warning at a metric's first failure, a fine for a persistent one (2 in a row, or 3 of the last 4,
not-applicable periods skipped), a late-filing penalty by band; idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from core.models import AuditEvent
from penalties.models import PenaltyCase
from penalties.services.escalation import escalation_run
from tests.companies.factories import FilingFactory, ReportingPeriodFactory
from tests.regulator.factories import AssessmentFactory, MetricResultFactory

QUARTERS = [(2025, 4), (2026, 1), (2026, 2), (2026, 3)]


@pytest.fixture
def periods(db):
    return [ReportingPeriodFactory(year=year, quarter=quarter) for year, quarter in QUARTERS]


def assessed(company, period, *, orders: str | None, status: str = "final", version: int = 1):
    """A final assessment whose order_1h_rate failed ("fail", attainment 0.947: 0.90 against 0.95), passed
    ("pass"), did not apply ("n/a"), or is absent (None)."""
    assessment = AssessmentFactory(company=company, period=period, status=status, version=version)
    if orders is not None:
        MetricResultFactory(assessment=assessment, metric="order_1h_rate",
                            applicable=orders != "n/a", passed={"fail": False, "pass": True}.get(orders),
                            value=Decimal("0.90") if orders == "fail" else Decimal("0.97"),
                            attainment=Decimal("0.947368") if orders == "fail" else Decimal(1))
    return assessment


def _cases(company, period) -> dict[str, PenaltyCase]:
    return {case.kind: case for case in PenaltyCase.objects.filter(company=company, period=period)}


def test_the_first_failure_of_a_core_metric_proposes_a_warning(periods, company_a):
    assessed(company_a, periods[2], orders="pass")
    assessed(company_a, periods[3], orders="fail")
    run = escalation_run(actor=None, period=periods[3])
    cases = _cases(company_a, periods[3])
    assert set(cases) == {"warning"} and cases["warning"].proposed_amount is None
    assert cases["warning"].evidence["metrics"][0]["label"] == "Removal orders acted on within 1 hour"
    assert run.summary == "1 case(s) proposed for 2026-Q3: 1 warning (first failure)."


def test_two_consecutive_failures_are_a_persistent_failure_with_a_proposed_fine(periods, company_a):
    """Attainment 0.947368: shortfall 5.26 points, medium £250,000; tier C × 1; one metric; no repeat."""
    assessed(company_a, periods[2], orders="fail")
    assessed(company_a, periods[3], orders="fail")
    escalation_run(actor=None, period=periods[3])
    case = _cases(company_a, periods[3])["persistent_failure"]
    assert case.proposed_amount == Decimal(250_000) and case.currency == "GBP"
    assert [failure["period"] for failure in case.evidence["metrics"][0]["failures"]] == ["2026-Q3", "2026-Q2"]
    assert "warning" not in _cases(company_a, periods[3])


def test_three_of_the_last_four_is_a_persistent_failure(periods, company_a):
    for period, orders in zip(periods, ["fail", "fail", "pass", "fail"], strict=True):
        assessed(company_a, period, orders=orders)
    escalation_run(actor=None, period=periods[3])
    assert set(_cases(company_a, periods[3])) == {"persistent_failure"}


def test_a_period_where_the_metric_did_not_apply_neither_breaks_nor_extends_a_run(periods, company_a, company_b):
    """A: fail, n/a, fail → two failures in a row once the n/a period is skipped. B: pass, fail, n/a, fail →
    not two in a row and only 2 of its last 4 applicable periods: no case, and not a first failure either."""
    assessed(company_a, periods[1], orders="fail")
    assessed(company_a, periods[2], orders="n/a")
    assessed(company_a, periods[3], orders="fail")
    for period, orders in zip(periods, ["pass", "fail", "pass", "fail"], strict=True):
        assessed(company_b, period, orders=orders)
    escalation_run(actor=None, period=periods[3])
    assert set(_cases(company_a, periods[3])) == {"persistent_failure"}
    assert _cases(company_b, periods[3]) == {}


def test_only_final_assessments_count(periods, company_a):
    """The previous period's failure is only in a draft, so this period's failure is the first."""
    assessed(company_a, periods[2], orders="fail", status="draft")
    assessed(company_a, periods[3], orders="fail")
    escalation_run(actor=None, period=periods[3])
    assert set(_cases(company_a, periods[3])) == {"warning"}


def test_escalation_is_idempotent_and_audited(periods, company_a):
    assessed(company_a, periods[2], orders="fail")
    assessed(company_a, periods[3], orders="fail")
    first = escalation_run(actor=None, period=periods[3])
    again = escalation_run(actor=None, period=periods[3])
    assert len(first.created) == 1 and again.created == [] and again.existing == 1
    assert PenaltyCase.objects.count() == 1
    assert AuditEvent.objects.filter(action="penalty_case.proposed").count() == 1
    assert again.summary == "Nothing new to propose for 2026-Q3; 1 case(s) were proposed before."


def test_a_late_filing_is_fined_by_band_and_tier_and_doubled_after_a_late_previous_period(periods, company_a,
                                                                                         company_b):
    """Q3 due 30 October 2026. A (tier C) first submitted on 20 November: up to 1 month late, £1,500. B (tier B,
    × 2) 20 November too, and its Q2 (due 30 July) was late as well: £1,500 × 2 × 2 = £6,000."""
    company_b.monthly_active_users = 5_000_000
    company_b.save()
    late = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
    for company in (company_a, company_b):
        FilingFactory(company=company, period=periods[3], status="submitted", submitted_at=late, is_nil_return=True)
    FilingFactory(company=company_b, period=periods[2], status="accepted", is_nil_return=True,
                  submitted_at=dt.datetime(2026, 8, 15, tzinfo=dt.UTC))
    FilingFactory(company=company_a, period=periods[2], status="accepted", is_nil_return=True,
                  submitted_at=dt.datetime(2026, 7, 20, tzinfo=dt.UTC))
    escalation_run(actor=None, period=periods[3])
    a, b = _cases(company_a, periods[3])["late_filing"], _cases(company_b, periods[3])["late_filing"]
    assert a.proposed_amount == Decimal(1_500) and a.evidence["previous_period_late"] is False
    assert b.proposed_amount == Decimal(6_000) and b.evidence["previous_period_late"] is True
    assert b.evidence["band"] == "up to 1 month late"


def test_a_company_cannot_run_escalation(periods, company_a_officer, analyst):
    with pytest.raises(PermissionDenied):
        escalation_run(actor=company_a_officer, period=periods[3])
    escalation_run(actor=analyst, period=periods[3])


def test_the_command_proposes_and_says_what(periods, company_a, capsys):
    assessed(company_a, periods[3], orders="fail")
    call_command("run_escalation", "--period", "2026-Q3")
    assert "1 case(s) proposed for 2026-Q3" in capsys.readouterr().out


def test_finalising_an_assessment_proposes_its_cases_in_the_background(periods, company_a, analyst):
    """The task runs at once in the tests (the immediate backend), once the finalisation commits."""
    from django.test import TestCase

    from regulator.services.assessments import assessment_finalise

    assessed(company_a, periods[2], orders="pass")
    draft = assessed(company_a, periods[3], orders="fail", status="draft")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assessment_finalise(actor=analyst, assessment=draft)
    assert set(_cases(company_a, periods[3])) == {"warning"}
