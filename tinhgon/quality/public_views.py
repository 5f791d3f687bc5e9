"""The QĐ 766/QĐ-TTg service-quality index on the public portal (/cong-khai/chi-so-766/), no login: each month's
published scores of the units by component group with their rank, a chart of the month, and the year's totals by
month. A month of a unit appears only once its head or the focal point has published it (ServiceIndexScore.publish);
drafts and withdrawn months are never shown, even at a guessed address. A fixed number of queries, whatever the
data size. The plans ask for it: "Định kỳ hàng tháng công khai kết quả đánh giá chất lượng phục vụ người dân, doanh
nghiệp theo Quyết định số 766/QĐ-TTg … trên Cổng Dịch vụ công … Cổng thông tin điện tử của tỉnh để tổ chức, cá nhân
theo dõi, giám sát" (Kế hoạch cải cách TTHC năm 2024 của UBND tỉnh Trà Vinh, QĐ 258/QĐ-UBND, §III.10)."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django import forms
from django.db.models import Prefetch
from django.shortcuts import render

from tinhgon.quality import services
from tinhgon.quality.models import ServiceIndexPart, ServiceIndexScore
from tinhgon.quality.ranking import ranked

MONTHS = range(1, 13)


class MonthChoice(forms.Form):
    thang = forms.RegexField(regex=r"^\d{4}-\d{2}$", required=False, max_length=7)


def _month(value: str, months: list[date]) -> date | None:
    """The month asked for (yyyy-mm) if it has published scores, else the latest one that has."""
    for month in months:
        if f"{month:%Y-%m}" == value:
            return month
    return months[0] if months else None


def _number(value: Decimal) -> float:
    return float(value)


def index(request):
    published = ServiceIndexScore.objects.published()
    months = list(published.dates("month", "month", order="DESC"))
    form = MonthChoice(request.GET or None)
    asked = form.cleaned_data.get("thang", "") if form.is_valid() else ""
    month = _month(asked, months)
    components = services.active_components()
    context = {
        "months": months,
        "month": month,
        "components": components,
        "max_total": services.max_total(components),
    }
    if month is None:
        return render(request, "quality/public_index.html", context)
    parts = Prefetch("parts", queryset=ServiceIndexPart.objects.all(), to_attr="part_list")
    of_month = published.filter(month=month).select_related("organisation").prefetch_related(parts)
    rows = []
    for rank, score in ranked(of_month, key=lambda s: s.total):
        points = {p.component_id: p.points for p in score.part_list}
        rows.append({"rank": rank, "score": score, "points": [points.get(c.pk) for c in components]})
    year_scores = published.filter(month__year=month.year).select_related("organisation")
    by_unit = defaultdict(dict)
    names = {}
    for score in year_scores:
        by_unit[score.organisation_id][score.month.month] = score.total
        names[score.organisation_id] = score.organisation.name
    year_rows = [
        {"unit": names[unit], "totals": [totals.get(m) for m in MONTHS]}
        for unit, totals in sorted(by_unit.items(), key=lambda item: names[item[0]])
    ]
    averages = []
    for m in MONTHS:
        values = [totals[m] for totals in by_unit.values() if m in totals]
        averages.append(round(_number(sum(values, Decimal(0)) / len(values)), 2) if values else None)
    context.update(
        {
            "rows": rows,
            "year": month.year,
            "year_rows": year_rows,
            "month_numbers": list(MONTHS),
            "ranking_chart": {
                "type": "bar",
                "horizontal": True,
                "categories": [row["score"].organisation.name for row in rows],
                "series": [
                    {"name": f"Tổng điểm tháng {month:%m/%Y}", "data": [_number(r["score"].total) for r in rows]}
                ],
                "unit": "điểm",
                "format": "number",
                "max": _number(context["max_total"]),
            },
            "trend_chart": {
                "type": "line",
                "categories": [f"T{m}" for m in MONTHS],
                "series": [{"name": f"Điểm bình quân các đơn vị năm {month.year}", "data": averages}],
                "unit": "điểm",
                "format": "number",
            },
        }
    )
    return render(request, "quality/public_index.html", context)
