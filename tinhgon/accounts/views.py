from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from rest_framework.authtoken.models import Token

from tinhgon.accounts import twofactor
from tinhgon.accounts.forms import CodeForm, LoginForm, OwnPasswordChangeForm, ResetPasswordForm, ResetRequestForm
from tinhgon.accounts.middleware import ACTING_SESSION_KEY
from tinhgon.audit.services import log_access_denied, log_action, log_event


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.confirmed_device(user) is None:
            return super().form_valid(form)
        # Not signed in yet: the code comes first (twofactor.py).
        twofactor.login_begin(self.request, user=user, next_url=self.get_success_url())
        return redirect("accounts:login-code")


@never_cache
@sensitive_post_parameters("code")
def login_code(request):
    """The second step of the login, for users with an authenticator app."""
    pending = twofactor.login_pending(request)
    if pending is None:
        messages.info(request, "Phiên đăng nhập đã hết hạn. Vui lòng nhập lại tên đăng nhập và mật khẩu.")
        return redirect("accounts:login")
    user, device = pending
    if twofactor.is_locked_out(request, user):
        return locked_out(request)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST":
        if form.is_valid():
            return HttpResponseRedirect(twofactor.login_finish(request, user=user, device=device))
        twofactor.code_refused(request, user=user)
    return render(request, "accounts/login_code.html", {"form": form})


def locked_out(request, credentials=None, *args, **kwargs):
    """Shown by django-axes instead of the login result once too many attempts failed."""
    form = LoginForm(request, data=request.POST or None)
    form.errors.clear()
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"form": form, "locked_out": True, "cooloff_minutes": minutes}
    return render(request, "accounts/login.html", context, status=429)


@require_POST
@login_required
def switch_membership(request):
    wanted = request.POST.get("membership", "")
    membership = next((m for m in request.memberships if str(m.pk) == wanted), None)
    if membership is None:
        messages.error(request, "Bạn không có vai trò này.")
    else:
        request.session[ACTING_SESSION_KEY] = membership.pk
        messages.success(
            request,
            f"Đang làm việc với vai trò {membership.get_role_display()} tại {membership.organisation}.",
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return HttpResponseRedirect(next_url)


@login_required
def profile(request):
    token = Token.objects.filter(user=request.user).first()
    has_device = twofactor.confirmed_device(request.user) is not None
    return render(request, "accounts/profile.html", {"token": token, "has_device": has_device})


@require_POST
@login_required
def token_create(request):
    # A new key always replaces the old one, so a leaked key can be rotated from this page.
    Token.objects.filter(user=request.user).delete()
    Token.objects.create(user=request.user)
    log_event("accounts.token.created", about=request.user)
    messages.success(request, "Đã tạo khóa API mới. Khóa cũ (nếu có) không còn dùng được.")
    return redirect("accounts:profile")


@require_POST
@login_required
def token_revoke(request):
    if Token.objects.filter(user=request.user).delete()[0]:
        log_event("accounts.token.revoked", about=request.user)
    messages.success(request, "Đã thu hồi khóa API.")
    return redirect("accounts:profile")


# Two-factor authentication -------------------------------------------------------------------------------------


@sensitive_post_parameters("code")
@login_required
def two_factor(request):
    """Enrolment (QR code, secret, first code) or, once enrolled, the device and the form that removes it."""
    device = twofactor.confirmed_device(request.user)
    if device is not None:
        return render(request, "accounts/two_factor.html", {"device": device, "form": CodeForm(device=device)})
    device = twofactor.enrolment_device(request.user)
    form = CodeForm(request.POST or None, device=device)
    if form.is_valid():
        twofactor.device_confirm(request, device=device)
        messages.success(request, "Đã bật xác thực hai bước. Từ nay, đăng nhập cần thêm mã từ ứng dụng xác thực.")
        return redirect(safe_next(request) or "accounts:profile")
    context = {"form": form, "qr": twofactor.qr_svg(device), "secret": twofactor.secret_base32(device)}
    context["required"] = twofactor.is_required(request.memberships)
    return render(request, "accounts/two_factor.html", context)


@sensitive_post_parameters("code")
@require_POST
@login_required
def two_factor_remove(request):
    device = twofactor.confirmed_device(request.user)
    if device is None:
        return redirect("accounts:two-factor")
    form = CodeForm(request.POST, device=device)
    if not form.is_valid():
        return render(request, "accounts/two_factor.html", {"device": device, "form": form}, status=400)
    twofactor.devices_remove(user=request.user)
    messages.success(request, "Đã gỡ bỏ xác thực hai bước.")
    return redirect("accounts:profile")


def safe_next(request) -> str | None:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()})
    return wanted if allowed else None


# Passwords -----------------------------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        log_action(form.user, verb="password_changed", changes={})
        messages.success(self.request, "Đã đổi mật khẩu.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Always answers "sent", whether or not the address belongs to an account: the page must not tell."""

    template_name = "accounts/password_reset.html"
    form_class = ResetRequestForm
    subject_template_name = "accounts/password_reset_subject.txt"
    email_template_name = "accounts/password_reset_body.txt"
    html_email_template_name = "accounts/password_reset_body.html"
    success_url = reverse_lazy("accounts:password-reset-sent")

    @property
    def extra_email_context(self):
        return {"site_name": settings.SITE_NAME, "minutes": settings.PASSWORD_RESET_TIMEOUT // 60}

    def form_valid(self, form):
        for user in form.get_users(form.cleaned_data["email"]):
            log_action(user, verb="password_reset_requested", changes={})
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = ResetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        log_action(form.user, verb="password_reset_done", changes={})
        return response


# Refusals ------------------------------------------------------------------------------------------------------


def permission_denied(request, exception=None):
    """handler403: every refused request is in the audit trail, then a page in Vietnamese."""
    log_access_denied(request)
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a refused form is a 403 too (an expired page, or a forged request)."""
    log_access_denied(request)
    return csrf.csrf_failure(request, reason)
