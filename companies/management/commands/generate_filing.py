import sys
import zlib

from django.core.management.base import BaseCommand, CommandError

from companies.ingest.generate import generate_rows, write_csv, write_jsonl
from companies.models import Company
from core import calendar


class Command(BaseCommand):
    help = "Write a realistic takedown file (CSV or JSON Lines) for a company and period."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--company", required=True, help="Company slug.")
        parser.add_argument("--period", required=True, help="Period code, such as 2026-Q3.")
        parser.add_argument("--rows", type=int, default=1000)
        parser.add_argument("--error-rate", type=float, default=0.0, help="Share of rows with an injected error.")
        parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")
        parser.add_argument("--seed", type=int, default=None, help="Default: derived from company and period.")
        parser.add_argument("--output", "-o", default="-", help="File to write; '-' for standard output.")

    def handle(self, *args, company: str, period: str, rows: int, error_rate: float, format: str,
               seed: int | None, output: str, **options) -> None:
        try:
            company_obj = Company.objects.get(slug=company)
        except Company.DoesNotExist:
            raise CommandError(f"No company with slug {company!r}.") from None
        year, quarter = calendar.parse_quarter_code(period)
        start, end = calendar.quarter_bounds(year, quarter)
        seed = seed if seed is not None else zlib.crc32(f"{company}/{period}".encode())
        quality = 0.5 + (zlib.crc32(company.encode()) % 50) / 100
        generated = generate_rows(rows=rows, period_start=start, period_end=end, seed=seed, quality=quality,
                                  error_rate=error_rate, prefix=company_obj.slug[:20])
        writer = write_csv if format == "csv" else write_jsonl
        if output == "-":
            count = writer(sys.stdout, generated)
        else:
            with open(output, "w", encoding="utf-8", newline="") as out:
                count = writer(out, generated)
        self.stderr.write(f"Wrote {count:,} rows for {company_obj} {period}.")
