from django.urls import reverse

import pytest

from tinhgon.accounts.tests.factories import PASSWORD
from tinhgon.audit.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese(client):
    page = client.get(reverse("accounts:login"))
    assert "Đăng nhập" in page.content.decode()


def test_login_with_the_right_password_lands_on_home(client, world):
    response = client.post(reverse("accounts:login"), {"username": "officer_a1", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert AuditLogEntry.objects.filter(action="accounts.user.logged_in", actor=world.officer_a1).exists()


def test_wrong_password_keeps_the_username_and_explains(client, world):
    response = client.post(reverse("accounts:login"), {"username": "officer_a1", "password": "sai"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in html
    assert 'value="officer_a1"' in html


def test_repeated_failures_lock_the_account_with_a_vietnamese_message(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "officer_a1", "password": "sai"})
    response = client.post(reverse("accounts:login"), {"username": "officer_a1", "password": PASSWORD})
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_password_validators_refuse_weak_passwords(world):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["12345678", "password", "abc"]:
        with pytest.raises(ValidationError):
            validate_password(weak, world.officer_a1)
