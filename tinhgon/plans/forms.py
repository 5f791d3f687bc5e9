"""Forms of the plan pages (/ke-hoach/). Views read `cleaned_data` and hand it to tinhgon.plans.services and
tinhgon.plans.indicators; querysets of choices (units, plans, tasks) are given by the view, already scoped."""

from django import forms
from django.core.exceptions import ValidationError

from tinhgon.core.forms import DocumentField, StyledForm
from tinhgon.organisations.forms import DATE_WIDGET, UnitChoiceField, UnitMultipleChoiceField
from tinhgon.plans.models import Indicator, Plan, Task

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _dates(form) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.input_formats = DATE_FORMATS
            field.widget = forms.DateInput(
                format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "class": "form-control"}
            )


def show_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its fields when they exist, else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _org_label(org) -> str:
    return org.short_name or org.name


class PlanForm(StyledForm, forms.ModelForm):
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Plan
        fields = [
            "title",
            "issuer",
            "number",
            "issued_on",
            "kind",
            "period_start",
            "period_end",
            "objectives",
            "parent_plan",
            "parent_task",
        ]
        widgets = {"objectives": TEXTAREA}
        field_classes = {"issuer": UnitChoiceField}

    def __init__(self, *args, issuers=None, plans=None, tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["issuer"].queryset = issuers
        self.fields["parent_plan"].queryset = plans
        self.fields["parent_plan"].empty_label = "(không)"
        self.fields["parent_task"].queryset = tasks
        self.fields["parent_task"].empty_label = "(không)"
        self.fields["parent_task"].label_from_instance = lambda t: f"{t.plan.number or t.plan.title} · {t}"[:160]
        if self.instance.pk:
            self.fields["row_version"].initial = self.instance.row_version


class AttachmentForm(StyledForm, forms.Form):
    title = forms.CharField(label="Tên tài liệu", max_length=300)
    file = DocumentField(label="Tệp")


class TaskForm(StyledForm, forms.ModelForm):
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Task
        fields = [
            "code",
            "title",
            "content",
            "lead",
            "coordinating",
            "executing",
            "executing_rule",
            "deadline",
            "recurrence",
            "recurrence_day",
            "product",
            "weight",
            "source_number",
            "source_date",
            "source_issuer",
        ]
        widgets = {
            "content": TEXTAREA,
            "title": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {
            "lead": UnitChoiceField,
            "coordinating": UnitMultipleChoiceField,
            "executing": UnitMultipleChoiceField,
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        for name in ("lead", "coordinating", "executing"):
            self.fields[name].queryset = units
        self.fields["executing_rule"].help_text = "Các đơn vị theo quy tắc được thêm vào danh sách cơ quan thực hiện."
        if self.instance.pk:
            self.fields["row_version"].initial = self.instance.row_version


class ReportForm(StyledForm, forms.Form):
    progress = forms.IntegerField(label="Tiến độ (%)", min_value=0, max_value=100)
    report = forms.CharField(label="Kết quả thực hiện", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    completed_on = forms.DateField(
        label="Ngày hoàn thành", required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EvidenceForm(StyledForm, forms.Form):
    title = forms.CharField(label="Tên minh chứng", max_length=300)
    file = DocumentField(label="Tệp minh chứng")


class ExtensionForm(StyledForm, forms.Form):
    requested_due_on = forms.DateField(label="Đề nghị gia hạn đến", widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(StyledForm, forms.Form):
    """The choice names the transition of ExtensionRequest it runs."""

    decision = forms.ChoiceField(label="Quyết định", choices=[("approve", "Đồng ý"), ("refuse", "Không đồng ý")])
    note = forms.CharField(label="Ý kiến", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CommentForm(StyledForm, forms.Form):
    text = forms.CharField(label="Ý kiến", widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "organisation", "unit", "direction", "target", "period", "source", "plan"]

    def __init__(self, *args, organisations=None, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].label_from_instance = _org_label
        self.fields["plan"].queryset = plans
        self.fields["plan"].empty_label = "(không)"


class IndicatorValueForm(StyledForm, forms.Form):
    period = forms.ChoiceField(label="Kỳ")
    value = forms.DecimalField(label="Giá trị", max_digits=14, decimal_places=2)
    note = forms.CharField(label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = DocumentField(label="Minh chứng", required=False)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(s.start.isoformat(), s.label) for s in periods]


class ScorecardCopyForm(StyledForm, forms.Form):
    year = forms.IntegerField(label="Năm", min_value=1990, max_value=2100)


class PointsField(forms.DecimalField):
    """Points typed with a comma or a point ("18,5" or "18.5"); empty leaves the score as it is."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_digits=6, decimal_places=2, **kwargs)

    def to_python(self, value):
        return super().to_python(value.replace(",", ".") if isinstance(value, str) else value)


class SelfScoreForm(forms.Form):
    """One criterion's self-assessment with its evidence (a row of the scorecard page)."""

    criterion = forms.IntegerField(min_value=1)
    self_score = PointsField()
    evidence = forms.CharField(required=False)

    def changes(self) -> dict:
        """The arguments of indicators.criterion_score."""
        return {"self_score": self.cleaned_data["self_score"], "evidence": self.cleaned_data["evidence"]}


class AppraisalForm(forms.Form):
    """One criterion's appraised score with the appraiser's note (a row of the scorecard page)."""

    criterion = forms.IntegerField(min_value=1)
    appraised_score = PointsField()
    note = forms.CharField(required=False)

    def changes(self) -> dict:
        return {"appraised_score": self.cleaned_data["appraised_score"], "note": self.cleaned_data["note"]}
