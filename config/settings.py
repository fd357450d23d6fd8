"""Plenary's settings: everything comes from the environment.

The defaults make a laptop work with no configuration at all (DEBUG on, SQLite,
Celery tasks run inline, emails printed to the console). Setting ``DEBUG=0``
switches every production default on; each can then be relaxed by its own
variable (see README, "Configuration").
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# Only the real environment counts: a .env file is for docker compose, and
# reading it here would let a compose file switch off DEBUG for `make run`.
env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET_KEY = "plenary-insecure-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
# Django's deploy check (security.W009) only warns, and only under
# `check --deploy`; a weak key signs sessions, login codes and password
# resets, so production refuses to start with one. The key is never printed.
if not DEBUG and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
    or SECRET_KEY == _DEV_SECRET_KEY
    or "change-me" in SECRET_KEY
):
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak for DEBUG=0 ({len(SECRET_KEY)} characters): use at least 50 "
        "random characters with at least 5 different ones, not a development or placeholder key. "
        "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

# How many reverse proxies of ours sit in front of Django, each appending to
# X-Forwarded-For. Rate limits (login, API) key on the client's IP: 0 means
# REMOTE_ADDR, and a header the client wrote is never believed.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "config.apps.PlenaryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "csp",
    "accounts",
    "assemblies",
    "notifications",
    "lottery",
    "deliberation",
    "recommendations",
    "advocacy",
    "reports",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.DropNullCharactersMiddleware",
    "config.middleware.JSONErrorsForAPIMiddleware",
    "config.middleware.FriendlyNotFoundMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors' public pages, served before sessions, CSRF and messages.
    "config.middleware.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.RequireOrganiserMFAMiddleware",
    "accounts.middleware.EmailManagementClosedMiddleware",
    "accounts.middleware.LoginRateLimitStatusMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool: a few warm connections per process instead of a new
    # connection per request. Incompatible with CONN_MAX_AGE, which stays 0.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if env.bool("DATABASE_POOL", default=True):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN", default=1),
            "max_size": env.int("DATABASE_POOL_MAX", default=10),
            "timeout": 10,
        }
    # Parameters bound by the server, and a query run twice on a connection
    # prepared there: PostgreSQL then skips parsing and planning it (a third
    # of the database's time on the public pages). Off behind a pooler that
    # shares connections between transactions (PgBouncer's transaction mode).
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Cache, Celery and Redis ----------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# "public": the public pages' copies and their version numbers (config.public_cache).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
        "public": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "plenary-public",
        },
    }
else:
    # Local memory is per process: one process (runserver) sees its own
    # bumps, several (gunicorn workers) would not, so production sets REDIS_URL.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "public": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "plenary-public",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
# Public pages are cached for anonymous visitors (PLENARY_PUBLIC_CACHE=0 turns
# it off), for at most this many seconds after they were rendered. Without
# Redis the copies would be per process, and a gunicorn worker that did not
# see a publish would keep serving the old page: so with DEBUG off the cache
# is on only with REDIS_URL (the development server is one process).
PLENARY_PUBLIC_CACHE = env.bool("PLENARY_PUBLIC_CACHE", default=bool(REDIS_URL) or DEBUG)
PLENARY_PUBLIC_CACHE_SECONDS = env.int("PLENARY_PUBLIC_CACHE_SECONDS", default=300)
# What public pages derive at some cost (assemblies.fragments.fragment), kept
# under the same versions: on with the page cache unless set (same caveat).
PLENARY_FRAGMENT_CACHE = env.bool("PLENARY_FRAGMENT_CACHE", default=None)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker every task runs inline, in the request, so that the laptop
# demo works with nothing but Python.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = "default"
# Selection runs can take minutes of CPU: their own queue, so that emails and
# letters never wait behind them.
CELERY_TASK_ROUTES = {"lottery.selection.tasks.*": {"queue": "selection"}}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-outbox-messages": {
        "task": "notifications.tasks.requeue_stuck_messages",
        "schedule": 60.0,
    },
    # Jobs whose worker died, or whose publish was lost, are published again.
    "requeue-stale-jobs": {
        "task": "jobs.tasks.requeue_stale_jobs",
        "schedule": 60.0,
    },
    # Respondents who were not selected are erased once the panel has been
    # final for the assembly's retention period.
    "erase-expired-respondents": {
        "task": "lottery.registration.tasks.erase_expired_respondents",
        "schedule": 3600.0,
    },
    # Members' reminders a week and a day before each session (each sent once).
    "send-session-reminders": {
        "task": "deliberation.sessions.tasks.send_session_reminders",
        "schedule": 900.0,
    },
    # Ballots open and close at the times organisers set.
    "open-and-close-ballots": {
        "task": "recommendations.ballots.tasks.open_and_close_ballots",
        "schedule": 60.0,
    },
    # New comments on drafts reach each working group as one digest email per person.
    "recommendations-comment-digest": {
        "task": "recommendations.drafting.tasks.send_comment_digests",
        "schedule": 3600.0,
    },
    # Organisers hear when an assembly's progress report is due (once per due date).
    "advocacy-progress-report-reminders": {
        "task": "advocacy.progress.tasks.remind_progress_reports",
        "schedule": 3600.0,
    },
    # Affiliates are asked what they did for the recommendations, once per period each.
    "advocacy-affiliate-reminders": {
        "task": "advocacy.people.tasks.remind_affiliates",
        "schedule": 86400.0,
    },
    # Organisers are reminded of each overdue institutional response, once per response and week.
    "advocacy-overdue-responses": {
        "task": "advocacy.tracking.tasks.remind_overdue_responses",
        "schedule": 3600.0,
    },
}

# --- Email ----------------------------------------------------------------
# The laptop demo reads its emails in the demo mailbox (/dev/mailbox/), so by
# default they are not also printed raw on the console (`make run` showed
# thousands of lines of email before the logins); without the mailbox they are.
_DEMO_MAILBOX_DEFAULT = DEBUG and env.bool("PLENARY_DEMO_MAILBOX", default=True)
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="dummymail://" if _DEMO_MAILBOX_DEFAULT else "consolemail://"
)
vars().update(EMAIL_CONFIG)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=EMAIL_CONFIG["EMAIL_BACKEND"])
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Plenary <noreply@plenary.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ANYMAIL = env.dict("ANYMAIL", default={})
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_STUCK_AFTER_SECONDS = env.int("OUTBOX_STUCK_AFTER_SECONDS", default=300)
OUTBOX_QUEUED_GRACE_SECONDS = env.int("OUTBOX_QUEUED_GRACE_SECONDS", default=60)

# --- Accounts (allauth) ---------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:after-login"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
# Addresses are managed by the organisers: roles are granted to an address, so
# nobody may add one to their own account (see accounts.forms and
# accounts.middleware.EmailManagementClosedMiddleware).
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
ACCOUNT_FORMS = {"add_email": "accounts.forms.ClosedAddEmailForm"}
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Plenary: "
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # The key is (client IP, account) (see AccountAdapter), so a stranger's
    # wrong passwords never lock the real organiser out; the per-IP limit
    # stops one client guessing across many accounts. 429 once hit.
    "login_failed": "30/10m/ip,5/5m/key",
    "request_login_code": "20/m/ip,3/m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Plenary"
# Organisers and staff must have TOTP in production; the laptop demo leaves it
# optional so a newcomer can log in with the printed credentials.
PLENARY_REQUIRE_ORGANISER_MFA = env.bool("PLENARY_REQUIRE_ORGANISER_MFA", default=not DEBUG)

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a request without credentials gets 401 with a
        # WWW-Authenticate header rather than a bare 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.api_conventions.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api_conventions.exception_handler",
    # Counted in the default cache: Redis when REDIS_URL is set, so every
    # worker shares the count. The rates are read per request from the two
    # settings below (the classes ignore DEFAULT_THROTTLE_RATES).
    "DEFAULT_THROTTLE_CLASSES": [
        "config.api_conventions.AnonThrottle",
        "config.api_conventions.UserThrottle",
    ],
    # Client IP from REMOTE_ADDR, or from X-Forwarded-For as written by our own
    # proxies only: never from a header the client chose.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
PLENARY_API_ANON_RATE = env.str("PLENARY_API_ANON_RATE", default="120/min")
PLENARY_API_USER_RATE = env.str("PLENARY_API_USER_RATE", default="600/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Plenary API",
    "DESCRIPTION": "Public data of published citizens' assemblies, and organisers' endpoints.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "assemblies.models.Stage",
        # Two fields named "kind": the assembly's keeps its name, the agenda item's gets its own.
        "KindEnum": "assemblies.models.AssemblyKind",
        "AgendaKindEnum": "deliberation.models.AgendaKind",
        # A session's status appears in its list and (with the licence) its detail component.
        "SessionStatusEnum": "deliberation.models.SessionStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api_conventions.document_throttling",
    ],
}

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# The largest evidence file organisers may upload (deliberation.evidence), in MB.
EVIDENCE_MAX_MB = env.int("EVIDENCE_MAX_MB", default=20)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security -------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Plenary ----------------------------------------------------------------
PLENARY_DEMO_MAILBOX = _DEMO_MAILBOX_DEFAULT
PLENARY_DEBUG_404 = env.bool("PLENARY_DEBUG_404", default=False)
# Seconds a selection run may compute after its first level (maximin), which
# always completes. Inline (no Redis) the run blocks the organiser's request,
# so the laptop demo stops sooner, with a valid result marked incomplete.
SELECTION_TIME_LIMIT = env.int("SELECTION_TIME_LIMIT", default=60 if CELERY_TASK_ALWAYS_EAGER else 300)
PLENARY_REGISTRATION_CODE_RATE_LIMIT = env.int("PLENARY_REGISTRATION_CODE_RATE_LIMIT", default=20)
