"""core.forms.SharedOptionsSelect: a picker among many over one long list writes only its chosen options."""

from tinhgon.core.forms import SharedOptionsSelect, SharedOptionsSelectMultiple

CHOICES = [("", "(chọn)"), ("A&B", "Sở <Nội vụ>"), ("C", "Sở Tài chính")]


def test_a_single_picker_writes_the_empty_choice_and_its_chosen_option_escaped():
    assert SharedOptionsSelect(choices=CHOICES, options_id="units").render("lead", "A&B") == (
        '<select data-shared-options="units" name="lead"><option value="">(chọn)</option>'
        '<option value="A&amp;B" selected>Sở &lt;Nội vụ&gt;</option></select>'
    )


def test_a_multiple_picker_writes_its_chosen_options_only():
    widget = SharedOptionsSelectMultiple(choices=CHOICES[1:], options_id="units")
    assert widget.render("coordinating", ["C"]) == (
        '<select data-shared-options="units" name="coordinating" multiple><option value="C" selected>Sở Tài chính'
        "</option></select>"
    )
    assert widget.value_from_datadict({"coordinating": ["A&B", "C"]}, {}, "coordinating") == ["A&B", "C"]
