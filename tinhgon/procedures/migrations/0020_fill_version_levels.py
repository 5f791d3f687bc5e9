from django.db import migrations

CHUNK = 2000


def fill(apps, schema_editor):
    """Each existing version gets its one level row: its level with its performing body (derived rows: no audit
    entry, like the other bulk paths that copy what a version already says)."""
    ProcedureVersion = apps.get_model("procedures", "ProcedureVersion")
    VersionLevel = apps.get_model("procedures", "VersionLevel")
    rows = ProcedureVersion.objects.exclude(level="").values_list("pk", "level", "performing_body").order_by("pk")
    batch = []
    for pk, level, body in rows.iterator(CHUNK):
        batch.append(VersionLevel(version_id=pk, level=level, body=body, order=1))
        if len(batch) == CHUNK:
            VersionLevel.objects.bulk_create(batch)
            batch = []
    VersionLevel.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0019_version_levels_and_ordinary_group"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
