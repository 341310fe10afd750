"""The joint conference (联席会议): member units and the people who hold its roles, meetings and their
decided items, tasks and progress reports, escalation and bulletins.

Every model is scoped to the conference's region (`Scope(region=...)`), so `registry.selectors.visible`
gives staff of the city's authorities their conferences; `conference.selectors.visible_conferences` adds
the member units' people, whose authority may sit elsewhere.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from registry.models import Scope


class Conference(models.Model):
    """One joint conference per city or county, run by an office at the health bureau. Its policy (how
    many plenary meetings a year, the escalation ladder's days) is data here, with the seeds' presets as
    defaults."""

    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="conferences"
    )
    organiser = models.ForeignKey(
        "registry.Authority",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_conferences",
        help_text=_("The health bureau that hosts the conference office."),
    )
    name = models.CharField(_("name"), max_length=128)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    plenary_min_per_year = models.PositiveSmallIntegerField(
        _("plenary meetings per year (at least)"), default=1
    )
    plenary_max_per_year = models.PositiveSmallIntegerField(
        _("plenary meetings per year (at most)"), default=2
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("due soon (days before the due date)"),
        default=7,
        help_text=_("The liaisons of the task's units are reminded this many days before it is due."),
    )
    overdue_days = models.PositiveSmallIntegerField(
        _("overdue (days after the due date)"),
        default=0,
        help_text=_("Past this many days after the due date the lead unit and the office director are told."),
    )
    long_overdue_days = models.PositiveSmallIntegerField(
        _("long overdue (days after the due date)"),
        default=30,
        help_text=_("Past this many days after the due date the convenor is told."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("joint conference")
        verbose_name_plural = _("joint conferences")
        ordering = ["region_id"]
        permissions = [("run_conference", _("Run the joint-conference office"))]
        constraints = [models.UniqueConstraint(fields=["region"], name="conference_one_per_region")]

    def __str__(self):
        return self.name


class MemberUnit(models.Model):
    """A department that belongs to the conference, with its duties as the policy states them."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("joint conference"), on_delete=models.CASCADE, related_name="units"
    )
    authority = models.ForeignKey(
        "registry.Authority", verbose_name=_("authority"), on_delete=models.PROTECT, related_name="+"
    )
    short_name = models.CharField(
        _("short name"), max_length=64, help_text=_("The name the policy texts use, e.g. 市卫健委.")
    )
    aliases = models.CharField(
        _("other names"), max_length=255, blank=True, help_text=_("Other names in plans, separated by 、.")
    )
    duties = models.TextField(_("duties"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    scope = Scope(region="conference__region")

    class Meta:
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        ordering = ["conference_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "authority"], name="memberunit_once_per_conference")
        ]

    def __str__(self):
        return self.short_name or self.authority.name

    def names(self) -> set[str]:
        """Every name a plan may use for this unit."""
        found = {self.short_name, self.authority.name}
        found.update(a.strip() for a in self.aliases.replace(",", "、").split("、"))
        return {n for n in found if n}


class ConferenceRole(models.TextChoices):
    CONVENOR = "convenor", _("Convenor")
    DEPUTY_CONVENOR = "deputy_convenor", _("Deputy convenor")
    OFFICE_DIRECTOR = "office_director", _("Office director")
    LIAISON = "liaison", _("Liaison")
    MEMBER = "member", pgettext_lazy("conference role", "Member")


# Roles held for a member unit; the others are held for the conference as a whole.
UNIT_ROLES = (ConferenceRole.LIAISON, ConferenceRole.MEMBER)
# Roles only one person holds at a time (per unit for unit roles): appointing a new holder ends the old.
SINGLE_HOLDER_ROLES = (
    ConferenceRole.CONVENOR,
    ConferenceRole.OFFICE_DIRECTOR,
    ConferenceRole.LIAISON,
    ConferenceRole.MEMBER,
)


class RoleAssignment(models.Model):
    """A person holding a conference role from one date to another. A change of liaison ends one row and
    starts the next, so who held the role on any day stays answerable."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("joint conference"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=24, choices=ConferenceRole.choices)
    unit = models.ForeignKey(
        MemberUnit,
        verbose_name=_("member unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
        help_text=_("Required for liaisons and members."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("held from"))
    ends_on = models.DateField(_("until"), null=True, blank=True, help_text=_("The last day held."))

    history = HistoricalRecords()
    scope = Scope(region="conference__region")

    class Meta:
        verbose_name = _("role holder")
        verbose_name_plural = _("role holders")
        ordering = ["conference_id", "role", "unit_id", "-starts_on"]
        indexes = [models.Index(fields=["user", "ends_on"], name="conference_role_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="roleassignment_ends_after_start",
            )
        ]

    def __str__(self):
        where = f"{self.unit} " if self.unit_id else ""
        return f"{where}{self.get_role_display()}：{self.user}"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary meeting")
        THEMATIC = "thematic", _("Thematic meeting")
        LIAISON = "liaison", _("Liaison meeting")

    conference = models.ForeignKey(
        Conference, verbose_name=_("joint conference"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    held_on = models.DateField(_("held on"), db_index=True)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("convened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attending_units = models.ManyToManyField(
        MemberUnit, verbose_name=_("attending units"), blank=True, related_name="meetings"
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    history = HistoricalRecords(m2m_fields=[attending_units])
    scope = Scope(region="conference__region")

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()}"


class DecidedItem(models.Model):
    """A decided item (议定事项) in a meeting's minutes; it becomes a task."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decided_items"
    )
    text = models.TextField(_("decided item"))
    lead_unit = models.ForeignKey(
        MemberUnit,
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)

    history = HistoricalRecords()
    scope = Scope(region="meeting__conference__region")

    class Meta:
        verbose_name = _("decided item")
        verbose_name_plural = _("decided items")
        ordering = ["meeting_id", "pk"]

    def __str__(self):
        return self.text[:40]


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


class PlenaryShortfall(models.Model):
    """A year that passed without the required plenary meetings; the office was warned once."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("joint conference"), on_delete=models.CASCADE, related_name="shortfalls"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    held = models.PositiveSmallIntegerField(_("plenary meetings held"))
    required = models.PositiveSmallIntegerField(_("plenary meetings required"))
    warned_at = models.DateTimeField(_("warned"), auto_now_add=True)

    scope = Scope(region="conference__region")

    class Meta:
        verbose_name = _("plenary meeting shortfall")
        verbose_name_plural = _("plenary meeting shortfalls")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["conference", "year"], name="shortfall_once_per_year")]

    def __str__(self):
        return f"{self.conference} {self.year}"


class Bulletin(models.Model):
    """A bulletin (通报): progress by unit, overdue items by name, what was done since the last one. The
    snapshot is stored as issued, so it reads the same later whatever happens to the tasks."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        ON_DEMAND = "on_demand", _("On demand")

    conference = models.ForeignKey(
        Conference, verbose_name=_("joint conference"), on_delete=models.CASCADE, related_name="bulletins"
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    month = models.DateField(
        _("month"), null=True, blank=True, help_text=_("First day of the month, for monthly bulletins.")
    )
    since = models.DateTimeField(_("covers since"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now, db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    snapshot = models.JSONField(_("content"), default=dict)
    recipients = models.PositiveIntegerField(_("people notified"), default=0)

    scope = Scope(region="conference__region")

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="bulletin_number_unique"),
            models.UniqueConstraint(
                fields=["conference", "month"],
                condition=Q(kind="monthly"),
                name="bulletin_once_per_month",
            ),
        ]

    def __str__(self):
        return _("Bulletin No. %(number)d") % {"number": self.number}
