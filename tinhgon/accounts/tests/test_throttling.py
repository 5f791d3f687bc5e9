"""Login throttling (django-axes) is keyed on the username AND the client's address, the one nginx saw
(core/proxies.py), so that one person guessing at one account neither locks out colleagues behind the same proxy
nor the account's owner elsewhere."""

import re

from django.test import Client
from django.urls import reverse

import pytest

from tinhgon.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

X, Y = "203.0.113.10", "198.51.100.20"


@pytest.fixture(autouse=True)
def behind_nginx(settings):
    settings.TINHGON_TRUSTED_PROXIES = 1
    settings.AXES_FAILURE_LIMIT = 5


def attempt(username, password, address):
    # Every request reaches the app from nginx (REMOTE_ADDR), which sets X-Forwarded-For to the client's address.
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address).post(
        reverse("accounts:login"), {"username": username, "password": password}
    )


def five_wrong_passwords(username, address):
    return [attempt(username, "sai-mat-khau", address).status_code for _ in range(5)]


def test_five_wrong_passwords_lock_that_user_at_that_address(world):
    assert five_wrong_passwords("officer_a1", X) == [200, 200, 200, 200, 429]
    assert attempt("officer_a1", PASSWORD, X).status_code == 429


def test_another_user_at_the_same_address_can_still_sign_in(world):
    five_wrong_passwords("officer_a1", X)
    assert attempt("head_a1", PASSWORD, X).status_code == 302


def test_the_same_user_at_another_address_can_still_sign_in(world):
    five_wrong_passwords("officer_a1", X)
    assert attempt("officer_a1", PASSWORD, Y).status_code == 302


def test_an_address_forged_in_front_of_the_real_one_does_not_escape_the_lockout(world):
    five_wrong_passwords("officer_a1", X)
    assert attempt("officer_a1", PASSWORD, f"{Y}, {X}").status_code == 429


def test_the_lockout_page_is_vietnamese(world):
    five_wrong_passwords("officer_a1", X)
    response = attempt("officer_a1", PASSWORD, X)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Tài khoản tạm thời bị khóa do nhập sai mật khẩu hoặc mã xác thực quá nhiều lần" in html
    assert re.search(r"thử lại sau\s+15 phút", html)
