from django.core.management import CommandError, call_command
from django.urls import reverse

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_create_api_token_prints_only_the_key_and_is_stable(world, capsys):
    call_command("create_api_token", "admin")
    first = capsys.readouterr().out.strip()
    call_command("create_api_token", "admin")
    assert capsys.readouterr().out.strip() == first == Token.objects.get(user=world.admin).key


def test_create_api_token_for_unknown_user_fails(db):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody")


def test_token_authenticates_api_requests(world, api, client):
    assert client.get("/api/v1/organisations/").status_code in (401, 403)
    assert api(world.officer_a1).get("/api/v1/organisations/").status_code == 200


def test_a_wrong_token_is_refused(api, world):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token khong-hop-le")
    assert client.get("/api/v1/organisations/").status_code == 401


def test_profile_creates_rotates_and_revokes_the_token(login, world):
    client = login(world.officer_a1)
    client.post(reverse("accounts:token-create"))
    first = Token.objects.get(user=world.officer_a1).key
    assert first in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:token-create"))
    assert Token.objects.get(user=world.officer_a1).key != first
    client.post(reverse("accounts:token-revoke"))
    assert not Token.objects.filter(user=world.officer_a1).exists()


def test_token_actions_need_post_and_login(client, login, world):
    assert client.post(reverse("accounts:token-create")).status_code == 302
    assert login(world.officer_a1).get(reverse("accounts:token-create")).status_code == 405
