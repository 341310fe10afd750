"""The national target as a preset: 4.5 slots for children under 3 per 1,000 population by 2025 (the
national 14th five-year plan for public services; the State Council's 2021 plan). A region adds its own
targets as data (Linhai's are in the demo)."""

from django.db import migrations


def preset(apps, schema_editor):
    SupplyTarget = apps.get_model("subsidies", "SupplyTarget")
    if not SupplyTarget.objects.filter(region__isnull=True).exists():
        SupplyTarget.objects.create(region=None, by_year=2025, slots_per_1000_population="4.5")


def remove(apps, schema_editor):
    apps.get_model("subsidies", "SupplyTarget").objects.filter(region__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0003_indicators")]

    operations = [migrations.RunPython(preset, remove)]
