"""The filters of the plan lists, one FilterSet per list shared by the page and the API (/api/v1/plans/, tasks/,
assignments/, indicators/, overdue/), so that both read the same parameters the same way and the OpenAPI
parameters come from here. Each FilterSet narrows a queryset already limited by the model's visibility rule; a
malformed value (`?year=0`, `?plan=abc`, an unknown status) is a form error on a page and a 400 in the API."""

from django import forms

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tinhgon.core.forms import StyledForm
from tinhgon.organisations.forms import UnitSearch
from tinhgon.organisations.models import Organisation
from tinhgon.plans.constants import PlanKind, Source, StatusClass
from tinhgon.plans.models import Assignment, Indicator, Plan, ReformArea, Task

MAX_ID = 10**18  # ids that fit a bigint (api.base.ID_PATTERN: up to 18 digits)
CODE = {"max_length": 40}  # Organisation.code


class FilterForm(StyledForm, forms.Form):
    pass


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole number (an id, a year): "2.5" or "abc" is an error, not a guess."""

    field_class = forms.IntegerField


def id_filter(label: str, field_name: str, **extra) -> IntegerFilter:
    return IntegerFilter(label=label, field_name=field_name, min_value=1, max_value=MAX_ID, **extra)


def area_filter() -> django_filters.ModelChoiceFilter:
    """The reform area by its code (ReformArea.code), or "null" for those not yet given one."""
    return django_filters.ModelChoiceFilter(
        label="Lĩnh vực cải cách hành chính",
        queryset=ReformArea.objects.all(),
        to_field_name="code",
        empty_label="Tất cả",
        null_label="Chưa phân lĩnh vực",
        help_text="Mã lĩnh vực cải cách hành chính (“null”: chưa phân lĩnh vực)",
    )


class PlanFilter(django_filters.FilterSet):
    """Over the plans the user may see (the queryset given); the issuers offered are theirs."""

    year = IntegerFilter(
        label="Năm", method="in_year", min_value=1990, max_value=2100, help_text="Kế hoạch thực hiện trong năm"
    )
    kind = django_filters.ChoiceFilter(label="Loại kế hoạch", choices=PlanKind.choices, empty_label="Tất cả")
    issuer = django_filters.ModelChoiceFilter(
        label="Cơ quan ban hành",
        queryset=Organisation.objects.none(),
        to_field_name="code",
        empty_label="Tất cả",
        help_text="Mã cơ quan ban hành",
    )
    # Links from a plan or a task page ("the plans implementing this"), not typed by hand: hidden on the page.
    parent_plan = id_filter("Thực hiện kế hoạch cấp trên (id)", "parent_plan", widget=forms.HiddenInput)
    parent_task = id_filter("Thực hiện nhiệm vụ cấp trên (id)", "parent_task", widget=forms.HiddenInput)

    class Meta:
        model = Plan
        fields = ["year", "kind", "issuer", "parent_plan", "parent_task"]
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        issuers = Organisation.objects.filter(pk__in=self.queryset.values("issuer_id")).order_by("name")
        self.filters["issuer"].queryset = issuers

    @property
    def form(self):
        form = super().form
        form.fields["issuer"].label_from_instance = lambda org: org.name
        return form

    def in_year(self, plans, name, value):
        return plans.filter(period_start__year__lte=value, period_end__year__gte=value)


class TaskFilter(django_filters.FilterSet):
    plan = id_filter("Kế hoạch (id)", "plan")
    lead = django_filters.CharFilter(label="Mã cơ quan chủ trì", field_name="lead__code", **CODE)
    area = area_filter()

    class Meta:
        model = Task
        fields = ["plan", "lead", "area"]
        form = FilterForm


class AssignmentFilter(django_filters.FilterSet):
    task = id_filter("Nhiệm vụ (id)", "task")
    plan = id_filter("Kế hoạch (id)", "task__plan")
    organisation = django_filters.CharFilter(
        label="Mã đơn vị được giao", field_name="organisation__code", help_text="Mã đơn vị được giao", **CODE
    )
    status_class = django_filters.ChoiceFilter(
        label="Tình trạng", choices=StatusClass.choices, method="of_status", empty_label="Tất cả"
    )

    class Meta:
        model = Assignment
        fields = ["task", "plan", "organisation", "status_class"]
        form = FilterForm

    def of_status(self, assignments, name, value):
        return assignments.of_status(value)


class OverdueFilter(django_filters.FilterSet):
    """Who is late below a unit. The view finds the unit among those the user may see first (404 otherwise)."""

    org = django_filters.CharFilter(
        label="Đơn vị",
        method="below",
        help_text="Mã đơn vị: các đơn vị trực thuộc được gộp vào (mặc định: đơn vị đang thay mặt)",
        widget=UnitSearch,
        **CODE,
    )

    class Meta:
        model = Assignment
        fields = ["org"]
        form = FilterForm

    def below(self, assignments, name, value):
        # The unit's id as a literal, not a subquery on its code: PostgreSQL then reads how many units the closure
        # table holds under it from its statistics (21,000 under the nation, not the 8 of an average unit), and the
        # nation's page goes from nested loops over every unit (0.9 s) to hashing (docs/performance.md).
        roots = list(Organisation.objects.filter(code=value).values_list("pk", flat=True))
        return assignments.within(Organisation.objects.ever_under(roots))


class IndicatorFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(
        label="Mã đơn vị", field_name="organisation__code", help_text="Mã đơn vị", **CODE
    )
    plan = id_filter("Kế hoạch (id)", "plan", widget=forms.HiddenInput)
    source = django_filters.ChoiceFilter(label="Nguồn số liệu", choices=Source.choices, empty_label="Tất cả")
    area = area_filter()

    class Meta:
        model = Indicator
        fields = ["organisation", "plan", "source", "area"]
        form = FilterForm
