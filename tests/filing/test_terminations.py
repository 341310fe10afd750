"""A termination dated later ends the filing on that day, not when the bureau confirms it."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from filing.services import filing_accept, termination_confirm, termination_submit, terminations_take_effect
from registry.models import Institution

pytestmark = pytest.mark.django_db


def test_a_future_termination_takes_effect_on_its_date(submitted, operator, reviewer):
    institution = filing_accept(filing=submitted, acting_user=reviewer).institution
    stops_on = timezone.localdate() + datetime.timedelta(days=30)
    termination = termination_submit(
        institution=institution,
        planned_on=stops_on,
        children_plan="转入附近普惠机构",
        staff_plan="依法解除劳动合同",
        acting_user=operator,
    )
    termination_confirm(termination=termination, acting_user=reviewer)
    assert Institution.objects.get(pk=institution.pk).filing_status == "filed"  # still filed until then

    assert terminations_take_effect(today=stops_on - datetime.timedelta(days=1)) == 0
    assert terminations_take_effect(today=stops_on) == 1
    assert Institution.objects.get(pk=institution.pk).filing_status == "terminated"
    assert terminations_take_effect(today=stops_on) == 0  # run twice, nothing more


def test_a_termination_dated_today_or_earlier_ends_the_filing_at_once(submitted, operator, reviewer):
    institution = filing_accept(filing=submitted, acting_user=reviewer).institution
    termination = termination_submit(
        institution=institution,
        planned_on=timezone.localdate(),
        children_plan="转入附近普惠机构",
        staff_plan="依法解除劳动合同",
        acting_user=operator,
    )
    termination_confirm(termination=termination, acting_user=reviewer)
    assert Institution.objects.get(pk=institution.pk).filing_status == "terminated"


def test_the_command_runs_the_same_service(submitted, operator, reviewer):
    institution = filing_accept(filing=submitted, acting_user=reviewer).institution
    termination = termination_submit(
        institution=institution,
        planned_on=timezone.localdate() + datetime.timedelta(days=1),
        children_plan="转入附近普惠机构",
        staff_plan="依法解除劳动合同",
        acting_user=operator,
    )
    termination_confirm(termination=termination, acting_user=reviewer)
    out = io.StringIO()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        call_command("terminations_take_effect", stdout=out)
    assert "已终止1个备案" in out.getvalue()
    assert Institution.objects.get(pk=institution.pk).filing_status == "terminated"
