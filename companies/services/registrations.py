"""Registration: a platform asks to be registered; a supervisor approves (the company and its officer's
invitation are created) or rejects it with a reason. Every step is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from companies import access
from companies.models import (
    Company,
    CompanyStatus,
    Invitation,
    MemberRole,
    RegistrationRequest,
    RegistrationStatus,
)
from companies.services.members import invitation_issue
from core.audit import Action, audit_record, snapshot
from core.workflows import transition

COMPANY_FIELDS = [
    "legal_name", "slug", "registration_number", "country", "website", "service_type", "monthly_active_users",
    "global_turnover", "turnover_currency", "financial_year_end", "contact_email", "contact_phone", "contact_address",
]


def _check_company_identity_free(*, slug: str, registration_number: str, exclude_request: int | None = None) -> None:
    errors: dict[str, str] = {}
    if Company.objects.filter(registration_number__iexact=registration_number).exists():
        errors["registration_number"] = (
            f"A company with registration number {registration_number} is already registered."
        )
    if Company.objects.filter(slug=slug).exists():
        errors["slug"] = f"The short name {slug!r} is taken by a registered company; choose another."
    pending = RegistrationRequest.objects.filter(status=RegistrationStatus.PENDING).exclude(pk=exclude_request)
    if "registration_number" not in errors and pending.filter(registration_number__iexact=registration_number).exists():
        errors["registration_number"] = (
            f"A registration request for number {registration_number} is already waiting for a decision."
        )
    if "slug" not in errors and pending.filter(slug=slug).exists():
        errors["slug"] = f"The short name {slug!r} is used by a request waiting for a decision; choose another."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def registration_submit(*, data: dict[str, Any]) -> RegistrationRequest:
    """Record a company's request to register. Refuses a registration number or slug already in use."""
    _check_company_identity_free(slug=data["slug"], registration_number=data["registration_number"])
    request = RegistrationRequest(**data)
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # Two identical requests raced past the check; the partial unique index stopped the second.
        raise ValidationError({"registration_number": "An identical request was submitted a moment ago."}) from None
    audit_record(actor=None, action=Action.REGISTRATION_SUBMITTED, obj=request, after=snapshot(request, COMPANY_FIELDS))
    return request


@transaction.atomic
def registration_approve(*, actor: AbstractBaseUser, request_id: int) -> tuple[Company, Invitation]:
    """Approve a pending request: create the company and invite its officer to set a password."""
    access.DECIDE_REGISTRATION.require(actor)
    request = RegistrationRequest.objects.select_for_update().get(pk=request_id)
    if request.status != RegistrationStatus.PENDING:
        raise ValidationError(f"This request was already {request.get_status_display().lower()}; nothing changed.")
    _check_company_identity_free(
        slug=request.slug, registration_number=request.registration_number, exclude_request=request.pk
    )
    company = Company(**{name: getattr(request, name) for name in COMPANY_FIELDS}, status=CompanyStatus.ACTIVE,
                      registered_on=timezone.localdate())
    company.full_clean(exclude=["size_tier"])
    company.save()
    transition(request, old=RegistrationStatus.PENDING, new=RegistrationStatus.APPROVED,
               conflict="Someone decided this request first; nothing changed.",
               decided_at=timezone.now(), decided_by=actor, decision_reason="", company=company)
    invitation = invitation_issue(company=company, email=request.officer_email, full_name=request.officer_name,
                                  role=MemberRole.OFFICER, invited_by=actor)
    audit_record(
        actor=actor, action=Action.REGISTRATION_APPROVED, obj=request,
        before={"status": RegistrationStatus.PENDING},
        after={"status": RegistrationStatus.APPROVED, "company": company.pk},
    )
    audit_record(actor=actor, action=Action.COMPANY_CREATED, obj=company, after=snapshot(company, COMPANY_FIELDS))
    return company, invitation


@transaction.atomic
def registration_reject(*, actor: AbstractBaseUser, request_id: int, reason: str) -> RegistrationRequest:
    """Reject a pending request with a reason the applicant is told."""
    access.DECIDE_REGISTRATION.require(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the request is rejected; the applicant is told."})
    request = RegistrationRequest.objects.get(pk=request_id)
    transition(request, old=RegistrationStatus.PENDING, new=RegistrationStatus.REJECTED,
               conflict="This request is no longer pending; nothing changed.",
               decided_at=timezone.now(), decided_by=actor, decision_reason=reason)
    audit_record(
        actor=actor, action=Action.REGISTRATION_REJECTED, obj=request,
        before={"status": RegistrationStatus.PENDING}, after={"status": RegistrationStatus.REJECTED}, reason=reason,
    )
    transaction.on_commit(
        lambda: send_mail(
            subject=f"Your registration request for {request.legal_name}",
            message=f"Your request to register {request.legal_name} was rejected.\n\nReason: {reason}\n",
            from_email=None,
            recipient_list=[request.officer_email],
        )
    )
    return request
