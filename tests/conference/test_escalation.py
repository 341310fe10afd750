"""The escalation ladder: each rung fires once per task however often the job runs; a done task stops;
a year without the required plenary meetings warns the office once."""

import datetime

import pytest

from conference.models import Escalation, Meeting
from conference.services import plenary_check, task_mark_done, tasks_escalate
from conference.tasks import escalate_tasks, issue_monthly_bulletins

from .conftest import K, make_task

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 6, 30)
day = datetime.timedelta(days=1)


def rungs(task):
    return sorted(Escalation.objects.filter(task=task).values_list("rung", flat=True))


def test_each_rung_fires_once_to_the_right_people(shiyan, sent):
    task = make_task(shiyan, due_on=DUE)

    assert tasks_escalate(today=DUE - 8 * day) == {"due_soon": 0, "overdue": 0, "long_overdue": 0}
    for _ in range(2):
        tasks_escalate(today=DUE - 7 * day)
    assert rungs(task) == ["due_soon"]
    assert len(sent) == 1
    assert set(sent[0].users) == {shiyan.liaison[K.EDUCATION], shiyan.liaison[K.FINANCE]}
    assert sent[0].key == f"conference.task.{task.pk}.due_soon" and sent[0].subject == task
    assert sent[0].url == f"/admin/conference/task/{task.pk}/change/"

    tasks_escalate(today=DUE)  # due today is not yet overdue (overdue_days = 0)
    assert len(sent) == 1
    for _ in range(3):
        tasks_escalate(today=DUE + day)
    assert rungs(task) == ["due_soon", "overdue"]
    assert set(sent[1].users) == {shiyan.member[K.EDUCATION], shiyan.director}
    assert task.title in sent[1].title

    tasks_escalate(today=DUE + 30 * day)
    assert len(sent) == 2
    tasks_escalate(today=DUE + 31 * day)
    tasks_escalate(today=DUE + 60 * day)
    assert rungs(task) == ["due_soon", "long_overdue", "overdue"]
    assert [s.users for s in sent[2:]] == [[shiyan.convenor]]


def test_a_done_task_stops_escalating(shiyan, sent):
    task = make_task(shiyan, due_on=DUE)
    tasks_escalate(today=DUE - day)
    task_mark_done(task=task, acting_user=shiyan.liaison[K.EDUCATION])
    tasks_escalate(today=DUE + day)
    tasks_escalate(today=DUE + 40 * day)
    assert rungs(task) == ["due_soon"] and len(sent) == 1


def test_a_task_first_seen_long_overdue_tells_the_lead_unit_and_office_and_the_convenor_once(shiyan, sent):
    task = make_task(shiyan, due_on=DUE)
    assert tasks_escalate(today=DUE + 45 * day)["long_overdue"] == 1
    tasks_escalate(today=DUE + 46 * day)
    assert sorted(rungs(task)) == ["long_overdue", "overdue"]  # "due soon" is moot once past due
    assert len(sent) == 2 and sent[-1].users == [shiyan.convenor]


def test_the_ladder_days_are_the_conferences_policy(shiyan, sent):
    conference = shiyan.conference
    conference.due_soon_days, conference.overdue_days, conference.long_overdue_days = 2, 5, 10
    conference.save()
    task = make_task(shiyan, due_on=DUE)
    tasks_escalate(today=DUE - 3 * day)
    assert rungs(task) == []
    tasks_escalate(today=DUE + 5 * day)
    assert rungs(task) == ["due_soon"]
    tasks_escalate(today=DUE + 6 * day)
    assert rungs(task) == ["due_soon", "overdue"]


def test_the_celery_tasks_run_the_same_code(shiyan, sent):
    make_task(shiyan, due_on=datetime.date.today() - day)
    result = escalate_tasks.apply().get()
    assert result["overdue"] == 1
    assert escalate_tasks.apply().get()["overdue"] == 0
    assert escalate_tasks.name == "conference.escalate_tasks"
    assert issue_monthly_bulletins.name == "conference.issue_monthly_bulletins"
    assert issue_monthly_bulletins.apply().get() == 1
    assert issue_monthly_bulletins.apply().get() == 0


def test_a_year_without_a_plenary_meeting_warns_the_office_once(shiyan, qingyuan, sent):
    Meeting.objects.create(
        conference=qingyuan.conference, kind=Meeting.Kind.PLENARY, held_on=datetime.date(2025, 5, 1)
    )
    Meeting.objects.create(
        conference=shiyan.conference, kind=Meeting.Kind.THEMATIC, held_on=datetime.date(2025, 5, 1)
    )

    assert plenary_check(today=datetime.date(2026, 1, 2)) == 1
    assert plenary_check(today=datetime.date(2026, 3, 1)) == 0
    assert len(sent) == 1
    assert set(sent[0].users) == {shiyan.director, shiyan.office}
    assert "2025" in sent[0].title and sent[0].subject == shiyan.conference
    assert sent[0].key == f"conference.plenary.{shiyan.conference.pk}.2025"


def test_notices_reach_the_inbox_once(shiyan):
    notifications = pytest.importorskip("notifications.models")
    task = make_task(shiyan, due_on=DUE, text="很长的任务标题" * 40 + "。")
    for _ in range(2):
        tasks_escalate(today=DUE + day)
    inbox = notifications.Notification.objects.filter(key=f"conference.task.{task.pk}.overdue")
    assert set(inbox.values_list("recipient__username", flat=True)) == {
        shiyan.member[K.EDUCATION].username,
        shiyan.director.username,
    }
    assert [(len(n.title) <= 200, n.url) for n in inbox] == [
        (True, f"/admin/conference/task/{task.pk}/change/")
    ] * 2
