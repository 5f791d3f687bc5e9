"""Existing indicators get a deadline and, where their source says it, a reform area (issue 12, item 2):
- deadline: the end of the indicator's plan period; without a plan, 31/12 of the year of its latest value, else of
  the year the migration runs;
- area: the indicators computed from the registry and review data (K1-K6) are "Cải cách thủ tục hành chính"; the
  on-time task rate (K7) is "Công tác chỉ đạo, điều hành". Indicators entered by hand keep theirs (or none): only
  the unit knows which area of its plan they belong to."""

from datetime import date

from django.db import migrations
from django.utils import timezone

AREA_OF_SOURCE = {
    "publication_coverage": "thu-tuc-hanh-chinh",
    "review_coverage": "thu-tuc-hanh-chinh",
    "procedure_reduction": "thu-tuc-hanh-chinh",
    "cost_reduction": "thu-tuc-hanh-chinh",
    "implementation_rate": "thu-tuc-hanh-chinh",
    "on_time_task_rate": "chi-dao-dieu-hanh",
}


def forward(apps, schema_editor):
    Indicator = apps.get_model("plans", "Indicator")
    IndicatorValue = apps.get_model("plans", "IndicatorValue")
    ReformArea = apps.get_model("plans", "ReformArea")
    areas = {a.code: a for a in ReformArea.objects.filter(code__in=set(AREA_OF_SOURCE.values()))}
    this_year = timezone.localdate().year
    for indicator in Indicator.objects.select_related("plan").filter(deadline__isnull=True):
        if indicator.plan_id and indicator.plan.period_end:
            indicator.deadline = indicator.plan.period_end
        else:
            latest = IndicatorValue.objects.filter(indicator=indicator).order_by("-period_end").first()
            indicator.deadline = date(latest.period_end.year if latest else this_year, 12, 31)
        fields = ["deadline"]
        area = areas.get(AREA_OF_SOURCE.get(indicator.source))
        if indicator.area_id is None and area is not None:
            indicator.area = area
            fields.append("area")
        indicator.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [("plans", "0010_indicator_deadline")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
