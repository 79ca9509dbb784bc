from django.core.management.base import BaseCommand

from companies.services.uploads import uploads_fail_stale


class Command(BaseCommand):
    help = ("Fail every upload whose worker died (validating, and no worker holds its lock) or that no worker took "
            "for PORTAL_UPLOAD_STALE_MINUTES. Run it every minute (make run does).")

    def handle(self, *args, **options) -> None:
        failed = uploads_fail_stale()
        if failed or options["verbosity"] > 1:
            self.stdout.write(f"{len(failed)} upload{'s' if len(failed) != 1 else ''} failed: "
                              + (", ".join(f"#{upload.pk} ({upload.original_name})" for upload in failed) or "none"))
