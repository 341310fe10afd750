"""The test suite: the database and broker come from the environment (CI sets PostgreSQL and Redis)."""

import os

os.environ.setdefault("PERSONAL_DATA_KEY", "test-personal-data-key")
os.environ.setdefault("SECRET_KEY", "django-insecure-test-key")
os.environ.setdefault("DEBUG", "false")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Unit tests run tasks in-process; the worker test starts a real worker process (with this variable
# set to false) against REDIS_URL and the test database.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "true") != "false"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic before tests
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405  threads (live server, concurrency tests) must not keep connections
# The suite's webhook receivers listen on plain http on loopback; tests of the refusals set these back.
WEBHOOK_ALLOW_HTTP = True
WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
# Sign-in attempts are logged in the database (axes' AccessLog); their INFO lines would drown the output.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # noqa: F405
