"""The national quality-assessment rubric: the seven dimensions of WS/T 821-2023 (托育机构质量评估标准), with
requirements taken from that standard's structure, the national setting standard (托育机构设置标准（试行）),
the management norms (托育机构管理规范（试行）) and the registration and filing rules. The points, the veto
requirements and the grade bands are this platform's preset (a jurisdiction adopts and changes them)."""

from decimal import Decimal

from django.db import migrations

WST821 = "WS/T 821—2023 托育机构质量评估标准"
STANDARD = "托育机构设置标准（试行）"
NORMS = "托育机构管理规范（试行）"
FILING = "托育机构登记和备案办法（试行）"
HYGIENE = "托儿所幼儿园卫生保健管理办法"

# (code, dimension, [(code, requirement, how to verify, points, veto, source)])
DIMENSIONS = [
    ("D1", "办托条件", [
        ("1.1", "登记的业务范围包含托育服务，并已向县级卫生健康部门备案", "查营业执照或登记证书、备案回执", 3, True, FILING),
        ("1.2", "婴幼儿生活用房设在三层及以下，不设在地下室或半地下室", "现场查看", 4, True, STANDARD),
        ("1.3", "生活用房采光窗洞口面积不小于该房间地面面积的20%", "现场测量，查建筑图纸", 3, False, STANDARD),
        ("1.4", "有室外活动场地或就近可用的替代场地，人均面积符合要求", "现场查看", 3, False, STANDARD),
        ("1.5", "设施设备、玩具和图书适合3岁以下婴幼儿，安全、无毒", "现场查看，查采购凭证", 4, False, WST821),
        ("1.6", "按月龄设置乳儿班、托小班、托大班，班额符合标准", "查班级名册", 3, False, STANDARD),
    ]),
    ("D2", "托育队伍", [
        ("2.1", "全体工作人员持有效健康证明", "查健康证明", 4, True, NORMS),
        ("2.2", "全体工作人员经无违法犯罪记录查询", "查无犯罪记录证明", 4, True, NORMS),
        ("2.3", "保育人员与婴幼儿比例符合标准（乳儿班1:3、托小班1:5、托大班1:7）", "查排班表和名册", 4, False, STANDARD),
        ("2.4", "工作人员参加岗前培训和在职培训", "查培训记录", 3, False, WST821),
    ]),
    ("D3", "保育照护", [
        ("3.1", "制定并落实一日生活安排，动静交替、室内外活动结合", "查计划，现场观察", 5, False, WST821),
        ("3.2", "无虐待、歧视、体罚或变相体罚婴幼儿行为", "现场观察，调阅录像，访谈家长", 5, True, NORMS),
        ("3.3", "开展适合月龄的游戏活动，促进动作、语言、认知和社会性发展", "查活动记录，现场观察", 5, False, WST821),
    ]),
    ("D4", "卫生保健", [
        ("4.1", "按规定配备卫生保健人员", "查人员名册", 3, False, STANDARD),
        ("4.2", "入托体检、晨午检和全日健康观察记录完整", "查记录", 4, False, HYGIENE),
        ("4.3", "传染病防控和消毒制度落实", "查记录，现场查看", 4, False, HYGIENE),
        ("4.4", "提供带量食谱，餐食留样", "查食谱和留样记录", 4, False, WST821),
    ]),
    ("D5", "养育支持", [
        ("5.1", "建立家长沟通制度，定期反馈婴幼儿发展情况", "查记录，访谈家长", 5, False, WST821),
        ("5.2", "为家庭提供科学育儿指导", "查活动记录", 5, False, WST821),
    ]),
    ("D6", "安全保障", [
        ("6.1", "婴幼儿生活和活动区域视频监控全覆盖，录像资料保存不少于90日", "现场查看，调阅录像", 4, True, NORMS),
        ("6.2", "配备一键式紧急报警装置", "现场测试", 3, False, NORMS),
        ("6.3", "消防设施完好，疏散通道畅通，定期开展演练", "现场查看，查演练记录", 4, False, NORMS),
        ("6.4", "落实门卫登记和接送交接制度", "查记录", 4, False, NORMS),
    ]),
    ("D7", "机构管理", [
        ("7.1", "收托、安全、卫生保健、财务等管理制度健全", "查制度文本", 4, False, NORMS),
        ("7.2", "收费项目和标准公示", "现场查看", 3, False, NORMS),
        ("7.3", "信息公示和年度报告按时报送", "查公示和年度报告", 3, False, FILING),
    ]),
]
BANDS = [("优秀", 90, True), ("良好", 75, True), ("合格", 60, True), ("不合格", 0, False)]


def install(apps, schema_editor):
    Rubric = apps.get_model("inspections", "Rubric")
    if Rubric.objects.filter(region=None, code="wst821").exists():
        return
    rubric = Rubric.objects.create(
        region=None,
        code="wst821",
        name="托育机构质量评估（WS/T 821—2023）",
        version=1,
        current=True,
        sources="；".join([WST821, STANDARD, NORMS, FILING, HYGIENE])
        + "。分值、否决项和等级划分为平台预设，各地可调整。",
    )
    Dimension = apps.get_model("inspections", "RubricDimension")
    Requirement = apps.get_model("inspections", "RubricRequirement")
    position = 0
    for d_position, (d_code, d_name, requirements) in enumerate(DIMENSIONS, 1):
        dimension = Dimension.objects.create(rubric=rubric, code=d_code, name=d_name, position=d_position)
        for code, text, verify, points, veto, source in requirements:
            position += 1
            Requirement.objects.create(
                rubric=rubric,
                dimension=dimension,
                code=code,
                text=text,
                how_to_verify=verify,
                points=Decimal(points),
                veto=veto,
                source=source,
                position=position,
            )
    Band = apps.get_model("inspections", "GradeBand")
    for grade, minimum, passing in BANDS:
        Band.objects.create(rubric=rubric, grade=grade, min_percent=Decimal(minimum), passing=passing)


def remove(apps, schema_editor):
    apps.get_model("inspections", "Rubric").objects.filter(region=None, code="wst821").delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0005_assessment_rubrics")]

    operations = [migrations.RunPython(install, remove)]
