"""The report list's filters, one FilterSet shared by the page (/bao-cao/) and the API (/api/v1/reports/), so that
both agree and the OpenAPI parameters come from here. A bad value (a year 0, a period 99, an unknown kind) is a
form error on the page and a 400 in the API; an unknown unit code is an empty list."""

from django import forms

import django_filters

from tinhgon.core.forms import StyledForm
from tinhgon.organisations.forms import UnitSearch
from tinhgon.reports.models import Report, Status
from tinhgon.reports.periods import Kind


class FilterForm(StyledForm, forms.Form):
    pass


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ReportFilter(django_filters.FilterSet):
    """Over the reports the user may see (the queryset given: Report.objects.visible_to(policy))."""

    org = django_filters.CharFilter(
        label="Cơ quan",
        field_name="organisation__code",
        max_length=40,
        help_text="Mã cơ quan báo cáo",
        widget=UnitSearch,
    )
    kind = django_filters.ChoiceFilter(label="Loại", choices=Kind.choices, empty_label="Tất cả")
    year = IntegerFilter(label="Năm", min_value=2000, max_value=2100)
    number = IntegerFilter(label="Kỳ", min_value=1, max_value=12, help_text="Tháng, quý hoặc nửa năm của kỳ")
    status = django_filters.ChoiceFilter(label="Trạng thái", choices=Status.choices, empty_label="Tất cả")

    class Meta:
        model = Report
        fields = ["org", "kind", "year", "number", "status"]
        form = FilterForm
