"""Recording an inspection: start it against the checklist in force (its items copied onto the
inspection), mark each item with a note and photos, then record the outcome, which orders a
rectification for each non-compliant item and may suspend the institution."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.services.errors import FilingError
from filing.services.materials import check_upload
from notifications.services import notify
from registry.models import Institution, User
from registry.selectors import operators_by_institution, visible

from ..models import (
    Checklist,
    Finding,
    FindingPhoto,
    Inspection,
    Outcome,
    Rectification,
    RectificationEvent,
    Result,
    Severity,
    Suspension,
)
from ..selectors import department_of, rectification_days, rectification_policy
from .errors import InspectionError

MAX_PHOTOS_PER_FINDING = 6


def require_inspector(user: User, inspection: Inspection) -> None:
    """Only staff of the inspecting body record and verify its inspections."""
    if not user.is_superuser and user.authority_id != inspection.authority_id:
        raise PermissionDenied(_("Only the inspecting body's staff may do this."))


def _check_inspectors(user: User, inspectors) -> list[User]:
    chosen = {u.pk: u for u in inspectors}
    if len(chosen) < 2:
        raise InspectionError(
            _("Name at least two inspectors."), {"inspectors": [_("Name at least two inspectors.")]}
        )
    strangers = [
        u for u in chosen.values() if u.authority_id != user.authority_id or not u.is_active or not u.is_staff
    ]
    if strangers:
        names = "、".join(str(u) for u in strangers)
        message = _("Inspectors must be active staff of your body: %(names)s.") % {"names": names}
        raise InspectionError(message, {"inspectors": [message]})
    return list(chosen.values())


def _check_day(day: datetime.date | None) -> None:
    if day and day > timezone.localdate():
        message = _("The inspection date cannot be in the future.")
        raise InspectionError(message, {"inspected_on": [message]})


@transaction.atomic
def inspection_start(
    *,
    institution: Institution,
    checklist: Checklist,
    inspectors,
    inspected_on: datetime.date,
    acting_user: User,
    draw=None,
    status: str = Inspection.Status.DRAFT,
) -> Inspection:
    department = department_of(acting_user)
    if not department:
        raise PermissionDenied(_("Only staff of an inspecting department record inspections."))
    if not visible(Institution.objects.filter(pk=institution.pk), acting_user).exists():
        raise PermissionDenied(_("This institution is outside your jurisdiction."))
    if checklist.department != department or not checklist.current:
        message = _("Choose a current checklist of your department.")
        raise InspectionError(message, {"checklist": [message]})
    inspectors = _check_inspectors(acting_user, inspectors)
    _check_day(inspected_on)
    inspection = Inspection.objects.create(
        institution=institution,
        region_id=institution.region_id,
        authority_id=acting_user.authority_id,
        department=department,
        checklist=checklist,
        inspected_on=inspected_on,
        status=status,
        draw=draw,
        created_by=acting_user,
    )
    inspection.inspectors.set(inspectors)
    findings_copy(inspection)
    return inspection


def finding_from(inspection: Inspection, item) -> Finding:
    """A checklist item as a finding: its wording copied, so a later checklist version changes nothing."""
    return Finding(
        inspection=inspection,
        position=item.position,
        code=item.code,
        text=item.text,
        legal_basis=item.legal_basis,
        severity=item.severity,
    )


def findings_copy(inspection: Inspection) -> None:
    Finding.objects.bulk_create(finding_from(inspection, item) for item in inspection.checklist.items.all())


@transaction.atomic
def inspection_begin(*, inspection: Inspection, inspected_on, acting_user: User) -> Inspection:
    """A planned inspection (from a draw) is begun on site."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    require_inspector(acting_user, inspection)
    if inspection.status != Inspection.Status.PLANNED:
        raise InspectionError(_("Only a planned inspection can be begun."))
    _check_day(inspected_on)
    inspection.status, inspection.inspected_on = Inspection.Status.DRAFT, inspected_on
    inspection.save(update_fields=["status", "inspected_on"])
    if not inspection.findings.exists():
        findings_copy(inspection)
    return inspection


@transaction.atomic
def findings_save(
    *,
    inspection: Inspection,
    marks: dict[int, tuple[str, str]],
    photos: dict[int, list] | None = None,
    inspectors=None,
    inspected_on: datetime.date | None = None,
    acting_user: User,
) -> list[str]:
    """Save what the inspectors marked so far (nothing is lost: a half-filled list stays a draft).
    Returns nothing on success; raises with every item's problem at once."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    require_inspector(acting_user, inspection)
    if inspection.status != Inspection.Status.DRAFT:
        raise InspectionError(_("This inspection is already recorded; it can no longer be changed."))
    errors: dict[str, list[str]] = {}
    findings = {f.pk: f for f in inspection.findings.all()}
    photos = photos or {}
    for pk, files in photos.items():
        if pk not in findings:
            continue
        if len(files) + findings[pk].photos.count() > MAX_PHOTOS_PER_FINDING:
            errors[str(pk)] = [_("At most %(n)d photos per item.") % {"n": MAX_PHOTOS_PER_FINDING}]
            continue
        for upload in files:
            try:
                check_upload(upload)
            except FilingError as error:
                errors.setdefault(str(pk), []).append(f"{upload.name}: {error.message}")
    for pk, (result, note) in marks.items():
        if pk not in findings:
            continue
        if result and result not in Result.values:
            errors.setdefault(str(pk), []).append(_("Choose compliant, not compliant or not applicable."))
        elif result == Result.NON_COMPLIANT and not note.strip():
            errors.setdefault(str(pk), []).append(_("Say what was found for a non-compliant item."))
    if errors:
        raise InspectionError(_("Some items could not be saved; see each item."), errors)
    if inspectors is not None:
        inspection.inspectors.set(_check_inspectors(acting_user, inspectors))
    if inspected_on is not None:
        _check_day(inspected_on)
        inspection.inspected_on = inspected_on
        inspection.save(update_fields=["inspected_on"])
    changed = []
    for pk, (result, note) in marks.items():
        finding = findings.get(pk)
        if finding and (finding.result, finding.note) != (result, note.strip()):
            finding.result, finding.note = result, note.strip()
            changed.append(finding)
    Finding.objects.bulk_update(changed, ["result", "note"])
    for pk, files in photos.items():
        for upload in files:
            content_type = check_upload(upload)
            FindingPhoto.objects.create(
                finding_id=pk, file=upload, name=upload.name[:255], content_type=content_type
            )
    return []


@transaction.atomic
def finding_photo_remove(*, photo: FindingPhoto, acting_user: User) -> None:
    inspection = Inspection.objects.select_for_update().get(pk=photo.finding.inspection_id)
    require_inspector(acting_user, inspection)
    if inspection.status != Inspection.Status.DRAFT:
        raise InspectionError(_("This inspection is already recorded; it can no longer be changed."))
    photo.file.delete(save=False)
    photo.delete()


@transaction.atomic
def inspection_record(
    *,
    inspection: Inspection,
    outcome: str,
    summary: str = "",
    suspend_reason: str = "",
    acting_user: User,
) -> Inspection:
    """Close the recording: every item marked, an outcome that fits the findings. Each non-compliant
    item becomes a rectification with its deadline by severity; a suspension is recorded when asked and
    a serious item allows it. The operators are told."""
    inspection = Inspection.objects.select_for_update().select_related("institution").get(pk=inspection.pk)
    require_inspector(acting_user, inspection)
    if inspection.status != Inspection.Status.DRAFT:
        raise InspectionError(_("This inspection is already recorded."))
    if inspection.inspectors.count() < 2:
        raise InspectionError(_("Name at least two inspectors."))
    if not inspection.inspected_on:
        raise InspectionError(_("Give the inspection date."))
    findings = list(inspection.findings.all())
    unmarked = [f.code for f in findings if not f.result]
    if unmarked:
        raise InspectionError(
            _("Mark every item first; not marked: %(codes)s.") % {"codes": "、".join(unmarked)},
            {str(f.pk): [_("Not marked yet.")] for f in findings if not f.result},
        )
    failing = [f for f in findings if f.result == Result.NON_COMPLIANT]
    if outcome not in Outcome.values:
        raise InspectionError(_("Choose an outcome."), {"outcome": [_("Choose an outcome.")]})
    if failing and outcome == Outcome.PASSED:
        message = _("An inspection with non-compliant items cannot pass; order rectification.")
        raise InspectionError(message, {"outcome": [message]})
    if not failing and outcome != Outcome.PASSED:
        message = _("Every item is compliant or not applicable: the outcome is passed.")
        raise InspectionError(message, {"outcome": [message]})
    policy = rectification_policy(inspection.region_id)
    if outcome == Outcome.SUSPEND:
        suspending = [
            f
            for f in failing
            if f.severity == Severity.SERIOUS
            and (policy[f.severity] is None or policy[f.severity].may_suspend)
        ]
        if not suspending:
            message = _("Only a serious non-compliant item can suspend the institution.")
            raise InspectionError(message, {"outcome": [message]})
        if not suspend_reason.strip():
            message = _("Say why the institution is suspended.")
            raise InspectionError(message, {"suspend_reason": [message]})
    now = timezone.now()
    order_rectifications(inspection, failing, acting_user)
    if outcome == Outcome.SUSPEND:
        Suspension.objects.create(
            institution=inspection.institution,
            region_id=inspection.region_id,
            inspection=inspection,
            reason=suspend_reason.strip(),
            starts_on=timezone.localdate(),
            decided_by=acting_user,
        )
    inspection.outcome, inspection.summary, inspection.recorded_at = outcome, summary.strip(), now
    if failing:
        inspection.status = Inspection.Status.RECORDED
    else:
        inspection.status, inspection.closed_at = Inspection.Status.CLOSED, now
    inspection.save(update_fields=["outcome", "summary", "recorded_at", "status", "closed_at"])
    tell_operators(inspection, len(failing))
    return inspection


def order_rectifications(inspection: Inspection, failing, acting_user: User) -> None:
    """A rectification per non-compliant finding, its deadline from the inspection date and the policy for
    its severity (an inspection's, or a failed quality assessment's)."""
    for finding in failing:
        rectification = Rectification.objects.create(
            finding=finding,
            inspection=inspection,
            institution=inspection.institution,
            region_id=inspection.region_id,
            department=inspection.department,
            severity=finding.severity,
            required=finding.text,
            deadline=inspection.inspected_on
            + datetime.timedelta(days=rectification_days(inspection.region_id, finding.severity)),
        )
        RectificationEvent.objects.create(
            rectification=rectification,
            kind=RectificationEvent.Kind.ORDERED,
            deadline=rectification.deadline,
            by=acting_user,
        )


def tell_operators(inspection: Inspection, ordered: int) -> None:
    operators = operators_by_institution([inspection.institution_id]).get(inspection.institution_id, [])
    values = {
        "department": inspection.authority.name,
        "institution": inspection.institution.name,
        "day": inspection.inspected_on.isoformat(),
        "n": ordered,
    }
    if ordered:
        title = _("Rectification ordered: %(institution)s") % values
        body = (
            _(
                "%(department)s inspected %(institution)s on %(day)s and ordered %(n)d rectifications. "
                "Answer each in the portal with what was done and evidence before its deadline."
            )
            % values
        )
    else:
        title = _("Inspection passed: %(institution)s") % values
        body = _("%(department)s inspected %(institution)s on %(day)s; it passed.") % values
    notify(
        User.objects.filter(pk__in=operators),
        title=title,
        body=body,
        url=reverse("supervision:institution", args=[inspection.institution_id]),
        subject=inspection,
        key=f"inspection-recorded:{inspection.pk}",
    )
