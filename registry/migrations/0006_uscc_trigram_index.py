from django.db import migrations

from registry.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_search_trigram_indexes")]

    # Part of a USCC typed into the institution list's search.
    operations = [trigram_indexes(("registry_institution", "uscc"))]
