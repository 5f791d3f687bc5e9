"""Forms of the review pages. Views read `cleaned_data` and hand it to tinhgon.reviews.services."""

from django import forms

from tinhgon.core.forms import GuardedModelForm, StyledForm
from tinhgon.organisations.forms import DATE_WIDGET, UnitChoiceField
from tinhgon.procedures.constants import STANDARD_LEGAL_BASES, Group, Level
from tinhgon.procedures.models import Field
from tinhgon.reviews.constants import Action, ChangeKind, TeamRole
from tinhgon.reviews.ledger import METRIC_LABELS
from tinhgon.reviews.models import (
    ApprovalDecision,
    CostParameterSet,
    ImplementationItem,
    Milestone,
    ReviewRound,
    ReviewTeam,
)

TEXTAREA = forms.Textarea(attrs={"rows": 2})
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class RoundForm(StyledForm, forms.ModelForm):
    add_all = forms.BooleanField(
        label="Đưa toàn bộ thủ tục đang có hiệu lực của cơ quan vào kế hoạch", required=False, initial=True
    )

    class Meta:
        model = ReviewRound
        fields = ["title", "organisation", "year", "decision_number", "decision_date", "deadline", "note"]
        widgets = {"decision_date": DATE_WIDGET, "deadline": DATE_WIDGET, "note": TEXTAREA}
        field_classes = {"organisation": UnitChoiceField}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class AddReviewForm(StyledForm, forms.Form):
    procedure = forms.ModelChoiceField(label="Thủ tục", queryset=None)
    responsible = UnitChoiceField(
        label="Đơn vị chủ trì (trống: cơ quan quản lý thủ tục)", queryset=None, required=False
    )
    deadline = forms.DateField(label="Thời hạn", required=False, widget=DATE_WIDGET)

    def __init__(self, *args, procedures=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures
        self.fields["procedure"].label_from_instance = lambda p: f"{p.code} · {p.owner.name}"
        self.fields["responsible"].queryset = units


class SheetForm(StyledForm, forms.Form):
    parameters = forms.ModelChoiceField(label="Bộ tham số chi phí", queryset=None, required=False)
    executions_per_year = forms.DecimalField(
        label="Số lần thực hiện/năm của một đối tượng", min_value=0, max_digits=8, decimal_places=2
    )
    subjects_per_year = forms.IntegerField(label="Số đối tượng thực hiện/năm", min_value=0)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, parameters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parameters"].queryset = parameters.order_by("-year", "name")
        self.fields["parameters"].empty_label = "(giữ bộ tham số đang dùng)"


class CostRowForm(StyledForm, forms.Form):
    activity = forms.CharField(label="Công việc", max_length=300)
    hours = forms.DecimalField(label="Số giờ", min_value=0, max_digits=8, decimal_places=2, initial=0)
    outsourced_cost = forms.IntegerField(label="Thuê dịch vụ (đồng)", min_value=0, initial=0, required=False)
    fees = forms.IntegerField(label="Phí, lệ phí (đồng)", min_value=0, initial=0, required=False)
    other_costs = forms.IntegerField(label="Chi phí khác (đồng)", min_value=0, initial=0, required=False)


CostRowFormSet = forms.formset_factory(CostRowForm, extra=0, can_delete=True)


def sheet_forms(sheet, scenario: str, data=None, parameters=None):
    """The sheet's head form and its rows formset, prefixed by scenario so both sheets fit one page; `parameters`:
    the parameter sets the user may choose (CostParameterSet.objects.visible_to)."""
    prefix = f"sheet-{scenario}"
    initial = None
    if sheet is not None:
        initial = {
            "parameters": sheet.parameters_id,
            "executions_per_year": sheet.executions_per_year,
            "subjects_per_year": sheet.subjects_per_year,
            "row_version": sheet.row_version,
        }
    head = SheetForm(data, prefix=prefix, initial=initial, parameters=parameters)
    rows = None
    if data is None and sheet is not None:
        rows = [
            {
                "activity": r.activity,
                "hours": r.hours,
                "outsourced_cost": r.outsourced_cost,
                "fees": r.fees,
                "other_costs": r.other_costs,
            }
            for r in sheet.rows.all()
        ]
    return head, CostRowFormSet(data, prefix=f"{prefix}-rows", initial=rows)


def formset_rows(formset) -> list[dict]:
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class ProposalForm(StyledForm, forms.Form):
    action = forms.ChoiceField(label="Phương án", choices=Action.choices)
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    legal_acts = forms.CharField(
        label="Kiến nghị thực thi: văn bản cần sửa đổi, ban hành (mỗi văn bản một dòng)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    implementing_issuer = forms.CharField(label="Cơ quan có thẩm quyền ban hành", max_length=300, required=False)
    implementation_deadline = forms.DateField(label="Thời hạn thực thi", required=False, widget=DATE_WIDGET)
    time_before = forms.DecimalField(
        label="Thời hạn giải quyết trước (ngày làm việc)",
        min_value=0,
        max_digits=7,
        decimal_places=2,
        required=False,
        help_text="Bỏ trống: lấy từ thời hạn của phiên bản đang rà soát",
    )
    time_after = forms.DecimalField(
        label="Thời hạn giải quyết sau đơn giản hóa (ngày làm việc)",
        min_value=0,
        max_digits=7,
        decimal_places=2,
        required=False,
        help_text="Phương án sửa đổi, thay thế, tái cấu trúc quy trình",
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ChangeForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label="Loại thay đổi", choices=ChangeKind.choices)
    target = forms.CharField(label="Bộ phận, nội dung", max_length=500, required=False)
    before = forms.CharField(label="Hiện tại", max_length=500, required=False)
    after = forms.CharField(label="Đề xuất", max_length=500, required=False)


ChangeFormSet = forms.formset_factory(ChangeForm, extra=0, can_delete=True)


def proposal_forms(proposal, data=None):
    initial = None
    changes = None
    if proposal is not None:
        initial = {
            "action": proposal.action,
            "reason": proposal.reason,
            "legal_acts": proposal.legal_acts,
            "implementing_issuer": proposal.implementing_issuer,
            "implementation_deadline": proposal.implementation_deadline,
            "time_before": proposal.time_before,
            "time_after": proposal.time_after,
            "row_version": proposal.row_version,
        }
        if data is None:
            changes = [{k: c.get(k, "") for k in ("kind", "target", "before", "after")} for c in proposal.changes]
    form = ProposalForm(data, prefix="proposal", initial=initial)
    return form, ChangeFormSet(data, prefix="changes", initial=changes)


# The text of a workflow step: its shape here, whether it may be blank in the transition (Review.send_back, assess).
class ReturnForm(StyledForm, forms.Form):
    comment = forms.CharField(
        label="Lý do trả lại", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )


class AssessForm(StyledForm, forms.Form):
    assessment = forms.CharField(
        label="Ý kiến đánh giá độc lập", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )


class AddToApprovalForm(forms.Form):
    """The checked forms chosen on a draft approval decision's page, among those offered (`candidates`)."""

    reviews = forms.ModelMultipleChoiceField(
        queryset=None, error_messages={"required": "Chọn ít nhất một phiếu rà soát đã kiểm soát."}
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviews"].queryset = candidates


class ApprovalForm(StyledForm, GuardedModelForm):
    class Meta:
        model = ApprovalDecision
        fields = [
            "number",
            "title",
            "issuer",
            "signed_on",
            "signer",
            "signer_title",
            "legal_bases",
            "proposal",
            "proposer",
            "lead_unit",
        ]
        widgets = {"signed_on": DATE_WIDGET, "title": TEXTAREA, "legal_bases": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"issuer": UnitChoiceField, "lead_unit": UnitChoiceField, "proposer": UnitChoiceField}

    def __init__(self, *args, issuers=None, proposers=None, **kwargs):
        if not kwargs.get("instance"):
            kwargs.setdefault("initial", {}).setdefault("legal_bases", "\n".join(STANDARD_LEGAL_BASES))
        super().__init__(*args, **kwargs)
        for name in self._meta.model.issue_needs:  # a draft saves without them; issuing refuses it
            self.fields[name].mandatory = True
        self.fields["issuer"].queryset = issuers
        self.fields["lead_unit"].queryset = issuers
        self.fields["proposer"].queryset = proposers.order_by("name")

    def clean(self):
        data = super().clean()
        issuer, title = data.get("issuer"), data.get("signer_title") or ""
        if issuer and issuer.signer_title_problem(title):  # never another kind's title (issue 12)
            self.add_error("signer_title", issuer.signer_title_problem(title))
        return data


class ImplementationForm(StyledForm, forms.Form):
    """The next state of an implementation item, among those its transitions the user may start lead to (start:
    in progress; complete: done, with the act issued); `transition` names the one chosen."""

    status = forms.ChoiceField(label="Trạng thái")
    issued_reference = forms.CharField(label="Số, ký hiệu văn bản đã ban hành", max_length=120, required=False)
    issued_on = forms.DateField(label="Ngày ban hành", required=False, widget=DATE_WIDGET)

    def __init__(self, *args, item: ImplementationItem, actions: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        moves = [t for name, t in ImplementationItem.transitions().items() if name in actions]
        self.targets = {t.target: t.name for t in moves}
        labels = dict(item._meta.get_field("status").choices)
        self.fields["status"].choices = [(t.target, labels[t.target]) for t in moves]

    @property
    def transition(self) -> str:
        return self.targets[self.cleaned_data["status"]]

    def arguments(self) -> list:
        if self.transition == "complete":
            return [self.cleaned_data["issued_reference"], self.cleaned_data["issued_on"]]
        return []


class ParameterForm(StyledForm, forms.ModelForm):
    class Meta:
        model = CostParameterSet
        fields = ["name", "year", "monthly_income", "working_days_per_month", "hours_per_day", "source", "organisation"]
        field_classes = {"organisation": UnitChoiceField}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MilestoneForm(StyledForm, forms.ModelForm):
    """A milestone of the unit whose page it is (the view sets the organisation), as its plan words it."""

    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    due_on = forms.DateField(label="Thời hạn", input_formats=DATE_FORMATS, widget=DATE_WIDGET)

    class Meta:
        model = Milestone
        fields = ["metric", "target", "due_on", "source"]
        help_texts = {
            "target": "Phần trăm, từ 0,01 đến 100.",
            "source": "Số, ngày kế hoạch hoặc quyết định đặt mốc, ví dụ “QĐ 258/QĐ-UBND ngày 04/3/2024”.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].localize = True
        self.fields["target"].widget.is_localized = True
        if self.instance.pk:
            self.initial.setdefault("row_version", self.instance.row_version)

    def clean_target(self):
        target = self.cleaned_data["target"]
        if target is not None and not 0 < target <= 100:
            raise forms.ValidationError("Mức phải đạt là tỷ lệ phần trăm, lớn hơn 0 và không quá 100.")
        return target


class LedgerFilterForm(StyledForm, forms.Form):
    """The ledger's parameters, shared by its page, its workbook and /api/v1/ledger/ (reviews.ledger.filters_for
    turns them into ledger Filters, with a 404 for a unit the user may not see)."""

    org = forms.CharField(label="Mã cơ quan", required=False, max_length=40)
    group = forms.ChoiceField(label="Nhóm", choices=[("", "Tất cả"), *Group.choices], required=False)
    field = forms.ModelChoiceField(
        label="Lĩnh vực", queryset=Field.objects.all(), required=False, to_field_name="code", empty_label="Tất cả"
    )
    level = forms.ChoiceField(label="Cấp", choices=[("", "Tất cả"), *Level.choices], required=False)
    as_of = forms.DateField(label="Tại ngày", required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET)


class LedgerListForm(LedgerFilterForm):
    """The ledger's parameters and the figure whose procedures are listed."""

    metric = forms.ChoiceField(label="Chỉ tiêu", choices=list(METRIC_LABELS.items()), required=False)


# The review team and assignments ----------------------------------------------------------------------------------


class TeamForm(StyledForm, forms.ModelForm):
    """The decision that set up the plan's review team."""

    class Meta:
        model = ReviewTeam
        fields = ["name", "decision_number", "decision_date", "signer", "signer_title"]
        widgets = {"decision_date": DATE_WIDGET}


class PersonChoiceField(forms.ModelChoiceField):
    """A person shown by name and the unit they work in (`units`: user id -> unit name)."""

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units or {}

    def label_from_instance(self, user):
        unit = self.units.get(user.pk)
        return f"{user} — {unit}" if unit else str(user)


class MemberForm(StyledForm, forms.Form):
    user = PersonChoiceField(
        label="Cán bộ", queryset=None, empty_label="(chọn cán bộ)", error_messages={"required": "Hãy chọn cán bộ."}
    )
    role = forms.ChoiceField(label="Vai trò trong tổ", choices=TeamRole.choices, initial=TeamRole.MEMBER)
    position = forms.CharField(label="Chức vụ", max_length=200, required=False)

    def __init__(self, *args, people=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["user"].units = units


class AssignForm(StyledForm, forms.Form):
    """One form's officer (`reviews` absent) or several forms of a plan given to one officer (`reviews`: the
    forms offered). Empty assignee: the form goes back to its unit as a whole."""

    assignee = PersonChoiceField(label="Giao cho", queryset=None, required=False, empty_label="(cả đơn vị chủ trì)")
    reviews = forms.ModelMultipleChoiceField(
        queryset=None, required=False, error_messages={"invalid_choice": "Phiếu rà soát không thuộc kế hoạch này."}
    )

    def __init__(self, *args, people=None, units=None, reviews=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people
        self.fields["assignee"].units = units
        if reviews is None:
            del self.fields["reviews"]
        else:
            self.fields["reviews"].queryset = reviews
            self.fields["reviews"].required = True
            self.fields["reviews"].error_messages["required"] = "Chọn ít nhất một phiếu rà soát."
