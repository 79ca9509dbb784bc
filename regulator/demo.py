"""Demo data for `make run`: regulator staff, about 40 companies with members, 8 quarters.

Idempotent: every object is looked up by a natural key before it is created, so
running it twice changes nothing. Later issues extend it with filings.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from companies.models import Company, MemberRole, Membership, ServiceType
from companies.services.people import periods_ensure
from core.roles import ANALYST, SUPERVISOR

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
        })
    return rows


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    """Create the demo world once; return the logins worth printing."""
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

    for index, data in enumerate(_demo_companies()):
        company = Company.objects.filter(slug=data["slug"]).first()
        if company is None:
            company = Company(**data)
            company.save()
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

    # Eight quarters: the two years up to the current one.
    today = timezone.localdate()
    periods_ensure(today=today, first=f"{today.year - 1}-Q1")
    return logins
