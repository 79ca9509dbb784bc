"""Demo data for `make run`: regulator staff, about 40 companies with members, 8 quarters.

Idempotent: every object is looked up by a natural key before it is created, so
running it twice changes nothing. Later issues extend it with filings.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from companies.ingest.generate import generate_rows
from companies.ingest.load import copy_rows
from companies.ingest.validate import ErrorLog
from companies.models import Company, Filing, MemberRole, Membership, ReportingPeriod, ServiceType
from companies.services.filings import filing_accept, filing_return, filing_start, filing_submit
from companies.services.periods import periods_ensure
from core.roles import ANALYST, SUPERVISOR
from regulator.choices import AssessmentStatus
from regulator.models import Assessment
from regulator.services.assessments import assessment_finalise, assessments_run

User = get_user_model()

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 (printed by `make run`; demo accounts only)

STAFF = [
    ("analyst@regulator.example", "Alex", "Analyst", ANALYST),
    ("analyst2@regulator.example", "Sam", "Reviewer", ANALYST),
    ("supervisor@regulator.example", "Jo", "Supervisor", SUPERVISOR),
    ("supervisor2@regulator.example", "Kim", "Director", SUPERVISOR),
]

_NAMES = [
    "Streamly", "Chatterbox", "VidVault", "FileNest", "Agora Forums", "PixelShare", "Murmur", "ClipCast",
    "Driftbox", "Townsquare", "Echo Messenger", "Loopline", "Boardroom Talk", "SnapStack", "Cloudlocker",
    "Parlance", "Reelhouse", "Hubbub", "Notewave", "Gatherly", "Threadly", "Beamtube", "Cachebay", "Hearsay",
    "Mosaic Social", "Flicker Live", "Vaultline", "Circle Chat", "Openboard", "Fablecast", "Quickdrop",
    "Kinfolk", "Tandem", "Broadsheet Forums", "Glimmer", "Sendit", "Pinboard Social", "Relay", "Archway Video",
    "Commons",
]
_SERVICES = [ServiceType.SOCIAL_MEDIA, ServiceType.VIDEO_SHARING, ServiceType.FILE_HOSTING,
             ServiceType.MESSAGING, ServiceType.FORUM, ServiceType.OTHER]
_COUNTRIES = ["GB", "IE", "DE", "FR", "NL", "US", "SE", "ES"]


@dataclass
class DemoLogin:
    email: str
    role: str


def _demo_companies() -> list[dict]:
    rng = random.Random(2026)
    rows = []
    for index, name in enumerate(_NAMES):
        # A few big platforms, more mid-sized, most small: roughly the shape of a real register.
        tier_draw = index % 8
        users = rng.randint(25_000_000, 400_000_000) if tier_draw == 0 else (
            rng.randint(4_000_000, 20_000_000) if tier_draw in (1, 2, 3) else rng.randint(50_000, 3_900_000))
        slug = name.lower().replace(" ", "-")
        rows.append({
            "legal_name": f"{name} Ltd",
            "slug": slug,
            "registration_number": f"DEMO{index + 1:05d}",
            "country": _COUNTRIES[index % len(_COUNTRIES)],
            "website": f"https://{slug}.example",
            "service_type": _SERVICES[index % len(_SERVICES)],
            "monthly_active_users": users,
            "global_turnover": Decimal(users) * Decimal(rng.randint(5, 60)) / Decimal(10),
            "turnover_currency": "GBP",
            "financial_year_end": dt.date(2025, 12, 31),
            "contact_email": f"orders@{slug}.example",
            "contact_phone": f"+44 20 7946 {index:04d}",
            "contact_address": f"{index + 1} Demo Street, London",
            # Registered before the first demo quarter (Q1 of last year), so each files for every quarter.
            "registered_on": dt.date(timezone.localdate().year - 1, 1, 1),
        })
    return rows


def seed_demo(*, scale: float = 1.0, companies: int = len(_NAMES)) -> list[DemoLogin]:
    """Create the demo world once; return the logins worth printing.

    ``scale`` shrinks the number of items per filing and ``companies`` the register (tests use both).
    """
    with transaction.atomic():
        logins = _seed_people(companies=companies)
    # Eight quarters: the two years up to the current one.
    today = timezone.localdate()
    periods_ensure(today=today, first=f"{today.year - 1}-Q1")
    seed_demo_filings(today=today, scale=scale)
    seed_demo_assessments(today=today)
    return logins


def seed_demo_assessments(*, today: dt.date) -> None:
    """Assess every ended period; finalise all but the latest, which the analysts are still reviewing."""
    analyst = User.objects.get(username="analyst@regulator.example")
    periods = list(ReportingPeriod.objects.filter(end__lt=today, filings__isnull=False).distinct().order_by("start"))
    for position, period in enumerate(periods):
        assessments_run(actor=None, period=period)
        if position < len(periods) - 1:
            for draft in Assessment.objects.filter(period=period, status=AssessmentStatus.DRAFT):
                assessment_finalise(actor=analyst, assessment=draft)


def _seed_people(*, companies: int) -> list[DemoLogin]:
    password = make_password(DEMO_PASSWORD)  # hashed once; every demo account shares it
    logins: list[DemoLogin] = []
    for email, first, last, group_name in STAFF:
        user, _ = User.objects.get_or_create(
            username=email, defaults={"email": email, "first_name": first, "last_name": last, "password": password}
        )
        user.groups.add(Group.objects.get(name=group_name))
        logins.append(DemoLogin(email, group_name))
    User.objects.get_or_create(
        username="admin@regulator.example",
        defaults={"email": "admin@regulator.example", "password": password, "is_staff": True, "is_superuser": True},
    )
    logins.append(DemoLogin("admin@regulator.example", "superuser (Django admin)"))

    for index, data in enumerate(_demo_companies()[:companies]):
        company = Company.objects.filter(slug=data["slug"]).first()
        if company is None:
            company = Company(**data)
            company.save()
        elif company.registered_on > data["registered_on"]:
            # A demo seeded before companies recorded their registration day took it from the seeding day.
            Company.objects.filter(pk=company.pk).update(registered_on=data["registered_on"])
            company.registered_on = data["registered_on"]
        for role in (MemberRole.OFFICER, MemberRole.SUBMITTER, MemberRole.VIEWER):
            email = f"{role}@{company.slug}.example"
            user, created = User.objects.get_or_create(
                username=email,
                defaults={"email": email, "first_name": role.label.split()[-1].title(),
                          "last_name": company.legal_name.removesuffix(" Ltd"), "password": password},
            )
            if created:
                Membership.objects.create(user=user, company=company, role=role)
            if index < 2:
                logins.append(DemoLogin(email, f"{role.label} of {company.legal_name}"))

    return logins


_ROWS_BY_TIER = {"A": 2_000, "B": 600, "C": 120}


def seed_demo_filings(*, today: dt.date, scale: float = 1.0) -> int:
    """Filings for every ended quarter: mostly accepted, the latest awaiting review, a few late,
    returned, corrected or missing. Skips companies and periods that already have filings."""
    analyst = User.objects.get(username="analyst@regulator.example")
    created = 0
    periods = list(ReportingPeriod.objects.filter(end__lt=today).order_by("start"))
    # Only the demo register: real companies never get invented filings.
    for index, company in enumerate(Company.objects.filter(registration_number__startswith="DEMO")
                                    .order_by("registration_number")):
        officers = list(Membership.objects.active().filter(company=company, role=MemberRole.OFFICER)
                        .select_related("user")[:2])
        if len(officers) != 1:
            continue
        officer = officers[0].user
        for position, period in enumerate(periods):
            latest = position == len(periods) - 1
            if Filing.objects.filter(company=company, period=period).exists():
                continue
            if latest and index % 9 == 4:
                continue  # overdue: nothing filed yet
            _demo_filing(company=company, period=period, officer=officer, analyst=analyst, latest=latest,
                         late=(index + position) % 11 == 3, returned=latest and index % 13 == 7,
                         corrected=not latest and (index + position) % 17 == 5, scale=scale)
            created += 1
    return created


@transaction.atomic
def _demo_filing(*, company: Company, period: ReportingPeriod, officer, analyst, latest: bool, late: bool,
                 returned: bool, corrected: bool, scale: float) -> None:
    rows = max(1, int(_ROWS_BY_TIER[company.size_tier] * scale))
    quality = 0.5 + (zlib.crc32(company.slug.encode()) % 50) / 100
    filing = Filing.objects.create(
        company=company, period=period, version=1, created_by=officer,
        measures_taken="Hash matching against shared industry databases, keyword classifiers and a 24/7 "
                       "review team for removal orders.",
        automated_tools="Perceptual hashing; text classifiers for incitement.",
        areas_for_improvement="Livestream takedown speed; appeal turnaround.",
        moderation_staff=max(2, rows // 50),
    )
    _demo_load(filing, rows=rows, quality=quality)
    filing_submit(actor=officer, filing=filing)
    submitted_at = min(timezone.now(), timezone.make_aware(dt.datetime.combine(
        period.due_date + dt.timedelta(days=19 if late else -3), dt.time(15, 0))))
    days_late = max(0, (timezone.localtime(submitted_at).date() - period.due_date).days)
    Filing.objects.filter(pk=filing.pk).update(submitted_at=submitted_at, days_late=days_late)
    if returned:
        filing_return(actor=analyst, filing=filing, reason="Removal orders are missing their order references.")
        return
    if latest:
        return  # waiting for the analyst
    filing_accept(actor=analyst, filing=filing)
    if corrected:
        correction = filing_start(actor=officer, company=company, period=period,
                                  correction_reason="Three removal orders were left out of version 1.")
        Filing.objects.filter(pk=correction.pk).update(
            measures_taken=filing.measures_taken, areas_for_improvement=filing.areas_for_improvement)
        correction.refresh_from_db()
        _demo_load(correction, rows=rows + 3, quality=quality)
        filing_submit(actor=officer, filing=correction)
        filing_accept(actor=analyst, filing=correction)


def _demo_load(filing: Filing, *, rows: int, quality: float) -> None:
    locked = Filing.objects.select_for_update().get(pk=filing.pk)
    generated = generate_rows(rows=rows, period_start=filing.period.start, period_end=filing.period.end,
                              seed=filing.pk, quality=quality, prefix=filing.company.slug[:20])
    errors = ErrorLog()
    loaded = copy_rows(filing=locked, rows=enumerate(generated, start=1), errors=errors, first_row_no=1)
    Filing.objects.filter(pk=filing.pk).update(item_count=loaded, last_row_no=loaded)
