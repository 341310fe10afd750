"""The escalation ladders: each rung once per subject, to the people its policy names; resolving the
subject stops the ladder; a jurisdiction's own rungs replace the national ones."""

import datetime

import pytest
import time_machine

from filing.models import EscalationRung, EscalationStep
from filing.services import filing_accept, filing_return, filing_submit
from filing.services.escalation import escalate
from notifications.models import Notification
from registry.models import Institution
from registry.models.institutions import FilingStatus
from registry.roles import Role
from tests.factories import AuthorityFactory, StaffFactory

from .conftest import complete_draft

START = datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)  # a Monday


def at(days: int):
    return time_machine.travel(START + datetime.timedelta(days=days), tick=False)


@pytest.fixture
def people(regions):
    from .conftest import reviewer_of

    reviewer = reviewer_of(regions, "441802")
    return {
        "reviewer": reviewer,
        "head": StaffFactory(authority=reviewer.authority, role=Role.BUREAU_HEAD),
        "city": StaffFactory(
            authority=AuthorityFactory(region=regions["441800"]), role=Role.SUPERVISING_HEALTH
        ),
        "other_county": StaffFactory(
            authority=AuthorityFactory(region=regions["441803"]), role=Role.COUNTY_HEALTH
        ),
    }


def told(user) -> list[str]:
    """What the escalation ladders told a person (not the notices of each filing move)."""
    escalations = Notification.objects.filter(recipient=user, key__startswith="escalate:")
    return list(escalations.order_by("pk").values_list("title", flat=True))


def run(django_capture_on_commit_callbacks, days):
    with at(days), django_capture_on_commit_callbacks(execute=True):
        return escalate()


@pytest.fixture
def registered(regions):
    with at(0):
        from .conftest import push_institution

        return push_institution(regions)


@pytest.fixture
def operator(registered):
    from registry.services import operator_grant
    from tests.factories import UserFactory

    user = UserFactory()
    operator_grant(user=user, institution=registered)
    return user


def test_registered_but_unfiled_climbs_the_ladder_one_rung_at_a_time(
    registered, operator, people, django_capture_on_commit_callbacks
):
    assert run(django_capture_on_commit_callbacks, 29)["unfiled"] == 0
    assert run(django_capture_on_commit_callbacks, 30)["unfiled"] == 1
    assert told(operator) == told(people["reviewer"]) == [f"尚未备案：{registered.name}"]
    assert told(people["head"]) == [] and told(people["other_county"]) == []
    for _ in range(3):
        assert run(django_capture_on_commit_callbacks, 45)["unfiled"] == 0
    assert run(django_capture_on_commit_callbacks, 61)["unfiled"] == 1
    assert len(told(people["head"])) == 1 and len(told(operator)) == 2 and len(told(people["reviewer"])) == 1
    assert run(django_capture_on_commit_callbacks, 95)["unfiled"] == 1
    assert len(told(people["city"])) == 1
    assert EscalationStep.objects.filter(ladder="unfiled").count() == 3


def test_a_job_that_missed_days_fires_every_rung_due_once(
    registered, people, django_capture_on_commit_callbacks
):
    assert run(django_capture_on_commit_callbacks, 100)["unfiled"] == 3
    assert run(django_capture_on_commit_callbacks, 100)["unfiled"] == 0


def test_filing_stops_the_unfiled_ladder(registered, operator, people, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, 30)
    Institution.objects.filter(pk=registered.pk).update(filing_status=FilingStatus.SUBMITTED)
    assert run(django_capture_on_commit_callbacks, 61)["unfiled"] == 0
    assert told(people["head"]) == []


def test_a_review_past_its_limit_is_escalated_until_decided(
    registered, operator, people, django_capture_on_commit_callbacks
):
    with at(0):
        filing = filing_submit(filing=complete_draft(registered, operator), acting_user=operator)
    assert run(django_capture_on_commit_callbacks, 4)["review_overdue"] == 0  # 4 working days
    assert run(django_capture_on_commit_callbacks, 7)["review_overdue"] == 1  # Monday: 5 working days waited
    assert told(people["reviewer"]) == [f"审核超时：{registered.name}"]
    assert (
        Notification.objects.get(recipient=people["reviewer"], key__startswith="escalate:").url
        == f"/admin/filing/filing/{filing.pk}/change/"
    )
    with at(8):
        filing_accept(filing=filing, acting_user=people["reviewer"])
    assert run(django_capture_on_commit_callbacks, 30) == {"unfiled": 0, "review_overdue": 0, "returned": 0}
    assert told(people["head"]) == []


def test_a_returned_filing_not_resubmitted_reminds_the_operator_each_round_afresh(
    registered, operator, people, django_capture_on_commit_callbacks
):
    with at(0):
        filing = filing_submit(filing=complete_draft(registered, operator), acting_user=operator)
    with at(1):
        filing_return(filing=filing, acting_user=people["reviewer"], reasons=[("lease", "租期不足")])
    assert run(django_capture_on_commit_callbacks, 11)["returned"] == 1
    assert told(operator)[-1] == f"备案退回后未重新提交：{registered.name}"
    assert Notification.objects.filter(recipient=operator).last().url == f"/portal/filings/{filing.pk}/"
    with at(12):
        filing.refresh_from_db()
        filing = filing_submit(filing=filing, acting_user=operator)
        filing_return(filing=filing, acting_user=people["reviewer"], reasons=[("lease", "仍不足")])
    assert run(django_capture_on_commit_callbacks, 22)["returned"] == 1  # a new round starts the ladder again
    assert EscalationStep.objects.filter(ladder="returned").count() == 2


def test_a_jurisdictions_own_rungs_replace_the_national_ones(
    regions, registered, operator, people, django_capture_on_commit_callbacks
):
    EscalationRung.objects.create(
        region=regions["441800"], ladder="unfiled", rung=1, days=10, audience=["head"]
    )
    assert run(django_capture_on_commit_callbacks, 10)["unfiled"] == 1
    assert len(told(people["head"])) == 1 and told(operator) == []


def test_bureau_staff_edit_their_own_ladders_but_not_the_national_ones(client, regions, people):
    from registry.services import roles_sync

    roles_sync()
    client.force_login(people["city"])
    national = EscalationRung.objects.get(region=None, ladder="unfiled", rung=1)
    assert client.get(f"/admin/filing/escalationrung/{national.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/filing/escalationrung/{national.pk}/change/",
        {"region": "", "ladder": "unfiled", "rung": 1, "days": 1, "audience": ["head"]},
    )
    assert response.status_code == 403
    response = client.post(
        "/admin/filing/escalationrung/add/",
        {
            "region": "441800",
            "ladder": "unfiled",
            "rung": 1,
            "days": 14,
            "audience": ["operator", "reviewer"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert EscalationRung.objects.get(region="441800").audience == ["operator", "reviewer"]


def test_the_escalate_command_walks_every_ladder_of_every_app(registered, people):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    with at(31):
        call_command("escalate", stdout=out)
    assert "filing.tasks.escalate unfiled: 1" in out.getvalue()
    assert "conference.tasks.escalate_tasks plenary_warnings:" in out.getvalue()
    out = io.StringIO()
    call_command("escalate", "--today", (START + datetime.timedelta(days=31)).date().isoformat(), stdout=out)
    assert "filing.tasks.escalate unfiled: 0" in out.getvalue()


def test_the_escalation_step_list_costs_the_same_queries_for_few_or_many(
    client, regions, people, django_capture_on_commit_callbacks, assert_max_queries
):
    from .conftest import push_institution

    client.force_login(people["reviewer"])
    push_institution(regions)
    run(django_capture_on_commit_callbacks, 100)
    client.get("/admin/filing/escalationstep/")
    with assert_max_queries(20) as few:
        client.get("/admin/filing/escalationstep/")
    for _ in range(10):
        push_institution(regions)
    run(django_capture_on_commit_callbacks, 100)
    with assert_max_queries(len(few.captured_queries)):
        assert "督办记录" in client.get("/admin/filing/escalationstep/").content.decode()
