"""Registration bodies push registrations: check each record, the pusher's route and region, then
upsert institutions and registrations in bulk.

A single push is a batch of one, so both share every rule. A batch costs a fixed number of queries
whatever its size, and either saves every valid record or, on a database error, nothing.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from simple_history.utils import bulk_create_with_history
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from notifications.services import Row, notify_rows

from ..bulk import bulk_update_rows
from ..models import ApiClient, Institution, Region, Registration, RegistrationConflict
from ..roles import Role
from ..selectors import allowed_routes, bureau_people, pushable_counties
from ..uscc import ROUTE_PREFIXES, uscc_route_error
from .regions import institutions_moved

# No registration body records an institution before the People's Republic; an earlier date is a typo,
# and dates near year 1 overflow date arithmetic on some databases.
EARLIEST_DATE = datetime.date(1949, 1, 1)

# A business scope that mentions none of these is accepted but flagged for the bureau.
CHILDCARE_SCOPE_PHRASES = ("3岁以下婴幼儿照护服务", "三岁以下婴幼儿照护服务", "托育服务")
INSTITUTION_FIELDS = ("name", "route", "region_id", "address", "employer_run")
MAX_ATTEMPTS = 3


@dataclass
class PushOutcome:
    """What happened to one pushed record. `status` is the HTTP status the API answers for it."""

    index: int
    status: int
    result: str | None = None  # created | updated | unchanged
    registration: Registration | None = None
    code: str | None = None  # invalid | forbidden | conflict, when status >= 400
    message: str = ""
    errors: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status < 400


class _Errors(dict):
    def add(self, name: str, code: str, message: str) -> None:
        self.setdefault(name, []).append({"code": code, "message": str(message)})


def registration_push(*, client: ApiClient, record: dict[str, Any]) -> PushOutcome:
    """Push one registration (create or update). `record` holds parsed values (dates as dates)."""
    return registration_push_many(client=client, records=[record])[0]


def registration_push_many(*, client: ApiClient, records: list[dict[str, Any]]) -> list[PushOutcome]:
    """Push many registrations; one outcome per record, in order."""
    authority = client.user.authority
    routes = allowed_routes(authority)
    counties = set(pushable_counties(authority).values_list("pk", flat=True))
    levels = dict(
        Region.objects.filter(pk__in={r.get("region_code") for r in records}).values_list(
            "pk", "county_level"
        )
    )
    today = timezone.localdate()

    outcomes: list[PushOutcome | None] = [None] * len(records)
    accepted: dict[str, int] = {}
    for index, record in enumerate(records):
        errors = _field_errors(record, levels, today)
        if errors:
            outcomes[index] = PushOutcome(
                index, 400, code="invalid", message=_("The record has invalid fields."), errors=errors
            )
            continue
        forbidden = _forbidden(record, authority, routes, counties)
        if forbidden:
            outcomes[index] = PushOutcome(
                index,
                403,
                code="forbidden",
                message=_("This registration body may not push this record."),
                errors=forbidden,
            )
            continue
        if record["uscc"] in accepted:
            errors = _Errors()
            errors.add(
                "uscc",
                "duplicate_in_batch",
                _("The same USCC is already in this batch at index %(index)d.")
                % {"index": accepted[record["uscc"]]},
            )
            outcomes[index] = PushOutcome(
                index, 400, code="invalid", message=_("Duplicate record."), errors=errors
            )
            continue
        accepted[record["uscc"]] = index

    pending = [(index, records[index]) for index in accepted.values()]
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                for outcome in _upsert(client, pending):
                    outcomes[outcome.index] = outcome
            break
        except IntegrityError:
            # Another push created one of these USCCs since we read: read again and update instead.
            if attempt == MAX_ATTEMPTS:
                raise
    return outcomes  # type: ignore[return-value]


def _field_errors(record: dict[str, Any], levels: dict[str, str], today: datetime.date) -> _Errors:
    errors = _Errors()
    uscc = record["uscc"]
    try:
        stdnum_uscc.validate(uscc)
    except InvalidLength:
        errors.add("uscc", "invalid_length", _("A USCC has 18 characters."))
    except InvalidChecksum:
        errors.add("uscc", "invalid_checksum", _("The USCC's check character is wrong."))
    except ValidationError:
        errors.add("uscc", "invalid_format", _("The USCC contains characters that a USCC cannot contain."))
    else:
        problem = uscc_route_error(uscc, record["route"])
        if problem:
            expected = "、".join(ROUTE_PREFIXES[record["route"]])
            errors.add(
                "uscc",
                f"route_mismatch_{problem}",
                _("A USCC of this route starts with %(prefixes)s.") % {"prefixes": expected},
            )
    county_level = levels.get(record["region_code"])
    if county_level is None:
        errors.add("region_code", "unknown_region", _("No administrative division has this code."))
    elif not county_level:
        errors.add(
            "region_code",
            "not_county",
            _("Registrations are pushed to a county-level division (or a city divided into no counties)."),
        )
    if record["registered_on"] > today:
        errors.add("registered_on", "future_date", _("The date of registration is in the future."))
    elif record["registered_on"] < EARLIEST_DATE:
        errors.add("registered_on", "too_early", _("The date of registration is before 1949."))
    cancelled_on = record.get("cancelled_on")
    if record["status"] == Registration.Status.CANCELLED and cancelled_on is None:
        errors.add("cancelled_on", "required", _("A cancelled registration needs its date of cancellation."))
    if record["status"] == Registration.Status.ACTIVE and cancelled_on is not None:
        errors.add("cancelled_on", "not_cancelled", _("An active registration has no date of cancellation."))
    if cancelled_on is not None:
        if cancelled_on > today:
            errors.add("cancelled_on", "future_date", _("The date of cancellation is in the future."))
        elif cancelled_on < EARLIEST_DATE:
            errors.add("cancelled_on", "too_early", _("The date of cancellation is before 1949."))
        elif cancelled_on < record["registered_on"]:
            errors.add("cancelled_on", "before_registration", _("Cancelled before it was registered."))
    return errors


def _forbidden(record, authority, routes: set[str], counties: set[str]) -> _Errors:
    errors = _Errors()
    if record["route"] not in routes:
        errors.add(
            "route",
            "route_forbidden",
            _("%(authority)s may not push registrations of this route.") % {"authority": authority.name},
        )
    if record["region_code"] not in counties:
        errors.add(
            "region_code",
            "region_forbidden",
            _("%(authority)s may not push registrations for this county.") % {"authority": authority.name},
        )
    return errors


def _is_late(registered_on: datetime.date, pushed_on: datetime.date) -> bool:
    last_day = calendar.monthrange(registered_on.year, registered_on.month)[1]
    return pushed_on > registered_on.replace(day=last_day)


def _scope_flagged(business_scope: str) -> bool:
    return not any(phrase in business_scope for phrase in CHILDCARE_SCOPE_PHRASES)


def _registration_values(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": record["name"],
        "route": record["route"],
        "region_id": record["region_code"],
        "address": record["address"],
        "legal_representative": record["legal_representative"],
        "registered_on": record["registered_on"],
        "business_scope": record["business_scope"],
        "service_types": sorted(set(record.get("service_types") or [])),
        "employer_run": bool(record.get("employer_run", False)),
        "status": record["status"],
        "cancelled_on": record.get("cancelled_on"),
        "scope_flagged": _scope_flagged(record["business_scope"]),
    }


def _jsonable(record: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in record.items()}


def _flags(registration: Registration) -> list[str]:
    flags = []
    if registration.scope_flagged:
        flags.append("business_scope_not_childcare")
    if registration.late:
        flags.append("late")
    return flags


def _apply(obj, wanted: dict[str, Any]) -> tuple[str, ...]:
    """Set the values that differ; return the names of the fields that changed."""
    changed = tuple(name for name, value in wanted.items() if getattr(obj, name) != value)
    for name in changed:
        setattr(obj, name, wanted[name])
    return changed


def _institution_changes(institution: Institution, values: dict[str, Any]) -> tuple[str, ...]:
    """Bring the institution's particulars in line with its registration; a cancellation ends its filing."""
    wanted = {f: values[f] for f in INSTITUTION_FIELDS}
    if values["status"] == Registration.Status.CANCELLED:
        wanted["filing_status"] = Institution.FilingStatus.TERMINATED
    return _apply(institution, wanted)


def _bulk_update_by_shape(changes: list[tuple[Any, tuple[str, ...]]], model, history: dict) -> None:
    """Update rows grouped by which fields changed, each group only in those fields, and record the history
    of them all. Queries stay bounded by the number of distinct change shapes, not by rows."""
    groups: dict[tuple[str, ...], list] = {}
    for obj, fields in changes:
        groups.setdefault(fields, []).append(obj)
    for fields, objs in groups.items():
        bulk_update_rows(model, objs, [*fields, "updated_at"])
    model.history.bulk_history_create(
        [obj for obj, _fields in changes], batch_size=500, update=True, **history
    )


def _upsert(client: ApiClient, pending: list[tuple[int, dict[str, Any]]]) -> list[PushOutcome]:
    authority = client.user.authority
    now = timezone.now()
    today = timezone.localdate()
    reason = _("Pushed through the API by %(client)s") % {"client": client.name}
    history = {"default_user": client.user, "default_change_reason": reason}

    found = Institution.objects.select_related("registration__authority").filter(
        uscc__in=[r["uscc"] for _i, r in pending]
    )
    if connection.features.has_select_for_update_of:
        found = found.select_for_update(of=("self",))
    existing = {institution.uscc: institution for institution in found}

    outcomes: list[PushOutcome] = []
    new_institutions: list[Institution] = []
    new_registrations: list[tuple[int, Registration]] = []
    changed_institutions: list[tuple[Institution, tuple[str, ...]]] = []
    changed_registrations: list[tuple[int, Registration, tuple[str, ...]]] = []
    conflicts: list[tuple[int, dict[str, Any], Registration]] = []

    for index, record in pending:
        values = _registration_values(record)
        institution = existing.get(record["uscc"])
        registration = getattr(institution, "registration", None) if institution else None
        if institution is None:
            institution = Institution(uscc=record["uscc"])
            _institution_changes(institution, values)
            new_institutions.append(institution)
        elif registration is not None and registration.authority_id != authority.pk:
            conflicts.append((index, record, registration))
            continue
        elif changed := _institution_changes(institution, values):
            institution.updated_at = now
            changed_institutions.append((institution, changed))

        if registration is None:
            registration = Registration(
                institution=institution,
                authority=authority,
                first_pushed_at=now,
                late=_is_late(values["registered_on"], today),
                **values,
            )
            new_registrations.append((index, registration))
        elif changed := _apply(registration, values):
            registration.updated_at = now
            changed_registrations.append((index, registration, changed))
        else:
            outcomes.append(PushOutcome(index, 200, "unchanged", registration, flags=_flags(registration)))

    if new_institutions:
        bulk_create_with_history(new_institutions, Institution, batch_size=500, **history)
    if changed_institutions:
        _bulk_update_by_shape(changed_institutions, Institution, history)
        if moved := [i.pk for i, fields in changed_institutions if "region_id" in fields]:
            institutions_moved(moved)
    if new_registrations:
        for _i, registration in new_registrations:
            # The institution was unsaved when assigned; assigning it again takes its new id and, unlike
            # setting institution_id, keeps the cached object (the answer reads it for every record).
            registration.institution = registration.institution
        bulk_create_with_history([r for _i, r in new_registrations], Registration, batch_size=500, **history)
        outcomes += [PushOutcome(i, 201, "created", r, flags=_flags(r)) for i, r in new_registrations]
    if changed_registrations:
        _bulk_update_by_shape([(r, fields) for _i, r, fields in changed_registrations], Registration, history)
        outcomes += [PushOutcome(i, 200, "updated", r, flags=_flags(r)) for i, r, _f in changed_registrations]
    if conflicts:
        outcomes += _record_conflicts(authority, conflicts)
    newly_flagged = [r for _i, r in new_registrations if r.scope_flagged] + [
        r for _i, r, fields in changed_registrations if "scope_flagged" in fields and r.scope_flagged
    ]
    if newly_flagged:
        _tell_reviewers_of_doubtful_scope(newly_flagged)
    return outcomes


def _tell_reviewers_of_doubtful_scope(registrations: list[Registration]) -> None:
    """The county's reviewers hear of each registration whose business scope does not name childcare: it
    waits for them to decide whether it is a childcare institution at all."""
    reviewers: dict[str, list[int]] = {}
    for pk, county in bureau_people({r.region_id for r in registrations}, roles=[Role.COUNTY_HEALTH]):
        reviewers.setdefault(county, []).append(pk)
    subject_type = ContentType.objects.get_for_model(Registration).pk
    with override(settings.LANGUAGE_CODE):
        rows = [
            Row(
                recipient_id=person,
                title=_("Business scope to check: %(name)s") % {"name": registration.name},
                body=_(
                    "The business scope pushed for %(name)s does not name childcare for children under "
                    "three. Check whether it is a childcare institution."
                )
                % {"name": registration.name},
                url=reverse("admin:registry_registration_change", args=[registration.pk]),
                key=f"scope-flagged:{registration.pk}",
                subject_type_id=subject_type,
                subject_id=str(registration.pk),
            )
            for registration in registrations
            for person in reviewers.get(registration.region_id, ())
        ]
    notify_rows(rows)


def _record_conflicts(authority, conflicts) -> list[PushOutcome]:
    """Keep one open conflict per USCC and pusher, counting repeats, for the bureau to resolve."""
    open_ones = {
        c.uscc: c
        for c in RegistrationConflict.objects.filter(
            uscc__in=[r["uscc"] for _i, r, _reg in conflicts], pushed_by=authority, resolved_at__isnull=True
        )
    }
    to_create, to_update, outcomes = [], [], []
    for index, record, registration in conflicts:
        conflict = open_ones.get(record["uscc"])
        if conflict is None:
            conflict = RegistrationConflict(
                uscc=record["uscc"],
                registration=registration,
                region_id=registration.region_id,
                pushed_by=authority,
                payload=_jsonable(record),
            )
            open_ones[record["uscc"]] = conflict
            to_create.append(conflict)
        else:
            conflict.times_pushed += 1
            conflict.payload = _jsonable(record)
            conflict.last_seen_at = timezone.now()
            to_update.append(conflict)
        errors = _Errors()
        errors.add(
            "uscc",
            "held_by_another_authority",
            _("This USCC is registered by %(holder)s; the county health bureau has been told.")
            % {"holder": registration.authority.name},
        )
        outcomes.append(
            PushOutcome(
                index,
                409,
                code="conflict",
                message=_("The USCC is held by another registration body."),
                errors=errors,
            )
        )
    RegistrationConflict.objects.bulk_create(to_create)
    RegistrationConflict.objects.bulk_update(to_update, ["times_pushed", "payload", "last_seen_at"])
    return outcomes
