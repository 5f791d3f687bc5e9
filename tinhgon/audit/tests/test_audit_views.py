from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from tinhgon.audit import context as audit
from tinhgon.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
URL = reverse("audit:entries")


def rename(unit, name, user, org):
    with audit.acting(user=user, organisation=org):
        unit.name = name
        unit.save()


def test_officer_gets_403(login, world):
    assert login(world.officer_a1).get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(URL).status_code == 302


def test_leader_sees_entries_of_their_subtree_only(login, world):
    rename(world.units["P-A-1"], "Phòng trong Sở A", world.admin, world.units["P"])
    rename(world.units["P-B"], "Sở B đổi tên", world.admin, world.units["P"])
    html = login(world.leader_a).get(URL).content.decode()
    assert "Phòng trong Sở A" in html
    assert "Sở B đổi tên" not in html


def test_outsider_admin_sees_nothing_of_another_province(login, world):
    rename(world.units["P-A"], "Sở A tên mới", world.admin, world.units["P"])
    html = login(world.outsider_admin).get(URL).content.decode()
    assert "Sở A tên mới" not in html


def test_filters_by_user_organisation_action_and_date(login, world):
    rename(world.units["P-A"], "Tên do admin đặt", world.admin, world.units["P"])
    rename(world.units["P-B"], "Tên do oversight đặt", world.oversight, world.units["P"])
    client = login(world.admin)
    by_user = client.get(URL, {"user": "oversight"}).content.decode()
    assert "Tên do oversight đặt" in by_user and "Tên do admin đặt" not in by_user
    by_org = client.get(URL, {"organisation": "P-A"}).content.decode()
    assert "Tên do admin đặt" in by_org and "Tên do oversight đặt" not in by_org
    by_action = client.get(URL, {"action": "organisations.unit.updated"}).content.decode()
    assert "Tên do admin đặt" in by_action and "accounts.membership.created" not in by_action
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    assert "Tên do admin đặt" not in client.get(URL, {"since": tomorrow}).content.decode()


def test_bad_filter_date_is_explained(login, world):
    html = login(world.admin).get(URL, {"since": "31/02/2025"}).content.decode()
    assert "Nhập một ngày hợp lệ" in html or "ngày hợp lệ" in html


def test_query_count_does_not_grow_with_entries(login, world, django_assert_max_num_queries):
    client = login(world.admin)
    for i in range(30):
        OrganisationFactory(parent=world.units["P-B"], name=f"Đơn vị thêm {i}")
    with django_assert_max_num_queries(11):
        response = client.get(URL)
    assert response.status_code == 200
