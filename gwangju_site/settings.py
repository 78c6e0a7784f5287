"""Settings for Gwangju Newsroom, read from the environment.

Every variable is listed in README.md ("Configuration"). With DEBUG off the
process refuses to start without a real SECRET_KEY, ALLOWED_HOSTS and SITE_URL.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    return int(os.environ.get(name, default))


DEBUG = env_bool("DEBUG", False)

_INSECURE_KEY = "django-insecure-local-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY", _INSECURE_KEY if DEBUG else "")
# Old keys still accepted for signatures (sessions, password reset) while a new
# SECRET_KEY rolls out across the instances; README, "Operations".
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be set to a random value of 50+ characters when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def site_url(value):
    """The public origin, "https://host[:port]", with no path, query or trailing slash.

    Every absolute URL the site makes (canonical links, Open Graph, JSON-LD, feed,
    sitemap, robots.txt, the PDF) is built from it, never from the request's Host:
    behind a proxy that is an internal name, and the copies must agree.
    """
    parts = urlsplit(value.strip())
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
    ):
        raise ImproperlyConfigured(
            f"SITE_URL must be an absolute http(s) address without a path, e.g. https://english.gwangju.go.kr; "
            f"got {value!r}."
        )
    try:
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise ImproperlyConfigured(f"SITE_URL has an invalid port: {value!r}.") from None
    return f"{parts.scheme}://{parts.netloc}"


if "SITE_URL" not in os.environ and not DEBUG:
    raise ImproperlyConfigured("SITE_URL must be set when DEBUG is off, e.g. https://english.gwangju.go.kr.")
SITE_URL = site_url(os.environ.get("SITE_URL", "http://127.0.0.1:8000"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "axes",
    "csp",
    "django_prose_editor",
    "adminsortable2",
    "core",
    "projects",
    "policies",
    "news",
    "gwangju_site",
]

MIDDLEWARE = [
    # Request id (from nginx) for the logs, then metrics for every response, cached ones too.
    "core.logging.RequestIdMiddleware",
    "core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files come pre-compressed), before anything reading the body.
    "core.middleware.CompressTextMiddleware",
    "core.middleware.RejectNulInAdminQueryMiddleware",
    "gwangju_site.middleware.ServiceUnavailableMiddleware",
    # Anonymous readers' cached pages are answered here, before sessions, CSRF and the view.
    "core.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The admin's language (the staff member's choice, else the browser's); English elsewhere.
    "core.middleware.AdminLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gwangju_site.urls"
WSGI_APPLICATION = "gwangju_site.wsgi.application"

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
                "gwangju_site.context_processors.site",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the one writer work side by side; the timeout makes
    # concurrent counter updates wait rather than fail.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Public pages are cached for anonymous readers until content changes, and at
# most this long (the delay before a scheduled clip shows up in lists).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)
# Parts of public pages (the clip page's article, a list's rows) kept under the same rule
# (core.fragments); off only to measure the fully cold path (bench/).
FRAGMENT_CACHE = env_bool("FRAGMENT_CACHE", True)

# "Was this page helpful?" answers accepted per minute from one address (more get a 429).
FEEDBACK_MAX_PER_MINUTE = env_int("FEEDBACK_MAX_PER_MINUTE", 10)

# The city's Korean website, linked from every page's header (hreflang="ko").
KOREAN_SITE_URL = os.environ.get("KOREAN_SITE_URL", "https://www.gwangju.go.kr/")

REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds a Redis call may take before it counts as a failure (a cache miss, core.cache).
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.25"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# The public site is English only; the admin speaks Korean or English, per staff account
# (core.middleware.AdminLanguageMiddleware, core.i18n). The Korean catalogue is in locale/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
FORMAT_MODULE_PATH = "gwangju_site.formats"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

# Photos and attachments live outside any public URL: only views that check
# publication hand them out.
PROTECTED_MEDIA_ROOT = Path(os.environ.get("PROTECTED_MEDIA_ROOT", VAR_DIR / "protected"))
# Where generated PDFs of clip pages are cached.
PDF_CACHE_ROOT = Path(os.environ.get("PDF_CACHE_ROOT", VAR_DIR / "pdf-cache"))
# A page PDF renders in a process of its own (news/pdf_worker.py), stopped after this many seconds
# and past this much memory; one render per clip at a time, others wait this long for it. Render
# plus wait stay under GUNICORN_TIMEOUT and nginx's 60 s upstream timeout.
PDF_RENDER_SECONDS = env_int("PDF_RENDER_SECONDS", 30)
PDF_RENDER_MEMORY_MB = env_int("PDF_RENDER_MEMORY_MB", 1024)
PDF_LOCK_WAIT_SECONDS = env_int("PDF_LOCK_WAIT_SECONDS", 10)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "protected": {
        "BACKEND": "core.storage.ProtectedStorage",
        "OPTIONS": {"base_url": None},  # its location is PROTECTED_MEDIA_ROOT
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Downloads: "" (Django streams the file), "x-accel-redirect" (nginx) or
# "x-sendfile" (Apache, lighttpd). With nginx, PROTECTED_MEDIA_INTERNAL_URL is the
# internal location that maps to PROTECTED_MEDIA_ROOT.
DOWNLOAD_SENDFILE = os.environ.get("DOWNLOAD_SENDFILE", "").lower()
PROTECTED_MEDIA_INTERNAL_URL = os.environ.get("PROTECTED_MEDIA_INTERNAL_URL", "/_protected/")
if DOWNLOAD_SENDFILE not in {"", "x-accel-redirect", "x-sendfile"}:
    raise ImproperlyConfigured("DOWNLOAD_SENDFILE must be empty, 'x-accel-redirect' or 'x-sendfile'.")

# Document attachments (HWP/HWPX, Office, ODF) get a PDF for reading in the browser, made by
# `manage.py convert_attachments` in sandboxed processes (core/conversion.py, news/files/conversions.py):
# each within these limits, at most CONVERSION_CONCURRENCY at once per host, each failure retried
# until CONVERSION_MAX_ATTEMPTS. Slots, temporary folders and the unpacked fonts live in CONVERSION_WORK_DIR.
CONVERSION_WORK_DIR = Path(os.environ.get("CONVERSION_WORK_DIR", VAR_DIR / "conversions"))
CONVERSION_TIME_LIMIT = env_int("CONVERSION_TIME_LIMIT", 120)  # seconds
CONVERSION_MEMORY_LIMIT_MB = env_int("CONVERSION_MEMORY_LIMIT_MB", 1536)
CONVERSION_CONCURRENCY = env_int("CONVERSION_CONCURRENCY", 1)
CONVERSION_MAX_ATTEMPTS = env_int("CONVERSION_MAX_ATTEMPTS", 2)
CONVERSION_TEXT_LIMIT = env_int("CONVERSION_TEXT_LIMIT", 200_000)  # characters of text kept for search

# Upload limits, in bytes (per kind) and pixels.
UPLOAD_MAX_ATTACHMENT_BYTES = env_int("UPLOAD_MAX_ATTACHMENT_BYTES", 100 * 1024 * 1024)
UPLOAD_MAX_IMAGE_BYTES = env_int("UPLOAD_MAX_IMAGE_BYTES", 20 * 1024 * 1024)
UPLOAD_MAX_IMAGE_PIXELS = env_int("UPLOAD_MAX_IMAGE_PIXELS", 40_000_000)
UPLOAD_MAX_ARCHIVE_ENTRIES = env_int("UPLOAD_MAX_ARCHIVE_ENTRIES", 2_000)
UPLOAD_MAX_ARCHIVE_UNCOMPRESSED_BYTES = env_int("UPLOAD_MAX_ARCHIVE_UNCOMPRESSED_BYTES", 1024 * 1024 * 1024)
# Django's own request limits. DATA_UPLOAD_MAX_MEMORY_SIZE covers the non-file
# fields only; uploaded files above 2.5 MB spool to disk, and each is checked
# against the per-kind limits above. Cap the whole body at the proxy (README).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 2_000)
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 50)
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# E-mail (the review workflow's notifications, news/publishing/notifications.py). Without EMAIL_HOST
# nothing is sent: development prints each message to the console, production sends none (the admin's
# notices are still made). A mail server that is slow or gone holds an editor's click at most
# EMAIL_TIMEOUT seconds and never undoes it: the failure is logged.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_PORT = env_int("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "5"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Gwangju Newsroom <newsroom@localhost>")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS (STARTTLS, port 587) or EMAIL_USE_SSL (port 465), not both.")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

# The background link check (news/links/checks.py) refuses addresses on private networks unless told.
LINK_CHECK_PRIVATE_NETWORKS = env_bool("LINK_CHECK_PRIVATE_NETWORKS", False)

# Security headers, on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

if not DEBUG:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (see README).
    if env_bool("SECURE_PROXY_SSL_HEADER", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # Preload is a one-way door for the whole domain: an explicit opt-in, so its
    # absence is a decision, not a warning.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # The nonce is added only to responses that ask for one: admin forms with the rich-text
        # editor, whose modules load through an inline import map.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Admin login throttling: five failures lock the username+address pair for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
AXES_RESET_ON_SUCCESS = True
# Behind nginx (deploy/) REMOTE_ADDR is nginx itself; nginx puts the client's address,
# and only that, in X-Forwarded-For, and gunicorn listens on 127.0.0.1 only, so no
# client can set it. Without this every client would share nginx's address, and five
# bad passwords from anyone would lock a username out for everyone.
_PROXIES = PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
if _PROXIES:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    # django-ipware counts the proxies listed in the header, not the last one (REMOTE_ADDR).
    AXES_IPWARE_PROXY_COUNT = _PROXIES - 1

# The operator's view (gwangju_site.status): /metrics and /healthz/ready answer the machine
# itself, or anyone sending "Authorization: Bearer <METRICS_TOKEN>" (empty: nobody else).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# Below this much free space where the protected files live, the readiness report says "degraded".
READY_MIN_FREE_MB = env_int("READY_MIN_FREE_MB", 1024)
# Touched by every scheduler run (news publish_scheduled); its age is reported.
SCHEDULER_HEARTBEAT_FILE = Path(os.environ.get("SCHEDULER_HEARTBEAT_FILE", VAR_DIR / "scheduler-last-run"))

# Logs: one line per record, UTC timestamps (ISO 8601, "Z"), nginx's request id on every
# line logged while a request is answered (core.logging). To stderr (the journal, or the
# arrangement's gunicorn log) and, with LOG_FILE, to that file too (reopened when
# logrotate moves it).
LOG_FILE = os.environ.get("LOG_FILE", "")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "()": "core.logging.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s] %(message)s",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
        **(
            {
                "file": {
                    "class": "logging.handlers.WatchedFileHandler",
                    "filename": LOG_FILE,
                    "formatter": "plain",
                    "filters": ["request_id"],
                }
            }
            if LOG_FILE
            else {}
        ),
    },
    "root": {"handlers": ["console", *(["file"] if LOG_FILE else [])], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
