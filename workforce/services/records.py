"""Certificates, health checks, training and no-criminal-record certificates, kept by the operators of an
institution the person works at now. Scans go through the same checks as filing materials."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.services import FilingError
from filing.services.materials import check_upload
from registry.models import User
from registry.selectors import operator_institution_ids

from ..models import Certificate, CertificateType, HealthCheck, NoCriminalRecord, Person, Training
from ..models.records import PersonRecord
from ..selectors import certificate_types_for
from .people import WorkforceError

MAX_HEALTH_CHECK_DAYS = 366  # yearly
MAX_TRAINING_HOURS = 2000


def require_employer(user: User, person: Person):
    """The institution the user acts for where the person works now, or PermissionDenied."""
    ids = operator_institution_ids(user)
    employment = person.employments.filter(institution_id__in=ids, ends_on__isnull=True).first()
    if employment is None:
        raise PermissionDenied(_("You may keep records only for people who work at your institution now."))
    return employment.institution


def _attach(record: PersonRecord, scan) -> None:
    if not scan:
        return
    try:
        record.scan_type = check_upload(scan)
    except FilingError as error:
        raise WorkforceError(error.message, {"scan": [error.message]}) from None
    record.scan = scan
    record.scan_name = scan.name[:255]


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise WorkforceError(
            _("The date cannot be after today (%(day)s).") % {"day": day}, {field: [_("After today.")]}
        )


def _save(record: PersonRecord, scan, acting_user: User) -> PersonRecord:
    _attach(record, scan)
    record.added_by = acting_user
    record._history_user = acting_user
    record.save()
    return record


@transaction.atomic
def certificate_add(
    *,
    person: Person,
    certificate_type: CertificateType,
    number: str,
    issuer: str,
    issued_on: datetime.date,
    acting_user: User,
    level: str = "",
    expires_on: datetime.date | None = None,
    scan=None,
) -> Certificate:
    institution = require_employer(acting_user, person)
    if certificate_type.pk not in {t.pk for t in certificate_types_for(institution.region_id)}:
        raise WorkforceError(
            _("This certificate is not on the county's list."), {"certificate_type": [_("Not listed.")]}
        )
    _not_future(issued_on, "issued_on")
    if expires_on is not None and expires_on < issued_on:
        raise WorkforceError(
            _("A certificate cannot expire before it is issued."),
            {"expires_on": [_("Before the issue date.")]},
        )
    if not number.strip():
        raise WorkforceError(_("Give the certificate number."), {"number": [_("Required.")]})
    certificate = Certificate(
        person=person,
        certificate_type=certificate_type,
        number=number.strip(),
        level=level.strip(),
        issuer=issuer.strip(),
        issued_on=issued_on,
        expires_on=expires_on,
    )
    return _save(certificate, scan, acting_user)


@transaction.atomic
def health_check_add(
    *,
    person: Person,
    checked_on: datetime.date,
    examined_by: str,
    valid_until: datetime.date,
    acting_user: User,
    result: str = HealthCheck.Result.FIT,
    scan=None,
) -> HealthCheck:
    require_employer(acting_user, person)
    _not_future(checked_on, "checked_on")
    if valid_until <= checked_on:
        raise WorkforceError(
            _("A health check is valid until a day after it was done."),
            {"valid_until": [_("Must be after the check date.")]},
        )
    if valid_until > checked_on + datetime.timedelta(days=MAX_HEALTH_CHECK_DAYS):
        raise WorkforceError(
            _("A health check is valid for a year: at most until %(day)s.")
            % {"day": checked_on + datetime.timedelta(days=MAX_HEALTH_CHECK_DAYS)},
            {"valid_until": [_("More than a year after the check.")]},
        )
    check = HealthCheck(
        person=person,
        checked_on=checked_on,
        examined_by=examined_by.strip(),
        result=result,
        valid_until=valid_until,
    )
    return _save(check, scan, acting_user)


@transaction.atomic
def training_add(
    *,
    person: Person,
    course: str,
    hours: Decimal,
    provider: str,
    completed_on: datetime.date,
    acting_user: User,
    scan=None,
) -> Training:
    require_employer(acting_user, person)
    _not_future(completed_on, "completed_on")
    if not 0 < hours <= MAX_TRAINING_HOURS:
        raise WorkforceError(
            _("The hours of a course are more than 0 and at most %(max)d.") % {"max": MAX_TRAINING_HOURS},
            {"hours": [_("Between 0 and %(max)d.") % {"max": MAX_TRAINING_HOURS}]},
        )
    training = Training(
        person=person,
        course=course.strip(),
        hours=hours,
        provider=provider.strip(),
        completed_on=completed_on,
    )
    return _save(training, scan, acting_user)


@transaction.atomic
def no_criminal_record_add(
    *, person: Person, police_station: str, issued_on: datetime.date, acting_user: User, scan=None
) -> NoCriminalRecord:
    require_employer(acting_user, person)
    _not_future(issued_on, "issued_on")
    if not police_station.strip():
        raise WorkforceError(
            _("Name the police station that issued it."), {"police_station": [_("Required.")]}
        )
    record = NoCriminalRecord(person=person, police_station=police_station.strip(), issued_on=issued_on)
    return _save(record, scan, acting_user)


@transaction.atomic
def record_remove(*, record: PersonRecord, acting_user: User) -> None:
    """A record added by mistake, removed by an operator of the person's institution (history keeps it)."""
    require_employer(acting_user, record.person)
    stored = record.scan
    record._history_user = acting_user
    record.delete()
    if stored:
        transaction.on_commit(lambda: stored.storage.delete(stored.name))
