from django.urls import reverse

import pytest

from tinhgon.accounts.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_home_shows_user_organisation_and_role(login, world):
    html = login(world.officer_a1).get("/").content.decode()
    assert world.officer_a1.full_name in html
    assert "Đơn vị P-A-1" in html
    assert "Chuyên viên" in html


def test_home_lists_only_sections_the_role_may_open(login, world):
    officer_html = login(world.officer_a1).get("/").content.decode()
    assert reverse("audit:entries") not in officer_html
    admin_html = login(world.admin).get("/").content.decode()
    assert reverse("audit:entries") in admin_html


def test_a_user_with_two_memberships_switches_the_organisation_they_act_for(login, world):
    Membership.objects.create(user=world.officer_a1, organisation=world.units["P-X"], role=Role.FOCAL_POINT)
    client = login(world.officer_a1)
    assert "Công chức đầu mối" in client.get("/").content.decode()  # strongest role by default
    chosen = world.officer_a1.memberships.get(organisation=world.units["P-A-1"])
    client.post(reverse("accounts:switch"), {"membership": chosen.pk, "next": "/"})
    html = client.get("/").content.decode()
    assert 'id="acting"' in html and "Đơn vị P-A-1" in html.split('id="acting"')[1].split("</dl>")[0]


def test_switching_to_someone_elses_membership_is_refused(login, world):
    foreign = world.outsider.memberships.get()
    client = login(world.officer_a1)
    client.post(reverse("accounts:switch"), {"membership": foreign.pk, "next": "/"}, follow=True)
    assert client.session.get("acting_membership_id") is None


def test_switch_ignores_an_external_next_url(login, world):
    response = login(world.officer_a1).post(
        reverse("accounts:switch"), {"membership": world.officer_a1.memberships.get().pk, "next": "https://evil.test/"}
    )
    assert response.url == "/"


def test_home_query_count_is_constant(login, world, django_assert_max_num_queries):
    client = login(world.officer_a1)
    # 7 for the page (the bell counts unread notifications), one per to-do source that may hold something (the
    # review forms assigned to the officer by name included; quality: late findings and processes due for review),
    # and the units where the user may act on versions and on forms, and the procedures of the latter (core.inbox)
    with django_assert_max_num_queries(17):
        client.get("/")
