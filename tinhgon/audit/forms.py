from django import forms

from tinhgon.core.forms import DATE_WIDGET, StyledForm


class AuditFilterForm(StyledForm, forms.Form):
    user = forms.CharField(label="Người thực hiện (tên đăng nhập)", required=False)
    organisation = forms.CharField(label="Mã đơn vị", required=False)
    action = forms.CharField(label="Mã hành động", required=False, help_text="Ví dụ: organisations.unit.merged")
    since = forms.DateField(label="Từ ngày", required=False, widget=DATE_WIDGET)
    until = forms.DateField(label="Đến ngày", required=False, widget=DATE_WIDGET)

    def filter(self, entries):
        data = self.cleaned_data
        if data["user"]:
            entries = entries.filter(actor_repr=data["user"].strip())
        if data["organisation"]:
            code = data["organisation"].strip()
            entries = entries.filter(organisation__code=code) | entries.filter(scope_organisation__code=code)
        if data["action"]:
            entries = entries.filter(action__startswith=data["action"].strip())
        if data["since"]:
            entries = entries.filter(created_at__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(created_at__date__lte=data["until"])
        return entries
