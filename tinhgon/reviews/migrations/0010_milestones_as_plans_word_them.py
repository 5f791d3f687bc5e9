"""The national milestones as QĐ 1085/QĐ-TTg (15/9/2022) words them (issue 12, item 2):
- "≥ 50 % by 01/01/2024" counts procedures with an *approved* simplification option (approved_pct), not checked
  review forms: the shipped row (reviewed_pct, 50, 01/01/2024) is moved to approved_pct;
- the publication target "100 % of internal procedures inventoried and published by 01/4/2023" is added
  (published_pct).
Organisations' own rows are theirs: they are left as they are."""

from datetime import date

from django.db import migrations

APPROVED_SOURCE = "QĐ 1085/QĐ-TTg: phương án đơn giản hóa được phê duyệt cho ≥ 50% thủ tục nội bộ"
PUBLISHED = ("published_pct", "100", date(2023, 4, 1), "QĐ 1085/QĐ-TTg: thống kê, công bố 100% thủ tục nội bộ")


def forward(apps, schema_editor):
    Milestone = apps.get_model("reviews", "Milestone")
    national = Milestone.objects.filter(organisation__isnull=True)
    for row in national.filter(metric="reviewed_pct", target=50, due_on=date(2024, 1, 1)):
        row.metric, row.source = "approved_pct", APPROVED_SOURCE
        row.save(update_fields=["metric", "source"])
    metric, target, due_on, source = PUBLISHED
    if not national.filter(metric=metric).exists():
        Milestone.objects.create(metric=metric, target=target, due_on=due_on, source=source, row_version=1)


def backward(apps, schema_editor):
    Milestone = apps.get_model("reviews", "Milestone")
    national = Milestone.objects.filter(organisation__isnull=True)
    national.filter(metric="published_pct", due_on=PUBLISHED[2], source=PUBLISHED[3]).delete()
    national.filter(metric="approved_pct", source=APPROVED_SOURCE).update(
        metric="reviewed_pct", source="QĐ 1085/QĐ-TTg: phương án cho ≥ 50% thủ tục nội bộ"
    )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0009_milestones_versioned_and_audited")]
    operations = [migrations.RunPython(forward, backward)]
