from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .scope import Scope


class RegionQuerySet(models.QuerySet):
    def subtree(self, region):
        """The region and every region below it (a province, its cities and their counties)."""
        code = getattr(region, "pk", region)
        return self.filter(Q(pk=code) | Q(parent_id=code) | Q(parent__parent_id=code))

    def counties(self):
        """County-level divisions: counties, and cities with no counties (东莞, 中山, 儋州, 嘉峪关)."""
        return self.filter(county_level=True)


class Region(models.Model):
    """An administrative division of GB/T 2260: province, city (prefecture) or county."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    code = models.CharField(
        _("division code"),
        max_length=6,
        primary_key=True,
        validators=[RegexValidator(r"^\d{6}$", _("A division code is six digits."))],
    )
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    # A county, or a city with no counties below it, which registrations name and a bureau supervises as
    # a county. Kept by `regions_load`; a county is always one.
    county_level = models.BooleanField(_("county-level"), default=False, db_index=True)

    objects = RegionQuerySet.as_manager()
    scope = Scope(region="pk")

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def save(self, *args, **kwargs):
        if self.level == self.Level.COUNTY:
            self.county_level = True
        super().save(*args, **kwargs)

    @property
    def is_county(self):
        return self.county_level
