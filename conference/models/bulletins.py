"""Bulletins (通报): the snapshot of a conference's progress as issued."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Scope

from .conferences import Conference


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
