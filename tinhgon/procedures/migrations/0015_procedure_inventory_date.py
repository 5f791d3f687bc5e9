"""Each procedure carries the day it was inventoried (thống kê) in fact, apart from when it was typed in. Existing
procedures get the best date known today: the day they were recorded (local date of created_at), or the day their
first version took effect when that is earlier (a procedure in force was inventoried by then), so that the K1 share
(published ÷ inventoried) as of any past day stays what it was."""

from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, Least, TruncDate

import tinhgon.core.dates


def forward(apps, schema_editor):
    Procedure = apps.get_model("procedures", "Procedure")
    Version = apps.get_model("procedures", "ProcedureVersion")
    recorded = TruncDate("created_at")  # in the project's time zone (Asia/Ho_Chi_Minh)
    first_effective = Subquery(
        Version.objects.filter(procedure=OuterRef("pk"), effective_from__isnull=False)
        .values("procedure")
        .annotate(day=Min("effective_from"))
        .values("day")[:1],
        output_field=models.DateField(),
    )
    Procedure.objects.update(inventoried_on=Least(recorded, Coalesce(first_effective, recorded)))


class Migration(migrations.Migration):
    dependencies = [("procedures", "0014_signed_original")]

    operations = [
        migrations.AddField(
            model_name="procedure",
            name="inventoried_on",
            field=models.DateField(default=tinhgon.core.dates.today, verbose_name="ngày thống kê"),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
