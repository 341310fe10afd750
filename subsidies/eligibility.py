"""The named checks a subsidy programme's eligibility rules are composed of. Each reads the platform's own
records in a few queries and returns a check (`subsidies.checks`): passed, failed or cannot be checked,
with the figures compared. A programme names the checks it needs; adding a programme never needs code."""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models import Institution
from registry.models.institutions import FilingStatus

from .checks import FAIL, PASS, UNKNOWN, check
from .models import Fee, Recognition


def _filed(institution: Institution, value: str, today: datetime.date) -> dict:
    return check("filed", PASS if institution.filing_status == FilingStatus.FILED else FAIL)


def _inclusive(institution, value, today) -> dict:
    from .services.recognition import in_force

    found = in_force(institution.pk, Recognition.Kind.INCLUSIVE, today)
    return check("inclusive", PASS if found else FAIL, until=found.valid_until.isoformat() if found else "")


def _fee_within_cap(institution, value, today) -> dict:
    from .services.reference import price_cap

    cap = price_cap(institution.region_id, today.year)
    if cap is None:
        return check("fee_within_cap", UNKNOWN, year=today.year - 1)
    over = {
        f.service_type: f.monthly_fee
        for f in Fee.objects.filter(institution=institution, monthly_fee__gt=cap.amount)
    }
    return check("fee_within_cap", FAIL if over else PASS, cap=cap.amount, over=over)


def _no_serious_credit(institution, value, today) -> dict:
    from inspections.models import CreditRecord

    records = list(
        CreditRecord.objects.filter(institution=institution, severity=CreditRecord.Severity.SERIOUS)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values_list("decided_on", "description")
    )
    return check(
        "no_serious_credit",
        FAIL if records else PASS,
        records=[f"{day.isoformat()} {text[:60]}" for day, text in records],
    )


def _min_grade(institution, value, today) -> dict:
    from inspections.models import Assessment
    from inspections.models.rubrics import GradeBand

    latest = (
        Assessment.objects.filter(
            institution=institution, status__in=[Assessment.Status.PUBLISHED, Assessment.Status.APPEALED]
        )
        .select_related("round")
        .order_by("-published_at", "-pk")
        .first()
    )
    if latest is None:
        return check("min_grade", FAIL, wanted=value, grade="")
    wanted = GradeBand.objects.filter(rubric_id=latest.round.rubric_id, grade=value).first()
    if wanted is None:
        return check("min_grade", UNKNOWN, wanted=value, grade=latest.grade, percent=str(latest.percent))
    met = bool(latest.passing) and latest.percent >= wanted.min_percent
    return check(
        "min_grade", PASS if met else FAIL, wanted=value, grade=latest.grade, percent=str(latest.percent)
    )


def _min_certification(institution, value, today) -> dict:
    from workforce.models import Employment
    from workforce.selectors import certification_total

    total = certification_total(Employment.objects.filter(institution=institution), today)
    wanted = Decimal(value or "0")
    if total["rate"] is None:
        return check("min_certification", FAIL, wanted=str(wanted), rate=None)
    rate = round(Decimal(total["rate"]) * 100, 1)
    return check(
        "min_certification",
        PASS if rate >= wanted else FAIL,
        wanted=str(wanted),
        rate=str(rate),
        staff=total["staff"],
        certified=total["certified"],
    )


def _no_overdue_rectification(institution, value, today) -> dict:
    from inspections.models import Rectification

    overdue = Rectification.objects.filter(
        institution=institution, status=Rectification.Status.OPEN, deadline__lt=today
    ).count()
    return check("no_overdue_rectification", FAIL if overdue else PASS, overdue=overdue)


# name → (what the bureau reads when composing a programme, whether it takes a value, the check)
CONDITIONS: dict[str, tuple[object, bool, Callable]] = {
    "filed": (_("Filed and active"), False, _filed),
    "inclusive": (_("Recognised as inclusive"), False, _inclusive),
    "fee_within_cap": (_("Every current fee within the inclusive price cap"), False, _fee_within_cap),
    "no_serious_credit": (_("No valid seriously bad credit record"), False, _no_serious_credit),
    "min_grade": (_("Latest quality grade at least (a grade, e.g. 合格)"), True, _min_grade),
    "min_certification": (
        _("Staff certification rate at least (a percentage, e.g. 90)"),
        True,
        _min_certification,
    ),
    "no_overdue_rectification": (_("No open overdue rectification"), False, _no_overdue_rectification),
}


def evaluate(rules, institution: Institution, today: datetime.date) -> list[dict]:
    """Each rule of a programme (ProgrammeRule rows or (condition, value) pairs) evaluated; the filed check
    always comes first, whether or not the programme names it."""
    pairs = [(r.condition, r.value) if hasattr(r, "condition") else r for r in rules]
    if "filed" not in {name for name, _value in pairs}:
        pairs.insert(0, ("filed", ""))
    return [CONDITIONS[name][2](institution, value, today) for name, value in pairs if name in CONDITIONS]
