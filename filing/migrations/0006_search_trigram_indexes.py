from django.db import migrations

from registry.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("filing", "0005_filing_review_order"), ("registry", "0005_search_trigram_indexes")]

    operations = [trigram_indexes(("filing_filing", "name"), ("filing_filing", "address"))]
