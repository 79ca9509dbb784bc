"""Production: every secret and host comes from the environment; nothing has a default."""

from config.env import env_int, env_list, env_str

# Checked before the base settings load: production never falls back to the embedded
# development database, and never e-mails links to localhost.
env_str("DATABASE_URL")
_BASE_URL = env_str("PORTAL_BASE_URL")

from .base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
PORTAL_BASE_URL = _BASE_URL
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_CONTENT_TYPE_NOSNIFF = True
EMAIL_BACKEND = env_str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
