"""Development and the demo: DEBUG on, a fixed throwaway secret, the embedded default services."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("PERSONAL_DATA_KEY", "local-demo-personal-data-key-not-for-production")
os.environ.setdefault("SECRET_KEY", "django-insecure-local-development-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,0.0.0.0")

from .base import *  # noqa: F403

if CELERY_TASK_ALWAYS_EAGER:  # noqa: F405
    # Tasks run in-process here; one log line per task would drown the runserver output.
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}  # noqa: F405
