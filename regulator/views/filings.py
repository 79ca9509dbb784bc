"""The regulator's filing queue and review pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from companies import access as company_access
from companies import filing_format as ff
from companies.deadlines import first_submission, lateness
from companies.forms import AcceptFilingForm, ReturnFilingForm
from companies.models import Filing, FilingStatus
from companies.selectors import filing_versions
from companies.services import filings as filing_services
from core.selectors import object_history
from core.sorting import sort_headers
from core.views import perform
from regulator import access
from regulator.filters import FilingQueueFilter
from regulator.selectors import filing_queue

# The queue's sortable columns and the direction each sorts first. Unsorted, the queue shows the filings waiting
# for review first, oldest first (regulator.selectors.filing_queue).
QUEUE_COLUMNS = {"company": "company", "tier": "tier", "period": "-period", "version": "-version",
                 "status": "status", "submitted": "submitted", "late": "-late", "items": "-items"}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    access.require_staff(request.user)
    filterset = FilingQueueFilter(request.GET or None, queryset=filing_queue(user=request.user))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    sort = sort_headers(request.GET.get("o", ""), QUEUE_COLUMNS)
    return render(request, "regulator/filing_queue.html", {
        "filter": filterset, "page": page, "sort": sort,
        "sorted": any(header.state != "none" for header in sort.values()),
        "filtered": any(value not in {"", "unknown"} for name, value in request.GET.items()
                        if name not in {"o", "page"}),
    })


def _visible_filing(request: HttpRequest, pk: int) -> Filing:
    access.require_staff(request.user)
    return get_object_or_404(
        Filing.objects.visible_to(request.user).select_related("company", "period", "submitted_by", "reviewed_by"),
        pk=pk,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _visible_filing(request, pk)
    versions = filing_versions(filing=filing)
    band = None
    if filing.submitted_at:
        band = lateness(period=filing.period, first_submitted=first_submission(versions), today=timezone.localdate())
    totals_rows = [
        (key, label, [(value, filing.totals.get(key, {}).get(value, 0)) for value in values])
        for key, label, values in (("source_type", "Source", ff.SOURCE_TYPES), ("action", "Action", ff.ACTIONS),
                                   ("category", "Category", ff.CATEGORIES))
    ]
    return render(request, "regulator/filing_detail.html", {
        "filing": filing, "versions": versions, "band": band, "totals_rows": totals_rows,
        "uploads": filing.uploads.select_related("uploaded_by").order_by("created_at"),
        "history": object_history(obj=filing),
        "accept_form": AcceptFilingForm(), "return_form": ReturnFilingForm(),
        "can_review": company_access.REVIEW_FILING.allows(request.user) and filing.status == FilingStatus.SUBMITTED,
    })


def _review(request: HttpRequest, pk: int, *, form_class, field: str, service, done: str) -> HttpResponse:
    """Accept or return: the form's text goes to the service; the page shows what happened."""
    filing = _visible_filing(request, pk)
    form = form_class(request.POST)
    text = form.cleaned_data[field] if form.is_valid() else ""
    perform(request, lambda: service(actor=request.user, filing=filing, **{field: text}), success=f"{filing} {done}.")
    return redirect("staff-filing-detail", pk=pk)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, form_class=AcceptFilingForm, field="note", service=filing_services.filing_accept,
                   done="accepted")


@login_required
@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, form_class=ReturnFilingForm, field="reason", service=filing_services.filing_return,
                   done="returned to the company")
