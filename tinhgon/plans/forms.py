"""Forms of the plan pages (/ke-hoach/). Views read `cleaned_data` and hand it to tinhgon.plans.services and
tinhgon.plans.indicators; querysets of choices (units, plans, tasks) are given by the view, already scoped."""

from django import forms
from django.core.exceptions import ValidationError

from tinhgon.core.forms import (
    DocumentField,
    LongSelect,
    SharedOptionsSelect,
    SharedOptionsSelectMultiple,
    StyledForm,
    legal_date_field,
)
from tinhgon.organisations.forms import (
    DATE_WIDGET,
    UnitChoiceField,
    UnitMultipleChoiceField,
    UnitsByParent,
    unit_label,
)
from tinhgon.plans.constants import ExecutingRule, Recurrence
from tinhgon.plans.models import Indicator, Plan, Task

TEXTAREA = forms.Textarea(attrs={"rows": 3})
UNCLASSIFIED = "(chưa phân lĩnh vực)"
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
        # Every plan and task the user sees (thousands in a province) written in one pass, not one template each.
        widgets = {"objectives": TEXTAREA, "parent_plan": LongSelect, "parent_task": LongSelect}
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


RULE = "rule:"  # the value of a rule among the executing units' choices
RULE_GROUP = "Theo quy tắc (mọi đơn vị thuộc loại này, kể cả đơn vị thành lập sau)"
COMBINED_RULES = {
    frozenset({ExecutingRule.DEPARTMENTS, ExecutingRule.COMMUNES}): ExecutingRule.DEPARTMENTS_AND_COMMUNES,
    **{frozenset({rule}): rule for rule in ExecutingRule if rule},
}


class RulesThenUnits(UnitsByParent):
    """The rules a plan words its executing agencies with ("các sở, ban, ngành", "UBND các xã"), then the units."""

    def __iter__(self):
        basic = [ExecutingRule.DEPARTMENTS, ExecutingRule.COMMUNES, ExecutingRule.DIVISIONS]
        yield (RULE_GROUP, [(f"{RULE}{rule.value}", rule.label) for rule in basic])
        yield from super().__iter__()


class ExecutingField(UnitMultipleChoiceField):
    """The executing units, chosen in the same picker as the rules; `rule` is the one the choice amounts to."""

    iterator = RulesThenUnits
    rule = ExecutingRule.NONE

    def clean(self, value):
        chosen = [str(v) for v in value or []]
        rules = frozenset(v.removeprefix(RULE) for v in chosen if v.startswith(RULE))
        if rules and rules not in COMBINED_RULES:
            raise ValidationError(
                "Chỉ chọn được một quy tắc, hoặc cùng lúc “các sở, ban, ngành” và “UBND các xã, phường”.",
                code="rules",
            )
        self.rule = COMBINED_RULES.get(rules, ExecutingRule.NONE)
        return super().clean([v for v in chosen if not v.startswith(RULE)])

    @staticmethod
    def choices_of(rule: str) -> list[str]:
        """The picker's rule values a stored rule shows as selected."""
        parts = [part for part, whole in COMBINED_RULES.items() if whole == rule]
        return [f"{RULE}{r}" for r in sorted(str(part) for part in parts[0])] if parts and rule else []


class TaskForm(StyledForm, forms.ModelForm):
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Task
        fields = [
            "code",
            "title",
            "area",
            "content",
            "lead",
            "coordinating",
            "executing",
            "deadline",
            "recurrence",
            "recurrence_day",
            "product",
            "implements",
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
            "executing": ExecutingField,
        }
        help_texts = {"executing": "Chọn đơn vị, hoặc quy tắc ở đầu danh sách để giao cho mọi đơn vị thuộc loại đó."}

    def __init__(self, *args, units=None, parent_tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        for name in ("lead", "coordinating", "executing"):
            self.fields[name].queryset = units
        if parent_tasks is None:  # a plan without a parent plan: no task above to implement
            del self.fields["implements"]
        else:
            self.fields["implements"].queryset = parent_tasks
            self.fields["implements"].empty_label = "(không)"
        self.fields["area"].empty_label = UNCLASSIFIED
        if self.instance.pk:
            self.fields["row_version"].initial = self.instance.row_version
            chosen = list(self.initial.get("executing") or [])
            self.initial["executing"] = ExecutingField.choices_of(self.instance.executing_rule) + chosen

    def clean(self):
        data = super().clean()
        self.instance.executing_rule = self.fields["executing"].rule
        return data


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
    on = legal_date_field("Ngày quyết định")


class CommentForm(StyledForm, forms.Form):
    text = forms.CharField(label="Ý kiến", widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "area", "organisation", "unit", "direction", "target", "period", "deadline", "source", "plan"]
        field_classes = {"organisation": UnitChoiceField}
        widgets = {"deadline": DATE_WIDGET}

    def __init__(self, *args, organisations=None, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["plan"].queryset = plans
        self.fields["plan"].empty_label = "(không)"
        self.fields["area"].empty_label = UNCLASSIFIED


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


# Tasks entered from the plan's document (document_views.py) ------------------------------------------------------


class DocumentSourceForm(StyledForm, forms.Form):
    """The plan's document: a file, or its text pasted (one of the two)."""

    file = forms.FileField(
        label="Tệp kế hoạch (.docx, .pdf có lớp chữ, .txt)",
        required=False,
        allow_empty_file=True,  # refused by the extraction with its own message
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt"}),
    )
    text = forms.CharField(
        label="Hoặc dán nội dung kế hoạch",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise ValidationError("Hãy chọn tệp kế hoạch hoặc dán nội dung kế hoạch.")
        if data.get("file") and (data.get("text") or "").strip():
            raise ValidationError("Chỉ chọn tệp hoặc dán nội dung, không cả hai.")
        return data


REGULAR = "regular"  # the review's choice for a regular task ("thường xuyên"): no deadline, no recurrence
UNITS_ID = "review-units"  # the id of the page's JSON list of units (SharedOptionsSelect)


def unit_choices(units) -> list[tuple[str, str]]:
    """(code, “name — parent”) of the units a review form offers, worked out once for every form of the page."""
    return [(u.code, unit_label(u)) for u in units.select_related("parent").order_by("name", "code")]


class TaskReviewForm(StyledForm, forms.Form):
    """One task read from the document, as the user corrects it before saving. Checked only when included; the
    import then checks it as a row of the task table (deadline within the plan, STT, …)."""

    include = forms.BooleanField(label="Nhập nhiệm vụ này", required=False)
    code = forms.CharField(label="STT", max_length=20, required=False)
    title = forms.CharField(label="Nhiệm vụ", max_length=1000, required=False, widget=forms.Textarea({"rows": 4}))
    lead = forms.ChoiceField(label="Chủ trì", required=False, widget=SharedOptionsSelect(options_id=UNITS_ID))
    coordinating = forms.MultipleChoiceField(
        label="Phối hợp", required=False, widget=SharedOptionsSelectMultiple(options_id=UNITS_ID)
    )
    executing = forms.MultipleChoiceField(
        label="Thực hiện", required=False, widget=SharedOptionsSelectMultiple(options_id=UNITS_ID)
    )
    executing_rule = forms.ChoiceField(
        label="Thực hiện theo quy tắc", required=False, choices=[("", "(không)"), *ExecutingRule.choices[1:]]
    )
    deadline = forms.DateField(label="Thời hạn", required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET)
    recurrence = forms.ChoiceField(
        label="Định kỳ",
        required=False,
        choices=[("", "Một lần"), *Recurrence.choices[1:], (REGULAR, "Thường xuyên (không thời hạn)")],
    )
    product = forms.CharField(label="Sản phẩm", max_length=500, required=False)
    implements = forms.ChoiceField(label="Thực hiện nhiệm vụ cấp trên", required=False)

    def __init__(self, *args, units=(), parent_tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", "(chọn đơn vị chủ trì)"), *units]
        self.fields["coordinating"].choices = units
        self.fields["executing"].choices = units
        if parent_tasks is None:
            del self.fields["implements"]
        else:
            self.fields["implements"].choices = [("", "(không)")] + [
                (str(t.pk), f"{t.code}. {t.title}"[:160]) for t in parent_tasks
            ]

    def full_clean(self):
        """A task left out is not checked: what the document got wrong about it does not matter."""
        super().full_clean()
        if self.is_bound and not self.cleaned_data.get("include"):
            self._errors.clear()

    def clean(self):
        data = super().clean()
        if not data.get("include"):
            return data
        for name, message in (
            ("code", "Nhập STT."),
            ("title", "Nhập nội dung nhiệm vụ."),
            ("lead", "Chọn đơn vị chủ trì."),
        ):
            if not data.get(name):
                self.add_error(name, message)
        if not data.get("deadline") and not data.get("recurrence"):
            self.add_error("deadline", "Nhập thời hạn (dd/mm/yyyy), hoặc chọn định kỳ hay “Thường xuyên”.")
        if data.get("deadline") and data.get("recurrence"):
            self.add_error("deadline", "Nhiệm vụ định kỳ hay thường xuyên không có thời hạn riêng: để trống thời hạn.")
        if data.get("recurrence") == REGULAR:  # saved as neither a deadline nor a recurrence (Task: regular)
            data["recurrence"] = ""
        return data


class BaseTaskReviewFormSet(forms.BaseFormSet):
    def included(self) -> list[tuple[int, dict]]:
        return [(i, f.cleaned_data) for i, f in enumerate(self.forms) if f.cleaned_data.get("include")]

    def clean(self):
        if not any(self.errors) and not self.included():
            raise ValidationError("Chưa chọn nhiệm vụ nào để nhập.")


TaskReviewFormSet = forms.formset_factory(
    TaskReviewForm, formset=BaseTaskReviewFormSet, extra=0, max_num=1000, absolute_max=1000, validate_max=True
)
