from companies.management.period_command import PeriodCommand
from companies.models import ReportingPeriod
from penalties.services.escalation import escalation_run


class Command(PeriodCommand):
    help = "Propose the penalty cases a period's final assessments and filings call for. Idempotent."

    def handle_period(self, period: ReportingPeriod) -> str:
        return escalation_run(actor=None, period=period).summary
