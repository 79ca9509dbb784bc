"""HTML forms for registration, invitations and members. They validate input; services do the work."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation

from companies.models import Filing, MemberRole, RegistrationRequest


class WholeNumberField(forms.IntegerField):
    """A whole number that may be typed with thousands separators or spaces: 2,500,000 and 2 500 000 are 2500000."""

    def to_python(self, value):
        return super().to_python(value.replace(",", "").replace(" ", "") if isinstance(value, str) else value)


class AmountField(forms.DecimalField):
    """An amount that may be typed with thousands separators: 900,000,000.00."""

    def to_python(self, value):
        return super().to_python(value.replace(",", "").replace(" ", "") if isinstance(value, str) else value)


# What each field of the registration form says when it is left empty or is not of the right form, in words
# that say what to do (GOV.UK's error messages): one message per field, shown beside it and in the summary.
REGISTRATION_ERRORS = {
    "legal_name": {"required": "Enter the company's legal name, as in its home register."},
    "slug": {"required": "Enter a short name for the platform's addresses, such as example-video.",
             "invalid": "The short name can only use lower-case letters, numbers and hyphens, such as example-video."},
    "registration_number": {"required": "Enter the company's registration number in its home register."},
    "country": {"required": "Select the country where the company is registered."},
    "website": {"required": "Enter the platform's website address, such as https://example.com.",
                "invalid": "Enter the website address in full, such as https://example.com."},
    "service_type": {"required": "Select the kind of service the platform offers.",
                     "invalid_choice": "Select the kind of service the platform offers."},
    "monthly_active_users": {"required": "Enter the average number of monthly active users, such as 2,500,000.",
                             "invalid": "Enter the number of monthly active users as a whole number, such as "
                                        "2,500,000.",
                             "min_value": "The number of monthly active users cannot be below 0.",
                             "max_value": "Enter the number of monthly active users, not a larger figure."},
    "global_turnover": {"required": "Enter the global annual turnover of the last financial year, such as "
                                    "12,500,000.00.",
                        "invalid": "Enter the turnover as an amount, such as 12,500,000.00.",
                        "min_value": "The turnover cannot be below 0.",
                        "max_decimal_places": "Enter the turnover with at most 2 decimal places (pence or cents).",
                        "max_digits": "Enter a turnover of fewer than 17 digits before the decimal point.",
                        "max_whole_digits": "Enter a turnover of fewer than 17 digits before the decimal point."},
    "turnover_currency": {"required": "Enter the three-letter code of the turnover's currency, such as GBP or EUR."},
    "financial_year_end": {"required": "Enter the last day of the company's financial year, such as 31/12/2025.",
                           "invalid": "Enter the last day of the financial year as a real date, such as "
                                      "31/12/2025."},
    "contact_email": {"required": "Enter the e-mail address that receives removal orders at any hour.",
                      "invalid": "Enter the contact e-mail address in the right form, such as orders@example.com."},
    "contact_phone": {"required": "Enter the telephone number that answers at any hour, such as +44 20 7946 0000."},
    "contact_address": {"required": "Enter the postal address for legal notices."},
    "officer_name": {"required": "Enter the full name of the compliance officer."},
    "officer_email": {"required": "Enter the compliance officer's e-mail address; their invitation goes there.",
                      "invalid": "Enter the officer's e-mail address in the right form, such as name@example.com."},
}


class RegistrationForm(forms.ModelForm):
    website = forms.URLField(assume_scheme="https", max_length=200, error_messages=REGISTRATION_ERRORS["website"])
    monthly_active_users = WholeNumberField(min_value=0, max_value=2**63 - 1, label="Average monthly active users",
                                            help_text="Average monthly active users in the country.",
                                            error_messages=REGISTRATION_ERRORS["monthly_active_users"])
    global_turnover = AmountField(min_value=0, max_digits=18, decimal_places=2, label="Global annual turnover",
                                  help_text="Global annual turnover of the last financial year.",
                                  error_messages=REGISTRATION_ERRORS["global_turnover"])

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
            "contact_email": "24/7 contact e-mail for removal orders",
            "contact_phone": "24/7 contact telephone",
            "contact_address": "Postal address for legal notices",
            "officer_name": "Compliance officer's full name",
            "officer_email": "Compliance officer's e-mail address",
            "turnover_currency": "Currency of the turnover",
            "financial_year_end": "Last day of the financial year",
        }
        help_texts = {
            "turnover_currency": "The three-letter code, such as GBP or EUR.",
        }
        error_messages = REGISTRATION_ERRORS

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
