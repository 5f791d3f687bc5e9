import time

from django.urls import reverse

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhgon.accounts import twofactor
from tinhgon.accounts.tests.factories import PASSWORD, totp_code, totp_device
from tinhgon.audit.models import AuditLogEntry

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login-code")
ENROL = reverse("accounts:two-factor")
REMOVE = reverse("accounts:two-factor-remove")


def password_step(client, username="officer_a1", next_url=""):
    return client.post(f"{LOGIN}?next={next_url}" if next_url else LOGIN, {"username": username, "password": PASSWORD})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# Enrolment ------------------------------------------------------------------------------------------------------


def test_the_enrolment_page_shows_an_inline_svg_qr_code_and_the_secret(login, world):
    html = login(world.officer_a1).get(ENROL).content.decode()
    device = TOTPDevice.objects.get(user=world.officer_a1, confirmed=False)
    assert '<svg width="' in html and "<path" in html
    assert "<img" not in html.split('id="two-factor-qr"')[1].split("</div>")[0]
    assert twofactor.secret_base32(device) in html


def test_the_secret_stays_the_same_until_confirmed(login, world):
    client = login(world.officer_a1)
    client.get(ENROL)
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=world.officer_a1).count() == 1


def test_the_secret_is_grouped_by_four_base32_characters(world):
    groups = twofactor.secret_base32(totp_device(world.officer_a1, confirmed=False)).split()
    # Base32 is A-Z and 2-7; a group may be all digits, which str.isupper() would refuse.
    alphabet = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert len(groups) == 8 and all(len(group) == 4 and set(group) <= alphabet for group in groups)


def test_a_first_code_confirms_the_device_and_verifies_the_session(login, world):
    client = login(world.officer_a1)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=world.officer_a1)
    response = client.post(ENROL, {"code": totp_code(device)})
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert AuditLogEntry.objects.filter(
        action="accounts.user.otp_enrolled", object_id=str(world.officer_a1.pk)
    ).exists()


def test_a_wrong_first_code_is_refused_in_vietnamese(login, world):
    client = login(world.officer_a1)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000"})
    assert "Mã xác thực không đúng" in response.content.decode()
    assert not TOTPDevice.objects.get(user=world.officer_a1).confirmed


# The second step of the login -----------------------------------------------------------------------------------


def test_without_a_device_the_password_is_enough(client, world):
    assert password_step(client).url == "/"
    assert signed_in(client)


def test_with_a_device_the_password_leads_to_the_code_not_to_a_session(client, world):
    totp_device(world.officer_a1)
    response = password_step(client)
    assert response.status_code == 302 and response.url == CODE
    assert not signed_in(client)
    assert "Mã xác thực (6 chữ số)" in client.get(CODE).content.decode()


def test_the_right_code_signs_in_verified_and_goes_where_the_user_was_going(client, world):
    device = totp_device(world.officer_a1)
    password_step(client, next_url="/to-chuc/")
    response = client.post(CODE, {"code": totp_code(device)})
    assert response.status_code == 302 and response.url == "/to-chuc/"
    assert signed_in(client) and client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_wrong_code_does_not_sign_in_and_is_in_the_audit_trail_without_the_code(client, world):
    totp_device(world.officer_a1)
    password_step(client)
    response = client.post(CODE, {"code": "123456"})
    assert response.status_code == 200 and "Mã xác thực không đúng" in response.content.decode()
    assert not signed_in(client)
    entry = AuditLogEntry.objects.get(action="accounts.user.login_failed")
    assert entry.changes == {"username": [None, "officer_a1"], "step": [None, "code"]}


def test_a_code_is_accepted_once(client, world):
    device = totp_device(world.officer_a1)
    code = totp_code(device)
    password_step(client)
    client.post(CODE, {"code": code})
    client.post(reverse("accounts:logout"))
    password_step(client)
    assert "Mã xác thực không đúng" in client.post(CODE, {"code": code}).content.decode()


def test_wrong_codes_lock_out_like_wrong_passwords(client, world, settings):
    device = totp_device(world.officer_a1)
    password_step(client)
    statuses = [client.post(CODE, {"code": "000000"}).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[-1] == 429
    response = client.post(CODE, {"code": totp_code(device)})
    assert response.status_code == 429 and "tạm thời bị khóa" in response.content.decode()
    assert not signed_in(client)


def test_django_otp_makes_the_user_wait_after_a_wrong_code(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    device = totp_device(world.officer_a1)
    password_step(client)
    client.post(CODE, {"code": "000000"})
    response = client.post(CODE, {"code": totp_code(device)})
    assert "Vui lòng chờ 1 giây" in response.content.decode()
    assert not signed_in(client)


def test_the_code_step_without_the_password_step_goes_back_to_the_login(client, world):
    totp_device(world.officer_a1)
    response = client.post(CODE, {"code": "123456"})
    assert response.status_code == 302 and response.url == LOGIN


def test_the_code_step_expires_after_a_few_minutes(client, world):
    device = totp_device(world.officer_a1)
    password_step(client)
    session = client.session
    session[twofactor.PENDING_KEY]["until"] = time.time() - 1
    session.save()
    response = client.post(CODE, {"code": totp_code(device)})
    assert response.status_code == 302 and response.url == LOGIN
    assert not signed_in(client)


# Removal --------------------------------------------------------------------------------------------------------


def test_removing_the_device_needs_a_valid_code(login, world):
    device = totp_device(world.officer_a1)
    response = login(world.officer_a1).post(REMOVE, {"code": "000000"})
    assert response.status_code == 400 and "Mã xác thực không đúng" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_removing_the_device_with_a_code_brings_back_the_password_only_login(login, world, client):
    device = totp_device(world.officer_a1)
    response = login(world.officer_a1).post(REMOVE, {"code": totp_code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.officer_a1).exists()
    assert AuditLogEntry.objects.filter(action="accounts.user.otp_removed", object_id=str(world.officer_a1.pk)).exists()
    client.post(reverse("accounts:logout"))
    assert password_step(client).url == "/"


# Roles that must use it -----------------------------------------------------------------------------------------


@pytest.fixture
def admins_must_enrol(settings):
    settings.TINHGON_REQUIRE_2FA_ROLES = ["admin", "agency_leader"]


def test_a_required_role_without_a_device_reaches_only_the_enrolment_page(admins_must_enrol, login, world):
    client = login(world.admin)
    response = client.get("/to-chuc/")
    assert response.status_code == 302 and response.url == f"{ENROL}?next=%2Fto-chuc%2F"
    assert "bắt buộc dùng xác thực hai bước" in client.get(response.url).content.decode()
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_after_enrolling_a_required_role_goes_where_it_was_going(admins_must_enrol, login, world):
    client = login(world.admin)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=world.admin)
    response = client.post(ENROL, {"code": totp_code(device), "next": "/to-chuc/"})
    assert response.url == "/to-chuc/"
    assert client.get("/to-chuc/").status_code == 200


def test_other_roles_are_not_concerned(admins_must_enrol, login, world):
    assert login(world.officer_a1).get("/").status_code == 200


def test_a_required_role_signed_in_without_the_code_must_sign_in_again(admins_must_enrol, login, world):
    totp_device(world.admin)  # e.g. added by an administrator while the user was signed in
    client = login(world.admin)
    response = client.get("/to-chuc/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert not signed_in(client)


def test_the_api_with_a_token_is_not_concerned(admins_must_enrol, api, world):
    assert api(world.admin).get("/api/v1/organisations/").status_code == 200


# The Django admin -----------------------------------------------------------------------------------------------


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.gov.vn", PASSWORD)


def test_the_admin_login_page_sends_to_the_site_login(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302 and response.url.startswith(f"{LOGIN}?next=")


def test_a_superuser_without_a_device_reaches_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_superuser_with_a_device_needs_the_code_for_the_admin(client, superuser):
    device = totp_device(superuser)
    client.force_login(superuser)  # a session without the code
    assert client.get(reverse("admin:index"), follow=True).status_code == 403
    client.post(reverse("accounts:logout"))
    password_step(client, username="root")
    client.post(CODE, {"code": totp_code(device)})
    assert client.get(reverse("admin:index")).status_code == 200
