from django import forms
from django.core.exceptions import ValidationError

from tinhgon.core.forms import DATE_WIDGET, StyledForm
from tinhgon.organisations.models import Organisation


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
    sources = forms.ModelMultipleChoiceField(
        label="Các đơn vị bị hợp nhất",
        queryset=Organisation.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    target = forms.ModelChoiceField(
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
