"""Demo filings: each demo institution is brought to its filing status through the real services, by a
demo operator and the county bureau's demo reviewer."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from registry.demo import DEMO_INSTITUTIONS
from registry.models import Authority, CareForm, Institution, Registration, User
from registry.roles import Role
from registry.services import operator_grant, staff_user_ensure
from registry.uscc import uscc_with_check

from .models import Filing, FilingPolicy, NurseryClass
from .selectors import required_materials
from .services import (
    annual_report_submit,
    filing_accept,
    filing_refuse,
    filing_return,
    filing_save_draft,
    filing_start,
    filing_submit,
    material_add,
    termination_confirm,
    termination_submit,
)
from .services.escalation import escalate
from .services.monthly_push import previous_month

# A minimal valid one-page PDF, so demo materials open in a browser.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _reviewer(county: str) -> User:
    authority = Authority.objects.get(kind=Authority.Kind.HEALTH, region_id=county)
    username = f"health-{county}" if county in ("441802", "331082") else f"demo-reviewer-{county}"
    user, _created = staff_user_ensure(
        username=username, authority=authority, role=Role.COUNTY_HEALTH, full_name=f"{authority.name}审核员"
    )
    return user


def _operator(institution: Institution) -> User:
    if institution.uscc == uscc_with_check("91441802MATY00001"):
        return User.objects.get(username="operator-demo")
    user, created = User.objects.get_or_create(
        username=f"demo-operator-{institution.uscc[-6:]}", defaults={"first_name": "演示经办人"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    operator_grant(user=user, institution=institution)
    return user


def _complete_draft(filing: Filing, operator: User, *, oversized: bool = False) -> Filing:
    today = timezone.localdate()
    data = {
        "contact_person": "王老师",
        "contact_phone": "0763-0000000",
        "building_area": Decimal("420.00"),
        "outdoor_area": Decimal("120.00"),
        "tenure": Filing.Tenure.LEASED,
        "lease_starts_on": today.replace(year=today.year - 1, month=1, day=1),
        "lease_ends_on": today.replace(year=today.year + 4, month=1, day=1),
        "service_types": ["full_day", "half_day"],
        "monthly_fees": {"full_day": 2200, "half_day": 1400},
        "inclusive": True,
        "staff_management": 2,
        "staff_carers": 9,
        "staff_health": 1,
        "staff_security": 1,
        "staff_cooks": 1,
    }
    classes = [
        {"class_type": "infant", "name": "乳儿班", "slots": 10, "enrolled": 8, "carers": 3},
        {
            "class_type": "toddler",
            "name": "托小班",
            "slots": 18 if oversized else 15,
            "enrolled": 12,
            "carers": 3,
        },
        {"class_type": "older_toddler", "name": "托大班", "slots": 20, "enrolled": 16, "carers": 3},
    ]
    if filing.care_form == CareForm.HOME_POINT:  # a residence: five children, two carers
        data |= {
            "building_area": Decimal("110.00"),
            "outdoor_area": Decimal("20.00"),
            "tenure": Filing.Tenure.OWNED,
        }
        data |= {
            "staff_management": 0,
            "staff_carers": 2,
            "staff_health": 0,
            "staff_security": 0,
            "staff_cooks": 0,
        }
        classes = [{"class_type": "mixed", "name": "混龄班", "slots": 5, "enrolled": 5, "carers": 2}]
    filing = filing_save_draft(
        filing=filing, data=data, classes=classes, acting_user=operator, commitment_accepted=True
    )
    for requirement in required_materials(filing.institution.region_id, filing.care_form):
        if requirement.required:
            upload = SimpleUploadedFile(f"{requirement.code}.pdf", DEMO_PDF, "application/pdf")
            material_add(filing=filing, requirement=requirement, upload=upload, acting_user=operator)
    return filing


def _kindergarten_ledger() -> None:
    """Shiyan's education bureau keeps its kindergartens' nursery classes; there kindergartens do not file
    with health (托幼一体), which is the city's filing policy."""
    FilingPolicy.objects.get_or_create(region_id="420300", defaults={"kindergartens_file": False})
    kindergarten = Institution.objects.get(uscc=uscc_with_check("12420302MBTY00013"))
    keeper = User.objects.get(username="education-420302")
    for name, places, children, carers in (("托班一班", 20, 18, 3), ("托班二班", 20, 21, 3)):
        NurseryClass.objects.get_or_create(
            institution=kindergarten,
            name=name,
            defaults={"places": places, "children": children, "carers": carers, "updated_by": keeper},
        )


def _before_national_day() -> datetime.datetime:
    """10:00 on 30 September before the latest National Day holiday that has ended."""
    today = timezone.localdate()
    year = today.year if today >= datetime.date(today.year, 10, 8) else today.year - 1
    return timezone.make_aware(datetime.datetime(year, 9, 30, 10))


@transaction.atomic
def load(*, stdout) -> None:
    brought = 0
    for county, first17, _name, _route, status in DEMO_INSTITUTIONS:
        institution = Institution.objects.get(uscc=uscc_with_check(first17))
        if status == "unfiled" or institution.filings.exists():
            continue
        operator, reviewer = _operator(institution), _reviewer(county)
        filing = filing_start(institution=institution, acting_user=operator)
        _complete_draft(filing, operator, oversized=status == "submitted")
        filing = filing_submit(filing=filing, acting_user=operator)
        if status == "submitted" and county == "331082":
            # Submitted the day before National Day: its review clock shows the holiday not counted.
            before = _before_national_day()
            Filing.objects.filter(pk=filing.pk).update(submitted_at=before)
            filing.transitions.filter(to_status=Filing.Status.SUBMITTED).update(at=before)
        if status == "returned":
            filing_return(
                filing=filing,
                acting_user=reviewer,
                reasons=[
                    ("premises", "租赁合同未加盖出租方公章，请补充盖章页。"),
                    ("material:fire_safety", "消防安全检查合格证明已过期，请上传有效证明。"),
                ],
            )
        elif status == "refused":
            filing_refuse(
                filing=filing, acting_user=reviewer, reason="场所位于四层以上，不符合托育机构设置标准。"
            )
        elif status in ("filed", "terminated"):
            filing_accept(filing=filing, acting_user=reviewer, note="材料齐全，予以备案。")
            annual_report_submit(
                institution=institution,
                year=timezone.localdate().year - 1,
                enrolled_children=36,
                staff_total=11,
                incidents="",
                monthly_fees=filing.monthly_fees,
                acting_user=operator,
            )
        if status == "terminated":
            termination = termination_submit(
                institution=institution,
                planned_on=timezone.localdate() + datetime.timedelta(days=30),
                children_plan="在园婴幼儿由家长自愿选择转入附近的普惠托育机构，已逐一联系家长。",
                staff_plan="依法解除劳动合同并支付经济补偿，协助推荐就业。",
                acting_user=operator,
            )
            termination_confirm(termination=termination, acting_user=reviewer)
        brought += 1
    stdout.write(f"filing: {brought} demo institutions brought to their filing status")
    _kindergarten_ledger()
    head, _created = staff_user_ensure(
        username="demo-head-441802",
        authority=Authority.objects.get(kind=Authority.Kind.HEALTH, region_id="441802"),
        role=Role.BUREAU_HEAD,
    )
    head.groups.add(*Group.objects.filter(name=Role.COUNTY_HEALTH))
    with transaction.atomic():
        fired = escalate()
    stdout.write(f"filing: escalation ladders walked, {sum(fired.values())} rungs fired")
    months = sorted(
        {
            f"{day:%Y-%m}"
            for day in Registration.objects.filter(
                institution__uscc__in=[uscc_with_check(first17) for _c, first17, *_rest in DEMO_INSTITUTIONS]
            ).values_list("registered_on", flat=True)
        }
    )
    stdout.write(
        f"filing: the demo's registrations fall in {', '.join(months)}; try `manage.py monthly_push --month "
        f"{previous_month():%Y-%m}` to fill the Qingcheng bureau's inbox with a monthly report and workbook"
    )
