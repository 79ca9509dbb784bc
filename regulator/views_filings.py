"""The regulator's filing queue and review pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from companies import filing_format as ff
from companies.deadlines import late_band
from companies.forms import AcceptFilingForm, ReturnFilingForm
from companies.models import Filing
from companies.selectors import filing_versions
from companies.services import filings as filing_services
from core.models import AuditEvent
from core.views import perform
from regulator.filters import FilingQueueFilter
from regulator.selectors import filing_queue
from regulator.views import _staff_only


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    filterset = FilingQueueFilter(request.GET or None, queryset=filing_queue(user=request.user))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "regulator/filing_queue.html", {"filter": filterset, "page": page})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    filing = get_object_or_404(
        Filing.objects.visible_to(request.user).select_related("company", "period", "submitted_by", "reviewed_by"),
        pk=pk,
    )
    versions = filing_versions(filing=filing)
    band = None
    if filing.submitted_at:
        from django.utils import timezone

        first = min((v.submitted_at for v in versions if v.submitted_at), default=filing.submitted_at)
        band = late_band(due_date=filing.period.due_date, submitted_day=timezone.localtime(first).date())
    totals_rows = [
        (key, label, [(value, filing.totals.get(key, {}).get(value, 0)) for value in values])
        for key, label, values in (("source_type", "Source", ff.SOURCE_TYPES), ("action", "Action", ff.ACTIONS),
                                   ("category", "Category", ff.CATEGORIES))
    ]
    history = AuditEvent.objects.filter(object_type="companies.filing", object_id=str(filing.pk)).order_by("created_at")
    return render(request, "regulator/filing_detail.html", {
        "filing": filing, "versions": versions, "band": band, "totals_rows": totals_rows,
        "uploads": filing.uploads.select_related("uploaded_by").order_by("created_at"), "history": history,
        "accept_form": AcceptFilingForm(), "return_form": ReturnFilingForm(),
        "can_review": request.user.has_perm("companies.review_filing") and filing.status == "submitted",
    })


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    filing = get_object_or_404(Filing.objects.visible_to(request.user), pk=pk)
    form = AcceptFilingForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    perform(request, lambda: filing_services.filing_accept(actor=request.user, filing=filing, note=note),
            success=f"{filing} accepted.")
    return redirect("staff-filing-detail", pk=pk)


@login_required
@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    filing = get_object_or_404(Filing.objects.visible_to(request.user), pk=pk)
    form = ReturnFilingForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    perform(request, lambda: filing_services.filing_return(actor=request.user, filing=filing, reason=reason),
            success=f"{filing} returned to the company.")
    return redirect("staff-filing-detail", pk=pk)
