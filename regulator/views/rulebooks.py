"""The rulebook: versions for every analyst to read; a new version by a supervisor, with a diff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from core.views import perform_form
from regulator import access
from regulator.forms import RulebookForm, ThresholdFormSet
from regulator.models import Rulebook
from regulator.selectors import THRESHOLD_FIELDS, rulebook_diff
from regulator.services.rulebooks import rulebook_new_version


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
    """A copy of the current version to edit; saving publishes the next version."""
    access.require_staff(request.user)
    access.EDIT_RULEBOOK.require(request.user)
    current = Rulebook.objects.order_by("-version").first()
    initial = [{f: getattr(t, f) for f in THRESHOLD_FIELDS} for t in current.thresholds.order_by("metric")]
    form = RulebookForm(request.POST or None)
    formset = ThresholdFormSet(request.POST or None, initial=initial, prefix="t")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        outcome = perform_form(form, lambda: rulebook_new_version(
            actor=request.user, effective_from=form.cleaned_data["effective_from"], note=form.cleaned_data["note"],
            thresholds=rows))
        if outcome:
            messages.success(request, f"Rulebook version {outcome.value.version} is published.")
            return redirect("rulebook-detail", version=outcome.value.version)
    return render(request, "regulator/rulebook_form.html", {"form": form, "formset": formset, "current": current})
