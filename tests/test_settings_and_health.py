import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'broker': s.CELERY_BROKER_URL, 'lang': s.LANGUAGE_CODE, 'debug': s.DEBUG}))"
)


def run(env_overrides, *args):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def probe(env):
    result = run({"DJANGO_SETTINGS_MODULE": "config.settings.local", **env}, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_with_nothing_set_the_embedded_default_runs_sqlite_and_eager_tasks():
    found = probe({})
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["eager"] is True
    assert found["lang"] == "zh-hans"


def test_with_services_set_it_uses_postgresql_and_a_redis_broker():
    found = probe(
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x", "REDIS_URL": "redis://127.0.0.1:6379/3"}
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["eager"] is False
    assert found["broker"] == "redis://127.0.0.1:6379/3"


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k3$J9v!qzP0r2Lw8Xc7Bn5Mt6Yh1Ga4Sd@Fe#Ru%Ti^Oy&Ux*Vw(Zq)Ea-Rb=Nc+Md",
    "DATABASE_URL": "sqlite:////tmp/childcare-deploy-check.db",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "childcare.example.gov.cn",
}


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = run(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run({k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}, "manage.py", "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database_and_broker(client, settings):
    assert client.get("/readyz").json() == {"database": "ok", "broker": "ok", "status": "ok"}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert "Error" in response.json()["broker"]


def test_empty_service_variables_count_as_unset():
    found = probe({"DATABASE_URL": "", "REDIS_URL": ""})
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["eager"] is True
