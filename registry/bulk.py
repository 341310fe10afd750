"""Updating many rows in one statement per chunk.

Django's bulk_update builds a CASE expression per field over every row, which costs seconds of Python
for a thousand rows. PostgreSQL and SQLite (3.33+) both take `UPDATE … FROM (VALUES …)`, which costs one
parameter per value."""

from django.db import connection, transaction

SQLITE_MAX_VARIABLES = 32766


def bulk_update_rows(model, objs: list, fields: list[str], *, batch_size: int = 500) -> None:
    """Write `fields` of each object (by primary key) to the database; no signals, no history."""
    if not objs:
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    postgres = connection.vendor == "postgresql"
    if postgres:
        # Casts type the VALUES columns, so a first row holding NULL does not make a column text.
        placeholder = "(" + ", ".join(f"%s::{c.db_type(connection)}" for c in columns) + ")"
        names = ", ".join(quote(c.column) for c in columns)
        source = f"AS v ({names})"
        ref = {c.column: f"v.{quote(c.column)}" for c in columns}
    else:
        placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
        source = "AS v"
        ref = {c.column: f"v.column{i}" for i, c in enumerate(columns, start=1)}
        batch_size = min(batch_size, SQLITE_MAX_VARIABLES // len(columns))
    assignments = ", ".join(f"{quote(c.column)} = {ref[c.column]}" for c in columns[1:])
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            chunk = objs[start : start + batch_size]
            params = [
                column.get_db_prep_save(getattr(obj, column.attname), connection)
                for obj in chunk
                for column in columns
            ]
            values = ", ".join([placeholder] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) {source} "
                f"WHERE {table}.{quote(meta.pk.column)} = {ref[meta.pk.column]}",
                params,
            )
