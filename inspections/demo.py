"""Demo supervision in 清城区 (441802): department logins `fire-441802`, `market-441802`,
`education-441802` (and `police-441802` from the staff register), each with a colleague to inspect in
pairs; a fire inspection of 小树苗 (operator-demo's institution) with an open rectification; a market
regulation inspection of 清城区妇幼保健院附属托育园 whose rectification is overdue (and has climbed its
ladder); a public security inspection there whose rectification is answered, awaiting verification; a
passed, published health inspection; a fire 双随机 plan with one verified draw; complaints in every state
(received, routed to market regulation, answered and upheld into a credit record, not accepted); a health
evaluation by 清城区妇幼保健院 (`mch-441802`); a serious sanction on the home-based care point (on its public
page) and a commendation. Safe to run again."""

import base64
import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from registry.demo import DEMO_PASSWORD
from registry.models import Authority, Institution, Region, User
from registry.roles import Role
from registry.selectors import operators_by_institution
from registry.services import staff_user_ensure
from registry.uscc import uscc_with_check

from .models import CreditRecord, Inspection, InspectionPlan, Outcome, Rectification, Result, Rubric
from .selectors import checklists_for
from .services import (
    appeal_lodge,
    assessment_publish,
    assessment_score,
    complaint_answer,
    complaint_decline,
    complaint_route,
    complaint_submit,
    credit_record_add,
    draw_commit,
    draw_perform,
    escalate_rectifications,
    evaluation_record,
    evidence_add,
    findings_save,
    inspection_record,
    inspection_start,
    rectification_answer,
    round_open,
    self_assessment_save,
)

K = Authority.Kind
COUNTY = "441802"
# A 1×1 PNG, as a phone photo would arrive.
DEMO_PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
DEPARTMENTS = [
    (
        K.FIRE,
        Role.FIRE,
        "fire",
        ("清城区消防救援大队监督员", "清城区消防救援大队监督员（二）", "清城区消防救援大队监督员（三）"),
    ),
    (
        K.MARKET_REGULATION,
        Role.MARKET_REGULATION,
        "market",
        ("清城区市场监管局执法员", "清城区市场监管局执法员（二）"),
    ),
    (K.EDUCATION, Role.EDUCATION, "education", ("清城区教育局托幼专干", "清城区教育局托幼专干（二）")),
    (K.PUBLIC_SECURITY, Role.PUBLIC_SECURITY, "police", ("清城区公安分局民警", "清城区公安分局民警（二）")),
    (K.HEALTH, Role.COUNTY_HEALTH, "health", ("清城区卫健局审核员", "清城区卫健局监督员")),
]
SMALL_TREE = "91441802MATY00001"
FILED = "12441802MBTY00004"
HOME_POINT = "92441802MATY00014"
RAINBOW = "91441802MATY00006"


def _team(kind, role, prefix, names) -> list[User]:
    authority = Authority.objects.get(kind=kind, region_id=COUNTY)
    team = []
    for n, name in enumerate(names):
        username = f"{prefix}-{COUNTY}" if n == 0 else f"{prefix}-{COUNTY}-{n + 1}"
        user, _created = staff_user_ensure(
            username=username,
            authority=authority,
            role=role,
            password=DEMO_PASSWORD if n == 0 else None,
            full_name=name,
        )
        team.append(user)
    return team


def _inspect(team, uscc, department, *, days_ago, failing, notes, outcome, summary="") -> Inspection:
    institution = Institution.objects.get(uscc=uscc_with_check(uscc))
    checklist = next(iter(checklists_for(COUNTY, department).values()))
    inspection = inspection_start(
        institution=institution,
        checklist=checklist,
        inspectors=team[:2],
        inspected_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        acting_user=team[0],
    )
    findings = list(inspection.findings.all())
    marks = {}
    for finding in findings:
        if finding.code in failing:
            marks[finding.pk] = (Result.NON_COMPLIANT, notes[finding.code])
        else:
            marks[finding.pk] = (Result.COMPLIANT, "")
    photos = {
        f.pk: [SimpleUploadedFile(f"{f.code}-现场照片.png", DEMO_PHOTO, content_type="image/png")]
        for f in findings
        if f.code in failing
    }
    findings_save(inspection=inspection, marks=marks, photos=photos, acting_user=team[0])
    return inspection_record(inspection=inspection, outcome=outcome, summary=summary, acting_user=team[0])


@transaction.atomic
def load(*, stdout) -> None:
    teams = {prefix: _team(kind, role, prefix, names) for kind, role, prefix, names in DEPARTMENTS}
    if Inspection.objects.filter(region_id=COUNTY).exists():
        stdout.write("Supervision demo already loaded.")
        return
    _inspect(
        teams["fire"],
        SMALL_TREE,
        K.FIRE,
        days_ago=3,
        failing={"F01"},
        notes={"F01": "二楼活动室灭火器2具压力不足，已过检验期"},
        outcome=Outcome.RECTIFY,
        summary="疏散通道畅通；灭火器需更换。",
    )
    _inspect(
        teams["market"],
        FILED,
        K.MARKET_REGULATION,
        days_ago=40,
        failing={"M02"},
        notes={"M02": "近三日午餐无留样记录"},
        outcome=Outcome.RECTIFY,
    )
    security = _inspect(
        teams["police"],
        FILED,
        K.PUBLIC_SECURITY,
        days_ago=10,
        failing={"P02"},
        notes={"P02": "一键报警装置未与公安机关联网"},
        outcome=Outcome.RECTIFY,
    )
    _inspect(teams["health"], FILED, K.HEALTH, days_ago=20, failing=set(), notes={}, outcome=Outcome.PASSED)
    institution = security.institution
    operators = operators_by_institution([institution.pk]).get(institution.pk, [])
    if operators:
        operator = User.objects.get(pk=operators[0])
        rectification_answer(
            rectification=Rectification.objects.get(inspection=security),
            text="已与辖区派出所联网调试，报警测试正常。",
            files=[SimpleUploadedFile("联网回执.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
            acting_user=operator,
        )
    fire = teams["fire"]
    plan = InspectionPlan.objects.create(
        authority=fire[0].authority,
        department=K.FIRE,
        region_id=COUNTY,
        title="2026年第四季度清城区托育机构消防安全“双随机”抽查",
        stratum=InspectionPlan.Stratum.REGISTERED,
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
        sample_size=2,
        checklist_code="fire-safety",
        created_by=fire[0],
    )
    plan.inspectors.set(fire)
    draw = draw_perform(draw=draw_commit(plan=plan, acting_user=fire[0]), acting_user=fire[0])
    fired = escalate_rectifications()
    complaints = _complaints(teams)
    _evaluation_and_credit(teams)
    _assessments(teams)
    stdout.write(
        f"Supervision demo: 4 inspections, draw {draw.pk} of {len(draw.roster)} sites "
        f"(verify: manage.py verify_draw {draw.pk}), {fired['rectification']} escalation steps, "
        f"{complaints} complaints (tracking codes in the admin), a health evaluation, credit records."
    )


def _complaints(teams) -> int:
    health = teams["health"][0]
    complaint_submit(
        region_code=COUNTY,
        institution_text="小树苗托育",
        what_happened="傍晚接孩子时看到教室里只有一名老师照看十几个孩子，孩子哭闹无人处理。",
        contact_phone="13800000000",
    )
    routed = complaint_submit(
        region_code=COUNTY,
        institution_text="清城区妇幼保健院附属托育园",
        what_happened="食堂后门堆放过期的牛奶和面包，担心给孩子食用。",
        contact_name="李女士",
    )
    complaint_route(
        complaint=routed,
        department=K.MARKET_REGULATION,
        note="请核查食品留样和原料台账。",
        acting_user=health,
    )
    answered = complaint_submit(
        region_code=COUNTY,
        institution_text=uscc_with_check(FILED),
        what_happened="收费公示表上的月费和实际收取的不一致，多收了两百元材料费。",
    )
    complaint_route(complaint=answered, department=K.MARKET_REGULATION, acting_user=health)
    complaint_answer(
        complaint=answered,
        reply="经核查，该园未公示材料费，已责令退还多收费用并在显著位置公示收费项目。",
        upheld=True,
        credit_severity="minor",
        acting_user=teams["market"][0],
    )
    declined = complaint_submit(
        region_code=COUNTY,
        institution_text="某培训学校",
        what_happened="周末兴趣班老师态度不好，希望处理一下。",
    )
    complaint_decline(
        complaint=declined,
        reason="该机构为校外培训机构，不属于托育机构，请向教育部门反映。",
        acting_user=health,
    )
    return 4


def _assessments(teams) -> None:
    """A quality-assessment round in Qingcheng assessed by a third-party body engaged by Qingyuan, with an
    assessment in every state: published; failed on a veto requirement, published and appealed; scored and
    awaiting publication; the self-assessment still under way."""
    city = Region.objects.get(pk="441800")
    body, _created = Authority.objects.get_or_create(
        kind=K.ASSESSMENT_BODY, region=city, defaults={"name": "清远市托育服务质量评估中心"}
    )
    assessor, _created = staff_user_ensure(
        username="assessor-441800",
        authority=body,
        role=Role.ASSESSOR,
        password=DEMO_PASSWORD,
        full_name="评估中心评估员",
    )
    today = timezone.localdate()
    health = teams["health"][0]
    assessment_round = round_open(
        title="2026年清城区托育机构质量评估",
        region=Region.objects.get(pk=COUNTY),
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
        rubric=Rubric.objects.get(region=None, code="wst821", current=True),
        assessor=body,
        acting_user=health,
    )
    operators = operators_by_institution(
        list(assessment_round.assessments.values_list("institution_id", flat=True))
    )
    shortfalls = {
        FILED: {"1.3": 1, "5.2": 2, "7.3": 0, "2.4": 1, "4.4": 2},
        HOME_POINT: {"6.1": 2, "6.2": 0},
        RAINBOW: {},
    }
    for assessment in assessment_round.assessments.select_related("institution"):
        first17 = assessment.institution.uscc[:17]
        operator = User.objects.get(pk=operators[assessment.institution_id][0])
        if first17 not in shortfalls:
            _self_assessing(assessment, operator)
            continue
        short = shortfalls[first17]
        self_assessment_save(
            assessment=assessment,
            answers={
                i.pk: (i.self_answer or ("not_met" if i.code in short else "met"), i.self_note)
                for i in assessment.items.all()
            },
            submit=True,
            acting_user=operator,
        )
        assessment_score(
            assessment=assessment,
            scores={
                i.pk: (str(short.get(i.code, i.points)), "现场核查" if i.code in short else "")
                for i in assessment.items.all()
            },
            acting_user=assessor,
        )
        if first17 == HOME_POINT:
            evidence_add(
                item=assessment.items.get(code="6.1"),
                files=[SimpleUploadedFile("睡眠室监控-现场照片.png", DEMO_PHOTO, content_type="image/png")],
                acting_user=assessor,
            )
        if first17 in (FILED, HOME_POINT):
            assessment_publish(assessment=assessment, acting_user=health)
        if first17 == HOME_POINT:
            appeal_lodge(
                assessment=assessment,
                reason="6.1 视频监控：评估当日睡眠室摄像头因停电暂停录像，次日已恢复，另有90日录像可供调阅，"
                "请求重新核查并调整评分。",
                acting_user=operator,
            )


def _self_assessing(assessment, operator) -> None:
    """Half the requirements answered (the prefilled ones kept), one with a note: saved, not submitted."""
    items = list(assessment.items.all())
    answers = {i.pk: (i.self_answer, i.self_note) for i in items}
    for item in items[: len(items) // 2]:
        answers[item.pk] = (answers[item.pk][0] or "met", answers[item.pk][1])
    answers[items[0].pk] = (answers[items[0].pk][0], "营业执照经营范围含“托育服务”，备案回执已张贴于门厅。")
    self_assessment_save(assessment=assessment, answers=answers, acting_user=operator)
    evidence_add(
        item=items[0],
        files=[SimpleUploadedFile("营业执照.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
        acting_user=operator,
    )


def _evaluation_and_credit(teams) -> None:
    mch = Authority.objects.get(kind=K.MCH, region_id=COUNTY)
    evaluator, _created = staff_user_ensure(
        username=f"mch-{COUNTY}",
        authority=mch,
        role=Role.MCH,
        password=DEMO_PASSWORD,
        full_name="清城区妇幼保健院评价员",
    )
    filed = Institution.objects.get(uscc=uscc_with_check(FILED))
    today = timezone.localdate()
    evaluation_record(
        institution=filed,
        evaluated_on=today - datetime.timedelta(days=60),
        result="pass",
        valid_until=today + datetime.timedelta(days=305),
        report_number="QCFY-2026-031",
        report=SimpleUploadedFile("卫生评价报告.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        acting_user=evaluator,
    )
    health = teams["health"][0]
    home_point = Institution.objects.get(uscc=uscc_with_check("92441802MATY00014"))
    credit_record_add(
        institution=home_point,
        kind=CreditRecord.Kind.SANCTION,
        severity=CreditRecord.Severity.SERIOUS,
        description="超出备案规模收托婴幼儿，且未配备持证保育人员，依法给予警告并处罚款。",
        decided_by_body="清远市清城区卫生健康局",
        decided_on=today - datetime.timedelta(days=15),
        valid_until=today + datetime.timedelta(days=350),
        acting_user=health,
    )
    credit_record_add(
        institution=filed,
        kind=CreditRecord.Kind.COMMENDATION,
        severity=CreditRecord.Severity.GOOD,
        description="2026年度清远市普惠托育示范机构。",
        decided_by_body="清远市卫生健康委员会",
        decided_on=today - datetime.timedelta(days=30),
        valid_until=None,
        acting_user=health,
    )
