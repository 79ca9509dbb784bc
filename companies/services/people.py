"""Every write about companies, people and periods. Views and commands call these, nothing else writes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from companies.models import (
    Company,
    CompanyStatus,
    Invitation,
    MemberRole,
    Membership,
    RegistrationRequest,
    RegistrationStatus,
    ReportingPeriod,
)
from companies.selectors import membership_for
from core import roles
from core.audit import audit_record, snapshot

User = get_user_model()

COMPANY_FIELDS = [
    "legal_name", "slug", "registration_number", "country", "website", "service_type", "monthly_active_users",
    "global_turnover", "turnover_currency", "financial_year_end", "contact_email", "contact_phone", "contact_address",
]


# --- registration --------------------------------------------------------------------------------


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
    audit_record(actor=None, action="registration.submitted", obj=request, after=snapshot(request, COMPANY_FIELDS))
    return request


def _move_registration(request_id: int, *, new_status: str, actor: AbstractBaseUser, reason: str) -> int:
    """Compare-and-set: pending → new_status. Returns the rows changed (0 when someone decided first)."""
    return RegistrationRequest.objects.filter(pk=request_id, status=RegistrationStatus.PENDING).update(
        status=new_status, decided_at=timezone.now(), decided_by=actor, decision_reason=reason
    )


def _require_supervisor(actor: AbstractBaseUser) -> None:
    if not (roles.is_supervisor(actor) and actor.has_perm("companies.decide_registrationrequest")):
        raise PermissionDenied("Only a supervisor may decide registration requests.")


@transaction.atomic
def registration_approve(*, actor: AbstractBaseUser, request_id: int) -> tuple[Company, Invitation]:
    """Approve a pending request: create the company and invite its officer to set a password."""
    _require_supervisor(actor)
    request = RegistrationRequest.objects.select_for_update().get(pk=request_id)
    if request.status != RegistrationStatus.PENDING:
        raise ValidationError(f"This request was already {request.get_status_display().lower()}; nothing changed.")
    _check_company_identity_free(
        slug=request.slug, registration_number=request.registration_number, exclude_request=request.pk
    )
    company = Company(**{name: getattr(request, name) for name in COMPANY_FIELDS}, status=CompanyStatus.ACTIVE)
    company.full_clean(exclude=["size_tier"])
    company.save()
    if _move_registration(request.pk, new_status=RegistrationStatus.APPROVED, actor=actor, reason="") != 1:
        raise ValidationError("Someone decided this request first; nothing changed.")
    RegistrationRequest.objects.filter(pk=request.pk).update(company=company)
    invitation, token = _invitation_new(
        company=company, email=request.officer_email, full_name=request.officer_name,
        role=MemberRole.OFFICER, invited_by=actor,
    )
    audit_record(
        actor=actor, action="registration.approved", obj=request,
        before={"status": RegistrationStatus.PENDING},
        after={"status": RegistrationStatus.APPROVED, "company": company.pk},
    )
    audit_record(actor=actor, action="company.created", obj=company, after=snapshot(company, COMPANY_FIELDS))
    _send_invitation(invitation, token)
    return company, invitation


@transaction.atomic
def registration_reject(*, actor: AbstractBaseUser, request_id: int, reason: str) -> RegistrationRequest:
    """Reject a pending request with a reason the applicant is told."""
    _require_supervisor(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the request is rejected; the applicant is told."})
    if _move_registration(request_id, new_status=RegistrationStatus.REJECTED, actor=actor, reason=reason) != 1:
        raise ValidationError("This request is no longer pending; nothing changed.")
    request = RegistrationRequest.objects.get(pk=request_id)
    audit_record(
        actor=actor, action="registration.rejected", obj=request,
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


# --- invitations and members ---------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invitation_new(
    *, company: Company, email: str, full_name: str, role: str, invited_by: AbstractBaseUser | None
) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        company=company, email=email.strip().lower(), full_name=full_name, role=role,
        token_hash=_token_hash(token), invited_by=invited_by,
        expires_at=timezone.now() + dt.timedelta(days=settings.PORTAL_INVITATION_DAYS),
    )
    return invitation, token


def _send_invitation(invitation: Invitation, token: str) -> None:
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("invitation-accept", args=[token])
    company_name = invitation.company.legal_name
    role = invitation.get_role_display()
    transaction.on_commit(
        lambda: send_mail(
            subject=f"You are invited to {company_name} on the {settings.PORTAL_NAME}",
            message=(
                f"You have been invited to join {company_name} as {role}.\n\n"
                f"Open this link to set your password; it works once and expires on "
                f"{timezone.localtime(invitation.expires_at):%d %B %Y at %H:%M}:\n\n{link}\n"
            ),
            from_email=None,
            recipient_list=[invitation.email],
        )
    )


def _require_officer(actor: AbstractBaseUser, company: Company) -> Membership:
    membership = membership_for(user=actor)
    if membership is None or membership.company_id != company.pk or not membership.has_role(MemberRole.OFFICER):
        raise PermissionDenied("Only the company's compliance officer may manage its members.")
    return membership


@transaction.atomic
def invitation_create(
    *, actor: AbstractBaseUser, company: Company, email: str, full_name: str, role: str
) -> Invitation:
    """An officer invites a person to the company with a role. The link is e-mailed, never stored."""
    _require_officer(actor, company)
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing and Membership.objects.active().filter(user=existing).exists():
        raise ValidationError({"email": f"{email} already belongs to a company; a person may belong to only one."})
    if company.invitations.filter(email=email, accepted_at__isnull=True, revoked_at__isnull=True,
                                  expires_at__gt=timezone.now()).exists():
        raise ValidationError({"email": f"{email} already has an open invitation to {company}."})
    invitation, token = _invitation_new(
        company=company, email=email, full_name=full_name, role=role, invited_by=actor
    )
    audit_record(actor=actor, action="invitation.created", obj=invitation, after={"email": email, "role": role})
    _send_invitation(invitation, token)
    return invitation


def invitation_for_token(*, token: str) -> Invitation:
    """Find the invitation a link names, or explain exactly why the link no longer works."""
    invitation = Invitation.objects.select_related("company").filter(token_hash=_token_hash(token)).first()
    if invitation is None:
        raise ValidationError("This invitation link is not valid. Check that you copied the whole link.")
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been used. Sign in, or ask your officer for a new one.")
    if invitation.revoked_at is not None:
        raise ValidationError("This invitation was withdrawn. Ask your compliance officer for a new one.")
    if invitation.expires_at <= timezone.now():
        expired = timezone.localtime(invitation.expires_at)
        raise ValidationError(
            f"This invitation expired on {expired:%d %B %Y at %H:%M}. Ask your compliance officer for a new one."
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str) -> AbstractBaseUser:
    """Use an invitation once: create the account with the chosen password and the membership."""
    invitation = invitation_for_token(token=token)
    if User.objects.filter(username__iexact=invitation.email).exists():
        raise ValidationError(
            f"An account for {invitation.email} already exists. Ask the regulator to move it to this company."
        )
    # Compare-and-set, so two tabs opening the same link cannot both succeed.
    used = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(accepted_at=timezone.now())
    if used != 1:
        raise ValidationError("This invitation has already been used.")
    first, _, last = full_name.strip().partition(" ")
    user = User(username=invitation.email, email=invitation.email, first_name=first[:150], last_name=last[:150])
    user.set_password(password)
    user.save()
    Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
    membership = Membership.objects.create(user=user, company=invitation.company, role=invitation.role)
    audit_record(
        actor=user, action="membership.created", obj=membership,
        after={"user": user.email, "company": invitation.company_id, "role": invitation.role,
               "invitation": invitation.pk},
    )
    return user


@transaction.atomic
def membership_remove(*, actor: AbstractBaseUser, membership: Membership, reason: str = "") -> Membership:
    """An officer ends a member's access. The row stays, marked removed, as history."""
    _require_officer(actor, membership.company)
    if membership.removed_at is not None:
        raise ValidationError("This person has already been removed.")
    # Lock the company so two officers removing each other cannot both succeed.
    Company.objects.select_for_update().get(pk=membership.company_id)
    if membership.role == MemberRole.OFFICER:
        officers = Membership.objects.active().filter(company=membership.company, role=MemberRole.OFFICER)
        if officers.count() <= 1:
            raise ValidationError("A company needs at least one compliance officer; invite another officer first.")
    changed = Membership.objects.filter(pk=membership.pk, removed_at__isnull=True).update(removed_at=timezone.now())
    if changed != 1:
        raise ValidationError("This person has already been removed.")
    membership.refresh_from_db()
    audit_record(
        actor=actor, action="membership.removed", obj=membership,
        before={"removed_at": None}, after={"removed_at": membership.removed_at}, reason=reason,
    )
    return membership


# --- periods -------------------------------------------------------------------------------------


def period_code(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


@transaction.atomic
def periods_ensure(*, today: dt.date, first: str | None = None) -> list[ReportingPeriod]:
    """Create every quarter from ``first`` (PORTAL_FIRST_PERIOD) up to the one containing ``today``.

    Idempotent: existing periods are left alone; returns only the ones created.
    """
    year, quarter = ReportingPeriod.parse_code(first or settings.PORTAL_FIRST_PERIOD)
    created: list[ReportingPeriod] = []
    while True:
        start, end = ReportingPeriod.bounds(year, quarter)
        if start > today:
            break
        period, was_created = ReportingPeriod.objects.get_or_create(
            year=year, quarter=quarter,
            defaults={
                "code": period_code(year, quarter), "start": start, "end": end,
                "due_date": end + dt.timedelta(days=settings.PORTAL_FILING_DUE_DAYS),
            },
        )
        if was_created:
            audit_record(actor=None, action="period.created", obj=period,
                         after={"code": period.code, "due_date": period.due_date})
            created.append(period)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return created
