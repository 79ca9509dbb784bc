"""Forms of the regulator's pages."""

from __future__ import annotations

from django import forms

from regulator.models import Threshold


class RulebookForm(forms.Form):
    effective_from = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text="Periods that start on or after this day use the new version.")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What changed and why")


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = Threshold
        fields = ["metric", "comparator", "value", "weight", "kind", "tiers"]
        widgets = {"metric": forms.TextInput(attrs={"readonly": True})}


ThresholdFormSet = forms.formset_factory(ThresholdForm, extra=0, can_delete=True)
