from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe

from tinhgon.core.locking import Stale, refuse_stale
from tinhgon.core.uploads import DOCUMENT_KINDS, KINDS, UploadRefused, check_document, max_upload_bytes

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class LongSelect(forms.Select):
    """A <select> of thousands of flat options (every unit of the country on the portal) written in one pass.
    Django renders each option through its own template, about half a millisecond each: 2.8 s of the portal search's
    3.8 s at the national profile went to its list of 5,000 agencies."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>{escape(label)}</option>'
            for key, label in self.choices
        )
        final = flatatt({**self.build_attrs(self.attrs, attrs), "name": name})
        return mark_safe(f"<select{final}>{options}</select>")  # every value and label escaped above


class SharedOptionsSelect(forms.Select):
    """One of many pickers over the same long list (the units of a province, on a page of fifty tasks): only its
    chosen options are written in it, and the whole list once in the page as JSON (`json_script` with the id
    `options_id`), which static/js/unit-picker.js offers in every picker naming it. Fifty tasks × three pickers ×
    3,000 units written out would be 450,000 <option>s."""

    def __init__(self, attrs=None, choices=(), options_id: str = "shared-options"):
        super().__init__({"data-shared-options": options_id, **(attrs or {})}, choices)

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>{escape(label)}</option>'
            for key, label in self.choices
            if str(key) in chosen or (key == "" and not self.allow_multiple_selected)
        )
        multiple = {"multiple": True} if self.allow_multiple_selected else {}
        final = flatatt({**self.build_attrs(self.attrs, attrs), **multiple, "name": name})
        return mark_safe(f"<select{final}>{options}</select>")  # every value and label escaped above


class SharedOptionsSelectMultiple(SharedOptionsSelect):
    allow_multiple_selected = True
    value_from_datadict = forms.SelectMultiple.value_from_datadict
    value_omitted_from_data = forms.SelectMultiple.value_omitted_from_data


class StyledForm:
    """Mixin giving widgets the Tabler/Bootstrap classes, and marking invalid fields, so templates stay plain.

    components/form_fields.html marks a field with `mandatory = True` like a required one (red asterisk) without
    making it required: e.g. procedure components a draft may lack but the focal point's check needs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):  # CheckboxSelectMultiple is a RadioSelect
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def legal_date_field(label: str = "Ngày thực hiện") -> forms.DateField:
    """The day an act happened in law or in fact (core.dates.legal_date), blank for today: dd/mm/yyyy."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=DATE_WIDGET,
        error_messages={"invalid": f"{label} không hợp lệ: nhập theo dạng dd/mm/yyyy."},
        help_text="Để trống nếu là hôm nay; nhập ngày trước đây khi cập nhật việc đã làm.",
    )


class LegalDateForm(StyledForm, forms.Form):
    """The one field of a workflow step: `on`, as `{"on": "2023-06-30"}` is the field of its API body."""

    on = legal_date_field()


class DocumentField(forms.FileField):
    """An uploaded document (evidence, attachment, form), checked by its content (core/uploads.py): a refusal is a
    Vietnamese error on the field, and an accepted file carries its safe name and the type it will be served as."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_empty_file", True)  # refused by check_document, with its own message
        super().__init__(*args, **kwargs)
        extensions = sorted({ext for kind in DOCUMENT_KINDS for ext in KINDS[kind].extensions})
        self.widget.attrs.setdefault("accept", ",".join(extensions))
        self.help_text = self.help_text or (
            f"PDF, Word, Excel, OpenDocument hoặc ảnh JPEG/PNG; tối đa {max_upload_bytes() // 1024 // 1024} MB."
        )

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            try:
                checked = check_document(upload)
            except UploadRefused as refused:
                raise ValidationError(refused.messages) from None
            upload.name, upload.content_type = checked.name, checked.content_type
        return upload


class GuardedModelForm(forms.ModelForm):
    """A ModelForm over a Versioned record carrying the version the page was opened on: a save after someone
    else's is refused with `core.locking.Stale` (the view shows it on the form, which keeps what was typed) instead of
    silently overwriting their change."""

    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["row_version"].initial = self.instance.row_version

    def save(self, commit=True):
        with transaction.atomic():
            refuse_stale(self.instance, self.cleaned_data.get("row_version"))
            return super().save(commit)

    def save_or_show_stale(self) -> bool:
        """Save, or put the refusal on the form; True when saved."""
        try:
            self.save()
        except Stale as error:
            self.add_error(None, error)
            return False
        return True
