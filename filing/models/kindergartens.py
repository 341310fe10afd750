from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Scope

from .filings import ClassType


class NurseryClass(models.Model):
    """One nursery class (托班) of a kindergarten, in the education bureau's ledger: its places and the
    children in it now. The bureau keeps the row current; the history keeps what it was."""

    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("kindergarten"),
        on_delete=models.PROTECT,
        related_name="nursery_classes",
        limit_choices_to={"route": "kindergarten"},
    )
    name = models.CharField(_("class name"), max_length=40)
    class_type = models.CharField(
        _("class type"), max_length=16, choices=ClassType.choices, default=ClassType.OLDER_TODDLER
    )
    places = models.PositiveSmallIntegerField(_("places"))
    children = models.PositiveSmallIntegerField(_("children enrolled"))
    carers = models.PositiveSmallIntegerField(_("carers and teachers"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    scope = Scope(region="institution__region", institution="institution")

    class Meta:
        verbose_name = _("nursery class")
        verbose_name_plural = _("kindergarten nursery classes")
        ordering = ["institution", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="nursery_class_name_once")
        ]

    def __str__(self):
        return f"{self.institution.name} {self.name}"
