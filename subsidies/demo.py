"""Linhai's fees and recognitions as sample data: its price cap rule (30 % of a twelfth of last year's
income of all residents), income and population figures marked as samples, guided fee standards, and
inclusive recognitions in each state; the Qingcheng public nursery recognised too (no cap set there)."""

from django.db import transaction
from django.utils import timezone

from registry.models import Institution, User
from registry.selectors import operators_by_institution
from registry.uscc import uscc_with_check

from .models import GuidedFee, PriceCapRule, Recognition, ReferenceYear
from .services import recognition_apply, recognition_decide

SAMPLE = "示例数据（演示用，非官方统计）"


def _institution(first17: str) -> Institution:
    return Institution.objects.get(uscc=uscc_with_check(first17))


def _operator(institution: Institution) -> User:
    return User.objects.get(pk=operators_by_institution([institution.pk])[institution.pk][0])


def _apply(first17, kind, fees, reviewer, *, decide=None, reason=""):
    institution = _institution(first17)
    if Recognition.objects.filter(institution=institution, kind=kind).exists():
        return None
    operator = _operator(institution)
    recognition = recognition_apply(
        institution=institution,
        kind=kind,
        fees=fees,
        slots=60,
        inclusive_slots=60 if fees else 0,
        undertaking_accepted=True,
        acting_user=operator,
    )
    if decide is not None:
        recognition_decide(recognition=recognition, recognised=decide, reason=reason, acting_user=reviewer)
    return recognition


@transaction.atomic
def load(*, stdout) -> None:
    year = timezone.localdate().year
    PriceCapRule.objects.get_or_create(
        region_id="331082", defaults={"percent": 30, "income": "all", "recognition_months": 36}
    )
    for figure_year, income_all, urban, rural, children, population in (
        (year - 2, 64000, 78100, 45600, 9800, 1115000),
        (year - 1, 66800, 80900, 47700, 9300, 1112000),
    ):
        ReferenceYear.objects.get_or_create(
            region_id="331082",
            year=figure_year,
            defaults={
                "income_all": income_all,
                "income_urban": urban,
                "income_rural": rural,
                "children_under_3": children,
                "population": population,
                "source": SAMPLE,
            },
        )
    for service, fee in (("full_day", 1600), ("half_day", 1000)):
        GuidedFee.objects.get_or_create(
            region_id="331082", year=year - 1, service_type=service, defaults={"monthly_fee": fee}
        )
    linhai = User.objects.get(username="health-331082")
    qingcheng = User.objects.get(username="health-441802")
    made = [
        _apply(
            "12331082MBTY00016",
            Recognition.Kind.INCLUSIVE,
            {"full_day": 1500, "half_day": 900},
            linhai,
            decide=True,
            reason="收费低于价格上限和指导性收费标准，予以认定。",
        ),
        _apply("52331082MJTY00017", Recognition.Kind.INCLUSIVE, {"full_day": 1580, "half_day": 980}, linhai),
        _apply(
            "91331082MATY00018",
            Recognition.Kind.INCLUSIVE,
            {"full_day": 2600, "half_day": 1600},
            linhai,
            decide=False,
            reason="全日托月收费2600元，超过普惠价格上限，不予认定；调整收费后可重新申请。",
        ),
        _apply(
            "12441802MBTY00004",
            Recognition.Kind.INCLUSIVE,
            {"full_day": 1800, "half_day": 1200},
            qingcheng,
            decide=True,
            reason="材料齐全，收费合理，予以认定。",
        ),
    ]
    made.append(
        _apply(
            "12331082MBTY00016",
            Recognition.Kind.DEMONSTRATION,
            None,
            linhai,
            decide=True,
            reason="经现场评估，达到示范性托育机构标准。",
        )
    )
    stdout.write(
        f"subsidies: Linhai's price cap and sample figures, {sum(1 for m in made if m)} recognitions"
    )
