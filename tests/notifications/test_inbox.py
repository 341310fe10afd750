"""The in-app inbox: once per key, personal, unread count in both headers, e-mail once after commit."""

import pytest
from django.core import mail
from django_celery_beat.models import PeriodicTask

from notifications.models import Notification
from notifications.schedules import install_default_schedules
from notifications.services import notify
from notifications.tasks import send_emails
from registry.services import operator_grant
from tests.factories import InstitutionFactory, StaffFactory, UserFactory


@pytest.fixture
def staff(regions):
    user = StaffFactory(email="staff@example.org")
    return user


def test_a_key_reaches_each_person_once_however_often_it_is_sent(staff, django_capture_on_commit_callbacks):
    other = StaffFactory(email="other@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([staff], title="月度推送", key="monthly:441802:2026-10", url="/admin/") == 1
        assert notify([staff, other], title="月度推送", key="monthly:441802:2026-10") == 1
        assert notify([staff], title="无键消息") == 1
    assert Notification.objects.filter(recipient=staff).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "other@example.org",
        "staff@example.org",
        "staff@example.org",
    ]


def test_the_email_leaves_only_after_commit_and_only_once(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([staff], title="提醒", body="请尽快备案", url="/portal/")
    assert mail.outbox == []
    callbacks[0]()
    ids = list(Notification.objects.values_list("pk", flat=True))
    send_emails(ids)  # the task delivered twice by the broker
    assert len(mail.outbox) == 1
    assert "请尽快备案" in mail.outbox[0].body and "/portal/" in mail.outbox[0].body


def test_staff_see_the_unread_count_and_only_their_own_inbox(client, staff):
    subject = InstitutionFactory()
    notify(
        [staff],
        title="审核超时：某机构",
        subject=subject,
        url=f"/admin/registry/institution/{subject.pk}/change/",
    )
    notify([StaffFactory()], title="别人的消息")
    client.force_login(staff)
    header = client.get("/admin/").content.decode()
    assert 'class="badge"' in header and ">1</span>" in header
    inbox = client.get("/admin/notifications/notification/").content.decode()
    assert "审核超时：某机构" in inbox and "别人的消息" not in inbox
    mine = Notification.objects.get(recipient=staff)
    opened = client.get(f"/notifications/{mine.pk}/")
    assert opened.status_code == 302 and opened.url == f"/admin/registry/institution/{subject.pk}/change/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert 'class="badge"' not in client.get("/admin/").content.decode()
    theirs = Notification.objects.exclude(recipient=staff).get()
    assert client.get(f"/notifications/{theirs.pk}/").status_code == 404
    assert mine.subject == subject


def test_operators_read_their_inbox_in_the_portal(client, regions):
    operator = UserFactory()
    institution = InstitutionFactory(region=regions["441802"])
    operator_grant(user=operator, institution=institution)
    notify([operator], title="备案被退回，请补正", url="/portal/")
    notify([operator], title="第二条")
    client.force_login(operator)
    home = client.get("/portal/").content.decode()
    assert 'class="badge"' in home and ">2</span>" in home
    inbox = client.get("/portal/inbox/").content.decode()
    assert "备案被退回，请补正" in inbox and "全部标为已读" in inbox
    client.post("/notifications/read-all/", {"next": "/portal/inbox/"})
    assert not Notification.objects.filter(recipient=operator, read_at=None).exists()


def test_the_inbox_page_costs_the_same_queries_for_few_or_many(client, staff, assert_max_queries):
    client.force_login(staff)
    notify([staff], title="一")
    client.get("/admin/notifications/notification/")
    with assert_max_queries(12) as few:
        client.get("/admin/notifications/notification/")
    for n in range(40):
        notify([staff], title=f"消息{n}")
    with assert_max_queries(len(few.captured_queries)):
        client.get("/admin/notifications/notification/")


def test_the_default_schedules_are_installed_on_migrate_and_edits_survive(db, settings):
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert set(settings.PERIODIC_TASKS) <= names
    push = PeriodicTask.objects.get(name="monthly-push")
    assert push.task == "filing.tasks.monthly_push" and push.crontab.day_of_month == "1"
    push.enabled = False
    push.save()
    assert install_default_schedules() == 0
    push.refresh_from_db()
    assert push.enabled is False
    PeriodicTask.objects.filter(name="escalate").delete()
    assert install_default_schedules() == 1
