from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from .authorities import Route
from .scope import Scope


class FilingStatus(models.TextChoices):
    """Where the institution stands with its county health bureau (mirrored by the filing app)."""

    UNFILED = "unfiled", _("Not filed")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    FILED = "filed", _("Filed")
    REFUSED = "refused", _("Refused")
    TERMINATED = "terminated", _("Terminated")


class CareForm(models.TextChoices):
    """What is filed: a childcare institution, or a home-based care point (at most 5 children in a
    residence, under the national rules of 2023)."""

    INSTITUTION = "institution", _("Childcare institution")
    HOME_POINT = "home_point", _("Home-based care point")


class Institution(models.Model):
    """A childcare institution for children under three, identified by its USCC."""

    FilingStatus = FilingStatus
    CareForm = CareForm

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    route = models.CharField(_("route"), max_length=32, choices=Route.choices)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="institutions",
        limit_choices_to={"county_level": True},
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    employer_run = models.BooleanField(_("employer-run"), default=False)
    care_form = models.CharField(
        _("form of care"), max_length=16, choices=CareForm.choices, default=CareForm.INSTITUTION
    )
    filing_status = models.CharField(
        _("filing status"), max_length=16, choices=FilingStatus.choices, default=FilingStatus.UNFILED
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords()
    scope = Scope(region="region", institution="pk")

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["region_id", "name"]
        indexes = [
            models.Index(fields=["region", "filing_status"], name="institution_region_status"),
            # The admin list: a jurisdiction's institutions by name (the admin adds -pk to the order).
            models.Index(fields=["region", "name", "-id"], name="institution_region_name"),
        ]
        permissions = [("act_for_institution", _("Can act for the institution as its operator"))]

    def __str__(self):
        return self.name


class InstitutionUserObjectPermission(UserObjectPermissionBase):
    """Direct-foreign-key grants (guardian), so 'institutions this operator acts for' is one join."""

    content_object = models.ForeignKey(Institution, on_delete=models.CASCADE)


class InstitutionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Institution, on_delete=models.CASCADE)
