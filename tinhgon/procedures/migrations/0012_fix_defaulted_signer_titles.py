"""Draft decisions of a ministry, a department or an office carry "CHỦ TỊCH" only because it was the column's
default: give them the title of their issuer's head. Issued decisions are records of what was signed and stay as
they are. The titles are frozen here (organisations.models.SIGNER_TITLES at the time of writing)."""

from django.db import migrations

HEADS = {
    "ministry": "BỘ TRƯỞNG",
    "department": "GIÁM ĐỐC",
    "provincial_office": "CHÁNH VĂN PHÒNG",
    "department_unit": "THỦ TRƯỞNG CƠ QUAN",
}


def forward(apps, schema_editor):
    Decision = apps.get_model("procedures", "PublicationDecision")
    for kind, head in HEADS.items():
        Decision.objects.filter(status="draft", signer_title="CHỦ TỊCH", issuer__kind=kind).update(signer_title=head)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0011_decision_signer_title_from_issuer")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
