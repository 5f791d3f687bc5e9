"""/api/v1/fields/: the field catalogue, read by the registry's readers, changed by a top unit's focal point."""

import pytest

from tinhgon.procedures.models import Field, Procedure
from tinhgon.procedures.tests.factories import field, make_procedure

pytestmark = pytest.mark.django_db
URL = "/api/v1/fields/"


def detail(code):
    return f"{URL}{field(code).pk}/"


def test_the_list_gives_each_field_with_its_parent_and_procedure_count(api, world):
    make_procedure(world.units["P-A-1"])
    rows = api(world.officer_a1).get(URL, {"page_size": 100}).json()["results"]
    row = next(r for r in rows if r["code"] == "thi-dua-khen-thuong")
    assert (row["parent"], row["procedures"], row["is_active"]) == (None, 1, True)


def test_an_anonymous_client_cannot_read_the_catalogue(api, world):
    assert api().get(URL).status_code in (401, 403)


def test_the_province_focal_point_creates_a_child_field(api, world):
    response = api(world.focal_p).post(URL, {"name": "Khen thưởng đột xuất", "parent": "thi-dua-khen-thuong"})
    assert response.status_code == 201, response.json()
    assert Field.objects.get(code=response.json()["code"]).parent == field()


def test_an_officer_cannot_create_a_field(api, world):
    assert api(world.officer_a1).post(URL, {"name": "Khác"}).status_code == 403


def test_an_outsider_cannot_rename_a_field(api, world):
    response = api(world.outsider).patch(detail("thi-dua-khen-thuong"), {"name": "X", "row_version": 1})
    assert response.status_code == 403


def test_a_rename_needs_the_version_read(api, world):
    assert api(world.focal_p).patch(detail("thi-dua-khen-thuong"), {"name": "Khen thưởng"}).status_code == 428


def test_a_rename_keeps_the_old_name_in_the_detail(api, world):
    client = api(world.focal_p)
    body = {"name": "Khen thưởng", "row_version": field().row_version}
    assert client.patch(detail("thi-dua-khen-thuong"), body, format="json").status_code == 200
    answer = client.get(detail("thi-dua-khen-thuong")).json()
    assert answer["old_names"] == ["Thi đua - Khen thưởng"]
    assert answer["history"][0]["kind"] == "renamed"


def test_a_procedure_sent_with_an_old_field_name_gets_the_renamed_field(api, world):
    from tinhgon.api.tests.test_procedures_api import BODY

    client = api(world.focal_p)
    client.patch(detail("thi-dua-khen-thuong"), {"name": "Khen thưởng", "row_version": field().row_version})
    response = api(world.officer_a1).post("/api/v1/procedures/", BODY, format="json")
    assert response.status_code == 201, response.json()
    assert Procedure.objects.latest("pk").latest_version().field == field()


def test_merge_moves_the_versions_and_answers_their_number(api, world):
    procedure = make_procedure(world.units["P-A"])
    body = {"into": "tu-phap", "row_version": field().row_version}
    response = api(world.focal_p).post(f"{detail('thi-dua-khen-thuong')}merge/", body, format="json")
    assert response.json() == {"into": "tu-phap", "versions_moved": 1}
    assert procedure.latest_version().field == field("tu-phap")


def test_merge_into_a_descendant_is_refused(api, world):
    child = Field.objects.create(code="con", name="Lĩnh vực con", parent=field())
    body = {"into": child.code, "row_version": field().row_version}
    response = api(world.focal_p).post(f"{detail('thi-dua-khen-thuong')}merge/", body, format="json")
    assert response.status_code == 400 and field().is_active


def test_the_list_query_count_does_not_grow_with_fields(api, world, django_assert_max_num_queries):
    from tinhgon.procedures.fields import field_rename

    client = api(world.focal_p)
    field_rename(field=field("tu-phap"), name="Tư pháp và hộ tịch", by=world.focal_p)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for n in range(10):
        created = Field.objects.create(code=f"a-{n}", name=f"A lĩnh vực {n}", parent=field())
        field_rename(field=created, name=f"A lĩnh vực số {n}", by=world.focal_p)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
