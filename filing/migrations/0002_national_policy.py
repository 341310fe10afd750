from django.db import migrations

# 托育机构登记和备案办法（试行） lists what a filing carries; the form itself and the commitment are
# filled in online, so these are the uploads.
NATIONAL_MATERIALS = [
    ("registration_certificate", "营业执照、事业单位法人证书或民办非企业单位登记证书", "登记机关颁发的证照扫描件", True),
    ("premises_proof", "场地证明", "房屋产权证明，或租赁合同（租期不少于3年）", True),
    ("staff_certificates", "工作人员专业资格证明及健康合格证明", "保育人员、卫生保健人员等资格证书和健康证明", True),
    ("health_evaluation", "托幼机构卫生评价报告（评价为“合格”）", "妇幼保健机构出具", True),
    ("fire_safety", "消防安全检查合格证明", "消防验收、备案或检查合格的证明材料", True),
    ("other", "其他材料", "当地要求或机构认为需要说明的其他材料", False),
]


def add(apps, schema_editor):
    FilingPolicy = apps.get_model("filing", "FilingPolicy")
    MaterialRequirement = apps.get_model("filing", "MaterialRequirement")
    if not FilingPolicy.objects.filter(region__isnull=True).exists():
        FilingPolicy.objects.create(region=None)
    for position, (code, name, help_text, required) in enumerate(NATIONAL_MATERIALS):
        MaterialRequirement.objects.get_or_create(
            region=None,
            code=code,
            defaults={"name": name, "help_text": help_text, "required": required, "position": position},
        )


def remove(apps, schema_editor):
    apps.get_model("filing", "FilingPolicy").objects.filter(region__isnull=True).delete()
    apps.get_model("filing", "MaterialRequirement").objects.filter(region__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("filing", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
