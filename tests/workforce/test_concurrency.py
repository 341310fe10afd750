"""Two operators hire the same carer at the same moment: the database lets exactly one win."""

import threading

import pytest
from django.db import connections

from config.celery_app import app as celery_app
from workforce.models import Employment
from workforce.services import WorkforceError, hire

from .conftest import RIC_A, START

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_parallel_hires_of_one_carer_let_exactly_one_win(places, monkeypatch):
    # The refusal e-mails the bureau; run that task in-process, as the broker's pool is not for threads here.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    barrier = threading.Barrier(2)
    outcomes = []

    def hire_at(key):
        try:
            barrier.wait()
            hire(
                institution=places[key],
                document_type="ric",
                document_number=RIC_A,
                name="张保育",
                role="carer",
                starts_on=START,
                acting_user=places[f"{key}_operator"],
            )
            outcomes.append("hired")
        except WorkforceError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hire_at, args=(key,)) for key in ("sun", "star")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["hired", "refused"]
    assert Employment.objects.filter(role="carer", ends_on__isnull=True).count() == 1
