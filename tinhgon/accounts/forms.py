from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from tinhgon.accounts.models import Membership, User
from tinhgon.core.forms import StyledForm


class LoginForm(StyledForm, AuthenticationForm):
    username = forms.CharField(label="Tên đăng nhập", max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(label="Mật khẩu", strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường.",
        "inactive": "Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị hệ thống.",
    }


class UserCreateForm(StyledForm, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "full_name", "email"]
        labels = {"username": "Tên đăng nhập", "full_name": "Họ và tên", "email": "Thư điện tử"}


class MembershipForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["organisation", "role"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.current().order_by("name")

    def clean(self):
        data = super().clean()
        user = self.instance.user
        if Membership.objects.filter(user=user, organisation=data.get("organisation"), role=data.get("role")).exists():
            raise forms.ValidationError("Người dùng đã có vai trò này tại đơn vị này.")
        return data
