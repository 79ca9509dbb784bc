from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from companies.models import Company, ReportingPeriod
from regulator.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo regulator staff, ~40 companies with members and 8 quarters. Idempotent."

    def handle(self, *args, **options) -> None:
        logins = seed_demo()
        # The address served: scripts/serve.sh derives PORTAL_BASE_URL from PORTAL_BIND.
        base = settings.PORTAL_BASE_URL.rstrip("/")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Sign in at {base}/accounts/login/"))
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.email:<42} {login.role}")
        self.stdout.write("  Any company: officer@<slug>.example, submitter@<slug>.example, viewer@<slug>.example")
        self._unfiled()
        if not settings.PORTAL_STAFF_TOTP_REQUIRED:
            self.stdout.write("Staff sign in with the password alone in this demo; in production they also give a "
                              "code from an authenticator app (try it: PORTAL_STAFF_TOTP_REQUIRED=true make run).")

    def _unfiled(self) -> None:
        """Name the demo companies that have not filed the latest ended quarter, so a newcomer can file at once."""
        period = ReportingPeriod.objects.filter(end__lt=timezone.localdate()).order_by("-start").first()
        if period is None:
            return
        waiting = list(Company.objects.filter(registration_number__startswith="DEMO")
                       .exclude(filings__period=period).order_by("registration_number")[:4])
        if not waiting:
            return
        first = waiting[0]
        others = ", ".join(company.slug for company in waiting[1:])
        self.stdout.write(
            f"To file a quarter yourself: sign in as officer@{first.slug}.example ({first.legal_name}); "
            f"{period} has ended and it has not filed it" + (f" (nor have {others})." if others else ".")
        )
        self.stdout.write(f"  A file for it: .venv/bin/python manage.py generate_filing --company {first.slug} "
                          f"--period {period} --rows 500 -o /tmp/{first.slug}-{period}.csv")
