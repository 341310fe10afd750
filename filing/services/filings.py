"""The filing's life: start, save a draft, submit, and the bureau's accept, return and refuse.

TRANSITIONS is the whole state machine; each service checks it and records a Transition with who and when.
"""

import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from notifications.services import Row, notify_rows, settle
from registry.models import CareForm, Institution, User
from registry.roles import Role
from registry.selectors import bureau_people, operators_by_institution, visible

from .. import health_evaluations, staff_register
from ..models import PARTICULARS, Filing, FilingClass, ReceiptCounter, ReturnReason, Transition
from ..selectors import (
    Finding,
    current_filing,
    findings_as_data,
    home_point_children,
    open_filing,
    policy_for,
    required_materials,
    return_items,
    standards_findings,
)
from .errors import FilingError, TransitionNotAllowed, require_operator

S = Filing.Status
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.RETURNED: {S.SUBMITTED},
    S.SUBMITTED: {S.ACCEPTED, S.RETURNED, S.REFUSED},
    S.ACCEPTED: set(),
    S.REFUSED: set(),
}
# What the institution's filing status shows while its first filing is in each state.
INSTITUTION_STATUS = {
    S.SUBMITTED: Institution.FilingStatus.SUBMITTED,
    S.RETURNED: Institution.FilingStatus.RETURNED,
    S.ACCEPTED: Institution.FilingStatus.FILED,
    S.REFUSED: Institution.FilingStatus.REFUSED,
}
REVIEW_PERMISSION = "filing.review_filing"


def _require_reviewer(user: User, filing: Filing) -> None:
    if (
        not user.has_perm(REVIEW_PERMISSION)
        or not visible(Filing.objects.filter(pk=filing.pk), user).exists()
    ):
        raise PermissionDenied(_("You may not review this filing."))


def _move(filing: Filing, to: str, actor: User, note: str = "") -> None:
    if to not in TRANSITIONS[filing.status]:
        raise TransitionNotAllowed(
            _("A filing that is “%(current)s” cannot become “%(target)s”.")
            % {"current": filing.get_status_display(), "target": S(to).label}
        )
    transition = Transition.objects.create(
        filing=filing, from_status=filing.status, to_status=to, actor=actor, note=note
    )
    filing.status = to
    filing._history_user = actor
    if filing.kind == Filing.Kind.INITIAL and to in INSTITUTION_STATUS:
        institution = filing.institution
        institution.filing_status = INSTITUTION_STATUS[to]
        institution._history_user = actor
        institution.save(update_fields=["filing_status", "updated_at"])
    _announce(filing, transition)


# Who hears of each move, and what they read (first filings and change filings apart); every message links
# to the filing.
_AUDIENCE = {
    S.SUBMITTED: "reviewers",
    S.RETURNED: "operators",
    S.ACCEPTED: "operators",
    S.REFUSED: "operators",
}
_TITLES = {
    (Filing.Kind.INITIAL, S.SUBMITTED): gettext_lazy("Filing submitted for review: %(name)s"),
    (Filing.Kind.INITIAL, S.RETURNED): gettext_lazy("Filing returned for correction: %(name)s"),
    (Filing.Kind.INITIAL, S.ACCEPTED): gettext_lazy("Filing accepted: %(name)s"),
    (Filing.Kind.INITIAL, S.REFUSED): gettext_lazy("Filing refused: %(name)s"),
    (Filing.Kind.CHANGE, S.SUBMITTED): gettext_lazy("Change filing submitted for review: %(name)s"),
    (Filing.Kind.CHANGE, S.RETURNED): gettext_lazy("Change filing returned for correction: %(name)s"),
    (Filing.Kind.CHANGE, S.ACCEPTED): gettext_lazy("Change filing accepted: %(name)s"),
    (Filing.Kind.CHANGE, S.REFUSED): gettext_lazy("Change filing refused: %(name)s"),
}


def _announce(filing: Filing, transition: Transition) -> None:
    # What the earlier notices about this filing asked for is done: the reviewers' "submitted", the
    # operators' "returned", the reminders of the escalation ladders.
    settle(filing)
    if transition.to_status == S.SUBMITTED and filing.kind == Filing.Kind.INITIAL:
        settle(filing.institution, key_prefix="escalate:unfiled:")
    audience, title = _AUDIENCE[transition.to_status], _TITLES[(filing.kind, transition.to_status)]
    if audience == "operators":
        recipients = operators_by_institution([filing.institution_id]).get(filing.institution_id, [])
        url = reverse("portal:filing", args=[filing.pk])
    else:
        recipients = [
            pk for pk, _region in bureau_people([filing.institution.region_id], roles=[Role.COUNTY_HEALTH])
        ]
        url = reverse("admin:filing_filing_change", args=[filing.pk])
    subject_type = ContentType.objects.get_for_model(Filing).pk
    with override(settings.LANGUAGE_CODE):
        title = str(title) % {"name": filing.name}
    notify_rows(
        [
            Row(
                recipient_id=pk,
                title=title,
                body=transition.note,
                url=url,
                key=f"filing-transition:{transition.pk}",
                subject_type_id=subject_type,
                subject_id=str(filing.pk),
            )
            for pk in recipients
        ]
    )


# Letters and digits that cannot be mistaken for one another when typed from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_verification_code() -> str:
    """Twelve random characters (60 bits): a receipt's code cannot be guessed from another's."""
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(12))


def _locked(filing: Filing) -> Filing:
    return Filing.objects.select_for_update().select_related("institution").get(pk=filing.pk)


@transaction.atomic
def filing_start(*, institution: Institution, acting_user: User) -> Filing:
    """Open the institution's filing (or, once filed, a change filing), prefilled; an open one is resumed."""
    require_operator(acting_user, institution)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    existing = open_filing(institution)
    if existing is not None:
        return existing
    if institution.filing_status == Institution.FilingStatus.TERMINATED:
        raise FilingError(_("This institution has terminated; it cannot file."))
    base = current_filing(institution)
    if base is not None:
        filing = Filing(
            institution=institution,
            kind=Filing.Kind.CHANGE,
            amends=base,
            created_by=acting_user,
            **{f: getattr(base, f) for f in PARTICULARS},
        )
        filing._history_user = acting_user
        filing.save()
        FilingClass.objects.bulk_create(
            FilingClass(
                filing=filing,
                class_type=c.class_type,
                name=c.name,
                slots=c.slots,
                enrolled=c.enrolled,
                carers=c.carers,
            )
            for c in base.classes.all()
        )
        return filing
    registration = getattr(institution, "registration", None)
    filing = Filing(
        institution=institution,
        created_by=acting_user,
        name=institution.name,
        address=institution.address,
        legal_representative=registration.legal_representative if registration else "",
        service_types=list(registration.service_types) if registration else [],
        employer_run=institution.employer_run,
        # A registration whose scope is 家庭托育服务 is a home-based care point; the operator may change it.
        care_form=CareForm.HOME_POINT
        if registration and "家庭托育" in registration.business_scope
        else CareForm.INSTITUTION,
    )
    filing._history_user = acting_user
    filing.save()
    return filing


@transaction.atomic
def filing_save_draft(
    *,
    filing: Filing,
    data: dict[str, Any],
    classes: Iterable[dict[str, Any]] | None,
    acting_user: User,
    commitment_accepted: bool = False,
) -> Filing:
    """Save what the operator entered; nothing is checked beyond types until submission."""
    filing = _locked(filing)
    require_operator(acting_user, filing.institution)
    if filing.status not in (S.DRAFT, S.RETURNED):
        raise TransitionNotAllowed(_("Only a draft or a returned filing can be edited."))
    for name, value in data.items():
        if name in PARTICULARS:
            setattr(filing, name, value)
    if commitment_accepted and filing.commitment_accepted_at is None:
        filing.commitment_accepted_at = timezone.now()
    elif not commitment_accepted:
        filing.commitment_accepted_at = None
    filing._history_user = acting_user
    filing.save()
    if classes is not None:
        filing.classes.all().delete()
        FilingClass.objects.bulk_create(FilingClass(filing=filing, **c) for c in classes)
    return filing


def submission_problems(filing: Filing) -> dict[str, list[str]]:
    """What must be fixed before the filing can be submitted (the operator sees each)."""
    problems: dict[str, list[str]] = {}

    def add(item, message):
        problems.setdefault(item, []).append(str(message))

    for name in ("name", "address", "legal_representative", "contact_person", "contact_phone", "tenure"):
        if not getattr(filing, name):
            add(name, _("This field is required."))
    for name in ("building_area", "outdoor_area"):
        if getattr(filing, name) is None:
            add(name, _("This field is required."))
    if not filing.service_types:
        add("service_types", _("Choose at least one service type."))
    missing_fees = [t for t in filing.service_types if not filing.monthly_fees.get(t)]
    if missing_fees:
        add("monthly_fees", _("Give the monthly fee of every service type offered."))
    if not filing.classes.exists():
        add("classes", _("Declare at least one class."))
    if filing.care_form == CareForm.HOME_POINT:
        cap = policy_for(filing.institution.region_id).home_point_max_children
        children = home_point_children(filing.classes.all())
        if children > cap:
            add(
                "classes",
                _(
                    "A home-based care point cares for at most %(cap)d children; with %(children)d, file "
                    "as a childcare institution."
                )
                % {"cap": cap, "children": children},
            )
    if filing.commitment_accepted_at is None:
        add("commitment", _("Accept the commitment before submitting."))
    if filing.kind == Filing.Kind.CHANGE:
        return problems  # the accepted filing's materials stay on file; a change attaches what it needs
    evaluated = health_evaluations.on_record(filing.institution)
    if (
        filing.care_form != CareForm.HOME_POINT
        and not evaluated
        and policy_for(filing.institution.region_id).health_evaluation_rule == "required"
    ):
        add(
            "health_evaluation",
            _(
                "No valid passing health evaluation is on record. Ask the maternal and child health "
                "institution for an evaluation; it records the result here."
            ),
        )
    uploaded = set(filing.materials.values_list("requirement__code", flat=True))
    for requirement in required_materials(filing.institution.region_id, filing.care_form):
        if requirement.code == HEALTH_EVALUATION and evaluated:
            continue  # the evaluation on record stands for the uploaded report
        if requirement.required and requirement.code not in uploaded:
            add(f"material:{requirement.code}", _("Upload “%(name)s”.") % {"name": requirement.name})
    return problems


HEALTH_EVALUATION = "health_evaluation"  # the material code of the evaluation report


@transaction.atomic
def filing_submit(*, filing: Filing, acting_user: User) -> Filing:
    """Submit (or resubmit after a return). The standards findings are computed and kept, not enforced."""
    filing = _locked(filing)
    require_operator(acting_user, filing.institution)
    if S.SUBMITTED not in TRANSITIONS[filing.status]:
        raise TransitionNotAllowed(_("This filing has already been submitted."))
    from_register = staff_register.counts(filing.institution)
    if from_register is not None:  # the staff section at submission is the register's, kept with the filing
        for field, count in from_register.items():
            setattr(filing, field, count)
        filing.staff_from_register = True
    problems = submission_problems(filing)
    if problems:
        raise FilingError(_("The filing is not complete yet."), problems)
    policy = policy_for(filing.institution.region_id)
    findings = standards_findings(filing, policy)
    if (
        filing.care_form != CareForm.HOME_POINT
        and policy.health_evaluation_rule == "finding"
        and not health_evaluations.on_record(filing.institution)
    ):
        findings.append(
            Finding(
                "health_evaluation",
                "health_evaluation",
                _("No valid passing health evaluation is on record for this institution."),
            )
        )
    filing.findings = findings_as_data(findings)
    filing.submitted_at = timezone.now()
    _move(filing, S.SUBMITTED, acting_user)
    filing.save()
    return filing


def _next_receipt_number(filing: Filing) -> str:
    region_id = filing.institution.region_id
    year = timezone.localdate().year
    counter, _created = ReceiptCounter.objects.get_or_create(region_id=region_id, year=year)
    counter = ReceiptCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    prefix = "BG" if filing.kind == Filing.Kind.CHANGE else "BA"
    return f"{prefix}{region_id}{year}{counter.last:05d}"


@transaction.atomic
def filing_accept(*, filing: Filing, acting_user: User, note: str = "") -> Filing:
    """Accept: issue the receipt number. A change filing's particulars become the institution's."""
    filing = _locked(filing)
    _require_reviewer(acting_user, filing)
    _move(filing, S.ACCEPTED, acting_user, note)
    filing.receipt_number = _next_receipt_number(filing)
    filing.verification_code = new_verification_code()
    filing.decided_at = timezone.now()
    filing.decided_by = acting_user
    filing.decision_note = note
    filing.save()
    institution = filing.institution
    accepted = {"address": filing.address, "employer_run": filing.employer_run, "care_form": filing.care_form}
    changed = [name for name, value in accepted.items() if getattr(institution, name) != value]
    if changed:
        for name in changed:
            setattr(institution, name, accepted[name])
        institution._history_user = acting_user
        institution.save(update_fields=[*changed, "updated_at"])
    return filing


@transaction.atomic
def filing_return(*, filing: Filing, acting_user: User, reasons: list[tuple[str, str]]) -> Filing:
    """Return for correction with a reason per item; the operator corrects and resubmits."""
    reasons = [(item.strip(), reason.strip()) for item, reason in reasons if reason and reason.strip()]
    if not reasons:
        raise FilingError(_("Give at least one reason, so the operator knows what to correct."))
    filing = _locked(filing)
    _require_reviewer(acting_user, filing)
    round_number = filing.transitions.filter(to_status=S.RETURNED).count() + 1
    labels = dict(return_items(filing))  # the note is read by people: items by their labels
    note = "；".join(f"{labels.get(i, i)}：{r.rstrip('。；;')}" for i, r in reasons) + "。"
    _move(filing, S.RETURNED, acting_user, note)
    filing.save()
    ReturnReason.objects.bulk_create(
        ReturnReason(filing=filing, round=round_number, item=item or "general", reason=reason)
        for item, reason in reasons
    )
    return filing


@transaction.atomic
def filing_refuse(*, filing: Filing, acting_user: User, reason: str) -> Filing:
    if not reason or not reason.strip():
        raise FilingError(_("Give the reason for refusing."))
    filing = _locked(filing)
    _require_reviewer(acting_user, filing)
    _move(filing, S.REFUSED, acting_user, reason.strip())
    filing.decided_at = timezone.now()
    filing.decided_by = acting_user
    filing.decision_note = reason.strip()
    filing.save()
    return filing
