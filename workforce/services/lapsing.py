"""The daily walk of the two staff ladders (policy data, like the filing ladders): a health check or a
certificate of someone employed now that lapses within 30 days climbs from the operator to the county
bureau. Renewing it (a later health check, a later certificate of the same type) takes the person off
the ladder; each rung fires once per lapse (the lapse date is the episode)."""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from filing.models.escalation import Ladder
from filing.services.escalation import Subject, climb

from ..models import Certificate, Employment
from ..selectors import DUE_DAYS, qualifying_types, roster

CHUNK = 2000


def escalate_lapsing(*, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return {
            Ladder.HEALTH_CHECK: climb(Ladder.HEALTH_CHECK, _health_checks(today)),
            Ladder.CERTIFICATE: climb(Ladder.CERTIFICATE, _certificates(today)),
        }


def _links(institution_id: int, person_id: int) -> dict[str, str]:
    return {
        "operator_url": reverse("staff:person", args=[institution_id, person_id]),
        "staff_url": reverse("admin:workforce_person_change", args=[person_id]),
    }


def _health_checks(today) -> Iterator[Subject]:
    soon = today + datetime.timedelta(days=DUE_DAYS)
    rows = (
        roster(Employment.objects.filter(ends_on__isnull=True), today)
        .filter(Q(health_until__isnull=True) | Q(health_until__lte=soon))
        .values_list(
            "pk",
            "institution_id",
            "institution__region_id",
            "institution__name",
            "person_id",
            "person__name",
            "starts_on",
            "health_until",
        )
        .order_by("pk")
    )
    for pk, institution_id, county, institution, person_id, name, starts_on, until in rows.iterator(CHUNK):
        values = {"name": name, "institution": institution, "day": until}
        if until is None:
            episode, elapsed = starts_on, (today - starts_on).days + DUE_DAYS
            title = _("No health check on record: %(name)s, %(institution)s") % values
            body = _("%(name)s at %(institution)s has no health check on record. Add this year's.") % values
        else:
            episode, elapsed = until, (today - until).days + DUE_DAYS
            if until < today:
                title = _("Health check lapsed: %(name)s, %(institution)s") % values
                body = _("The health check of %(name)s at %(institution)s lapsed on %(day)s.") % values
            else:
                title = _("Health check lapsing: %(name)s, %(institution)s") % values
                body = _("The health check of %(name)s at %(institution)s is valid until %(day)s.") % values
        yield Subject(
            Ladder.HEALTH_CHECK,
            pk,
            institution_id,
            county,
            name,
            episode,
            elapsed,
            title=title,
            body=body,
            **_links(institution_id, person_id),
        )


def _certificates(today) -> Iterator[Subject]:
    """Certificates that lapse within 30 days (or lapsed in the last year) with no later one of the same
    type, of people employed now in a role the certificate qualifies for."""
    soon = today + datetime.timedelta(days=DUE_DAYS)
    roles_of: dict[int, set[str]] = {}
    for role, pks in qualifying_types().items():
        for pk in pks:
            roles_of.setdefault(pk, set()).add(role)
    later = Certificate.objects.filter(
        person=OuterRef("person_id"), certificate_type_id=OuterRef("certificate_type_id")
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    certificates = (
        Certificate.objects.filter(expires_on__lte=soon, expires_on__gte=today - datetime.timedelta(days=365))
        .exclude(Exists(later))
        .values_list("person_id", "certificate_type_id", "certificate_type__name", "expires_on")
        .order_by("person_id", "pk")
    )
    chunk: list[tuple] = []
    for row in certificates.iterator(CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _certificate_subjects(chunk, roles_of, today)
            chunk = []
    if chunk:
        yield from _certificate_subjects(chunk, roles_of, today)


def _certificate_subjects(rows, roles_of, today) -> Iterator[Subject]:
    employments: dict[int, list[tuple]] = {}
    found = Employment.objects.filter(person_id__in={r[0] for r in rows}, ends_on__isnull=True).values_list(
        "pk",
        "person_id",
        "role",
        "institution_id",
        "institution__region_id",
        "institution__name",
        "person__name",
    )
    for employment in found:
        employments.setdefault(employment[1], []).append(employment)
    for person_id, type_id, type_name, expires_on in rows:
        for pk, _person, role, institution_id, county, institution, name in employments.get(person_id, ()):
            if role not in roles_of.get(type_id, ()):
                continue
            values = {"name": name, "institution": institution, "certificate": type_name, "day": expires_on}
            if expires_on < today:
                title = _("Certificate lapsed: %(name)s, %(institution)s") % values
                body = _("The %(certificate)s of %(name)s at %(institution)s lapsed on %(day)s.") % values
            else:
                title = _("Certificate lapsing: %(name)s, %(institution)s") % values
                body = (
                    _("The %(certificate)s of %(name)s at %(institution)s is valid until %(day)s.") % values
                )
            yield Subject(
                Ladder.CERTIFICATE,
                pk,
                institution_id,
                county,
                name,
                expires_on,
                (today - expires_on).days + DUE_DAYS,
                title=title,
                body=body,
                **_links(institution_id, person_id),
            )
