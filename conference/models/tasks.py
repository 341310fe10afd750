"""Tasks with their lead and responsible units, progress reports with private attachments, and the
escalation rungs fired for each task."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from registry.models import Scope

from .conferences import Conference, MemberUnit
from .meetings import DecidedItem


class Task(models.Model):
    """A task of the conference: from the implementation plan or a decided item. The lead unit owns it,
    the responsible units help; each unit's liaison reports progress."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", pgettext_lazy("task", "Cancelled")

    class Source(models.TextChoices):
        PLAN = "plan", _("Implementation plan")
        DECIDED_ITEM = "decided_item", _("Decided item")

    ACTIVE = (Status.OPEN, Status.IN_PROGRESS)

    conference = models.ForeignKey(
        Conference, verbose_name=_("joint conference"), on_delete=models.CASCADE, related_name="tasks"
    )
    reference = models.CharField(_("reference"), max_length=32, blank=True)
    title = models.CharField(_("task"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.PLAN)
    decided_item = models.OneToOneField(
        DecidedItem,
        verbose_name=_("decided item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="task",
    )
    lead_unit = models.ForeignKey(
        MemberUnit,
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        help_text=_("Empty when only parties outside the conference lead (e.g. the counties)."),
    )
    responsible_units = models.ManyToManyField(
        MemberUnit, verbose_name=_("responsible units"), blank=True, related_name="shared_tasks"
    )
    other_parties = models.CharField(
        _("other parties"),
        max_length=255,
        blank=True,
        help_text=_("Parties named by the plan that are not member units, e.g. 各县市区."),
    )
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(_("marked done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_note = models.TextField(_("note on the status"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[responsible_units])
    scope = Scope(region="conference__region")

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["conference", "status", "due_on"], name="conference_task_status_idx")]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def days_late(self, today=None) -> int:
        return ((today or timezone.localdate()) - self.due_on).days

    def is_overdue(self, today=None) -> bool:
        return self.is_active and self.days_late(today) > 0


def attachment_upload_to(instance, filename: str) -> str:
    """Private path: region/conference/task/random name. The original name is kept in the row only."""
    suffix = PurePath(filename).suffix.lower()[:10]
    task = instance.task
    return f"conference/{task.conference.region_id}/{task.conference_id}/{task.pk}/{uuid.uuid4().hex}{suffix}"


class ProgressReport(models.Model):
    """A unit's progress on a task, by its liaison. The attachment is served only through a view that
    checks who asks, never from MEDIA_URL."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("member unit"), on_delete=models.PROTECT, related_name="reports"
    )
    text = models.TextField(_("progress"))
    attachment = models.FileField(_("attachment"), upload_to=attachment_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True, db_index=True)

    scope = Scope(region="task__conference__region")

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_at", "-pk"]

    def __str__(self):
        return f"{self.unit}：{self.text[:30]}"


class Escalation(models.Model):
    """One rung of a task's escalation ladder, fired. The unique row is what makes each rung fire once
    however often the job runs."""

    class Rung(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")
        LONG_OVERDUE = "long_overdue", _("Long overdue")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="escalations"
    )
    rung = models.CharField(_("rung"), max_length=16, choices=Rung.choices)
    fired_at = models.DateTimeField(_("fired"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("people notified"), default=0)

    scope = Scope(region="task__conference__region")

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-fired_at"]
        constraints = [models.UniqueConstraint(fields=["task", "rung"], name="escalation_once_per_rung")]

    def __str__(self):
        return f"{self.task} · {self.get_rung_display()}"
