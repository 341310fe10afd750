"""The national certificate types and the escalation ladders for lapsing health checks and certificates.
Jurisdictions add their own certificate types and replace rungs in the admin."""

from django.db import migrations

# code, name, roles it qualifies for, levels
CERTIFICATE_TYPES = [
    ("baoyushi", "保育师职业技能等级证书", ["carer"], "五级/初级工、四级/中级工、三级/高级工、二级/技师、一级/高级技师"),
    ("yuyingyuan", "育婴员职业技能等级证书", ["carer"], "五级/初级工、四级/中级工、三级/高级工"),
    ("baoyuyuan", "保育员证", ["carer"], "初级、中级、高级"),
    ("yindaoyuan", "婴幼儿发展引导员职业技能等级证书", ["carer"], "初级、中级、高级"),
    ("zhaohushi", "健康照护师职业技能等级证书", ["carer", "health"], "五级、四级、三级、二级、一级"),
    ("jiaoshi", "教师资格证（幼儿园）", ["carer", "management"], ""),
    ("baojian", "托幼机构卫生保健人员培训合格证", ["health"], ""),
    ("hushi", "护士执业证书", ["health"], ""),
    ("yishi", "医师执业证书", ["health"], ""),
    ("baoanyuan", "保安员证", ["security"], ""),
    ("fuzeren", "托育机构负责人培训合格证书", ["management"], ""),
]

# ladder -> [(rung, days, audience)]: days from 30 days before the health check or certificate lapses.
LADDERS = {
    "health_check": [(1, 0, ["operator"]), (2, 30, ["operator", "reviewer"]), (3, 60, ["reviewer", "head"])],
    "certificate": [(1, 0, ["operator"]), (2, 30, ["operator", "reviewer"]), (3, 90, ["reviewer"])],
}


def install(apps, schema_editor):
    CertificateType = apps.get_model("workforce", "CertificateType")
    for position, (code, name, roles, levels) in enumerate(CERTIFICATE_TYPES, 1):
        CertificateType.objects.get_or_create(
            region=None, code=code, defaults={"name": name, "roles": roles, "levels": levels, "position": position}
        )
    EscalationRung = apps.get_model("filing", "EscalationRung")
    for ladder, rungs in LADDERS.items():
        for rung, days, audience in rungs:
            EscalationRung.objects.get_or_create(
                region=None, ladder=ladder, rung=rung, defaults={"days": days, "audience": audience}
            )


def remove(apps, schema_editor):
    apps.get_model("workforce", "CertificateType").objects.filter(region=None).delete()
    apps.get_model("filing", "EscalationRung").objects.filter(ladder__in=list(LADDERS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0002_certificates_health_checks_training"),
        ("filing", "0012_staff_register"),
    ]
    operations = [migrations.RunPython(install, remove)]
