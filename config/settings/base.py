"""Settings shared by every environment, read from the environment through one `env` object.

With nothing set the platform runs on the embedded default: SQLite and Celery tasks executed eagerly,
so a newcomer can start the demo with no services. `DATABASE_URL` and `REDIS_URL` switch to PostgreSQL
and a Redis broker with real workers.
"""

import datetime
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "simple_history",
    "django_celery_beat",
    "axes",
    "registry",
    "filing",
    "workforce",
    "inspections",
    "subsidies",
    "conference",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LanguageMiddleware",
    "config.middleware.RejectNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "registry.workdays.CalendarMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.inbox",
            ],
        },
    },
]

# An empty DATABASE_URL counts as unset: the embedded SQLite database.
DATABASE_URL = env("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Incremental sort assumes groups of equal size: under one county holding half the rows it sorts that
    # whole county where walking the list's index takes 100 rows (55 ms against 0.2 ms in the benchmark).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c enable_incremental_sort=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers (the server and a management command) share the demo database.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "registry.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password guessing (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account, or from one
# address, both are refused for AXES_COOLOFF_MINUTES; staff unlock earlier by deleting the attempt in the
# admin (Axes › 访问尝试). Every attempt is logged. Behind a reverse proxy set AXES_IPWARE_PROXY_COUNT
# to the number of proxies, so the address is read from X-Forwarded-For and not the proxy's own.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.lockout.locked_out"
# Behind N reverse proxies the client's address is the N-th entry from the right of X-Forwarded-For
# (the one the nearest trusted proxy appended; entries further left are whatever the client sent).
LOGIN_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "config.lockout.client_ip"
AXES_VERBOSE = False
# Complaints from the public (no sign-in): at most this many per address per hour.
COMPLAINTS_PER_HOUR = env.int("COMPLAINTS_PER_HOUR", default=5)
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; the public never holds object grants

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"  # never served publicly: uploads go through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="托育备案平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the platform is reached, for links in e-mails sent by scheduled jobs (no request to ask).
PLATFORM_URL = env("PLATFORM_URL", default="http://127.0.0.1:8000")
# The master key of identity numbers in the staff register (encryption and the matching digest derive from
# it). Development and the tests use a fixed throwaway key; production refuses to start without one.
PERSONAL_DATA_KEY = env("PERSONAL_DATA_KEY", default="")

# Redis: broker for Celery and the shared cache. Without it tasks run eagerly in-process.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged after it finishes, so a worker that dies hands it to another.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Redis redelivers a task not acknowledged within the visibility timeout, so it must exceed both the
# longest task (the time limit above) and the longest countdown any task schedules (webhook retries
# schedule at most WEBHOOK_MAX_COUNTDOWN; longer waits are picked up by the relay from the database).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Outbound webhooks: the delay before each retry (seconds), jittered by a fifth either way. Ten tries
# over about three days, as the Standard Webhooks convention suggests.
WEBHOOK_RETRY_DELAYS = env.list(
    "WEBHOOK_RETRY_DELAYS", cast=int, default=[5, 300, 1800, 7200, 18000, 36000, 36000, 43200, 43200, 86400]
)
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)
WEBHOOK_MAX_COUNTDOWN = 15 * 60
# Webhook URLs are https unless the platform's operator allows plain http (a receiver inside a trusted
# network). Addresses are resolved at every delivery and loopback, private, link-local (cloud metadata)
# and other non-public addresses are refused unless they fall in WEBHOOK_ALLOWED_NETWORKS (CIDR list).
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=False)
WEBHOOK_ALLOWED_NETWORKS = env.list("WEBHOOK_ALLOWED_NETWORKS", default=[])

# Requests a minute from one address to the public directory's pages (the open-data API: PUBLIC_API_RATE).
PUBLIC_REQUESTS_PER_MINUTE = env.int("PUBLIC_REQUESTS_PER_MINUTE", default=120)

# Requests per API client, counted in the cache: shared by every process only with REDIS_URL (production
# refuses to start without it); "off" switches throttling off.
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="600/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["registry.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": ["registry.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": []
    if API_THROTTLE_RATE == "off"
    else ["registry.api.throttling.ApiClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api_client": None if API_THROTTLE_RATE == "off" else API_THROTTLE_RATE,
        "public": env("PUBLIC_API_RATE", default="120/min"),
    },
    "EXCEPTION_HANDLER": "registry.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "托育机构登记备案平台 API",
    "DESCRIPTION": (
        "Registration bodies push childcare institutions' registrations to the county health bureau. "
        "See docs/integration.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "registry.api.schema.add_error_responses",
    ],
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# History is read-only: a revert would reset state that a workflow owns (a filing's status, an
# institution's filing status) without its transition. ScopedHistoryAdmin also refuses the POST.
SIMPLE_HISTORY_REVERT_DISABLED = True

LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own loggers (every 4xx is a django.request warning) follow the same level.
    "loggers": {"django": {"level": LOG_LEVEL}},
}

# Every daily escalation task (import paths); `manage.py escalate` runs them all in-process, in order.
ESCALATION_TASKS = [
    "filing.tasks.escalate",
    "workforce.tasks.escalate_lapsing",
    "inspections.tasks.escalate_rectifications",
    "conference.tasks.escalate_tasks",
]

# The default schedules, installed into django-celery-beat's tables on migrate (never overwriting what
# someone changed in the admin): name -> task, and either every N seconds or a crontab in TIME_ZONE.
PERIODIC_TASKS = {
    "purge-idempotency-keys": {"task": "registry.tasks.purge_idempotency_keys", "every": 60 * 60},
    "relay-outbox": {"task": "notifications.tasks.relay", "every": 60},
    "monthly-push": {"task": "filing.tasks.monthly_push", "crontab": "0 2 1 * *"},
    "escalate": {"task": "filing.tasks.escalate", "crontab": "30 7 * * *"},
    "terminations-take-effect": {"task": "filing.tasks.terminations_take_effect", "crontab": "5 0 * * *"},
    "directory-rebuild": {"task": "filing.tasks.directory_rebuild", "crontab": "30 0 * * *"},
    "indicators-snapshot": {"task": "subsidies.tasks.indicators_snapshot", "crontab": "50 0 * * *"},
    "staff-escalate": {"task": "workforce.tasks.escalate_lapsing", "crontab": "40 7 * * *"},
    "rectification-escalate": {"task": "inspections.tasks.escalate_rectifications", "crontab": "42 7 * * *"},
    "conference-escalate": {"task": "conference.escalate_tasks", "crontab": "45 7 * * *"},
    "conference-bulletins": {"task": "conference.issue_monthly_bulletins", "crontab": "0 8 1 * *"},
}
