from django import forms
from django.core.exceptions import ValidationError

from tinhgon.core.forms import DocumentField, GuardedModelForm, StyledForm, legal_date_field
from tinhgon.organisations.forms import DATE_WIDGET, UnitChoiceField
from tinhgon.procedures import processing_time
from tinhgon.procedures.constants import STANDARD_LEGAL_BASES, Change, Channel, Level
from tinhgon.procedures.models import Field, Procedure, ProcedureVersion, PublicationDecision, required_components
from tinhgon.procedures.services import VERSION_FIELDS, Components, inventory_date

TEXTAREA = forms.Textarea(attrs={"rows": 2})

# The id of the note on the edit form explaining the mark of the components mandatory for the check.
MANDATORY_NOTE_ID = "mandatory-note"
# The form field that holds a component, where its name differs.
COMPONENT_FIELDS = {"processing_time": "processing_time_text"}
# The structured part of the time limit: read from the text unless the user corrected one of these.
STRUCTURED_TIME = ["processing_time_min", "processing_time_value", "processing_time_unit", "processing_time_variants"]
VARIANT_FORMAT = "điều kiện: thời hạn, ví dụ “Trường hợp phải xác minh: 55 ngày”"


class VersionForm(StyledForm, forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label="Cách thức thực hiện", choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    processing_time_variants = forms.CharField(
        label="Thời hạn theo trường hợp khác",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=f"Mỗi trường hợp một dòng, dạng “{VARIANT_FORMAT}”. Để trống thì hệ thống đọc từ nội dung trên.",
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProcedureVersion
        fields = [f for f in VERSION_FIELDS if f != "channels"]
        widgets = {
            name: TEXTAREA
            for name in [
                "performers",
                "authority",
                "performing_body",
                "coordinating_bodies",
                "result",
                "fees",
                "conditions",
            ]
        }
        widgets["name"] = forms.Textarea(attrs={"rows": 2})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = Field.objects.filter(is_active=True)
        if self.instance.pk:
            self.fields["row_version"].initial = self.instance.row_version
            structured = self.instance.processing_time()
            self._show_understood(structured)
            variants = structured.variants if structured else ()
            self.initial["processing_time_variants"] = "\n".join(v.text() for v in variants)
        # Marked, not required: a draft saves without them; only the focal point's check refuses them.
        self.mandatory_components = set(required_components())
        for component in self.mandatory_components:
            field = self.fields.get(COMPONENT_FIELDS.get(component, component))
            if field is not None:
                field.mandatory = True
                field.widget.attrs["aria-describedby"] = MANDATORY_NOTE_ID

    def clean_processing_time_variants(self) -> list[dict]:
        lines = [line.strip() for line in self.cleaned_data["processing_time_variants"].splitlines() if line.strip()]
        variants = [processing_time.parse_variant(line) for line in lines]
        wrong = [f"“{line}”" for line, variant in zip(lines, variants, strict=True) if variant is None]
        if wrong:
            raise ValidationError(f"Chưa hiểu được trường hợp {', '.join(wrong)}; hãy ghi dạng “{VARIANT_FORMAT}”.")
        return [variant.as_dict() for variant in variants]

    def clean(self):
        """A new text is read into the structured part, unless the user corrected the structured part too."""
        data = super().clean()
        text_changed = "processing_time_text" in self.changed_data
        number = processing_time.bare_number(data.get("processing_time_text", ""))
        if number is not None and number <= processing_time.MAX_VALUE and not self.errors:
            # A number alone is a value in the unit chosen beside it, worded as decisions print it.
            data.update(processing_time.fields_for_value(number, data.get("processing_time_unit")))
        elif text_changed and not set(STRUCTURED_TIME) & set(self.changed_data) and not self.errors:
            data.update(processing_time.fields_for(data.get("processing_time_text", "")))
        if not self.errors:
            self._show_understood(self._structured(data))
        return data

    def _structured(self, data: dict):
        return processing_time.from_fields(
            data.get("processing_time_min"),
            data.get("processing_time_value"),
            data.get("processing_time_unit"),
            data.get("processing_time_variants"),
        )

    def _show_understood(self, structured) -> None:
        self.fields["processing_time_text"].help_text = processing_time.understood(structured)


class StepForm(StyledForm, forms.Form):
    actor = forms.CharField(label="Chủ thể", max_length=300, required=False)
    action = forms.CharField(label="Nội dung công việc", widget=forms.Textarea(attrs={"rows": 2}))
    duration = forms.CharField(label="Thời gian", max_length=100, required=False)


class DossierItemForm(StyledForm, forms.Form):
    name = forms.CharField(label="Tên giấy tờ", max_length=500)
    originals = forms.IntegerField(label="Bản chính", min_value=0, max_value=99, initial=1)
    copies = forms.IntegerField(label="Bản sao", min_value=0, max_value=99, initial=0)
    certified_copies = forms.IntegerField(label="Bản sao chứng thực", min_value=0, max_value=99, initial=0)
    obtainable_from_data = forms.BooleanField(label="Khai thác được từ dữ liệu sẵn có", required=False)


class LegalBasisForm(StyledForm, forms.Form):
    number = forms.CharField(label="Số, ký hiệu", max_length=100)
    date = forms.DateField(label="Ngày ban hành", required=False, widget=DATE_WIDGET)
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=300, required=False)
    title = forms.CharField(label="Trích yếu", max_length=500, required=False)
    article = forms.CharField(label="Điều, khoản", max_length=200, required=False)


class OtherLevelForm(StyledForm, forms.Form):
    """A level the procedure is also performed at, besides its primary level, with the body performing it there."""

    level = forms.ChoiceField(label="Cấp thực hiện", choices=Level.choices)
    body = forms.CharField(label="Cơ quan thực hiện", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OtherLevelFormSet(forms.BaseFormSet):
    def clean(self):
        seen = set()
        for form in self.forms:
            level = (form.cleaned_data or {}).get("level")
            if level and not form.cleaned_data.get("DELETE"):
                if level in seen:
                    raise ValidationError(f"Cấp “{Level(level).label}” được nhập hai lần.")
                seen.add(level)


PART_FORMS = {
    "steps": StepForm,
    "dossier_items": DossierItemForm,
    "legal_bases": LegalBasisForm,
    "other_levels": OtherLevelForm,
}
FORMSET_CLASSES = {"other_levels": OtherLevelFormSet}


def part_formsets(data=None, version: ProcedureVersion | None = None) -> dict:
    """One formset per repeating component, prefilled from `version`; users can add and remove rows."""
    formsets = {}
    for name, form_class in PART_FORMS.items():
        extra = 0 if version is not None or name == "other_levels" else 1
        formset = FORMSET_CLASSES.get(name, forms.BaseFormSet)
        factory = forms.formset_factory(form_class, formset=formset, extra=extra, can_delete=True)
        initial = None
        if version is not None and data is None:
            rows = getattr(Components.of(version), name) or []
            initial = [{k: v for k, v in row.items() if k not in {"order", "organisation"}} for row in rows]
        formsets[name] = factory(data, prefix=name, initial=initial)
    return formsets


def components_from(version_form: VersionForm, formsets: dict) -> Components:
    fields = {name: version_form.cleaned_data[name] for name in VERSION_FIELDS}
    parts = {
        name: [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for name, formset in formsets.items()
    }
    return Components(fields=fields, **parts)


class NewProcedureForm(StyledForm, forms.Form):
    owner = UnitChoiceField(label="Cơ quan quản lý", queryset=None)
    code = forms.CharField(
        label="Mã thủ tục", max_length=60, required=False, help_text="Bỏ trống để hệ thống tự sinh mã theo cơ quan."
    )
    national_code = forms.CharField(label="Mã trên CSDL quốc gia", max_length=60, required=False)
    inventoried_on = forms.DateField(
        label="Ngày thống kê",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=DATE_WIDGET,
        help_text="Ngày đơn vị thống kê thủ tục; để trống nếu là hôm nay.",
    )

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if code and Procedure.objects.filter(code=code).exists():
            raise ValidationError("Mã thủ tục này đã được dùng.")
        return code

    def clean(self):
        """The inventory day judged on the form, beside its field (procedures.services.inventory_date)."""
        data = super().clean()
        if data.get("owner") and "inventoried_on" in data:
            data["inventoried_on"] = inventory_date(data["inventoried_on"], data["owner"])
        return data


class ReturnForm(StyledForm, forms.Form):
    comment = forms.CharField(label="Lý do trả lại", widget=forms.Textarea(attrs={"rows": 3}))


class FormUploadForm(StyledForm, forms.Form):
    """A form (mẫu đơn, tờ khai) added to a draft version."""

    name = forms.CharField(label="Tên mẫu", max_length=300)
    file = DocumentField(label="Tệp")


class DecisionForm(StyledForm, GuardedModelForm):
    class Meta:
        model = PublicationDecision
        fields = [
            "number",
            "title",
            "issuer",
            "signed_on",
            "signer",
            "signer_title",
            "effective_on",
            "legal_bases",
            "proposal",
            "proposer",
        ]
        widgets = {
            "signed_on": DATE_WIDGET,
            "effective_on": DATE_WIDGET,
            "legal_bases": forms.Textarea(attrs={"rows": 4}),
            "title": forms.Textarea(attrs={"rows": 2}),
            "signer_title": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"issuer": UnitChoiceField, "proposer": UnitChoiceField}

    def __init__(self, *args, issuers=None, proposers=None, **kwargs):
        if not kwargs.get("instance"):
            kwargs.setdefault("initial", {}).setdefault("legal_bases", "\n".join(STANDARD_LEGAL_BASES))
        super().__init__(*args, **kwargs)
        for name in self._meta.model.issue_needs:  # a draft saves without them; issuing refuses it
            self.fields[name].mandatory = True
        self.fields["issuer"].queryset = issuers
        self.fields["proposer"].queryset = proposers

    def clean(self):
        data = super().clean()
        issuer, number = data.get("issuer"), data.get("number")
        clash = PublicationDecision.objects.filter(issuer=issuer, number=number).exclude(pk=self.instance.pk)
        if issuer and number and clash.exists():
            self.add_error("number", "Cơ quan này đã có quyết định mang số, ký hiệu này.")
        if issuer and not (data.get("signer_title") or "").strip():
            data["signer_title"] = issuer.signer_titles()[0]  # never another kind's title (issue 12)
        elif issuer and issuer.signer_title_problem(data["signer_title"]):
            self.add_error("signer_title", issuer.signer_title_problem(data["signer_title"]))
        return data


class DecisionItemForm(StyledForm, forms.Form):
    version = forms.ModelChoiceField(label="Thủ tục", queryset=None)
    change = forms.ChoiceField(label="Hình thức", choices=Change.choices)
    replaces = forms.ModelChoiceField(label="Thay thế thủ tục (khi chọn “Thay thế”)", queryset=None, required=False)
    legal_ground = forms.CharField(
        label="Căn cứ pháp lý của việc công bố, sửa đổi, bãi bỏ",
        required=False,
        max_length=500,
        help_text="Ví dụ: bị bãi bỏ tại Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ",
    )
    annex_part = forms.CharField(label="Phần (phụ lục)", required=False, max_length=10, help_text="Ví dụ: I")
    annex_section = forms.CharField(label="Mục", required=False, max_length=20, help_text="Ví dụ: A")
    annex_number = forms.IntegerField(label="Số thứ tự trong phụ lục", required=False, min_value=1, max_value=32767)
    transition_note = forms.CharField(
        label="Điều khoản chuyển tiếp (khi bãi bỏ)",
        required=False,
        max_length=500,
        help_text="Ví dụ: tiếp tục thực hiện đến khi Thông tư thay thế có hiệu lực",
    )
    transition_until = forms.DateField(
        label="Tiếp tục thực hiện đến hết ngày (khi bãi bỏ)", required=False, help_text="dd/mm/yyyy"
    )

    def __init__(self, *args, candidates=None, published=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = candidates
        self.fields["version"].label_from_instance = lambda v: (
            f"{v.procedure.code} · {v.name} ({v.get_status_display()})"
        )
        self.fields["replaces"].queryset = published

    def clean(self):
        data = super().clean()
        for name in ("annex_part", "annex_section"):  # written as the decision prints them: "I", "A"
            data[name] = (data.get(name) or "").strip().upper()
        return data


# The field catalogue (field_views.py) ------------------------------------------------------------------------------


class FieldChoiceField(forms.ModelChoiceField):
    """A field shown with the path of its parents, so two children named alike are told apart."""

    def label_from_instance(self, obj):
        return " › ".join([*(a.name for a in obj.ancestors()), obj.name])


def _active_fields(exclude: Field | None = None):
    fields = Field.objects.active().select_related("parent__parent")
    return fields.exclude(pk=exclude.pk) if exclude else fields


class FieldChangeForm(StyledForm, forms.Form):
    """What every change of the catalogue carries: the day it takes effect and its ground (a decision, a note)."""

    on = legal_date_field("Áp dụng từ ngày")
    note = forms.CharField(label="Căn cứ, ghi chú", required=False, max_length=500)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, field: Field | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.field = field
        if field is not None:
            self.fields["row_version"].initial = field.row_version


class FieldCreateForm(FieldChangeForm):
    name = forms.CharField(label="Tên lĩnh vực", max_length=200)
    code = forms.SlugField(label="Mã lĩnh vực", max_length=40, required=False, help_text="Để trống: tạo từ tên.")
    parent = FieldChoiceField(label="Thuộc lĩnh vực", queryset=None, required=False, empty_label="(cấp cao nhất)")
    field_order = ["name", "code", "parent", "on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _active_fields()


class FieldRenameForm(FieldChangeForm):
    name = forms.CharField(label="Tên mới", max_length=200)
    field_order = ["name", "on", "note"]


class FieldMoveForm(FieldChangeForm):
    parent = FieldChoiceField(label="Chuyển vào lĩnh vực", queryset=None, required=False, empty_label="(cấp cao nhất)")
    field_order = ["parent", "on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _active_fields(exclude=self.field)


class FieldMergeForm(FieldChangeForm):
    target = FieldChoiceField(label="Hợp nhất vào lĩnh vực", queryset=None)
    confirmed = forms.BooleanField(widget=forms.HiddenInput, required=False)
    field_order = ["target", "on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = _active_fields(exclude=self.field)
