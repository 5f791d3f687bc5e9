import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef

from tinhgon.core.dates import today
from tinhgon.core.forms import LongSelect, StyledForm
from tinhgon.organisations.models import Organisation, OrganisationLink, valid_on
from tinhgon.procedures.constants import INTERNAL_GROUPS, Group, Level
from tinhgon.procedures.models import Field

ALL = [("", "Tất cả")]


class PortalSearchForm(StyledForm, forms.Form):
    q = forms.CharField(label="Tìm thủ tục", required=False, max_length=200)
    co_quan = forms.ChoiceField(label="Cơ quan", required=False, widget=LongSelect)
    linh_vuc = forms.ChoiceField(label="Lĩnh vực", required=False, widget=LongSelect)
    nhom = forms.ChoiceField(
        label="Nhóm",
        required=False,
        choices=ALL + [(g.value, f"Nhóm {g.value}" if g in INTERNAL_GROUPS else g.label) for g in Group],
    )
    cap = forms.ChoiceField(label="Cấp thực hiện", required=False, choices=ALL + list(Level.choices))

    def __init__(self, *args, published=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"placeholder": "Ví dụ: xet tang bang khen (gõ có dấu hoặc không dấu)", "type": "search"}
        )
        self.fields["co_quan"].choices = ALL + agencies_with_procedures(published)
        fields = Field.objects.filter(is_active=True).values_list("code", "name")
        self.fields["linh_vuc"].choices = ALL + list(fields)


def agencies_with_procedures(published) -> list[tuple[str, str]]:
    """The owners of the `published` procedures and the units above them (choosing a unit includes its subtree), as
    (code, name). Kept in the cache as long as the portal's pages may be (TINHGON_PUBLIC_MAX_AGE), under the SQL of
    `published` (which names its day): 8,000 units and 0.3 s of SQL at the national profile, the same for everyone."""
    key = "portal-agencies-" + hashlib.sha256(str(published.query).encode()).hexdigest()
    return cache.get_or_set(key, lambda: _agencies(published), settings.TINHGON_PUBLIC_MAX_AGE)


def _agencies(published) -> list[tuple[str, str]]:
    # Asked unit by unit (an index lookup each), not by scanning every published version for its owner.
    owners = Organisation.objects.filter(Exists(published.filter(procedure__owner=OuterRef("pk")))).values("pk")
    above = OrganisationLink.objects.filter(valid_on(today()), descendant__in=owners).values("ancestor_id")
    return list(Organisation.objects.filter(pk__in=above).order_by("name").values_list("code", "name"))


class PostingListForm(forms.Form):
    """`?ngay=dd/mm/yyyy`: the list in force on an earlier day (the registry keeps each version's dates)."""

    ngay = forms.DateField(
        label="Tại ngày",
        required=False,
        input_formats=["%d/%m/%Y"],
        error_messages={"invalid": "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025."},
    )

    def clean_ngay(self):
        day = self.cleaned_data["ngay"]
        if day and day > today():
            raise forms.ValidationError(
                "Chỉ xem được danh mục đến ngày hôm nay: thủ tục của quyết định chưa có hiệu lực chưa được áp dụng."
            )
        return day


class AsOfForm(forms.Form):
    """`?as_of=`: the portal as it was on an earlier day, written dd/mm/yyyy or YYYY-MM-DD (the API's form)."""

    as_of = forms.DateField(
        label="Xem tại ngày",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "invalid": "Ngày xem không hợp lệ: hãy ghi dạng dd/mm/yyyy (ví dụ 01/07/2025) hoặc YYYY-MM-DD."
        },
    )

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day and day > today():
            raise forms.ValidationError(
                "Không xem được ngày trong tương lai: thủ tục của quyết định chưa có hiệu lực chưa được áp dụng."
            )
        return day


class EmbedSearchForm(StyledForm, forms.Form):
    q = forms.CharField(label="Tìm thủ tục", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"placeholder": "Gõ có dấu hoặc không dấu", "type": "search"})
