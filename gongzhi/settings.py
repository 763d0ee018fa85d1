"""Settings for gongzhi, read from the environment (see gongzhi/env.py and docs/deploy.md).

Safe defaults: DEBUG is off unless DEBUG=true; without DEBUG a SECRET_KEY and
ALLOWED_HOSTS must be given, and cookies are secure and HTTPS is enforced.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from gongzhi.env import env_bool, env_cache, env_int, env_list, env_rate, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY") or "insecure-development-key-do-not-use-in-production"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
elif env_str("GONGZHI_KEYLESS_COMMAND") and not env_str("SECRET_KEY"):
    # `manage.py tally FILE` on a fresh checkout (manage.py sets this for such commands
    # only): an empty key makes Django refuse to sign anything rather than sign weakly.
    SECRET_KEY = ""
    ALLOWED_HOSTS = []
else:
    SECRET_KEY = env_required("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])

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
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "gongzhi.core",
    "gongzhi.audit",
    "gongzhi.places",
    "gongzhi.people",
    "gongzhi.bodies",
    "gongzhi.roster",
    "gongzhi.voting",
    "gongzhi.demands",
    "gongzhi.notifications",
    "gongzhi.notices",
    "gongzhi.lists",
    "django_q",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # NUL bytes and oversized bodies refused before any view parses them (docs/api.md).
    "gongzhi.core.middleware.InputSafetyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "gongzhi.audit.middleware.CorrelationMiddleware",
]

ROOT_URLCONF = "gongzhi.urls"
WSGI_APPLICATION = "gongzhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongzhi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Server-side parameters, and statements prepared after their 5th run on a connection:
    # PostgreSQL then plans a repeated query once per connection instead of every time
    # (the inbox query plans in 1.3 ms and runs in 0.3). Turn off behind a pooler that
    # does not keep prepared statements (pgbouncer in transaction mode before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's server and task worker write to one file at once: WAL lets readers go on
    # while one writes, IMMEDIATE transactions take the write lock when they begin (not
    # half-way, where SQLite cannot wait and answers "database is locked"), and a writer
    # waits up to 20 s for another.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        transaction_mode="IMMEDIATE",
        timeout=20,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering (INCLUDE) indexes exist for PostgreSQL; SQLite simply builds them without INCLUDE.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "people.Account"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "gongzhi.people.auth.PasswordBackend",  # Django's ModelBackend, account with its person
    "gongzhi.people.auth.SmsCodeBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Login throttling and lock-out (django-axes): after AXES_FAILURE_LIMIT failures for one
# phone number from one address, that login is locked for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "people/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_CLIENT_IP_CALLABLE = "gongzhi.core.ratelimit.client_address"  # the same address as below

# The cache: rate-limit counters (core.ratelimit). Redis in production, so that every
# worker process shares them (CACHE_URL=redis://127.0.0.1:6379/0, Django's own RedisCache);
# memory local to each process by default (the demo, the tests, a single process).
CACHES = {"default": env_cache("CACHE_URL", "locmem://")}
# Sessions read from the cache and written through to the database: a page costs no
# session query once the session is in the cache (Redis in production, docs/deploy.md),
# and nobody is logged out when the cache is emptied.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (nginx: 1). The
# client address of a rate limit is the one the outermost of them saw; 0: REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# Rate limits, "N/period" (s, m, h, d; "5/30m") or "off" (docs/deploy.md). Counted in the
# cache, so a filing costs no database query more. One resident files a few demands a
# week; 4 accounts filed 1,626 in 20 s. Staff enter a meeting's paper slips in a burst.
# One address may be a whole compound behind a carrier's NAT, hence more than one account.
RATE_DEMAND_FILE_ACCOUNT = env_rate("RATE_DEMAND_FILE_ACCOUNT", "10/h")
RATE_DEMAND_FILE_STAFF = env_rate("RATE_DEMAND_FILE_STAFF", "200/h")
RATE_DEMAND_FILE_ADDRESS = env_rate("RATE_DEMAND_FILE_ADDRESS", "100/h")
# SMS codes cost money and reach strangers' phones: per number one a minute
# (people.services.SMS_RESEND_SECONDS), per client address this many.
RATE_SMS_CODE_ADDRESS = env_rate("RATE_SMS_CODE_ADDRESS", "10/h")

# One-time SMS login codes. The default sender writes the code to the log (no gateway).
SMS_SENDER = env_str("SMS_SENDER", "gongzhi.people.sms.LogSmsSender")
SMS_CODE_TTL_SECONDS = env_int("SMS_CODE_TTL_SECONDS", 300, minimum=30)
SMS_CODE_MAX_ATTEMPTS = env_int("SMS_CODE_MAX_ATTEMPTS", 5, minimum=1)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("简体中文")),
    ("zh-hant", _("繁體中文")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "gongzhi" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "gongzhi" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# A whole request, files included (nine 10 MB photos fit), refused above this unread.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 100 * 1024 * 1024, minimum=1024)

# Security: on by default whenever DEBUG is off; check --deploy passes with no warning.
_secure = env_bool("SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = _secure
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _secure else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure
SECURE_HSTS_PRELOAD = _secure
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _secure else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated script gets 401 with WWW-Authenticate.
        "gongzhi.people.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "gongzhi.core.api_schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "gongzhi.core.pagination.Pagination",
    # Depth-limited, NUL-free JSON (core.parsers); forms and multipart as DRF's.
    "DEFAULT_PARSER_CLASSES": [
        "gongzhi.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 20,
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    "EXCEPTION_HANDLER": "gongzhi.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gongzhi 共治 API",
    "DESCRIPTION": "Party-building-led co-governance of residential compounds. 党建引领小区共治。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Nothing from outside the host: no online validator badge (an image from
    # validator.swagger.io), and the reader's own fonts for ReDoc (core/api/redoc.html).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": "system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif",
                "headings": {
                    "fontFamily": "system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif"
                },
            }
        }
    },
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "ENUM_NAME_OVERRIDES": {
        "BodyKindEnum": "gongzhi.bodies.models.BodyKind",
        "PostEnum": "gongzhi.bodies.models.Post",
        "RoomUseEnum": "gongzhi.places.models.RoomUse",
        "AreaSourceEnum": "gongzhi.places.models.AreaSource",
        "OwnersBodyKindEnum": "gongzhi.places.models.OwnersBodyKind",
        "RelationEnum": "gongzhi.people.models.Relation",
    },
}

# Background work (notifications, scheduled escalation) runs in django-q2's worker,
# `manage.py qcluster`, using the database itself as the queue: no broker to install.
Q_CLUSTER = {
    "name": "gongzhi",
    "orm": "default",
    "workers": env_int("Q_WORKERS", 2, minimum=1),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 3,
    "catch_up": False,
    "sync": env_bool("Q_SYNC", default=False),
    "label": "后台任务",
}

# Benchmark-only endpoints (bench/): off unless BENCH_ENDPOINTS=true.
BENCH_ENDPOINTS = env_bool("BENCH_ENDPOINTS", default=False)

# Notifications (docs/notifications.md): in-app always; SMS, email, WeCom group bots optional.
NOTIFY_CHANNELS = env_list("NOTIFY_CHANNELS", ["inapp"])
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "")
NOTIFY_HTTP_TIMEOUT = env_int("NOTIFY_HTTP_TIMEOUT", 10, minimum=1)
WECOM_WEBHOOK_URL = env_str("WECOM_WEBHOOK_URL", "")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "gongzhi@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
