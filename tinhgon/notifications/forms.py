from django import forms

from tinhgon.accounts.models import User
from tinhgon.core.forms import StyledForm


class PreferenceForm(StyledForm, forms.ModelForm):
    class Meta:
        model = User
        fields = ["notify_by"]
        widgets = {"notify_by": forms.RadioSelect}
