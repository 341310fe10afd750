"""What a county clerk reads on the admin screens: problems flagged in red only when they hold, every
value in its Chinese label, and pages that link to what they mention."""

import datetime
import re

import pytest
from django.utils import timezone

from filing.selectors import required_materials, unfiled_institutions
from filing.services import filing_accept, filing_return, filing_submit
from filing.services.escalation import escalate
from notifications.models import Notification
from registry.models import Registration
from registry.roles import Role
from registry.services import roles_sync
from tests.factories import AuthorityFactory, StaffFactory
from tests.filing.conftest import push_institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(regions):
    roles_sync()
    return StaffFactory(
        authority=AuthorityFactory(region=regions["441802"]), role=Role.COUNTY_HEALTH, first_name="李审核"
    )


def row_of(html: str, name: str) -> str:
    start = html.index(name)
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_registration_flags_read_as_problems_only_when_they_hold(client, regions, clerk):
    long_ago = timezone.localdate().replace(day=1) - datetime.timedelta(days=40)
    push_institution(regions, name="晚推送托育有限公司", registered_on=long_ago, business_scope="餐饮服务")
    push_institution(regions, name="按时推送托育有限公司")
    client.force_login(clerk)
    html = client.get("/admin/registry/registration/").content.decode()

    flagged = row_of(html, "晚推送托育有限公司")
    assert "逾期推送" in flagged and "经营范围存疑" in flagged and "flag-problem" in flagged
    fine = row_of(html, "按时推送托育有限公司")
    assert "flag-problem" not in fine
    for row in (flagged, fine):  # no green tick for a problem, no red cross for its absence
        assert "icon-yes" not in row and "icon-no" not in row

    late = Registration.objects.get(name="晚推送托育有限公司")
    page = client.get(f"/admin/registry/registration/{late.pk}/change/").content.decode()
    assert "icon-yes" not in page and "是：登记当月之后才推送" in page


def test_the_history_of_a_filing_reads_in_labels(client, submitted, clerk):
    filing_return(filing=submitted, acting_user=clerk, reasons=[("premises", "请补充房屋产权证明")])
    submitted.refresh_from_db()
    filing_submit(filing=submitted, acting_user=submitted.created_by)
    filing_accept(filing=submitted, acting_user=clerk)  # sets 办理人, empty before
    client.force_login(clerk)
    html = client.get(f"/admin/filing/filing/{submitted.pk}/history/").content.decode()
    assert "修改内容" in html and "CHANGES" not in html.upper().replace("修改内容", "")
    assert "已提交" in html and "退回补正" in html
    for raw in ("submitted", "returned", "None", "full_day", "+00:00", "Deleted"):
        assert raw not in html.split('id="change-history"')[1], raw

    record = submitted.institution.history.order_by("history_id").first()
    version = client.get(
        f"/admin/registry/institution/{submitted.institution_id}/history/{record.history_id}/"
    ).content.decode()
    crumbs = version.split('class="breadcrumbs"')[1].split("</div>")[0]
    assert "登记信息" in crumbs and "Registry" not in crumbs and "Historical" not in crumbs
    editable = re.findall(
        r'<input(?![^>]*type="hidden")[^>]*>|<select|<textarea', version.split('id="content-main"')[1]
    )
    assert not editable  # a past version is read, not edited


def test_a_return_note_names_items_by_their_labels(submitted, clerk):
    fire = next(r for r in required_materials("441802") if r.code == "fire_safety")
    filing_return(
        filing=submitted,
        acting_user=clerk,
        reasons=[("premises", "请补充房屋产权证明"), ("material:fire_safety", "消防验收意见不清晰")],
    )
    note = submitted.transitions.get(to_status="returned").note
    assert note == f"场所：请补充房屋产权证明；{fire.name}：消防验收意见不清晰。"


def test_registration_service_types_and_people_read_as_labels(client, regions, clerk):
    push_institution(regions, name="按时推送托育有限公司", service_types=["full_day", "hourly"])
    registration = Registration.objects.get(name="按时推送托育有限公司")
    client.force_login(clerk)
    page = client.get(f"/admin/registry/registration/{registration.pk}/change/").content.decode()
    assert "全日托、计时托" in page and "full_day" not in page

    users = client.get("/admin/registry/user/").content.decode()
    assert "李审核" in users and "县级卫生健康部门工作人员" in users
    text = re.sub(r"<[^>]+>", " ", users)  # what a person reads, not the filter links' parameters
    assert "GET FULL NAME" not in text.upper() and "county_health" not in text


def test_the_inbox_filters_by_read_and_unread_in_words(client, clerk):
    client.force_login(clerk)
    html = client.get("/admin/notifications/notification/").content.decode()
    assert "未读" in html and "非空" not in html


def test_the_institution_page_links_to_everything_kept_about_it(client, submitted, operator, clerk):
    accepted = filing_accept(filing=submitted, acting_user=clerk)
    institution = accepted.institution
    client.force_login(clerk)
    html = client.get(f"/admin/registry/institution/{institution.pk}/change/").content.decode()
    records = html.split("institution-records")[1]
    assert f"/admin/registry/registration/{institution.registration.pk}/change/" in records
    assert f"/admin/filing/filing/{accepted.pk}/change/" in records
    assert f"/filing/receipts/{accepted.pk}/" in records and accepted.receipt_number in records
    assert str(operator) in records


def test_a_doubtful_registration_is_decided_not_childcare_and_leaves_the_unfiled_ladder(
    client, regions, clerk
):
    institution = push_institution(regions, name="某餐饮管理有限公司", business_scope="餐饮服务")
    registration = institution.registration
    client.force_login(clerk)
    page = client.get(f"/admin/registry/registration/{registration.pk}/change/").content.decode()
    scope_url = f"/admin/registry/registration/{registration.pk}/scope/"
    assert scope_url in page and "不属于托育机构" in page

    refused = client.post(scope_url, {"decision": "not_childcare", "note": ""})
    assert refused.status_code == 200 and "请说明" in refused.content.decode()
    decided = client.post(
        scope_url, {"decision": "not_childcare", "note": "经核实为餐饮企业，不提供托育服务"}, follow=True
    )
    assert "已记录核实结论" in decided.content.decode()
    registration.refresh_from_db()
    assert registration.scope_decision == "not_childcare" and registration.scope_decided_by == clerk

    Registration.objects.filter(pk=registration.pk).update(
        registered_on=timezone.localdate() - datetime.timedelta(days=40)
    )
    escalate()
    assert not Notification.objects.filter(key__startswith="escalate:unfiled:").exists()
    assert not unfiled_institutions("441802").filter(pk=institution.pk).exists()
    listed = client.get("/admin/registry/registration/").content.decode()
    assert "经营范围存疑" not in row_of(listed, "某餐饮管理有限公司")
