from django.core.management.base import BaseCommand, CommandError

from companies.models import ReportingPeriod
from penalties.services.escalation import escalation_run


class Command(BaseCommand):
    help = "Propose the penalty cases a period's final assessments and filings call for. Idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", required=True, help="Period code, such as 2026-Q3.")

    def handle(self, *args, period: str, **options) -> None:
        found = ReportingPeriod.objects.filter(code=period.upper()).first()
        if found is None:
            raise CommandError(f"No period {period!r}; run ensure_periods first.")
        self.stdout.write(escalation_run(actor=None, period=found).summary)
