from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from rest_framework.authtoken.models import Token

from tinhgon.accounts.forms import LoginForm
from tinhgon.accounts.middleware import ACTING_SESSION_KEY


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request, credentials=None, *args, **kwargs):
    """Shown by django-axes instead of the login result once too many attempts failed."""
    form = LoginForm(request, data=request.POST or None)
    form.errors.clear()
    return render(request, "accounts/login.html", {"form": form, "locked_out": True}, status=429)


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
    return render(request, "accounts/profile.html", {"token": token})


@require_POST
@login_required
def token_create(request):
    # A new key always replaces the old one, so a leaked key can be rotated from this page.
    Token.objects.filter(user=request.user).delete()
    Token.objects.create(user=request.user)
    messages.success(request, "Đã tạo khóa API mới. Khóa cũ (nếu có) không còn dùng được.")
    return redirect("accounts:profile")


@require_POST
@login_required
def token_revoke(request):
    Token.objects.filter(user=request.user).delete()
    messages.success(request, "Đã thu hồi khóa API.")
    return redirect("accounts:profile")
