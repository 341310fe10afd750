"""The daily escalation (督办) of filing deadlines. Three ladders, each policy data per jurisdiction:
registered but not filed, filing awaiting review past its limit, returned filing not resubmitted.

Only subjects still in the ladder's state are walked, so resolving the subject stops its ladder. A
fired rung is a row with a unique key, written before anyone is told, so each rung fires once per
subject however often (or however concurrently) the job runs.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.services import Row, notify_rows
from registry.models import Institution, Region, Registration, Route, User
from registry.models.institutions import FilingStatus
from registry.roles import Role
from registry.selectors import bureau_people, most_specific, operators_by_institution

from ..models import EscalationRung, EscalationStep, Filing
from ..models.escalation import Audience, Ladder
from ..selectors import kindergartens_exempt, policy_for, working_days_between

CHUNK = 500


@dataclass(frozen=True)
class Subject:
    ladder: str
    subject_id: int
    institution_id: int
    county: str
    name: str
    episode: datetime.date  # when the clock started
    elapsed: int  # days on the ladder's clock
    filing_id: int | None = None
    # Ladders of later apps (the staff register's) bring their own wording and links.
    title: str = ""
    body: str = ""
    operator_url: str = ""
    staff_url: str = ""
    authority_id: int | None = None  # the body told under Audience.DEPARTMENT (an inspection's)


def rungs_for(region_code: str, ladder: str) -> list[EscalationRung]:
    rows = most_specific(EscalationRung.objects.filter(ladder=ladder), region_code, key=lambda r: r.rung)
    return sorted(rows.values(), key=lambda r: r.rung)


def escalate(*, today: datetime.date | None = None) -> dict[str, int]:
    """Walk every ladder once; returns how many rungs fired on each."""
    today = today or timezone.localdate()
    fired = {}
    with translation.override(settings.LANGUAGE_CODE):
        for ladder, subjects in (
            (Ladder.UNFILED, _unfiled(today)),
            (Ladder.REVIEW_OVERDUE, _awaiting_review(today)),
            (Ladder.RETURNED, _returned(today)),
        ):
            fired[ladder] = climb(ladder, subjects)
    return fired


def climb(ladder: str, subjects) -> int:
    """Fire the due rungs of one ladder for a stream of subjects, a chunk per transaction; returns how
    many fired. Other apps' ladders (lapsing staff health checks and certificates) climb here too."""
    fired = 0
    cache: dict[str, list[EscalationRung]] = {}
    for chunk in _chunks(subjects, CHUNK):
        with transaction.atomic():
            fired += _fire(ladder, chunk, cache)
    return fired


def _chunks(items, size) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _unfiled(today) -> Iterator[Subject]:
    registrations = (
        Registration.objects.filter(
            status=Registration.Status.ACTIVE,
            institution__filing_status__in=[FilingStatus.UNFILED, FilingStatus.REFUSED],
        )
        .exclude(scope_decision=Registration.ScopeDecision.NOT_CHILDCARE)
        .exclude(route=Route.KINDERGARTEN, region_id__in=kindergartens_exempt())
        .values_list("institution_id", "region_id", "name", "registered_on")
        .order_by("pk")
    )
    for institution_id, county, name, registered_on in registrations.iterator(chunk_size=2000):
        yield Subject(
            Ladder.UNFILED,
            institution_id,
            institution_id,
            county,
            name,
            registered_on,
            (today - registered_on).days,
        )


def _awaiting_review(today) -> Iterator[Subject]:
    limits: dict[str, int] = {}
    filings = (
        Filing.objects.filter(status=Filing.Status.SUBMITTED, submitted_at__isnull=False)
        .values_list("pk", "institution_id", "institution__region_id", "name", "submitted_at")
        .order_by("pk")
    )
    for pk, institution_id, county, name, submitted_at in filings.iterator(chunk_size=2000):
        if county not in limits:
            limits[county] = policy_for(county).review_working_days
        submitted = timezone.localdate(submitted_at)
        past_limit = working_days_between(submitted, today) - limits[county]
        if past_limit >= 0:
            yield Subject(Ladder.REVIEW_OVERDUE, pk, institution_id, county, name, submitted, past_limit, pk)


def _returned(today) -> Iterator[Subject]:
    filings = (
        Filing.objects.filter(status=Filing.Status.RETURNED)
        .annotate(returned_at=Max("transitions__at", filter=Q(transitions__to_status=Filing.Status.RETURNED)))
        .values_list("pk", "institution_id", "institution__region_id", "name", "returned_at")
        .order_by("pk")
    )
    for pk, institution_id, county, name, returned_at in filings.iterator(chunk_size=2000):
        if returned_at is None:
            continue
        returned = timezone.localdate(returned_at)
        yield Subject(
            Ladder.RETURNED, pk, institution_id, county, name, returned, (today - returned).days, pk
        )


def _fire(ladder: str, subjects: list[Subject], cache: dict) -> int:
    due = []
    for subject in subjects:
        if subject.county not in cache:
            cache[subject.county] = rungs_for(subject.county, ladder)
        due += [(subject, rung) for rung in cache[subject.county] if subject.elapsed >= rung.days]
    if not due:
        return 0
    already = set(
        EscalationStep.objects.filter(
            ladder=ladder, subject_id__in={s.subject_id for s, _ in due}
        ).values_list("subject_id", "episode", "rung")
    )
    new = [(s, r) for s, r in due if (s.subject_id, s.episode, r.rung) not in already]
    EscalationStep.objects.bulk_create(
        [
            EscalationStep(
                ladder=ladder,
                rung=r.rung,
                institution_id=s.institution_id,
                region_id=s.county,
                subject_id=s.subject_id,
                episode=s.episode,
            )
            for s, r in new
        ],
        ignore_conflicts=True,
    )
    notify_rows(_messages(new))
    return len(new)


def _messages(steps: list[tuple[Subject, EscalationRung]]) -> list[Row]:
    audiences = _audiences(steps)
    institution_type = ContentType.objects.get_for_model(Institution).pk
    filing_type = ContentType.objects.get_for_model(Filing).pk
    rows = []
    for subject, rung in steps:
        title, body = _wording(subject)
        key = f"escalate:{subject.ladder}:{subject.subject_id}:{subject.episode}:{rung.rung}"
        subject_type, subject_pk = (
            (filing_type, subject.filing_id)
            if subject.filing_id
            else (institution_type, subject.institution_id)
        )
        for audience in rung.audience:
            for user_id in audiences[audience].get(_audience_key(audience, subject), ()):
                rows.append(
                    Row(
                        recipient_id=user_id,
                        title=title,
                        body=body,
                        url=_link(audience, subject),
                        key=key,
                        subject_type_id=subject_type,
                        subject_id=str(subject_pk),
                    )
                )
    return rows


def _audience_key(audience: str, subject: Subject) -> str | int | None:
    if audience == Audience.DEPARTMENT:
        return subject.authority_id
    return subject.institution_id if audience == Audience.OPERATOR else subject.county


def _audiences(steps) -> dict[str, dict]:
    """Who is who for this chunk: operators by institution; staff by the county they hear about (the
    city's staff under each of its counties, whatever the codes look like)."""
    wanted = {a for _, rung in steps for a in rung.audience}
    counties = {s.county for s, _ in steps}
    found: dict[str, dict] = {a: defaultdict(list) for a in Audience}
    if Audience.OPERATOR in wanted:
        found[Audience.OPERATOR].update(operators_by_institution({s.institution_id for s, _ in steps}))
    for audience, roles in ((Audience.REVIEWER, [Role.COUNTY_HEALTH]), (Audience.HEAD, [Role.BUREAU_HEAD])):
        if audience in wanted:
            for user_id, county in bureau_people(counties, roles=roles):
                found[audience][county].append(user_id)
    if Audience.DEPARTMENT in wanted:
        bodies = {s.authority_id for s, _ in steps if s.authority_id}
        for user_id, body in User.objects.filter(authority_id__in=bodies, is_active=True).values_list(
            "pk", "authority_id"
        ):
            found[Audience.DEPARTMENT][body].append(user_id)
    if Audience.CITY in wanted:
        parents = dict(Region.objects.filter(pk__in=counties).values_list("pk", "parent_id"))
        by_city = defaultdict(list)
        for user_id, city in bureau_people(set(parents.values()), roles=[Role.SUPERVISING_HEALTH]):
            by_city[city].append(user_id)
        for county, city in parents.items():
            found[Audience.CITY][county] = by_city[city]
    return found


def _wording(subject: Subject) -> tuple[str, str]:
    if subject.title:
        return subject.title, subject.body
    values = {"name": subject.name, "days": subject.elapsed, "since": subject.episode.isoformat()}
    if subject.ladder == Ladder.UNFILED:
        return (
            _("Not yet filed: %(name)s") % values,
            _(
                "%(name)s was registered on %(since)s and has not filed with the county health bureau for "
                "%(days)d days."
            )
            % values,
        )
    if subject.ladder == Ladder.REVIEW_OVERDUE:
        return (
            _("Review overdue: %(name)s") % values,
            _(
                "The filing of %(name)s, submitted on %(since)s, is %(days)d working days past the review "
                "limit."
            )
            % values,
        )
    return (
        _("Returned filing not resubmitted: %(name)s") % values,
        _(
            "The filing of %(name)s was returned for correction on %(since)s and has not been "
            "resubmitted for %(days)d days."
        )
        % values,
    )


def _link(audience: str, subject: Subject) -> str:
    if subject.staff_url:
        return subject.operator_url if audience == Audience.OPERATOR else subject.staff_url
    if audience == Audience.OPERATOR:
        if subject.filing_id:
            return reverse("portal:filing", args=[subject.filing_id])
        return reverse("portal:home") + f"#institution-{subject.institution_id}"  # where filing starts
    if subject.filing_id:
        return reverse("admin:filing_filing_change", args=[subject.filing_id])
    return reverse("admin:registry_institution_change", args=[subject.institution_id])
