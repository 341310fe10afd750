"""Parallel pushes, on PostgreSQL where they really run at once."""

import threading

import pytest
from django.db import connections
from rest_framework.test import APIClient

from registry.models import Authority, IdempotencyRecord, Institution, Registration
from registry.services import api_client_create
from tests.factories import AuthorityFactory
from tests.registry.test_push_api import URL, record

# serialized_rollback restores the rows data migrations seed (national push-route rules) after each flush.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
THREADS = 8


def run_in_parallel(token, payload, headers=None):
    barrier = threading.Barrier(THREADS)
    statuses = []

    def push():
        try:
            api = APIClient()
            api.credentials(HTTP_AUTHORIZATION=f"Token {token}", **(headers or {}))
            barrier.wait()
            statuses.append(api.post(URL, payload, format="json").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=push) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.fixture
def token(regions):
    authority = AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions["441802"])
    return api_client_create(authority=authority, name="parallel")[1]


def test_parallel_pushes_of_one_uscc_make_one_institution(token):
    statuses = run_in_parallel(token, record())
    assert sorted(statuses) == [200] * (THREADS - 1) + [201]
    assert Institution.objects.count() == 1
    assert Registration.objects.count() == 1


def test_parallel_requests_with_one_idempotency_key_write_once(token):
    statuses = run_in_parallel(token, record(), {"HTTP_IDEMPOTENCY_KEY": "same-key"})
    assert set(statuses) <= {201, 409}
    assert 201 in statuses
    assert Registration.objects.count() == 1
    assert Registration.history.count() == 1
    assert IdempotencyRecord.objects.count() == 1
