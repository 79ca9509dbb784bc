"""Settings shared by every environment. Values that differ come from the environment (config/env.py)."""

from pathlib import Path

from config.env import env_bool, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_api_key",
    "django_countries",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "companies",
    "regulator",
    "penalties",
]

MIDDLEWARE = [
    # First, so that a NUL character in an address, header or form is refused before anything reads it.
    "core.middleware.RefuseNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.two_factor.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.RequestContextMiddleware",
    # Last, so that a locked-out login is refused before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
                "companies.context_processors.membership",
            ],
        },
    },
]

DATABASES = {"default": env_database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# A cache every web node shares (docs/DESIGN.md §8): API throttles count per key across the cluster.
# PostgreSQL by default (`manage.py createcachetable`); REDIS_URL switches to Redis.
_REDIS_URL = env_str("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_URL}
        if _REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}
    )
}

# Sessions live in PostgreSQL so any number of web nodes can serve a user (docs/DESIGN.md §8).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("PORTAL_TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("PORTAL_MEDIA_ROOT", default=str(BASE_DIR / ".data" / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="Takedown Compliance Portal <no-reply@portal.example>")
# The SMTP server, for the SMTP backend (production's default).
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PortalPagination",
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.PortalJSONParser"],
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Takedown Compliance Portal API",
    "VERSION": "1",
    "DESCRIPTION": (
        "The integration API for registered platforms: start a filing, upload a file or send items in "
        "batches of up to 1,000, check whether an item exists, submit, and read statuses and validation "
        "reports.\n\n"
        "**Signing in.** Send `Authorization: Api-Key <key>`. Your compliance officer creates keys on the "
        "portal's API keys page; a key is shown once, and only its hash is stored. **A request made with a key "
        "acts as the officer who created it**: it may do what that officer may do, including submitting, and "
        "stops working when the key is revoked or rotated or when that person is no longer an officer of the "
        "company. Signed-in members of a company may also use the API from the browser, limited by their "
        "role; the regulator's staff read everything and change nothing.\n\n"
        "**Errors.** 400: the request or its data is wrong (messages by field, or by item index for batches); "
        "401: no key, or the key does not work (the message says why); 403: your role may not do this; "
        "404: no such object, or it belongs to another company; 413: the file is over the size limit; "
        "429: too many requests for this key (see Retry-After)."
    ),
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "FilingStatusEnum": "companies.models.FilingStatus",
        "UploadStatusEnum": "companies.models.UploadStatus",
        "UploadFormatEnum": "companies.models.FilingUpload.Format",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Requests per API key (or per signed-in user), counted in the default cache: "600/min", "20/s", "10000/h".
PORTAL_API_RATE = env_str("PORTAL_API_RATE", default="600/min")

# django-axes: lock an account and address after repeated failed logins.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Load balancers in front of the portal; their X-Forwarded-For gives the client's address
# for the audit log and for lockouts (0: clients connect directly).
PORTAL_TRUSTED_PROXIES = env_int("PORTAL_TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"

# The portal's own knobs.
PORTAL_NAME = "Takedown Compliance Portal"
# The regulator's staff give a code from an authenticator app after their password (core/two_factor.py).
PORTAL_STAFF_TOTP_REQUIRED = env_bool("PORTAL_STAFF_TOTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = PORTAL_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a staff member's secret key or its QR code
PORTAL_REGULATOR_NAME = env_str("PORTAL_REGULATOR_NAME", default="Online Safety Regulator")
PORTAL_FIRST_PERIOD = env_str("PORTAL_FIRST_PERIOD", default="2025-Q1")
PORTAL_FILING_DUE_DAYS = env_int("PORTAL_FILING_DUE_DAYS", default=30)
PORTAL_INVITATION_DAYS = env_int("PORTAL_INVITATION_DAYS", default=7)
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
}
PORTAL_UPLOAD_MAX_BYTES = env_int("PORTAL_UPLOAD_MAX_BYTES", default=1024 * 1024 * 1024)
# The largest JSON or form body read into memory (files are streamed to disk instead): a batch of 1,000 items
# is about 0.6 MB, so 8 MiB leaves room; a larger JSON body is refused with 413 before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("PORTAL_MAX_BODY_BYTES", default=8 * 1024 * 1024)
# Uploads larger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A queued upload no worker has started for this long is given up. (A validating upload whose worker died is
# failed at once: its lock is free, docs/DECISIONS.md §14.)
PORTAL_UPLOAD_STALE_MINUTES = env_int("PORTAL_UPLOAD_STALE_MINUTES", default=60)
# A queued upload waiting this long says so on its page: "Waiting for a worker".
PORTAL_UPLOAD_WAIT_NOTE_SECONDS = env_int("PORTAL_UPLOAD_WAIT_NOTE_SECONDS", default=60)
# Memory for the sorts of one scoring query (SET LOCAL inside its transaction).
PORTAL_SCORING_WORK_MEM = env_str("PORTAL_SCORING_WORK_MEM", default="256MB")
