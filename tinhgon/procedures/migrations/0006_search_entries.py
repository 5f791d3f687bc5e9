"""The public search moves to a narrow copy of the versions in force: SearchEntry (procedures/models.py).

- Fills it from the public versions (`is_public`), with their owner.
- SQLite: an FTS5 table with the trigram tokenizer over its search_text (external content, kept by triggers), in
  place of the one over every version's search_text (migration 0003), which goes with its fts5vocab table: the
  search's word frequencies now come from a sample (procedures/search.py), as reading them from fts5vocab walked
  the whole document list of each common trigram (~15 ms a search on 100,000 procedures).
- PostgreSQL: a trigram GIN index over its search_text, in place of the partial index of 0005. The full index of
  0003 stays for the registry's own search over every version.

The SQL is a frozen copy of search.py's constants, as migrations must not follow later code changes. The reverse
puts the objects of 0003 and 0005 back.
"""

import django.db.models.deletion
from django.db import migrations, models

import tinhgon.core.fts

VERSIONS = "procedures_procedureversion"
OLD_FTS = f"{VERSIONS}_fts"
ENTRIES = "procedures_searchentry"
FTS = f"{ENTRIES}_fts"

FILL = (
    f'INSERT INTO {ENTRIES} (version_id, search_text, text_length, field_id, "group", level, owner_id) '
    f'SELECT v.id, v.search_text, LENGTH(v.search_text), v.field_id, v."group", v.level, p.owner_id '
    f"FROM {VERSIONS} v "
    "INNER JOIN procedures_procedure p ON p.id = v.procedure_id WHERE v.is_public"
)


def fts_objects(table, fts):
    key = "version_id" if table == ENTRIES else "id"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(search_text, content='{table}', "
        f"content_rowid='{key}', tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.{key}, new.search_text); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.{key}, old.search_text); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF search_text ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.{key}, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.{key}, new.search_text); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def drop_fts(fts):
    return [f"DROP TRIGGER IF EXISTS {fts}_{suffix}" for suffix in ("ai", "ad", "au")] + [
        f"DROP TABLE IF EXISTS {fts}_vocab",
        f"DROP TABLE IF EXISTS {fts}",
    ]


FORWARD = {
    "sqlite": [FILL, *drop_fts(OLD_FTS), *fts_objects(ENTRIES, FTS)],
    "postgresql": [
        FILL,
        "DROP INDEX IF EXISTS procversion_public_search_trgm",
        f"CREATE INDEX IF NOT EXISTS searchentry_trgm ON {ENTRIES} USING gin (search_text gin_trgm_ops)",
    ],
}
REVERSE = {
    "sqlite": [
        *drop_fts(FTS),
        *fts_objects(VERSIONS, OLD_FTS)[:-1],
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {OLD_FTS}_vocab USING fts5vocab({OLD_FTS}, 'row')",
        fts_objects(VERSIONS, OLD_FTS)[-1],
    ],
    "postgresql": [
        "DROP INDEX IF EXISTS searchentry_trgm",
        f"CREATE INDEX IF NOT EXISTS procversion_public_search_trgm ON {VERSIONS} "
        "USING gin (search_text gin_trgm_ops) WHERE is_public",
    ],
}


def run(statements_by_vendor):
    def _run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return _run


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("procedures", "0005_public_search_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "version",
                    tinhgon.core.fts.RowidOneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="procedures.procedureversion",
                    ),
                ),
                ("search_text", models.TextField()),
                ("text_length", models.PositiveIntegerField()),
                (
                    "group",
                    models.CharField(
                        choices=[
                            ("A", "Nhóm A: giữa các cơ quan hành chính nhà nước"),
                            ("B", "Nhóm B: trong 01 cơ quan hành chính nhà nước"),
                        ],
                        max_length=1,
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("central", "Cấp trung ương"),
                            ("province", "Cấp tỉnh"),
                            ("district", "Cấp huyện (trước 01/7/2025)"),
                            ("commune", "Cấp xã"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "field",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="procedures.field",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "mục tra cứu công khai",
                "verbose_name_plural": "mục tra cứu công khai",
            },
        ),
        migrations.CreateModel(
            name="SearchEntryText",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="fts",
                        serialize=False,
                        to="procedures.searchentry",
                    ),
                ),
                ("text", tinhgon.core.fts.FullTextField(db_column="procedures_searchentry_fts")),
            ],
            options={
                "db_table": "procedures_searchentry_fts",
                "managed": False,
            },
        ),
        migrations.RunPython(run(FORWARD), run(REVERSE)),
    ]
