"""The rulebook: versions for every analyst to read; a new version by a supervisor, with a diff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.views import CONFIRMED, perform_form, repeated_fields
from regulator import access
from regulator.forms import RulebookForm, ThresholdFormSet
from regulator.models import Rulebook
from regulator.selectors import (
    THRESHOLD_FIELDS,
    rulebook_diff,
    rulebook_impact,
    threshold_changes,
    threshold_rows,
)
from regulator.services.rulebooks import rulebook_check, rulebook_new_version


@login_required
def rulebook_list(request: HttpRequest) -> HttpResponse:
    access.require_staff(request.user)
    return render(request, "regulator/rulebook_list.html", {
        "rulebooks": Rulebook.objects.select_related("created_by").order_by("-version"),
        "can_edit": access.EDIT_RULEBOOK.allows(request.user),
    })


@login_required
def rulebook_detail(request: HttpRequest, version: int) -> HttpResponse:
    access.require_staff(request.user)
    rulebook = get_object_or_404(Rulebook, version=version)
    previous = Rulebook.objects.filter(version__lt=version).order_by("-version").first()
    return render(request, "regulator/rulebook_detail.html", {
        "rulebook": rulebook, "thresholds": rulebook.thresholds.order_by("metric", "tiers"),
        "previous": previous, "changes": rulebook_diff(old=previous, new=rulebook),
    })


@login_required
def rulebook_new(request: HttpRequest) -> HttpResponse:
    """A copy of the current version to edit; then a review of the changes and of their impact on the latest
    assessed period; then, once confirmed, the next version is published."""
    access.require_staff(request.user)
    access.EDIT_RULEBOOK.require(request.user)
    current = Rulebook.objects.order_by("-version").first()
    form = RulebookForm(request.POST or None)
    formset = ThresholdFormSet(request.POST or None, initial=threshold_rows(current), prefix="t")
    if request.method == "POST" and request.POST.get("step") != "edit" and form.is_valid() and formset.is_valid():
        rows = [{f: f_form.cleaned_data[f] for f in THRESHOLD_FIELDS} for f_form in formset.forms
                if f_form.cleaned_data and not f_form.cleaned_data.get("DELETE")]
        effective_from, note = form.cleaned_data["effective_from"], form.cleaned_data["note"]
        checked = perform_form(form, lambda: rulebook_check(effective_from=effective_from, note=note, thresholds=rows,
                                                            today=timezone.localdate()))
        if checked and request.POST.get(CONFIRMED) == "yes":
            outcome = perform_form(form, lambda: rulebook_new_version(
                actor=request.user, effective_from=effective_from, note=note, thresholds=rows))
            if outcome:
                messages.success(request, f"Rulebook version {outcome.value.version} is published; it applies to "
                                          f"the periods that start on or after {effective_from:%d %B %Y}.")
                return redirect("rulebook-detail", version=outcome.value.version)
        elif checked:
            fields = repeated_fields(request, leave_out=("step",))
            return render(request, "regulator/rulebook_review.html", {
                "current": current, "version": (current.version + 1) if current else 1,
                "effective_from": effective_from, "note": note, "fields": fields,
                "changes": threshold_changes(before=threshold_rows(current), after=rows),
                "impact": rulebook_impact(thresholds=rows),
            })
    return render(request, "regulator/rulebook_form.html", {"form": form, "formset": formset, "current": current})
