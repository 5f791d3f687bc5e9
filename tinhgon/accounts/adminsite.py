"""The Django admin (/quan-tri/) as the default admin site, with two changes (settings.INSTALLED_APPS names
AdminConfig instead of django.contrib.admin):

- a staff user who has an authenticator app must have entered its code in this session (django-otp's OTPAdminSite
  would ask it of everyone, also of those without a device);
- its own login page is not used: it would sign in with the password alone, skipping the second step. Anonymous
  visitors go to the site's login; a signed-in user without access is refused (403, in the audit trail).

Imported while the apps are loaded: nothing here may import a model at module level."""

from django.contrib.admin import AdminSite as BaseAdminSite
from django.contrib.admin.apps import AdminConfig as BaseAdminConfig
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from django_otp import user_has_device


class AdminSite(BaseAdminSite):
    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return request.user.is_verified() or not user_has_device(request.user)

    def login(self, request, extra_context=None):
        from django.contrib.auth.views import redirect_to_login  # imports the auth forms, hence the User model

        if request.user.is_authenticated:
            raise PermissionDenied("Tài khoản này không có quyền vào trang quản trị trong phiên đăng nhập này.")
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


class AdminConfig(BaseAdminConfig):
    default_site = "tinhgon.accounts.adminsite.AdminSite"
