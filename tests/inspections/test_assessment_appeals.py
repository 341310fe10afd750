"""After publication: the operator's appeal within the policy's days and the bureau's decision with a reason,
the re-assessment date set by policy and its escalation ladder, evidence per requirement, what the
self-assessment is prefilled from, and grades per county and city."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from filing.models import EscalationStep
from filing.services import filing_accept, filing_submit
from inspections.models import Assessment, AssessmentPolicy
from inspections.selectors import published_grade
from inspections.services import (
    InspectionError,
    appeal_decide,
    appeal_lodge,
    assessment_publish,
    assessment_rectify,
    escalate_rectifications,
    evidence_add,
)
from notifications.models import Notification
from registry.models.institutions import FilingStatus
from tests.filing.conftest import complete_draft
from tests.workforce.conftest import NCR, START, ric_number
from workforce.services import hire

from .conftest import TODAY, inspect, open_round, png, score, self_assess

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world, assessors):
    assessment = open_round(world, assessors["body"]).assessments.get()
    self_assess(world, assessment)
    return assessment_publish(
        assessment=score(assessment, assessors["third"], short={"6.1": 2}), acting_user=world.health[0]
    )


def test_publication_sets_the_appeal_deadline_and_the_reassessment_date_from_policy(world, assessors):
    AssessmentPolicy.objects.create(
        region=world.regions["441800"], appeal_days=10, pass_valid_months=24, fail_reassess_months=3
    )
    passed = open_round(world, assessors["body"]).assessments.get()
    self_assess(world, passed)
    passed = assessment_publish(assessment=score(passed, assessors["third"]), acting_user=world.health[0])
    today = timezone.localdate()
    assert passed.appeal_until == today + datetime.timedelta(days=10)
    assert (passed.reassess_by.year - today.year) * 12 + passed.reassess_by.month - today.month == 24
    failed = open_round(world, assessors["body"], title="复评").assessments.get()
    self_assess(world, failed)
    failed = assessment_publish(
        assessment=score(failed, assessors["third"], short={"6.1": 0}), acting_user=world.health[0]
    )
    assert (failed.reassess_by.year - today.year) * 12 + failed.reassess_by.month - today.month == 3
    told = Notification.objects.get(recipient=world.sun_operator, key=f"assessment-published:{failed.pk}")
    assert failed.appeal_until.isoformat() in told.body


def test_the_operator_appeals_within_the_period_and_the_bureau_upholds_it(
    client, world, assessors, published
):
    with pytest.raises(PermissionDenied):
        appeal_lodge(assessment=published, reason="不服", acting_user=world.moon_operator)
    with pytest.raises(InspectionError) as refused:
        appeal_lodge(assessment=published, reason="  ", acting_user=world.sun_operator)
    assert "reason" in refused.value.errors
    appeal = appeal_lodge(
        assessment=published, reason="6.1 录像保存90日，请复核。", acting_user=world.sun_operator
    )
    published.refresh_from_db()
    assert published.status == Assessment.Status.APPEALED
    assert Notification.objects.filter(
        recipient=world.health[0], key=f"assessment-appealed:{appeal.pk}"
    ).exists()
    assert published_grade(world.sun).grade == "不合格"  # still public while the appeal is decided
    with pytest.raises(InspectionError):
        appeal_lodge(assessment=published, reason="再次申诉", acting_user=world.sun_operator)
    with pytest.raises(PermissionDenied):
        appeal_decide(assessment=published, upheld=True, reason="成立", acting_user=assessors["third"])
    with pytest.raises(InspectionError) as refused:
        appeal_decide(assessment=published, upheld=True, reason="", acting_user=world.health[0])
    assert "reason" in refused.value.errors
    appeal_decide(
        assessment=published, upheld=True, reason="录像可调阅，予以重新评分。", acting_user=world.health[0]
    )
    published.refresh_from_db()
    assert (published.status, published.published_at, published.reassess_by) == ("submitted", None, None)
    assert published_grade(world.sun) is None  # withdrawn until published again
    assert client.get(reverse("public:institution", args=[world.sun.uscc])).context["grade"] is None
    told = Notification.objects.get(
        recipient=world.sun_operator, key=f"assessment-appeal-decided:{appeal.pk}"
    )
    assert "录像可调阅" in told.body
    assert Notification.objects.filter(
        recipient=assessors["third"], key=f"assessment-rescore:{appeal.pk}"
    ).exists()
    rescored = score(published, assessors["third"])
    assert assessment_publish(assessment=rescored, acting_user=world.health[0]).grade == "优秀"


def test_a_dismissed_appeal_leaves_the_grade_published(world, published):
    appeal_lodge(assessment=published, reason="评分过严", acting_user=world.sun_operator)
    appeal_decide(
        assessment=published, upheld=False, reason="现场核查属实，维持原评定。", acting_user=world.health[0]
    )
    published.refresh_from_db()
    assert published.status == Assessment.Status.PUBLISHED and published.appeals.get().decision == "dismissed"
    assert published_grade(world.sun) == published
    with pytest.raises(InspectionError):
        appeal_decide(assessment=published, upheld=True, reason="再议", acting_user=world.health[0])


def test_no_appeal_after_the_deadline_nor_before_publication(world, assessors, published):
    Assessment.objects.filter(pk=published.pk).update(appeal_until=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(InspectionError, match="届满"):
        appeal_lodge(assessment=published, reason="晚了", acting_user=world.sun_operator)
    unpublished = open_round(world, assessors["body"], title="另一轮").assessments.get()
    with pytest.raises(InspectionError):
        appeal_lodge(assessment=unpublished, reason="还没公布", acting_user=world.sun_operator)


def test_the_appeal_in_the_portal_and_the_decision_in_the_admin(client, world, published):
    url = reverse("supervision:assessment", args=[world.sun.pk, published.pk])
    client.force_login(world.sun_operator)
    page = client.get(url)
    assert page.context["may_appeal"] and "申诉" in page.text
    refused = client.post(url, {"action": "appeal", "reason": ""})
    assert refused.status_code == 200 and refused.context["appeal_errors"]
    assert client.post(url, {"action": "appeal", "reason": "请复核 6.1"}).status_code == 302
    assert not client.get(url).context["may_appeal"]
    client.force_login(world.health[0])
    change = client.get(reverse("admin:inspections_assessment_change", args=[published.pk]))
    decide_url = reverse("admin:inspections_assessment_appeal", args=[published.pk])
    assert decide_url in change.text
    page = client.post(decide_url, {"decision": "", "reason": "x"})
    assert page.status_code == 200 and page.context["form"].errors["decision"]
    assert client.post(decide_url, {"decision": "dismissed", "reason": "维持"}).status_code == 302
    published.refresh_from_db()
    assert published.status == "published"
    assert client.get(decide_url).status_code == 302  # nothing left to decide


def test_an_overdue_reassessment_climbs_its_ladder_once_until_a_new_round(world, assessors, published):
    later = published.reassess_by + datetime.timedelta(days=1)
    first = escalate_rectifications(today=later)
    assert first["reassessment"] == 1
    assert Notification.objects.filter(recipient=world.sun_operator, title__contains=world.sun.name).exists()
    assert escalate_rectifications(today=later)["reassessment"] == 0  # each rung once
    assert EscalationStep.objects.filter(ladder="reassessment").count() == 1
    open_round(world, assessors["body"], title="复评轮次")
    assert escalate_rectifications(today=later + datetime.timedelta(days=40))["reassessment"] == 0


def test_evidence_per_requirement_from_the_operator_and_the_assessor(client, world, assessors):
    assessment = open_round(world, assessors["body"]).assessments.get()
    item = assessment.items.get(code="2.1")
    url = reverse("supervision:assessment", args=[world.sun.pk, assessment.pk])
    client.force_login(world.sun_operator)
    bad = client.post(url, {"action": "save", f"files-{item.pk}": [png("note.exe")]})
    assert bad.status_code == 200 and bad.context["file_errors"] and not item.files.exists()
    assert client.post(url, {"action": "save", f"files-{item.pk}": [png("健康证.png")]}).status_code == 302
    evidence = item.files.get()
    assert not evidence.by_assessor and evidence.name == "健康证.png"
    file_url = reverse("field:assessment-evidence", args=[evidence.pk])
    assert client.get(file_url).status_code == 200
    client.force_login(world.moon_operator)
    assert client.get(file_url).status_code == 404
    client.force_login(assessors["other"])
    assert client.get(file_url).status_code == 404
    client.force_login(assessors["third"])
    assert client.get(file_url).status_code == 200
    self_assess(world, assessment)
    with pytest.raises(InspectionError):
        evidence_add(item=item, files=[png()], acting_user=world.sun_operator)  # submitted: kept as it is
    score_url = reverse("admin:inspections_assessment_score", args=[assessment.pk])
    data = {f"awarded-{i.pk}": str(i.points) for i in assessment.items.all()}
    assert client.post(score_url, {**data, f"photos-{item.pk}": [png("现场.png")]}).status_code == 302
    assert item.files.filter(by_assessor=True, name="现场.png").exists()


def test_the_self_assessment_is_prefilled_from_the_register_the_filing_and_the_last_inspection(
    world, assessors
):
    world.sun.filing_status = FilingStatus.UNFILED
    world.sun.save(update_fields=["filing_status"])
    filing = filing_submit(
        filing=complete_draft(world.sun, world.sun_operator), acting_user=world.sun_operator
    )
    filing = filing_accept(filing=filing, acting_user=world.health[0])
    for serial in (1, 2):
        hire(
            institution=world.sun,
            document_type="ric",
            document_number=ric_number(serial),
            name=f"保育员{serial}",
            role="carer",
            starts_on=START,
            acting_user=world.sun_operator,
            no_criminal_record=NCR,
        )
    inspect(world.fire, world.sun, "fire", failing=["F03"])
    assessment = open_round(world, assessors["body"]).assessments.get()
    items = {item.code: item for item in assessment.items.all()}
    assert items["1.1"].self_answer == "met" and filing.receipt_number in items["1.1"].prefill_source
    assert items["1.6"].self_answer == "" and "托小班" in items["1.6"].prefill_source  # a person judges
    assert (items["2.2"].self_answer, items["2.1"].self_answer) == ("met", "not_met")
    assert "2" in items["2.1"].prefill_source and "健康证明" in items["2.1"].prefill_source
    assert items["6.3"].self_answer == "partly" and "F03" in items["6.3"].prefill_source
    assert items["1.2"].prefill_source == ""  # seen on site: nothing to prefill
    assert items["4.3"].prefill_source == ""  # no health inspection yet


def test_grades_by_county_and_by_city(client, world, assessors, published):
    client.force_login(world.city_health)
    listing = client.get(reverse("admin:inspections_assessment_changelist"))
    [city] = listing.context["distribution"]["cities"]
    assert city["name"] == "清远市" and city["rows"] == [("清城区", [1], 1)] and city["all"] == 1
    assert "清远市" in listing.text


def test_a_failed_assessment_orders_rectification_of_each_requirement_not_met(client, world, assessors):
    assessment = open_round(world, assessors["body"]).assessments.get()
    self_assess(world, assessment)
    passed = assessment_publish(assessment=score(assessment, assessors["third"]), acting_user=world.health[0])
    with pytest.raises(InspectionError):
        assessment_rectify(assessment=passed, acting_user=world.health[0])  # a pass needs none
    failed = open_round(world, assessors["body"], title="复评").assessments.get()
    self_assess(world, failed)
    failed = score(failed, assessors["third"], short={"6.1": 2, "5.2": 3})
    with pytest.raises(InspectionError):
        assessment_rectify(assessment=failed, acting_user=world.health[0])  # not published yet
    failed = assessment_publish(assessment=failed, acting_user=world.health[0])
    with pytest.raises(PermissionDenied):
        assessment_rectify(assessment=failed, acting_user=assessors["third"])
    client.force_login(world.health[0])
    url = reverse("admin:inspections_assessment_rectify", args=[failed.pk])
    page = client.get(url)
    assert page.status_code == 200 and "6.1" in page.text and "5.2" in page.text
    assert client.post(url).status_code == 302
    failed.refresh_from_db()
    orders = {r.finding.code: r for r in failed.rectification.rectifications.select_related("finding")}
    assert set(orders) == {"6.1", "5.2"}
    assert (orders["6.1"].severity, orders["5.2"].severity) == ("serious", "major")
    assert orders["6.1"].deadline < orders["5.2"].deadline  # serious: 7 days, major: 15
    assert Notification.objects.filter(
        recipient=world.sun_operator, key=f"inspection-recorded:{failed.rectification_id}"
    ).exists()
    with pytest.raises(InspectionError):
        assessment_rectify(assessment=failed, acting_user=world.health[0])  # once
