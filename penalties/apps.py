from django.apps import AppConfig


class PenaltiesConfig(AppConfig):
    name = "penalties"
    verbose_name = "Penalties"

    def ready(self) -> None:
        # Imported here, as Django asks: the access module grants the penalties decisions to the staff groups
        # (core.roles), and the signal comes from the regulator app, below this one.
        from penalties import access  # noqa: F401
        from regulator.signals import assessment_finalised

        assessment_finalised.connect(_queue_escalation, dispatch_uid="penalties-escalate-on-finalise")


def _queue_escalation(*, assessment, **_kwargs) -> None:
    """A final assessment may call for a case: escalation for its company and period runs in the background.

    Imported when the signal arrives: this module loads before the app registry is ready."""
    from penalties.tasks import escalate

    escalate.enqueue(assessment.company_id, assessment.period_id)
