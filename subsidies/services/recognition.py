"""Inclusive and demonstration recognition: the operator applies with its fees and slots and an
undertaking; the platform checks the fees against the price cap and, for a non-profit, the guided standard;
the county health bureau recognises for the rule's period or refuses with a reason. A recognised
institution's fee change (a change filing, an annual report) is flagged for the bureau to confirm or
revoke."""

import datetime
import hashlib

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filing.services.errors import require_operator
from notifications.services import notify
from registry.models import Authority, Institution, ServiceType, User
from registry.models.institutions import FilingStatus
from registry.roles import Role
from registry.selectors import authority_kind, bureau_people, jurisdiction_codes, operators_by_institution

from ..checks import FAIL, PASS, UNKNOWN, check, failed_labels
from ..models import Recognition
from .errors import SubsidyError
from .fees import NON_PROFIT, current_fees
from .reference import cap_rule, guided_fees, price_cap

UNDERTAKING = gettext_lazy(
    "We undertake to charge no more than the fees stated here while recognised, to publish them at the "
    "entrance and online, to report any change to the county health bureau before it takes effect, and to "
    "accept the supervision of the health and market regulation departments."
)


def in_force(institution_id: int, kind: str, day: datetime.date | None = None) -> Recognition | None:
    day = day or timezone.localdate()
    return (
        Recognition.objects.filter(
            institution_id=institution_id,
            kind=kind,
            status=Recognition.Status.RECOGNISED,
            valid_from__lte=day,
            valid_until__gte=day,
        )
        .order_by("-valid_until")
        .first()
    )


def recognition_checks(*, institution: Institution, kind: str, fees: dict[str, int]) -> list[dict]:
    """Every rule the recognition reads, each passed, failed or unknown (no figure to compare with), with
    the figures compared (`subsidies.checks` puts them into words)."""
    checks = [check("filed", PASS if institution.filing_status == FilingStatus.FILED else FAIL)]
    if kind == Recognition.Kind.DEMONSTRATION:
        recognised = in_force(institution.pk, Recognition.Kind.INCLUSIVE)
        checks.append(
            check(
                "inclusive",
                PASS if recognised else FAIL,
                until=recognised.valid_until.isoformat() if recognised else "",
            )
        )
        return checks
    today = timezone.localdate()
    if not fees:
        checks.append(check("fees", FAIL))
    cap = price_cap(institution.region_id, today.year)
    if cap is None:
        checks.append(check("cap", UNKNOWN, year=today.year - 1))
    else:
        over = {s: f for s, f in fees.items() if f > cap.amount}
        checks.append(
            check(
                "cap",
                FAIL if over else PASS,
                cap=cap.amount,
                percent=f"{cap.percent.normalize():f}",
                income=cap.income_yearly,
                region=cap.basis_region.name,
                year=cap.basis_year,
                over=over,
            )
        )
    if institution.route in NON_PROFIT:
        guided = guided_fees(institution.region_id, today.year)
        missing = [s for s in fees if s not in guided]
        over = {s: [f, guided[s]] for s, f in fees.items() if s in guided and f > guided[s]}
        result = FAIL if over else UNKNOWN if missing else PASS
        checks.append(check("guided", result, over=over, missing=missing))
    return checks


def _clean_fees(fees: dict) -> dict[str, int]:
    cleaned, errors = {}, {}
    for service, fee in (fees or {}).items():
        if fee in (None, ""):
            continue
        try:
            value = int(fee)
        except (TypeError, ValueError):
            value = -1
        if value < 0:
            errors[f"fee_{service}"] = [_("A monthly fee is a whole number of yuan.")]
        else:
            cleaned[service] = value
    if errors:
        raise SubsidyError(_("Correct the fees marked below."), errors)
    return cleaned


@transaction.atomic
def recognition_apply(
    *,
    institution: Institution,
    kind: str,
    fees: dict | None = None,
    slots: int = 0,
    inclusive_slots: int = 0,
    undertaking_accepted: bool,
    acting_user: User,
) -> Recognition:
    require_operator(acting_user, institution)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if institution.filing_status != FilingStatus.FILED:
        raise SubsidyError(_("Only a filed institution can apply for recognition."))
    fees = _clean_fees(fees) if kind == Recognition.Kind.INCLUSIVE else {}
    errors = {}
    if kind == Recognition.Kind.INCLUSIVE:
        offered = current_fees([institution.pk]).get(institution.pk, ([], {}))[0]
        for service in offered:
            if service not in fees:
                errors[f"fee_{service}"] = [_("State the fee of each service you offer.")]
        if not slots:
            errors["slots"] = [_("State your slots.")]
        if inclusive_slots > slots:
            errors["inclusive_slots"] = [_("Inclusive slots cannot exceed your slots.")]
    if not undertaking_accepted:
        errors["undertaking"] = [_("Accept the undertaking to apply.")]
    if errors:
        raise SubsidyError(_("Correct the fields marked below."), errors)
    if Recognition.objects.filter(
        institution=institution, kind=kind, status=Recognition.Status.APPLIED
    ).exists():
        raise SubsidyError(_("An application of this kind already awaits a decision."))
    checks = recognition_checks(institution=institution, kind=kind, fees=fees)
    try:
        with transaction.atomic():
            recognition = Recognition.objects.create(
                institution=institution,
                kind=kind,
                monthly_fees=fees,
                slots=slots,
                inclusive_slots=inclusive_slots if kind == Recognition.Kind.INCLUSIVE else 0,
                undertaking=str(UNDERTAKING),
                checks=checks,
                applied_by=acting_user,
            )
    except IntegrityError as error:
        raise SubsidyError(_("An application of this kind already awaits a decision.")) from error
    notify(
        User.objects.filter(
            pk__in=[pk for pk, _region in bureau_people([institution.region_id], roles=[Role.COUNTY_HEALTH])]
        ),
        title=_("Recognition applied for: %(institution)s") % {"institution": institution.name},
        body=_("%(institution)s applies for %(kind)s recognition.")
        % {"institution": institution.name, "kind": recognition.get_kind_display()},
        url=reverse("admin:subsidies_recognition_change", args=[recognition.pk]),
        subject=recognition,
        key=f"recognition-applied:{recognition.pk}",
    )
    return recognition


def _require_bureau(user: User, institution: Institution) -> None:
    if not user.is_superuser and (
        authority_kind(user) != Authority.Kind.HEALTH
        or not user.has_perm("subsidies.change_recognition")
        or institution.region_id not in jurisdiction_codes(user)
    ):
        raise PermissionDenied(_("Recognitions are decided by the county health bureau."))


def _locked(recognition: Recognition) -> Recognition:
    return Recognition.objects.select_for_update().select_related("institution").get(pk=recognition.pk)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    from inspections.services.assessments import add_months

    return add_months(day, months)


def _tell_operators(recognition: Recognition, title: str, body: str, key: str) -> None:
    notify(
        User.objects.filter(
            pk__in=operators_by_institution([recognition.institution_id]).get(recognition.institution_id, [])
        ),
        title=title,
        body=body,
        url=reverse("subsidies:recognition", args=[recognition.institution_id]),
        subject=recognition,
        key=key,
    )


@transaction.atomic
def recognition_decide(
    *, recognition: Recognition, recognised: bool, reason: str, acting_user: User
) -> Recognition:
    """Recognise for the rule's period (refused while a check fails) or refuse with a reason."""
    recognition = _locked(recognition)
    institution = recognition.institution
    _require_bureau(acting_user, institution)
    if recognition.status != Recognition.Status.APPLIED:
        raise SubsidyError(_("This application has already been decided."))
    checks = recognition_checks(institution=institution, kind=recognition.kind, fees=recognition.monthly_fees)
    failed = failed_labels(checks)
    if recognised and failed:
        raise SubsidyError(
            _("It cannot be recognised while a check fails: %(checks)s.") % {"checks": "、".join(failed)}
        )
    if not recognised and not reason.strip():
        raise SubsidyError(
            _("Give the reason for refusing; the institution reads it."),
            {"reason": [_("This field is required.")]},
        )
    today = timezone.localdate()
    recognition.checks = checks
    recognition.decided_by, recognition.decided_at = acting_user, timezone.now()
    recognition.decision_reason = reason.strip()
    if recognised:
        rule = cap_rule(institution.region_id)
        months = rule.recognition_months if rule else 36
        recognition.status = Recognition.Status.RECOGNISED
        recognition.valid_from = today
        recognition.valid_until = _add_months(today, months) - datetime.timedelta(days=1)
        # An earlier recognition of the same kind ends where this one starts.
        Recognition.objects.filter(
            institution=institution,
            kind=recognition.kind,
            status=Recognition.Status.RECOGNISED,
            valid_until__gte=today,
        ).exclude(pk=recognition.pk).update(valid_until=today - datetime.timedelta(days=1))
    else:
        recognition.status = Recognition.Status.REFUSED
    recognition.save()
    values = {"kind": recognition.get_kind_display(), "reason": recognition.decision_reason}
    if recognised:
        values["until"] = recognition.valid_until.isoformat()
        _tell_operators(
            recognition,
            _("Recognised: %(kind)s") % values,
            _("Your institution is recognised as %(kind)s until %(until)s. %(reason)s") % values,
            f"recognition-decided:{recognition.pk}",
        )
    else:
        _tell_operators(
            recognition,
            _("Not recognised: %(kind)s") % values,
            _("Your application for %(kind)s recognition was refused: %(reason)s") % values,
            f"recognition-decided:{recognition.pk}",
        )
    return recognition


@transaction.atomic
def recognition_revoke(*, recognition: Recognition, reason: str, acting_user: User) -> Recognition:
    recognition = _locked(recognition)
    _require_bureau(acting_user, recognition.institution)
    if recognition.status != Recognition.Status.RECOGNISED:
        raise SubsidyError(_("Only a recognition in force can be revoked."))
    if not reason.strip():
        raise SubsidyError(
            _("Give the reason for revoking; the institution reads it."),
            {"reason": [_("This field is required.")]},
        )
    recognition.status = Recognition.Status.REVOKED
    recognition.valid_until = min(recognition.valid_until, timezone.localdate() - datetime.timedelta(days=1))
    recognition.decision_reason = reason.strip()
    recognition.decided_by, recognition.decided_at = acting_user, timezone.now()
    recognition.recheck_since, recognition.recheck_note = None, ""
    recognition.save()
    values = {"kind": recognition.get_kind_display(), "reason": recognition.decision_reason}
    _tell_operators(
        recognition,
        _("Recognition revoked: %(kind)s") % values,
        _("Your %(kind)s recognition was revoked: %(reason)s") % values,
        f"recognition-revoked:{recognition.pk}",
    )
    return recognition


@transaction.atomic
def recognition_confirm_fees(*, recognition: Recognition, acting_user: User) -> Recognition:
    """The bureau confirms a recognised institution's changed fees: within the cap (and the guided
    standard) they become the recognised fees and the flag clears; otherwise the bureau must revoke."""
    recognition = _locked(recognition)
    _require_bureau(acting_user, recognition.institution)
    if recognition.recheck_since is None:
        raise SubsidyError(_("No fee change awaits a check."))
    _offered, latest = current_fees([recognition.institution_id]).get(recognition.institution_id, ([], {}))
    fees = {service: fee for service, (fee, _source, _day) in latest.items()}
    checks = recognition_checks(institution=recognition.institution, kind=recognition.kind, fees=fees)
    failed = failed_labels(checks)
    if failed:
        raise SubsidyError(
            _("The new fees fail a check (%(checks)s): revoke the recognition instead.")
            % {"checks": "、".join(failed)}
        )
    recognition.monthly_fees, recognition.checks = fees, checks
    recognition.recheck_since, recognition.recheck_note = None, ""
    recognition.save()
    return recognition


def recheck_flag(institution_id: int, source: str) -> Recognition | None:
    """After a change filing or an annual report: if a recognised institution's current fees differ from
    the recognised ones, flag the recognition for the bureau (once per change) and tell it."""
    recognition = in_force(institution_id, Recognition.Kind.INCLUSIVE)
    if recognition is None:
        return None
    _offered, latest = current_fees([institution_id]).get(institution_id, ([], {}))
    labels = dict(ServiceType.choices)
    changes = [
        f"{labels.get(service, service)} {recognition.monthly_fees.get(service, '—')} → {fee}"
        for service, (fee, _source, _day) in latest.items()
        if recognition.monthly_fees.get(service) != fee
    ]
    if not changes:
        return None
    note = _("%(source)s: %(changes)s") % {"source": source, "changes": "；".join(changes)}
    if recognition.recheck_note == note:
        return recognition
    recognition.recheck_since = recognition.recheck_since or timezone.localdate()
    recognition.recheck_note = note
    recognition.save(update_fields=["recheck_since", "recheck_note"])
    institution = recognition.institution
    notify(
        User.objects.filter(
            pk__in=[pk for pk, _region in bureau_people([institution.region_id], roles=[Role.COUNTY_HEALTH])]
        ),
        title=_("Fees of an inclusive institution changed: %(institution)s")
        % {"institution": institution.name},
        body=note,
        url=reverse("admin:subsidies_recognition_change", args=[recognition.pk]),
        subject=recognition,
        key=f"recognition-recheck:{recognition.pk}:{hashlib.sha1(note.encode()).hexdigest()[:12]}",
    )
    return recognition
