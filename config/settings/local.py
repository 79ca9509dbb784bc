"""Development: `make run` on a laptop."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", default=True)
# The demo's staff accounts sign in with the password alone; `PORTAL_STAFF_TOTP_REQUIRED=true make run`
# tries the production behaviour (an authenticator app code after the password).
PORTAL_STAFF_TOTP_REQUIRED = env_bool("PORTAL_STAFF_TOTP_REQUIRED", default=False)
