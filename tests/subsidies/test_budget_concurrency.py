"""Two clerks approve two applications at the same moment against a budget that covers only one: the row
lock on the budget lets exactly one through, and the budget is never overspent."""

import threading

import pytest
from django.db import connections
from django.utils import timezone

from notifications.tasks import send_emails
from subsidies.models import Application, Budget, Programme
from subsidies.services import SubsidyError, application_decide, application_submit
from subsidies.services import programmes as programme_services

from .conftest import file, operator_of, push_institution, reviewer_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_parallel_approvals_never_overspend_the_budget(regions, monkeypatch):
    # Notices and their e-mails (tested elsewhere) would go through the broker, whose producer pool
    # test threads cannot use; here only the race is under test.
    monkeypatch.setattr(programme_services, "_tell", lambda *args, **kwargs: None)
    monkeypatch.setattr(send_emails, "delay", lambda *args, **kwargs: None)
    reviewers = [reviewer_of(regions, "441802"), reviewer_of(regions, "441802")]
    programme = Programme.objects.create(
        name="奖补", kind="award", region=regions["441802"], rate=60000, period="once"
    )
    Budget.objects.create(programme=programme, year=timezone.localdate().year, amount=100000)
    applications = []
    for n in range(2):
        institution = push_institution(regions, name=f"托育机构{n}")
        operator = operator_of(institution)
        file(institution, operator, reviewers[0])
        applications.append(
            application_submit(
                programme=programme, institution=institution, period="once", units=1, acting_user=operator
            )
        )
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(application, reviewer):
        try:
            barrier.wait()
            application_decide(application=application, approved=True, reason="", acting_user=reviewer)
            outcomes.append("approved")
        except SubsidyError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=pair) for pair in zip(applications, reviewers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    budget = Budget.objects.get(programme=programme)
    assert budget.committed == 60000 <= budget.amount
    assert Application.objects.filter(status="approved").count() == 1
