"""The quality-assessment cycle: the bureau opens a round (every filed institution of its region in scope,
each assessment copying the rubric version's requirements, prefilled with what the platform knows); operators
self-assess with evidence; the assessor scores every requirement and the grade follows
(`inspections.assessment_scoring`); the bureau publishes, the only way a grade becomes public; the operator
may appeal within the policy's days and the bureau decides with a reason. Publication sets when the
institution is due to be assessed again."""

import calendar
import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.services.errors import FilingError, require_operator
from filing.services.materials import check_upload
from notifications.services import Row, notify, notify_rows
from registry.models import Authority, Institution, Region, User
from registry.models.institutions import FilingStatus
from registry.roles import Role
from registry.selectors import (
    authority_kind,
    bureau_people,
    jurisdiction_codes,
    most_specific,
    operators_by_institution,
    visible,
)

from .. import assessment_prefill, assessment_scoring
from ..models import (
    Assessment,
    AssessmentAppeal,
    AssessmentFile,
    AssessmentItem,
    AssessmentPolicy,
    AssessmentRound,
    Department,
    Finding,
    Inspection,
    Outcome,
    Result,
    Rubric,
    Severity,
)
from ..selectors import checklists_for, requirements_not_met
from .errors import InspectionError
from .inspections import order_rectifications, tell_operators

ASSESSORS = {Authority.Kind.HEALTH, Authority.Kind.ASSESSMENT_BODY}
MAX_FILES = 10


def _require_bureau(user: User, region_code: str) -> None:
    if not user.is_superuser and (
        authority_kind(user) != Authority.Kind.HEALTH
        or not user.has_perm("inspections.add_assessmentround")
        or region_code not in jurisdiction_codes(user)
    ):
        raise PermissionDenied(_("Assessment rounds are opened and published by the health bureau."))


def round_problems(
    *,
    region: Region,
    starts_on: datetime.date,
    ends_on: datetime.date,
    rubric: Rubric,
    assessor: Authority,
    institutions=None,
) -> tuple[dict[str, list[str]], list[Institution]]:
    """What stops a round from opening, per field, and the institutions it would assess: those chosen (each
    filed, in the region), or every filed institution of the region when none is chosen."""
    errors: dict[str, list[str]] = {}
    if ends_on < starts_on:
        errors["ends_on"] = [_("The period ends before it starts.")]
    if not rubric.current:
        errors["rubric"] = [_("Choose a current rubric.")]
    if assessor.kind not in ASSESSORS:
        errors["assessor"] = [_("The assessor is the health bureau or a third-party assessment body.")]
    filed = Institution.objects.filter(
        region__in=Region.objects.subtree(region.pk).values("pk"), filing_status=FilingStatus.FILED
    )
    if institutions:
        chosen = {i.pk for i in institutions}
        found = list(filed.filter(pk__in=chosen))
        outside = sorted(i.name for i in institutions if i.pk not in {f.pk for f in found})
        if outside:
            errors["institutions"] = [
                _("Not filed in this region: %(names)s.") % {"names": "、".join(outside)}
            ]
    else:
        found = list(filed)
        if not found:
            errors["region"] = [_("No filed institution in this region to assess.")]
    return errors, found


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
    institutions=None,
) -> AssessmentRound:
    """Open a round for the institutions chosen, or every filed institution of the region."""
    _require_bureau(acting_user, region.pk)
    errors, institutions = round_problems(
        region=region,
        starts_on=starts_on,
        ends_on=ends_on,
        rubric=rubric,
        assessor=assessor,
        institutions=institutions,
    )
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
    known = assessment_prefill.prefill(
        [i.pk for i in institutions], {r.prefill for r in requirements}, timezone.localdate()
    )
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
                self_answer=known.get((assessment.institution_id, r.prefill), ("", ""))[0],
                prefill_source=known.get((assessment.institution_id, r.prefill), ("", ""))[1],
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
    if assessment.status in (Assessment.Status.PUBLISHED, Assessment.Status.APPEALED):
        raise InspectionError(_("A published assessment is not scored again unless an appeal is upheld."))
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
    rule = policy(assessment.region_id)
    today = timezone.localdate()
    assessment.status, assessment.published_at = Assessment.Status.PUBLISHED, timezone.now()
    assessment.appeal_until = today + datetime.timedelta(days=rule.appeal_days)
    assessment.reassess_by = add_months(
        today, rule.pass_valid_months if assessment.passing else rule.fail_reassess_months
    )
    assessment.save(update_fields=["status", "published_at", "appeal_until", "reassess_by"])
    notify(
        User.objects.filter(
            pk__in=operators_by_institution([assessment.institution_id]).get(assessment.institution_id, [])
        ),
        title=_("Quality assessment published: %(grade)s") % {"grade": assessment.grade},
        body=_(
            "%(round)s: %(institution)s was graded %(grade)s (%(percent)s%%). You may appeal until %(day)s."
        )
        % {
            "round": assessment.round.title,
            "institution": assessment.institution.name,
            "grade": assessment.grade,
            "percent": assessment.percent,
            "day": assessment.appeal_until.isoformat(),
        },
        url=reverse("supervision:assessment", args=[assessment.institution_id, assessment.pk]),
        subject=assessment,
        key=f"assessment-published:{assessment.pk}",
    )
    return assessment


def policy(region_code: str) -> AssessmentPolicy:
    """The assessment rule in force in a county: its own, its city's, or the national one."""
    return most_specific(AssessmentPolicy.objects.all(), region_code, key=lambda r: "rule")["rule"]


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


@transaction.atomic
def appeal_lodge(*, assessment: Assessment, reason: str, acting_user: User) -> AssessmentAppeal:
    """The operator appeals a published grade, with its grounds, before the policy's deadline."""
    assessment = _locked(assessment)
    require_operator(acting_user, assessment.institution)
    if assessment.status != Assessment.Status.PUBLISHED:
        raise InspectionError(_("Only a published grade can be appealed."))
    if assessment.appeal_until is None or timezone.localdate() > assessment.appeal_until:
        raise InspectionError(
            _("The time to appeal ended on %(day)s.")
            % {"day": assessment.appeal_until.isoformat() if assessment.appeal_until else "—"}
        )
    if not reason.strip():
        raise InspectionError(
            _("Give the grounds of the appeal."), {"reason": [_("Say which scores you dispute and why.")]}
        )
    appeal = AssessmentAppeal.objects.create(
        assessment=assessment, reason=reason.strip(), lodged_by=acting_user
    )
    assessment.status = Assessment.Status.APPEALED
    assessment.save(update_fields=["status"])
    notify(
        User.objects.filter(
            pk__in=[pk for pk, _region in bureau_people([assessment.region_id], roles=[Role.COUNTY_HEALTH])]
        ),
        title=_("Quality assessment appealed: %(institution)s")
        % {"institution": assessment.institution.name},
        body=_("%(institution)s appealed its grade %(grade)s in %(round)s: %(reason)s")
        % {
            "institution": assessment.institution.name,
            "grade": assessment.grade,
            "round": assessment.round.title,
            "reason": appeal.reason,
        },
        url=reverse("admin:inspections_assessment_change", args=[assessment.pk]),
        subject=assessment,
        key=f"assessment-appealed:{appeal.pk}",
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *, assessment: Assessment, upheld: bool, reason: str, acting_user: User
) -> AssessmentAppeal:
    """The bureau decides the open appeal with a reason: upheld sends the assessment back to the assessor
    (its grade withdrawn from the public until published again); dismissed restores the published grade."""
    assessment = _locked(assessment)
    _require_bureau(acting_user, assessment.region_id)
    if not visible(Assessment.objects.filter(pk=assessment.pk), acting_user).exists():
        raise PermissionDenied
    appeal = assessment.appeals.select_for_update().filter(decision="").first()
    if assessment.status != Assessment.Status.APPEALED or appeal is None:
        raise InspectionError(_("There is no appeal awaiting a decision."))
    if not reason.strip():
        raise InspectionError(
            _("Give the reason for the decision; the institution reads it."),
            {"reason": [_("This field is required.")]},
        )
    appeal.decision = AssessmentAppeal.Decision.UPHELD if upheld else AssessmentAppeal.Decision.DISMISSED
    appeal.decision_reason, appeal.decided_by, appeal.decided_at = reason.strip(), acting_user, timezone.now()
    appeal.save()
    if upheld:
        assessment.status, assessment.published_at = Assessment.Status.SUBMITTED, None
        assessment.appeal_until = assessment.reassess_by = None
        assessment.save(update_fields=["status", "published_at", "appeal_until", "reassess_by"])
    else:
        assessment.status = Assessment.Status.PUBLISHED
        assessment.save(update_fields=["status"])
    values = {"round": assessment.round.title, "reason": appeal.decision_reason}
    notify(
        User.objects.filter(
            pk__in=operators_by_institution([assessment.institution_id]).get(assessment.institution_id, [])
        ),
        title=_("Your appeal was upheld") if upheld else _("Your appeal was dismissed"),
        body=(
            _("%(round)s: the assessment will be scored again. %(reason)s")
            if upheld
            else _("%(round)s: the grade stands. %(reason)s")
        )
        % values,
        url=reverse("supervision:assessment", args=[assessment.institution_id, assessment.pk]),
        subject=assessment,
        key=f"assessment-appeal-decided:{appeal.pk}",
    )
    if upheld:
        notify(
            User.objects.filter(authority_id=assessment.assessor_id, is_active=True),
            title=_("Score again: %(institution)s") % {"institution": assessment.institution.name},
            body=_("The bureau upheld the institution's appeal: %(reason)s") % values,
            url=reverse("admin:inspections_assessment_score", args=[assessment.pk]),
            subject=assessment,
            key=f"assessment-rescore:{appeal.pk}",
        )
    return appeal


@transaction.atomic
def evidence_add(*, item: AssessmentItem, files, acting_user: User) -> list[AssessmentFile]:
    """Files for one requirement: the operator's while self-assessing, the assessor's while scoring."""
    assessment = _locked(item.assessment)
    by_assessor = acting_user.authority_id is not None and acting_user.authority_id == assessment.assessor_id
    if by_assessor:
        if assessment.status in (Assessment.Status.PUBLISHED, Assessment.Status.APPEALED):
            raise InspectionError(_("Photos are added until the assessment is published."))
        if not acting_user.has_perm("inspections.change_assessment"):
            raise PermissionDenied
    else:
        require_operator(acting_user, assessment.institution)
        if assessment.status != Assessment.Status.SELF_ASSESSING:
            raise InspectionError(_("The self-assessment has been submitted; it can no longer be changed."))
    if len(files) + item.files.filter(by_assessor=by_assessor).count() > MAX_FILES:
        raise InspectionError(_("At most %(n)d files per requirement.") % {"n": MAX_FILES})
    problems, types = [], []
    for upload in files:
        try:
            types.append(check_upload(upload))
        except FilingError as error:
            problems.append(f"{upload.name}: {error.message}")
    if problems:
        raise InspectionError(_("The files could not be added; nothing was saved."), {"files": problems})
    return [
        AssessmentFile.objects.create(
            item=item,
            by_assessor=by_assessor,
            file=upload,
            name=upload.name[:255],
            content_type=content_type,
            added_by=acting_user,
        )
        for upload, content_type in zip(files, types, strict=True)
    ]


@transaction.atomic
def evidence_remove(*, evidence: AssessmentFile, acting_user: User) -> None:
    assessment = _locked(evidence.item.assessment)
    if evidence.added_by_id != acting_user.pk:
        raise PermissionDenied
    editable = (
        Assessment.Status.SUBMITTED if evidence.by_assessor else Assessment.Status.SELF_ASSESSING,
        Assessment.Status.SELF_ASSESSING,
    )
    if assessment.status not in editable:
        raise InspectionError(_("This file belongs to a submitted step and is kept."))
    evidence.file.delete(save=False)
    evidence.delete()


@transaction.atomic
def assessment_rectify(*, assessment: Assessment, acting_user: User) -> Inspection:
    """Order rectification of each requirement a failed, published assessment did not fully meet, recorded
    as a health inspection of the bureau on the day (its findings the requirements, a veto requirement
    serious and the others major), so the rectifications are answered, verified and escalated like any
    other."""
    assessment = _locked(assessment)
    _require_bureau(acting_user, assessment.region_id)
    if not visible(Assessment.objects.filter(pk=assessment.pk), acting_user).exists():
        raise PermissionDenied
    if assessment.status != Assessment.Status.PUBLISHED or assessment.passing:
        raise InspectionError(_("Rectification is ordered for a failed assessment once it is published."))
    if assessment.rectification_id:
        raise InspectionError(_("Rectification was already ordered for this assessment."))
    short = requirements_not_met(assessment)
    checklist = next(iter(checklists_for(assessment.region_id, Department.HEALTH).values()), None)
    if checklist is None:
        raise InspectionError(_("No health checklist is in force in this county."))
    today = timezone.localdate()
    inspection = Inspection.objects.create(
        institution=assessment.institution,
        region_id=assessment.region_id,
        authority_id=acting_user.authority_id,
        department=Department.HEALTH,
        checklist=checklist,
        status=Inspection.Status.RECORDED,
        inspected_on=today,
        outcome=Outcome.RECTIFY,
        summary=_("Quality assessment %(round)s graded %(grade)s: rectify each requirement not fully met.")
        % {"round": assessment.round.title, "grade": assessment.grade},
        created_by=acting_user,
        recorded_at=timezone.now(),
    )
    inspection.inspectors.set([acting_user])
    findings = Finding.objects.bulk_create(
        Finding(
            inspection=inspection,
            position=position,
            code=item.code,
            text=item.text,
            legal_basis=_("Quality assessment: %(round)s") % {"round": assessment.round.title},
            severity=Severity.SERIOUS if item.veto else Severity.MAJOR,
            result=Result.NON_COMPLIANT,
            note=item.assessor_note,
        )
        for position, item in enumerate(short, 1)
    )
    order_rectifications(inspection, findings, acting_user)
    assessment.rectification = inspection
    assessment.save(update_fields=["rectification"])
    tell_operators(inspection, len(findings))
    return inspection
