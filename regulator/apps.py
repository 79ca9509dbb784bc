from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegulatorConfig(AppConfig):
    name = "regulator"
    verbose_name = "Regulator"

    def ready(self) -> None:
        from regulator.roles import sync_regulator_groups

        # Permissions only exist after every app has migrated, so groups are synced then.
        post_migrate.connect(sync_regulator_groups, sender=self, dispatch_uid="regulator-sync-groups")
