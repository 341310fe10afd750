"""Credit records: entered by the county bureau (sanctions, commendations), and recorded automatically from
a ban, a rectification overdue for a month, or an upheld complaint (each source once)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Institution, User
from registry.selectors import visible

from ..models import CreditRecord, Rectification
from .errors import InspectionError

OVERDUE_DAYS = 30  # a rectification this far past its deadline enters the institution's credit record
OVERDUE_VALIDITY = 365


def credit_problems(*, kind, severity, decided_on, valid_until) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if decided_on and decided_on > timezone.localdate():
        errors["decided_on"] = [_("The date cannot be in the future.")]
    if decided_on and valid_until and valid_until < decided_on:
        errors["valid_until"] = [_("Valid until comes before the decision.")]
    if (
        kind
        and severity
        and (kind == CreditRecord.Kind.COMMENDATION) != (severity == CreditRecord.Severity.GOOD)
    ):
        errors["severity"] = [_("A commendation is good credit; every other kind is bad.")]
    return errors


@transaction.atomic
def credit_record_add(
    *,
    institution: Institution,
    kind: str,
    severity: str,
    description: str,
    decided_by_body: str,
    decided_on: datetime.date,
    valid_until: datetime.date | None,
    acting_user: User,
) -> CreditRecord:
    if not acting_user.has_perm("inspections.add_creditrecord"):
        raise PermissionDenied
    if not visible(Institution.objects.filter(pk=institution.pk), acting_user).exists():
        raise PermissionDenied(_("This institution is outside your jurisdiction."))
    errors = credit_problems(kind=kind, severity=severity, decided_on=decided_on, valid_until=valid_until)
    if errors:
        raise InspectionError(_("The record could not be saved; see below."), errors)
    return CreditRecord.objects.create(
        subject=CreditRecord.Subject.INSTITUTION,
        institution=institution,
        region_id=institution.region_id,
        kind=kind,
        severity=severity,
        description=description.strip(),
        decided_by_body=decided_by_body.strip(),
        decided_on=decided_on,
        valid_until=valid_until,
        recorded_by=acting_user,
    )


def credit_from_ban(ban) -> CreditRecord:
    """A ban is a serious bad credit record of the person, valid as long as the ban."""
    record, _created = CreditRecord.objects.get_or_create(
        ban=ban,
        defaults={
            "subject": CreditRecord.Subject.PERSON,
            "person_name": ban.name,
            "document_masked": ban.document_masked,
            "document_digest": ban.document_digest,
            "region_id": ban.region_id,
            "kind": CreditRecord.Kind.BAN,
            "severity": CreditRecord.Severity.SERIOUS,
            "description": ban.reason,
            "decided_by_body": ban.decided_by_body,
            "decided_on": ban.decided_on,
            "valid_until": None if ban.lifetime else ban.until,
            "recorded_by": ban.recorded_by,
        },
    )
    return record


def credit_from_overdue(*, today: datetime.date) -> int:
    """Record each rectification still open a month past its deadline (once). Returns how many."""
    late = (
        Rectification.objects.filter(
            status=Rectification.Status.OPEN, deadline__lte=today - datetime.timedelta(days=OVERDUE_DAYS)
        )
        .exclude(Exists(CreditRecord.objects.filter(rectification=OuterRef("pk"))))
        .select_related("inspection__authority")
    )
    records = [
        CreditRecord(
            subject=CreditRecord.Subject.INSTITUTION,
            institution_id=r.institution_id,
            region_id=r.region_id,
            kind=CreditRecord.Kind.RECTIFICATION_OVERDUE,
            severity=CreditRecord.Severity.MINOR,
            description=_("Rectification “%(required)s” not done by %(day)s.")
            % {"required": r.required, "day": r.deadline.isoformat()},
            decided_by_body=r.inspection.authority.name,
            decided_on=today,
            valid_until=today + datetime.timedelta(days=OVERDUE_VALIDITY),
            rectification=r,
        )
        for r in late.iterator(chunk_size=1000)
    ]
    CreditRecord.objects.bulk_create(records, batch_size=1000, ignore_conflicts=True)
    return len(records)
