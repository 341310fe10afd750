from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import CareForm, QueueOrder, Scope, ServiceType


class ClassType(models.TextChoices):
    INFANT = "infant", _("Infant class (6–12 months)")
    TODDLER = "toddler", _("Toddler class (12–24 months)")
    OLDER_TODDLER = "older_toddler", _("Older toddler class (24–36 months)")
    MIXED = "mixed", _("Mixed class (18 months and over)")


# What an operator fills in; copied into a change filing, compared by its diff, edited in the portal.
PARTICULARS = (
    "care_form",
    "name",
    "address",
    "legal_representative",
    "contact_person",
    "contact_phone",
    "building_area",
    "outdoor_area",
    "tenure",
    "lease_starts_on",
    "lease_ends_on",
    "service_types",
    "monthly_fees",
    "inclusive",
    "employer_run",
    "staff_management",
    "staff_carers",
    "staff_health",
    "staff_security",
    "staff_cooks",
)


class Filing(QueueOrder, models.Model):
    """An institution's filing with its county health bureau: the first one, or a change to it.

    Its status moves only through `filing.services` (see TRANSITIONS there); every move is a Transition.
    """

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Filing")
        CHANGE = "change", _("Change filing")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    class Tenure(models.TextChoices):
        OWNED = "owned", _("Owned")
        LEASED = "leased", _("Leased")

    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="filings",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.INITIAL)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    amends = models.ForeignKey(
        "self",
        verbose_name=_("amends"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
        help_text=_("The accepted filing a change filing amends."),
    )

    # Particulars, prefilled from the registration.
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=255)
    legal_representative = models.CharField(_("legal representative"), max_length=64)
    contact_person = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    # Premises.
    building_area = models.DecimalField(
        _("building area (m²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    outdoor_area = models.DecimalField(
        _("outdoor area (m²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    tenure = models.CharField(_("premises"), max_length=8, choices=Tenure.choices, blank=True)
    lease_starts_on = models.DateField(_("lease starts"), null=True, blank=True)
    lease_ends_on = models.DateField(_("lease ends"), null=True, blank=True)
    # Services and fees.
    service_types = models.JSONField(_("service types"), default=list, blank=True)
    monthly_fees = models.JSONField(
        _("monthly fees"), default=dict, blank=True, help_text=_("Yuan per month, by service type.")
    )
    inclusive = models.BooleanField(_("inclusive (普惠)"), default=False)
    employer_run = models.BooleanField(_("employer-run"), default=False)
    care_form = models.CharField(
        _("form of care"),
        max_length=16,
        choices=CareForm.choices,
        default=CareForm.INSTITUTION,
    )
    # Staff by role.
    staff_management = models.PositiveSmallIntegerField(_("management staff"), default=0)
    staff_carers = models.PositiveSmallIntegerField(_("carers"), default=0)
    staff_health = models.PositiveSmallIntegerField(_("health staff"), default=0)
    staff_security = models.PositiveSmallIntegerField(_("security staff"), default=0)
    staff_cooks = models.PositiveSmallIntegerField(_("cooks"), default=0)
    staff_from_register = models.BooleanField(
        _("staff counts from the staff register"),
        default=False,
        help_text=_("Set at submission when the counts were taken from the institution's staff register."),
    )
    commitment_accepted_at = models.DateTimeField(_("commitment accepted"), null=True, blank=True)

    findings = models.JSONField(_("standards findings"), default=list, blank=True, editable=False)
    # The review queue's order, kept from the status on every save so that an index serves the queue:
    # submitted first, then returned, then decided, then drafts.
    queue_priority = models.PositiveSmallIntegerField(_("queue order"), default=2, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=32, null=True, blank=True, unique=True)
    # Printed on the receipt with a QR code: anyone holding the paper checks it on the public page.
    verification_code = models.CharField(
        _("verification code"), max_length=12, null=True, blank=True, unique=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    scope = Scope(region="institution__region", institution="institution")

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="filing_queue"),
            models.Index(fields=["queue_priority", "submitted_at", "id"], name="filing_review_order"),
        ]
        permissions = [("review_filing", _("Can accept, return and refuse filings"))]
        constraints = [
            # At most one filing of an institution is being worked on at a time.
            models.UniqueConstraint(
                fields=["institution"],
                condition=models.Q(status__in=["draft", "submitted", "returned"]),
                name="filing_one_open_per_institution",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.name}"

    QUEUE_PRIORITY = {"submitted": 0, "returned": 1, "draft": 3}

    @property
    def service_type_labels(self) -> list[str]:
        labels = dict(ServiceType.choices)
        return [str(labels.get(code, code)) for code in self.service_types]

    @property
    def total_slots(self) -> int:
        return sum(c.slots for c in self.classes.all())

    @property
    def total_enrolled(self) -> int:
        return sum(c.enrolled for c in self.classes.all())


class FilingClass(models.Model):
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="classes")
    class_type = models.CharField(_("class type"), max_length=16, choices=ClassType.choices)
    name = models.CharField(_("class name"), max_length=64, blank=True)
    slots = models.PositiveSmallIntegerField(_("slots"))
    enrolled = models.PositiveSmallIntegerField(_("enrolled children"), default=0)
    carers = models.PositiveSmallIntegerField(_("carers"), default=0)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["id"]

    def __str__(self):
        return self.name or self.get_class_type_display()


class ReturnReason(models.Model):
    """Why the bureau returned a filing, item by item, so the operator knows exactly what to correct."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="return_reasons")
    round = models.PositiveSmallIntegerField(_("round"))
    item = models.CharField(_("item"), max_length=64)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("return reason")
        verbose_name_plural = _("return reasons")
        ordering = ["round", "id"]

    def __str__(self):
        return f"{self.item}: {self.reason}"


class Transition(models.Model):
    """One move of a filing between statuses: who, when, from, to, why."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=16, choices=Filing.Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Filing.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
