from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class DocumentType(models.TextChoices):
    RIC = "ric", _("Resident identity card")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit for Hong Kong, Macao and Taiwan residents")
    PASSPORT = "passport", _("Passport")


class Person(models.Model):
    """Someone in the staff register, known by an identity document. The number is sealed (encrypted);
    `document_digest` matches it; `document_masked` is what lists show."""

    document_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices)
    document_digest = models.CharField(_("document digest"), max_length=64, unique=True, editable=False)
    document_sealed = models.TextField(_("document number (encrypted)"), editable=False)
    document_masked = models.CharField(_("document number"), max_length=24, editable=False)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    # No `scope` of its own: a person is seen through their employments (`selectors.visible_people`).
    history = HistoricalRecords(excluded_fields=["document_sealed"])

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name}（{self.document_masked}）"


class DocumentView(models.Model):
    """Each time someone saw a full identity number: who, whose, when (PIPL)."""

    person = models.ForeignKey(
        Person, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="+"
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("seen by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("full document number seen")
        verbose_name_plural = _("full document numbers seen")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.viewer} · {self.person} · {self.at:%Y-%m-%d %H:%M}"
