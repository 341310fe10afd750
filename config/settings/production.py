"""Production: secrets have no defaults, HTTPS everywhere. Passes `manage.py check --deploy`."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
PERSONAL_DATA_KEY = env("PERSONAL_DATA_KEY", default="")
if len(PERSONAL_DATA_KEY) < 32:
    raise ImproperlyConfigured(
        "PERSONAL_DATA_KEY (at least 32 characters) encrypts identity numbers in the staff register; set it "
        "and keep it with the database backups: numbers sealed with a lost key cannot be read."
    )
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# TLS ends at a reverse proxy, which tells Django the original scheme in a header (X-Forwarded-Proto by
# default; name another with SECURE_PROXY_SSL_HEADER_NAME). The proxy must set it on every request and
# strip it from what clients send, or a client could claim https.
_proxy_header = env("SECURE_PROXY_SSL_HEADER_NAME", default="X-Forwarded-Proto")
SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
# Django redirects plain http to https. Leave it on unless the proxy does that redirect itself
# (PROXY_REDIRECTS_TO_HTTPS=true turns Django's off and silences the deployment check's W008), or for a
# trial over plain http on localhost (SECURE_SSL_REDIRECT=false; check --deploy then rightly warns).
PROXY_REDIRECTS_TO_HTTPS = env.bool("PROXY_REDIRECTS_TO_HTTPS", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not PROXY_REDIRECTS_TO_HTTPS)
SILENCED_SYSTEM_CHECKS = ["security.W008"] if PROXY_REDIRECTS_TO_HTTPS else []
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# API throttling counts each client's requests in the cache. A per-process cache (no REDIS_URL) would let
# every worker process grant the full budget: refuse to start rather than throttle wrongly.
if REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] and "LocMemCache" in CACHES["default"]["BACKEND"]:  # noqa: F405
    raise ImproperlyConfigured(
        "API throttling needs a cache shared by every process: set REDIS_URL (or API_THROTTLE_RATE=off)."
    )
