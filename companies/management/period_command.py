"""The base of every management command that works on one reporting period (``--period 2026-Q3``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from companies.models import ReportingPeriod


class PeriodCommand(BaseCommand):
    """Reads ``--period`` and hands ``handle_period`` the period, or says clearly that there is none."""

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", required=True, help="Period code, such as 2026-Q3.")

    def handle(self, *args, period: str, **options) -> None:
        found = ReportingPeriod.objects.filter(code=period.upper()).first()
        if found is None:
            raise CommandError(f"No period {period!r}; run ensure_periods first.")
        self.stdout.write(self.handle_period(found))

    def handle_period(self, period: ReportingPeriod) -> str:
        """Do the work; return what it did, in words."""
        raise NotImplementedError
