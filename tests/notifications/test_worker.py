"""A real Celery worker process against the machine's Redis and PostgreSQL: the monthly push is
enqueued through the broker, delivered to a receiver that fails twice then succeeds, exactly once per
subscription with a valid signature; running it again sends nothing."""

import datetime
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from standardwebhooks.webhooks import Webhook

from config.celery_app import app
from filing.models import MonthlyReport
from filing.tasks import monthly_push
from notifications.models import Delivery, Notification, WebhookSubscription
from registry.models import Authority
from tests.factories import AuthorityFactory, InstitutionFactory, StaffFactory, region_tree
from tests.receiver import Receiver

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
TEST_REDIS_DB = 13  # a database of its own, flushed by the test, so no other queue is touched


def broker_url() -> str:
    base = os.environ.get("REDIS_URL") or ""
    if not base:
        pytest.skip("needs a Redis server (set REDIS_URL)")
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{TEST_REDIS_DB}"))


@pytest.fixture
def worker(settings):
    url = broker_url()
    redis.Redis.from_url(url).flushdb()
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "WEBHOOK_RETRY_DELAYS": "1,1,1,1,1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "threads",
            "--concurrency",
            "4",
            "-l",
            "warning",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    previous = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    app.conf.update(task_always_eager=False, broker_url=url)
    reset_connections()
    try:
        yield process
    finally:
        process.terminate()
        try:
            output = process.communicate(timeout=30)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            process.kill()
            output = process.communicate()[0].decode(errors="replace")
        app.conf.update(**previous)
        reset_connections()
        if "Traceback" in output:
            print(output)  # shown when the test fails


def reset_connections():
    """Drop the producer's pooled connections so the next publish connects to the broker now set."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def test_the_monthly_push_through_a_real_worker_delivers_each_event_once_despite_failures(worker):
    regions = region_tree()
    staff = StaffFactory(authority=AuthorityFactory(region=regions["441802"]))
    for n in range(3):
        InstitutionFactory(region=regions["441802"], name=f"已备案托育{n}", filing_status="filed")
    with Receiver(failures_per_message=2) as receiver:
        fire = WebhookSubscription.objects.create(
            authority=AuthorityFactory(kind=Authority.Kind.FIRE, region=regions["441802"]),
            url=receiver.url + "/fire",
            event_types=["monthly_push.directory"],
        )
        education = WebhookSubscription.objects.create(
            authority=AuthorityFactory(kind=Authority.Kind.EDUCATION, region=regions["441802"]),
            url=receiver.url + "/education",
            event_types=["monthly_push.report"],
        )
        monthly_push.delay(month="2026-10", region_code="441802")
        assert wait_for(
            lambda: (
                Delivery.objects.count() == 2
                and set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.DELIVERED}
            )
        ), (list(Delivery.objects.values("status", "attempts", "last_error")), worker.poll())

        monthly_push.delay(month="2026-10", region_code="441802")  # the job run twice
        time.sleep(3)

    assert len(receiver.requests) == 6  # each event: two failures, then taken once
    for subscription, path in ((fire, "/fire"), (education, "/education")):
        [request] = receiver.accepted(path)
        payload = Webhook(subscription.secret).verify(request["body"], request["headers"])
        assert payload["data"]["region_code"] == "441802"
    directory = receiver.events("/fire")[0]["data"]["filed_sites"]
    assert sorted(site["name"] for site in directory) == ["已备案托育0", "已备案托育1", "已备案托育2"]
    assert list(Delivery.objects.values_list("attempts", flat=True)) == [3, 3]
    assert Notification.objects.filter(recipient=staff).count() == 1
    assert MonthlyReport.objects.filter(region_id="441802", month=datetime.date(2026, 10, 1)).count() == 1
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
