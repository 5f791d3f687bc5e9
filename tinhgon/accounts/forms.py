from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)

from tinhgon.accounts import twofactor
from tinhgon.accounts.models import Membership, User
from tinhgon.core.forms import StyledForm


class LoginForm(StyledForm, AuthenticationForm):
    username = forms.CharField(label="Tên đăng nhập", max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(label="Mật khẩu", strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường.",
        "inactive": "Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị hệ thống.",
    }


class OwnPasswordChangeForm(StyledForm, PasswordChangeForm):
    pass


class ResetRequestForm(StyledForm, PasswordResetForm):
    email = forms.EmailField(
        label="Thư điện tử của tài khoản",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class ResetPasswordForm(StyledForm, SetPasswordForm):
    pass


class CodeForm(StyledForm, forms.Form):
    """The 6-digit code of the user's authenticator app, checked against `device` (throttled by django-otp)."""

    code = forms.CharField(
        label="Mã xác thực (6 chữ số)",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        wait = twofactor.wait_seconds(self.device)
        if wait:
            raise forms.ValidationError(f"Bạn đã nhập sai mã. Vui lòng chờ {wait} giây rồi nhập mã mới.")
        if not code.isdigit() or not twofactor.code_matches(self.device, code):
            raise forms.ValidationError(
                "Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã đang hiển thị trong ứng dụng xác thực "
                "(kiểm tra đồng hồ của điện thoại nếu mã đúng vẫn bị từ chối)."
            )
        return code


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
