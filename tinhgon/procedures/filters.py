"""The registry list's filters, one FilterSet shared by the page (/thu-tuc/), its Excel export and the API
(/api/v1/procedures/), so that the three agree and the OpenAPI parameters come from here."""

from django import forms

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tinhgon.core.forms import StyledForm
from tinhgon.core.text import fold_vn
from tinhgon.organisations.forms import UnitSearch
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.constants import Group, Kind, Level, Status
from tinhgon.procedures.models import Field, ProcedureVersion


class FilterForm(StyledForm, forms.Form):
    pass


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice among rows named by their code (in the API: the code as a string)."""


class RegistryFilter(django_filters.FilterSet):
    """Over the latest version of each procedure the user may see (the queryset given)."""

    q = django_filters.CharFilter(label="Tìm theo tên, mã", method="search", max_length=200)
    owner = django_filters.CharFilter(
        label="Cơ quan",
        method="under",
        max_length=40,
        widget=UnitSearch,
        help_text="Mã đơn vị: thủ tục của đơn vị và các đơn vị dưới nó",
    )
    kind = django_filters.ChoiceFilter(
        label="Loại thủ tục", choices=Kind.choices, empty_label="Tất cả", method="of_kind"
    )
    group = django_filters.ChoiceFilter(label="Nhóm", choices=Group.choices, empty_label="Tất cả")
    level = django_filters.ChoiceFilter(
        label="Cấp", choices=Level.choices, empty_label="Tất cả", method="at_level", help_text="Cấp chính hoặc cấp khác"
    )
    field = CodeChoiceFilter(
        label="Lĩnh vực",
        queryset=Field.objects.all(),
        to_field_name="code",
        empty_label="Tất cả",
        help_text="Mã lĩnh vực (kể cả các lĩnh vực con)",
        method="in_field",
    )
    status = django_filters.ChoiceFilter(label="Trạng thái", choices=Status.choices, empty_label="Tất cả")

    class Meta:
        model = ProcedureVersion
        fields = ["q", "owner", "kind", "group", "level", "field", "status"]
        form = FilterForm

    def search(self, versions, name, value):
        for word in fold_vn(value).split():
            versions = versions.filter(search_text__contains=word)
        return versions

    def in_field(self, versions, name, value):
        """The field and every field under it (a parent groups its children); a merged one means its survivor."""
        meant = value.survivor()
        return versions.filter(field_id__in={meant.pk, *meant.descendant_ids()})

    def of_kind(self, versions, name, value):
        return versions.of_kind(value)

    def at_level(self, versions, name, value):
        return versions.at_level(value)

    def under(self, versions, name, value):
        root = Organisation.objects.filter(code=value.strip()).first()
        if root is None:
            return versions.none()
        return versions.filter(procedure__owner__in=Organisation.objects.ever_under([root]))
