"""The quality-assessment cycle: a round, the operator's self-assessment, scoring by the assigned assessor
(a third-party body sees only what it was assigned), the grade with veto requirements, publication as the
only way a grade becomes public, and a rubric edit that never changes a finished assessment."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from inspections.models import Assessment
from inspections.services import (
    InspectionError,
    assessment_publish,
    self_assessment_save,
)
from notifications.models import Notification
from registry.models.institutions import FilingStatus
from registry.selectors import visible
from tests.filing.conftest import push_institution

from .conftest import open_round, rubric, score, self_assess

pytestmark = pytest.mark.django_db


def test_a_round_assesses_every_filed_institution_with_the_rubric_copied(world, assessors):
    assessment_round = open_round(world, assessors["body"])
    [assessment] = assessment_round.assessments.all()  # only 阳光 is filed in 清城区
    assert assessment.institution == world.sun and assessment.items.count() == 26
    told = Notification.objects.get(recipient=world.sun_operator, key=f"assessment-open:{assessment.pk}")
    assert told.url == reverse("supervision:assessment", args=[world.sun.pk, assessment.pk])
    with pytest.raises(PermissionDenied):
        open_round(world, assessors["body"], acting_user=world.fire[0])
    world.sun.filing_status = FilingStatus.UNFILED
    world.sun.save()
    with pytest.raises(InspectionError) as refused:
        open_round(world, assessors["body"])
    assert "region" in refused.value.errors


def test_a_third_party_assessor_sees_only_what_it_was_assigned_and_operators_only_their_own(world, assessors):
    mine = open_round(world, assessors["body"]).assessments.get()
    bureau_own = open_round(world, world.health[0].authority, title="自评估").assessments.get()
    assert set(visible(Assessment.objects.all(), assessors["third"])) == {mine}
    assert not visible(Assessment.objects.all(), assessors["other"]).exists()
    assert set(visible(Assessment.objects.all(), world.health[0])) == {mine, bureau_own}
    assert set(visible(Assessment.objects.all(), world.sun_operator)) == {mine, bureau_own}
    assert not visible(Assessment.objects.all(), world.moon_operator).exists()
    assert not visible(Assessment.objects.all(), world.fire[0], action="view").exists()


def test_the_cycle_grades_and_only_publication_makes_the_grade_public(client, world, assessors):
    assessment = open_round(world, assessors["body"]).assessments.get()
    with pytest.raises(InspectionError):
        score(assessment, assessors["third"])  # still self-assessing, within the period
    with pytest.raises(InspectionError) as refused:
        self_assessment_save(
            assessment=assessment,
            answers={assessment.items.first().pk: ("met", "")},
            submit=True,
            acting_user=world.sun_operator,
        )
    assert len(refused.value.errors) == 25  # every other requirement named
    self_assess(world, assessment)
    with pytest.raises(PermissionDenied):
        score(assessment, assessors["other"])
    scored = score(assessment, assessors["third"], short={"1.3": 0, "5.1": 2, "7.2": 0})
    assert (scored.status, scored.total, scored.grade, scored.passing) == (
        "scored",
        Decimal(91),
        "优秀",
        True,
    )
    url = reverse("public:institution", args=[world.sun.uscc])
    assert client.get(url).context["grade"] is None  # scored is not public
    with pytest.raises(PermissionDenied):
        assessment_publish(assessment=scored, acting_user=assessors["third"])
    assessment_publish(assessment=scored, acting_user=world.health[0])
    page = client.get(url)
    assert page.context["grade"].grade == "优秀" and "优秀" in page.text


def test_a_failed_veto_requirement_fails_whatever_the_score(world, assessors):
    assessment = open_round(world, assessors["body"]).assessments.get()
    self_assess(world, assessment)
    scored = score(assessment, assessors["third"], short={"6.1": 3})  # monitoring kept 60 days, not 90
    assert (scored.percent, scored.grade, scored.passing, scored.vetoed) == (
        Decimal("99.0"),
        "不合格",
        False,
        ["6.1"],
    )


def test_a_rubric_edit_never_changes_a_finished_assessment(world, assessors):
    assessment = open_round(world, assessors["body"]).assessments.get()
    self_assess(world, assessment)
    score(assessment, assessors["third"])
    rubric().requirements.filter(code="1.3").update(text="改过的要求", points=Decimal(9))
    rubric().bands.filter(grade="优秀").update(min_percent=Decimal(101))
    item = assessment.items.get(code="1.3")
    assert item.text != "改过的要求" and item.points == 3
    assessment.refresh_from_db()
    assert assessment.grade == "优秀"


def test_the_operator_answers_in_the_portal_and_the_assessor_scores_in_the_admin(client, world, assessors):
    assessment = open_round(world, assessors["body"]).assessments.get()
    items = list(assessment.items.all())
    client.force_login(world.sun_operator)
    url = reverse("supervision:assessment", args=[world.sun.pk, assessment.pk])
    answers = {f"answer-{i.pk}": "met" for i in items}
    answers[f"answer-{items[0].pk}"] = ""
    page = client.post(url, {**answers, "action": "submit"})
    assert page.status_code == 200 and page.context["rows"][0]["errors"]
    answers[f"answer-{items[0].pk}"] = "partly"
    assert client.post(url, {**answers, "action": "submit"}).status_code == 302
    client.force_login(world.moon_operator)
    assert client.get(url).status_code == 404
    client.force_login(assessors["third"])
    score_url = reverse("admin:inspections_assessment_score", args=[assessment.pk])
    data = {f"awarded-{i.pk}": str(i.points) for i in items}
    data[f"awarded-{items[0].pk}"] = "99"
    page = client.post(score_url, data)
    assert page.status_code == 200 and page.context["rows"][0]["errors"]
    data[f"awarded-{items[0].pk}"] = "3"
    assert client.post(score_url, data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "scored"
    client.force_login(assessors["other"])
    assert client.get(score_url).status_code in (302, 404)


def test_the_institution_page_and_the_list_show_the_results(client, world, assessors):
    assessment = open_round(world, assessors["body"]).assessments.get()
    self_assess(world, assessment)
    assessment_publish(
        assessment=score(assessment, assessors["third"], short={"6.1": 0}), acting_user=world.health[0]
    )
    client.force_login(world.health[0])
    page = client.get(reverse("admin:registry_institution_change", args=[world.sun.pk]))
    assert "不合格" in page.text and "安全保障 11/15" in page.text
    listing = client.get(reverse("admin:inspections_assessment_changelist"))
    distribution = listing.context["distribution"]
    assert (distribution["grades"], distribution["rows"]) == (["不合格"], [("清城区", [1], 1)])


def test_the_bureau_chooses_the_institutions_in_scope_or_takes_every_filed_one(client, world, assessors):
    other = push_institution(world.regions, "441802", name="星辰托育有限公司")
    other.filing_status = FilingStatus.FILED
    other.save(update_fields=["filing_status"])
    chosen = open_round(world, assessors["body"], institutions=[other])
    assert [a.institution for a in chosen.assessments.all()] == [other]
    with pytest.raises(InspectionError) as refused:
        open_round(world, assessors["body"], institutions=[world.moon])  # not filed
    assert "月亮托育有限公司" in refused.value.errors["institutions"][0]
    client.force_login(world.health[0])
    add = reverse("admin:inspections_assessmentround_add")
    data = {
        "title": "专项评估",
        "region": "441802",
        "starts_on": "2026-12-01",
        "ends_on": "2026-11-01",
        "rubric": rubric().pk,
        "assessor": assessors["body"].pk,
        "institutions": [world.moon.pk],
    }
    page = client.post(add, data)
    form = page.context["adminform"].form
    assert "ends_on" in form.errors and "institutions" in form.errors  # the moon is not even offered
    data.update(ends_on="2026-12-31", institutions=[world.sun.pk])
    assert client.post(add, data).status_code == 302
    assert [a.institution for a in Assessment.objects.filter(round__title="专项评估")] == [world.sun]
