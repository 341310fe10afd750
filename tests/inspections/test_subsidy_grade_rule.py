"""A subsidy programme's "latest quality grade at least" rule reads the published assessment: scored but
unpublished counts for nothing, a grade under the one asked for fails, a veto failure fails."""

import pytest
from django.utils import timezone

from inspections.services import assessment_publish
from subsidies.eligibility import evaluate

from .conftest import open_round, score, self_assess

pytestmark = pytest.mark.django_db


def grade_rule(institution, wanted):
    [_filed, found] = evaluate([("min_grade", wanted)], institution, timezone.localdate())
    return found


def test_the_rule_reads_the_latest_published_grade(world, assessors):
    assert grade_rule(world.sun, "良好")["result"] == "fail"  # no grade yet
    assessment = open_round(world, assessors["body"]).assessments.get()
    self_assess(world, assessment)
    scored = score(assessment, assessors["third"], short={"1.3": 0, "5.1": 2, "7.2": 0, "3.1": 0, "3.3": 0})
    assert grade_rule(world.sun, "合格")["result"] == "fail"  # scored, not published
    assessment_publish(assessment=scored, acting_user=world.health[0])
    scored.refresh_from_db()
    assert scored.grade == "良好"
    assert grade_rule(world.sun, "合格")["result"] == "pass"
    assert grade_rule(world.sun, "良好")["result"] == "pass"
    found = grade_rule(world.sun, "优秀")
    assert found["result"] == "fail" and found["grade"] == "良好"
    assert grade_rule(world.sun, "卓越")["result"] == "unknown"  # no such grade in the rubric
