from companies.management.period_command import PeriodCommand
from companies.models import ReportingPeriod
from regulator.services.assessments import assessments_run, run_outcome


class Command(PeriodCommand):
    help = "Compute or refresh the assessments of a period (one SQL pass). Idempotent."

    def handle_period(self, period: ReportingPeriod) -> str:
        return run_outcome(period=period, touched=assessments_run(actor=None, period=period))
