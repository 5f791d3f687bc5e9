"""PostgreSQL: a trigram index over the search text of the public versions only (`WHERE is_public`).

The portal searches only public versions (`ProcedureVersion.objects.published()` filters on is_public): with this
partial index the bitmap scan of a common query no longer fetches the amended versions and drafts that share its
words, only to drop them (12% of the candidates in bench/bench_search.py, ~4 ms of its 35). The full index of
0003 stays for the registry's own search, over every version. Nothing on SQLite: its FTS5 candidates are
filtered on the row (procedures/search.py).
"""

from django.db import migrations

TABLE = "procedures_procedureversion"
PG_INDEX = "procversion_public_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} USING gin (search_text gin_trgm_ops) WHERE is_public"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("procedures", "0004_version_is_public")]
    operations = [migrations.RunPython(create, drop)]
