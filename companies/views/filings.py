"""Company-side filing pages: the filing format, start a version, upload, write the narrative, submit."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from companies import access
from companies import filing_format as ff
from companies.forms import NarrativeForm, StartFilingForm, SubmitFilingForm, UploadForm
from companies.models import ATTESTATION_TEXT, Filing, MemberRole
from companies.selectors import company_filings_by_period, filing_versions
from companies.services import filings as filing_services
from companies.services import uploads as upload_services
from core.middleware import streams_upload
from core.views import confirm_first, perform, perform_form

START_REFUSAL = "Only a submitter or the compliance officer may start a filing."


def data_dictionary(request: HttpRequest) -> HttpResponse:
    """The filing format, generated from the same definitions the validator uses."""
    return render(request, "companies/data_dictionary.html",
                  {"fields": ff.FIELDS, "max_value": ff.MAX_VALUE, "max_row": ff.MAX_ROW})


def template_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(ff.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="takedown-report-template.csv"'
    return response


@login_required
def filing_list(request: HttpRequest) -> HttpResponse:
    membership = access.member_or_404(request.user)
    periods = company_filings_by_period(company=membership.company, today=timezone.localdate())
    form = StartFilingForm(request.POST or None, periods=periods.ended,
                           initial={"period": request.GET.get("period")})
    if request.method == "POST":
        access.require_role(membership, MemberRole.SUBMITTER, refusal=START_REFUSAL)
        if form.is_valid():
            outcome = perform_form(form, lambda: filing_services.filing_start(
                actor=request.user, company=membership.company, period=form.cleaned_data["period"],
                correction_reason=form.cleaned_data["correction_reason"]))
            if outcome:
                return redirect("filing-detail", pk=outcome.value.pk)
    return render(request, "companies/filing_list.html", {
        "company": membership.company, "rows": periods.rows, "form": form,
        "can_submit": membership.has_role(MemberRole.SUBMITTER),
    })


def _own_filing(request: HttpRequest, pk: int, *, role: str = MemberRole.VIEWER) -> Filing:
    """The member's own company's filing, or 404; then 403 unless the member holds ``role``."""
    membership = access.member_or_404(request.user)
    # Filtered first, so another company's filing is a 404 that reveals nothing.
    filing = get_object_or_404(
        Filing.objects.filter(company=membership.company).select_related("company", "period", "submitted_by"), pk=pk
    )
    access.require_role(membership, role)
    return filing


@login_required
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.member_or_404(request.user)
    filing = _own_filing(request, pk)
    if filing.is_editable:
        upload_services.uploads_fail_stale(filing=filing)  # a dead worker's file shows as failed, the draft free
    uploads = list(filing.uploads.select_related("uploaded_by").order_by("-created_at"))
    for upload in uploads:
        upload.waiting_note = upload_services.upload_waiting_note(upload=upload)
    return render(request, "companies/filing_detail.html", {
        "filing": filing,
        "uploads": uploads,
        "versions": filing_versions(filing=filing),
        "upload_form": UploadForm(),
        "narrative_form": NarrativeForm(instance=filing),
        "submit_form": SubmitFilingForm(),
        "attestation": ATTESTATION_TEXT.format(company=filing.company.legal_name, period=filing.period.code),
        "can_edit": filing.is_editable and membership.has_role(MemberRole.SUBMITTER),
        "can_submit": filing.is_editable and membership.has_role(MemberRole.OFFICER),
    })


@streams_upload
@login_required
@require_POST
def filing_upload(request: HttpRequest, pk: int) -> HttpResponse:
    # Refuse an oversized body from its announced length, before Django reads any of it.
    if upload_services.upload_limit_exceeded(request.META.get("CONTENT_LENGTH")):
        return render(request, "companies/upload_too_large.html",
                      {"limit": settings.PORTAL_UPLOAD_MAX_BYTES}, status=413)
    filing = _own_filing(request, pk, role=MemberRole.SUBMITTER)
    form = UploadForm(request.POST, request.FILES)
    upload = request.FILES.get("file")
    perform(request, lambda: upload_services.upload_create(actor=request.user, filing=filing, file=upload,
                                                           name=upload.name),
            form=form, success=lambda _: f"{upload.name} was received and is being checked.")
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        # Sent in the background by the progress bar's script: it goes to the page itself, with the messages.
        return JsonResponse({"redirect": reverse("filing-detail", args=[filing.pk])})
    return redirect("filing-detail", pk=filing.pk)


@login_required
@require_POST
def filing_narrative(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _own_filing(request, pk, role=MemberRole.SUBMITTER)
    form = NarrativeForm(request.POST, instance=Filing.objects.get(pk=filing.pk))
    perform(request, lambda: filing_services.filing_update_narrative(actor=request.user, filing=filing,
                                                                     data=form.cleaned_data),
            form=form, refused="The narrative was not saved:", success="The narrative was saved.")
    return redirect("filing-detail", pk=filing.pk)


@login_required
@require_POST
def filing_submit(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _own_filing(request, pk, role=MemberRole.OFFICER)
    form = SubmitFilingForm(request.POST)
    perform(request, lambda: filing_services.filing_submit(actor=request.user, filing=filing,
                                                           nil_return=form.cleaned_data["nil_return"]),
            form=form, success=f"Version {filing.version} of {filing.period} was submitted to the regulator.")
    return redirect("filing-detail", pk=filing.pk)


@login_required
@require_POST
def filing_abandon(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _own_filing(request, pk, role=MemberRole.SUBMITTER)
    if (page := confirm_first(request, title=f"Set aside draft version {filing.version} of {filing.period}?",
                              consequence="The draft and its items are kept as a record but can no longer be "
                                          "submitted; you can then start a fresh version.",
                              button="Yes, set the draft aside", back=reverse("filing-detail", args=[pk]))) is not None:
        return page
    perform(request, lambda: filing_services.filing_abandon(actor=request.user, filing=filing,
                                                            reason=request.POST.get("reason", "")),
            success=f"Draft version {filing.version} was set aside; you can start a new version.")
    return redirect("filing-list")
