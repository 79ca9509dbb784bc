"""Scoring (docs/DESIGN.md §4.1): the arithmetic by hand, the SQL engine against a Python reference."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies import filing_format as ff
from companies.ingest.load import copy_rows
from companies.ingest.validate import ErrorLog
from companies.models import Filing
from core.models import AuditEvent
from regulator import engine, formatting
from regulator.metrics import METRICS
from regulator.models import Assessment, MetricResult, Rulebook, Threshold
from regulator.services.assessments import assessment_finalise, assessments_run
from regulator.services.overrides import result_override, result_override_confirm, result_override_reject
from tests.companies.factories import FilingFactory, ReportingPeriodFactory
from tests.regulator.items import START, item_row, removal_orders

DEFAULT = {
    "order_1h_rate": engine.Rule("order_1h_rate", "gte", Decimal("0.95"), Decimal(3), "core"),
    "notice_24h_rate": engine.Rule("notice_24h_rate", "gte", Decimal("0.90"), Decimal(2), "core"),
    "median_hours_to_action": engine.Rule("median_hours_to_action", "lte", Decimal(24), Decimal(1), "core"),
    "preservation_rate": engine.Rule("preservation_rate", "gte", Decimal("0.99"), Decimal(2), "core"),
    "complaint_14d_rate": engine.Rule("complaint_14d_rate", "gte", Decimal("0.90"), Decimal(1), "core"),
    "filing_on_time": engine.Rule("filing_on_time", "gte", Decimal(1), Decimal(1), "core"),
}


def figures(**values) -> engine.Aggregates:
    aggregates = engine.Aggregates(company_id=1, filing_id=1)
    aggregates.figures = {key: (None, 0, None) for key in DEFAULT} | {"filing_on_time": (1, 1, None)}
    aggregates.figures.update(values)
    return aggregates


def by_metric(scored: engine.Scored) -> dict[str, engine.Result]:
    return {result.metric: result for result in scored.results}


def test_exactly_at_the_threshold_passes():
    """19 of 20 orders within the hour = 0.95 = the threshold: passed, attainment 1, score 100."""
    scored = engine.score(aggregates=figures(order_1h_rate=(19, 20, None)), rules=DEFAULT)
    assert by_metric(scored)["order_1h_rate"].passed is True
    assert scored.score == Decimal(100) and scored.compliant is True


def test_just_below_the_threshold_fails_with_partial_attainment():
    """Orders 18/20 = 0.90 (weight 3), attainment 0.90/0.95; on time (weight 1), attainment 1.

    score = 100 × (3 × 0.9/0.95 + 1 × 1) / (3 + 1) = 100 × (2.842105… + 1) / 4 = 96.0526…
    """
    scored = engine.score(aggregates=figures(order_1h_rate=(18, 20, None)), rules=DEFAULT)
    assert by_metric(scored)["order_1h_rate"].passed is False
    assert scored.compliant is False
    expected = Decimal(100) * (Decimal(3) * (Decimal("0.9") / Decimal("0.95")) + 1) / 4
    assert scored.score == expected
    assert formatting.score_text(scored.score) == "96.1"


def test_not_applicable_metrics_are_left_out_and_weights_renormalised():
    """No orders, no appeals: only notices (2), median (1), preservation (2) and on-time (1) count.

    notices 80/100 = 0.8 → 0.8/0.9; median 30 h (≤ 24) → 24/30 = 0.8; preservation 99/100 passes;
    score = 100 × (2 × 0.8/0.9 + 1 × 0.8 + 2 × 1 + 1 × 1) / 6
    """
    scored = engine.score(aggregates=figures(notice_24h_rate=(80, 100, None),
                                             median_hours_to_action=(None, 100, Decimal(30)),
                                             preservation_rate=(99, 100, None)), rules=DEFAULT)
    results = by_metric(scored)
    assert results["order_1h_rate"].applicable is False and results["order_1h_rate"].passed is None
    expected = Decimal(100) * (2 * (Decimal("0.8") / Decimal("0.9")) + Decimal("0.8") + 2 + 1) / 6
    assert scored.score == expected


def test_when_nothing_applies_there_is_no_score_and_no_verdict():
    rules = {k: v for k, v in DEFAULT.items() if k != "filing_on_time"}
    scored = engine.score(aggregates=figures(), rules=rules)
    assert scored.score is None and scored.compliant is None


def test_tier_specific_thresholds_apply_to_their_tier_only(db):
    rulebook = Rulebook.objects.get(version=1)
    Threshold.objects.filter(rulebook=rulebook, metric="order_1h_rate").update(tiers="BC")
    Threshold.objects.create(rulebook=rulebook, metric="order_1h_rate", comparator="gte", value=Decimal("0.99"),
                             weight=Decimal(3), kind="core", tiers="A")
    thresholds = list(rulebook.thresholds.all())
    assert engine.rules_for(thresholds=thresholds, tier="A")["order_1h_rate"].value == Decimal("0.99")
    assert engine.rules_for(thresholds=thresholds, tier="C")["order_1h_rate"].value == Decimal("0.95")


# --- the SQL engine against a straightforward Python reference --------------------------------------



def reference(items: list[dict]) -> dict[str, tuple[int, int]]:
    """docs/DESIGN.md §4.1 in plain Python over item dicts."""
    def delay(item):
        return item["actioned"] - item["received"]
    actioned = [i for i in items if i["action"] != "NO_ACTION"]
    removed = [i for i in items if i["action"] in ("REMOVED", "DISABLED")]
    orders = [i for i in items if i["source"] == "REMOVAL_ORDER"]
    notices = [i for i in actioned if i["source"] in ("USER_NOTICE", "TRUSTED_FLAGGER")]
    appeals = [i for i in items if i["appeal_in"] is not None]
    return {
        "order_1h_rate": (sum(1 for i in orders if i["action"] in ("REMOVED", "DISABLED")
                              and delay(i) <= dt.timedelta(minutes=60)), len(orders)),
        "notice_24h_rate": (sum(1 for i in notices if delay(i) <= dt.timedelta(hours=24)), len(notices)),
        "preservation_rate": (sum(1 for i in removed if i["preserved"]), len(removed)),
        "complaint_14d_rate": (sum(1 for i in appeals if i["appeal_out"] is not None
                                   and i["appeal_out"] - i["appeal_in"] <= dt.timedelta(days=14)), len(appeals)),
        "proactive_share": (sum(1 for i in items if i["source"] == "OWN_INITIATIVE"), len(items)),
        "automated_decision_share": (sum(1 for i in actioned if i["automated"] == "FULLY"), len(actioned)),
        "reinstatement_rate": (sum(1 for i in appeals if i["reinstated"]), len(appeals)),
    }


def reference_buckets(items: list[dict]) -> dict[str, int]:
    """Actioned items by delay: ≤ 1 h, ≤ 24 h, ≤ 48 h, ≤ 7 days, later (upper bounds inclusive)."""
    bounds = [("within_1h", 1), ("within_24h", 24), ("within_48h", 48), ("within_7d", 168), ("later", None)]
    buckets = dict.fromkeys((name for name, _ in bounds), 0)
    for item in items:
        if item["action"] == "NO_ACTION":
            continue
        hours = (item["actioned"] - item["received"]) / dt.timedelta(hours=1)
        name = next(name for name, bound in bounds if bound is None or hours <= bound)
        buckets[name] += 1
    return buckets


def reference_median(items: list[dict]) -> float | None:
    delays = sorted((i["actioned"] - i["received"]).total_seconds() / 3600 for i in items if i["action"] != "NO_ACTION")
    if not delays:
        return None
    middle = len(delays) // 2
    return delays[middle] if len(delays) % 2 else (delays[middle - 1] + delays[middle]) / 2


item_strategy = st.fixed_dictionaries({
    "source": st.sampled_from(ff.SOURCE_TYPES),
    "action": st.sampled_from(ff.ACTIONS),
    "minutes": st.sampled_from([0, 30, 59, 60, 61, 600, 1439, 1440, 1441, 2880, 2881, 10080, 10081, 50000]),
    "preserved": st.booleans(),
    "appeal": st.sampled_from([None, 13, 14, 15, "undecided"]),
    "automated": st.sampled_from(ff.AUTOMATED_DECISIONS),
    "reinstated": st.sampled_from(["", "true", "false"]),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(item_strategy, min_size=0, max_size=40))
def test_sql_engine_matches_the_python_reference(company_a, company_a_officer, specs):
    period = ReportingPeriodFactory(year=2026, quarter=2)
    with transaction.atomic():
        filing = FilingFactory(company=company_a, period=period, status="accepted",
                               submitted_at=dt.datetime(2026, 7, 1, tzinfo=dt.UTC))
        built = [item_row(index, spec) for index, spec in enumerate(specs)]
        if built:
            errors = ErrorLog()
            copy_rows(filing=Filing.objects.get(pk=filing.pk), rows=[(n + 1, row) for n, (row, _) in enumerate(built)],
                      errors=errors, first_row_no=1)
            assert errors.count == 0, errors.rows
        aggregates = engine.period_aggregates(period=period)[company_a.pk]
        figures_ = aggregates.figures
        assert aggregates.buckets == reference_buckets([item for _, item in built])
        expected = reference([item for _, item in built])
        for key, (numerator, denominator) in expected.items():
            assert figures_[key][:2] == (numerator, denominator), key
        median = reference_median([item for _, item in built])
        assert (figures_["median_hours_to_action"][2] is None) == (median is None)
        if median is not None:
            assert abs(float(figures_["median_hours_to_action"][2]) - median) < 1e-9
        assert figures_["filing_on_time"] == (1, 1, None)
        transaction.set_rollback(True)


# --- assessments ---------------------------------------------------------------------------------------


@pytest.fixture
def accepted_q2(company_a, company_a_officer):
    period = ReportingPeriodFactory(year=2026, quarter=2)
    filing = FilingFactory(company=company_a, period=period, status="accepted",
                           submitted_at=dt.datetime(2026, 7, 20, tzinfo=dt.UTC), is_nil_return=True)
    return period, filing


def test_running_twice_changes_nothing_and_final_is_never_rewritten(accepted_q2, analyst):
    period, _ = accepted_q2
    first = assessments_run(actor=analyst, period=period)
    assert len(first) == 1 and first[0].version == 1
    assert first[0].score == Decimal(100)  # a nil return filed on time: only filing_on_time applies
    assessment_finalise(actor=analyst, assessment=first[0])
    assert assessments_run(actor=analyst, period=period) == []
    assert Assessment.objects.count() == 1


def test_a_rulebook_change_makes_a_new_version_and_keeps_the_old(accepted_q2, analyst, supervisor):
    period, _ = accepted_q2
    original = assessments_run(actor=analyst, period=period)[0]
    assessment_finalise(actor=analyst, assessment=original)
    stricter = Rulebook.objects.create(version=2, effective_from=dt.date(2026, 1, 1))
    Threshold.objects.create(rulebook=stricter, metric="filing_on_time", comparator="gte", value=Decimal(1),
                             weight=Decimal(1), kind="core")
    second = assessments_run(actor=analyst, period=period)[0]
    assert (second.version, second.rulebook.version) == (2, 2)
    original.refresh_from_db()
    assert original.status == "final" and original.rulebook.version == 1
    assert MetricResult.objects.filter(assessment=original).count() == MetricResult.objects.filter(
        assessment=second).count()


def test_a_company_cannot_run_assessments(accepted_q2, company_a_officer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        assessments_run(actor=company_a_officer, period=accepted_q2[0])


def test_accepting_a_filing_computes_its_assessment(client_as, company_a, company_a_officer):
    from companies.services.filings import filing_submit

    period = ReportingPeriodFactory(year=2026, quarter=2)
    filing = FilingFactory(company=company_a, period=period)
    filing_submit(actor=company_a_officer, filing=filing, nil_return=True)
    client_as("analyst").post(f"/regulator/filings/{filing.pk}/accept/")
    assessment = Assessment.objects.get(company=company_a, period=period)
    assert assessment.filing_id == filing.pk and assessment.status == "draft"


def test_company_sees_its_final_assessment_with_the_arithmetic(client_as, accepted_q2, analyst,
                                                                 django_assert_max_num_queries):
    period, _ = accepted_q2
    assessment = assessments_run(actor=analyst, period=period)[0]
    viewer = client_as("company_a_viewer")
    assert viewer.get(f"/assessments/{assessment.pk}/").status_code == 404  # still a draft
    assessment_finalise(actor=analyst, assessment=assessment)
    page = viewer.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Report filed on time" in page and "Score = 100" in page
    analyst_client = client_as("analyst")
    # A fixed number: the list, the distribution, failing metrics, overdue, last period's verdicts and the
    # analyst's permissions (may they compute the period?).
    with django_assert_max_num_queries(14):
        assert analyst_client.get(f"/regulator/assessments/?period={period.code}").status_code == 200


def test_an_override_needs_a_reason_and_a_second_person_and_counts_only_once_confirmed(accepted_q2, analyst,
                                                                                        supervisor):
    """A nil return on time scores 100 (only filing_on_time applies, weight 1).

    A proposed override of filing_on_time to 0 changes nothing: the score stays 100 and the verdict
    compliant. Once a supervisor confirms it, attainment is 0/1 = 0, so the score becomes 0 and the verdict
    "not compliant"; the computed value stays beside the override.
    """
    period, _ = accepted_q2
    assessment = assessments_run(actor=analyst, period=period)[0]
    result = assessment.results.get(metric="filing_on_time")
    with pytest.raises(ValidationError, match="Explain the override"):
        result_override(actor=analyst, result=result, value=Decimal(0), justification=" ")
    result_override(actor=analyst, result=result, value=Decimal(0), justification="Filed through the wrong channel.")
    assessment.refresh_from_db()
    result.refresh_from_db()
    assert assessment.score == Decimal(100) and assessment.compliant is True  # waiting: nothing changes
    assert result.passed is True and result.effective_value == Decimal(1) and result.override_status == "pending"
    with pytest.raises(ValidationError, match="must confirm or reject"):
        assessment_finalise(actor=analyst, assessment=assessment)
    with pytest.raises(PermissionDenied):
        result_override_confirm(actor=analyst, result=result)
    result_override_confirm(actor=supervisor, result=result)
    assessment.refresh_from_db()
    result.refresh_from_db()
    assert assessment.score == Decimal(0) and assessment.compliant is False
    assert result.value == Decimal(1) and result.effective_value == Decimal(0) and result.passed is False
    assessment_finalise(actor=analyst, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == "final"


def test_a_rejected_override_never_counts_and_keeps_its_reason(accepted_q2, analyst, supervisor):
    period, _ = accepted_q2
    assessment = assessments_run(actor=analyst, period=period)[0]
    result = assessment.results.get(metric="filing_on_time")
    result_override(actor=analyst, result=result, value=Decimal(0), justification="Filed by post.")
    with pytest.raises(ValidationError, match="Say why the override is rejected"):
        result_override_reject(actor=supervisor, result=result, reason=" ")
    result_override_reject(actor=supervisor, result=result, reason="The portal shows it arrived on time.")
    result.refresh_from_db()
    assessment.refresh_from_db()
    assert result.override_status == "rejected" and result.override_rejected_by == supervisor
    assert result.override_rejection_reason == "The portal shows it arrived on time."
    assert assessment.score == Decimal(100) and result.effective_value == Decimal(1)
    assert AuditEvent.objects.filter(action="assessment.override_rejected", reason__startswith="The portal").exists()
    with pytest.raises(ValidationError, match="no override of filing_on_time waiting"):
        result_override_confirm(actor=supervisor, result=result)
    assessment_finalise(actor=analyst, assessment=assessment)  # nothing is waiting any more


def test_a_pending_override_changes_nothing_the_company_the_overview_or_the_api_see(client_as, accepted_q2,
                                                                                   analyst):
    period, _ = accepted_q2
    assessment = assessments_run(actor=analyst, period=period)[0]
    result = assessment.results.get(metric="filing_on_time")
    result_override(actor=analyst, result=result, value=Decimal(0), justification="Filed by post.")
    staff = client_as("analyst")
    api = staff.get(f"/api/v1/assessments/{assessment.pk}/").json()
    on_time = next(row for row in api["results"] if row["metric"] == "filing_on_time")
    assert api["score"] == "100.0000" and api["compliant"] is True
    assert on_time["passed"] is True and on_time["override_status"] == "pending"
    overview = staff.get(f"/regulator/assessments/?period={period.code}").context["summary"]
    assert overview.compliant == 1 and all(row.count == 0 for row in overview.failing)
    page = staff.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Override proposed" in page and "does not count until a supervisor confirms it" in page
    queue = staff.get("/regulator/overrides/").content.decode()
    assert "Alpha Video Ltd · 2026-Q2" in queue and "Report filed on time" in queue


def test_the_overview_shows_distribution_failing_metrics_and_changes(client_as, company_a, company_a_officer,
                                                                     company_b, company_b_officer, analyst):
    """Q1: both companies on time (compliant). Q2: A late by 19 days, B on time.

    So Q2 has 1 of 2 compliant, filing_on_time failing for 1 company, and A newly failing.
    """
    q1 = ReportingPeriodFactory(year=2026, quarter=1)
    q2 = ReportingPeriodFactory(year=2026, quarter=2)
    for company in (company_a, company_b):
        FilingFactory(company=company, period=q1, status="accepted", is_nil_return=True,
                      submitted_at=dt.datetime(2026, 4, 10, tzinfo=dt.UTC))
    FilingFactory(company=company_a, period=q2, status="accepted", is_nil_return=True,
                  submitted_at=dt.datetime(2026, 8, 18, 12, tzinfo=dt.UTC))
    FilingFactory(company=company_b, period=q2, status="accepted", is_nil_return=True,
                  submitted_at=dt.datetime(2026, 7, 10, tzinfo=dt.UTC))
    assessments_run(actor=analyst, period=q1)
    assessments_run(actor=analyst, period=q2)
    response = client_as("analyst").get("/regulator/assessments/?period=2026-Q2")
    page = response.content.decode()
    assert "1 of 2 compliant" in page and "<svg" in page
    failing = {key: (now, before) for key, _label, now, before in response.context["summary"].failing}
    assert failing["filing_on_time"] == (1, 0) and failing["order_1h_rate"] == (0, 0)
    assert "No longer compliant: Alpha Video Ltd." in page
    csv_text = client_as("analyst").get("/regulator/assessments/overview.csv?period=2026-Q2").content.decode()
    assert "failing core metric,Report filed on time,1" in csv_text and "score band,100,1" in csv_text
    company_page = client_as("analyst").get("/regulator/companies/alpha-video/").content.decode()
    assert "Measures over time" in company_page and "2026-Q1" in company_page and "2026-Q2" in company_page
    assert "failed (threshold: yes)" in company_page


def _rulebook_post(**changes) -> dict:
    """The new-version form as the page fills it from version 1 (shares as percentages), with ``changes`` on
    top, and no extra row."""
    current = Rulebook.objects.get(version=1)
    rows = list(current.thresholds.order_by("metric"))
    data = {"effective_from": "2027-01-01", "note": "Stricter for the largest platforms.",
            "t-TOTAL_FORMS": str(len(rows)), "t-INITIAL_FORMS": str(len(rows))}
    ratio = {metric.key for metric in METRICS if metric.unit == "ratio"}
    for n, t in enumerate(rows):
        value = t.value * 100 if t.metric in ratio else t.value
        data.update({f"t-{n}-metric": t.metric, f"t-{n}-comparator": t.comparator, f"t-{n}-value": str(value),
                     f"t-{n}-weight": str(t.weight), f"t-{n}-kind": t.kind, f"t-{n}-tiers": list(t.tiers)})
    data.update(changes)
    return data


def test_a_supervisor_reviews_the_changes_and_their_impact_then_publishes(client_as, supervisor, accepted_q2,
                                                                         analyst):
    """Copy v1, add a stricter order threshold for tier A (98 %) and keep 95 % for B and C. Then the review page
    shows the diff and the impact on 2026-Q2, and publishing makes version 2."""
    assessments_run(actor=analyst, period=accepted_q2[0])
    data = _rulebook_post()
    order_row = next(n for n in range(len(data)) if data.get(f"t-{n}-metric") == "order_1h_rate")
    extra = int(data["t-TOTAL_FORMS"])
    data.update({f"t-{order_row}-tiers": ["B", "C"], "t-TOTAL_FORMS": str(extra + 1),
                 f"t-{extra}-metric": "order_1h_rate", f"t-{extra}-comparator": "gte", f"t-{extra}-value": "98",
                 f"t-{extra}-weight": "3", f"t-{extra}-kind": "core", f"t-{extra}-tiers": ["A"]})
    client = client_as("supervisor")
    review = client.post("/regulator/rulebooks/new/", data)
    assert review.status_code == 200 and not Rulebook.objects.filter(version=2).exists()
    page = review.content.decode()
    assert "Review version 2 before publishing it" in page
    assert formatting.threshold_text("gte", Decimal("0.98"), "ratio") + ", weight 3, core" in page
    assert "Had 2026-Q2 been scored with these thresholds" in page and "0 of the 1 company" in page
    published = client.post("/regulator/rulebooks/new/", {**data, "confirmed": "yes"})
    assert published.status_code == 302, published.content.decode()[:2000]
    new = Rulebook.objects.get(version=2)
    assert new.thresholds.get(metric="order_1h_rate", tiers="A").value == Decimal("0.98")
    assert new.thresholds.get(metric="order_1h_rate", tiers="BC").value == Decimal("0.95")
    page = client.get("/regulator/rulebooks/2/").content.decode()
    assert "Changes from version 1" in page and "at least 98\u00a0%" in page
    assert client_as("analyst").post("/regulator/rulebooks/new/", data).status_code == 403
    assert Rulebook.objects.count() == 2


def test_the_review_counts_the_companies_whose_verdict_would_change(client_as, accepted_q2, analyst):
    """The nil return filed on time is compliant (only filing_on_time applies). Making filing_on_time an
    "at most 0" threshold fails it: 1 of 1 would change."""
    assessments_run(actor=analyst, period=accepted_q2[0])
    data = _rulebook_post()
    row = next(n for n in range(len(data)) if data.get(f"t-{n}-metric") == "filing_on_time")
    data.update({f"t-{row}-comparator": "lte", f"t-{row}-value": "0"})
    page = client_as("supervisor").post("/regulator/rulebooks/new/", data).content.decode()
    assert "1 of the 1 company" in page and "Alpha Video Ltd: compliant → <strong>not compliant</strong>" in page


@pytest.mark.parametrize(("changes", "message"), [
    ({"t-0-value": "120"}, "is a share: between 0 % and 100 %"),
    ({"t-0-weight": "0"}, "The weight must be more than 0"),
    ({"t-0-tiers": []}, "Tick at least one size tier"),
    ({"t-0-tiers": ["D"]}, "Select a valid choice"),
    ({"effective_from": "2020-01-01"}, "is in the past"),
    ({"note": ""}, "This field is required"),
])
def test_a_version_that_cannot_be_published_is_refused_with_every_error_shown(client_as, changes, message):
    response = client_as("supervisor").post("/regulator/rulebooks/new/", _rulebook_post(**changes))
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and message in page
    assert not Rulebook.objects.filter(version=2).exists()


def test_a_new_version_never_takes_effect_before_the_latest_one(supervisor):
    from regulator.services.rulebooks import rulebook_check

    Rulebook.objects.create(version=2, effective_from=dt.date(2027, 6, 1), note="Scheduled.")
    rows = [{"metric": "order_1h_rate", "comparator": "gte", "value": Decimal("0.95"), "weight": Decimal(3),
             "kind": "core", "tiers": "ABC"}]
    with pytest.raises(ValidationError, match="Version 2 takes effect on 01 June 2027"):
        rulebook_check(effective_from=dt.date(2027, 1, 1), note="x", thresholds=rows, today=dt.date(2026, 12, 2))


def test_scoring_a_period_makes_as_many_queries_for_12_companies_as_for_3(analyst):
    """Set-based: the statement, the reads and the bulk writes, whatever the number of companies.

    (A draft with an analyst's override is re-scored on its own, three queries each; overrides are rare.)
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.companies.factories import CompanyFactory

    analyst.has_perm("regulator.add_assessment")  # the permission cache fills once per user object
    counts = []
    for quarter, size in ((1, 3), (2, 12)):
        period = ReportingPeriodFactory(year=2026, quarter=quarter)
        for _ in range(size):
            FilingFactory(company=CompanyFactory(), period=period, status="accepted", is_nil_return=True,
                          submitted_at=dt.datetime.combine(period.due_date, dt.time(9), tzinfo=dt.UTC))
        with CaptureQueriesContext(connection) as queries:
            assert len(assessments_run(actor=analyst, period=period)) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts

def _result(assessment: Assessment, metric: str) -> MetricResult:
    return assessment.results.get(metric=metric)


def test_an_amendment_that_changes_the_result_makes_a_new_assessment_version(
        company_a, company_a_officer, analyst, django_capture_on_commit_callbacks):
    """Version 1: two removal orders removed after 30 and 90 minutes → order_1h_rate 1/2 = 0.5 (< 0.95: fails).

    The company amends: the second was removed after 45 minutes → 2/2 = 1.0 (passes). Accepting the amendment
    makes assessment version 2 from filing version 2; the final assessment of version 1 keeps 0.5.
    """
    from companies.services.filings import filing_accept, filing_start, filing_submit, filing_update_narrative

    period = ReportingPeriodFactory(year=2026, quarter=2)
    first = FilingFactory(company=company_a, period=period)
    removal_orders(first, [30, 90], actor=company_a_officer)
    filing_submit(actor=company_a_officer, filing=first)
    with django_capture_on_commit_callbacks(execute=True):
        filing_accept(actor=analyst, filing=first)  # after commit, the background task computes the assessment
    original = Assessment.objects.get(company=company_a, period=period)
    assert _result(original, "order_1h_rate").value == Decimal("0.5")
    assert _result(original, "order_1h_rate").passed is False
    assessment_finalise(actor=analyst, assessment=original)

    second = filing_start(actor=company_a_officer, company=company_a, period=period,
                          correction_reason="The second order was removed after 45 minutes, not 90.")
    filing_update_narrative(actor=company_a_officer, filing=second, data={
        "measures_taken": "As before.", "areas_for_improvement": "Order intake."})
    removal_orders(second, [30, 45], actor=company_a_officer)
    filing_submit(actor=company_a_officer, filing=second)
    with django_capture_on_commit_callbacks(execute=True):
        filing_accept(actor=analyst, filing=second)

    amended = Assessment.objects.get(company=company_a, period=period, version=2)
    assert amended.filing_id == second.pk and amended.status == "draft"
    assert _result(amended, "order_1h_rate").value == Decimal(1) and _result(amended, "order_1h_rate").passed
    original.refresh_from_db()
    assert original.status == "final" and original.filing_id == first.pk
    assert _result(original, "order_1h_rate").value == Decimal("0.5")


def test_each_period_is_scored_with_the_rulebook_in_force_when_it_started(company_a, analyst):
    """Both quarters: removal orders removed after 30 and 90 minutes → order_1h_rate 0.5.

    Rulebook v2, in force from 1 April 2026, lowers that threshold to 0.5. Q1 (from 1 January) keeps v1's
    0.95 and fails (attainment 0.5/0.95 = 0.5263); Q2 (from 1 April) is scored with v2 and passes exactly
    at the threshold.
    """
    lenient = Rulebook.objects.create(version=2, effective_from=dt.date(2026, 4, 1), note="Lenient.")
    for threshold in Rulebook.objects.get(version=1).thresholds.all():
        Threshold.objects.create(rulebook=lenient, metric=threshold.metric, comparator=threshold.comparator,
                                 value=Decimal("0.5") if threshold.metric == "order_1h_rate" else threshold.value,
                                 weight=threshold.weight, kind=threshold.kind, tiers=threshold.tiers)
    quarters = {}
    for quarter, start in ((1, dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)), (2, START)):
        period = ReportingPeriodFactory(year=2026, quarter=quarter)
        filing = FilingFactory(company=company_a, period=period, status="accepted",
                               submitted_at=dt.datetime.combine(period.due_date, dt.time(9), tzinfo=dt.UTC))
        removal_orders(filing, [30, 90], start)
        quarters[quarter] = assessments_run(actor=analyst, period=period)[0]
    q1, q2 = _result(quarters[1], "order_1h_rate"), _result(quarters[2], "order_1h_rate")
    assert quarters[1].rulebook.version == 1 and quarters[2].rulebook.version == 2
    assert (q1.value, q1.threshold, q1.passed) == (Decimal("0.5"), Decimal("0.95"), False)
    assert q1.attainment == Decimal("0.526316")
    assert (q2.value, q2.threshold, q2.passed) == (Decimal("0.5"), Decimal("0.5"), True)


def test_the_engine_scores_the_accepted_version_else_the_latest_submitted_one(company_a, company_b, company_a_officer):
    """Alpha: v1 accepted (orders after 30, 90 min → 1/2), v2 submitted, not yet accepted (30, 30 → 2/2), v3
    returned: v1 counts, 0.5. Bravo: v1 accepted (90 → 0/1), v2 accepted, the amendment (30 → 1/1): v2, 1.0."""
    period = ReportingPeriodFactory(year=2026, quarter=2)
    submitted = dt.datetime(2026, 7, 20, tzinfo=dt.UTC)
    for version, status, minutes in ((1, "accepted", [30, 90]), (2, "submitted", [30, 30]), (3, "returned", [30])):
        filing = FilingFactory(company=company_a, period=period, version=version, status=status,
                               submitted_at=submitted, correction_reason="x" if version > 1 else "")
        removal_orders(filing, minutes)
    for version, minutes in ((1, [90]), (2, [30])):
        filing = FilingFactory(company=company_b, period=period, version=version, status="accepted",
                               submitted_at=submitted, correction_reason="x" if version > 1 else "")
        removal_orders(filing, minutes)
    aggregates = engine.period_aggregates(period=period)
    assert aggregates[company_a.pk].figures["order_1h_rate"][:2] == (1, 2)
    assert aggregates[company_b.pk].figures["order_1h_rate"][:2] == (1, 1)
    assert aggregates[company_b.pk].filing_id == Filing.objects.get(company=company_b, version=2).pk


def test_an_actioned_item_without_an_action_time_is_never_within_a_bound(company_a):
    """Validation refuses such a row, but the table does not: if one got in, it must not count as on time.

    One removal order removed after 30 minutes, one whose actioned_at is missing → order_1h_rate 1/2.
    """
    from django.db import connection

    period = ReportingPeriodFactory(year=2026, quarter=2)
    filing = FilingFactory(company=company_a, period=period, status="accepted",
                           submitted_at=dt.datetime(2026, 7, 20, tzinfo=dt.UTC))
    removal_orders(filing, [30, 30])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE companies_takedownitem SET actioned_at = NULL WHERE filing_id = %s AND row_no = 2",
                       [filing.pk])
    figures_ = engine.period_aggregates(period=period)[company_a.pk]
    assert figures_.figures["order_1h_rate"][:2] == (1, 2)
    assert sum(figures_.buckets.values()) == 1


def test_a_rerun_on_unchanged_data_writes_nothing_to_a_draft_and_says_so(client_as, company_a, company_a_officer):
    """Items make the figures non-trivial; the second run finds the same filing, rulebook and figures."""
    period = ReportingPeriodFactory(year=2026, quarter=2)
    filing = FilingFactory(company=company_a, period=period, status="draft")
    removal_orders(filing, [30, 45, 90])
    Filing.objects.filter(pk=filing.pk).update(status="accepted", submitted_at=dt.datetime(2026, 7, 20, tzinfo=dt.UTC))
    analyst = client_as("analyst")
    analyst.post("/regulator/assessments/run/", {"period": period.code, "confirmed": "yes"})
    draft = Assessment.objects.get(company=company_a, period=period)
    events = AuditEvent.objects.count()
    response = analyst.post("/regulator/assessments/run/", {"period": period.code, "confirmed": "yes"}, follow=True)
    assert "Nothing changed: every assessment of 2026-Q2 already matches" in response.content.decode()
    assert AuditEvent.objects.count() == events
    unchanged = Assessment.objects.get(pk=draft.pk)
    assert unchanged.computed_at == draft.computed_at and Assessment.objects.filter(company=company_a).count() == 1


def test_a_final_assessment_with_a_confirmed_override_is_not_versioned_again_by_a_rerun(accepted_q2, analyst,
                                                                                      supervisor):
    period, _ = accepted_q2
    assessment = assessments_run(actor=analyst, period=period)[0]
    on_time = _result(assessment, "filing_on_time")
    result_override(actor=analyst, result=on_time, value=Decimal(0), justification="Filed by post, late.")
    result_override_confirm(actor=supervisor, result=on_time)
    assessment_finalise(actor=analyst, assessment=assessment)
    assert assessments_run(actor=analyst, period=period) == []
    assert Assessment.objects.filter(period=period).count() == 1
