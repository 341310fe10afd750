"""A rectification's life: the operator answers with what was done and evidence; the inspecting body
verifies and closes it, or reopens it with a reason and a new deadline. When the last rectification of an
inspection closes, the inspection closes (and its result is published). The county bureau lifts a
suspension."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.services.errors import FilingError, require_operator
from filing.services.materials import check_upload
from notifications.services import notify
from registry.models import User
from registry.selectors import operators_by_institution, visible

from ..models import Inspection, Rectification, RectificationEvent, RectificationFile, Suspension
from .errors import InspectionError
from .inspections import require_inspector

MAX_EVIDENCE_FILES = 10


@transaction.atomic
def rectification_answer(
    *, rectification: Rectification, text: str, files, acting_user: User
) -> Rectification:
    rectification = _locked(rectification)
    require_operator(acting_user, rectification.institution)
    if rectification.status != Rectification.Status.OPEN:
        raise InspectionError(_("This rectification is not waiting for an answer."))
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = [_("Say what was done to rectify it.")]
    if not files:
        errors["files"] = [_("Attach at least one file as evidence (a photo, an invoice, a certificate).")]
    elif len(files) > MAX_EVIDENCE_FILES:
        errors["files"] = [_("At most %(n)d files.") % {"n": MAX_EVIDENCE_FILES}]
    else:
        for upload in files:
            try:
                check_upload(upload)
            except FilingError as error:
                errors.setdefault("files", []).append(f"{upload.name}: {error.message}")
    if errors:
        raise InspectionError(_("The answer could not be sent; see below."), errors)
    event = RectificationEvent.objects.create(
        rectification=rectification, kind=RectificationEvent.Kind.ANSWERED, text=text.strip(), by=acting_user
    )
    for upload in files:
        RectificationFile.objects.create(
            event=event, file=upload, name=upload.name[:255], content_type=check_upload(upload)
        )
    rectification.status = Rectification.Status.ANSWERED
    rectification.save(update_fields=["status"])
    inspection = rectification.inspection
    notify(
        User.objects.filter(authority_id=inspection.authority_id, is_active=True, inspections=inspection),
        title=_("Rectification answered: %(institution)s") % {"institution": rectification.institution.name},
        body=_("%(institution)s says it has rectified: %(required)s. Verify it and close or reopen it.")
        % {"institution": rectification.institution.name, "required": rectification.required},
        url=reverse("admin:inspections_rectification_change", args=[rectification.pk]),
        subject=rectification,
        key=f"rectification-answered:{event.pk}",
    )
    return rectification


@transaction.atomic
def rectification_close(*, rectification: Rectification, text: str, acting_user: User) -> Rectification:
    rectification = _locked(rectification)
    require_inspector(acting_user, rectification.inspection)
    if rectification.status != Rectification.Status.ANSWERED:
        raise InspectionError(_("Only an answered rectification can be verified and closed."))
    RectificationEvent.objects.create(
        rectification=rectification, kind=RectificationEvent.Kind.CLOSED, text=text.strip(), by=acting_user
    )
    now = timezone.now()
    rectification.status, rectification.closed_at = Rectification.Status.CLOSED, now
    rectification.save(update_fields=["status", "closed_at"])
    inspection = Inspection.objects.select_for_update().get(pk=rectification.inspection_id)
    if not inspection.rectifications.exclude(status=Rectification.Status.CLOSED).exists():
        inspection.status, inspection.closed_at = Inspection.Status.CLOSED, now
        inspection.save(update_fields=["status", "closed_at"])
    _tell_operators(
        rectification,
        _("Rectification verified: %(institution)s"),
        _("The rectification “%(required)s” was verified and closed."),
        "closed",
    )
    return rectification


@transaction.atomic
def rectification_reopen(
    *, rectification: Rectification, reason: str, deadline: datetime.date | None, acting_user: User
) -> Rectification:
    rectification = _locked(rectification)
    require_inspector(acting_user, rectification.inspection)
    if rectification.status != Rectification.Status.ANSWERED:
        raise InspectionError(_("Only an answered rectification can be reopened."))
    errors = {}
    if not reason.strip():
        errors["reason"] = [_("Say why the answer is not enough.")]
    if deadline is None or deadline <= timezone.localdate():
        errors["deadline"] = [_("Give a new deadline after today.")]
    if errors:
        raise InspectionError(_("The rectification could not be reopened; see below."), errors)
    RectificationEvent.objects.create(
        rectification=rectification,
        kind=RectificationEvent.Kind.REOPENED,
        text=reason.strip(),
        deadline=deadline,
        by=acting_user,
    )
    rectification.status, rectification.deadline = Rectification.Status.OPEN, deadline
    rectification.save(update_fields=["status", "deadline"])
    _tell_operators(
        rectification,
        _("Rectification reopened: %(institution)s"),
        _("The rectification “%(required)s” was reopened: %(reason)s. New deadline: %(day)s."),
        f"reopened:{rectification.events.count()}",
        reason=reason.strip(),
        day=deadline.isoformat(),
    )
    return rectification


@transaction.atomic
def rectification_extend(
    *, rectification: Rectification, reason: str, deadline: datetime.date | None, acting_user: User
) -> Rectification:
    """The inspecting body gives an open rectification more time, with a reason (the operator is told). The
    new deadline starts a new episode of the escalation ladder."""
    rectification = _locked(rectification)
    require_inspector(acting_user, rectification.inspection)
    if rectification.status != Rectification.Status.OPEN:
        raise InspectionError(_("Only a rectification awaiting an answer can be given more time."))
    errors = {}
    if not reason.strip():
        errors["reason"] = [_("Say why more time is given.")]
    if deadline is None or deadline <= max(rectification.deadline, timezone.localdate()):
        errors["deadline"] = [_("Give a deadline after the current one and after today.")]
    if errors:
        raise InspectionError(_("The deadline could not be extended; see below."), errors)
    RectificationEvent.objects.create(
        rectification=rectification,
        kind=RectificationEvent.Kind.EXTENDED,
        text=reason.strip(),
        deadline=deadline,
        by=acting_user,
    )
    rectification.deadline = deadline
    rectification.save(update_fields=["deadline"])
    _tell_operators(
        rectification,
        _("Rectification deadline extended: %(institution)s"),
        _("The deadline of the rectification “%(required)s” is now %(day)s: %(reason)s."),
        f"extended:{rectification.events.count()}",
        reason=reason.strip(),
        day=deadline.isoformat(),
    )
    return rectification


@transaction.atomic
def suspension_lift(*, suspension: Suspension, reason: str, acting_user: User) -> Suspension:
    suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
    if not visible(Suspension.objects.filter(pk=suspension.pk), acting_user, action="change").exists():
        raise PermissionDenied(_("Only the county health bureau lifts a suspension."))
    if suspension.lifted_on:
        raise InspectionError(_("This suspension was already lifted."))
    if not reason.strip():
        raise InspectionError(_("Say why the suspension is lifted."), {"lift_reason": [_("Required.")]})
    suspension.lifted_on, suspension.lifted_by, suspension.lift_reason = (
        timezone.localdate(),
        acting_user,
        reason.strip(),
    )
    suspension.save(update_fields=["lifted_on", "lifted_by", "lift_reason"])
    return suspension


def _locked(rectification: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update()
        .select_related("institution", "inspection")
        .get(pk=rectification.pk)
    )


def _tell_operators(rectification, title, body, key, **extra) -> None:
    values = {"institution": rectification.institution.name, "required": rectification.required, **extra}
    operators = operators_by_institution([rectification.institution_id]).get(rectification.institution_id, [])
    notify(
        User.objects.filter(pk__in=operators),
        title=title % values,
        body=body % values,
        url=reverse("supervision:institution", args=[rectification.institution_id]),
        subject=rectification,
        key=f"rectification-{key}:{rectification.pk}",
    )
