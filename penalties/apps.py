from django.apps import AppConfig


class PenaltiesConfig(AppConfig):
    name = "penalties"
    verbose_name = "Penalties"

    def ready(self) -> None:
        # Imported here, as Django asks: grants the penalties decisions to the staff groups (core.roles).
        from penalties import access  # noqa: F401
