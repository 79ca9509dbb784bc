"""Forms of the regulator's pages. They read and check what a person typed; services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from companies.choices import SizeTier
from regulator.choices import Comparator, MetricKind
from regulator.metrics import METRICS, METRICS_BY_KEY


class RulebookForm(forms.Form):
    effective_from = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label="In force from",
        help_text="Periods that start on or after this day are scored with the new version. Today or later, and "
                  "not before the version now in force.")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What changed and why",
                           help_text="Published with the version.")


class ThresholdForm(forms.Form):
    """One threshold as a person reads it: a share is typed as a percentage (95 for 0.95)."""

    # The blank choice and the initial values let the spare row at the end stay empty without an error.
    metric = forms.ChoiceField(choices=[("", "Choose a metric to add a threshold"),
                                        *((metric.key, metric.label) for metric in METRICS)], label="Metric")
    comparator = forms.ChoiceField(choices=Comparator.choices, initial=Comparator.AT_LEAST,
                                   label="Passes when the value is")
    value = forms.DecimalField(max_digits=12, decimal_places=4, label="Threshold",
                               help_text="A share as a percentage (95 for 95 %); hours as hours; yes as 1.")
    weight = forms.DecimalField(max_digits=6, decimal_places=2, label="Weight",
                                help_text="More than 0; a metric's share of the score is its weight over the sum.")
    kind = forms.ChoiceField(choices=MetricKind.choices, initial=MetricKind.CORE, label="Kind")
    tiers = forms.MultipleChoiceField(choices=SizeTier.choices, widget=forms.CheckboxSelectMultiple,
                                      label="Size tiers", error_messages={
                                          "required": "Tick at least one size tier this threshold applies to."})

    def __init__(self, *args, **kwargs) -> None:
        initial = kwargs.get("initial")
        if initial and "value" in initial:
            # Stored as a fraction, shown as a percentage.
            metric = METRICS_BY_KEY.get(initial.get("metric"))
            value = initial["value"] * 100 if metric is not None and metric.entered_as_percentage else initial["value"]
            kwargs["initial"] = {**initial, "tiers": list(initial.get("tiers", "")), "value": _plain(value),
                                 "weight": _plain(initial["weight"])}
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        metric = METRICS_BY_KEY.get(data.get("metric", ""))
        if metric is not None and data.get("value") is not None:
            value = data["value"] / 100 if metric.entered_as_percentage else data["value"]
            problem = metric.value_problem(value)
            if problem:
                self.add_error("value", problem)
            else:
                data["value"] = value
        if data.get("weight") is not None and data["weight"] <= 0:
            self.add_error("weight", "The weight must be more than 0; remove the row to leave a metric out.")
        if data.get("tiers"):
            data["tiers"] = "".join(sorted(data["tiers"]))
        return data


def _plain(number: Decimal) -> str:
    """A stored decimal as a person would type it: 95, 24, 1.5 (never 9E+1 or 24.0000)."""
    return f"{Decimal(number).normalize():f}"


class BaseThresholdFormSet(forms.BaseFormSet):
    """The thresholds of a version: one per metric and size tier."""

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: dict[str, set[str]] = {}
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            clash = seen.setdefault(data["metric"], set()) & set(data["tiers"])
            if clash:
                raise forms.ValidationError(f"{METRICS_BY_KEY[data['metric']].label} has two thresholds for tier "
                                            f"{sorted(clash)[0]}; keep one per tier.")
            seen[data["metric"]] |= set(data["tiers"])


ThresholdFormSet = forms.formset_factory(ThresholdForm, formset=BaseThresholdFormSet, extra=1, can_delete=True)
