"""Word every existing value + unit as the text a decision would print ("10 ngày làm việc", "7,5 giờ làm việc"), so
the published text, now what the portal and documents show, says what the version said before. The structured part
(value, unit) is kept as it was. The labels are frozen here: later relabelling must not change history."""

from decimal import Decimal

from django.db import migrations

LABELS = {"working_days": "ngày làm việc", "days": "ngày", "hours": "giờ làm việc"}


def number_text(value: Decimal) -> str:
    value = Decimal(value).normalize()
    if value == value.to_integral():
        return f"{int(value):02d}"
    return f"{value:f}".replace(".", ",")


def forward(apps, schema_editor):
    Version = apps.get_model("procedures", "ProcedureVersion")
    rows = Version.objects.filter(processing_time_value__isnull=False, processing_time_text="")
    changed = []
    for version in rows.only("pk", "processing_time_value", "processing_time_unit").iterator(chunk_size=2000):
        unit = LABELS.get(version.processing_time_unit, version.processing_time_unit)
        version.processing_time_text = f"{number_text(version.processing_time_value)} {unit}"
        changed.append(version)
        if len(changed) >= 2000:
            Version.objects.bulk_update(changed, ["processing_time_text"])
            changed = []
    Version.objects.bulk_update(changed, ["processing_time_text"])


class Migration(migrations.Migration):
    dependencies = [("procedures", "0009_processing_time_as_published")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
