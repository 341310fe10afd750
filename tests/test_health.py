"""Liveness (/healthz: the process answers, no database) and readiness (/readyz: the database and the
broker answer) for load balancers and compose health checks."""

import os

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    """Every new cursor fails as it would with the database server gone."""

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "cursor", refuse)
        yield


def test_healthz_answers_ok_without_a_single_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]  # never served from a cache


def test_healthz_runs_no_query_for_a_signed_in_person_either(client, django_assert_num_queries):
    client.force_login(UserFactory(is_staff=True))
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200


def test_healthz_stays_up_while_the_database_is_down(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_with_the_test_settings(client, settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is True  # the embedded default: no broker to reach
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_503_naming_an_unreachable_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["broker"] != "ok"
    assert "ConnectionError" in body["broker"]


def test_readyz_answers_503_naming_an_unreachable_database(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["broker"] == "ok"
    assert body["database"] != "ok"
    assert "OperationalError" in body["database"]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a Redis server (set REDIS_URL)")
def test_readyz_is_ok_against_a_live_redis_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["broker"] == "ok"


def test_every_page_has_an_icon(client, db):
    """A browser asking for /favicon.ico is sent to the platform's icon instead of a 404 in the logs."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("platform/favicon.svg")
    login = client.get("/admin/login/").content.decode()
    assert "platform/favicon.svg" in login
