import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from filing.models import Filing, FilingPolicy, Transition
from filing.selectors import days_waiting, filing_diff, policy_for, standards_findings
from filing.services import (
    FilingError,
    TransitionNotAllowed,
    filing_accept,
    filing_refuse,
    filing_return,
    filing_save_draft,
    filing_start,
    filing_submit,
)
from registry.models import Institution
from tests.factories import UserFactory
from tests.filing.conftest import complete_draft, push_institution, reviewer_of

pytestmark = pytest.mark.django_db


def status_of(institution):
    return Institution.objects.get(pk=institution.pk).filing_status


def test_submit_accept_issues_numbered_receipts(regions, institution, operator, reviewer, submitted):
    assert status_of(institution) == "submitted"
    accepted = filing_accept(filing=submitted, acting_user=reviewer)
    year = timezone.localdate().year
    assert accepted.receipt_number == f"BA441802{year}00001"
    assert status_of(institution) == "filed"
    moves = list(Transition.objects.filter(filing=submitted).values_list("from_status", "to_status", "actor"))
    assert moves == [("draft", "submitted", operator.pk), ("submitted", "accepted", reviewer.pk)]

    other = push_institution(regions)
    other_operator = UserFactory()
    from registry.services import operator_grant

    operator_grant(user=other_operator, institution=other)
    second = filing_submit(filing=complete_draft(other, other_operator), acting_user=other_operator)
    assert filing_accept(filing=second, acting_user=reviewer).receipt_number == f"BA441802{year}00002"


def test_return_needs_reasons_and_counts_rounds(institution, operator, reviewer, submitted):
    with pytest.raises(FilingError):
        filing_return(filing=submitted, acting_user=reviewer, reasons=[("premises", "  ")])
    filing_return(filing=submitted, acting_user=reviewer, reasons=[("premises", "租赁合同缺页")])
    assert status_of(institution) == "returned"
    filing_submit(filing=submitted, acting_user=operator)  # corrected and resubmitted
    filing_return(filing=submitted, acting_user=reviewer, reasons=[("staff", "缺健康证明")])
    rounds = list(submitted.return_reasons.values_list("round", "item", "reason"))
    assert rounds == [(1, "premises", "租赁合同缺页"), (2, "staff", "缺健康证明")]


def test_refuse_needs_a_reason(institution, reviewer, submitted):
    with pytest.raises(FilingError):
        filing_refuse(filing=submitted, acting_user=reviewer, reason="")
    filing_refuse(filing=submitted, acting_user=reviewer, reason="场所不符合要求")
    assert status_of(institution) == "refused"


def test_impossible_transitions_are_refused_with_a_message(institution, operator, reviewer, submitted):
    filing_accept(filing=submitted, acting_user=reviewer)
    with pytest.raises(TransitionNotAllowed, match="已备案"):
        filing_return(filing=submitted, acting_user=reviewer, reasons=[("x", "y")])
    with pytest.raises(TransitionNotAllowed):
        filing_refuse(filing=submitted, acting_user=reviewer, reason="x")
    with pytest.raises(TransitionNotAllowed):
        filing_submit(filing=submitted, acting_user=operator)
    with pytest.raises(TransitionNotAllowed):
        filing_save_draft(filing=submitted, data={}, classes=None, acting_user=operator)


def test_a_draft_cannot_be_accepted(institution, operator, reviewer):
    draft = complete_draft(institution, operator)
    with pytest.raises(TransitionNotAllowed):
        filing_accept(filing=draft, acting_user=reviewer)


def test_an_incomplete_filing_lists_what_is_missing_and_changes_nothing(institution, operator):
    draft = complete_draft(
        institution, operator, data={"contact_phone": ""}, classes=[], materials=False, commitment=False
    )
    with pytest.raises(FilingError) as error:
        filing_submit(filing=draft, acting_user=operator)
    missing = set(error.value.errors)
    assert {"contact_phone", "classes", "commitment", "material:fire_safety"} <= missing
    assert "material:other" not in missing  # optional
    draft.refresh_from_db()
    assert draft.status == "draft" and not draft.transitions.exists()


def test_only_the_institutions_operator_and_the_countys_reviewers_act(regions, institution, submitted):
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        filing_start(institution=institution, acting_user=stranger)
    with pytest.raises(PermissionDenied):
        filing_accept(filing=submitted, acting_user=reviewer_of(regions, "441803"))
    with pytest.raises(PermissionDenied):
        filing_accept(filing=submitted, acting_user=UserFactory(is_staff=True))
    filing_accept(filing=submitted, acting_user=reviewer_of(regions, "441800"))  # the city, from above


def test_after_acceptance_a_change_filing_amends_it(institution, operator, reviewer, submitted):
    filing_accept(filing=submitted, acting_user=reviewer)
    change = filing_start(institution=institution, acting_user=operator)
    assert (change.kind, change.amends_id) == ("change", submitted.pk)
    assert change.classes.count() == 1
    assert filing_start(institution=institution, acting_user=operator) == change  # resumed, not duplicated
    change = filing_save_draft(
        filing=change,
        data={"address": "新地址8号"},
        acting_user=operator,
        commitment_accepted=True,
        classes=[{"class_type": "toddler", "name": "托小班", "slots": 12, "enrolled": 12, "carers": 3}],
    )
    labels = [label for label, _before, _after in filing_diff(change)]
    assert "地址" in labels and "班级" in labels
    filing_submit(filing=change, acting_user=operator)
    assert status_of(institution) == "filed"  # stays filed while the change is reviewed
    accepted = filing_accept(filing=change, acting_user=reviewer)
    assert re.fullmatch(r"BG441802\d{4}\d{5}", accepted.receipt_number)
    assert Institution.objects.get(pk=institution.pk).address == "新地址8号"


def test_standards_findings_are_kept_but_do_not_block(institution, operator, regions):
    FilingPolicy.objects.create(region=regions["441800"], max_toddler_class=12)
    draft = complete_draft(
        institution,
        operator,
        data={"staff_health": 0, "lease_ends_on": None},
        classes=[
            {"class_type": "toddler", "slots": 15, "enrolled": 15, "carers": 2},
            {"class_type": "infant", "slots": 6, "enrolled": 6, "carers": 2},
        ],
    )
    submitted = filing_submit(filing=draft, acting_user=operator)
    codes = [f["code"] for f in submitted.findings]
    assert codes.count("class_slots_over_cap") == 1  # 15 places > the city's 12
    assert codes.count("class_enrolled_over_cap") == 1  # 15 children > the city's 12
    assert codes.count("carer_ratio") == 1  # 15 toddlers, 2 carers; 6 infants, 2 carers is fine
    assert {"health_staff", "lease_dates"} <= set(codes)
    assert submitted.status == Filing.Status.SUBMITTED


def test_a_finding_names_the_number_that_breaks_the_limit(institution, operator):
    """18 places and 12 children in a toddler class (cap 15): the places break the cap, not the children."""
    draft = complete_draft(
        institution,
        operator,
        classes=[{"class_type": "toddler", "name": "托小班", "slots": 18, "enrolled": 12, "carers": 3}],
    )
    with translation.override("zh-hans"):
        findings = standards_findings(draft, policy_for("441802"))
    messages = {f.code: f.message for f in findings}
    assert set(messages) == {"class_slots_over_cap"}
    assert messages["class_slots_over_cap"] == "托小班设置托位18个，超过该类班级上限15人。"


def test_carer_ratio_is_judged_on_children_enrolled(institution, operator):
    draft = complete_draft(
        institution,
        operator,
        classes=[{"class_type": "toddler", "name": "托小班", "slots": 15, "enrolled": 13, "carers": 2}],
    )
    with translation.override("zh-hans"):
        (finding,) = standards_findings(draft, policy_for("441802"))
    assert finding.message == "托小班：在托婴幼儿13名、保育人员2名，标准为1名保育人员照护不超过5名。"


def test_policy_resolution_most_specific_wins(regions):
    assert policy_for("441802").max_toddler_class == 15
    FilingPolicy.objects.create(region=regions["441800"], max_toddler_class=12)
    FilingPolicy.objects.create(region=regions["441803"], max_toddler_class=14)
    assert policy_for("441802").max_toddler_class == 12
    assert policy_for("441803").max_toddler_class == 14
    assert policy_for("445302").max_toddler_class == 15


def test_compliant_filing_has_no_findings(institution, operator):
    draft = complete_draft(institution, operator)
    assert standards_findings(draft, policy_for("441802")) == []


def test_the_review_clock_does_not_count_national_day(submitted):
    """Submitted on 30 September 2026: by 9 October two working days have passed, not seven."""
    submitted.submitted_at = datetime.datetime(2026, 9, 30, 10, tzinfo=datetime.UTC)
    assert days_waiting(submitted, today=datetime.date(2026, 10, 9)) == 2
