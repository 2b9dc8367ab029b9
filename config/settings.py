"""zhiben settings: one file, every deployment choice read from the environment.

Embedded default (no variables set): SQLite under var/, a generated secret key, DEBUG off.
Production: DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, ZHIBEN_SECURE=1 (HTTPS cookies and headers), REDIS_URL.
See docs/deployment.md.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from config.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("ZHIBEN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, or one generated once into var/ for the embedded mode."""
    key = envstr("SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _vault_keys() -> list[str]:
    """Keys of the identity vault (zhiben/core/vault.py), newest first: ZHIBEN_VAULT_KEYS (comma-separated Fernet
    keys), or one generated once into var/ for the embedded mode. Rotation: docs/operations.md."""
    keys = envlist("ZHIBEN_VAULT_KEYS", [])
    if keys:
        return keys
    path = VAR_DIR / "vault_keys"
    if not path.exists():
        import os

        from cryptography.fernet import Fernet

        try:  # created readable by its owner only, never briefly by everyone; a concurrent first start loses
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(Fernet.generate_key().decode() + "\n")
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


VAULT_KEYS_FROM_ENV = bool(envlist("ZHIBEN_VAULT_KEYS", []))
VAULT_KEYS = _vault_keys()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_ratelimit",
    "captcha",
    "zhiben.core",
    "zhiben.accounts",
    "zhiben.registry",
    "zhiben.standards",
    "zhiben.demo",
    "zhiben.notifications",
    "zhiben.hazards",
    "zhiben.reports",
    "zhiben.people",
    "zhiben.documents",
    "zhiben.dashboard",
]

MIDDLEWARE = [
    "zhiben.core.middleware.PublicBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "zhiben.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------
# SQLite in WAL mode with IMMEDIATE transactions and a busy timeout, so concurrent writers wait instead of
# failing with "database is locked"; PostgreSQL when DATABASE_URL says so.
DATABASE_URL = envstr("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "zhiben.sqlite3",
            # Keep each thread's connection, as for PostgreSQL: opening one per request re-ran the PRAGMAs and,
            # when the last connection closed, checkpointed the WAL to disk each time (docs/performance.md,
            # "Framework overhead": 20+ ms of a 2-lookup API read on the embedded default).
            "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", 60),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and login policy (等保 2.0 practice) -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_MIN_LENGTH = envint("PASSWORD_MIN_LENGTH", 8)
PASSWORD_MIN_CLASSES = envint("PASSWORD_MIN_CLASSES", 3)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "zhiben.accounts.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CLASSES},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: the session expires after 30 minutes without a request.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lockout after 5 consecutive failures for a username; an administrator unlocks (axes_reset) or it cools off.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# Lockout is per account, as 等保 2.0 asks. Locking by IP address too would lock a whole bureau out behind the
# county intranet's NAT; nginx rate-limits by address instead (docs/decisions/0003-login-lockout.md).
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # The state-interval indexes INCLUDE extra columns so PostgreSQL answers the dashboard from the index alone
    # (docs/performance.md); SQLite, the embedded default, ignores INCLUDE, which only costs it speed.
    "models.W040",
]

# --- Internationalisation --------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and uploaded files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end libraries come from npm at install time (no CDN on government intranets): see config/assets.py;
# `manage.py vendor_assets` copies the files into var/vendor/.
VENDOR_DIR = VAR_DIR / "vendor"
VENDOR_DIR.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS.append(("vendor", VENDOR_DIR))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Evidence and imports live outside the web root and are served only through permission checks.
MEDIA_ROOT = Path(envstr("ZHIBEN_MEDIA_ROOT", str(VAR_DIR / "uploads")))
MEDIA_URL = "/files/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# Excel imports (registry/excel/): rows per file, and how a job runs: "thread" beside the web process (the
# embedded default; a periodic job restarts anything left pending) or "inline" (tests, management commands).
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 5_000)
REGISTRY_IMPORT_RUNNER = envstr("REGISTRY_IMPORT_RUNNER", "thread")

# --- API -------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: DRF answers an unauthenticated request with the first class's challenge, and only a
    # `WWW-Authenticate: Token` challenge makes it a 401 (API.md) instead of a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "zhiben.core.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "zhiben.core.schema.AutoSchema",  # documents every error status
    "EXCEPTION_HANDLER": "zhiben.core.errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")
SPECTACULAR_SETTINGS = {
    "TITLE": "zhiben 治本 API",
    "DESCRIPTION": "建筑工地安全生产治本攻坚三年行动 — HTTP API (see docs/api.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("kind", "status") get stable component names of their own.
    "ENUM_NAME_OVERRIDES": {
        "ProjectKindEnum": "zhiben.registry.models.Project.Kind",
        "ProjectStatusEnum": "zhiben.registry.models.ProjectStatus",
        "EmploymentKindEnum": "zhiben.registry.models.Employment.Kind",
        "CertificateKindEnum": "zhiben.registry.models.CertificateKind",
        "DangerousWorkStatusEnum": "zhiben.registry.models.DangerousWork.Status",
        "ExpiryStatusEnum": "zhiben.registry.api.serializers.EXPIRY_STATUSES",
        "StandardKindEnum": "zhiben.standards.models.Standard.Kind",
        "StandardStatusEnum": "zhiben.standards.models.Standard.Status",
        "HazardStatusEnum": "zhiben.hazards.states.Status",
        "HazardLevelEnum": "zhiben.hazards.states.Level",
        "HazardChannelEnum": "zhiben.hazards.states.Channel",
        "RegionLevelEnum": "zhiben.registry.models.Region.Level",
        "ReportStatusEnum": "zhiben.reports.states.Status",
        "ReportOutcomeEnum": "zhiben.reports.states.Outcome",
        "RewardStatusEnum": "zhiben.reports.states.RewardStatus",
    },
}

# --- Security --------------------------------------------------------------------------------------------
# ZHIBEN_SECURE=1 behind HTTPS (nginx terminates TLS and sets X-Forwarded-Proto).
SECURE = envbool("ZHIBEN_SECURE", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and envbool("ZHIBEN_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 31536000) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Jobs, cache and outbound messages -------------------------------------------------------------------
REDIS_URL = envstr("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TIMEZONE = TIME_ZONE
CACHES = (
    {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    if REDIS_URL
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)

NOTIFICATION_BACKENDS = envlist("NOTIFICATION_BACKENDS", ["zhiben.notifications.backends.OutboxBackend"])

# --- Hazard ledger ---------------------------------------------------------------------------------------
# Days after the deadline at which an overdue major hazard is escalated to level 2 (city) and 3 (province);
# level 1 (county 挂牌督办) is reached on the first day past the deadline.
HAZARD_ESCALATION_DAYS = {2: envint("HAZARD_ESCALATE_CITY_DAYS", 30), 3: envint("HAZARD_ESCALATE_PROVINCE_DAYS", 60)}
# Hours after notification without acknowledgement before the principal is reminded.
HAZARD_ACK_REMINDER_HOURS = envint("HAZARD_ACK_REMINDER_HOURS", 24)
# Default rectification period when none is given: major hazards 15 days, general 7.
HAZARD_DEFAULT_DAYS = {"major": envint("HAZARD_MAJOR_DAYS", 15), "general": envint("HAZARD_GENERAL_DAYS", 7)}
RECTIFICATION_NOTICE_PREFIX = envstr("RECTIFICATION_NOTICE_PREFIX", "交住建安改")
# The issuing authority on notices: one name for the whole deployment, or per county code (the default names the
# bureau of the seed document); counties not listed get "<county>住房和城乡建设局".
RECTIFICATION_NOTICE_ISSUER = envstr("RECTIFICATION_NOTICE_ISSUER", "")
REGION_AUTHORITY_NAMES = {141122: "交城县住房和城乡建设管理局"}
# Campaign target 2 (increment contained in 2025): the share of due major hazards closed within their deadline.
CAMPAIGN_ON_TIME_TARGET = float(envstr("CAMPAIGN_ON_TIME_TARGET", "0.9"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Public reports (zhiben/reports) ----------------------------------------------------------------------------
# Days a regulator has to verify a report; the county a report belongs to when the reporter names no project
# or enterprise and picks no county (a county deployment sets its own division code; empty: the reporter picks).
REPORT_VERIFY_DAYS = envint("REPORT_VERIFY_DAYS", 15)
PUBLIC_REPORT_REGION = envstr("PUBLIC_REPORT_REGION", "")
# Rate limits of the public portal and API per client address (django-ratelimit syntax: count/period).
REPORT_SUBMIT_RATE = envstr("REPORT_SUBMIT_RATE", "10/h")
REPORT_TRACK_RATE = envstr("REPORT_TRACK_RATE", "120/h")
REPORT_TRACK_FAILURE_RATE = envstr("REPORT_TRACK_FAILURE_RATE", "10/h")
REPORT_PROJECT_SEARCH_RATE = envstr("REPORT_PROJECT_SEARCH_RATE", "300/h")
# The login-free endpoints refuse larger bodies before reading them (5 photos of 10 MB and the form).
PUBLIC_BODY_MAX_BYTES = envint("PUBLIC_BODY_MAX_BYTES", 52 * 1024 * 1024)
PUBLIC_BODY_LIMITED_PATHS = ["/public/", "/api/v1/public/"]
# Behind a reverse proxy: the header that carries the client's address, honoured only from these peers.
CLIENT_IP_HEADER = envstr("CLIENT_IP_HEADER", "")
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", [])
RATELIMIT_USE_CACHE = "default"
RATELIMIT_ENABLE = envbool("RATELIMIT_ENABLE", True)
# django-ratelimit lists only django-redis among Redis caches; Django's own RedisCache increments atomically too.
SILENCED_SYSTEM_CHECKS.append("django_ratelimit.W001")
if not REDIS_URL:
    # Embedded mode: the rate-limit counters live in each web worker's memory (two workers by default), so a
    # client gets at most twice the configured rate there; at scale REDIS_URL gives one shared count.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
