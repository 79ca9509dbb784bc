"""The sign-in form: people sign in with their e-mail address, whatever its capitals (docs/DECISIONS.md §2)."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Django's sign-in form, asking for the e-mail address and matching it whatever its capitals.

    Accounts store the address lower-cased in ``username``, so the address typed is lower-cased before it
    reaches authentication. That happens before django-axes counts the attempt, so ``Officer@Streamly.Example``
    and ``officer@streamly.example`` are one account to the lockout too: changing the capitals does not earn
    an attacker more tries.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The e-mail address or the password is not right. Check both and try again; "
                         "the password must be typed exactly, with its capitals.",
    }

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = "E-mail address"
        username.error_messages["required"] = "Enter your e-mail address."
        username.widget.attrs.update({"autocomplete": "username", "inputmode": "email", "spellcheck": "false",
                                      "autocapitalize": "none"})
        self.fields["password"].error_messages["required"] = "Enter your password."

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()
