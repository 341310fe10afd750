"""Kindergartens' nursery classes (托班): the education bureau keeps its ledger in the admin for its region;
whether kindergartens also file with health is each jurisdiction's policy; a for-profit kindergarten (a
company, USCC 9…) is pushed on the kindergarten route."""

import datetime

import pytest
from django.utils import timezone

from filing.models import FilingPolicy, NurseryClass
from filing.selectors import unfiled_institutions
from filing.services.escalation import escalate
from notifications.models import Notification
from registry.models import Authority, Registration
from registry.roles import Role
from registry.services import api_client_create, registration_push, roles_sync
from tests.factories import AuthorityFactory, StaffFactory, make_uscc

pytestmark = pytest.mark.django_db


def push_kindergarten(regions, county, name, prefix="12"):
    body = api_client_create(
        authority=AuthorityFactory(kind=Authority.Kind.EDUCATION, region=regions[county]), name="edu"
    )[0]
    uscc = make_uscc(county, prefix=prefix)
    outcome = registration_push(
        client=body,
        record={
            "uscc": uscc,
            "name": name,
            "route": "kindergarten",
            "region_code": county,
            "address": "某路2号",
            "legal_representative": "王园长",
            "registered_on": timezone.localdate(),
            "business_scope": "学前教育；3岁以下婴幼儿照护服务",
            "service_types": ["full_day"],
            "employer_run": False,
            "status": "active",
            "cancelled_on": None,
        },
    )
    return outcome


def test_a_for_profit_kindergarten_is_accepted_on_the_kindergarten_route(regions):
    outcome = push_kindergarten(regions, "441802", "清城区贝贝幼儿园有限公司", prefix="91")
    assert outcome.status == 201 and outcome.registration.institution.uscc.startswith("91")


def test_the_education_bureau_keeps_the_ledger_of_its_region(client, regions):
    roles_sync()
    ours = push_kindergarten(regions, "441802", "清城区实验幼儿园").registration.institution
    theirs = push_kindergarten(regions, "441803", "清新区实验幼儿园").registration.institution
    keeper = StaffFactory(
        authority=AuthorityFactory(kind=Authority.Kind.EDUCATION, region=regions["441802"]),
        role=Role.EDUCATION,
    )
    client.force_login(keeper)
    response = client.post(
        "/admin/filing/nurseryclass/add/",
        {
            "institution": ours.pk,
            "name": "托班一班",
            "class_type": "older_toddler",
            "places": 20,
            "children": 22,
            "carers": 3,
        },
    )
    assert response.status_code == 302
    group = NurseryClass.objects.get()
    assert group.updated_by == keeper and group.history.first().history_user == keeper
    listed = client.get("/admin/filing/nurseryclass/").content.decode()
    assert "托班一班" in listed and "人数超过托位" in listed  # 22 children in 20 places, flagged

    refused = client.post(
        "/admin/filing/nurseryclass/add/",
        {
            "institution": theirs.pk,
            "name": "托班一班",
            "class_type": "older_toddler",
            "places": 20,
            "children": 10,
            "carers": 2,
        },
    )
    assert refused.status_code == 200 and NurseryClass.objects.count() == 1  # not in their region

    health = StaffFactory(authority=AuthorityFactory(region=regions["441802"]), role=Role.COUNTY_HEALTH)
    client.force_login(health)
    assert "托班一班" in client.get("/admin/filing/nurseryclass/").content.decode()
    assert client.get("/admin/filing/nurseryclass/add/").status_code == 403


def test_whether_kindergartens_file_is_each_jurisdictions_policy(regions):
    roles_sync()
    long_ago = timezone.localdate() - datetime.timedelta(days=40)
    shiyan = push_kindergarten(regions, "420302", "十堰市茅箭区实验幼儿园").registration
    qingcheng = push_kindergarten(regions, "441802", "清城区实验幼儿园").registration
    Registration.objects.filter(pk__in=[shiyan.pk, qingcheng.pk]).update(registered_on=long_ago)
    FilingPolicy.objects.create(region=regions["420300"], kindergartens_file=False)
    for county in ("420302", "441802"):
        StaffFactory(authority=AuthorityFactory(region=regions[county]), role=Role.COUNTY_HEALTH)

    escalate()
    reminded = set(
        Notification.objects.filter(key__startswith="escalate:unfiled:").values_list("subject_id", flat=True)
    )
    assert str(qingcheng.institution_id) in reminded  # Qingyuan: kindergartens file with health
    assert str(shiyan.institution_id) not in reminded  # Shiyan: education manages them
    assert not unfiled_institutions("420300").exists()
    assert unfiled_institutions("441800").filter(pk=qingcheng.institution_id).exists()


def test_a_duplicate_name_is_refused_at_the_name_and_problems_are_told_on_saving(client, regions):
    roles_sync()
    ours = push_kindergarten(regions, "441802", "清城区实验幼儿园").registration.institution
    keeper = StaffFactory(
        authority=AuthorityFactory(kind=Authority.Kind.EDUCATION, region=regions["441802"]),
        role=Role.EDUCATION,
    )
    client.force_login(keeper)
    row = {
        "institution": ours.pk,
        "name": "托班一班",
        "class_type": "mixed",
        "places": 30,
        "children": 31,
        "carers": 1,
    }
    saved = client.post("/admin/filing/nurseryclass/add/", row, follow=True).content.decode()
    assert "31名幼儿" in saved and "上限18人" in saved and "1名保育人员照护31名" in saved
    again = client.post("/admin/filing/nurseryclass/add/", row).content.decode()
    assert "已有名为“托班一班”的班级" in again and NurseryClass.objects.count() == 1
