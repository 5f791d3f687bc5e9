"""Forms of the dashboards and the periodic reports (dates dd/mm/yyyy)."""

from django import forms

from tinhgon.core.dates import today
from tinhgon.core.forms import StyledForm
from tinhgon.organisations.forms import DATE_WIDGET
from tinhgon.reports.models import Report, Status
from tinhgon.reports.periods import Kind

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
TEXTAREA = forms.Textarea(attrs={"rows": 4})


class DashboardFilterForm(StyledForm, forms.Form):
    org = forms.CharField(label="Mã cơ quan", required=False)
    as_of = forms.DateField(label="Tại ngày", required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET)


class ReportFilterForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=[("", "Tất cả"), *Kind.choices], required=False)
    year = forms.IntegerField(label="Năm", required=False, min_value=2000, max_value=2100)
    org = forms.CharField(label="Mã cơ quan", required=False)
    status = forms.ChoiceField(label="Trạng thái", choices=[("", "Tất cả"), *Status.choices], required=False)


class ReportCreateForm(StyledForm, forms.Form):
    organisation = forms.ModelChoiceField(label="Cơ quan báo cáo", queryset=None)
    kind = forms.ChoiceField(label="Loại báo cáo", choices=Kind.choices, initial=Kind.QUARTERLY)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    number = forms.IntegerField(label="Kỳ (tháng, quý, nửa năm)", min_value=1, max_value=12, required=False, initial=1)
    start = forms.DateField(
        label="Từ ngày (báo cáo đột xuất)", required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )
    end = forms.DateField(
        label="Đến ngày (báo cáo đột xuất)", required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )

    def __init__(self, *args, organisations, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("year", today().year)
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        if data.get("kind") == Kind.AD_HOC:
            if not (data.get("start") and data.get("end")):
                raise forms.ValidationError("Báo cáo đột xuất cần ngày bắt đầu và ngày kết thúc.")
        else:
            data["start"] = data["end"] = None
            data["number"] = data.get("number") or 1
        return data


class NarrativeForm(StyledForm, forms.ModelForm):
    started_from = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Report
        fields = ["results", "difficulties", "proposals", "document_number", "signer", "signer_title", "recipients"]
        widgets = {
            "results": TEXTAREA,
            "difficulties": TEXTAREA,
            "proposals": TEXTAREA,
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }


class ManualRowForm(StyledForm, forms.Form):
    section = forms.CharField(label="Mục", required=False, max_length=200)
    label = forms.CharField(label="Nội dung", required=False, max_length=500)
    value = forms.CharField(label="Giá trị", required=False, max_length=200)
    note = forms.CharField(label="Ghi chú", required=False, max_length=500)


ManualRowFormSet = forms.formset_factory(ManualRowForm, extra=1, can_delete=True)


def manual_rows(formset) -> list[dict]:
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
