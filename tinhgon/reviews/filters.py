"""The review lists' filters, one FilterSet per list, shared by the page, its export and the API, so that the three
agree and the OpenAPI parameters come from here. A malformed value is a form error on a page and a 400 in the API;
a well-formed one that names nothing visible gives an empty list."""

from django import forms

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tinhgon.core.forms import StyledForm
from tinhgon.organisations.forms import UnitSearch
from tinhgon.organisations.models import Organisation
from tinhgon.reviews.constants import Action, ImplementationStatus, Metric, ReviewStatus, Scenario
from tinhgon.reviews.models import (
    CostParameterSet,
    CostSheet,
    ImplementationItem,
    Milestone,
    Proposal,
    Review,
    ReviewRound,
)

MAX_ID = 10**18 - 1  # what a bigint holds, well before SQLite's OverflowError
YEARS = {"min_value": 1900, "max_value": 2999}


class FilterForm(StyledForm, forms.Form):
    pass


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A record id: a whole number that fits the database, anything else a form error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **YEARS, **kwargs)


class UnitFilter(django_filters.CharFilter):
    """A unit by its code: the records of that unit only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_length=40, help_text="Mã đơn vị", widget=UnitSearch, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        unit = Organisation.objects.filter(code=value.strip()).first()
        return qs.filter(**{self.field_name: unit}) if unit else qs.none()


class RoundFilter(django_filters.FilterSet):
    """Review plans (the plans page and /api/v1/review-rounds/)."""

    organisation = UnitFilter(label="Cơ quan")
    year = YearFilter(label="Năm")

    class Meta:
        model = ReviewRound
        fields = ["organisation", "year"]
        form = FilterForm


class ImplementationFilter(django_filters.FilterSet):
    """Implementation items (the implementation page): by status, overdue ones as one more, and by owner."""

    OVERDUE = "overdue"

    status = django_filters.ChoiceFilter(
        label="Trạng thái",
        choices=[*ImplementationStatus.choices, (OVERDUE, "Quá hạn")],
        empty_label="Tất cả",
        method="in_status",
    )
    owner = UnitFilter(label="Đơn vị chủ trì")

    class Meta:
        model = ImplementationItem
        fields = ["status", "owner"]
        form = FilterForm

    def in_status(self, queryset, name, value):
        return queryset.overdue() if value == self.OVERDUE else queryset.filter(status=value)


class ReviewFilter(django_filters.FilterSet):
    """Review forms (/api/v1/reviews/)."""

    round = IdFilter(label="Kế hoạch", field_name="round_id")
    procedure = IdFilter(label="Thủ tục", field_name="procedure_id")
    status = django_filters.ChoiceFilter(label="Trạng thái", choices=ReviewStatus.choices)

    class Meta:
        model = Review
        fields = ["round", "procedure", "status"]
        form = FilterForm


class CostSheetFilter(django_filters.FilterSet):
    """Cost sheets (/api/v1/cost-sheets/)."""

    procedure = IdFilter(label="Thủ tục", field_name="procedure_id")
    review = IdFilter(label="Phiếu rà soát", field_name="review_id")
    round = IdFilter(label="Kế hoạch", field_name="review__round_id")
    scenario = django_filters.ChoiceFilter(label="Phương án chi phí", choices=Scenario.choices)

    class Meta:
        model = CostSheet
        fields = ["procedure", "review", "round", "scenario"]
        form = FilterForm


class ProposalFilter(django_filters.FilterSet):
    """Proposals (/api/v1/proposals/ and the proposals workbook /ra-soat/phuong-an.xlsx)."""

    procedure = IdFilter(label="Thủ tục", field_name="review__procedure_id")
    round = IdFilter(label="Kế hoạch", field_name="review__round_id")
    action = django_filters.ChoiceFilter(label="Phương án", choices=Action.choices)

    class Meta:
        model = Proposal
        fields = ["procedure", "round", "action"]
        form = FilterForm


class MilestoneFilter(django_filters.FilterSet):
    """Milestones (/api/v1/milestones/): a unit's own (organisation=<code>), or those of one metric."""

    organisation = UnitFilter(label="Đơn vị đặt mốc")
    metric = django_filters.ChoiceFilter(label="Chỉ tiêu", choices=Metric.choices)
    national = django_filters.BooleanFilter(
        label="Mốc toàn quốc", field_name="organisation", lookup_expr="isnull", help_text="true: chỉ mốc toàn quốc"
    )

    class Meta:
        model = Milestone
        fields = ["organisation", "metric", "national"]
        form = FilterForm


class ParameterFilter(django_filters.FilterSet):
    """Cost parameter sets (the parameters page and /api/v1/cost-parameters/)."""

    year = YearFilter(label="Năm áp dụng")

    class Meta:
        model = CostParameterSet
        fields = ["year"]
        form = FilterForm
