from datetime import date

import pytest

from tinhgon.audit.models import AuditLogEntry
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/organisations/"


def codes(response):
    return [row["code"] for row in response.json()["results"]]


def test_list_is_scoped_to_the_callers_subtree(api, world):
    assert codes(api(world.leader_a).get(URL)) == ["P-A", "P-A-1"]
    assert "P-A" not in codes(api(world.outsider).get(URL))


def test_anonymous_gets_401_with_a_vietnamese_message(api):
    response = api().get(URL)
    assert response.status_code == 401
    assert "xác thực" in response.json()["detail"].lower()


def test_filters_kind_parent_as_of_and_search(api, world):
    OrganisationFactory(
        code="P-OLD",
        name="Huyện Cũ",
        kind="district",
        parent=world.units["P"],
        valid_from=date(2000, 1, 1),
        valid_to=date(2025, 6, 30),
    )
    client = api(world.oversight)
    assert codes(client.get(URL, {"kind": "commune"})) == ["P-X"]
    assert set(codes(client.get(URL, {"parent": "P"}))) == {"P-VP", "P-A", "P-B", "P-X"}
    assert "P-OLD" in codes(client.get(URL, {"parent": "P", "as_of": "2025-06-30"}))
    assert "P-OLD" not in codes(client.get(URL, {"as_of": "2025-07-01"}))
    assert codes(client.get(URL, {"search": "huyen cu"})) == ["P-OLD"]


def test_bad_as_of_is_a_field_error(api, world):
    response = api(world.oversight).get(URL, {"as_of": "30/02/2025"})
    assert response.status_code == 400 and "as_of" in response.json()


def test_retrieve_by_code_and_outsider_gets_404(api, world):
    body = api(world.oversight).get(f"{URL}P-A-1/").json()
    assert body["parent"] == "P-A" and body["kind"] == "department_unit"
    assert api(world.outsider).get(f"{URL}P-A-1/").status_code == 404


def test_admin_creates_a_unit_with_parent_code(api, world):
    response = api(world.admin).post(
        URL,
        {"code": "P-C", "name": "Sở C", "kind": "department", "parent": "P", "valid_from": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Organisation.objects.get(code="P-C").parent == world.units["P"]
    assert AuditLogEntry.objects.filter(
        action="organisations.unit.created", object_repr="Sở C", actor=world.admin
    ).exists()


@pytest.mark.parametrize("persona", ["oversight", "leader_a", "officer_a1", "outsider_admin"])
def test_only_the_admin_of_the_subtree_creates_units(api, world, persona):
    response = api(getattr(world, persona)).post(
        URL, {"code": "P-C", "name": "Sở C", "kind": "department", "parent": "P"}, format="json"
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(code="P-C").exists()


def test_validation_errors_are_per_field_and_vietnamese(api, world):
    response = api(world.admin).post(
        URL,
        {"code": "P-A", "kind": "planet", "parent": "P", "valid_from": "2026-01-01", "valid_to": "2025-01-01"},
        format="json",
    )
    errors = response.json()
    assert response.status_code == 400
    assert set(errors) >= {"code", "name", "kind"}
    assert "đã tồn tại" in errors["code"][0]
    assert "bắt buộc" in errors["name"][0]
    assert "không phải là lựa chọn hợp lệ" in errors["kind"][0]


def test_patch_changes_a_unit_and_refuses_a_stale_version(api, world):
    client = api(world.admin)
    unit = client.get(f"{URL}P-B/").json()
    assert (
        client.patch(f"{URL}P-B/", {"name": "Sở B mới", "row_version": unit["row_version"]}, format="json").status_code
        == 200
    )
    stale = client.patch(f"{URL}P-B/", {"name": "Ghi đè", "row_version": unit["row_version"]}, format="json")
    assert stale.status_code == 409
    assert stale.json()["row_version"] == unit["row_version"] + 1
    assert [change["fields"] for change in stale.json()["changes"]] == [["name"]]
    assert Organisation.objects.get(code="P-B").name == "Sở B mới"


def test_patch_without_the_version_seen_is_refused_428(api, world):
    response = api(world.admin).patch(f"{URL}P-B/", {"name": "Ghi đè"}, format="json")
    assert response.status_code == 428 and "row_version" in response.json()["detail"]
    assert Organisation.objects.get(code="P-B").name == "Đơn vị P-B"


def test_patch_with_if_match_uses_the_etag_of_the_get(api, world):
    client = api(world.admin)
    etag = client.get(f"{URL}P-B/")["ETag"]
    assert client.patch(f"{URL}P-B/", {"name": "Sở B"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    again = client.patch(f"{URL}P-B/", {"name": "Sở B'"}, format="json", HTTP_IF_MATCH=etag)
    assert again.status_code == 409


def test_patch_by_a_reader_is_403_and_by_an_outsider_404(api, world):
    assert api(world.oversight).patch(f"{URL}P-B/", {"name": "x"}, format="json").status_code == 403
    assert api(world.outsider_admin).patch(f"{URL}P-B/", {"name": "x"}, format="json").status_code == 404


def test_patch_parent_moves_the_unit(api, world):
    seen = world.units["P-A-1"].row_version
    response = api(world.admin).patch(f"{URL}P-A-1/", {"parent": "P-B", "row_version": seen}, format="json")
    assert response.status_code == 200
    assert list(world.units["P-A-1"].ancestors()) == [world.units["P"], world.units["P-B"]]


def test_merge_endpoint(api, world):
    x = OrganisationFactory(code="P-H1", kind="district", parent=world.units["P"], valid_from=date(2000, 1, 1))
    y = OrganisationFactory(code="P-H2", kind="district", parent=world.units["P"], valid_from=date(2000, 1, 1))
    response = api(world.admin).post(
        f"{URL}merge/",
        {"sources": ["P-H1", "P-H2"], "target": "P-NEW", "target_name": "Xã Mới", "date": "2025-07-01"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert set(response.json()["predecessors"]) == {"P-H1", "P-H2"}
    x.refresh_from_db()
    y.refresh_from_db()
    assert x.valid_to == y.valid_to == date(2025, 6, 30)


def test_merge_errors(api, world):
    client = api(world.admin)
    missing = client.post(f"{URL}merge/", {"sources": ["NOPE"], "target": "P-B", "date": "2025-07-01"}, format="json")
    assert missing.status_code == 400 and "NOPE" in missing.json()["sources"][0]
    no_name = client.post(f"{URL}merge/", {"sources": ["P-X"], "target": "P-NEW", "date": "2025-07-01"}, format="json")
    assert no_name.status_code == 400 and "mã và tên" in str(no_name.json())
    foreign = client.post(f"{URL}merge/", {"sources": ["Q-A"], "target": "P-B", "date": "2025-07-01"}, format="json")
    assert foreign.status_code == 400 and "Q-A" in foreign.json()["sources"][0]  # not disclosed as existing


def test_acting_org_header_narrows_the_scope(api, world):
    from tinhgon.accounts.models import Membership, Role

    Membership.objects.create(user=world.officer_a1, organisation=world.units["P-B"], role=Role.OFFICER)
    assert set(codes(api(world.officer_a1).get(URL))) == {"P-A-1", "P-B"}
    assert codes(api(world.officer_a1, acting="P-B").get(URL)) == ["P-B"]
    assert api(world.officer_a1, acting="Q").get(URL).status_code == 403


def test_list_query_count_is_constant(api, world, django_assert_max_num_queries):
    client = api(world.oversight)
    OrganisationFactory.create_batch(20, parent=world.units["P-B"])
    with django_assert_max_num_queries(7):
        assert client.get(URL).status_code == 200
