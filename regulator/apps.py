from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegulatorConfig(AppConfig):
    name = "regulator"
    verbose_name = "Regulator"

    def ready(self) -> None:
        # Imported here, as Django asks: the app registry must be ready before models are imported.
        from regulator.access import sync_regulator_groups

        # Permissions only exist after every app has migrated, so groups are synced then.
        post_migrate.connect(sync_regulator_groups, sender=self, dispatch_uid="regulator-sync-groups")

        from companies.signals import filing_accepted

        filing_accepted.connect(_queue_assessment, dispatch_uid="regulator-assess-on-accept")


def _queue_assessment(*, filing, **_kwargs) -> None:
    """An accepted filing (or an accepted amendment) gets its assessment computed in the background.

    Imported when the signal arrives: this module is loaded before the app registry is ready, when the
    tasks' models cannot be imported yet."""
    from regulator.tasks import refresh_assessment

    refresh_assessment.enqueue(filing.company_id, filing.period_id)
