"""tinhgon settings: every value comes from the environment, with defaults that are safe for development.

Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see docs/deploy.md and .env.example).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)


def development_secret_key(path: Path) -> str:
    """A random key made on the first start in development and kept in var/ (gitignored), so that sessions survive
    restarts. Written aside and linked into place, which never overwrites: two processes starting together (the
    runserver reloader and its child) end up with the same key."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


# No default key anywhere: production must set its own; development makes one (tests: settings_test.py).
SECRET_KEY = env.str("SECRET_KEY", default="") or (development_secret_key(VAR_DIR / "secret_key") if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. With DEBUG=false it must come from the environment or .env, e.g. the output of "
        'python -c "import secrets; print(secrets.token_urlsafe(50))" (docs/deploy.md).'
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = env.str("SITE_NAME", default="tinhgon")

INSTALLED_APPS = [
    "tinhgon.accounts.adminsite.AdminConfig",  # django.contrib.admin, asking superusers with a device for a code
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "tinhgon.core",
    "tinhgon.organisations",
    "tinhgon.accounts",
    "tinhgon.audit",
    "tinhgon.procedures",
    "tinhgon.portal",
    "tinhgon.reviews",
    "tinhgon.plans",
    "tinhgon.reports",
    "tinhgon.quality",
    "tinhgon.notifications",
    "tinhgon.api",
    "tinhgon.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # ETags and 304s for what may be cached (core/security.py decides which answers those are).
    "django.middleware.http.ConditionalGetMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tinhgon.core.security.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Before anything reads the database for the request (the session and the user are read lazily, later).
    "tinhgon.core.replica.ReplicaReads",
    "tinhgon.accounts.middleware.ActingMembershipMiddleware",
    "tinhgon.accounts.middleware.RequireTwoFactorMiddleware",
    # After the user and their policy are known, so that its 400 page is the site's (core/middleware.py).
    "tinhgon.core.middleware.RefuseHostileInput",
    "tinhgon.audit.middleware.AuditContextMiddleware",
    # Last, so that a locked-out login is answered after the request is fully set up.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tinhgon.urls"
WSGI_APPLICATION = "tinhgon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tinhgon" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tinhgon.accounts.context_processors.acting",
                "tinhgon.notifications.context_processors.unread",
            ],
        },
    },
]

# Database: the embedded SQLite file under var/ unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tinhgon.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the background worker and the web process use the file at the same time. Each request opens a new
    # connection, whose page cache starts empty: memory-mapped reads (256 MiB) let it read the file from the OS's
    # cache without a copy, and a 32 MiB page cache keeps a search's row lookups in memory (bench/README.md, Search).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA mmap_size=268435456; PRAGMA cache_size=-32768;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL compiles a query to machine code when its estimated cost passes jit_above_cost. The visibility
    # rules' ORed subqueries are estimated at millions for the nation, so its lists paid about a second of
    # compilation for a fifth of a second of work (docs/decisions/0011-postgresql-jit-off.md). POSTGRES_JIT=true
    # leaves the server's own setting.
    if not env.bool("POSTGRES_JIT", default=False):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
# A PostgreSQL streaming replica for reads that may lag (core/replica.py, docs/deploy.md): the portal, the public
# API, the dashboard and exports read from it unless the visitor has just written something.
if env.str("REPLICA_DATABASE_URL", default=""):
    DATABASES["replica"] = {**DATABASES["default"], **env.db("REPLICA_DATABASE_URL"), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["tinhgon.core.replica.ReplicaRouter"]
TINHGON_REPLICA_PATHS = env.list(
    "TINHGON_REPLICA_PATHS",
    default=["/cong-khai/", "/api/v1/public/", "/bao-cao/bang-dieu-khien/", "/thu-tuc/xuat-excel"],
)
TINHGON_REPLICA_STICKY_SECONDS = env.int("TINHGON_REPLICA_STICKY_SECONDS", default=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# A password reset link works for this many seconds (default one hour) and only once.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)

# Two-factor authentication (django-otp, TOTP apps): optional for everyone, required for these roles
# (accounts.models.Role values, e.g. "admin,agency_leader"), who are sent to enrol after signing in.
TINHGON_REQUIRE_2FA_ROLES = [role.strip() for role in env.list("TINHGON_REQUIRE_2FA_ROLES", default=[])]
OTP_TOTP_ISSUER = SITE_NAME  # the account's name in the authenticator app
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # a superuser deletes a lost device in the admin, never reads its secret

# Sessions expire after a working day of inactivity, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Login throttling (django-axes): lock a username+IP pair after AXES_FAILURE_LIMIT failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "tinhgon.accounts.views.locked_out"
# The address is the client's, not the proxy's: the same one the audit trail records (core/proxies.py).
AXES_CLIENT_IP_CALLABLE = "tinhgon.core.proxies.client_ip"
# Never stored with a failed attempt: the one-time code of the second login step (passwords never are).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["tinhgon.formats"]
LOCALE_PATHS = [BASE_DIR / "tinhgon" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "tinhgon" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Largest uploaded file accepted by the upload checks, in MB (nginx's client_max_body_size must be a little more).
TINHGON_MAX_UPLOAD_MB = env.int("TINHGON_MAX_UPLOAD_MB", default=20)
# Most rows an imported worksheet may have (blank ones included), counted before the workbook is read.
TINHGON_IMPORT_MAX_ROWS = env.int("TINHGON_IMPORT_MAX_ROWS", default=20_000)
# How every share (tỷ lệ %) is rounded to two decimals: "half_up" (default), "half_even" or "down"
# (tinhgon/core/formatting.share; stated under the shares on the pages and in the documents).
TINHGON_SHARE_ROUNDING = env.str("TINHGON_SHARE_ROUNDING", default="half_up")
# The to-do list shows the assignments due within this many days (and every overdue one).
# The public portal and public API, answered to anonymous visitors as shareable: browsers revalidate with the ETag
# every time, a shared cache (nginx) may keep an answer TINHGON_PUBLIC_MAX_AGE seconds (core/security.py).
TINHGON_PUBLIC_PATHS = ["/cong-khai/", "/api/v1/public/"]
TINHGON_PUBLIC_MAX_AGE = env.int("TINHGON_PUBLIC_MAX_AGE", default=60)
TINHGON_INBOX_DUE_DAYS = env.int("TINHGON_INBOX_DUE_DAYS", default=7)
# Who sends private files: "django" streams them itself, "nginx" answers with X-Accel-Redirect (docs/deploy.md).
TINHGON_FILE_SENDER = env.str("TINHGON_FILE_SENDER", default="django")
# The internal nginx location that maps to MEDIA_ROOT when TINHGON_FILE_SENDER is "nginx".
TINHGON_ACCEL_PREFIX = env.str("TINHGON_ACCEL_PREFIX", default="/_private/")
# Uploaded files above 2.5 MB go to a temporary file instead of memory; other request bodies (forms, JSON) are
# refused above 5 MB, which no form or API request needs: a bound on what one request makes the server hold.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Files in an S3-compatible object store instead of MEDIA_ROOT (tinhgon/core/object_storage.py, docs/deploy.md).
if env.str("S3_ENDPOINT", default=""):
    from tinhgon.core.object_storage import BACKEND, s3_settings

    STORAGES["default"] = {"BACKEND": BACKEND}
    globals().update(
        s3_settings(
            endpoint=env.str("S3_ENDPOINT"),
            access_key=env.str("S3_ACCESS_KEY"),
            secret_key=env.str("S3_SECRET_KEY"),
            bucket=env.str("S3_BUCKET", default="tinhgon"),
            use_https=env.bool("S3_USE_HTTPS", default=True),
            region=env.str("S3_REGION", default=""),
        )
    )
WHITENOISE_USE_FINDERS = DEBUG
# Several app servers share the cache through Redis (REDIS_URL); sessions are then read from it and written through
# to the database, so that a Redis restart signs nobody out. Without it: the database for sessions, no shared cache.
if env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("REDIS_URL"),
            "KEY_PREFIX": "tinhgon",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tinhgon <no-reply@localhost>")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "tinhgon.api.errors.exception_handler",
    "DATE_INPUT_FORMATS": ["iso-8601", "%d/%m/%Y"],
}
SPECTACULAR_SETTINGS = {
    # Every operation documents the refusals it can answer (400, 401, 403, 404, 409, 428), once for all.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "tinhgon.api.schema.document_refusals"],
    "TITLE": "tinhgon API",
    "DESCRIPTION": "API quản lý thủ tục hành chính nội bộ và cải cách hành chính.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from the installed sidecar package: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "tinhgon.organisations.models.Organisation.Kind",
        "RoleEnum": "tinhgon.accounts.models.Role",
        "ProcedureGroupEnum": "tinhgon.procedures.constants.Group",
        "ProcedureLevelEnum": "tinhgon.procedures.constants.Level",
        "ProcedureStatusEnum": "tinhgon.procedures.constants.Status",
        "ProposalActionEnum": "tinhgon.reviews.constants.Action",
        "CostScenarioEnum": "tinhgon.reviews.constants.Scenario",
        "ReviewStatusEnum": "tinhgon.reviews.constants.ReviewStatus",
        "ApprovalStatusEnum": "tinhgon.reviews.constants.ApprovalStatus",
    },
}

# Behind a reverse proxy in production (docs/deploy.md): the number of proxies in front of the app whose
# X-Forwarded-For entries are trusted (core/proxies.py); 0 uses the connection's address. Their
# X-Forwarded-Proto says whether the client used HTTPS; without a trusted proxy nobody may say so.
TINHGON_TRUSTED_PROXIES = env.int("TINHGON_TRUSTED_PROXIES", default=0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TINHGON_TRUSTED_PROXIES else None
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "tinhgon.accounts.views.csrf_failure"  # a refused form is in the audit trail, as every 403
# Only our own files, no inline script or event handler (static/js/behaviour.js does what they did); inline styles
# stay allowed because ECharts and some templates set style attributes. Files served by core.files have their own,
# stricter policy; core/security.py relaxes this one for the API documentation page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
