import unicodedata

from django import forms
from django.core.validators import MaxLengthValidator
from django.urls import reverse_lazy

from tinhgon.core.dates import today
from tinhgon.core.forms import LongSelect, StyledForm
from tinhgon.organisations.forms import unit_label
from tinhgon.organisations.models import Organisation
from tinhgon.portal.queries import agencies_matching
from tinhgon.procedures.constants import INTERNAL_GROUPS, Group, Level
from tinhgon.procedures.models import Field

ALL = [("", "Tất cả")]


class AgencySearch(forms.Select):
    """The agency filter: a select holding only the agency chosen (or none), searched by typing through
    portal:agencies (static/js/unit-picker.js, Tom Select), so the country's 8,000 agencies are not sent with every
    search page. Without JavaScript the form's `co_quan_ten` text field, in a <noscript>, takes a name instead."""

    def __init__(self, attrs=None):
        super().__init__({"data-unit-search": reverse_lazy("portal:agencies"), **(attrs or {})}, choices=ALL)
        self.chosen = None

    def choose(self, agency):
        """Render `agency` as the one option, selected, whether it came by code or by the name typed."""
        self.chosen = agency.code
        self.choices = ALL + [(agency.code, unit_label(agency))]

    def format_value(self, value):
        return [self.chosen] if self.chosen else super().format_value(value)


class PortalSearchForm(StyledForm, forms.Form):
    q = forms.CharField(label="Tìm thủ tục", required=False, max_length=200)
    co_quan = forms.CharField(label="Cơ quan", required=False, validators=[MaxLengthValidator(40)], widget=AgencySearch)
    co_quan_ten = forms.CharField(label="Hoặc gõ tên cơ quan", required=False, max_length=100)
    linh_vuc = forms.ChoiceField(label="Lĩnh vực", required=False, widget=LongSelect)
    nhom = forms.ChoiceField(
        label="Nhóm",
        required=False,
        choices=ALL + [(g.value, f"Nhóm {g.value}" if g in INTERNAL_GROUPS else g.label) for g in Group],
    )
    cap = forms.ChoiceField(label="Cấp thực hiện", required=False, choices=ALL + list(Level.choices))

    def __init__(self, *args, published=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.published = published
        self.agency = None  # the agency chosen, once the form is cleaned
        self.fields["q"].widget.attrs.update(
            {"placeholder": "Ví dụ: xet tang bang khen (gõ có dấu hoặc không dấu)", "type": "search"}
        )
        self.fields["co_quan_ten"].widget.attrs.update({"placeholder": "Ví dụ: so tai chinh", "type": "search"})
        fields = Field.objects.filter(is_active=True).values_list("code", "name")
        self.fields["linh_vuc"].choices = ALL + list(fields)

    def clean_co_quan_ten(self):
        return clean_lookup_text(self.cleaned_data["co_quan_ten"])

    def clean(self):
        """The agency by its code or, typed without JavaScript, by its name (the first match by name, which the
        page then names); a name typed wins over the code the select kept from the previous search."""
        data = super().clean()
        name, code = data.get("co_quan_ten"), data.get("co_quan")
        if name:
            self.agency = next(iter(agencies_matching(name, self.published)), None)
            if self.agency is None:
                self.add_error("co_quan_ten", f"Không tìm thấy cơ quan nào có thủ tục mà tên chứa “{name}”.")
        elif code:
            self.agency = Organisation.objects.filter(code=code).select_related("parent").first()
            if self.agency is None:
                self.add_error("co_quan", "Không có cơ quan mang mã này: bộ lọc cơ quan được bỏ qua.")
        if self.agency:
            data["co_quan"] = self.agency.code
            self.fields["co_quan"].widget.choose(self.agency)
        return data


def clean_lookup_text(text: str) -> str:
    """A name typed to find an agency, its spaces collapsed; control characters other than spaces are refused."""
    if any(unicodedata.category(c) == "Cc" and not c.isspace() for c in text):
        raise forms.ValidationError("Tên cơ quan có ký tự không hợp lệ.")
    return " ".join(text.split())


class AgencyLookupForm(forms.Form):
    """`?q=` of portal:agencies: what was typed in the agency picker."""

    q = forms.CharField(
        required=False,
        max_length=100,
        error_messages={"max_length": "Từ khóa tìm cơ quan dài quá: tối đa %(limit_value)d ký tự."},
    )

    def clean_q(self):
        return clean_lookup_text(self.cleaned_data["q"])


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
