"""The national escalation ladders. The policies say only that institutions file "in time" (及时) and that
reviews keep their limit, so these are the platform's presets; each jurisdiction edits its own."""

from django.db import migrations

# ladder -> [(rung, days, audience)]
LADDERS = {
    # days since registration
    "unfiled": [(1, 30, ["operator", "reviewer"]), (2, 60, ["operator", "head"]), (3, 90, ["city"])],
    # working days past the review limit
    "review_overdue": [(1, 0, ["reviewer"]), (2, 3, ["head"]), (3, 10, ["city"])],
    # days since the filing was returned
    "returned": [(1, 10, ["operator"]), (2, 20, ["operator", "reviewer"]), (3, 30, ["head"])],
}


def install(apps, schema_editor):
    EscalationRung = apps.get_model("filing", "EscalationRung")
    for ladder, rungs in LADDERS.items():
        for rung, days, audience in rungs:
            EscalationRung.objects.get_or_create(
                region=None, ladder=ladder, rung=rung, defaults={"days": days, "audience": audience}
            )


def remove(apps, schema_editor):
    apps.get_model("filing", "EscalationRung").objects.filter(region=None).delete()


class Migration(migrations.Migration):
    dependencies = [("filing", "0003_monthly_reports_and_escalation")]
    operations = [migrations.RunPython(install, remove)]
