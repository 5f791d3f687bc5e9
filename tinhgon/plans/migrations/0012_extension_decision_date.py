"""Extension requests carry the day the plan's issuer decided in fact. Requests decided before this field existed
get the day their decision was recorded (the local date of the audit entry of the approval or refusal), else the
day the request was made."""

from django.db import migrations, models
from django.db.models.functions import TruncDate


def forward(apps, schema_editor):
    Extension = apps.get_model("plans", "ExtensionRequest")
    Entry = apps.get_model("audit", "AuditLogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    decided = Extension.objects.exclude(status="pending")
    if not decided.exists():
        return
    kind = ContentType.objects.filter(app_label="plans", model="extensionrequest").first()
    days = {}
    if kind is not None:
        entries = Entry.objects.filter(
            content_type=kind, action__in=["plans.extension.approved", "plans.extension.refused"]
        ).annotate(day=TruncDate("created_at"))
        days = {int(object_id): day for object_id, day in entries.values_list("object_id", "day")}
    for extension in decided.annotate(asked=TruncDate("created_at")).only("pk", "created_at"):
        extension.decided_on = days.get(extension.pk) or extension.asked
        extension.save(update_fields=["decided_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0011_indicator_deadlines_and_areas_of_existing_rows"),
        ("audit", "0004_truncate_trigger"),
    ]

    operations = [
        migrations.AddField(
            model_name="extensionrequest",
            name="decided_on",
            field=models.DateField(blank=True, null=True, verbose_name="ngày quyết định"),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
