from django.core.management.base import BaseCommand, CommandError

from companies.models import ReportingPeriod
from regulator.services.assessments import assessments_run, run_outcome


class Command(BaseCommand):
    help = "Compute or refresh the assessments of a period (one SQL pass). Idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", required=True, help="Period code, such as 2026-Q3.")

    def handle(self, *args, period: str, **options) -> None:
        found = ReportingPeriod.objects.filter(code=period.upper()).first()
        if found is None:
            raise CommandError(f"No period {period!r}; run ensure_periods first.")
        touched = assessments_run(actor=None, period=found)
        self.stdout.write(run_outcome(period=found, touched=touched))
