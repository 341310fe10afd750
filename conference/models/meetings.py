"""Meetings with their attending units and minutes, the decided items that become tasks, and the years
that passed without the required plenary meetings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Scope

from .conferences import Conference, MemberUnit


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
