"""Lapsing health checks and certificates climb their ladders: the operator first, then the county bureau;
each rung once; a renewal takes the person off the ladder."""

import datetime

import pytest
from django.utils import timezone

from filing.models import EscalationStep
from notifications.models import Notification
from workforce.models import CertificateType
from workforce.services import certificate_add, health_check_add
from workforce.services.lapsing import escalate_lapsing

from .conftest import employ

pytestmark = pytest.mark.django_db
DAY = timezone.localdate() - datetime.timedelta(days=60)  # every date of the story is past


def test_a_lapsing_health_check_goes_to_the_operator_then_the_bureau(places, settings):
    person = employ(places, "sun").person
    operator, reviewer = places["sun_operator"], places["reviewer_441802"]
    health_check_add(
        person=person,
        checked_on=DAY - datetime.timedelta(days=355),
        examined_by="妇幼保健院",
        valid_until=DAY + datetime.timedelta(days=10),
        acting_user=operator,
    )
    certificate_add(
        person=person,
        certificate_type=CertificateType.objects.get(code="baoyushi"),
        number="A1",
        issuer="人社局",
        issued_on=DAY - datetime.timedelta(days=700),
        expires_on=DAY,
        acting_user=operator,
    )
    employ(places, "moon", number="441802199003151235", name="周保健", role="health")  # never checked

    fired = escalate_lapsing(today=DAY)
    # 10 days before it lapses: rung 1 (the operator). Never checked since hire in September: all three
    # rungs at once. The certificate lapses today: rungs 1 and 2.
    assert fired == {"health_check": 1 + 3, "certificate": 2}
    told = Notification.objects.filter(key__startswith="escalate:health_check")
    assert set(told.values_list("recipient", flat=True)) >= {operator.pk, places["moon_operator"].pk}
    notice = told.get(recipient=operator)
    assert (
        "有效期至" in notice.body
        and notice.url == f"/portal/staff/institutions/{places['sun'].pk}/people/{person.pk}/"
    )
    assert not told.filter(recipient=reviewer, key__contains=f":{person.employments.get().pk}:").exists()
    assert escalate_lapsing(today=DAY) == {"health_check": 0, "certificate": 0}  # once per rung

    fired = escalate_lapsing(today=DAY + datetime.timedelta(days=20))  # lapsed 10 days ago: rung 2
    assert fired["health_check"] == 1
    reached = Notification.objects.get(
        recipient=reviewer, key__startswith=f"escalate:health_check:{person.employments.get().pk}:"
    )
    assert "已于" in reached.body and reached.url == f"/admin/workforce/person/{person.pk}/change/"

    # A new health check takes the person off the ladder: no third rung for them.
    health_check_add(
        person=person,
        checked_on=DAY + datetime.timedelta(days=20),
        examined_by="妇幼保健院",
        valid_until=DAY + datetime.timedelta(days=385),
        acting_user=operator,
    )
    escalate_lapsing(today=DAY + datetime.timedelta(days=80))
    assert not EscalationStep.objects.filter(
        ladder="health_check", subject_id=person.employments.get().pk, rung=3
    ).exists()
