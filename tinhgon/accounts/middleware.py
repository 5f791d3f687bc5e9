from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from tinhgon.accounts import twofactor
from tinhgon.accounts.permissions import Policy, anonymous_policy, pick_acting

ACTING_SESSION_KEY = "acting_membership_id"


class ActingMembershipMiddleware:
    """Sets `request.acting_membership` (the membership the user acts for) and `request.policy`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.acting_membership = None
        request.policy = anonymous_policy()
        if request.user.is_authenticated:
            memberships = list(request.user.memberships_in_force())
            acting = pick_acting(memberships, wanted_id=request.session.get(ACTING_SESSION_KEY))
            request.acting_membership = acting
            request.memberships = memberships
            request.policy = Policy(user=request.user, memberships=[acting] if acting else [])
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Users holding a role of TINHGON_REQUIRE_2FA_ROLES reach nothing but the enrolment page and the sign-out until
    they have an authenticator app, and must have entered its code in this session. API requests signed with a
    token are not concerned: DRF authenticates them inside the view, after this has run for an anonymous user."""

    OPEN = ("accounts:two-factor", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.must_verify(request) or request.path_info in {reverse(name) for name in self.OPEN}:
            return self.get_response(request)
        if twofactor.confirmed_device(request.user) is not None:
            # Signed in without the code (the device was added elsewhere meanwhile): sign in again, with it.
            logout(request)
            messages.info(request, "Vui lòng đăng nhập lại và nhập mã xác thực.")
            return redirect_to_login(request.get_full_path())
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:two-factor')}?{query}")

    @staticmethod
    def must_verify(request) -> bool:
        user = request.user
        return (
            user.is_authenticated
            and twofactor.is_required(getattr(request, "memberships", []))
            and not user.is_verified()
        )
