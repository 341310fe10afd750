from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from registry.models import Scope

from .people import Person


class StaffRole(models.TextChoices):
    MANAGEMENT = "management", _("Management")
    CARER = "carer", _("Carer (保育人员)")
    HEALTH = "health", _("Health staff (卫生保健人员)")
    SECURITY = "security", _("Security staff (安保人员)")
    COOK = "cook", _("Cook")
    OTHER = "other", _("Other")


class Employment(models.Model):
    """A person working at an institution in a role, from a day to a day (open while it lasts). A carer
    works at one institution at a time: the database refuses a second open carer employment."""

    person = models.ForeignKey(
        Person, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="employments"
    )
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="employments",
    )
    role = models.CharField(pgettext_lazy("staff", "role"), max_length=16, choices=StaffRole.choices)
    starts_on = models.DateField(_("employed from"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    ban_flagged = models.BooleanField(
        _("the person is banned"),
        default=False,
        help_text=_("Set when a ban is recorded; end the employment."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    scope = Scope(region="institution__region", institution="institution")

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["institution", "person__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(role="carer", ends_on__isnull=True),
                name="one_open_carer_employment",
            ),
        ]
        indexes = [models.Index(fields=["institution", "role"], name="employment_roster")]

    def __str__(self):
        return f"{self.person.name} · {self.get_role_display()}"
