"""Two operators hire the same carer at the same moment: the database lets exactly one win."""

import threading

import pytest
from django.db import connections

from workforce.models import Employment
from workforce.services import WorkforceError, hire, people

from .conftest import NCR, RIC_A, START

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_parallel_hires_of_one_carer_let_exactly_one_win(places, monkeypatch):
    # The refusal's notice to the bureau (tested in test_register) would e-mail through the broker, whose
    # producer pool test threads cannot use; here only the race is under test.
    monkeypatch.setattr(people, "_tell_bureau", lambda *args, **kwargs: None)
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
                no_criminal_record=NCR,
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
