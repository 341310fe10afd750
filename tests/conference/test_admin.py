"""The admin screens: each conference's people see only their conference, the dashboard draws its charts
on the server, a liaison reports progress in one step, and the lists cost a constant number of queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.models import ProgressReport, Task

from .conftest import K, make_task

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_liaison_sees_only_their_conferences_tasks(client, shiyan, qingyuan):
    ours = make_task(shiyan, text="十堰的任务。")
    theirs = make_task(qingyuan, text="清远的任务。")
    client.force_login(shiyan.liaison[K.FINANCE])

    changelist = page(client, "/admin/conference/task/")
    assert "十堰的任务" in changelist and "清远的任务" not in changelist
    assert client.get(f"/admin/conference/task/{theirs.pk}/change/").status_code in (302, 404)
    assert "十堰的任务" in page(client, f"/admin/conference/task/{ours.pk}/change/")

    assert client.get(f"/admin/conference/conference/{qingyuan.conference.pk}/dashboard/").status_code == 404
    assert "十堰的任务" in page(client, f"/admin/conference/conference/{shiyan.conference.pk}/dashboard/")
    conferences = page(client, "/admin/conference/conference/")
    assert shiyan.conference.name in conferences and qingyuan.conference.name not in conferences
    mine = page(client, "/admin/conference/task/mine/")
    assert "十堰的任务" in mine and "清远的任务" not in mine

    client.force_login(qingyuan.office)
    changelist = page(client, "/admin/conference/task/")
    assert "清远的任务" in changelist and "十堰的任务" not in changelist
    assert client.get(f"/admin/conference/conference/{shiyan.conference.pk}/dashboard/").status_code == 404


def test_the_dashboard_puts_overdue_first_with_server_drawn_charts(client, shiyan):
    today = datetime.date.today()
    make_task(shiyan, text="按期任务。", due_on=today + datetime.timedelta(days=30))
    make_task(shiyan, lead=K.FINANCE, text="逾期任务。", due_on=today - datetime.timedelta(days=3))
    client.force_login(shiyan.office)
    html = page(client, f"/admin/conference/conference/{shiyan.conference.pk}/dashboard/")
    assert "<svg" in html and 'class="bar bar-overdue"' in html
    assert "<script" not in html.split('id="content-main"')[1] and "cdn" not in html.lower()
    overdue_section = html.split("conference-units")[0]
    assert "逾期任务" in overdue_section and "按期任务" not in overdue_section
    # the unit with an overdue task comes first in the table by unit
    units = html.split("conference-units")[1]
    assert units.index("市finance") < units.index("市education")

    changelist = page(client, "/admin/conference/task/")
    assert changelist.index("逾期任务") < changelist.index("按期任务")


def test_a_liaison_reports_progress_in_one_step_and_the_lead_marks_done(client, shiyan):
    task = make_task(shiyan)
    client.force_login(shiyan.liaison[K.FINANCE])
    html = page(client, "/admin/conference/task/mine/")
    assert f"/admin/conference/task/{task.pk}/report/" in html
    response = client.post(
        f"/admin/conference/task/{task.pk}/report/",
        {
            "prefix": f"t{task.pk}",
            f"t{task.pk}-text": "已完成资金测算。",
            "next": "/admin/conference/task/mine/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/admin/conference/task/mine/"
    report = ProgressReport.objects.get()
    assert report.unit == shiyan.units[K.FINANCE] and report.reported_by == shiyan.liaison[K.FINANCE]

    done_url = f"/admin/conference/task/{task.pk}/transition/done/"
    assert client.get(done_url).status_code == 302
    client.post(done_url, {"note": ""})
    assert Task.objects.get(pk=task.pk).status == Task.Status.IN_PROGRESS  # refused: not the lead unit

    client.force_login(shiyan.liaison[K.EDUCATION])
    assert "transition/done/" in page(client, f"/admin/conference/task/{task.pk}/change/")
    client.post(done_url, {"note": "完成"})
    assert Task.objects.get(pk=task.pk).status == Task.Status.DONE

    client.force_login(shiyan.office)
    assert "transition/confirm/" in page(client, f"/admin/conference/task/{task.pk}/change/")
    client.post(f"/admin/conference/task/{task.pk}/transition/confirm/", {})
    assert Task.objects.get(pk=task.pk).confirmed_by == shiyan.office


def test_the_office_reports_for_a_unit_from_the_task_page(client, shiyan):
    """The task page's report form is separate from the task's form and names the unit reported for."""
    task = make_task(shiyan)
    client.force_login(shiyan.office)
    html = page(client, f"/admin/conference/task/{task.pk}/change/")
    form = html.split('id="report-progress"')[1]
    assert 'name="unit"' in form and f'action="/admin/conference/task/{task.pk}/report/"' in form
    response = client.post(
        f"/admin/conference/task/{task.pk}/report/",
        {"text": "市联席办督办。", "unit": shiyan.units[K.FINANCE].pk},
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.unit, report.reported_by, report.text) == (
        shiyan.units[K.FINANCE],
        shiyan.office,
        "市联席办督办。",
    )


def test_a_refused_report_is_shown_again_with_its_text(client, shiyan):
    task = make_task(shiyan)
    client.force_login(shiyan.liaison[K.FINANCE])
    bad = SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")
    response = client.post(
        f"/admin/conference/task/{task.pk}/report/", {"text": "已完成资金测算，附件见后。", "attachment": bad}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "已完成资金测算，附件见后。" in html and "请上传PDF、Office文档" in html
    assert not ProgressReport.objects.exists()


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/conference/task/",
        "/admin/conference/conference/",
        "/admin/conference/roleassignment/",
        "/admin/conference/meeting/",
        "/admin/conference/bulletin/",
        "/admin/conference/escalation/",
    ],
)
def test_changelists_cost_the_same_queries_for_few_or_many(client, shiyan, assert_max_queries, url):
    from conference.services import bulletin_issue, tasks_escalate

    client.force_login(shiyan.office)
    make_task(shiyan, due_on=datetime.date.today() - datetime.timedelta(days=1))
    bulletin_issue(conference=shiyan.conference, acting_user=shiyan.office)
    tasks_escalate()
    few = queries_for(client, url)
    for number in range(60):
        make_task(
            shiyan, text=f"任务{number}。", due_on=datetime.date.today() - datetime.timedelta(days=number)
        )
        from conference.models import Meeting

        Meeting.objects.create(
            conference=shiyan.conference, kind="thematic", held_on=datetime.date(2026, 1, 1)
        )
    for _ in range(3):
        bulletin_issue(conference=shiyan.conference, acting_user=shiyan.office)
    tasks_escalate()
    with assert_max_queries(few):
        assert client.get(url).status_code == 200


def test_the_office_appoints_a_new_liaison_in_the_admin_and_the_old_term_ends(client, shiyan):
    from conference.models import RoleAssignment
    from registry.roles import Role
    from tests.factories import StaffFactory

    unit = shiyan.units[K.EDUCATION]
    new = StaffFactory(authority=unit.authority, role=Role.CONFERENCE_LIAISON, username="new-liaison")
    form = {
        "conference": shiyan.conference.pk,
        "role": "liaison",
        "unit": unit.pk,
        "user": new.pk,
        "starts_on": "2026-03-01",
        "ends_on": "",
    }
    client.force_login(shiyan.liaison[K.EDUCATION])
    assert client.post("/admin/conference/roleassignment/add/", form).status_code == 403

    client.force_login(shiyan.office)
    response = client.post("/admin/conference/roleassignment/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    terms = RoleAssignment.objects.filter(unit=unit, role="liaison").order_by("starts_on")
    assert [(t.user, t.ends_on) for t in terms] == [
        (shiyan.liaison[K.EDUCATION], datetime.date(2026, 2, 28)),
        (new, None),
    ]
    # appointing someone before the current term began is refused on the form, nothing written
    page = client.post("/admin/conference/roleassignment/add/", {**form, "starts_on": "2026-01-01"})
    assert page.status_code == 200 and terms.count() == 2
