from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegulatorConfig(AppConfig):
    name = "regulator"
    verbose_name = "Regulator"

    def ready(self) -> None:
        # Imported here, as Django asks: the app registry must be ready before models are imported.
        from core.roles import sync_staff_groups
        from regulator import access  # noqa: F401 (grants the regulator's decisions to the staff groups)

        # An app's permissions exist once its own post_migrate has run, and the penalties app migrates after this
        # one, so the groups are synced after every app's (it is idempotent and takes a few queries).
        post_migrate.connect(sync_staff_groups, dispatch_uid="staff-sync-groups")

        from companies.signals import filing_accepted

        filing_accepted.connect(_queue_assessment, dispatch_uid="regulator-assess-on-accept")


def _queue_assessment(*, filing, **_kwargs) -> None:
    """An accepted filing (or an accepted amendment) gets its assessment computed in the background.

    Imported when the signal arrives: this module is loaded before the app registry is ready, when the
    tasks' models cannot be imported yet."""
    from regulator.tasks import refresh_assessment

    refresh_assessment.enqueue(filing.company_id, filing.period_id)
