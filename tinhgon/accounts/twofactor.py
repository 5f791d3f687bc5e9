"""Two-factor authentication with an authenticator app (TOTP, django-otp): the second step of the login, enrolment
and removal of a device, and the roles that must have one (TINHGON_REQUIRE_2FA_ROLES).

A user with a confirmed device signs in in two steps: the password (accounts.views.LoginView), then a 6-digit code
(accounts.views.login_code). Between the two the user is not signed in: the session only remembers who passed the
password, for a few minutes. A wrong code counts as a failed login for django-axes, like a wrong password."""

import time
from base64 import b32encode
from math import ceil

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils import timezone

import qrcode
from axes.handlers.proxy import AxesProxyHandler
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from tinhgon.accounts.models import User
from tinhgon.audit.services import log_action

PENDING_KEY = "tinhgon_2fa_pending"
PENDING_SECONDS = 5 * 60
DEVICE_NAME = "Ứng dụng xác thực"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def is_required(memberships) -> bool:
    """Whether one of these memberships (in force) holds a role that must sign in with a code."""
    roles = set(settings.TINHGON_REQUIRE_2FA_ROLES)
    return bool(roles) and any(membership.role in roles for membership in memberships)


# The second step of the login ----------------------------------------------------------------------------------


def login_begin(request, *, user, next_url: str) -> None:
    """The password was right: remember who passed it (and where they were going) until the code is entered."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "until": time.time() + PENDING_SECONDS,
    }


def login_pending(request) -> tuple[User, TOTPDevice] | None:
    """The user who passed the password in this session a few minutes ago, and their device; None once expired."""
    pending = request.session.get(PENDING_KEY)
    if not pending or pending["until"] < time.time():
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    device = confirmed_device(user) if user else None
    if device is None:
        return None
    user.backend = pending["backend"]
    return user, device


def login_finish(request, *, user, device) -> str:
    """Sign the user in, verified by `device` for this session (django-otp), and return where to go next."""
    next_url = request.session.pop(PENDING_KEY)["next"]
    user.otp_device = device  # django-otp's user_logged_in receiver stores it in the (new) session
    auth.login(request, user, backend=user.backend)
    return next_url


def is_locked_out(request, user) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": user.get_username()})


def code_refused(request, *, user) -> None:
    """A wrong code is a failed login: django-axes counts it towards the lockout of this username and address,
    and the audit trail records it (audit/signals.py)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username(), "step": "code"}, request=request
    )


# Codes ----------------------------------------------------------------------------------------------------------


def code_matches(device: TOTPDevice, code: str) -> bool:
    """Verify a code with the device row locked, so that one code cannot be used twice by two requests at once."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        matched = locked.verify_token(code)
    device.refresh_from_db()
    return matched


def wait_seconds(device: TOTPDevice) -> int:
    """How long django-otp makes the user wait after wrong codes (1, 2, 4… seconds), 0 if they may try now."""
    allowed, details = device.verify_is_allowed()
    if allowed or not details or "locked_until" not in details:
        return 0
    return max(1, ceil((details["locked_until"] - timezone.now()).total_seconds()))


# Enrolment and removal ------------------------------------------------------------------------------------------


def enrolment_device(user) -> TOTPDevice:
    """The user's unconfirmed device, made on the first visit of the enrolment page: its secret stays the same
    across reloads until the user confirms it with a first code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address of the device as an inline SVG QR code: drawn here, no image library or service."""
    image = qrcode.make(device.config_url, image_factory=SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")


def secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps ask for it when typed in, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def device_confirm(request, *, device: TOTPDevice) -> None:
    """Side effects: the device is confirmed, other unconfirmed ones of the user go, this session counts as
    verified by it (django-otp), one audit entry (accounts.user.otp_enrolled)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    otp_login(request, device)
    log_action(device.user, verb="otp_enrolled", changes={})


def devices_remove(*, user) -> None:
    """Side effects: every device of the user goes (the next login asks for the password only), one audit entry
    (accounts.user.otp_removed)."""
    TOTPDevice.objects.filter(user=user).delete()
    log_action(user, verb="otp_removed", changes={})
