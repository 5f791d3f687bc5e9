"""Indexes for the Vietnamese search over ProcedureVersion.search_text (tinhgon/procedures/search.py).

- PostgreSQL: the pg_trgm extension and a GIN gin_trgm_ops index, used by `search_text LIKE '%word%'` (exact stage)
  and `search_text %> 'query'` (typo stage).
- SQLite: an FTS5 table with the trigram tokenizer over the column (external content, kept in sync by triggers),
  and an fts5vocab table that gives each trigram's document count (rarest-trigram candidates of the typo stage).

search_text is filled by ProcedureVersion.save(). `bulk_create()` and `QuerySet.update()` bypass save(): those paths
must set search_text themselves (`version.search_text = version.folded_text()`, or fold_vn of the same fields).
The SQLite triggers fire on any INSERT/DELETE and on UPDATEs that set search_text, so bulk paths stay indexed once
the column is right. A later migration that makes Django rebuild the SQLite table drops the triggers;
`search.repair_sqlite_fts` (post_migrate) re-creates them.

The SQL below is a frozen copy of search.py's constants, as migrations must not follow later code changes. The
reverse drops the index, tables and triggers; it keeps the pg_trgm extension, which other indexes may use.
"""

from django.db import migrations

TABLE = "procedures_procedureversion"
FTS = f"{TABLE}_fts"
VOCAB = f"{TABLE}_fts_vocab"
PG_INDEX = "procversion_search_trgm"

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(search_text, content='{TABLE}', content_rowid='id', "
    "tokenize='trigram')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB} USING fts5vocab({FTS}, 'row')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_ai AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_au AFTER UPDATE OF search_text ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {VOCAB}",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} USING gin (search_text gin_trgm_ops)",
]
POSTGRESQL_REVERSE = [f"DROP INDEX IF EXISTS {PG_INDEX}"]


def run(statements_by_vendor):
    def _run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return _run


class Migration(migrations.Migration):
    dependencies = [("procedures", "0002_seed_fields")]
    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
