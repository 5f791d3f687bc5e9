from datetime import timedelta

from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse

import pytest

from tinhgon.accounts.tests.factories import PASSWORD
from tinhgon.audit.models import AuditLogEntry

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Mat-khau-moi-2027!"
CHANGE = reverse("accounts:password-change")
RESET = reverse("accounts:password-reset")


def change(client, old=PASSWORD, new=NEW_PASSWORD):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def logged(action, user):
    return AuditLogEntry.objects.filter(action=action, object_id=str(user.pk)).count()


# Change ---------------------------------------------------------------------------------------------------------


def test_a_signed_in_user_changes_their_password_and_stays_signed_in(login, world):
    client = login(world.officer_a1)
    response = change(client)
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    world.officer_a1.refresh_from_db()
    assert world.officer_a1.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert logged("accounts.user.password_changed", world.officer_a1) == 1


def test_a_wrong_current_password_is_refused_in_vietnamese(login, world):
    response = change(login(world.officer_a1), old="sai")
    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác" in response.content.decode()
    world.officer_a1.refresh_from_db()
    assert world.officer_a1.check_password(PASSWORD)
    assert logged("accounts.user.password_changed", world.officer_a1) == 0


def test_a_weak_new_password_is_refused(login, world):
    assert change(login(world.officer_a1), new="12345678").status_code == 200
    world.officer_a1.refresh_from_db()
    assert world.officer_a1.check_password(PASSWORD)


def test_changing_a_password_needs_a_login(client):
    response = client.get(CHANGE)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_profile_links_to_the_password_change_and_two_factor_pages(login, world):
    html = login(world.officer_a1).get(reverse("accounts:profile")).content.decode()
    assert f'href="{CHANGE}"' in html
    assert f'href="{reverse("accounts:two-factor")}"' in html


# Reset by e-mail ------------------------------------------------------------------------------------------------


def test_the_login_page_links_to_the_reset_page(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{RESET}"' in html and "Quên mật khẩu?" in html


def test_a_reset_request_mails_a_vietnamese_link_in_text_and_html(client, world):
    response = client.post(RESET, {"email": world.officer_a1.email})
    assert response.status_code == 302 and response.url == reverse("accounts:password-reset-sent")
    [message] = mail.outbox
    assert message.to == [world.officer_a1.email]
    assert message.subject == "[tinhgon] Đặt lại mật khẩu"
    assert "Xin chào" in message.body and "hết hạn sau 60 phút" in message.body
    assert "/tai-khoan/quen-mat-khau/" in message.body
    html, content_type = message.alternatives[0]
    assert content_type == "text/html" and "Đặt mật khẩu mới" in html
    assert logged("accounts.user.password_reset_requested", world.officer_a1) == 1


def test_a_reset_request_for_an_unknown_address_says_the_same_and_sends_nothing(client, world):
    response = client.post(RESET, {"email": "khong-co@example.test"})
    assert response.status_code == 302 and response.url == reverse("accounts:password-reset-sent")
    assert mail.outbox == []


def reset_link(client, user) -> str:
    client.post(RESET, {"email": user.email})
    return next(line for line in mail.outbox[-1].body.splitlines() if "/tai-khoan/quen-mat-khau/" in line)


def test_the_link_sets_a_new_password_once(client, world):
    link = reset_link(client, world.officer_a1)
    form_page = client.get(link, follow=True)  # Django moves the token out of the address before the form
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("accounts:password-reset-done")
    world.officer_a1.refresh_from_db()
    assert world.officer_a1.check_password(NEW_PASSWORD)
    assert logged("accounts.user.password_reset_done", world.officer_a1) == 1
    again = client.get(link, follow=True)
    assert "Liên kết không hợp lệ" in again.content.decode()


def test_the_link_expires_after_an_hour(client, world, settings, monkeypatch):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    link = reset_link(client, world.officer_a1)
    later = default_token_generator._now() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    assert "Liên kết không hợp lệ" in client.get(link, follow=True).content.decode()
