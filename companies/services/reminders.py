"""Deadline reminders: 7 days and 1 day before the due date, and the day after it (docs/DESIGN.md §4.2)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction

from companies.deadlines import reminder_kinds
from companies.models import Company, MemberRole, Membership, ReminderSent, ReportingPeriod
from companies.selectors import companies_yet_to_file
from core.audit import Action, audit_record

_SUBJECTS = {
    "due-in-7-days": "{period} takedown report due in 7 days",
    "due-tomorrow": "{period} takedown report due tomorrow",
    "overdue": "{period} takedown report is overdue",
}
_BODIES = {
    "due-in-7-days": "Your takedown report for {period} is due by the end of {due:%A %d %B %Y}.",
    "due-tomorrow": "Your takedown report for {period} is due by the end of tomorrow, {due:%A %d %B %Y}.",
    "overdue": ("Your takedown report for {period} was due by the end of {due:%A %d %B %Y} and has not been "
                "submitted. Late filings incur a late-filing penalty that grows with the delay."),
}


def reminders_send(*, today: dt.date) -> list[ReminderSent]:
    """Send today's reminders to officers and submitters of active companies that have not submitted.

    Idempotent: each (company, period, kind) is sent at most once, guarded by a unique
    constraint, so running it twice a day, or on many machines, sends nothing twice.
    """
    sent: list[ReminderSent] = []
    for kind, due_date in reminder_kinds(today).items():
        for period in ReportingPeriod.objects.filter(due_date=due_date):
            for company in companies_yet_to_file(period=period):
                reminder = _send_one(company=company, period=period, kind=kind)
                if reminder is not None:
                    sent.append(reminder)
    return sent


@transaction.atomic
def _send_one(*, company: Company, period: ReportingPeriod, kind: str) -> ReminderSent | None:
    recipients = list(
        Membership.objects.active().filter(company=company, role__in=[MemberRole.OFFICER, MemberRole.SUBMITTER])
        .values_list("user__email", flat=True)
    )
    try:
        with transaction.atomic():
            reminder = ReminderSent.objects.create(company=company, period=period, kind=kind, recipients=recipients)
    except IntegrityError:
        return None  # already sent
    audit_record(actor=None, action=Action(f"reminder.{kind}"), obj=reminder, after={"recipients": recipients})
    subject = _SUBJECTS[kind].format(period=period.code)
    body = _BODIES[kind].format(period=period.code, due=period.due_date) + (
        f"\n\nFile it at {settings.PORTAL_BASE_URL.rstrip('/')}/company/filings/\n"
    )
    if recipients:
        transaction.on_commit(lambda: send_mass_mail([(subject, body, None, [to]) for to in recipients]))
    return reminder
