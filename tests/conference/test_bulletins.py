"""Bulletins: progress by unit, overdue tasks by name, what was done since the last one; sent to every
member unit's people; downloadable as Excel and as a printable page."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from conference.models import Bulletin
from conference.services import bulletin_issue, bulletins_issue_monthly, task_mark_done

from .conftest import K, make_task

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 7, 15)


def test_the_bulletin_names_overdue_tasks_and_what_was_done_since_the_last(shiyan, sent):
    late = make_task(shiyan, text="建立托育服务专家库。", due_on=TODAY - datetime.timedelta(days=10))
    early = make_task(shiyan, lead=K.HEALTH, text="开展托育机构安全检查。", due_on=TODAY)
    later = make_task(shiyan, lead=K.FINANCE, responsible=(), text="落实工作经费。", due_on=TODAY)
    task_mark_done(task=early, acting_user=shiyan.liaison[K.HEALTH])

    first = bulletin_issue(conference=shiyan.conference, acting_user=shiyan.office, today=TODAY)
    snap = first.snapshot
    assert first.number == 1 and first.since is None
    assert [t["title"] for t in snap["overdue"]] == ["建立托育服务专家库"]
    assert snap["overdue"][0]["days_late"] == 10 and snap["overdue"][0]["lead"] == "市education"
    assert snap["overdue"][0]["responsible"] == "市finance"
    assert [t["title"] for t in snap["done"]] == ["开展托育机构安全检查"]
    by_unit = {u["unit"]: u for u in snap["units"]}
    assert by_unit["市education"]["overdue"] == 1 and by_unit["市health"]["done"] == 1
    assert snap["totals"] == {
        "total": 3,
        "open": 2,
        "in_progress": 0,
        "done": 1,
        "cancelled": 0,
        "overdue": 1,
    }

    task_mark_done(task=later, acting_user=shiyan.member[K.FINANCE])
    second = bulletin_issue(conference=shiyan.conference, acting_user=shiyan.office, today=TODAY)
    assert second.number == 2 and second.since == first.issued_at
    assert [t["title"] for t in second.snapshot["done"]] == ["落实工作经费"]  # not the one reported before
    assert [t["id"] for t in second.snapshot["overdue"]] == [late.pk]

    # sent to every member unit's people, once per bulletin
    recipients = set(sent[0].users)
    assert {*shiyan.liaison.values(), *shiyan.member.values(), shiyan.director, shiyan.convenor} <= recipients
    assert shiyan.office in recipients  # staff of the health bureau, a member unit
    assert sent[0].key == f"conference.bulletin.{first.pk}" and first.recipients == len(recipients)


def test_only_the_office_issues_and_monthly_bulletins_come_once(shiyan, qingyuan):
    with pytest.raises(Exception) as refused:
        bulletin_issue(conference=shiyan.conference, acting_user=shiyan.liaison[K.HEALTH])
    assert refused.type.__name__ == "PermissionDenied"
    assert bulletins_issue_monthly(today=TODAY) == 2
    assert bulletins_issue_monthly(today=TODAY + datetime.timedelta(days=3)) == 0
    assert bulletins_issue_monthly(today=datetime.date(2026, 8, 1)) == 2
    assert Bulletin.objects.filter(kind="monthly").count() == 4


def test_issue_page_confirms_first_and_the_bulletin_downloads(client, shiyan):
    make_task(shiyan, text="建立托育服务专家库。", due_on=datetime.date(2020, 1, 1))
    url = f"/admin/conference/conference/{shiyan.conference.pk}/bulletin/"
    client.force_login(shiyan.office)
    preview = client.get(url)
    assert preview.status_code == 200 and "建立托育服务专家库" in preview.content.decode()
    assert not Bulletin.objects.exists()
    response = client.post(url)
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/bulletin/{bulletin.pk}/change/")

    workbook = client.get(f"/admin/conference/bulletin/{bulletin.pk}/xlsx/")
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets = load_workbook(io.BytesIO(workbook.content))
    assert sheets.worksheets[1]["B3"].value == "建立托育服务专家库"

    page = client.get(f"/admin/conference/bulletin/{bulletin.pk}/print/").content.decode()
    assert "建立托育服务专家库" in page and shiyan.conference.name in page and "<script" not in page

    client.force_login(shiyan.liaison[K.HEALTH])
    assert client.get(url).status_code == 403
    assert client.get(f"/admin/conference/bulletin/{bulletin.pk}/print/").status_code == 200
