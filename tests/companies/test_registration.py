"""A platform asks to register; a supervisor approves (company + officer invitation) or rejects."""

from __future__ import annotations

import pytest
from django.core import mail

from companies.models import Company, Invitation, MemberRole, RegistrationRequest, RegistrationStatus
from core.models import AuditEvent
from tests.companies.factories import CompanyFactory, RegistrationRequestFactory


def registration_post_data(**overrides) -> dict:
    data = {
        "legal_name": "Newco Media Ltd", "slug": "newco", "registration_number": "NC123456", "country": "GB",
        "website": "https://newco.example", "service_type": "VIDEO_SHARING", "monthly_active_users": "25000000",
        "global_turnover": "900000000.00", "turnover_currency": "gbp", "financial_year_end": "2025-12-31",
        "contact_email": "orders@newco.example", "contact_phone": "+44 20 7946 0999",
        "contact_address": "9 New Street, London", "officer_name": "Nia Officer", "officer_email": "nia@newco.example",
    }
    data.update(overrides)
    return data


def test_public_form_creates_a_pending_request(client, db):
    response = client.post("/register/", registration_post_data())
    assert response.status_code == 302
    request = RegistrationRequest.objects.get()
    assert request.status == RegistrationStatus.PENDING
    assert request.country == "GB" and request.turnover_currency == "GBP"
    assert AuditEvent.objects.filter(action="registration.submitted", object_id=str(request.pk)).exists()


def test_duplicate_registration_number_of_a_company_is_refused(client, db):
    CompanyFactory(registration_number="NC123456")
    response = client.post("/register/", registration_post_data())
    assert response.status_code == 200
    assert "A company with registration number NC123456 is already registered." in response.content.decode()
    assert not RegistrationRequest.objects.exists()


def test_duplicate_slug_of_a_company_is_refused(client, db):
    CompanyFactory(slug="newco")
    response = client.post("/register/", registration_post_data())
    assert "is taken by a registered company" in response.content.decode()
    assert not RegistrationRequest.objects.exists()


def test_second_pending_request_for_the_same_number_is_refused(client, db):
    client.post("/register/", registration_post_data())
    response = client.post("/register/", registration_post_data(slug="other"))
    assert "already waiting for a decision" in response.content.decode()
    assert RegistrationRequest.objects.count() == 1


def test_supervisor_approval_creates_company_and_invites_the_officer(client_as):
    request = RegistrationRequestFactory(monthly_active_users=25_000_000)
    response = client_as("supervisor").post(f"/regulator/registrations/{request.pk}/approve/", {"confirmed": "yes"})
    assert response.status_code == 302
    company = Company.objects.get(slug=request.slug)
    assert company.size_tier == "A"
    request.refresh_from_db()
    assert request.status == RegistrationStatus.APPROVED and request.company == company
    invitation = Invitation.objects.get(company=company)
    assert invitation.role == MemberRole.OFFICER and invitation.email == request.officer_email
    assert len(mail.outbox) == 1 and "/invitations/" in mail.outbox[0].body
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"registration.approved", "company.created"} <= actions


def test_analyst_cannot_approve(client_as):
    request = RegistrationRequestFactory()
    response = client_as("analyst").post(f"/regulator/registrations/{request.pk}/approve/", {"confirmed": "yes"})
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == RegistrationStatus.PENDING
    assert not Company.objects.exists()


def test_rejection_needs_a_reason_and_tells_the_applicant(client_as):
    request = RegistrationRequestFactory()
    supervisor = client_as("supervisor")
    supervisor.post(f"/regulator/registrations/{request.pk}/reject/", {"reason": "  "})
    request.refresh_from_db()
    assert request.status == RegistrationStatus.PENDING

    supervisor.post(f"/regulator/registrations/{request.pk}/reject/", {"reason": "Not a hosting service.", "confirmed": "yes"})
    request.refresh_from_db()
    assert request.status == RegistrationStatus.REJECTED
    assert request.decision_reason == "Not a hosting service."
    assert "Not a hosting service." in mail.outbox[-1].body


def test_a_decided_request_cannot_be_decided_again(client_as):
    request = RegistrationRequestFactory()
    supervisor = client_as("supervisor")
    supervisor.post(f"/regulator/registrations/{request.pk}/approve/", {"confirmed": "yes"})
    response = supervisor.post(f"/regulator/registrations/{request.pk}/reject/", {"reason": "late", "confirmed": "yes"}, follow=True)
    assert "no longer pending" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RegistrationStatus.APPROVED
    assert Company.objects.count() == 1


@pytest.mark.parametrize("actor", ["company_a_officer", "anonymous"])
def test_non_staff_cannot_see_registration_requests(client_as, actor):
    request = RegistrationRequestFactory()
    response = client_as(actor).get(f"/regulator/registrations/{request.pk}/")
    assert response.status_code in {302, 403}


def test_the_country_is_chosen_from_iso_3166_never_cut_from_what_was_typed(client):
    page = client.get("/register/").content.decode()
    assert '<option value="DE">Germany</option>' in page
    response = client.post("/register/", registration_post_data(country="Germany"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not RegistrationRequest.objects.exists()
    client.post("/register/", registration_post_data(country="DE"))
    assert RegistrationRequest.objects.get().country.name == "Germany"
def test_an_empty_request_lists_each_problem_at_the_top_linking_to_its_field(client, db):
    """GOV.UK's pattern: a summary before the heading, each problem a link to its field; the same words beside
    the field, which is marked invalid and described by them."""
    response = client.post("/register/", {name: "" for name in registration_post_data()})
    page = response.content.decode()
    assert response.status_code == 200 and not RegistrationRequest.objects.exists()
    assert "<title>Error: Register a platform" in page
    summary = page[page.index('class="error-summary"'):page.index("<h1>")]
    assert '<a href="#id_legal_name">Enter the company&#x27;s legal name, as in its home register.</a>' in summary
    assert '<a href="#id_officer_email">Enter the compliance officer&#x27;s e-mail address' in summary
    assert "This field is required." not in page
    assert summary.count("<li>") == len(response.context["form"].fields)
    # Beside the field, with the input pointing at it.
    assert 'id="id_website_error"' in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="id_website_error"' in page


def test_wrong_values_say_what_is_wrong_with_each(client, db):
    page = client.post("/register/", registration_post_data(
        slug="New Co", website="not a site", monthly_active_users="lots", global_turnover="a lot",
        contact_email="orders", financial_year_end="2025-13-45")).content.decode()
    for message in ("The short name can only use lower-case letters, numbers and hyphens",
                    "Enter the website address in full, such as https://example.com.",
                    "Enter the number of monthly active users as a whole number, such as 2,500,000.",
                    "Enter the turnover as an amount, such as 12,500,000.00.",
                    "Enter the contact e-mail address in the right form, such as orders@example.com.",
                    "Enter the last day of the financial year as a real date"):
        assert message in page, message


def test_numbers_may_be_typed_with_thousands_separators(client, db):
    response = client.post("/register/", registration_post_data(monthly_active_users="25,000,000",
                                                                 global_turnover="900,000,000.00"))
    assert response.status_code == 302
    request = RegistrationRequest.objects.get()
    assert request.monthly_active_users == 25_000_000 and request.global_turnover == 900_000_000
