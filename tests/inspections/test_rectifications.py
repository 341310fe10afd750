"""A rectification's transitions, and its escalation once per rung."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from filing.models import EscalationStep
from inspections.models import Inspection, Rectification, Suspension
from inspections.services import (
    InspectionError,
    escalate_rectifications,
    rectification_answer,
    rectification_close,
    rectification_reopen,
    suspension_lift,
)
from notifications.models import Notification

from .conftest import K, inspect, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def ordered(world):
    inspection = inspect(world.fire, world.sun, K.FIRE, failing={"F01"}, days_ago=1)
    return inspection.rectifications.get()


def answer(world, rectification, **changes):
    arguments = {
        "rectification": rectification,
        "text": "已更换灭火器",
        "files": [png()],
        "acting_user": world.sun_operator,
        **changes,
    }
    return rectification_answer(**arguments)


@pytest.mark.parametrize("changes, field", [({"text": ""}, "text"), ({"files": []}, "files")])
def test_an_answer_needs_what_was_done_and_evidence(world, ordered, changes, field):
    with pytest.raises(InspectionError) as refused:
        answer(world, ordered, **changes)
    assert field in refused.value.errors
    ordered.refresh_from_db()
    assert ordered.status == Rectification.Status.OPEN


def test_only_the_institutions_operators_answer(world, ordered):
    with pytest.raises(PermissionDenied):
        answer(world, ordered, acting_user=world.moon_operator)


def test_answer_then_close_closes_the_inspection(world, ordered):
    answer(world, ordered)
    ordered.refresh_from_db()
    assert ordered.status == Rectification.Status.ANSWERED
    assert Notification.objects.filter(recipient=world.fire[0], title__contains=world.sun.name).exists()
    with pytest.raises(PermissionDenied):
        rectification_close(rectification=ordered, text="", acting_user=world.market[0])
    rectification_close(rectification=ordered, text="现场复查合格", acting_user=world.fire[1])
    ordered.refresh_from_db()
    assert ordered.status == Rectification.Status.CLOSED
    assert Inspection.objects.get(pk=ordered.inspection_id).status == Inspection.Status.CLOSED
    assert list(ordered.events.values_list("kind", flat=True)) == ["ordered", "answered", "closed"]


def test_an_open_rectification_cannot_be_closed_or_reopened(world, ordered):
    with pytest.raises(InspectionError):
        rectification_close(rectification=ordered, text="", acting_user=world.fire[0])
    with pytest.raises(InspectionError):
        rectification_reopen(
            rectification=ordered, reason="x", deadline=ordered.deadline, acting_user=world.fire[0]
        )


def test_reopening_needs_a_reason_and_a_later_deadline(world, ordered):
    answer(world, ordered)
    today = timezone.localdate()
    with pytest.raises(InspectionError) as refused:
        rectification_reopen(rectification=ordered, reason=" ", deadline=today, acting_user=world.fire[0])
    assert set(refused.value.errors) == {"reason", "deadline"}
    later = today + datetime.timedelta(days=5)
    rectification_reopen(
        rectification=ordered, reason="灭火器型号不符", deadline=later, acting_user=world.fire[0]
    )
    ordered.refresh_from_db()
    assert (ordered.status, ordered.deadline) == (Rectification.Status.OPEN, later)
    assert Notification.objects.filter(recipient=world.sun_operator, body__contains="灭火器型号不符").exists()
    answer(world, ordered)  # the operator answers again


def test_an_overdue_rectification_climbs_each_rung_once(world, ordered):
    deadline = ordered.deadline
    assert escalate_rectifications(today=deadline)["rectification"] == 0  # due today: not overdue yet
    assert escalate_rectifications(today=deadline + datetime.timedelta(days=1))["rectification"] == 1
    assert escalate_rectifications(today=deadline + datetime.timedelta(days=1))["rectification"] == 0
    told = set(
        Notification.objects.filter(key__startswith="escalate:rectification").values_list(
            "recipient", flat=True
        )
    )
    assert told == {world.sun_operator.pk, *(u.pk for u in world.fire)}  # rung 1: operator, the body
    assert escalate_rectifications(today=deadline + datetime.timedelta(days=7))["rectification"] == 1
    health = set(
        Notification.objects.filter(key__endswith=":2", key__startswith="escalate:rectification").values_list(
            "recipient", flat=True
        )
    )
    assert {u.pk for u in world.health} <= health
    assert EscalationStep.objects.filter(ladder="rectification").count() == 2


def test_answering_stops_the_ladder_and_a_reopening_starts_a_new_episode(world, ordered):
    late = ordered.deadline + datetime.timedelta(days=1)
    escalate_rectifications(today=late)
    answer(world, ordered)
    assert escalate_rectifications(today=late + datetime.timedelta(days=30))["rectification"] == 0
    new_deadline = timezone.localdate() + datetime.timedelta(days=3)
    rectification_reopen(
        rectification=ordered, reason="未整改到位", deadline=new_deadline, acting_user=world.fire[0]
    )
    fired = escalate_rectifications(today=new_deadline + datetime.timedelta(days=1))
    assert fired["rectification"] == 1


def test_the_county_bureau_lifts_a_suspension_and_no_one_else(world):
    inspection = inspect(
        world.fire, world.sun, K.FIRE, failing={"F02"}, outcome="suspend", suspend_reason="通道堵塞"
    )
    suspension = Suspension.objects.get(inspection=inspection)
    with pytest.raises(PermissionDenied):
        suspension_lift(suspension=suspension, reason="已整改", acting_user=world.fire[0])
    with pytest.raises(InspectionError):
        suspension_lift(suspension=suspension, reason=" ", acting_user=world.health[0])
    suspension_lift(suspension=suspension, reason="复查合格", acting_user=world.health[0])
    suspension.refresh_from_db()
    assert suspension.lifted_on == timezone.localdate() and suspension.lifted_by == world.health[0]


def test_the_inspecting_body_gives_more_time_with_a_reason(world, ordered):
    from inspections.services import rectification_extend

    later = ordered.deadline + datetime.timedelta(days=10)
    with pytest.raises(PermissionDenied):
        rectification_extend(rectification=ordered, reason="x", deadline=later, acting_user=world.market[0])
    with pytest.raises(InspectionError) as refused:
        rectification_extend(
            rectification=ordered, reason="", deadline=ordered.deadline, acting_user=world.fire[0]
        )
    assert set(refused.value.errors) == {"reason", "deadline"}
    rectification_extend(
        rectification=ordered, reason="灭火器到货延迟", deadline=later, acting_user=world.fire[0]
    )
    ordered.refresh_from_db()
    assert ordered.deadline == later and ordered.events.last().kind == "extended"
    assert escalate_rectifications(today=later)["rectification"] == 0  # not overdue under the new deadline
