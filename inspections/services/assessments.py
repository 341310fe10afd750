"""The quality-assessment cycle: the bureau opens a round (every filed institution of its region in scope,
each assessment copying the rubric version's requirements); operators self-assess; the assessor scores every
requirement and the grade follows (`inspections.assessment_scoring`); the bureau publishes, the only way a
grade becomes public."""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.services.errors import require_operator
from notifications.services import Row, notify, notify_rows
from registry.models import Authority, Institution, Region, User
from registry.models.institutions import FilingStatus
from registry.selectors import authority_kind, jurisdiction_codes, operators_by_institution, visible

from .. import assessment_scoring
from ..models import Assessment, AssessmentItem, AssessmentRound, Rubric
from .errors import InspectionError

ASSESSORS = {Authority.Kind.HEALTH, Authority.Kind.ASSESSMENT_BODY}


def _require_bureau(user: User, region_code: str) -> None:
    if not user.is_superuser and (
        authority_kind(user) != Authority.Kind.HEALTH
        or not user.has_perm("inspections.add_assessmentround")
        or region_code not in jurisdiction_codes(user)
    ):
        raise PermissionDenied(_("Assessment rounds are opened and published by the health bureau."))


@transaction.atomic
def round_open(
    *,
    title: str,
    region: Region,
    starts_on: datetime.date,
    ends_on: datetime.date,
    rubric: Rubric,
    assessor: Authority,
    acting_user: User,
) -> AssessmentRound:
    _require_bureau(acting_user, region.pk)
    errors: dict[str, list[str]] = {}
    if ends_on < starts_on:
        errors["ends_on"] = [_("The period ends before it starts.")]
    if not rubric.current:
        errors["rubric"] = [_("Choose a current rubric.")]
    if assessor.kind not in ASSESSORS:
        errors["assessor"] = [_("The assessor is the health bureau or a third-party assessment body.")]
    institutions = list(
        Institution.objects.filter(
            region__in=Region.objects.subtree(region.pk).values("pk"), filing_status=FilingStatus.FILED
        )
    )
    if not institutions:
        errors["region"] = [_("No filed institution in this region to assess.")]
    if errors:
        raise InspectionError(_("The round could not be opened; see below."), errors)
    assessment_round = AssessmentRound.objects.create(
        authority_id=acting_user.authority_id or assessor.pk,
        region=region,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        rubric=rubric,
        assessor=assessor,
        created_by=acting_user,
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(round=assessment_round, institution=i, region_id=i.region_id, assessor=assessor)
        for i in institutions
    )
    requirements = list(rubric.requirements.select_related("dimension"))
    AssessmentItem.objects.bulk_create(
        [
            AssessmentItem(
                assessment=assessment,
                position=r.position,
                dimension_code=r.dimension.code,
                dimension_name=r.dimension.name,
                code=r.code,
                text=r.text,
                how_to_verify=r.how_to_verify,
                points=r.points,
                veto=r.veto,
            )
            for assessment in assessments
            for r in requirements
        ],
        batch_size=2000,
    )
    # One message per operator of each institution, written in bulk (a city's round asks thousands).
    operators = operators_by_institution([i.pk for i in institutions])
    subject_type = ContentType.objects.get_for_model(Assessment).pk
    title = _("Quality assessment: self-assessment open")
    body = _("%(round)s: answer each requirement of the self-assessment by %(day)s.") % {
        "round": assessment_round.title,
        "day": ends_on.isoformat(),
    }
    notify_rows(
        [
            Row(
                recipient_id=user_id,
                title=title,
                body=body,
                url=reverse("supervision:assessment", args=[a.institution_id, a.pk]),
                key=f"assessment-open:{a.pk}",
                subject_type_id=subject_type,
                subject_id=str(a.pk),
            )
            for a in assessments
            for user_id in operators.get(a.institution_id, [])
        ]
    )
    return assessment_round


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("institution", "round").get(pk=assessment.pk)


@transaction.atomic
def self_assessment_save(
    *, assessment: Assessment, answers: dict[int, tuple[str, str]], submit: bool = False, acting_user: User
) -> Assessment:
    """The operator's answer per requirement (met, partly, not met, a note); submitting needs them all."""
    assessment = _locked(assessment)
    require_operator(acting_user, assessment.institution)
    if assessment.status != Assessment.Status.SELF_ASSESSING:
        raise InspectionError(_("The self-assessment has been submitted; it can no longer be changed."))
    items = {item.pk: item for item in assessment.items.all()}
    errors = {
        str(pk): [_("Choose met, partly met or not met.")]
        for pk, (answer, _note) in answers.items()
        if answer and answer not in AssessmentItem.SelfAnswer.values
    }
    if errors:
        raise InspectionError(_("Some answers could not be saved; see each requirement."), errors)
    changed = []
    for pk, (answer, note) in answers.items():
        item = items.get(pk)
        if item is not None and (item.self_answer, item.self_note) != (answer, note.strip()):
            item.self_answer, item.self_note = answer, note.strip()
            changed.append(item)
    AssessmentItem.objects.bulk_update(changed, ["self_answer", "self_note"])
    if submit:
        missing = [item.code for item in items.values() if not item.self_answer]
        if missing:
            raise InspectionError(
                _("Answer every requirement before submitting; not answered: %(codes)s.")
                % {"codes": "、".join(missing)},
                {str(pk): [_("Not answered yet.")] for pk, item in items.items() if not item.self_answer},
            )
        assessment.status, assessment.self_submitted_at = Assessment.Status.SUBMITTED, timezone.now()
        assessment.save(update_fields=["status", "self_submitted_at"])
    return assessment


@transaction.atomic
def assessment_score(
    *, assessment: Assessment, scores: dict[int, tuple[str, str]], acting_user: User
) -> Assessment:
    """The assessor's points and note per requirement; the grade is computed from them and the rubric's bands.
    Only the assessor's body, after the self-assessment (or when the round's period has ended)."""
    assessment = _locked(assessment)
    if not acting_user.is_superuser and (
        acting_user.authority_id != assessment.assessor_id
        or not acting_user.has_perm("inspections.change_assessment")
    ):
        raise PermissionDenied(_("Only the assigned assessor scores this assessment."))
    if assessment.status == Assessment.Status.PUBLISHED:
        raise InspectionError(_("A published assessment is not scored again."))
    if (
        assessment.status == Assessment.Status.SELF_ASSESSING
        and assessment.round.ends_on >= timezone.localdate()
    ):
        raise InspectionError(
            _("The institution is still self-assessing; score after it submits or the period ends.")
        )
    items = list(assessment.items.all())
    errors: dict[str, list[str]] = {}
    for item in items:
        raw, note = scores.get(item.pk, ("", ""))
        try:
            value = Decimal(str(raw).strip()) if str(raw).strip() else None
        except InvalidOperation:
            value, errors[str(item.pk)] = None, [_("Give a number of points.")]
        if value is not None and not Decimal(0) <= value <= item.points:
            errors[str(item.pk)] = [_("Between 0 and %(points)s points.") % {"points": item.points}]
        item.awarded, item.assessor_note = value, note.strip()
    if errors:
        raise InspectionError(_("Some scores are not valid; see each requirement."), errors)
    AssessmentItem.objects.bulk_update(items, ["awarded", "assessor_note"])
    bands = [
        assessment_scoring.Band(b.grade, b.min_percent, b.passing)
        for b in assessment.round.rubric.bands.all()
    ]
    try:
        outcome = assessment_scoring.grade(
            [assessment_scoring.Scored(i.code, i.dimension_name, i.points, i.awarded, i.veto) for i in items],
            bands,
        )
    except assessment_scoring.ScoringError:
        return assessment  # saved so far; the grade comes when every requirement is scored
    assessment.total, assessment.percent, assessment.grade, assessment.passing = (
        outcome.total,
        outcome.percent,
        outcome.grade,
        outcome.passing,
    )
    assessment.by_dimension = {name: [_plain(a), _plain(m)] for name, (a, m) in outcome.by_dimension.items()}
    assessment.vetoed = outcome.vetoed
    assessment.status, assessment.scored_at, assessment.scored_by = (
        Assessment.Status.SCORED,
        timezone.now(),
        acting_user,
    )
    assessment.save()
    return assessment


def _plain(points: Decimal) -> str:
    return format(points.normalize(), "f")


@transaction.atomic
def assessment_publish(*, assessment: Assessment, acting_user: User) -> Assessment:
    assessment = _locked(assessment)
    _require_bureau(acting_user, assessment.region_id)
    if not visible(Assessment.objects.filter(pk=assessment.pk), acting_user).exists():
        raise PermissionDenied
    if assessment.status != Assessment.Status.SCORED:
        raise InspectionError(_("Only a scored assessment can be published."))
    assessment.status, assessment.published_at = Assessment.Status.PUBLISHED, timezone.now()
    assessment.save(update_fields=["status", "published_at"])
    notify(
        User.objects.filter(
            pk__in=operators_by_institution([assessment.institution_id]).get(assessment.institution_id, [])
        ),
        title=_("Quality assessment published: %(grade)s") % {"grade": assessment.grade},
        body=_("%(round)s: %(institution)s was graded %(grade)s (%(percent)s%%).")
        % {
            "round": assessment.round.title,
            "institution": assessment.institution.name,
            "grade": assessment.grade,
            "percent": assessment.percent,
        },
        url=reverse("supervision:assessment", args=[assessment.institution_id, assessment.pk]),
        subject=assessment,
        key=f"assessment-published:{assessment.pk}",
    )
    return assessment
