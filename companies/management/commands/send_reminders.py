import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from companies.services.reminders import reminders_send


class Command(BaseCommand):
    help = "Send today's filing-deadline reminders. Idempotent; run it daily from a scheduler."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, date: str | None = None, **options) -> None:
        today = dt.date.fromisoformat(date) if date else timezone.localdate()
        sent = reminders_send(today=today)
        self.stdout.write(f"Sent {len(sent)} reminder(s) for {today:%d %B %Y}.")
