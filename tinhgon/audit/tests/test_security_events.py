"""Events of the accounts in the audit trail: sign-in failures and sign-outs, API keys, refused requests."""

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import pytest

from tinhgon.accounts.tests.factories import PASSWORD
from tinhgon.audit.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def entries(action):
    return list(AuditLogEntry.objects.filter(action=action))


def test_a_failed_login_records_the_username_tried_never_the_password(client, world):
    client.post(reverse("accounts:login"), {"username": "officer_a1", "password": "Bi-mat-sai-2026"})
    [entry] = entries("accounts.user.login_failed")
    assert entry.object_id == str(world.officer_a1.pk) and entry.actor is None
    assert entry.changes == {"username": [None, "officer_a1"]}
    assert "Bi-mat-sai-2026" not in str(entry.changes)


def test_a_failed_login_with_an_unknown_username_is_recorded_without_an_object(client, db):
    client.post(reverse("accounts:login"), {"username": "khong-ai", "password": "x"}, REMOTE_ADDR="203.0.113.5")
    [entry] = entries("accounts.user.login_failed")
    assert entry.content_type is None and entry.object_id == ""
    assert entry.changes == {"username": [None, "khong-ai"]} and entry.ip_address == "203.0.113.5"


def test_a_logout_is_recorded(client, world):
    client.post(reverse("accounts:login"), {"username": "officer_a1", "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    [entry] = entries("accounts.user.logged_out")
    assert entry.actor == world.officer_a1 and entry.object_id == str(world.officer_a1.pk)


def test_creating_and_revoking_an_api_key_are_recorded_without_the_key(login, world):
    client = login(world.officer_a1)
    client.post(reverse("accounts:token-create"))
    client.post(reverse("accounts:token-revoke"))
    client.post(reverse("accounts:token-revoke"))  # nothing left to revoke: nothing to record
    [created] = entries("accounts.token.created")
    [revoked] = entries("accounts.token.revoked")
    assert created.actor == revoked.actor == world.officer_a1
    assert created.object_id == str(world.officer_a1.pk) and created.changes == {}


def test_the_command_records_a_key_it_creates_only(world, capsys):
    call_command("create_api_token", "admin")
    call_command("create_api_token", "admin")
    [entry] = entries("accounts.token.created")
    assert entry.object_id == str(world.admin.pk) and entry.actor_repr == "hệ thống"
    assert capsys.readouterr().out.strip() not in entry.object_repr


def test_a_refused_page_is_recorded_and_explained_in_vietnamese(login, world):
    response = login(world.officer_a1).get(reverse("audit:entries"))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()
    [entry] = entries("accounts.access.denied")
    assert entry.actor == world.officer_a1 and entry.object_id == str(world.officer_a1.pk)
    assert entry.changes == {"method": [None, "GET"], "path": [None, "/nhat-ky/"]}


def test_a_refused_api_request_is_recorded(api, world):
    response = api(world.oversight).patch("/api/v1/organisations/P-B/", {"name": "x"}, format="json")
    assert response.status_code == 403
    [entry] = entries("accounts.access.denied")
    assert entry.actor == world.oversight
    assert entry.changes == {"method": [None, "PATCH"], "path": [None, "/api/v1/organisations/P-B/"]}


def test_other_api_errors_are_not_recorded_as_refusals(api, world):
    assert api(world.oversight).get("/api/v1/organisations/KHONG-CO/").status_code == 404
    assert entries("accounts.access.denied") == []


def test_a_form_refused_for_its_csrf_token_is_recorded(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "officer_a1", "password": PASSWORD})
    assert response.status_code == 403
    [entry] = entries("accounts.access.denied")
    assert entry.actor is None and entry.changes["path"] == [None, "/dang-nhap/"]
