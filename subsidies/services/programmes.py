"""Subsidy applications from submission to payment. The operator applies for a period with the count the
programme pays on prefilled from the platform's records; every eligibility rule is evaluated; the county
bureau decides; the amount is computed from the programme's rate, never typed; the year's budget is
committed under a row lock, so two decisions can never overspend it; approved amounts go into a payment
batch per programme and month; a clawback returns money to the budget."""

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.models import AnnualReport, Filing
from filing.services.errors import FilingError, require_operator
from filing.services.materials import check_upload
from notifications.services import notify
from registry.models import Authority, Institution, User
from registry.roles import Role
from registry.selectors import (
    ancestry_codes,
    authority_kind,
    bureau_people,
    jurisdiction_codes,
    operators_by_institution,
)

from ..checks import PASS, failed_labels
from ..eligibility import evaluate
from ..models import Application, ApplicationFile, Budget, Clawback, PaymentBatch, Programme
from .errors import SubsidyError

MONTHS = {
    Programme.Period.MONTH: 1,
    Programme.Period.QUARTER: 3,
    Programme.Period.YEAR: 12,
    Programme.Period.ONCE: 1,
}


def periods(programme: Programme, today: datetime.date) -> list[str]:
    """The periods an operator may apply for now: this one and the one before (or "once")."""
    if programme.period == Programme.Period.ONCE:
        return ["once"]
    if programme.period == Programme.Period.YEAR:
        return [str(today.year), str(today.year - 1)]
    if programme.period == Programme.Period.QUARTER:
        quarter = (today.month - 1) // 3 + 1
        before = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
        return [f"{today.year}-Q{quarter}", f"{before[0]}-Q{before[1]}"]
    before = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return [f"{today.year}-{today.month:02d}", f"{before[0]}-{before[1]:02d}"]


def period_range(period: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    if period == "once":
        return today.replace(month=1, day=1), today
    if re.fullmatch(r"\d{4}", period):
        year = int(period)
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", period):
        year, quarter = int(match[1]), int(match[2])
        start = datetime.date(year, 3 * quarter - 2, 1)
    else:
        year, month = int(period[:4]), int(period[5:7])
        start = datetime.date(year, month, 1)
        quarter = None
    months = 3 if quarter else 1
    end_month = start.month + months
    end = (datetime.date(start.year + (end_month > 12), (end_month - 1) % 12 + 1, 1)) - datetime.timedelta(
        days=1
    )
    return start, end


def budget_year(application: Application) -> int:
    return int(application.period[:4]) if application.period[:4].isdigit() else timezone.localdate().year


def prefill(programme: Programme, institution: Institution, period: str) -> int | None:
    """The count the programme pays on, from the platform's own records (None where it holds none)."""
    if programme.kind == Programme.Kind.AWARD:
        return 1
    accepted = list(
        Filing.objects.filter(institution=institution, status=Filing.Status.ACCEPTED)
        .order_by("-decided_at", "-pk")
        .prefetch_related("classes")[:2]
    )
    if programme.kind == Programme.Kind.CONSTRUCTION:
        if not accepted:
            return None
        before = accepted[1].total_slots if len(accepted) > 1 else 0
        return max(accepted[0].total_slots - before, 0)
    if programme.kind == Programme.Kind.OPERATING:
        report = (
            AnnualReport.objects.filter(institution=institution, status=AnnualReport.Status.SUBMITTED)
            .order_by("-year")
            .first()
        )
        if accepted and (report is None or accepted[0].decided_at > report.submitted_at):
            return accepted[0].total_enrolled
        return report.enrolled_children if report else None
    return sum(levels(institution, period).values())


def levels(institution: Institution, period: str) -> dict[str, int]:
    """The institution's staff certified in the period, per certificate level (a person certified at two
    levels counts at the higher-paid one when the amount is computed; here at each)."""
    from workforce.models import Certificate

    start, end = period_range(period, timezone.localdate())
    found: dict[str, set[int]] = {}
    for person, level in (
        Certificate.objects.filter(
            person__employments__institution=institution, issued_on__gte=start, issued_on__lte=end
        )
        .values_list("person", "level")
        .distinct()
    ):
        found.setdefault(level or "", set()).add(person)
    return {level: len(people) for level, people in found.items()}


def amount_for(programme: Programme, units: int, months: int, by_level: dict[str, int] | None = None) -> int:
    """The amount a programme pays: per child and month, per new slot, the award, or per certified person
    (at the rate of their certificate level where the programme sets one; people beyond those the staff
    register shows by level at the programme's rate)."""
    if programme.kind == Programme.Kind.OPERATING:
        return programme.rate * units * months
    if programme.kind == Programme.Kind.AWARD:
        return programme.rate
    if programme.kind == Programme.Kind.TRAINING and by_level:
        rates = {r.level: r.rate for r in programme.level_rates.all()}
        counted = min(sum(by_level.values()), units)
        total, left = 0, counted
        for level, people in sorted(by_level.items(), key=lambda item: -rates.get(item[0], programme.rate)):
            paid = min(people, left)
            total, left = total + paid * rates.get(level, programme.rate), left - paid
        return total + (units - counted) * programme.rate
    return programme.rate * units


def open_programmes(institution: Institution, today: datetime.date):
    regions = list(ancestry_codes(institution.region_id))
    return (
        Programme.objects.filter(region_id__in=regions)
        .exclude(opens_on__gt=today)
        .exclude(closes_on__lt=today)
        .prefetch_related("rules")
        .order_by("name")
    )


@transaction.atomic
def application_submit(
    *,
    programme: Programme,
    institution: Institution,
    period: str,
    units: int | None,
    note: str = "",
    files=(),
    acting_user: User,
) -> Application:
    require_operator(acting_user, institution)
    today = timezone.localdate()
    if programme.pk not in {p.pk for p in open_programmes(institution, today)}:
        raise SubsidyError(_("This programme does not take applications from your institution now."))
    errors = {}
    if period not in periods(programme, today):
        errors["period"] = [_("Choose one of the periods offered.")]
    if programme.kind != Programme.Kind.AWARD and (units is None or units < 1):
        errors["units"] = [_("State the count, at least 1.")]
    types = []
    for upload in files:
        try:
            types.append(check_upload(upload))
        except FilingError as error:
            errors.setdefault("files", []).append(f"{upload.name}: {error.message}")
    if errors:
        raise SubsidyError(_("Correct the fields marked below."), errors)
    if Application.objects.filter(programme=programme, institution=institution, period=period).exists():
        raise SubsidyError(
            _("This institution has already applied for this period."), {"period": [_("Already applied.")]}
        )
    platform = prefill(programme, institution, period)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                programme=programme,
                institution=institution,
                period=period,
                units=1 if programme.kind == Programme.Kind.AWARD else units,
                platform_units=platform,
                months=MONTHS[programme.period] if programme.kind == Programme.Kind.OPERATING else 1,
                levels=levels(institution, period) if programme.kind == Programme.Kind.TRAINING else {},
                note=note.strip(),
                checks=evaluate(programme.rules.all(), institution, today),
                applied_by=acting_user,
            )
    except IntegrityError as error:
        raise SubsidyError(_("This institution has already applied for this period.")) from error
    for upload, content_type in zip(files, types, strict=True):
        ApplicationFile.objects.create(
            application=application,
            file=upload,
            name=upload.name[:255],
            content_type=content_type,
            added_by=acting_user,
        )
    notify(
        User.objects.filter(
            pk__in=[pk for pk, _region in bureau_people([institution.region_id], roles=[Role.COUNTY_HEALTH])]
        ),
        title=_("Subsidy application: %(institution)s") % {"institution": institution.name},
        body=_("%(institution)s applies to %(programme)s for %(period)s.")
        % {"institution": institution.name, "programme": programme.name, "period": period},
        url=reverse("admin:subsidies_application_change", args=[application.pk]),
        subject=application,
        key=f"subsidy-applied:{application.pk}",
    )
    return application


def _require_bureau(user: User, institution: Institution) -> None:
    if not user.is_superuser and (
        authority_kind(user) != Authority.Kind.HEALTH
        or not user.has_perm("subsidies.change_application")
        or institution.region_id not in jurisdiction_codes(user)
    ):
        raise PermissionDenied(_("Subsidies are decided by the county health bureau."))


def _tell(application: Application, title: str, body: str, key: str) -> None:
    notify(
        User.objects.filter(
            pk__in=operators_by_institution([application.institution_id]).get(application.institution_id, [])
        ),
        title=title,
        body=body,
        url=reverse("subsidies:programmes", args=[application.institution_id]),
        subject=application,
        key=key,
    )


@transaction.atomic
def application_decide(
    *, application: Application, approved: bool, reason: str, acting_user: User
) -> Application:
    """Approve (every rule passes; the amount computed and committed against the year's budget under a row
    lock) or reject with a reason."""
    application = (
        Application.objects.select_for_update()
        .select_related("programme", "institution")
        .get(pk=application.pk)
    )
    _require_bureau(acting_user, application.institution)
    if application.status != Application.Status.SUBMITTED:
        raise SubsidyError(_("This application has already been decided."))
    today = timezone.localdate()
    application.checks = evaluate(application.programme.rules.all(), application.institution, today)
    if approved:
        blocking = [c for c in application.checks if c["result"] != PASS]
        if blocking:
            raise SubsidyError(
                _("It cannot be approved while a rule is not met: %(checks)s.")
                % {"checks": "、".join(failed_labels(blocking) or [c["name"] for c in blocking])}
            )
        amount = amount_for(application.programme, application.units, application.months, application.levels)
        year = budget_year(application)
        budget = Budget.objects.select_for_update().filter(programme=application.programme, year=year).first()
        if budget is None:
            raise SubsidyError(_("The programme has no budget for %(year)s.") % {"year": year})
        if budget.committed + amount > budget.amount:
            raise SubsidyError(
                _("The %(year)s budget cannot cover %(amount)s yuan: %(remaining)s yuan remain.")
                % {"year": year, "amount": amount, "remaining": budget.remaining}
            )
        budget.committed += amount
        budget.save(update_fields=["committed"])
        application.amount = amount
        application.status = Application.Status.APPROVED
    else:
        if not reason.strip():
            raise SubsidyError(
                _("Give the reason for rejecting; the institution reads it."),
                {"reason": [_("This field is required.")]},
            )
        application.status = Application.Status.REJECTED
    application.decision_reason = reason.strip()
    application.decided_by, application.decided_at = acting_user, timezone.now()
    application.save()
    values = {
        "programme": application.programme.name,
        "period": application.period,
        "reason": application.decision_reason,
    }
    if approved:
        values["amount"] = application.amount
        _tell(
            application,
            _("Subsidy approved: %(programme)s") % values,
            _(
                "%(programme)s, %(period)s: %(amount)s yuan approved; it is paid with the next payment "
                "batch. %(reason)s"
            )
            % values,
            f"subsidy-decided:{application.pk}",
        )
    else:
        _tell(
            application,
            _("Subsidy rejected: %(programme)s") % values,
            _("%(programme)s, %(period)s: rejected. %(reason)s") % values,
            f"subsidy-decided:{application.pk}",
        )
    return application


def _require_batch_keeper(user: User, programme: Programme) -> None:
    if not user.is_superuser and (
        not user.has_perm("subsidies.add_paymentbatch") or programme.region_id not in jurisdiction_codes(user)
    ):
        raise PermissionDenied(_("Payment batches are prepared by the paying jurisdiction's health bureau."))


@transaction.atomic
def batch_prepare(
    *, programme: Programme, month: datetime.date, acting_user: User
) -> tuple[PaymentBatch, int]:
    """The month's batch of a programme (made if new) with every approved application not yet in one."""
    _require_batch_keeper(acting_user, programme)
    month = month.replace(day=1)
    batch, _created = PaymentBatch.objects.select_for_update().get_or_create(
        programme=programme, month=month, defaults={"created_by": acting_user}
    )
    if batch.status != PaymentBatch.Status.OPEN:
        raise SubsidyError(
            _("The batch of %(month)s has been paid; choose another month.") % {"month": f"{month:%Y-%m}"}
        )
    added = Application.objects.filter(
        programme=programme, status=Application.Status.APPROVED, batch__isnull=True
    ).update(batch=batch)
    return batch, added


@transaction.atomic
def batch_paid(
    *, batch: PaymentBatch, paid_on: datetime.date, reference: str, acting_user: User
) -> PaymentBatch:
    batch = PaymentBatch.objects.select_for_update().select_related("programme").get(pk=batch.pk)
    _require_batch_keeper(acting_user, batch.programme)
    if batch.status != PaymentBatch.Status.OPEN:
        raise SubsidyError(_("This batch is already marked paid."))
    if not reference.strip():
        raise SubsidyError(_("Give the payment reference."), {"reference": [_("This field is required.")]})
    rows = list(batch.applications.select_for_update().filter(status=Application.Status.APPROVED))
    if not rows:
        raise SubsidyError(_("The batch holds no approved application."))
    by_year: dict[int, int] = {}
    for application in rows:
        by_year[budget_year(application)] = by_year.get(budget_year(application), 0) + application.amount
    for year, total in by_year.items():
        budget = Budget.objects.select_for_update().get(programme=batch.programme, year=year)
        budget.paid += total
        budget.save(update_fields=["paid"])
    batch.applications.filter(pk__in=[a.pk for a in rows]).update(status=Application.Status.PAID)
    batch.status, batch.paid_on, batch.reference = PaymentBatch.Status.PAID, paid_on, reference.strip()
    batch.save()
    for application in rows:
        _tell(
            application,
            _("Subsidy paid: %(programme)s") % {"programme": batch.programme.name},
            _("%(amount)s yuan for %(period)s paid on %(day)s (reference %(reference)s).")
            % {
                "amount": application.amount,
                "period": application.period,
                "day": paid_on.isoformat(),
                "reference": batch.reference,
            },
            f"subsidy-paid:{application.pk}",
        )
    return batch


def batch_total(batch: PaymentBatch) -> int:
    return batch.applications.aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def clawback_record(*, application: Application, amount: int, reason: str, acting_user: User) -> Clawback:
    """Money returned on a paid application (for example when the institution terminated within the
    period): recorded with its reason, and given back to the year's budget."""
    application = (
        Application.objects.select_for_update()
        .select_related("institution", "programme")
        .get(pk=application.pk)
    )
    _require_bureau(acting_user, application.institution)
    if application.status != Application.Status.PAID:
        raise SubsidyError(_("Only a paid subsidy can be clawed back."))
    errors = {}
    if amount is None or amount < 1 or amount > application.amount - application.clawed_back:
        errors["amount"] = [
            _("Between 1 and %(most)s yuan (paid, less what was returned).")
            % {"most": application.amount - application.clawed_back}
        ]
    if not reason.strip():
        errors["reason"] = [_("This field is required.")]
    if errors:
        raise SubsidyError(_("Correct the fields marked below."), errors)
    budget = Budget.objects.select_for_update().get(
        programme=application.programme, year=budget_year(application)
    )
    budget.committed -= amount
    budget.paid -= amount
    budget.save(update_fields=["committed", "paid"])
    application.clawed_back += amount
    application.save(update_fields=["clawed_back"])
    return Clawback.objects.create(
        application=application, amount=amount, reason=reason.strip(), recorded_by=acting_user
    )
