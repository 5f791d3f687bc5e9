"""Forms of the quality pages (/chat-luong/). Querysets of choices (units, announcements, processes, procedures) are
given by the view, already scoped to what the user may see or act on; views hand `cleaned_data` to
tinhgon.quality.services, whose ValidationErrors are put back on the form (`show_error`)."""

from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery

from tinhgon.core.forms import DocumentField, StyledForm
from tinhgon.organisations.forms import UnitChoiceField
from tinhgon.procedures.models import ProcedureVersion
from tinhgon.quality.models import AuditFinding, ConformityAnnouncement, InternalAudit, QualityProcess
from tinhgon.quality.services import points_text

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
MONTH_FORMATS = ["%m/%Y", "%Y-%m", "%m-%Y"]
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _dates(form) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.input_formats = DATE_FORMATS
            field.widget = forms.DateInput(
                format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "class": "form-control"}
            )


def _version(form) -> None:
    if form.instance.pk:
        form.fields["row_version"].initial = form.instance.row_version


def show_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its fields when they exist, else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class SearchableMultiple(forms.SelectMultiple):
    """A multiple select searched by typing (Tom Select, static/js/unit-picker.js), a plain list without script."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-picker": "", **(attrs or {})}, choices)


def procedures_with_names(procedures):
    """Procedures annotated with the name of their latest version (`title`), for choices and lists."""
    latest = ProcedureVersion.objects.filter(procedure=OuterRef("pk")).order_by("-number")
    return procedures.filter(is_template=False).annotate(title=Subquery(latest.values("name")[:1])).order_by("code")


class ProcessForm(StyledForm, forms.ModelForm):
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = QualityProcess
        fields = [
            "organisation",
            "code",
            "name",
            "edition",
            "effective_on",
            "next_review_on",
            "announcement",
            "scope",
            "procedures",
        ]
        widgets = {"scope": TEXTAREA, "procedures": SearchableMultiple}
        field_classes = {"organisation": UnitChoiceField}

    def __init__(self, *args, organisations=None, announcements=None, procedures=None, edition_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        _version(self)
        self.fields["organisation"].queryset = organisations
        self.fields["announcement"].queryset = announcements.select_related("organisation")
        self.fields["announcement"].empty_label = "(chưa công bố)"
        self.fields["announcement"].label_from_instance = lambda a: f"{a} · {a.organisation.name}"
        self.fields["procedures"].queryset = procedures_with_names(procedures)
        self.fields["procedures"].label_from_instance = lambda p: f"{p.code} · {p.title or ''}"[:200]
        self.fields["procedures"].help_text = "Gõ mã hoặc tên thủ tục để tìm; chỉ liệt kê thủ tục bạn được xem."
        self.fields["procedures"].error_messages["invalid_choice"] = "Thủ tục %(value)s không có trong danh sách."
        if edition_of is not None:  # a new edition keeps the owner and the code of the one it replaces
            for name in ("organisation", "code"):
                del self.fields[name]


class AbolishForm(StyledForm, forms.Form):
    reason = forms.CharField(label="Lý do bãi bỏ", widget=TEXTAREA, max_length=2000)


class AnnouncementForm(StyledForm, forms.ModelForm):
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ConformityAnnouncement
        fields = ["organisation", "number", "signed_on", "signer", "standard", "scope"]
        widgets = {"scope": TEXTAREA}
        field_classes = {"organisation": UnitChoiceField}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        _version(self)
        self.fields["organisation"].queryset = organisations


class InternalAuditForm(StyledForm, forms.ModelForm):
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = InternalAudit
        fields = ["organisation", "title", "conducted_on", "scope", "processes", "auditors", "conclusion"]
        widgets = {
            "scope": TEXTAREA,
            "auditors": TEXTAREA,
            "conclusion": TEXTAREA,
            "processes": SearchableMultiple,
        }
        field_classes = {"organisation": UnitChoiceField}

    def __init__(self, *args, organisations=None, processes=None, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        _version(self)
        self.fields["organisation"].queryset = organisations
        self.fields["processes"].queryset = processes.select_related("organisation")
        self.fields["processes"].label_from_instance = lambda p: f"{p.code} {p.name} · {p.organisation.name}"[:200]
        self.fields["processes"].help_text = "Các quy trình đang áp dụng của cơ quan và đơn vị trực thuộc."


class FindingForm(StyledForm, forms.ModelForm):
    """The whole finding, for the managers of the audited agency."""

    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AuditFinding
        fields = ["process", "category", "description", "due_on", "corrective_action", "closed_on"]
        widgets = {"description": TEXTAREA, "corrective_action": TEXTAREA}

    def __init__(self, *args, processes=None, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        _version(self)
        self.fields["process"].queryset = processes.select_related("organisation")
        self.fields["process"].empty_label = "(hệ thống quản lý chất lượng nói chung)"
        self.fields["process"].label_from_instance = lambda p: f"{p.code} {p.name} · {p.organisation.name}"[:200]


class CorrectionForm(StyledForm, forms.ModelForm):
    """The process owner's part of a finding: what was done and when it was closed."""

    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AuditFinding
        fields = ["corrective_action", "closed_on"]
        widgets = {"corrective_action": TEXTAREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        _version(self)


# QĐ 766 -----------------------------------------------------------------------------------------------------------


class MonthField(forms.DateField):
    """A month typed as mm/yyyy (or yyyy-mm, as a month input sends it): its first day."""

    input_formats = MONTH_FORMATS
    default_error_messages = {"invalid": "Nhập tháng theo dạng mm/yyyy, ví dụ 05/2026."}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.DateInput(format="%m/%Y", attrs={"placeholder": "mm/yyyy", "inputmode": "numeric"})
        )
        super().__init__(**kwargs)

    def strptime(self, value, format):
        return datetime.strptime(value, format).date().replace(day=1)  # noqa: DTZ007 - a month, not a moment

    def clean(self, value):
        month = super().clean(value)
        if month is not None and not date(2022, 1, 1) <= month <= date(2100, 12, 1):
            raise ValidationError("Tháng phải từ 01/2022 (Bộ chỉ số ban hành năm 2022).")
        return month


class PointsField(forms.DecimalField):
    """Points typed with a comma or a point ("18,5" or "18.5"), within 0 and the component's maximum. A text input:
    a number input refuses the comma Vietnamese write decimals with."""

    widget = forms.TextInput

    def __init__(self, component, **kwargs):
        self.component = component
        limit = points_text(component.max_points)
        super().__init__(
            label=f"{component.name} (tối đa {limit} điểm)",
            required=False,
            max_digits=5,
            decimal_places=2,
            min_value=Decimal(0),
            max_value=component.max_points,
            error_messages={
                "max_value": f"Điểm “{component.name}” tối đa {limit} điểm.",
                "min_value": f"Điểm “{component.name}” không được âm.",
                "invalid": "Nhập một số, ví dụ 12,5.",
                "max_decimal_places": "Tối đa hai chữ số thập phân.",
            },
            **kwargs,
        )
        self.widget.attrs.update({"inputmode": "decimal", "data-max": str(component.max_points)})
        if component.description:
            self.help_text = component.description

    def to_python(self, value):
        return super().to_python(value.replace(",", ".").strip() if isinstance(value, str) else value)


class ScoreForm(StyledForm, forms.Form):
    """A unit's scores for a month: the unit and the month (on a new entry), one field per component group, a note
    and the evidence."""

    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    organisation = UnitChoiceField(label="Đơn vị", queryset=None)
    month = MonthField(label="Tháng")
    note = forms.CharField(label="Ghi chú, giải trình", widget=TEXTAREA, required=False, max_length=4000)
    evidence = DocumentField(label="Minh chứng (không bắt buộc)", required=False)

    def __init__(self, *args, components=(), organisations=None, score=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.components = list(components)
        self.fields["organisation"].queryset = organisations
        fields = {f"c_{c.code}": PointsField(c) for c in self.components}
        ordered = {name: self.fields.pop(name) for name in ("note", "evidence")}
        self.fields.update(fields)
        self.fields.update(ordered)
        for field in fields.values():
            field.widget.attrs["class"] = "form-control"
        if score is not None:
            self.fields["row_version"].initial = score.row_version
            for name in ("organisation", "month"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    def points(self) -> dict:
        """Component -> points (None where left empty), for services.score_save."""
        return {c: self.cleaned_data.get(f"c_{c.code}") for c in self.components}

    def clean(self):
        data = super().clean()
        if self.components and all(data.get(f"c_{c.code}") is None for c in self.components) and not self.errors:
            raise ValidationError("Nhập điểm ít nhất một nhóm chỉ số.")
        return data


class PublishForm(forms.Form):
    row_version = forms.IntegerField(required=False)
