"""The filters of the quality lists, shared by a page and its export: each narrows a queryset already limited by the
model's visibility rule; a malformed value is a form error, never a 500."""

from django import forms
from django.db.models import Count, Q

import django_filters

from tinhgon.core.dates import today
from tinhgon.core.forms import StyledForm
from tinhgon.core.text import fold_vn
from tinhgon.organisations.forms import UnitSearch
from tinhgon.organisations.models import Organisation
from tinhgon.quality.constants import Flag, ProcessStatus
from tinhgon.quality.models import QualityProcess

CODE = {"max_length": 40}  # Organisation.code


class FilterForm(StyledForm, forms.Form):
    pass


def with_findings(processes, on=None):
    """Each process with its open findings and those past their correction date (`open_findings`,
    `late_findings`), counted in the same query."""
    day = on or today()
    return processes.annotate(
        open_findings=Count("findings", filter=Q(findings__closed_on__isnull=True)),
        late_findings=Count("findings", filter=Q(findings__closed_on__isnull=True, findings__due_on__lt=day)),
    )


class ProcessFilter(django_filters.FilterSet):
    org = django_filters.CharFilter(
        label="Đơn vị",
        method="below",
        help_text="Đơn vị chủ trì: các đơn vị trực thuộc được gộp vào",
        widget=UnitSearch,
        **CODE,
    )
    status = django_filters.ChoiceFilter(
        label="Trạng thái", choices=ProcessStatus.choices, empty_label="Tất cả trạng thái"
    )
    flag = django_filters.ChoiceFilter(label="Cần chú ý", choices=Flag.choices, method="flagged", empty_label="Tất cả")
    q = django_filters.CharFilter(label="Mã, tên quy trình", method="search", max_length=200)

    class Meta:
        model = QualityProcess
        fields = ["org", "status", "flag", "q"]
        form = FilterForm

    def below(self, processes, name, value):
        return processes.filter(
            organisation__in=Organisation.objects.ever_under(Organisation.objects.filter(code=value))
        )

    def flagged(self, processes, name, value):
        if value == Flag.REVIEW_DUE:
            return processes.review_due()
        if value == Flag.OPEN_FINDINGS:
            return processes.filter(open_findings__gt=0)
        return processes.filter(late_findings__gt=0)

    def search(self, processes, name, value):
        for word in fold_vn(value).split():
            processes = processes.filter(search_text__contains=word)
        return processes


class ScoreTableForm(StyledForm, forms.Form):
    nam = forms.IntegerField(label="Năm", min_value=2022, max_value=2100, required=False)
    org = forms.CharField(label="Đơn vị", required=False, widget=UnitSearch, max_length=40)
