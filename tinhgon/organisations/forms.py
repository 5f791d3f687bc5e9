from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.urls import reverse_lazy

from tinhgon.core import doctemplates
from tinhgon.core.forms import DATE_WIDGET, StyledForm
from tinhgon.core.uploads import UploadRefused, check_document
from tinhgon.organisations.models import Organisation

TOP = "Cấp cao nhất"


def unit_label(unit: Organisation) -> str:
    """“Văn phòng Sở — Sở Nội vụ”: a unit named with its parent, since eleven units are called “Văn phòng Sở”."""
    return f"{unit.name} — {unit.parent.name}" if unit.parent_id else unit.name


class UnitsByParent(ModelChoiceIterator):
    """The units under the name of their parent (one optgroup each), in one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for unit in self.queryset.select_related("parent").order_by("parent__name", "name"):
            groups.setdefault(unit.parent.name if unit.parent_id else TOP, []).append(self.choice(unit))
        yield from groups.items()


class UnitPicker(forms.Select):
    """A searchable select (Tom Select, static/js/unit-picker.js): names without diacritics, grouped by parent."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-unit-picker": "", **(attrs or {})}, choices)


class UnitsPicker(UnitPicker, forms.SelectMultiple):
    pass


class UnitChoiceField(forms.ModelChoiceField):
    """One unit among a queryset the view gives (what the user may choose), shown by name with its parent."""

    iterator = UnitsByParent
    widget = UnitPicker

    def label_from_instance(self, unit):
        return unit_label(unit)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = UnitsByParent
    widget = UnitsPicker

    def label_from_instance(self, unit):
        return unit_label(unit)


class UnitSearch(forms.Select):
    """A unit filter whose value is a unit's code, chosen by searching the names of the units the user may see
    (organisations:lookup, remote, so a province's 3,000 units are not sent with every page). Only the unit chosen
    is rendered, by its name."""

    def __init__(self, attrs=None):
        super().__init__({"data-unit-search": reverse_lazy("organisations:lookup"), **(attrs or {})})

    def optgroups(self, name, value, attrs=None):
        code = next((v for v in value if v), "")
        self.choices = [("", "Tất cả đơn vị")]
        if code:
            unit = Organisation.objects.filter(code=code).select_related("parent").first()
            self.choices.append((code, unit_label(unit) if unit else code))
        return super().optgroups(name, value, attrs)


class AsOfForm(StyledForm, forms.Form):
    q = forms.CharField(label="Tìm đơn vị", required=False)
    ngay = forms.DateField(label="Tại ngày", required=False, widget=DATE_WIDGET)


class OrganisationForm(StyledForm, forms.ModelForm):
    """Create or edit a unit. `row_version` carries the version the user started from, so that a save over
    someone else's newer change is refused instead of silently overwriting it."""

    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Organisation
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "valid_from",
            "valid_to",
            "is_state_agency",
            "is_tthc_focal_unit",
        ]
        widgets = {"valid_from": DATE_WIDGET, "valid_to": DATE_WIDGET}

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents
        self.fields["parent"].required = True
        if self.instance.pk:
            self.fields["row_version"].initial = self.instance.row_version

    def clean_row_version(self):
        started_from = self.cleaned_data.get("row_version")
        if self.instance.pk and started_from is not None and started_from != self.instance.row_version:
            raise ValidationError(
                "Đơn vị này vừa được người khác cập nhật sau khi bạn mở trang. Hãy tải lại trang để xem thay đổi "
                "mới nhất rồi nhập lại; nội dung bạn vừa nhập vẫn được giữ bên dưới."
            )
        return started_from


class MergeForm(StyledForm, forms.Form):
    sources = UnitMultipleChoiceField(label="Các đơn vị bị hợp nhất", queryset=Organisation.objects.none())
    target = UnitChoiceField(
        label="Đơn vị tiếp nhận (có sẵn)",
        queryset=Organisation.objects.none(),
        required=False,
        help_text="Bỏ trống để tạo đơn vị mới theo mã và tên dưới đây.",
    )
    target_code = forms.CharField(label="Mã đơn vị mới", max_length=40, required=False)
    target_name = forms.CharField(label="Tên đơn vị mới", max_length=255, required=False)
    target_kind = forms.ChoiceField(
        label="Loại đơn vị mới",
        choices=[("", "Như đơn vị bị hợp nhất đầu tiên"), *Organisation.Kind.choices],
        required=False,
    )
    day = forms.DateField(label="Ngày đơn vị tiếp nhận bắt đầu hoạt động", widget=DATE_WIDGET)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = units
        self.fields["target"].queryset = units

    def clean(self):
        data = super().clean()
        if not data.get("target") and not (data.get("target_code") and data.get("target_name")):
            raise ValidationError("Chọn đơn vị tiếp nhận có sẵn, hoặc nhập mã và tên đơn vị mới.")
        return data


class TemplateUploadForm(StyledForm, forms.Form):
    """An organisation's own Word template of one kind of document: a .docx (checked by content, core/uploads.py)
    that renders against the kind's sample data (core/doctemplates.py); either refusal is the field's error."""

    file = forms.FileField(
        label="Tệp mẫu (.docx)",
        allow_empty_file=True,  # refused by check_document, with its own message
        help_text="Tải mẫu mặc định về, sửa trong Word hoặc LibreOffice, giữ nguyên các thẻ {{ … }} và {% … %}.",
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["file"].widget.attrs["accept"] = ".docx"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            result = check_document(upload, allowed=("docx",))
        except UploadRefused as refused:
            raise ValidationError(refused.messages) from None
        upload.name = result.name
        upload.seek(0)
        try:
            doctemplates.check(self.kind, upload.read())
        except doctemplates.TemplateError as error:
            raise ValidationError(f"Mẫu không dùng được: {error}") from None
        upload.seek(0)
        return upload
