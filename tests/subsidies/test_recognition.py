"""Inclusive and demonstration recognition: the operator applies in the portal, the platform checks the
fees against the cap and the guided standard, the county bureau recognises for the rule's period or
refuses with a reason; the directory shows only what is recognised; a fee change is rechecked."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from filing.models import DirectoryEntry
from filing.services import annual_report_submit
from notifications.models import Notification
from subsidies.models import Fee, GuidedFee, Recognition
from subsidies.services import (
    SubsidyError,
    recognition_confirm_fees,
    recognition_decide,
    recognition_revoke,
)

from .conftest import apply, file, operator_of, push_institution, reviewer_of

pytestmark = pytest.mark.django_db


def test_the_operators_own_tick_counts_for_nothing_the_recognition_does(
    filed, operator, reviewer, cap_441802
):
    from filing.models import Filing

    Filing.objects.filter(institution=filed).update(inclusive=True)
    from filing.services.directory import directory_rebuild

    directory_rebuild()
    assert DirectoryEntry.objects.get(pk=filed.pk).inclusive is False
    recognition = apply(filed, operator, {"full_day": 1400})
    assert [c["result"] for c in recognition.checks] == ["pass", "pass"]  # filed, within the cap
    assert DirectoryEntry.objects.get(pk=filed.pk).inclusive is False  # applied is not recognised
    recognition_decide(recognition=recognition, recognised=True, reason="", acting_user=reviewer)
    recognition.refresh_from_db()
    assert recognition.status == "recognised" and recognition.valid_from == timezone.localdate()
    assert (recognition.valid_until - recognition.valid_from).days in range(1094, 1097)  # 36 months
    entry = DirectoryEntry.objects.get(pk=filed.pk)
    assert entry.inclusive is True and entry.monthly_fees == {"full_day": 1400}  # the recognised fee
    assert Notification.objects.filter(recipient=operator, title__contains="认定").exists()


def test_over_the_cap_it_cannot_be_recognised_and_a_refusal_needs_a_reason(
    filed, operator, reviewer, cap_441802
):
    recognition = apply(filed, operator, {"full_day": 1800})
    cap = next(c for c in recognition.described_checks if c["name"] == "cap")
    assert cap["result"] == "fail" and "上限 1500 元" in cap["detail"] and "全日托 1800 元" in cap["detail"]
    with pytest.raises(SubsidyError, match="价格上限"):
        recognition_decide(recognition=recognition, recognised=True, reason="", acting_user=reviewer)
    with pytest.raises(SubsidyError) as refused:
        recognition_decide(recognition=recognition, recognised=False, reason="  ", acting_user=reviewer)
    assert "reason" in refused.value.errors
    recognition_decide(
        recognition=recognition, recognised=False, reason="收费超过上限。", acting_user=reviewer
    )
    recognition.refresh_from_db()
    assert recognition.status == "refused" and recognition.decision_reason == "收费超过上限。"
    assert not DirectoryEntry.objects.get(pk=filed.pk).inclusive
    with pytest.raises(SubsidyError, match="已经"):
        recognition_decide(recognition=recognition, recognised=False, reason="x", acting_user=reviewer)


def test_a_non_profit_is_held_to_the_guided_standard(regions, reviewer, cap_441802):
    from registry.models import Institution

    institution = push_institution(regions)
    Institution.objects.filter(pk=institution.pk).update(route="social_service")
    institution.refresh_from_db()
    operator = operator_of(institution)
    file(institution, operator, reviewer)
    GuidedFee.objects.create(
        region=regions["441802"], year=timezone.localdate().year, service_type="full_day", monthly_fee=1300
    )
    recognition = apply(institution, operator, {"full_day": 1400})
    guided = next(c for c in recognition.described_checks if c["name"] == "guided")
    assert guided["result"] == "fail" and "1300" in guided["detail"]
    with pytest.raises(SubsidyError):
        recognition_decide(recognition=recognition, recognised=True, reason="", acting_user=reviewer)


def test_an_application_states_every_fee_and_the_undertaking_and_only_one_awaits(filed, operator):
    with pytest.raises(SubsidyError) as refused:
        apply(filed, operator, {}, undertaking_accepted=False, inclusive_slots=99)
    assert set(refused.value.errors) == {"fee_full_day", "undertaking", "inclusive_slots"}
    assert not Recognition.objects.exists()  # nothing kept
    apply(filed, operator)
    with pytest.raises(SubsidyError, match="已有"):
        apply(filed, operator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recognition.objects.create(institution=filed, kind="inclusive", applied_by=operator)


def test_only_a_filed_institution_applies_and_only_its_operator(regions, filed, operator):
    unfiled = push_institution(regions, name="未备案托育有限公司")
    with pytest.raises(SubsidyError):
        apply(unfiled, operator_of(unfiled))
    with pytest.raises(PermissionDenied):
        apply(filed, operator_of(unfiled))


def test_a_demonstration_needs_an_inclusive_recognition_in_force(filed, operator, reviewer):
    demonstration = apply(filed, operator, kind="demonstration")
    assert demonstration.described_checks[-1] == {
        "name": "inclusive",
        "label": "已认定为普惠",
        "mark": "未通过",
        "result": "fail",
        "detail": "",
    }
    with pytest.raises(SubsidyError):
        recognition_decide(recognition=demonstration, recognised=True, reason="", acting_user=reviewer)
    inclusive = apply(filed, operator)  # no cap known in this county: "cannot be checked", may be recognised
    assert next(c for c in inclusive.checks if c["name"] == "cap")["result"] == "unknown"
    recognition_decide(recognition=inclusive, recognised=True, reason="", acting_user=reviewer)
    recognition_decide(
        recognition=demonstration, recognised=True, reason="现场评估达标", acting_user=reviewer
    )
    entry = DirectoryEntry.objects.get(pk=filed.pk)
    assert entry.inclusive and entry.demonstration


def test_another_county_can_neither_decide_nor_see_it(regions, filed, operator, client):
    recognition = apply(filed, operator)
    outsider = reviewer_of(regions, "441803")
    with pytest.raises(PermissionDenied):
        recognition_decide(recognition=recognition, recognised=False, reason="x", acting_user=outsider)
    client.force_login(outsider)
    assert client.get(reverse("admin:subsidies_recognition_change", args=[recognition.pk])).status_code == 302
    assert client.get(reverse("admin:subsidies_recognition_decide", args=[recognition.pk])).status_code == 404
    assert client.get(reverse("admin:subsidies_recognition_changelist")).context["cl"].result_count == 0


def test_a_fee_change_of_a_recognised_institution_is_rechecked(filed, operator, reviewer, cap_441802, client):
    recognition = apply(filed, operator, {"full_day": 1400})
    recognition_decide(recognition=recognition, recognised=True, reason="", acting_user=reviewer)
    year = timezone.localdate().year
    annual_report_submit(
        institution=filed,
        year=year - 1,
        enrolled_children=12,
        staff_total=7,
        incidents="",
        monthly_fees={"full_day": 1450},
        acting_user=operator,
    )
    recognition.refresh_from_db()
    assert recognition.recheck_since == timezone.localdate() and "1400 → 1450" in recognition.recheck_note
    assert Notification.objects.filter(recipient=reviewer, title__contains="收费").count() == 1
    assert Fee.objects.get(institution=filed).monthly_fee == 1450
    client.force_login(reviewer)
    tasks = {str(t["label"]): t for t in client.get("/admin/").context["tasks"]}
    assert tasks["普惠机构收费变更待核"]["count"] == 1
    recognition_confirm_fees(recognition=recognition, acting_user=reviewer)
    recognition.refresh_from_db()
    assert recognition.recheck_since is None and recognition.monthly_fees == {"full_day": 1450}
    # Over the cap the new fees cannot be confirmed: the bureau revokes.
    annual_report_submit(
        institution=filed,
        year=year,
        enrolled_children=12,
        staff_total=7,
        incidents="",
        monthly_fees={"full_day": 1900},
        acting_user=operator,
    )
    recognition.refresh_from_db()
    with pytest.raises(SubsidyError, match="撤销"):
        recognition_confirm_fees(recognition=recognition, acting_user=reviewer)
    recognition_revoke(recognition=recognition, reason="收费超过普惠价格上限。", acting_user=reviewer)
    recognition.refresh_from_db()
    assert recognition.status == "revoked" and recognition.valid_until < timezone.localdate()
    assert not DirectoryEntry.objects.get(pk=filed.pk).inclusive


def test_the_bureau_decides_in_the_admin(filed, operator, reviewer, cap_441802, client):
    recognition = apply(filed, operator, {"full_day": 1400})
    client.force_login(reviewer)
    page = client.get(reverse("admin:subsidies_recognition_change", args=[recognition.pk]))
    assert page.status_code == 200 and "价格上限" in page.text and "1500" in page.text
    decide = reverse("admin:subsidies_recognition_decide", args=[recognition.pk])
    refused = client.post(decide, {"decision": "refuse", "reason": ""})
    assert refused.status_code == 200 and "理由" in refused.text
    done = client.post(decide, {"decision": "recognise", "reason": ""})
    assert done.status_code == 302
    recognition.refresh_from_db()
    assert recognition.status == "recognised"


def test_the_operator_applies_in_the_portal_and_sees_only_their_own(
    filed, operator, cap_441802, client, regions
):
    client.force_login(operator)
    url = reverse("subsidies:recognition", args=[filed.pk])
    page = client.get(url)
    assert page.status_code == 200 and "1500" in page.text  # the cap shown before applying
    assert page.context["inclusive_form"]["fee_full_day"].value() == 2000  # prefilled from the filing
    wrong = client.post(
        url, {"kind": "inclusive", "fee_full_day": "1400", "slots": "15", "inclusive_slots": "15"}
    )
    assert wrong.status_code == 200 and "承诺" in wrong.text and not Recognition.objects.exists()
    sent = client.post(
        url,
        {
            "kind": "inclusive",
            "fee_full_day": "1400",
            "slots": "15",
            "inclusive_slots": "15",
            "undertaking": "on",
        },
    )
    assert sent.status_code == 302
    assert Recognition.objects.get().monthly_fees == {"full_day": 1400}
    other = push_institution(regions, name="他人托育有限公司")
    assert client.get(reverse("subsidies:recognition", args=[other.pk])).status_code == 404


def test_checks_are_kept_as_figures_and_read_in_the_readers_language(filed, operator, cap_441802):
    from django.utils import translation

    recognition = apply(filed, operator, {"full_day": 1800})
    cap = next(c for c in recognition.checks if c["name"] == "cap")
    assert cap == {
        "name": "cap",
        "result": "fail",
        "cap": 1500,
        "percent": "30",
        "income": 60000,
        "region": "清城区",
        "year": timezone.localdate().year - 1,
        "over": {"full_day": 1800},
    }
    with translation.override("en"):
        english = next(c for c in recognition.described_checks if c["name"] == "cap")
    assert (
        english["label"] == "Within the inclusive price cap"
        and "Full-day care 1800 yuan" in english["detail"]
    )


def test_the_recognition_list_costs_the_same_queries_for_few_and_many(regions, reviewer, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for i in range(n):
            institution = push_institution(regions, name=f"托育机构{i}")
            operator = operator_of(institution)
            file(institution, operator, reviewer)
            apply(institution, operator)

    client.force_login(reviewer)
    url = reverse("admin:subsidies_recognition_changelist")
    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).context["cl"].result_count == 2
    add(8)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).context["cl"].result_count == 10
    assert len(many.captured_queries) == len(few.captured_queries)
