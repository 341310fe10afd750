"""National checklists for each inspecting department, sourced from the seeds (Qingyuan, Daqing, Linhai,
Shiyan: each department's part) and the national setting standard and management norms; the national
rectification deadlines by severity; the rungs of the overdue-rectification ladder. A jurisdiction adds
its own versions in the admin."""

from django.db import migrations

STANDARD = "《托育机构设置标准（试行）》"
NORMS = "《托育机构管理规范（试行）》"
HYGIENE = "《托儿所幼儿园卫生保健管理办法》"
FIRE_LAW = "《中华人民共和国消防法》"
FOOD_LAW = "《中华人民共和国食品安全法》"
PRICE = "《明码标价和禁止价格欺诈规定》"

CHECKLISTS = [
    (
        "health",
        "health-supervision",
        "卫生保健与综合监督检查",
        [
            (
                "H01",
                "已向县级卫生健康部门备案，备案信息、服务项目和收费标准向社会公示",
                "《托育机构登记和备案办法（试行）》",
                "major",
            ),
            ("H02", "工作人员上岗前经健康检查合格，并每年进行健康检查", NORMS, "serious"),
            ("H03", "按收托规模配备卫生保健人员（50名以下兼职、50名以上专职）", STANDARD, "major"),
            ("H04", "婴幼儿入托前健康检查，晨午检和全日健康观察记录完整", HYGIENE, "major"),
            (
                "H05",
                "传染病疫情报告、隔离、消毒制度落实，发现疑似病例及时报告",
                "《中华人民共和国传染病防治法》",
                "serious",
            ),
            (
                "H06",
                "生活饮用水符合国家卫生标准，供水设施定期清洗消毒",
                "《生活饮用水卫生标准》（GB 5749）",
                "serious",
            ),
            ("H07", "活动室、寝室、玩具和用品定期清洁消毒，有记录", HYGIENE, "minor"),
            ("H08", "保育人员与婴幼儿比例、班级规模符合标准", STANDARD, "major"),
            ("H09", "无虐待、歧视、体罚或变相体罚婴幼儿行为", NORMS, "serious"),
            ("H10", "建立安全管理、突发事件应急预案并定期演练", NORMS, "minor"),
        ],
    ),
    (
        "fire",
        "fire-safety",
        "消防安全检查",
        [
            ("F01", "按规定配置消防设施、器材，并在有效期内保持完好", FIRE_LAW, "serious"),
            ("F02", "安全出口、疏散通道畅通，应急照明和疏散指示标志完好", FIRE_LAW, "serious"),
            (
                "F03",
                "婴幼儿用房不设在地下、半地下，设置楼层符合规范",
                "《建筑设计防火规范》（GB 50016）",
                "serious",
            ),
            ("F04", "电气线路、燃气设施符合安全要求，无私拉乱接、违规使用大功率电器", FIRE_LAW, "major"),
            (
                "F05",
                "每月开展防火检查，每半年至少组织一次消防演练并有记录",
                "《机关、团体、企业、事业单位消防安全管理规定》",
                "minor",
            ),
            ("F06", "明确消防安全责任人、管理人，工作人员经消防安全培训", FIRE_LAW, "minor"),
        ],
    ),
    (
        "market_regulation",
        "food-and-prices",
        "食品安全与价格检查",
        [
            ("M01", "提供餐食的，依法取得食品经营许可或办理备案", FOOD_LAW, "serious"),
            ("M02", "每餐次食品成品留样不少于125克，冷藏保存48小时以上，有留样记录", FOOD_LAW, "major"),
            ("M03", "食品从业人员持有效健康证明", FOOD_LAW, "major"),
            ("M04", "食品原料进货查验、索证索票记录完整，无过期变质食品", FOOD_LAW, "major"),
            ("M05", "收费项目和标准明码标价并在显著位置公示", PRICE, "major"),
            ("M06", "无超出公示标准收费、捆绑收费等价格违法行为", "《中华人民共和国价格法》", "minor"),
        ],
    ),
    (
        "public_security",
        "security",
        "安全防范检查",
        [
            ("P01", "婴幼儿生活和活动区域视频监控全覆盖，录像资料保存不少于90日", NORMS, "serious"),
            ("P02", "配备一键式紧急报警装置并与公安机关联网", NORMS, "major"),
            ("P03", "按规定配备专职保安员，保安员持证上岗", "《保安服务管理条例》", "major"),
            ("P04", "工作人员入职前完成无违法犯罪记录查询", NORMS, "serious"),
            ("P05", "落实门卫登记、封闭管理和婴幼儿接送交接制度", NORMS, "major"),
            ("P06", "配备必要的安全防护器械", NORMS, "minor"),
        ],
    ),
    (
        "education",
        "nursery-class",
        "幼儿园托班检查",
        [
            (
                "E01",
                "托班在登记的幼儿园内开设，并向县级卫生健康部门报告",
                "《托育机构登记和备案办法（试行）》",
                "major",
            ),
            ("E02", "托班每班不超过20人，保育人员配备符合标准", STANDARD, "major"),
            ("E03", "托班生活用房相对独立，设施设备适合3岁以下婴幼儿", STANDARD, "major"),
            ("E04", "保育活动符合婴幼儿发展规律，不开展小学化教育", NORMS, "minor"),
        ],
    ),
]

DEADLINES = [("minor", 30, False), ("major", 15, False), ("serious", 7, True)]

RUNGS = [
    (1, 1, ["operator", "department"]),
    (2, 7, ["reviewer", "department"]),
    (3, 15, ["head"]),
    (4, 30, ["city"]),
]


def install(apps, schema_editor):
    Checklist = apps.get_model("inspections", "Checklist")
    ChecklistItem = apps.get_model("inspections", "ChecklistItem")
    for department, code, name, items in CHECKLISTS:
        checklist, created = Checklist.objects.get_or_create(
            region=None,
            department=department,
            code=code,
            version=1,
            defaults={"name": name, "basis": "；".join(sorted({basis for _c, _t, basis, _s in items}))},
        )
        if created:
            ChecklistItem.objects.bulk_create(
                ChecklistItem(
                    checklist=checklist,
                    code=item_code,
                    text=text,
                    legal_basis=basis,
                    severity=severity,
                    position=position,
                )
                for position, (item_code, text, basis, severity) in enumerate(items, 1)
            )
    RectificationPolicy = apps.get_model("inspections", "RectificationPolicy")
    for severity, days, may_suspend in DEADLINES:
        RectificationPolicy.objects.get_or_create(
            region=None, severity=severity, defaults={"days": days, "may_suspend": may_suspend}
        )
    EscalationRung = apps.get_model("filing", "EscalationRung")
    for rung, days, audience in RUNGS:
        EscalationRung.objects.get_or_create(
            region=None, ladder="rectification", rung=rung, defaults={"days": days, "audience": audience}
        )


def remove(apps, schema_editor):
    apps.get_model("inspections", "Checklist").objects.filter(region=None).delete()
    apps.get_model("inspections", "RectificationPolicy").objects.filter(region=None).delete()
    apps.get_model("filing", "EscalationRung").objects.filter(ladder="rectification").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_supervision"),
        ("filing", "0013_rectification_ladder"),
    ]

    operations = [migrations.RunPython(install, remove)]
