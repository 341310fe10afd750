"""National assessment rules (the preset's own choice, no seed sets them: 15 days to appeal a published grade,
a pass holds 36 months, a fail is re-assessed within 6), the rungs of the re-assessment ladder, and what
the national rubric's requirements are prefilled from."""

from django.db import migrations

RUNGS = [(1, 0, ["operator", "reviewer"]), (2, 30, ["reviewer", "head"]), (3, 90, ["city"])]

PREFILL = {
    "1.1": "filing",
    "1.6": "classes",
    "2.1": "staff_health",
    "2.2": "staff_background",
    "2.4": "staff_training",
    "4.1": "health_staff",
    "4.3": "inspection:health",
    "4.4": "inspection:market_regulation",
    "6.1": "inspection:public_security",
    "6.3": "inspection:fire",
}


def install(apps, schema_editor):
    apps.get_model("inspections", "AssessmentPolicy").objects.get_or_create(
        region=None, defaults={"appeal_days": 15, "pass_valid_months": 36, "fail_reassess_months": 6}
    )
    EscalationRung = apps.get_model("filing", "EscalationRung")
    for rung, days, audience in RUNGS:
        EscalationRung.objects.get_or_create(
            region=None, ladder="reassessment", rung=rung, defaults={"days": days, "audience": audience}
        )
    Requirement = apps.get_model("inspections", "RubricRequirement")
    for code, source in PREFILL.items():
        Requirement.objects.filter(rubric__region=None, rubric__code="wst821", code=code).update(prefill=source)


def remove(apps, schema_editor):
    apps.get_model("inspections", "AssessmentPolicy").objects.filter(region=None).delete()
    apps.get_model("filing", "EscalationRung").objects.filter(ladder="reassessment").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0008_assessment_appeals_policy"),
        ("filing", "0015_assessment_appeals_policy"),
    ]

    operations = [migrations.RunPython(install, remove)]
