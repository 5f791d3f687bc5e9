"""The options written before times were recorded get their time before from the version under review, in working
days (ProcedureVersion.processing_working_days), where the registry read its time limit; else it stays empty for
the reviewer to enter. The time after is never guessed."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations

from tinhgon.procedures.processing_time import Span


def fill(apps, schema_editor):
    Proposal = apps.get_model("reviews", "Proposal")
    rows = Proposal.objects.filter(time_before__isnull=True, review__version__processing_time_value__isnull=False)
    for proposal in rows.select_related("review__version").iterator():
        version = proposal.review.version
        days = Span(high=Decimal(version.processing_time_value), unit=version.processing_time_unit).in_working_days()
        proposal.time_before = days.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        proposal.save(update_fields=["time_before"])  # a derived figure: no audit entry, like the other fills


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0011_option_reengineering_and_processing_times"),
        ("procedures", "0010_fill_processing_time_text"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
