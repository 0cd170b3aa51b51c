"""The one settings module of csphub, read from environment variables through typed helpers.

``CSPHUB_ENVIRONMENT`` is ``development`` (default), ``test`` or ``production``. Production requires every secret
from the environment and turns on the transport-security settings; ``manage.py check --deploy`` is clean there.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from csphub.env import Env, ImproperlyConfigured
from csphub.maptiles import parse_map_tiles

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

ENVIRONMENT = env.choice("CSPHUB_ENVIRONMENT", "development", frozenset({"development", "test", "production"}))
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env.bool("CSPHUB_DEBUG", ENVIRONMENT == "development")

VAR_DIR = env.path("CSPHUB_VAR_DIR", BASE_DIR / "var")
# Small real open data shipped with the project (boundaries, postcodes...): see data/README.md.
REFERENCE_DATA_DIR = env.path("CSPHUB_REFERENCE_DATA_DIR", BASE_DIR / "data")
# The analytics store (DuckDB + Parquet) used by csphub.analytics.
DATA_DIR = env.path("CSPHUB_DATA_DIR", VAR_DIR / "data")

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
if PRODUCTION:
    SECRET_KEY = env.str("CSPHUB_SECRET_KEY", required=True)
else:
    SECRET_KEY = env.str("CSPHUB_SECRET_KEY", _DEV_SECRET_KEY)

# The audit log's keys, kept outside the database (docs/access-and-audit.md): the chain's HMAC key, and the key
# that signs the checkpoints written outside the database (derived from the chain key unless set on its own).
# Production requires the chain key; elsewhere one is derived from the secret key so that tests and the demo run.
_AUDIT_KEY_MIN_LENGTH = 32
if PRODUCTION:
    CSPHUB_AUDIT_KEY = env.str("CSPHUB_AUDIT_KEY", required=True)
    if CSPHUB_AUDIT_KEY == SECRET_KEY:
        raise ImproperlyConfigured("CSPHUB_AUDIT_KEY must not be the same as CSPHUB_SECRET_KEY")
else:
    CSPHUB_AUDIT_KEY = env.str(
        "CSPHUB_AUDIT_KEY", hashlib.sha256(f"csphub audit key, not for production: {SECRET_KEY}".encode()).hexdigest()
    )
CSPHUB_AUDIT_CHECKPOINT_KEY = env.optional_str("CSPHUB_AUDIT_CHECKPOINT_KEY")
_AUDIT_KEYS = {"CSPHUB_AUDIT_KEY": CSPHUB_AUDIT_KEY, "CSPHUB_AUDIT_CHECKPOINT_KEY": CSPHUB_AUDIT_CHECKPOINT_KEY}
for _name, _key in _AUDIT_KEYS.items():
    if _key is not None and len(_key) < _AUDIT_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"{_name} must be at least {_AUDIT_KEY_MIN_LENGTH} characters long, got {len(_key)} "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
# Tests never read the checkout's checkpoints (they belong to its demo database): theirs are in a temporary place.
CSPHUB_AUDIT_CHECKPOINT_DIR = env.path(
    "CSPHUB_AUDIT_CHECKPOINT_DIR",
    VAR_DIR / "audit-checkpoints"
    if ENVIRONMENT != "test"
    else Path(tempfile.gettempdir()) / f"csphub-test-audit-checkpoints-{os.getpid()}",
)

if PRODUCTION:
    ALLOWED_HOSTS = env.list("CSPHUB_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("CSPHUB_ALLOWED_HOSTS must list the host names csphub is served on")
else:
    ALLOWED_HOSTS = env.list("CSPHUB_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSPHUB_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "csphub.audit",
    "csphub.partnership",
    "csphub.access",
    "csphub.registers",
    "csphub.cases",
    "csphub.assessments",
    "csphub.linkage",
    "csphub.referrals",
    "csphub.intelligence",
    "csphub.insights",
    "csphub.meetings",
    "csphub.cuckooing",
    "csphub.nte",
    "csphub.pubwatch",
    "csphub.purpleflag",
    "csphub.accounts",
    "csphub.web",
    "csphub.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "csphub.web.middleware.BadInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "csphub.accounts.middleware.IdleTimeoutMiddleware",
    "csphub.accounts.middleware.RequireSecondFactorMiddleware",
    "csphub.accounts.middleware.NoStoreMiddleware",
    "csphub.audit.middleware.AuditContextMiddleware",
    "csphub.access.middleware.AccessDecisionMiddleware",
]

ROOT_URLCONF = "csphub.urls"
WSGI_APPLICATION = "csphub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csphub.web.context_processors.service",
            ],
            # The GOV.UK filters (dates and times, articles) in every template, without a {% load %}.
            "builtins": ["csphub.ui.templatetags.govuk"],
        },
    },
]

FORM_RENDERER = "csphub.ui.forms.GovukRenderer"

_DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'csphub.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env.str("DATABASE_URL", _DEFAULT_DATABASE_URL),
        conn_max_age=env.int("CSPHUB_DB_CONN_MAX_AGE", 60, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Writers queue instead of failing with "database is locked"; WAL lets readers run beside a writer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles plans it estimates as costly: on csphub's short OLTP queries (the access-policy
    # filters) the compilation takes longer than the query. Off unless asked for.
    if not env.bool("CSPHUB_DB_JIT", False):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
else:
    raise ImproperlyConfigured("DATABASE_URL must point to SQLite or PostgreSQL")
# Check a persistent connection still works before a request reuses it (after a database restart or failover).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CSPHUB_DB_HEALTH_CHECKS", True)

# Per-process cache of rendered fragments (the case list's filter panel, ~7 KB per distinct filter selection).
# Django's default keeps 300 entries and then drops a third of them: fewer than the selections of a busy list.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "partnership.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENVIRONMENT == "test":
    # Fast hashing keeps the suite quick; never used outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Password reset links (an administrator sends one; they never set another agency's passwords): printed to the
# console outside production; production sends them through Django's SMTP settings (EMAIL_HOST…).
if not PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Sessions: an idle session ends after CSPHUB_IDLE_TIMEOUT_MINUTES without a request.
SESSION_COOKIE_AGE = env.int("CSPHUB_IDLE_TIMEOUT_MINUTES", 30, minimum=1, maximum=24 * 60) * 60
# The session's expiry is pushed back by IdleTimeoutMiddleware (csphub.accounts), which saves the session at most
# every CSPHUB_SESSION_TOUCH_SECONDS instead of on every request: an idle session then ends between
# (idle timeout - touch interval) and the idle timeout after the last request, never later.
SESSION_SAVE_EVERY_REQUEST = False
# Default 60 s, or half the idle timeout when that is shorter (a 1-minute timeout works without a second setting).
CSPHUB_SESSION_TOUCH_SECONDS = env.int("CSPHUB_SESSION_TOUCH_SECONDS", min(60, SESSION_COOKIE_AGE // 2), minimum=0)
if CSPHUB_SESSION_TOUCH_SECONDS * 2 > SESSION_COOKIE_AGE:
    raise ImproperlyConfigured(
        f"CSPHUB_SESSION_TOUCH_SECONDS must be at most half the idle timeout ({SESSION_COOKIE_AGE // 2} s), "
        f"got {CSPHUB_SESSION_TOUCH_SECONDS}"
    )
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Second factor (TOTP). Enforced unless switched off (the demo may switch it off).
CSPHUB_REQUIRE_2FA = env.bool("CSPHUB_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = env.str("CSPHUB_OTP_ISSUER", "csphub")

# --- Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env.int("CSPHUB_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("CSPHUB_LOCKOUT_MINUTES", 30, minimum=1))
# Lock a username at the address the failures come from (the pair), not the account everywhere: locking by username
# alone let anyone lock any officer out at will by typing wrong passwords for them from anywhere. Locking by address
# alone would lock out a whole office behind one NAT address. Each failure is a security event in the audit log.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLED = env.bool("CSPHUB_LOCKOUT_ENABLED", True)

# --- Secure headers and the Content-Security-Policy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("CSPHUB_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env.int("CSPHUB_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("CSPHUB_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env.bool("CSPHUB_BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The maps' tile source (csphub/maptiles.py): none (the shipped base map), osm:<https URL template> or os:<API key>.
CSPHUB_MAP_TILES = parse_map_tiles("CSPHUB_MAP_TILES", env.optional_str("CSPHUB_MAP_TILES"))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # The tile server's images only when one is set.
        "img-src": [SELF, "data:", *([CSPHUB_MAP_TILES.csp_source] if CSPHUB_MAP_TILES else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Uploaded case documents: never served directly (no MEDIA_URL route); only through a view that asks the policy.
MEDIA_ROOT = env.path("CSPHUB_MEDIA_DIR", VAR_DIR / "media")
# The largest document a form takes (the allowed types are in csphub.common.uploads, checked by every GOV.UK form).
CSPHUB_UPLOAD_MAX_MB = env.int("CSPHUB_UPLOAD_MAX_MB", 10, minimum=1, maximum=100)
# Uploads above 2.5 MB are streamed to a temporary file, not held in memory; a request's other fields may total
# 2.5 MB at most, in at most 1000 fields (Django's defaults, stated here so they are not loosened unawares).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_PERMISSIONS = 0o600
# Pubwatch ban photos: kept only for the ban, in a private directory that no URL serves (never under static or
# media paths); shown only through the access-checked photo view, and deleted when the ban ends (csphub.pubwatch).
# Tests keep theirs in a temporary place.
CSPHUB_PUBWATCH_PHOTO_DIR = env.path(
    "CSPHUB_PUBWATCH_PHOTO_DIR",
    VAR_DIR / "private" / "pubwatch-photos"
    if ENVIRONMENT != "test"
    else Path(tempfile.gettempdir()) / f"csphub-test-pubwatch-photos-{os.getpid()}",
)
# Ended Pubwatch bans (lapsed, revoked, lifted on appeal) are erased this many days after they end, leaving only a
# count per scheme, year and outcome (``csphub pubwatch expire``; the ICO finds indefinite retention "odd").
CSPHUB_PUBWATCH_RETENTION_DAYS = env.int("CSPHUB_PUBWATCH_RETENTION_DAYS", 365, minimum=1, maximum=3650)

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and ENVIRONMENT != "test"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- csphub's own settings.
CSPHUB_SERVICE_NAME = env.str("CSPHUB_SERVICE_NAME", "csphub")
CSPHUB_PARTNERSHIP_NAME = env.str("CSPHUB_PARTNERSHIP_NAME", "North Northamptonshire Community Safety Partnership")
# Break-glass: how long a granted access request lasts.
CSPHUB_ACCESS_GRANT_HOURS = env.int("CSPHUB_ACCESS_GRANT_HOURS", 24, minimum=1, maximum=24 * 14)
# Break-glass: a grant still unreviewed after this long is escalated (``csphub access escalate``) to the
# partnership's information governance lead (or, if it has none, its partnership managers).
CSPHUB_GRANT_REVIEW_HOURS = env.int("CSPHUB_GRANT_REVIEW_HOURS", 24, minimum=1, maximum=24 * 14)
# How long a justification given for a sensitive record covers further views of it.
CSPHUB_JUSTIFICATION_MINUTES = env.int("CSPHUB_JUSTIFICATION_MINUTES", 60, minimum=1, maximum=24 * 60)
# Refused attempts (404/403 to a signed-in user) logged one by one per user and minute; the rest are counted.
CSPHUB_REFUSAL_LOG_PER_MINUTE = env.int("CSPHUB_REFUSAL_LOG_PER_MINUTE", 10, minimum=1, maximum=1000)
# The analytics area (csphub.insights): partner counts from 1 to this number minus 1 are hidden (small-number
# suppression, csphub.analytics.suppression), except to the roles the access policy allows.
CSPHUB_SUPPRESSION_THRESHOLD = env.int("CSPHUB_SUPPRESSION_THRESHOLD", 5, minimum=1, maximum=100)
# The largest police.uk or partner file an analyst may upload into the analytics store (a police.uk month of every
# force is ~120 MB zipped).
CSPHUB_CRIME_UPLOAD_MAX_MB = env.int("CSPHUB_CRIME_UPLOAD_MAX_MB", 500, minimum=1, maximum=5000)
CSPHUB_SEARCH_LIMIT = env.int("CSPHUB_SEARCH_LIMIT", 50, minimum=1, maximum=500)
# The register merger: pairs scoring at or above the upper threshold merge automatically; between the thresholds
# they go to clerical review; below, they stay apart. Sources listed first are trusted first for displayed values.
CSPHUB_LINKAGE_UPPER = env.float("CSPHUB_LINKAGE_UPPER", 0.95, minimum=0.0, maximum=1.0)
CSPHUB_LINKAGE_LOWER = env.float("CSPHUB_LINKAGE_LOWER", 0.50, minimum=0.0, maximum=1.0)
if CSPHUB_LINKAGE_LOWER > CSPHUB_LINKAGE_UPPER:
    raise ImproperlyConfigured("CSPHUB_LINKAGE_LOWER must not be above CSPHUB_LINKAGE_UPPER")
CSPHUB_LINKAGE_TRUSTED_SOURCES = env.list("CSPHUB_LINKAGE_TRUSTED_SOURCES")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env.choice("CSPHUB_LOG_LEVEL", "INFO", frozenset({"DEBUG", "INFO", "WARNING", "ERROR"})),
    },
    "loggers": {"axes": {"level": "WARNING"}},
}
