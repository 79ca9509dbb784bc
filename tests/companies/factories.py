"""Factories for companies, people, periods, filings and uploads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from companies.models import Company, MemberRole, Membership, RegistrationRequest, ReportingPeriod, ServiceType
from core import calendar

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.test")
    email = factory.LazyAttribute(lambda o: o.username)
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        self.save()  # keep the password set by the hook above
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    legal_name = factory.Sequence(lambda n: f"Platform {n} Ltd")
    slug = factory.Sequence(lambda n: f"platform-{n}")
    registration_number = factory.Sequence(lambda n: f"REG{n:06d}")
    country = "GB"
    website = factory.LazyAttribute(lambda o: f"https://{o.slug}.example")
    service_type = ServiceType.SOCIAL_MEDIA
    monthly_active_users = 1_000_000
    global_turnover = Decimal("25000000.00")
    turnover_currency = "GBP"
    financial_year_end = dt.date(2025, 12, 31)
    contact_email = factory.LazyAttribute(lambda o: f"orders@{o.slug}.example")
    contact_phone = "+44 20 7946 0000"
    contact_address = "1 Test Street, London"
    registered_on = dt.date(2025, 1, 1)  # before every test period: it files for each


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = MemberRole.VIEWER


class RegistrationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationRequest

    legal_name = factory.Sequence(lambda n: f"Applicant {n} Ltd")
    slug = factory.Sequence(lambda n: f"applicant-{n}")
    registration_number = factory.Sequence(lambda n: f"APP{n:06d}")
    country = "GB"
    website = "https://applicant.example"
    service_type = ServiceType.FORUM
    monthly_active_users = 5_000_000
    global_turnover = Decimal("1000000.00")
    turnover_currency = "GBP"
    financial_year_end = dt.date(2025, 12, 31)
    contact_email = "orders@applicant.example"
    contact_phone = "+44 20 7946 0001"
    contact_address = "2 Test Street, London"
    officer_name = "Olive Officer"
    officer_email = factory.Sequence(lambda n: f"officer{n}@applicant.example")


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ["year", "quarter"]

    year = 2026
    quarter = 3
    code = factory.LazyAttribute(lambda o: f"{o.year}-Q{o.quarter}")
    start = factory.LazyAttribute(lambda o: calendar.quarter_bounds(o.year, o.quarter)[0])
    end = factory.LazyAttribute(lambda o: calendar.quarter_bounds(o.year, o.quarter)[1])
    due_date = factory.LazyAttribute(lambda o: o.end + dt.timedelta(days=30))


class FilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "companies.Filing"

    company = factory.SubFactory(CompanyFactory)
    period = factory.SubFactory(ReportingPeriodFactory, year=2026, quarter=2)
    version = 1
    measures_taken = "Hash matching and a 24/7 review team."
    areas_for_improvement = "Faster handling of livestreams."


class FilingUploadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "companies.FilingUpload"

    filing = factory.SubFactory(FilingFactory)
    original_name = "items.csv"
    format = "csv"
