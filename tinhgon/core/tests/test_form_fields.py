"""The shared form partial (components/form_fields.html) with StyledForm: groups of inputs get a fieldset."""

import re

from django import forms
from django.template.loader import render_to_string

from tinhgon.core.forms import StyledForm


class Sample(StyledForm, forms.Form):
    name = forms.CharField(label="Tên")
    agreed = forms.BooleanField(label="Đồng ý", required=False)
    channels = forms.MultipleChoiceField(
        label="Cách thức",
        choices=[("a", "Trực tiếp"), ("b", "Trực tuyến")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    kind = forms.ChoiceField(label="Loại", choices=[("x", "Loại X"), ("y", "Loại Y")], widget=forms.RadioSelect)


def render(form) -> str:
    return render_to_string("components/form_fields.html", {"form": form})


def fieldset(html: str, legend: str) -> str:
    match = re.search(rf"<fieldset[^>]*>\s*<legend[^>]*>{legend}</legend>(.*?)</fieldset>", html, re.S)
    assert match, f"no fieldset with the legend {legend!r}"
    return match.group(1)


def test_checkbox_and_radio_groups_are_fieldsets_with_a_legend():
    html = render(Sample(initial={"channels": ["b"]}))
    channels = fieldset(html, "Cách thức")
    assert channels.count('type="checkbox"') == 2 and "Trực tiếp" in channels and "Trực tuyến" in channels
    assert re.search(r'<label class="form-check"><input type="checkbox" name="channels" value="b"[^>]*checked', html)
    kind = fieldset(html, "Loại")
    assert kind.count('type="radio"') == 2 and 'class="form-check-input"' in kind
    assert '<legend class="form-label required">Loại</legend>' in html  # required radios keep the mark
    assert html.count("<fieldset") == 2


def test_single_fields_keep_their_label():
    html = render(Sample())
    assert '<label class="form-label required" for="id_name">Tên</label>' in html
    assert re.search(r'<label class="form-check"><input type="checkbox" name="agreed"[^>]*> <span', html)


def test_group_errors_are_shown_in_the_fieldset():
    form = Sample(data={"name": "x", "kind": "z"})
    assert not form.is_valid()
    kind = fieldset(render(form), "Loại")
    assert "invalid-feedback" in kind and "is-invalid" in kind


def test_help_text_is_the_element_the_field_is_described_by():
    class WithHint(StyledForm, forms.Form):
        code = forms.CharField(label="Mã", help_text="Để trống để tự sinh mã.")

    html = render(WithHint())
    described_by = re.search(r'aria-describedby="([^"]+)"', html).group(1)
    assert re.search(rf'<div class="form-hint" id="{described_by}">Để trống để tự sinh mã.</div>', html)
