"""The monthly push: the county's month to its inbox with a workbook, to subscribers as signed webhooks,
rolled up to the city; run again, nothing new is sent."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook
from standardwebhooks.webhooks import Webhook

from filing.models import MonthlyReport
from filing.services import (
    filing_accept,
    filing_submit,
    termination_confirm,
    termination_submit,
    terminations_take_effect,
)
from filing.services.monthly_push import monthly_push, previous_month
from notifications.models import Delivery, Notification, OutboxEvent, WebhookSubscription
from registry.models import Authority
from registry.roles import Role
from registry.services import api_client_create, registration_push
from tests.factories import AuthorityFactory, StaffFactory, UserFactory, make_uscc
from tests.receiver import Receiver

from .conftest import complete_draft, reviewer_of

OCTOBER = datetime.date(2026, 10, 1)


def record(county, name, registered_on, **extra):
    return {
        "uscc": make_uscc(county),
        "name": name,
        "route": "enterprise",
        "region_code": county,
        "address": "某路1号",
        "legal_representative": "张三",
        "registered_on": registered_on,
        "business_scope": "托育服务",
        "service_types": ["full_day"],
        "employer_run": False,
        "status": "active",
        "cancelled_on": None,
        **extra,
    }


@pytest.fixture
def october(regions, private_media):
    """October 2026 in 清城区: two registrations pushed on time, one late, one cancellation, one filing
    accepted and one termination confirmed; one registration next door in 清新区."""
    body = api_client_create(
        authority=AuthorityFactory(
            kind=Authority.Kind.MARKET_REGULATION, region=regions["441802"], name="清城区市场监管局"
        ),
        name="mr",
    )[0]
    neighbour = api_client_create(
        authority=AuthorityFactory(
            kind=Authority.Kind.MARKET_REGULATION, region=regions["441803"], name="清新区市场监管局"
        ),
        name="mr2",
    )[0]
    reviewer = reviewer_of(regions, "441802")
    operator = UserFactory()
    with time_machine.travel(datetime.datetime(2026, 10, 20, 10, tzinfo=datetime.UTC), tick=False):
        on_time = [
            registration_push(
                client=body, record=record("441802", f"准时托育{n}", datetime.date(2026, 10, 10))
            )
            for n in range(2)
        ]
        registration_push(client=neighbour, record=record("441803", "清新托育", datetime.date(2026, 10, 12)))
        institution = on_time[0].registration.institution
        from registry.services import operator_grant

        operator_grant(user=operator, institution=institution)
        filing = filing_submit(filing=complete_draft(institution, operator), acting_user=operator)
        filing_accept(filing=filing, acting_user=reviewer)
        ended = termination_submit(
            institution=institution,
            acting_user=operator,
            planned_on=datetime.date(2026, 10, 31),
            children_plan="转入邻近机构",
            staff_plan="协助再就业",
        )
        termination_confirm(termination=ended, acting_user=reviewer)
    with time_machine.travel(datetime.datetime(2026, 11, 3, 10, tzinfo=datetime.UTC), tick=False):
        registration_push(client=body, record=record("441802", "迟报托育", datetime.date(2026, 10, 28)))
        cancelled = on_time[1].registration
        registration_push(
            client=body,
            record={
                **record("441802", cancelled.name, cancelled.registered_on),
                "uscc": cancelled.institution.uscc,
                "status": "cancelled",
                "cancelled_on": datetime.date(2026, 10, 30),
            },
        )
        terminations_take_effect()  # the daily job: the termination dated 31 October has taken effect
    return {"reviewer": reviewer, "operator": operator, "institution": institution}


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return monthly_push(month=OCTOBER, **kwargs)


def test_the_county_report_counts_the_month_and_names_late_pushes(
    october, django_capture_on_commit_callbacks
):
    run(django_capture_on_commit_callbacks)
    report = MonthlyReport.objects.get(region_id="441802", month=OCTOBER)
    assert report.counts == {
        "registrations": 3,
        "cancellations": 1,
        "filings": 1,
        "changes": 0,
        "terminations": 1,
        # supervision's figures (tests/inspections/test_monthly.py counts them)
        "inspections": 0,
        "rectifications_open": 0,
        "rectifications_overdue": 0,
        "complaints_received": 0,
        "complaints_closed": 0,
    }
    [body] = report.punctuality
    assert body["authority"] == "清城区市场监管局"
    assert (body["total"], body["on_time"], body["late"], body["late_names"]) == (3, 2, 1, ["迟报托育"])
    assert body["rate"] == 66.7
    assert MonthlyReport.objects.get(region_id="441803").counts["registrations"] == 1


def test_the_bureau_inbox_gets_the_report_with_a_workbook_only_its_jurisdiction_opens(
    client, regions, october, django_capture_on_commit_callbacks
):
    run(django_capture_on_commit_callbacks)
    reviewer = october["reviewer"]
    [note] = Notification.objects.filter(recipient=reviewer, key__startswith="monthly_push")
    report = MonthlyReport.objects.get(region_id="441802", month=OCTOBER)
    assert note.title == "月度推送 2026-10：清城区" and note.subject == report
    assert note.url == f"/admin/filing/monthlyreport/{report.pk}/change/"
    client.force_login(reviewer)
    page = client.get(note.url).content.decode()
    assert "迟报托育" in page and "66.7%" in page
    workbook = client.get(f"/filing/reports/{report.pk}/workbook.xlsx")
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames == [
        "汇总",
        "按时推送",
        "登记",
        "注销",
        "备案",
        "变更备案",
        "终止",
        "尚未备案",
        "供给指标",
    ]
    names = [row[1] for row in book["登记"].iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["准时托育0", "准时托育1", "迟报托育"]
    client.force_login(reviewer_of(regions, "441803"))
    assert client.get(f"/filing/reports/{report.pk}/workbook.xlsx").status_code == 404
    assert client.get(note.url).status_code == 302  # not in their jurisdiction: back to the index


def test_the_workbook_has_typed_dates_local_times_and_the_unfiled(
    client, regions, october, django_capture_on_commit_callbacks
):
    run(django_capture_on_commit_callbacks)
    report = MonthlyReport.objects.get(region_id="441802", month=OCTOBER)
    client.force_login(october["reviewer"])
    book = load_workbook(io.BytesIO(client.get(f"/filing/reports/{report.pk}/workbook.xlsx").content))

    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(values_only=True)}
    local = timezone.localtime(report.generated_at).replace(tzinfo=None, second=0, microsecond=0)
    assert summary["生成时间"].replace(second=0, microsecond=0) == local  # Beijing time, not UTC

    registrations = book["登记"]
    assert registrations.freeze_panes == "A2" and registrations.column_dimensions["B"].width >= 30
    header = [cell.value for cell in registrations[1]]
    first = dict(zip(header, [cell.value for cell in registrations[2]], strict=True))
    assert isinstance(first["登记日期"], datetime.datetime)  # a date cell, not text
    assert registrations.cell(row=2, column=header.index("登记日期") + 1).number_format == "yyyy-mm-dd"

    unfiled = [row for row in book["尚未备案"].iter_rows(min_row=2, values_only=True) if row[0]]
    names = {row[1] for row in unfiled if row[2]}
    assert "迟报托育" in names
    assert all(row[2] == "清城区" for row in unfiled if row[2])  # only the report's county


def test_a_city_workbook_has_a_row_per_county(client, regions, october, django_capture_on_commit_callbacks):
    city_staff = StaffFactory(
        authority=AuthorityFactory(region=regions["441800"]), role=Role.SUPERVISING_HEALTH
    )
    run(django_capture_on_commit_callbacks)
    city = MonthlyReport.objects.get(region_id="441800", month=OCTOBER)
    client.force_login(city_staff)
    book = load_workbook(io.BytesIO(client.get(f"/filing/reports/{city.pk}/workbook.xlsx").content))
    rows = {row[0]: row[1:] for row in book["分县统计"].iter_rows(min_row=2, values_only=True)}
    assert rows["清城区"][0] == 3 and rows["清新区"][0] == 1  # registrations in each county


def test_the_city_and_province_get_roll_ups(regions, october, django_capture_on_commit_callbacks):
    city_staff = StaffFactory(
        authority=AuthorityFactory(region=regions["441800"]), role=Role.SUPERVISING_HEALTH
    )
    run(django_capture_on_commit_callbacks)
    city = MonthlyReport.objects.get(region_id="441800", month=OCTOBER)
    assert city.level == "city" and city.counts["registrations"] == 4
    assert {(b["county"], b["total"], b["late"]) for b in city.punctuality} == {
        ("清城区", 3, 1),
        ("清新区", 1, 0),
    }
    assert MonthlyReport.objects.get(region_id="440000", month=OCTOBER).counts["filings"] == 1
    assert Notification.objects.filter(recipient=city_staff, title__contains="清远市").count() == 1


def test_running_again_sends_nothing_new_and_each_subscription_gets_one_signed_event(
    regions, october, django_capture_on_commit_callbacks
):
    with Receiver(failures_per_message=2) as receiver:
        fire = WebhookSubscription.objects.create(
            authority=AuthorityFactory(kind=Authority.Kind.FIRE, region=regions["441802"]),
            url=receiver.url + "/fire",
            event_types=["monthly_push.directory"],
        )
        market = WebhookSubscription.objects.create(
            authority=AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions["441800"]),
            url=receiver.url + "/market",
            event_types=["monthly_push.report", "monthly_push.rollup"],
        )
        for _ in range(3):
            run(django_capture_on_commit_callbacks)
            Delivery.objects.update(next_attempt_at=timezone.now())  # let the retries fall due now
            from notifications.tasks import relay

            relay()
        notes = Notification.objects.count()
        run(django_capture_on_commit_callbacks)
        assert Notification.objects.count() == notes
    [directory] = receiver.events("/fire")
    assert directory["type"] == "monthly_push.directory"
    assert [site["name"] for site in directory["data"]["filed_sites"]] == []  # the one filed site terminated
    market_events = receiver.events("/market")
    assert sorted(e["data"]["region_code"] for e in market_events) == ["441800", "441802", "441803"]
    for request in receiver.accepted():
        secret = fire.secret if request["path"] == "/fire" else market.secret
        Webhook(secret).verify(request["body"], request["headers"])
    assert len(receiver.requests) == 3 * 4  # four events, each failed twice then taken once
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_fire_rescue_receives_the_directory_of_filed_sites_in_its_county(
    regions, october, django_capture_on_commit_callbacks
):
    from registry.models import Institution
    from registry.models.institutions import FilingStatus

    Institution.objects.filter(region_id="441802", name="准时托育1").update(filing_status=FilingStatus.FILED)
    Institution.objects.filter(region_id="441803").update(filing_status=FilingStatus.FILED)
    with Receiver() as receiver:
        WebhookSubscription.objects.create(
            authority=AuthorityFactory(kind=Authority.Kind.FIRE, region=regions["441802"]),
            url=receiver.url,
            event_types=["monthly_push.directory"],
        )
        run(django_capture_on_commit_callbacks)
    [event] = receiver.events()
    assert event["data"]["region_code"] == "441802"
    assert [(s["name"], s["kind"]) for s in event["data"]["filed_sites"]] == [("准时托育1", "institution")]


def test_a_past_month_rerun_regenerates_the_report_but_redelivers_only_what_never_arrived(
    regions, october, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_DELAYS = []
    with Receiver(failures_per_message=1) as receiver:
        WebhookSubscription.objects.create(
            authority=AuthorityFactory(kind=Authority.Kind.FIRE, region=regions["441802"]),
            url=receiver.url,
            event_types=["monthly_push.report"],
        )
        run(django_capture_on_commit_callbacks, region_code="441802")
        assert Delivery.objects.get().status == "failed"
        MonthlyReport.objects.filter(region_id="441802").update(counts={})
        run(django_capture_on_commit_callbacks, region_code="441802")
    assert MonthlyReport.objects.get(region_id="441802", month=OCTOBER).counts["registrations"] == 3
    assert Delivery.objects.get().status == "delivered" and OutboxEvent.objects.count() == 1
    assert len(receiver.requests) == 2


def test_the_command_defaults_to_the_previous_month_and_rejects_bad_input(regions, october):
    with time_machine.travel(datetime.datetime(2026, 11, 1, 2, tzinfo=datetime.UTC), tick=False):
        assert previous_month() == OCTOBER
    out = io.StringIO()
    call_command("monthly_push", "--month", "2026-10", "--region", "441800", stdout=out)
    assert "2026-10: 2 county reports" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("monthly_push", "--month", "October")
    with pytest.raises(CommandError, match="999999"):
        call_command("monthly_push", "--region", "999999")


def test_the_report_list_costs_the_same_queries_for_few_or_many(
    client, regions, october, django_capture_on_commit_callbacks, assert_max_queries
):
    run(django_capture_on_commit_callbacks)
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    with assert_max_queries(14) as few:
        client.get("/admin/filing/monthlyreport/")
    for month in range(1, 9):
        with django_capture_on_commit_callbacks(execute=True):
            monthly_push(month=datetime.date(2026, month, 1))
    with assert_max_queries(len(few.captured_queries)):
        page = client.get("/admin/filing/monthlyreport/")
    assert page.status_code == 200
