"""The conference with its policy (plenary meetings a year, the escalation ladder's days), its member
units, and the roles people hold over time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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
