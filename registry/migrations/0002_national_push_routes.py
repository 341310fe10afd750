from django.db import migrations

# The national rules: which registration body registers which kind of institution.
NATIONAL_RULES = [
    ("establishment", "public_institution"),
    ("civil_affairs", "social_service"),
    ("market_regulation", "enterprise"),
    ("admin_approval", "social_service"),
    ("admin_approval", "enterprise"),
    ("education", "kindergarten"),
]


def add_rules(apps, schema_editor):
    PushRoute = apps.get_model("registry", "PushRoute")
    for kind, route in NATIONAL_RULES:
        PushRoute.objects.get_or_create(region=None, authority_kind=kind, route=route, defaults={"allowed": True})


def remove_rules(apps, schema_editor):
    PushRoute = apps.get_model("registry", "PushRoute")
    for kind, route in NATIONAL_RULES:
        PushRoute.objects.filter(region=None, authority_kind=kind, route=route).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(add_rules, remove_rules)]
