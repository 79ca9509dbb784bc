"""Signing in and out, changing and resetting passwords."""

from __future__ import annotations

import re

from django.core import mail

from tests.companies.factories import PASSWORD


def test_sign_in_with_email_and_password(client, company_a_officer):
    response = client.post("/accounts/login/", {"username": "officer@alpha.test", "password": PASSWORD})
    assert response.status_code == 302
    assert "Alpha Video Ltd" in client.get("/").content.decode()


def test_wrong_password_is_refused_with_a_message(client, company_a_officer):
    response = client.post("/accounts/login/", {"username": "officer@alpha.test", "password": "nope"})
    assert response.status_code == 200
    assert "The e-mail address or the password is not right." in response.content.decode()


def test_password_reset_sends_a_working_one_time_link(client, company_a_officer):
    client.post("/accounts/password_reset/", {"email": "officer@alpha.test"})
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    new = "another-long-pass-77"
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    signed_in = client.post("/accounts/login/", {"username": "officer@alpha.test", "password": new})
    assert signed_in.status_code == 302
    # The link is spent.
    assert "no longer works" in client.get(path, follow=True).content.decode()


def test_repeated_failures_lock_the_account(client, company_a_officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "officer@alpha.test", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "officer@alpha.test", "password": PASSWORD})
    assert response.status_code == 429


def test_the_form_asks_for_the_e_mail_address(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username">E-mail address</label>' in page
    assert "Username" not in page


def test_the_address_signs_in_whatever_its_capitals(client, company_a_officer):
    response = client.post("/accounts/login/", {"username": "  Officer@Alpha.TEST ", "password": PASSWORD})
    assert response.status_code == 302
    assert "Alpha Video Ltd" in client.get("/").content.decode()


def test_changing_the_capitals_earns_no_extra_tries_before_the_lockout(client, company_a_officer, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        address = "officer@alpha.test" if attempt % 2 else "OFFICER@alpha.test"
        client.post("/accounts/login/", {"username": address, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "Officer@Alpha.Test", "password": PASSWORD})
    assert response.status_code == 429


def test_an_empty_form_says_what_to_enter(client, db):
    page = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">Enter your e-mail address.</a>' in page
    assert '<a href="#id_password">Enter your password.</a>' in page
