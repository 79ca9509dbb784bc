from django.conf import settings
from django.core.management.base import BaseCommand

from regulator.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo regulator staff, ~40 companies with members and 8 quarters. Idempotent."

    def handle(self, *args, **options) -> None:
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/accounts/login/"))
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.email:<42} {login.role}")
        self.stdout.write("  Any company: officer@<slug>.example, submitter@<slug>.example, viewer@<slug>.example")
        if not settings.PORTAL_STAFF_TOTP_REQUIRED:
            self.stdout.write("Staff sign in with the password alone in this demo; in production they also give a "
                              "code from an authenticator app (try it: PORTAL_STAFF_TOTP_REQUIRED=true make run).")
