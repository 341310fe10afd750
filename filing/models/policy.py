"""What a jurisdiction requires of a filing. A row without a region holds the national defaults; a row for
a province, city or county overrides it there and below (the most specific row wins)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import CareForm, Scope


class FilingPolicy(models.Model):
    """The numbers of the national setting standard (托育机构设置标准（试行）) and the review time limit."""

    region = models.OneToOneField(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Leave empty for the national defaults."),
    )
    review_working_days = models.PositiveSmallIntegerField(
        _("review limit (working days)"), default=5, validators=[MinValueValidator(1)]
    )
    max_infant_class = models.PositiveSmallIntegerField(_("infant class cap"), default=10)
    max_toddler_class = models.PositiveSmallIntegerField(_("toddler class cap"), default=15)
    max_older_toddler_class = models.PositiveSmallIntegerField(_("older toddler class cap"), default=20)
    max_mixed_class = models.PositiveSmallIntegerField(_("mixed class cap"), default=18)
    infants_per_carer = models.PositiveSmallIntegerField(_("infants per carer"), default=3)
    toddlers_per_carer = models.PositiveSmallIntegerField(_("toddlers per carer"), default=5)
    older_toddlers_per_carer = models.PositiveSmallIntegerField(_("older toddlers per carer"), default=7)
    mixed_per_carer = models.PositiveSmallIntegerField(_("children per carer in mixed classes"), default=5)
    min_lease_years = models.PositiveSmallIntegerField(_("minimum lease (years)"), default=3)
    min_outdoor_area_per_child = models.DecimalField(
        _("outdoor area per child (m²)"), max_digits=5, decimal_places=2, default=2
    )
    min_health_staff = models.PositiveSmallIntegerField(_("health staff at least"), default=1)
    min_security_staff = models.PositiveSmallIntegerField(_("security staff at least"), default=1)
    home_point_max_children = models.PositiveSmallIntegerField(
        _("home-based point: children at most"),
        default=5,
        help_text=_("A point caring for more must file as an institution."),
    )
    home_point_children_per_carer = models.PositiveSmallIntegerField(
        _("home-based point: children per carer"), default=3
    )
    health_evaluation_rule = models.CharField(
        _("health evaluation at filing"),
        max_length=10,
        choices=[
            ("upload", _("The report is uploaded (a valid passing evaluation on record replaces it)")),
            ("finding", _("A missing valid passing evaluation on record is a finding for the reviewer")),
            ("required", _("A valid passing evaluation on record is required to submit")),
        ],
        default="upload",
    )
    kindergartens_file = models.BooleanField(
        _("kindergartens file with the health bureau"),
        default=True,
        help_text=_(
            "Whether kindergartens with nursery classes also file with the health bureau and are reminded "
            "until they do. Off where the education bureau manages them alone (Shiyan: 托幼一体)."
        ),
    )

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("filing policy")
        verbose_name_plural = _("filing policies")
        ordering = ["region_id"]
        constraints = [
            # One national row: regions are unique already, and a missing region counts as one value.
            models.UniqueConstraint(Coalesce("region", Value("")), name="filingpolicy_one_per_region"),
        ]

    def __str__(self):
        return str(self.region) if self.region_id else str(_("National defaults"))


class MaterialRequirement(models.Model):
    """One document a filing must (or may) carry. Regional rows with the same code replace the
    national one; an inactive regional row drops it there."""

    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Leave empty for the national list."),
    )
    code = models.SlugField(_("code"), max_length=48)
    name = models.CharField(_("name"), max_length=128)
    help_text = models.CharField(_("explanation"), max_length=255, blank=True)
    required = models.BooleanField(_("required"), default=True)
    care_form = models.CharField(
        _("asked of"),
        max_length=16,
        choices=CareForm.choices,
        blank=True,
        help_text=_("Empty: asked of institutions and home-based care points alike."),
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("material requirement")
        verbose_name_plural = _("material requirements")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="material_unique_in_region"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(region__isnull=True), name="material_unique_national"
            ),
        ]

    def __str__(self):
        return self.name


class ReceiptCounter(models.Model):
    """The last receipt number issued in a county in a year; locked while a number is taken."""

    region = models.ForeignKey("registry.Region", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="receipt_counter_unique")]

    def __str__(self):
        return f"{self.region_id}-{self.year}: {self.last}"
