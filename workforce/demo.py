"""Demo staff register: every demo institution that has an operator has a roster (only its operators keep
it; the three that nobody has signed up for yet have none), with certificates and health checks; at
清城区妇幼保健院附属托育园 one health check lapses within the month; 林保育, a carer there, is proposed at
清远市清城区彩虹托育有限公司 and refused (its bureau is told); 赵某, a cook at 彩虹, is banned and the
employment flagged; `police-441802` (public security, Qingcheng) sees the security staff and the bans.
Safe to run again."""

import contextlib
import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from filing.demo import DEMO_PDF
from registry.demo import DEMO_PASSWORD
from registry.models import Authority, Institution, User
from registry.roles import Role
from registry.selectors import operators_by_institution
from registry.services import staff_user_ensure
from registry.uscc import uscc_with_check

from .models import Ban, Certificate, CertificateType, Employment, HealthCheck, Person
from .services import WorkforceError, ban_record, hire, roster_import

# (document number, name, role) of the roster of 清城区妇幼保健院附属托育园 (filed).
ROSTER = [
    ("441802199101011236", "陈园长", "management"),
    ("441802199003151235", "林保育", "carer"),
    ("44180219920606123X", "黄保育", "carer"),
    ("441802199307071234", "周保健", "health"),
    ("441802199410101235", "吴保安", "security"),
    ("441802199512121237", "郑厨师", "cook"),
]
NCR = ("清远市公安局清城分局凤城派出所", datetime.date(2025, 10, 8))
BANNED = ("441802199603031237", "赵某", "虐待婴幼儿，依法终身禁止从事托育工作", "清城区人民法院")
FLAGGED_AT = "12441802MBTY00004"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
ROLES = [
    ("management", "园长"),
    ("carer", "保育"),
    ("carer", "保育"),
    ("carer", "育婴"),
    ("health", "保健"),
    ("security", "保安"),
    ("cook", "厨师"),
]


def demo_number(region: str, index: int, serial: int) -> str:
    """A valid resident identity number: the county's code, a birth date in the 1990s, a serial."""
    body = f"{region}{1990 + index % 9}{1 + serial % 12:02d}{1 + index % 27:02d}{serial % 1000:03d}"
    number = body + ric.calc_check_digit(body + "0")  # the library wants a placeholder check character
    if ric.is_valid(number):
        return number
    body = "441802" + body[6:]  # a county code the library does not know for that year: Qingcheng's
    return body + ric.calc_check_digit(body + "0")


@transaction.atomic
def load(*, stdout) -> None:
    authority = Authority.objects.get(kind=Authority.Kind.PUBLIC_SECURITY, region_id="441802")
    police, _created = staff_user_ensure(
        username="police-441802",
        authority=authority,
        role=Role.PUBLIC_SECURITY,
        password=DEMO_PASSWORD,
        full_name="清城区公安分局民警",
    )
    today = timezone.localdate()
    started = today - datetime.timedelta(days=400)
    institutions = list(Institution.objects.order_by("pk"))
    operators = operators_by_institution([i.pk for i in institutions])
    filed = Institution.objects.get(uscc=uscc_with_check("12441802MBTY00004"))
    operator = User.objects.get(pk=operators[filed.pk][0])
    hired = 0
    for number, name, role in ROSTER:
        try:
            hire(
                institution=filed,
                document_type="ric",
                document_number=number,
                name=name,
                role=role,
                starts_on=started,
                acting_user=operator,
                no_criminal_record=NCR,
            )
            hired += 1
        except WorkforceError:
            pass  # already on the roster: the demo is loaded again
    if hired:
        _records(filed, operator, today, lapsing="周保健")
    rosters = 0
    for serial, institution in enumerate(institutions, 1):
        if institution.pk == filed.pk or institution.pk not in operators:
            continue
        if Employment.objects.filter(institution=institution).exists():
            continue
        acting = User.objects.get(pk=operators[institution.pk][0])
        report = roster_import(
            institution=institution,
            rows=_rows(institution, serial, started, today),
            acting_user=acting,
            dry_run=False,
        )
        if not report.saved:
            raise RuntimeError(f"demo roster of {institution.name}: {[r.errors for r in report.problems]}")
        rosters += 1
    rainbow = Institution.objects.filter(name="清远市清城区彩虹托育有限公司").first()
    if rainbow is not None and rainbow.pk in operators:
        _carer_elsewhere_and_ban(rainbow, User.objects.get(pk=operators[rainbow.pk][0]), police, started)
    stdout.write(
        f"workforce: {hired} people added to the roster of {filed.name}, {rosters} more rosters imported; "
        f"{Ban.objects.count()} ban(s) on record"
    )


def _rows(institution, serial, started, today) -> list[tuple[int, dict]]:
    roles = ROLES[:1] + ROLES[1:3] if institution.care_form == "home_point" else ROLES
    rows = []
    for index, (role, word) in enumerate(roles):
        name = SURNAMES[(serial * 3 + index) % len(SURNAMES)] + word
        certified = role in ("carer", "health", "management") and index != 3  # one carer without one
        certificate = {
            "carer": ("保育师职业技能等级证书", "四级/中级工"),
            "health": ("托幼机构卫生保健人员培训合格证", ""),
            "management": ("托育机构负责人培训合格证书", ""),
        }.get(role)
        row = {
            "name": name,
            "document_type": "",
            "document_number": demo_number(institution.region_id, index, serial * 10 + index),
            "role": role,
            "starts_on": started,
            "phone": "",
            "police_station": f"{institution.region.name}公安局派出所",
            "ncr_issued_on": started - datetime.timedelta(days=20),
            "certificate_type": certificate[0] if certified else None,
            "certificate_number": f"DEMO{serial:02d}{index:02d}" if certified else None,
            "certificate_level": certificate[1] if certified else None,
            "certificate_issuer": "人力资源社会保障部门" if certified else None,
            "certificate_issued_on": started - datetime.timedelta(days=100) if certified else None,
            "certificate_expires_on": None,
            "health_checked_on": today - datetime.timedelta(days=200 + index),
            "health_examined_by": f"{institution.region.name}妇幼保健院",
            "health_valid_until": today - datetime.timedelta(days=200 + index) + datetime.timedelta(days=365),
        }
        rows.append((index + 2, row))
    return rows


def _records(institution, operator, today, *, lapsing: str) -> None:
    """Certificates and health checks for the hand-made roster; `lapsing`'s health check ends this month."""
    kinds = {t.code: t for t in CertificateType.objects.filter(region__isnull=True)}
    carer, health = kinds["baoyushi"], kinds["baojian"]
    for employment in Employment.objects.filter(institution=institution).select_related("person"):
        person = employment.person
        checked = today - datetime.timedelta(days=353 if person.name == lapsing else 120)
        HealthCheck.objects.create(
            person=person,
            checked_on=checked,
            examined_by="清城区妇幼保健院",
            valid_until=checked + datetime.timedelta(days=365),
            added_by=operator,
            scan=SimpleUploadedFile("健康证.pdf", DEMO_PDF, "application/pdf"),
            scan_name="健康证.pdf",
            scan_type="application/pdf",
        )
        if employment.role in ("carer", "health") and person.name != "黄保育":
            Certificate.objects.create(
                person=person,
                certificate_type=carer if employment.role == "carer" else health,
                number=f"QC{person.pk:06d}",
                level="四级/中级工" if employment.role == "carer" else "",
                issuer="清远市人力资源和社会保障局",
                issued_on=today - datetime.timedelta(days=700),
                added_by=operator,
            )


def _carer_elsewhere_and_ban(rainbow, operator, police, started) -> None:
    number, name, reason, body = BANNED
    if Ban.objects.filter(name=name).exists():
        return
    # 林保育 is still a carer at the filed institution: refused, and Qingcheng's bureau is told.
    with contextlib.suppress(WorkforceError):
        hire(
            institution=rainbow,
            document_type="ric",
            document_number=ROSTER[1][0],
            name=ROSTER[1][1],
            role="carer",
            starts_on=started,
            acting_user=operator,
            no_criminal_record=NCR,
        )
    if not Person.objects.filter(name=name).exists():
        hire(
            institution=rainbow,
            document_type="ric",
            document_number=number,
            name=name,
            role="cook",
            starts_on=started,
            acting_user=operator,
            no_criminal_record=NCR,
        )
    ban_record(
        document_type="ric",
        document_number=number,
        name=name,
        reason=reason,
        decided_by_body=body,
        decided_on=started + datetime.timedelta(days=300),
        lifetime=True,
        until=None,
        acting_user=police,
    )
