from django.core.management.base import BaseCommand
from django.utils import timezone

from companies.services.periods import periods_ensure


class Command(BaseCommand):
    help = "Create every missing reporting period (quarter) up to today. Safe to run any number of times."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--first", help="First period to create, such as 2025-Q1 (default PORTAL_FIRST_PERIOD).")

    def handle(self, *args, first: str | None = None, **options) -> None:
        created = periods_ensure(today=timezone.localdate(), first=first)
        if created:
            self.stdout.write(f"Created {len(created)} period(s): {', '.join(p.code for p in created)}")
        else:
            self.stdout.write("All periods up to today already exist.")
