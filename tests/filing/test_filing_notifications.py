"""People hear of each move of a filing in their inbox (and by e-mail), with a link to it."""

import datetime

from django.utils import timezone

from filing.services import (
    filing_accept,
    filing_return,
    filing_save_draft,
    filing_start,
    filing_submit,
    signup_approve,
    signup_confirm,
    signup_create,
)
from filing.services.escalation import escalate
from notifications.models import Notification
from registry.models import Registration

from .conftest import CLASSES, complete_draft, push_institution, reviewer_of


def titles(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", "url"))


def test_reviewers_hear_of_submissions_and_operators_of_decisions(regions, institution, operator, reviewer):
    neighbour = reviewer_of(regions, "441803")
    filing = filing_submit(filing=complete_draft(institution, operator), acting_user=operator)
    assert titles(reviewer) == [
        (f"备案待审核：{institution.name}", f"/admin/filing/filing/{filing.pk}/change/")
    ]
    filing = filing_return(filing=filing, acting_user=reviewer, reasons=[("lease", "租期不足三年")])
    [(title, url)] = titles(operator)
    assert title == f"备案被退回补正：{institution.name}" and url == f"/portal/filings/{filing.pk}/"
    assert "租期不足三年" in Notification.objects.get(recipient=operator).body
    filing = filing_submit(filing=filing, acting_user=operator)
    filing_accept(filing=filing, acting_user=reviewer)
    assert [t for t, _ in titles(operator)][-1] == f"准予备案：{institution.name}"
    assert len(titles(reviewer)) == 2 and titles(neighbour) == []


def unread(user):
    return list(
        Notification.objects.filter(recipient=user, read_at=None)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_a_decision_settles_the_notices_that_asked_for_it(institution, operator, reviewer):
    filing = filing_submit(filing=complete_draft(institution, operator), acting_user=operator)
    assert unread(reviewer) == [f"备案待审核：{institution.name}"]
    filing = filing_return(filing=filing, acting_user=reviewer, reasons=[("lease", "租期不足三年")])
    assert unread(reviewer) == []  # decided: nothing waits in the reviewer's inbox
    assert unread(operator) == [f"备案被退回补正：{institution.name}"]
    filing = filing_submit(filing=filing, acting_user=operator)
    assert unread(operator) == []  # corrected and resubmitted
    filing_accept(filing=filing, acting_user=reviewer)
    assert unread(reviewer) == [] and unread(operator) == [f"准予备案：{institution.name}"]


def test_a_change_filing_is_announced_as_a_change(institution, operator, reviewer):
    accepted = filing_accept(
        filing=filing_submit(filing=complete_draft(institution, operator), acting_user=operator),
        acting_user=reviewer,
    )
    change = filing_start(institution=institution, acting_user=operator)
    change = filing_save_draft(
        filing=change,
        data={"address": "新地址8号"},
        acting_user=operator,
        commitment_accepted=True,
        classes=CLASSES,
    )
    filing_submit(filing=change, acting_user=operator)
    assert unread(reviewer) == [f"变更备案待审核：{institution.name}"]
    filing_accept(filing=change, acting_user=reviewer)
    assert unread(operator)[-1] == f"准予变更备案：{institution.name}"
    assert accepted.receipt_number


def test_an_unfiled_reminder_leads_to_where_filing_starts_and_is_settled_by_the_submission(
    institution, operator, reviewer
):
    long_ago = timezone.localdate() - datetime.timedelta(days=40)
    Registration.objects.filter(pk=institution.registration.pk).update(registered_on=long_ago)
    escalate()
    reminder = Notification.objects.get(recipient=operator, key__startswith="escalate:unfiled:")
    assert reminder.url == f"/portal/#institution-{institution.pk}"
    filing_submit(filing=complete_draft(institution, operator), acting_user=operator)
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_reviewers_hear_of_a_sign_up_to_approve_until_it_is_decided(
    client, institution, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup = signup_create(
            uscc=institution.uscc,
            legal_representative="张三",
            username="newop",
            email="newop@example.org",
            password="Tuoyu-2026-pass",
            full_name="王经办",
            phone="13800000000",
            confirm_url="http://testserver/portal/signup/confirm/{token}/",
        )
    token = mailoutbox[-1].body.split("/confirm/")[1].split("/")[0]
    signup_confirm(token=token)
    notice = Notification.objects.get(recipient=reviewer)
    assert notice.title == f"机构账号待审核：{institution.name}" and "王经办" in notice.body
    assert notice.url == f"/admin/filing/operatorsignup/{signup.pk}/change/"
    signup_approve(signup=signup, acting_user=reviewer)
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_reviewers_hear_of_a_registration_whose_scope_is_doubtful(regions, reviewer):
    doubtful = push_institution(regions, name="某餐饮管理有限公司", business_scope="餐饮服务；企业管理咨询")
    push_institution(regions, name="正常托育有限公司")
    [notice] = Notification.objects.filter(recipient=reviewer)
    assert notice.title == "经营范围待核实：某餐饮管理有限公司"
    assert notice.url == f"/admin/registry/registration/{doubtful.registration.pk}/change/"
