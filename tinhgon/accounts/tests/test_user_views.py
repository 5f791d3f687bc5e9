from django.urls import reverse

import pytest

from tinhgon.accounts.models import Membership, User

pytestmark = pytest.mark.django_db
USERS = reverse("accounts:users")


def detail(username):
    return reverse("accounts:user-detail", args=[username])


def test_leader_lists_the_users_of_their_agency_only(login, world):
    html = login(world.leader_a).get(USERS).content.decode()
    assert "officer_a1" in html and "focal_a" in html
    assert "outsider" not in html and "oversight" not in html


@pytest.mark.parametrize("persona", ["officer_a1", "head_a1", "focal_a"])
def test_roles_without_user_rights_get_403(login, world, persona):
    assert login(getattr(world, persona)).get(USERS).status_code == 403


def test_outsider_admin_gets_404_on_a_user_of_this_province(login, world):
    assert login(world.outsider_admin).get(detail("officer_a1")).status_code == 404


def test_admin_creates_a_user_and_assigns_a_role(login, world):
    client = login(world.admin)
    response = client.post(
        reverse("accounts:user-create"),
        {
            "username": "moi",
            "full_name": "Người Mới",
            "email": "moi@example.test",
            "password1": "Mat-khau-dai-2026",
            "password2": "Mat-khau-dai-2026",
        },
    )
    assert response.status_code == 302
    response = client.post(detail("moi"), {"organisation": world.units["P-B"].pk, "role": "officer"})
    assert response.status_code == 302
    assert Membership.objects.filter(user__username="moi", organisation=world.units["P-B"], role="officer").exists()


def test_weak_password_is_explained_and_the_form_keeps_the_input(login, world):
    response = login(world.admin).post(
        reverse("accounts:user-create"),
        {
            "username": "moi",
            "full_name": "Người Mới Gõ",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'value="Người Mới Gõ"' in html
    assert "quá ngắn" in html or "toàn là số" in html
    assert not User.objects.filter(username="moi").exists()


def test_admin_cannot_assign_a_role_outside_their_subtree(login, world):
    response = login(world.admin).post(detail("officer_a1"), {"organisation": world.units["Q-A"].pk, "role": "officer"})
    assert response.status_code == 200
    assert not Membership.objects.filter(organisation=world.units["Q-A"], user=world.officer_a1).exists()


def test_leader_sees_but_cannot_change_roles(login, world):
    client = login(world.leader_a)
    assert client.get(detail("officer_a1")).status_code == 200
    response = client.post(detail("officer_a1"), {"organisation": world.units["P-A"].pk, "role": "admin"})
    assert response.status_code == 403
    membership = world.officer_a1.memberships.get()
    assert client.post(reverse("accounts:membership-revoke", args=[membership.pk])).status_code == 403


def test_admin_revokes_a_role(login, world):
    membership = world.officer_a1.memberships.get()
    login(world.admin).post(reverse("accounts:membership-revoke", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_outsider_admin_cannot_revoke_here(login, world):
    membership = world.officer_a1.memberships.get()
    assert (
        login(world.outsider_admin).post(reverse("accounts:membership-revoke", args=[membership.pk])).status_code == 404
    )


def test_user_list_query_count_is_constant(login, world, django_assert_max_num_queries):
    from tinhgon.accounts.tests.factories import MembershipFactory

    client = login(world.admin)
    MembershipFactory.create_batch(25, organisation=world.units["P-B"])
    with django_assert_max_num_queries(10):
        assert client.get(USERS).status_code == 200
