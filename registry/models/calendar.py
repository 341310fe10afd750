from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A day that breaks the Monday-to-Friday rule: a public holiday, or a weekend day worked instead
    (调休). Preset from the `chinesecalendar` package for the years it knows; the bureau adds the years it
    does not know yet from the State Council's notice."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (no work)")
        WORKDAY = "workday", _("Working day (调休)")

    class Source(models.TextChoices):
        PACKAGE = "package", _("Preset")
        BUREAU = "bureau", _("Entered in the admin")

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("holiday"), max_length=40, blank=True, help_text=_("For example 国庆节."))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.BUREAU)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("holiday calendar")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()}"
