from django.db import migrations

from registry.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_admin_list_indexes")]

    operations = [
        trigram_indexes(
            ("registry_institution", "name"),
            ("registry_institution", "address"),
            ("registry_registration", "name"),
            ("registry_registration", "legal_representative"),
            ("registry_registration", "address"),
        )
    ]
