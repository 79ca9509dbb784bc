"""HTML forms for registration, invitations and members. They validate input; services do the work."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation

from companies.models import Filing, MemberRole, RegistrationRequest


class RegistrationForm(forms.ModelForm):
    website = forms.URLField(assume_scheme="https", max_length=200)

    class Meta:
        model = RegistrationRequest
        fields = [
            "legal_name", "slug", "registration_number", "country", "website", "service_type",
            "monthly_active_users", "global_turnover", "turnover_currency", "financial_year_end",
            "contact_email", "contact_phone", "contact_address", "officer_name", "officer_email",
        ]
        widgets = {
            "financial_year_end": forms.DateInput(attrs={"type": "date"}),
            "contact_address": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "slug": "Short name",
            "monthly_active_users": "Average monthly active users",
            "global_turnover": "Global annual turnover",
            "contact_email": "24/7 contact e-mail for removal orders",
        }

    def clean_turnover_currency(self) -> str:
        return self.cleaned_data["turnover_currency"].upper()

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"].lower()


class RejectRegistrationForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reason (sent to the applicant)")


class InvitationForm(forms.Form):
    full_name = forms.CharField(max_length=150, label="Full name")
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=MemberRole.choices)


_NEW_PASSWORD = {"autocomplete": "new-password"}


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(max_length=150, label="Your full name")
    password1 = forms.CharField(label="Choose a password", widget=forms.PasswordInput(attrs=_NEW_PASSWORD))
    password2 = forms.CharField(label="Repeat the password", widget=forms.PasswordInput(attrs=_NEW_PASSWORD))

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class RemoveMemberForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500, label="Reason (kept in the audit log)")


class StartFilingForm(forms.Form):
    period = forms.ModelChoiceField(queryset=None, empty_label=None, label="Reporting period")
    correction_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for a new version", help_text="Needed when this corrects a version already submitted.",
    )

    def __init__(self, *args, periods, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = Filing
        fields = ["measures_taken", "automated_tools", "areas_for_improvement", "moderation_staff"]
        widgets = {
            "measures_taken": forms.Textarea(attrs={"rows": 4}),
            "automated_tools": forms.Textarea(attrs={"rows": 3}),
            "areas_for_improvement": forms.Textarea(attrs={"rows": 4}),
        }


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Takedown file (CSV or JSON Lines)",
        help_text="UTF-8, one row per notice or order, columns as in the data dictionary.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.jsonl,.ndjson,text/csv,application/x-ndjson"}),
        error_messages={"required": "Choose a file to upload."},
    )


class SubmitFilingForm(forms.Form):
    nil_return = forms.BooleanField(required=False, label="This is a nil return: we received no notices or orders.")
    attest = forms.BooleanField(required=True, label="I make the attestation above.",
                                error_messages={"required": "Tick the box to make the attestation."})


class ReturnFilingForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What the company must correct")


class AcceptFilingForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note (optional)")


class APIKeyForm(forms.Form):
    name = forms.CharField(
        max_length=50, label="Name of the key",
        help_text="Where the key is used, such as 'Moderation pipeline'. Each system should have its own key.",
    )


class RevokeAPIKeyForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500, label="Reason (kept in the audit log)")
