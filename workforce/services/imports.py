"""A roster imported from a workbook: every row is checked first and its problems reported; only a
roster without a problem is saved, all of it in one transaction. A dry run checks and saves nothing."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from filing.services.errors import require_operator
from registry.models import Institution, User

from .. import documents, roster_sheet
from ..models import Certificate, DocumentType, Employment, HealthCheck, NoCriminalRecord, Person, StaffRole
from ..selectors import banned_digests, certificate_types_for
from .people import MAX_DAYS_AHEAD, WorkforceError, tell_bureau_banned, tell_bureau_carer_elsewhere
from .records import MAX_HEALTH_CHECK_DAYS

CHUNK = 1000


@dataclass
class RowResult:
    number: int
    name: str = ""
    document: str = ""
    role: str = ""
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    skipped: bool = False  # already on the roster in this role: left as it is


@dataclass
class ImportReport:
    rows: list[RowResult]
    saved: bool = False

    @property
    def problems(self) -> list[RowResult]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> int:
        return sum(1 for row in self.rows if not row.errors)

    @property
    def new(self) -> list[RowResult]:
        return [row for row in self.rows if not row.errors and not row.skipped]

    @property
    def skipped(self) -> list[RowResult]:
        return [row for row in self.rows if row.skipped and not row.errors]


def roster_import(
    *, institution: Institution, rows: list[tuple[int, dict]], acting_user: User, dry_run: bool
) -> ImportReport:
    require_operator(acting_user, institution)
    today = timezone.localdate()
    offered = {}
    for kind in certificate_types_for(institution.region_id):
        offered[kind.name.replace(" ", "").lower()] = kind
        offered[kind.code.lower()] = kind
    results = [_parse(number, values, offered, today) for number, values in rows]
    _check_register(results, institution, today, tell_bureau=not dry_run)
    report = ImportReport(results)
    if dry_run or report.problems:
        return report
    try:
        with transaction.atomic():
            _save(results, institution, acting_user)
    except IntegrityError:
        raise WorkforceError(
            _(
                "The register changed while the roster was being imported (someone hired one of these people "
                "meanwhile). Nothing was saved: check the roster again."
            )
        ) from None
    report.saved = True
    return report


def _parse(number: int, raw: dict, offered: dict, today: datetime.date) -> RowResult:
    text = {key: roster_sheet.as_text(value) for key, value in raw.items()}
    row = RowResult(number, name=text["name"])
    errors = row.errors
    values = row.values
    if not text["name"]:
        errors.append(_("The name is missing."))
    elif len(text["name"]) > 64:
        errors.append(_("The name is longer than 64 characters."))
    document_type = roster_sheet.lookup("document_type").get(
        text["document_type"].replace(" ", "").lower() or DocumentType.RIC
    )
    if document_type is None:
        errors.append(_("Unknown document type “%(value)s”.") % {"value": text["document_type"]})
    elif not text["document_number"]:
        errors.append(_("The document number is missing."))
    elif isinstance(raw.get("document_number"), int | float) and len(text["document_number"]) > 15:
        errors.append(
            _(
                "Excel stored the document number as a number and lost its last digits: format the column "
                "as text and type the number again."
            )
        )
    else:
        try:
            values["document_number"] = documents.normalise(document_type, text["document_number"])
            values["digest"] = documents.digest(document_type, values["document_number"])
            row.document = documents.masked(values["document_number"])
        except ValidationError as error:
            errors.append(error.messages[0])
    values["document_type"] = document_type
    role = roster_sheet.lookup("role").get(text["role"].replace(" ", "").lower())
    if role is None:
        errors.append(
            _("Unknown role “%(value)s”.") % {"value": text["role"]}
            if text["role"]
            else _("The role is missing.")
        )
    else:
        values["role"] = role
        row.role = str(StaffRole(role).label)
    values["starts_on"] = _date(raw, "starts_on", _("employed from"), errors, required=True)
    if values["starts_on"] and values["starts_on"] > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        errors.append(_("The start is more than %(days)d days ahead.") % {"days": MAX_DAYS_AHEAD})
    values["phone"] = text["phone"][:32]
    values["police_station"] = text["police_station"][:128]
    values["ncr_issued_on"] = _date(raw, "ncr_issued_on", _("no-criminal-record certificate: date"), errors)
    if bool(values["police_station"]) != bool(text["ncr_issued_on"]):  # one given without the other
        errors.append(_("Give both the police station and the date of the no-criminal-record certificate."))
    _certificate(raw, text, values, errors, offered)
    _health_check(raw, text, values, errors, today)
    for key in ("starts_on", "ncr_issued_on", "certificate_issued_on", "health_checked_on"):
        day = values.get(key)
        if key != "starts_on" and day and day > today:
            errors.append(_("%(column)s is in the future (%(day)s).") % {"column": _column(key), "day": day})
    return row


def _column(key: str) -> str:
    return str(next(c.header for c in roster_sheet.COLUMNS if c.key == key))


def _date(raw, key, label, errors, *, required=False):
    try:
        day = roster_sheet.as_date(raw.get(key))
    except (ValueError, TypeError):
        errors.append(
            _("%(column)s: “%(value)s” is not a date (write 2026-09-01).")
            % {"column": label, "value": raw.get(key)}
        )
        return None
    if day is None and required:
        errors.append(_("%(column)s is missing.") % {"column": label})
    return day


def _certificate(raw, text, values, errors, offered) -> None:
    keys = (
        "certificate_type",
        "certificate_number",
        "certificate_level",
        "certificate_issuer",
        "certificate_issued_on",
        "certificate_expires_on",
    )
    if not any(text[k] for k in keys):
        return
    kind = offered.get(text["certificate_type"].replace(" ", "").lower())
    if kind is None:
        errors.append(
            _("Unknown certificate “%(value)s”: use a name from the template's sheet of accepted values.")
            % {"value": text["certificate_type"]}
        )
    issued = _date(raw, "certificate_issued_on", _column("certificate_issued_on"), errors, required=True)
    expires = _date(raw, "certificate_expires_on", _column("certificate_expires_on"), errors)
    for key in ("certificate_number", "certificate_issuer"):
        if not text[key]:
            errors.append(_("%(column)s is missing.") % {"column": _column(key)})
    if issued and expires and expires < issued:
        errors.append(_("The certificate expires before it is issued."))
    values["certificate"] = {
        "certificate_type": kind,
        "number": text["certificate_number"][:64],
        "level": text["certificate_level"][:32],
        "issuer": text["certificate_issuer"][:128],
        "issued_on": issued,
        "expires_on": expires,
    }
    values["certificate_issued_on"] = issued


def _health_check(raw, text, values, errors, today) -> None:
    keys = ("health_checked_on", "health_examined_by", "health_valid_until")
    if not any(text[k] for k in keys):
        return
    checked = _date(raw, "health_checked_on", _column("health_checked_on"), errors, required=True)
    until = _date(raw, "health_valid_until", _column("health_valid_until"), errors, required=True)
    if not text["health_examined_by"]:
        errors.append(_("%(column)s is missing.") % {"column": _column("health_examined_by")})
    if checked and until and until <= checked:
        errors.append(_("The health certificate is valid until a day after the check."))
    elif checked and until and until > checked + datetime.timedelta(days=MAX_HEALTH_CHECK_DAYS):
        errors.append(_("A health check is valid for a year: the date it is valid until is too late."))
    values["health_check"] = {
        "checked_on": checked,
        "examined_by": text["health_examined_by"][:128],
        "valid_until": until,
    }
    values["health_checked_on"] = checked


def _check_register(results: list[RowResult], institution: Institution, today, *, tell_bureau: bool) -> None:
    """What only the register knows: bans, people already on this roster, carers employed elsewhere, a
    no-criminal-record certificate on record; and rows that repeat one another."""
    by_digest: dict[str, list[RowResult]] = {}
    for row in results:
        if "digest" in row.values:
            by_digest.setdefault(row.values["digest"], []).append(row)
    seen: set[tuple[str, str]] = set()
    for row in results:
        key = (row.values.get("digest"), row.values.get("role"))
        if None not in key:
            if key in seen:
                row.errors.append(_("This person appears twice in this role in the sheet."))
            seen.add(key)
    digests = list(by_digest)
    bans = banned_digests(digests, today)
    here, carers_elsewhere, with_record = set(), {}, set()
    for start in range(0, len(digests), CHUNK):
        part = digests[start : start + CHUNK]
        here |= set(
            Employment.objects.filter(
                person__document_digest__in=part, institution=institution, ends_on__isnull=True
            ).values_list("person__document_digest", "role")
        )
        carers_elsewhere.update(
            (digest, (other, person_id))
            for digest, other, person_id in Employment.objects.filter(
                person__document_digest__in=part, role=StaffRole.CARER, ends_on__isnull=True
            )
            .exclude(institution=institution)
            .values_list("person__document_digest", "institution__name", "person_id")
        )
        with_record |= set(
            NoCriminalRecord.objects.filter(person__document_digest__in=part).values_list(
                "person__document_digest", flat=True
            )
        )
    for digest, rows in by_digest.items():
        for row in rows:
            if digest in bans:
                row.errors.append(_("A ban is on record for this person: they may not work in childcare."))
                if tell_bureau:
                    tell_bureau_banned(institution, name=row.name, document=row.document, ban=bans[digest])
            if (digest, row.values.get("role")) in here:
                row.skipped = True  # a master sheet imported again: the people already here stay as they are
            if row.values.get("role") == StaffRole.CARER and digest in carers_elsewhere:
                row.errors.append(
                    _("Still employed as a carer at another institution: that employment must end first.")
                )
                if tell_bureau:
                    other, person_id = carers_elsewhere[digest]
                    tell_bureau_carer_elsewhere(
                        institution, name=row.name, document=row.document, other=other, person_id=person_id
                    )
            if digest not in with_record and not any(r.values.get("police_station") for r in rows):
                row.errors.append(
                    _("The no-criminal-record certificate (police station and date) is missing.")
                )


def _save(results: list[RowResult], institution: Institution, acting_user: User) -> None:
    results = [row for row in results if not row.skipped]
    digests = list({row.values["digest"] for row in results})
    people: dict[str, Person] = {}
    for start in range(0, len(digests), CHUNK):
        people.update(Person.objects.in_bulk(digests[start : start + CHUNK], field_name="document_digest"))
    new = {}
    for row in results:
        digest = row.values["digest"]
        if digest not in people and digest not in new:
            number = row.values["document_number"]
            new[digest] = Person(
                document_type=row.values["document_type"],
                document_digest=digest,
                document_sealed=documents.seal(number),
                document_masked=documents.masked(number),
                name=row.name,
                phone=row.values["phone"],
                created_by=acting_user,
            )
    created = bulk_create_with_history(list(new.values()), Person, batch_size=CHUNK, default_user=acting_user)
    if created and created[0].pk is None:  # backends that return no keys: read them back
        created = list(Person.objects.filter(document_digest__in=list(new)))
    people.update({person.document_digest: person for person in created})
    employments, records, certificates, checks = [], [], [], []
    recorded = set()
    for row in results:
        if row.skipped:
            continue
        person = people[row.values["digest"]]
        v = row.values
        employments.append(
            Employment(
                person=person,
                institution=institution,
                role=v["role"],
                starts_on=v["starts_on"],
                created_by=acting_user,
            )
        )
        if v["police_station"] and person.document_digest not in recorded:
            recorded.add(person.document_digest)
            records.append(
                NoCriminalRecord(
                    person=person,
                    police_station=v["police_station"],
                    issued_on=v["ncr_issued_on"],
                    added_by=acting_user,
                )
            )
        if "certificate" in v:
            certificates.append(Certificate(person=person, added_by=acting_user, **v["certificate"]))
        if "health_check" in v:
            checks.append(HealthCheck(person=person, added_by=acting_user, **v["health_check"]))
    for model, objects in (
        (Employment, employments),
        (NoCriminalRecord, records),
        (Certificate, certificates),
        (HealthCheck, checks),
    ):
        if objects:
            bulk_create_with_history(objects, model, batch_size=CHUNK, default_user=acting_user)
