"""Task transitions: the lead unit marks done, the office confirms; anyone else is refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from conference.models import DecidedItem, Meeting, Task
from conference.services import (
    ConferenceError,
    TransitionNotAllowed,
    decided_item_to_task,
    task_cancel,
    task_confirm,
    task_mark_done,
    task_reopen,
    task_report_progress,
)

from .conftest import K, make_task

pytestmark = pytest.mark.django_db


def test_lead_marks_done_and_office_confirms(shiyan):
    task = make_task(shiyan)
    lead = shiyan.liaison[K.EDUCATION]

    report = task_report_progress(task=task, text="已完成调研。", acting_user=lead)
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS and report.unit == shiyan.units[K.EDUCATION]

    task_mark_done(task=task, acting_user=lead, note="完成")
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.done_by == lead and task.confirmed_at is None

    task_confirm(task=task, acting_user=shiyan.office)
    task.refresh_from_db()
    assert task.confirmed_by == shiyan.office and task.confirmed_at
    assert task.history.first().history_user == shiyan.office

    with pytest.raises(TransitionNotAllowed):
        task_confirm(task=task, acting_user=shiyan.director)
    with pytest.raises(TransitionNotAllowed):
        task_reopen(task=task, acting_user=shiyan.office, reason="x")


def test_the_wrong_person_is_refused(shiyan, qingyuan):
    task = make_task(shiyan)
    helper = shiyan.liaison[K.FINANCE]  # a responsible unit, not the lead
    with pytest.raises(PermissionDenied):
        task_mark_done(task=task, acting_user=helper)
    with pytest.raises(PermissionDenied):
        task_mark_done(task=task, acting_user=shiyan.office)  # the lead unit marks, not the office
    with pytest.raises(PermissionDenied):
        task_report_progress(
            task=task, text="进展", acting_user=shiyan.liaison[K.CIVIL_AFFAIRS]
        )  # not on the task
    with pytest.raises(PermissionDenied):
        task_report_progress(task=task, text="进展", acting_user=qingyuan.liaison[K.EDUCATION])

    task_mark_done(task=task, acting_user=shiyan.member[K.EDUCATION])
    with pytest.raises(PermissionDenied):
        task_confirm(task=task, acting_user=shiyan.liaison[K.EDUCATION])
    with pytest.raises(PermissionDenied):
        task_confirm(task=task, acting_user=qingyuan.office)  # another conference's office
    with pytest.raises(TransitionNotAllowed):
        task_report_progress(task=task, text="进展", acting_user=helper)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.confirmed_at is None


def test_office_reopens_with_a_reason_and_cancels(shiyan):
    task = make_task(shiyan)
    with pytest.raises(TransitionNotAllowed):
        task_confirm(task=task, acting_user=shiyan.office)
    task_mark_done(task=task, acting_user=shiyan.liaison[K.EDUCATION])
    with pytest.raises(ConferenceError):
        task_reopen(task=task, acting_user=shiyan.office, reason=" ")
    task_reopen(task=task, acting_user=shiyan.office, reason="缺少佐证材料")
    task.refresh_from_db()
    assert (
        task.status == Task.Status.IN_PROGRESS and task.done_at is None and task.status_note == "缺少佐证材料"
    )

    with pytest.raises(PermissionDenied):
        task_cancel(task=task, acting_user=shiyan.liaison[K.EDUCATION], reason="x")
    task_cancel(task=task, acting_user=shiyan.director, reason="并入其他任务")
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED
    with pytest.raises(TransitionNotAllowed):
        task_mark_done(task=task, acting_user=shiyan.liaison[K.EDUCATION])


def test_a_task_led_only_by_the_counties_is_closed_by_the_office(shiyan):
    task = make_task(shiyan, lead=None, responsible=(K.FINANCE,))
    with pytest.raises(PermissionDenied):
        task_mark_done(task=task, acting_user=shiyan.liaison[K.FINANCE])
    task_mark_done(task=task, acting_user=shiyan.office)
    assert Task.objects.get(pk=task.pk).status == Task.Status.DONE


def test_a_decided_item_becomes_a_task_once(shiyan):
    meeting = Meeting.objects.create(
        conference=shiyan.conference, kind=Meeting.Kind.PLENARY, held_on=datetime.date(2026, 3, 1)
    )
    item = DecidedItem.objects.create(meeting=meeting, text="报送工作台账。")
    with pytest.raises(ConferenceError):
        decided_item_to_task(item=item, acting_user=shiyan.office)  # no lead unit or due date yet
    item.lead_unit, item.due_on = shiyan.units[K.HEALTH], datetime.date(2026, 4, 1)
    item.save()
    with pytest.raises(PermissionDenied):
        decided_item_to_task(item=item, acting_user=shiyan.liaison[K.HEALTH])
    task = decided_item_to_task(item=item, acting_user=shiyan.office)
    assert task.source == Task.Source.DECIDED_ITEM and task.lead_unit == shiyan.units[K.HEALTH]
    with pytest.raises(ConferenceError):
        decided_item_to_task(item=item, acting_user=shiyan.office)


def test_attachments_are_private(client, shiyan, qingyuan):
    task = make_task(shiyan)
    upload = SimpleUploadedFile("进展.pdf", b"%PDF-1.4 demo\n%%EOF\n", "application/pdf")
    report = task_report_progress(
        task=task, text="见附件", attachment=upload, acting_user=shiyan.liaison[K.FINANCE]
    )
    stored = report.attachment.name
    assert stored.startswith(f"conference/420300/{shiyan.conference.pk}/{task.pk}/")
    assert "进展" not in stored and report.original_name == "进展.pdf"

    url = f"/admin/conference/task/reports/{report.pk}/file/"
    client.force_login(shiyan.liaison[K.CIVIL_AFFAIRS])  # same conference
    response = client.get(url)
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(qingyuan.liaison[K.EDUCATION])
    assert client.get(url).status_code == 404
    assert client.get(f"/media/{stored}").status_code == 404

    with pytest.raises(ConferenceError):
        task_report_progress(
            task=task,
            text="x",
            attachment=SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream"),
            acting_user=shiyan.liaison[K.FINANCE],
        )


def test_the_meeting_action_turns_decided_items_into_tasks(client, shiyan):
    meeting = Meeting.objects.create(
        conference=shiyan.conference, kind=Meeting.Kind.LIAISON, held_on=datetime.date(2026, 3, 1)
    )
    DecidedItem.objects.create(
        meeting=meeting, text="报送台账。", lead_unit=shiyan.units[K.HEALTH], due_on=datetime.date(2026, 4, 1)
    )
    DecidedItem.objects.create(meeting=meeting, text="尚未明确牵头单位的事项。")
    client.force_login(shiyan.office)
    response = client.post(
        "/admin/conference/meeting/", {"action": "make_tasks", "_selected_action": [meeting.pk]}
    )
    assert response.status_code == 302
    assert list(Task.objects.values_list("title", "source")) == [("报送台账", Task.Source.DECIDED_ITEM)]
