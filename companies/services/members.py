"""A company's people: invitations (one-time links, only their hash stored) and memberships, which an officer
manages. Every change is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from companies import access
from companies.models import Company, Invitation, MemberRole, Membership
from core.audit import Action, audit_record
from core.formatting import moment_text

User = get_user_model()


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


def invitation_issue(*, company: Company, email: str, full_name: str, role: str,
                     invited_by: AbstractBaseUser | None) -> Invitation:
    """Make an invitation and e-mail its one-time link once the transaction commits (the link is never stored).
    Call inside the caller's transaction; the caller audits."""
    invitation, token = _invitation_new(company=company, email=email, full_name=full_name, role=role,
                                        invited_by=invited_by)
    _send_invitation(invitation, token)
    return invitation


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
                f"{moment_text(invitation.expires_at)}:\n\n{link}\n"
            ),
            from_email=None,
            recipient_list=[invitation.email],
        )
    )


MANAGE_MEMBERS_REFUSAL = "Only the company's compliance officer may manage its members."


@transaction.atomic
def invitation_create(
    *, actor: AbstractBaseUser, company: Company, email: str, full_name: str, role: str
) -> Invitation:
    """An officer invites a person to the company with a role. The link is e-mailed, never stored."""
    access.require_officer(actor, company, refusal=MANAGE_MEMBERS_REFUSAL)
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing and Membership.objects.active().filter(user=existing).exists():
        raise ValidationError({"email": f"{email} already belongs to a company; a person may belong to only one."})
    if company.invitations.open().filter(email=email).exists():
        raise ValidationError({"email": f"{email} already has an open invitation to {company}."})
    invitation = invitation_issue(company=company, email=email, full_name=full_name, role=role, invited_by=actor)
    audit_record(actor=actor, action=Action.INVITATION_CREATED, obj=invitation, after={"email": email, "role": role})
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
        raise ValidationError(f"This invitation expired on {moment_text(invitation.expires_at)}. Ask your compliance "
                              "officer for a new one.")
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
        actor=user, action=Action.MEMBERSHIP_CREATED, obj=membership,
        after={"user": user.email, "company": invitation.company_id, "role": invitation.role,
               "invitation": invitation.pk},
    )
    return user


@transaction.atomic
def membership_remove(*, actor: AbstractBaseUser, membership: Membership, reason: str = "") -> Membership:
    """An officer ends a member's access. The row stays, marked removed, as history."""
    access.require_officer(actor, membership.company, refusal=MANAGE_MEMBERS_REFUSAL)
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
        actor=actor, action=Action.MEMBERSHIP_REMOVED, obj=membership,
        before={"removed_at": None}, after={"removed_at": membership.removed_at}, reason=reason,
    )
    return membership
