import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import Scope


def material_upload_to(instance, filename: str) -> str:
    """Private path: county/institution/random name. The original name is kept in the row only."""
    suffix = PurePath(filename).suffix.lower()[:10]
    institution = instance.filing.institution
    return f"materials/{institution.region_id}/{institution.pk}/{uuid.uuid4().hex}{suffix}"


class Material(models.Model):
    """A document uploaded with a filing. Served only through a view that checks who asks."""

    filing = models.ForeignKey("filing.Filing", on_delete=models.CASCADE, related_name="materials")
    requirement = models.ForeignKey(
        "filing.MaterialRequirement", verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=material_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    scope = Scope(region="filing__institution__region", institution="filing__institution")

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["requirement__position", "uploaded_at"]

    def __str__(self):
        return self.original_name
