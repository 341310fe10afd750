# Production image: the web server (gunicorn), the Celery worker and Celery beat all run from it;
# docker-compose.yml picks the process with `command:`. See docs/operations.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app

# Every pinned dependency installs from a wheel (psycopg[binary]): no compiler, no apt packages.
# The code stays owned by root, read-only to the app user (uid 1000): it writes only to /app/media (a
# volume), /tmp and its home.
COPY requirements.lock ./
RUN pip install -r requirements.lock \
    && useradd --system --uid 1000 --user-group --create-home --home-dir /home/app --shell /usr/sbin/nologin app
COPY . .

# Translations (.mo is not in git), bytecode, and static files (whitenoise serves them from STATIC_ROOT).
# collectstatic needs settings that import: the dummy values exist for this RUN line only and touch no
# database or broker.
RUN python scripts/compile_messages.py \
    && python -m compileall -q . \
    && SECRET_KEY=build-only-not-a-secret \
       PERSONAL_DATA_KEY=build-only-not-a-secret-personal-data-key \
       DATABASE_URL=sqlite:////tmp/build.db \
       REDIS_URL=redis://localhost:6379/0 \
       python manage.py collectstatic --noinput \
    && rm -f /tmp/build.db \
    && install -d -o app -g app -m 0750 /app/media

USER 1000:1000
EXPOSE 8000

# Liveness only (no database). The Host header is the first entry of ALLOWED_HOSTS, so the check passes
# whatever hosts the operator allows ("*" or nothing set: 127.0.0.1).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; h = [x.strip().lstrip('.') for x in os.environ.get('ALLOWED_HOSTS', '').split(',') if x.strip() not in ('', '*')]; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': h[0] if h else '127.0.0.1'}), timeout=4)"]

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
