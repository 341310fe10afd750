"""Trigram indexes for the admin's substring search on PostgreSQL. Django's `icontains` there compares
`UPPER(column::text) LIKE UPPER('%term%')`, so each index is on that same expression with gin_trgm_ops.
Other databases (the embedded SQLite default) keep the plain scan: migrations skip them."""

from django.db import migrations


def index_name(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"[:63]


def trigram_indexes(*columns: tuple[str, str]) -> migrations.RunPython:
    """A migration operation creating pg_trgm and one GIN index per (table, column), on PostgreSQL only."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{index_name(table, column)}" ON "{table}" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{index_name(table, column)}"')

    return migrations.RunPython(create, drop, elidable=False)
