from django.db import migrations


def preset(apps, schema_editor):
    from registry.holidays import load_preset

    load_preset(apps.get_model("registry", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_holiday_calendar")]

    operations = [migrations.RunPython(preset, migrations.RunPython.noop)]
