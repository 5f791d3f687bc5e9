"""Forms of the dashboards and the periodic reports (dates dd/mm/yyyy). The report list's filters are in
filters.py."""

from datetime import date

from django import forms

from tinhgon.core.dates import today
from tinhgon.core.forms import DATE_WIDGET, StyledForm
from tinhgon.organisations.forms import UnitChoiceField, UnitSearch
from tinhgon.reports.models import Report
from tinhgon.reports.periods import Kind

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
TEXTAREA = forms.Textarea(attrs={"rows": 4})
# The figures reach 12 months back from the date: a date outside these years means nothing here and would
# overflow the calendar.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
TRUE_VALUES, FALSE_VALUES = {"1", "true"}, {"", "0", "false"}


class FlagField(forms.Field):
    """`1`/`true` or `0`/`false` in any case, absent is false; anything else is refused in Vietnamese."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        text = str(value or "").strip().lower()
        if text not in TRUE_VALUES | FALSE_VALUES:
            raise forms.ValidationError(
                f"Giá trị của {self.label} phải là 1 hoặc true (0 hoặc false: không).", code="invalid"
            )
        return text in TRUE_VALUES


class DashboardFilterForm(StyledForm, forms.Form):
    """The parameters of the dashboard, for the page and the API alike."""

    org = forms.CharField(label="Cơ quan", required=False, max_length=40, widget=UnitSearch)
    as_of = forms.DateField(label="Tại ngày", required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET)
    all = FlagField(label="all")

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of")
        if day and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(
                f"Ngày phải trong khoảng {FIRST_DAY:%d/%m/%Y} – {LAST_DAY:%d/%m/%Y}.", code="out_of_range"
            )
        return day


class ReportCreateForm(StyledForm, forms.Form):
    organisation = UnitChoiceField(label="Cơ quan báo cáo", queryset=None)
    kind = forms.ChoiceField(label="Loại báo cáo", choices=Kind.choices, initial=Kind.QUARTERLY)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    number = forms.IntegerField(label="Kỳ (tháng, quý, nửa năm)", min_value=1, max_value=12, required=False, initial=1)
    start = forms.DateField(
        label="Từ ngày (báo cáo đột xuất)", required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )
    end = forms.DateField(
        label="Đến ngày (báo cáo đột xuất)", required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )

    existing: Report | None = None  # the period's report, when the one asked for exists already

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
    started_from = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    class Meta:
        model = Report
        fields = ["results", "difficulties", "proposals", "document_number", "signer", "signer_title", "recipients"]
        widgets = {
            "results": TEXTAREA,
            "difficulties": TEXTAREA,
            "proposals": TEXTAREA,
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }


class VersionSeenForm(forms.Form):
    """The row_version a page was rendered with, sent back by its action buttons (refresh, submit)."""

    started_from = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)


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
