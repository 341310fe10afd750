"""Settings read from the environment: the embedded default with nothing set, PostgreSQL and Redis when
their URLs are set, and production settings that pass Django's deployment check and refuse to start
without their secrets. Each case runs in a fresh interpreter with a controlled environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTROLLED = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "PERSONAL_DATA_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DJANGO_READ_DOT_ENV_FILE",
    "SECURE_SSL_REDIRECT",
}
PROBE = """
import json, django
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "eager": s.CELERY_TASK_ALWAYS_EAGER, "broker": s.CELERY_BROKER_URL,
    "cache": s.CACHES["default"]["BACKEND"], "language": s.LANGUAGE_CODE, "debug": s.DEBUG,
}))
"""
# A 50-character key with enough distinct characters for security.W009; not used anywhere else.
SECRET = "Vq8#rT2!mZ5@kW9$xL3%nB7^cJ4&hF6*gD1(sA0)pE-yU+iO=t"


def run(env, *args):
    clean = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def probe(env):
    result = run(env, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def local(**env):
    return probe({"DJANGO_SETTINGS_MODULE": "config.settings.local", **env})


def production_env(tmp_path, **env):
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": SECRET,
        "PERSONAL_DATA_KEY": "p" * 44,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.db'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "childcare.example.gov.cn",
        **env,
    }


def test_with_nothing_set_local_settings_run_the_embedded_default():
    found = local()
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(ROOT / "db.sqlite3")
    assert found["eager"] is True
    assert found["broker"] == "memory://localhost/"
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["language"] == "zh-hans"
    assert found["debug"] is True


def test_manage_py_uses_the_local_settings_when_none_are_named():
    result = run({}, "manage.py", "shell", "-c", PROBE.replace("django.setup()", ""))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert (found["engine"], found["eager"], found["debug"]) == ("django.db.backends.sqlite3", True, True)


def test_with_service_urls_set_it_runs_on_postgresql_and_a_redis_broker():
    found = local(DATABASE_URL="postgres://postgres@127.0.0.1:5432/x", REDIS_URL="redis://127.0.0.1:6379/0")
    assert found["engine"] == "django.db.backends.postgresql"
    assert (found["name"], found["host"]) == ("x", "127.0.0.1")
    assert found["eager"] is False
    assert found["broker"] == "redis://127.0.0.1:6379/0"
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["language"] == "zh-hans"


def test_each_service_switches_on_its_own():
    only_database = local(DATABASE_URL="postgres://postgres@127.0.0.1:5432/x")
    assert (only_database["engine"], only_database["eager"]) == ("django.db.backends.postgresql", True)
    only_broker = local(REDIS_URL="redis://127.0.0.1:6379/0")
    assert (only_broker["engine"], only_broker["eager"]) == ("django.db.backends.sqlite3", False)


def test_empty_service_urls_count_as_unset():
    found = local(DATABASE_URL="", REDIS_URL="")
    assert (found["engine"], found["eager"]) == ("django.db.backends.sqlite3", True)


def test_production_passes_the_deployment_check_without_warnings(tmp_path):
    result = run(production_env(tmp_path), "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_is_never_in_debug_whatever_the_environment_says(tmp_path):
    found = probe(production_env(tmp_path, DEBUG="true"))
    assert found["debug"] is False
    assert found["eager"] is False
    assert found["broker"] == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "PERSONAL_DATA_KEY"])
def test_production_refuses_to_start_without_its_secrets(tmp_path, missing):
    env = production_env(tmp_path)
    del env[missing]
    result = run(env, "manage.py", "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_answers_health_checks_over_plain_http_and_redirects_the_rest(tmp_path):
    """Behind a TLS proxy the load balancer probes /healthz over HTTP; people are sent to HTTPS."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "h = c.get('/healthz')\n"
        "a = c.get('/admin/login/')\n"
        "s = c.get('/healthz', secure=True)\n"
        "import json\n"
        "hsts = s.get('Strict-Transport-Security')\n"
        "print(json.dumps([h.status_code, a.status_code, a.get('Location'), hsts]))\n"
    )
    result = run(production_env(tmp_path, ALLOWED_HOSTS="testserver"), "-c", script)
    assert result.returncode == 0, result.stderr
    health, admin, location, hsts = json.loads(result.stdout.strip().splitlines()[-1])
    assert health == 200
    assert admin == 301
    assert location == "https://testserver/admin/login/"
    assert "max-age=31536000" in hsts
