"""Linhai's fees and recognitions as sample data: its price cap rule (30 % of a twelfth of last year's
income of all residents), income and population figures marked as samples, guided fee standards, and
inclusive recognitions in each state; the Qingcheng public nursery recognised too (no cap set there)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from registry.models import Institution, User
from registry.selectors import operators_by_institution
from registry.uscc import uscc_with_check

from .models import (
    Budget,
    GuidedFee,
    IndicatorSnapshot,
    LevelRate,
    PriceCapRule,
    Programme,
    ProgrammeRule,
    Recognition,
    ReferenceYear,
    SupplyTarget,
)
from .services import (
    application_decide,
    application_submit,
    batch_paid,
    batch_prepare,
    clawback_record,
    periods,
    prefill,
    recognition_apply,
    recognition_decide,
)

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
    SupplyTarget.objects.get_or_create(
        region_id="331082",
        defaults={
            "by_year": 2025,
            "slots_per_1000_children": 280,
            "inclusive_share": 90,
            "kindergarten_share": 65,
            "certification_rate": 90,
            "fee_to_income": 30,
        },
    )
    # Last year's figures as kept at the year's end (sample data), so the trend has two years.
    IndicatorSnapshot.objects.get_or_create(
        region_id="331082",
        year=year - 1,
        defaults={
            "figures": {
                "institutions": 2,
                "slots": 95,
                "infant_slots": 0,
                "kindergarten_slots": 0,
                "inclusive_slots": 45,
                "staff": 12,
                "certified": 9,
                "inclusive_fee_total": 1500,
                "inclusive_fee_count": 1,
                "children_under_3": 9800,
                "population": 1115000,
                "income": 64000,
            }
        },
    )
    if not Programme.objects.filter(region_id="331082").exists():
        _programmes(linhai)
        stdout.write("subsidies: Linhai's four programmes with applications in every state and a paid batch")


PROGRAMMES = [
    # (name, kind, rate in yuan, applied for, rules, budget per year)
    (
        "临海市普惠托育机构运营补贴",
        "operating",
        200,
        "quarter",
        [("inclusive", ""), ("fee_within_cap", ""), ("no_serious_credit", "")],
        500000,
    ),
    (
        "临海市新增普惠托位建设补贴",
        "construction",
        3000,
        "once",
        [("inclusive", ""), ("no_overdue_rectification", "")],
        300000,
    ),
    (
        "临海市示范性托育机构一次性奖补",
        "award",
        50000,
        "once",
        [("inclusive", ""), ("no_serious_credit", "")],
        100000,
    ),
    ("临海市托育从业人员职业培训补贴", "training", 800, "year", [("filed", "")], 50000),
]


def _programmes(linhai: User) -> None:
    today = timezone.localdate()
    made = {}
    for name, kind, rate, period, rules, budget in PROGRAMMES:
        programme = Programme.objects.create(
            name=name, kind=kind, region_id="331082", rate=rate, period=period, description=SAMPLE
        )
        for condition, value in rules:
            ProgrammeRule.objects.create(programme=programme, condition=condition, value=value)
        for year in (today.year - 1, today.year):
            Budget.objects.create(programme=programme, year=year, amount=budget)
        made[kind] = programme
    for level, rate in (("中级", 1200), ("高级", 1600)):  # 初级 and the rest at the programme's 800
        LevelRate.objects.create(programme=made["training"], level=level, rate=rate)
    nursery = _institution("12331082MBTY00016")
    gucheng = _institution("52331082MJTY00017")
    beibei = _institution("91331082MATY00018")

    def submit(programme, institution, period, units=None, files=()):
        return application_submit(
            programme=programme,
            institution=institution,
            period=period,
            units=units if units is not None else (prefill(programme, institution, period) or 1),
            note="",
            files=files,
            acting_user=_operator(institution),
        )

    operating = made["operating"]
    current, previous = periods(operating, today)
    roster = SimpleUploadedFile("在托婴幼儿名册.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    paid = submit(operating, nursery, previous, files=[roster])
    application_decide(application=paid, approved=True, reason="托育人数与年度报告一致。", acting_user=linhai)
    built = submit(made["construction"], nursery, "once", units=20)
    application_decide(application=built, approved=True, reason="新增托位经现场核实。", acting_user=linhai)
    for programme, reference in ((operating, "LH-CZ-DEMO-001"), (made["construction"], "LH-CZ-DEMO-002")):
        batch, _added = batch_prepare(programme=programme, month=today, acting_user=linhai)
        batch_paid(batch=batch, paid_on=today, reference=reference, acting_user=linhai)
    clawback_record(
        application=built, amount=6000, reason="2个新增托位未投入使用，按规定追回。", acting_user=linhai
    )
    waiting = submit(operating, nursery, current)
    application_decide(application=waiting, approved=True, reason="", acting_user=linhai)  # the next batch
    submit(made["award"], nursery, "once")  # awaiting a decision
    submit(operating, gucheng, current)  # awaiting; not recognised inclusive, so a rule fails
    refused = submit(made["training"], beibei, periods(made["training"], today)[0], units=3)
    application_decide(
        application=refused,
        approved=False,
        reason="所列3名人员的证书不在从业人员名册中，请补充登记后重新申请。",
        acting_user=linhai,
    )
