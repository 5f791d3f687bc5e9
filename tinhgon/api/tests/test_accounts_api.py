import pytest

from tinhgon.accounts.models import Membership, User

pytestmark = pytest.mark.django_db
USERS, MEMBERSHIPS = "/api/v1/users/", "/api/v1/memberships/"
NEW_USER = {"username": "moi", "full_name": "Người Mới", "email": "moi@example.test", "password": "Mat-khau-dai-2026"}


def test_admin_creates_a_user_and_gives_them_a_role(api, world):
    client = api(world.admin)
    created = client.post(USERS, NEW_USER, format="json")
    assert created.status_code == 201 and "password" not in created.json()
    assert User.objects.get(username="moi").check_password(NEW_USER["password"])
    role = client.post(MEMBERSHIPS, {"user": "moi", "organisation": "P-A-1", "role": "officer"}, format="json")
    assert role.status_code == 201, role.json()
    assert "moi" in [u["username"] for u in client.get(USERS).json()["results"]]


def test_weak_password_is_refused_in_vietnamese(api, world):
    response = api(world.admin).post(USERS, {**NEW_USER, "password": "12345678"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


@pytest.mark.parametrize("persona", ["oversight", "leader_a", "officer_a1"])
def test_only_admins_create_users(api, world, persona):
    assert api(getattr(world, persona)).post(USERS, NEW_USER, format="json").status_code == 403


def test_users_list_is_scoped(api, world):
    names = [u["username"] for u in api(world.leader_a).get(USERS).json()["results"]]
    assert set(names) == {"leader_a", "focal_a", "head_a1", "officer_a1"}
    assert api(world.officer_a1).get(USERS).status_code == 403  # as the page: no one to see anywhere
    assert api(world.leader_a).get(f"{USERS}outsider/").status_code == 404


def test_outsider_admin_cannot_grant_roles_here(api, world):
    response = api(world.outsider_admin).post(
        MEMBERSHIPS, {"user": "outsider", "organisation": "P-A", "role": "admin"}, format="json"
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=world.outsider, organisation=world.units["P-A"]).exists()


def test_duplicate_and_unknown_values_are_field_errors(api, world):
    client = api(world.admin)
    dup = client.post(MEMBERSHIPS, {"user": "officer_a1", "organisation": "P-A-1", "role": "officer"}, format="json")
    assert dup.status_code == 400 and "đã có vai trò" in str(dup.json())
    bad = client.post(MEMBERSHIPS, {"user": "khong-co", "organisation": "ZZZ", "role": "king"}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"user", "organisation", "role"}


def test_admin_revokes_a_role_and_others_cannot(api, world):
    membership = world.officer_a1.memberships.get()
    assert api(world.leader_a).delete(f"{MEMBERSHIPS}{membership.pk}/").status_code == 403
    assert api(world.outsider_admin).delete(f"{MEMBERSHIPS}{membership.pk}/").status_code == 404
    assert api(world.admin).delete(f"{MEMBERSHIPS}{membership.pk}/").status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_memberships_list_is_scoped_and_filterable(api, world):
    rows = api(world.head_a1).get(MEMBERSHIPS).json()["results"]
    assert {r["user"] for r in rows} == {"head_a1", "officer_a1"}
    rows = api(world.oversight).get(MEMBERSHIPS, {"organisation": "P-A"}).json()["results"]
    assert {r["user"] for r in rows} == {"leader_a", "focal_a"}
