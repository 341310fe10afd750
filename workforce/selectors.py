"""Reads for the staff register: who may see whom, what lapses, who is certified and the certification
rate (certified staff / staff in care roles) per institution, county and city."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When

from registry.selectors import most_specific, operator_institution_ids, visible

from . import documents
from .models import (
    Ban,
    Certificate,
    CertificateType,
    DocumentType,
    Employment,
    HealthCheck,
    NoCriminalRecord,
    Person,
    StaffRole,
)

# The roles the certification rate counts (持证率): those who care for the children.
CARE_ROLES = (StaffRole.CARER, StaffRole.HEALTH)
DUE_DAYS = 30


def active_ban(digest: str, on: datetime.date):
    """The ban in force on `on` for a document digest, or None (an index on the digest serves it)."""
    return (
        Ban.objects.filter(document_digest=digest)
        .filter(Q(lifetime=True) | Q(until__isnull=True) | Q(until__gte=on))
        .order_by("-decided_on")
        .first()
    )


def banned_digests(digests, on: datetime.date) -> dict[str, Ban]:
    """The bans in force among many digests at once (an import checks its whole roster in a few queries)."""
    found: dict[str, Ban] = {}
    digests = list(digests)
    for start in range(0, len(digests), 1000):
        bans = Ban.objects.filter(document_digest__in=digests[start : start + 1000]).filter(
            Q(lifetime=True) | Q(until__isnull=True) | Q(until__gte=on)
        )
        for ban in bans:
            found.setdefault(ban.document_digest, ban)
    return found


def visible_people(user) -> QuerySet[Person]:
    """The people who work (or worked) at the institutions `user` may see: a person is seen through their
    employments."""
    return Person.objects.filter(pk__in=visible(Employment.objects.all(), user).values("person_id"))


def document_digests(term: str) -> list[str]:
    """The digests a search term has as a whole document number of each type it is valid for (none when
    it is no document number): a search matches them, never the number itself."""
    found = []
    for document_type in DocumentType.values:
        try:
            found.append(documents.digest(document_type, documents.normalise(document_type, term)))
        except ValidationError:
            continue
    return found


def certificate_types_for(region_code: str) -> list[CertificateType]:
    """The certificate types offered in a county: national, with the city's and county's own added or
    replacing national ones of the same code."""
    rows = most_specific(CertificateType.objects.all(), region_code, key=lambda row: row.code)
    return sorted(rows.values(), key=lambda row: (row.position, row.pk))


def qualifying_types() -> dict[str, list[int]]:
    """Role → the certificate types (of any jurisdiction) that qualify for it."""
    found: dict[str, list[int]] = {role: [] for role in StaffRole.values}
    for pk, roles in CertificateType.objects.values_list("pk", "roles"):
        for role in roles or ():
            found.setdefault(role, []).append(pk)
    return found


def certified_expression(on: datetime.date):
    """True for an employment whose person holds, on `on`, a certificate that qualifies for its role."""
    whens = []
    for role, type_ids in qualifying_types().items():
        if type_ids:
            held = Certificate.objects.filter(
                person=OuterRef("person_id"), certificate_type_id__in=type_ids, issued_on__lte=on
            ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
            whens.append(When(role=role, then=Exists(held)))
    return Case(*whens, default=Value(False), output_field=BooleanField())


def health_valid_until():
    """The last day the person's latest fit health check is valid (None: never checked)."""
    return Subquery(
        HealthCheck.objects.filter(person=OuterRef("person_id"), result=HealthCheck.Result.FIT)
        .order_by("-valid_until")
        .values("valid_until")[:1]
    )


def roster(employments: QuerySet[Employment], on: datetime.date) -> QuerySet[Employment]:
    """Employments with what a roster shows: `certified`, `health_until`, `has_no_criminal_record`."""
    return employments.annotate(
        certified=certified_expression(on),
        health_until=health_valid_until(),
        has_no_criminal_record=Exists(NoCriminalRecord.objects.filter(person=OuterRef("person_id"))),
    )


def health_state(until: datetime.date | None, on: datetime.date) -> str:
    """`missing`, `expired`, `due` (within 30 days) or `valid`."""
    if until is None:
        return "missing"
    if until < on:
        return "expired"
    if until <= on + datetime.timedelta(days=DUE_DAYS):
        return "due"
    return "valid"


def certification_rates(employments: QuerySet[Employment], on: datetime.date, by: str) -> list[dict]:
    """Per value of `by` (a field path such as "institution", "institution__region"): staff in care
    roles employed now, how many are certified, and the rate (None when there is nobody to count)."""
    rows = (
        employments.filter(role__in=CARE_ROLES, ends_on__isnull=True)
        .annotate(certified=certified_expression(on))
        .values(by)
        .annotate(staff=Count("pk"), certified_staff=Count("pk", filter=Q(certified=True)))
        .order_by(by)
    )
    return [
        {
            "key": row[by],
            "staff": row["staff"],
            "certified": row["certified_staff"],
            "rate": row["certified_staff"] / row["staff"] if row["staff"] else None,
        }
        for row in rows
    ]


def certification_total(employments: QuerySet[Employment], on: datetime.date) -> dict:
    current = employments.filter(role__in=CARE_ROLES, ends_on__isnull=True)
    totals = current.annotate(certified=certified_expression(on)).aggregate(
        staff=Count("pk"), certified_staff=Count("pk", filter=Q(certified=True))
    )
    staff, certified = totals["staff"], totals["certified_staff"]
    return {"staff": staff, "certified": certified, "rate": certified / staff if staff else None}


def lapsing(institution_id: int, on: datetime.date) -> list[dict]:
    """What lapses at an institution in the next 30 days or has lapsed, for its current staff: health
    checks and certificates, soonest first."""
    until = on + datetime.timedelta(days=DUE_DAYS)
    people = Employment.objects.filter(institution_id=institution_id, ends_on__isnull=True).values(
        "person_id"
    )
    found = []
    checks = (
        roster(Employment.objects.filter(institution_id=institution_id, ends_on__isnull=True), on)
        .filter(Q(health_until__isnull=True) | Q(health_until__lte=until))
        .select_related("person")
    )
    seen = set()
    for employment in checks:
        if employment.person_id in seen:
            continue
        seen.add(employment.person_id)
        found.append(
            {
                "person": employment.person,
                "what": "health_check",
                "day": employment.health_until,
                "label": None,
            }
        )
    later = Certificate.objects.filter(
        person=OuterRef("person_id"), certificate_type_id=OuterRef("certificate_type_id")
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=until))
    certificates = (
        Certificate.objects.filter(person_id__in=people, expires_on__lte=until)
        .exclude(Exists(later))
        .select_related("person", "certificate_type")
    )
    for certificate in certificates:
        found.append(
            {
                "person": certificate.person,
                "what": "certificate",
                "day": certificate.expires_on,
                "label": certificate.certificate_type.name,
            }
        )
    return sorted(found, key=lambda item: (item["day"] or datetime.date.min, item["person"].name))


def may_see_person(user, person: Person) -> bool:
    """The operators of an institution the person works at now, and staff who see one of the person's
    employments (their jurisdiction's) with a role that may view the register."""
    if user.is_superuser:
        return True
    ids = operator_institution_ids(user)
    if ids and person.employments.filter(institution_id__in=ids, ends_on__isnull=True).exists():
        return True
    return visible(Employment.objects.filter(person=person), user, action="view").exists() and user.has_perm(
        "workforce.view_person"
    )


ROLE_FIELDS = {
    StaffRole.MANAGEMENT: "staff_management",
    StaffRole.CARER: "staff_carers",
    StaffRole.HEALTH: "staff_health",
    StaffRole.SECURITY: "staff_security",
    StaffRole.COOK: "staff_cooks",
}


def staff_counts(institution) -> dict[str, int] | None:
    """The filing's staff section from the register: people employed now per role (None: nobody on the
    register yet)."""
    rows = (
        Employment.objects.filter(institution=institution, ends_on__isnull=True)
        .values_list("role")
        .annotate(people=Count("person", distinct=True))
        .order_by()
    )
    found = dict(rows)
    if not found:
        return None
    return {field: found.get(role, 0) for role, field in ROLE_FIELDS.items()}
