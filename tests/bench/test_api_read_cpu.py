"""Benchmark: the CPU this process spends answering one read of a registration by USCC
(`GET /api/v1/registrations/<uscc>/`), against a minimal DRF view that authenticates the same token and
reads the same row. Target: at most 1.5 × the minimal view's. Both run through the same middleware.

Run on demand: `make bench` (add DATABASE_URL for PostgreSQL)."""

import statistics
import time

import pytest
from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.api.authentication import TokenAuthentication
from registry.api.throttling import ApiClientRateThrottle
from registry.models import Registration
from tests.registry.test_push_api import URL, api_for, record

pytestmark = [pytest.mark.bench, pytest.mark.django_db, pytest.mark.urls(__name__)]

READS, ROUNDS = 300, 5


class MinimalRead(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = []

    def get(self, request, uscc):
        row = (
            Registration.objects.filter(institution__uscc=uscc, authority=request.user.authority)
            .values("institution__uscc", "name", "address", "registered_on", "status", "updated_at")
            .first()
        )
        return Response(row)


urlpatterns = [
    path("minimal/<str:uscc>/", MinimalRead.as_view()),
    path("", include("config.urls")),
]


def _cpu_per_read(api, url) -> float:
    rounds = []
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(READS):
            response = api.get(url)
        rounds.append((time.process_time() - started) / READS)
        assert response.status_code == 200, response.content
    return statistics.median(rounds) * 1000


def test_reading_one_registration_costs_at_most_half_again_a_minimal_view(regions, monkeypatch):
    monkeypatch.setattr(ApiClientRateThrottle, "rate", "1000000/min", raising=False)
    api = api_for(regions)
    pushed = record()
    assert api.post(URL, pushed, format="json").status_code == 201
    uscc = pushed["uscc"]
    api.get(f"{URL}{uscc}/")
    api.get(f"/minimal/{uscc}/")
    ours = _cpu_per_read(api, f"{URL}{uscc}/")
    floor = _cpu_per_read(api, f"/minimal/{uscc}/")
    print(f"\nCPU per read: API {ours:.2f} ms, minimal DRF view {floor:.2f} ms, ratio {ours / floor:.2f}")
