"""Assessment pages: the analysts' period overview and detail, and a company's own final assessments."""

from __future__ import annotations

import csv
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from companies import access as company_access
from companies.models import ReportingPeriod
from core.sorting import sort_headers
from core.views import confirm_first, perform
from regulator import access, engine
from regulator.charts import bar_chart_svg
from regulator.dashboards import period_overview
from regulator.filters import AssessmentFilter
from regulator.formatting import metric_label, score_text
from regulator.metrics import METRICS, METRICS_BY_KEY
from regulator.models import Assessment, AssessmentStatus, MetricKind, MetricResult
from regulator.pdf import AssessmentReport
from regulator.selectors import assessment_detail, assessment_notes, pending_overrides, period_assessments
from regulator.services.assessments import assessment_finalise, assessments_run, run_outcome
from regulator.services.notes import assessment_note_add
from regulator.services.overrides import result_override, result_override_confirm, result_override_reject


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    access.require_staff(request.user)
    periods = ReportingPeriod.objects.filter(filings__isnull=False).distinct().order_by("-start")
    code = request.GET.get("period")
    period = periods.filter(code=code).first() if code else periods.first()
    table = AssessmentFilter(request.GET, queryset=period_assessments(period=period) if period
                             else Assessment.objects.none())
    assessments = list(table.qs) if table.is_valid() else []
    summary = period_overview(period=period) if period else None
    chart = None
    if summary is not None:
        chart = bar_chart_svg(title=f"Scores in {period}", labels=[band.label for band in summary.distribution],
                              values=[band.count for band in summary.distribution],
                              value_title="Number of companies", category_title="Score out of 100")
    return render(request, "regulator/assessment_overview.html", {
        "periods": periods, "period": period, "assessments": assessments, "summary": summary, "chart": chart,
        "table": table, "sort": sort_headers(request.GET.get("o", ""), OVERVIEW_COLUMNS, default="-score"),
        "can_run": access.RUN_ASSESSMENTS.allows(request.user),
        "filtered": any(value for name, value in request.GET.items() if name not in {"period", "o"}),
    })


# The overview's sortable columns and the direction each sorts first; the score sorts best first by default.
OVERVIEW_COLUMNS = {"company": "company", "tier": "tier", "score": "-score", "version": "-version"}


@login_required
def overview_csv(request: HttpRequest) -> HttpResponse:
    """The overview chart's data (and the failing-metric counts) as CSV."""
    access.require_staff(request.user)
    period = get_object_or_404(ReportingPeriod, code=request.GET.get("period", ""))
    summary = period_overview(period=period)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="overview-{period.code}.csv"'
    writer = csv.writer(response)
    writer.writerow(["section", "label", "companies"])
    for band in summary.distribution:
        writer.writerow(["score band", band.label, band.count])
    for failing in summary.failing:
        writer.writerow(["failing core metric", failing.label, failing.count])
    return response


@login_required
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    access.require_staff(request.user)
    period = get_object_or_404(ReportingPeriod, code=request.POST.get("period", ""))
    access.RUN_ASSESSMENTS.require(request.user)
    back = f"{reverse('assessment-overview')}?period={period.code}"
    if (page := confirm_first(request, title=f"Compute every assessment of {period}?",
                              consequence=f"Every company that filed for {period} is scored again from its filing "
                                          "and the rulebook in force. Drafts whose figures changed are refreshed; a "
                                          "final assessment that would change gets a new draft version beside it.",
                              button=f"Yes, compute {period}", back=back)) is not None:
        return page
    perform(request, lambda: assessments_run(actor=request.user, period=period),
            success=lambda touched: run_outcome(period=period, touched=touched))
    return redirect(f"{reverse('assessment-overview')}?period={period.code}")


def _rows(assessment: Assessment) -> list[dict]:
    """Each result with its registry entry, in the registry's order (core measures first, as defined)."""
    results = assessment.results.select_related("override_by", "override_confirmed_by", "override_rejected_by")
    order = {metric.key: index for index, metric in enumerate(METRICS)}
    return [{"result": result, "metric": METRICS_BY_KEY.get(result.metric)}
            for result in sorted(results, key=lambda r: (r.kind != MetricKind.CORE, order.get(r.metric, len(order))))]


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_detail(pk=pk, user=request.user)
    rows = _rows(assessment)  # one query for every result, shared by the table and the arithmetic
    core = engine.counted_in_score(row["result"] for row in rows)
    staff_view = access.is_staff(request.user)
    return render(request, "regulator/assessment_detail.html", {
        "notes": assessment_notes(assessment=assessment, user=request.user),
        "assessment": assessment, "rows": rows, "core": core,
        "total_weight": sum((r.weight for r in core), start=0), "score_shown": score_text(assessment.score),
        "is_staff_view": staff_view,
        # Companies hold none of these; asking only for staff spares a company's page the permission queries.
        "can_override": staff_view and access.OVERRIDE_RESULT.allows(request.user),
        "can_confirm_override": staff_view and access.CONFIRM_OVERRIDE.allows(request.user),
        "can_finalise": staff_view and access.FINALISE_ASSESSMENT.allows(request.user),
        "can_add_note": staff_view and access.ADD_NOTE.allows(request.user),
        "versions": Assessment.objects.filter(company=assessment.company, period=assessment.period)
        .order_by("version") if staff_view else [],
    })


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment as a PDF report, for whoever may see the assessment."""
    assessment = assessment_detail(pk=pk, user=request.user)
    results = [row["result"] for row in _rows(assessment)]
    response = HttpResponse(AssessmentReport(assessment, results).render(), content_type="application/pdf")
    response["Content-Disposition"] = (f'inline; filename="assessment-{assessment.company.slug}-'
                                       f'{assessment.period.code}-v{assessment.version}.pdf"')
    return response


@login_required
@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    assessment = get_object_or_404(Assessment.objects.select_related("company", "period"), pk=pk)
    access.FINALISE_ASSESSMENT.require(request.user)
    if (page := confirm_first(request, title=f"Finalise the assessment of {assessment.company}, {assessment.period}?",
                              consequence=f"{assessment.company} can see it from now on, and it never changes: a "
                                          "later correction becomes a new version.",
                              button="Yes, finalise it", back=reverse("assessment-detail", args=[pk]))) is not None:
        return page
    perform(request, lambda: assessment_finalise(actor=request.user, assessment=assessment,
                                                 note=request.POST.get("note", "")),
            success="The assessment is final; the company can now see it.")
    return redirect("assessment-detail", pk=pk)


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """An analyst adds a note to an assessment."""
    access.require_staff(request.user)
    assessment = get_object_or_404(Assessment.objects.visible_to(request.user), pk=pk)
    perform(request, lambda: assessment_note_add(actor=request.user, assessment=assessment,
                                                 text=request.POST.get("text", ""),
                                                 shared_with_company=request.POST.get("shared") == "on"),
            success="Note added.")
    return redirect(f"{reverse('assessment-detail', args=[pk])}#notes")


@login_required
def company_list(request: HttpRequest) -> HttpResponse:
    membership = company_access.member_or_404(request.user)
    assessments = (Assessment.objects.filter(company=membership.company, status=AssessmentStatus.FINAL)
                   .select_related("period", "rulebook").order_by("-period__start", "-version"))
    return render(request, "regulator/company_assessments.html", {"company": membership.company,
                                                                   "assessments": assessments})


def _back(request: HttpRequest, result: MetricResult) -> HttpResponse:
    """After a decision: the queue it was taken from, or the assessment."""
    if request.POST.get("next") == "queue":
        return redirect("override-queue")
    return redirect("assessment-detail", pk=result.assessment_id)


def _label(result: MetricResult) -> str:
    return metric_label(result.metric)


@login_required
@require_POST
def override(request: HttpRequest, pk: int) -> HttpResponse:
    """An analyst proposes (or withdraws) an override of one metric result of a draft assessment. A ratio is
    typed as a percentage."""
    access.require_staff(request.user)
    result = get_object_or_404(MetricResult, pk=pk)
    raw = request.POST.get("value", "").strip().removesuffix("%").strip().replace(",", "")
    try:
        value = Decimal(raw) if raw else None
    except InvalidOperation:
        messages.error(request, f"{raw!r} is not a number. Type the new value, such as 96.5, or leave it empty to "
                                "withdraw the override.")
        return redirect("assessment-detail", pk=result.assessment_id)
    metric = METRICS_BY_KEY.get(result.metric)
    if value is not None and metric is not None and metric.entered_as_percentage:
        value = value / 100
    perform(request, lambda: result_override(actor=request.user, result=result, value=value,
                                             justification=request.POST.get("justification", "")),
            success=(f"Override of {_label(result)} proposed; it counts once a supervisor confirms it."
                     if value is not None else f"Override of {_label(result)} withdrawn."))
    return redirect("assessment-detail", pk=result.assessment_id)


@login_required
@require_POST
def override_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    result = get_object_or_404(MetricResult, pk=pk)
    perform(request, lambda: result_override_confirm(actor=request.user, result=result),
            success=f"Override of {_label(result)} confirmed; the score now uses it.")
    return _back(request, result)


@login_required
@require_POST
def override_reject(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    result = get_object_or_404(MetricResult, pk=pk)
    perform(request, lambda: result_override_reject(actor=request.user, result=result,
                                                    reason=request.POST.get("reason", "")),
            success=f"Override of {_label(result)} rejected; the computed value stands.")
    return _back(request, result)


@login_required
def override_queue(request: HttpRequest) -> HttpResponse:
    """Overrides waiting for a supervisor, oldest first."""
    access.require_staff(request.user)
    return render(request, "regulator/override_queue.html", {
        "waiting": pending_overrides(), "can_decide": access.CONFIRM_OVERRIDE.allows(request.user),
    })
