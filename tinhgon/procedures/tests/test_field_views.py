"""The field catalogue pages (/thu-tuc/linh-vuc/): everyone in the registry reads the tree and the history; the
province's focal point (a top unit) changes it; a department's focal point and an officer cannot."""

from django.urls import reverse

import pytest

from tinhgon.procedures.models import Field, FieldChange
from tinhgon.procedures.tests.factories import field, make_procedure

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"procedures:{name}", args=args)


def test_the_catalogue_lists_fields_as_a_tree_with_their_procedure_counts(login, world):
    parent = Field.objects.create(code="noi-vu", name="Nội vụ")
    Field.objects.filter(code="thi-dua-khen-thuong").update(parent=parent)
    make_procedure(world.units["P-A-1"])
    page = login(world.officer_a1).get(url("fields")).content.decode()
    assert page.index("Nội vụ") < page.index("└ <a")
    row = page[page.index("Thi đua - Khen thưởng") :].split("</tr>")[0]
    assert '<td class="text-end">1</td>' in row


def test_the_navigation_links_to_the_catalogue(login, world):
    assert url("fields") in login(world.officer_a1).get(url("list")).content.decode()


def test_the_focal_point_of_the_province_adds_a_field(login, world):
    response = login(world.focal_p).post(url("field-create"), {"name": "Tổ chức bộ máy", "code": ""})
    assert response.status_code == 302
    assert Field.objects.get(name="Tổ chức bộ máy").changes.get().by == world.focal_p


def test_a_department_focal_point_cannot_add_a_field(login, world):
    assert login(world.focal_a).post(url("field-create"), {"name": "Tổ chức bộ máy"}).status_code == 403


def test_an_officer_cannot_rename_a_field(login, world):
    response = login(world.officer_a1).post(url("field-rename", field().pk), {"name": "Khác"})
    assert response.status_code == 403 and field().name == "Thi đua - Khen thưởng"


def test_an_outsider_reads_the_shared_catalogue_but_cannot_merge(login, world):
    client = login(world.outsider)
    assert client.get(url("field", field().pk)).status_code == 200
    assert client.post(url("field-merge", field().pk), {"target": field("tu-phap").pk}).status_code == 403


def test_a_missing_field_is_a_404(login, world):
    assert login(world.focal_p).get(url("field", 999999)).status_code == 404


def test_a_rename_shows_in_the_history(login, world):
    client = login(world.focal_p)
    client.post(url("field-rename", field().pk), {"name": "Khen thưởng", "row_version": field().row_version})
    page = client.get(url("field", field().pk)).content.decode()
    assert "“Thi đua - Khen thưởng” → “Khen thưởng”" in page


def test_a_refused_rename_keeps_what_was_typed(login, world):
    response = login(world.focal_p).post(url("field-rename", field().pk), {"name": "Tư pháp"})
    assert response.status_code == 400
    assert 'value="Tư pháp"' in response.content.decode() and "đã là (hoặc từng là)" in response.content.decode()


def test_a_stale_rename_is_refused_on_the_form(login, world):
    client = login(world.focal_p)
    started = field().row_version
    client.post(url("field-rename", field().pk), {"name": "Khen thưởng", "row_version": started})
    response = client.post(url("field-rename", field().pk), {"name": "Khen thưởng 2", "row_version": started})
    assert response.status_code == 400 and field().name == "Khen thưởng"


def test_the_merge_asks_for_confirmation_with_the_number_of_procedures(login, world):
    make_procedure(world.units["P-A"])
    make_procedure(world.units["P-B"])
    response = login(world.focal_p).post(url("field-merge", field().pk), {"target": field("tu-phap").pk})
    assert "<strong>2 thủ tục</strong>" in response.content.decode()
    assert field().is_active


def test_the_confirmed_merge_moves_the_procedures(login, world):
    procedure = make_procedure(world.units["P-A"])
    data = {"target": field("tu-phap").pk, "confirmed": "on", "row_version": field().row_version}
    response = login(world.focal_p).post(url("field-merge", field().pk), data)
    assert response.status_code == 302
    assert procedure.latest_version().field == field("tu-phap")
    assert field().changes.get().kind == FieldChange.Kind.MERGED


def test_merging_into_itself_is_refused_on_the_form(login, world):
    response = login(world.focal_p).post(url("field-merge", field().pk), {"target": field().pk})
    assert (
        response.status_code == 200 and "alert" in response.content.decode() or "invalid" in response.content.decode()
    )
    assert field().is_active


def test_the_focal_point_deactivates_a_field(login, world):
    login(world.focal_p).post(url("field-state", field("ngoai-vu").pk))
    assert not field("ngoai-vu").is_active


def test_filtering_the_registry_by_a_parent_field_shows_its_children(login, world):
    parent = Field.objects.create(code="noi-vu", name="Nội vụ")
    Field.objects.filter(code="thi-dua-khen-thuong").update(parent=parent)
    procedure = make_procedure(world.units["P-A-1"])
    page = login(world.officer_a1).get(url("list"), {"field": "noi-vu"}).content.decode()
    assert procedure.code in page


def test_the_catalogue_query_count_does_not_grow_with_fields(login, world, django_assert_max_num_queries):
    from tinhgon.procedures.fields import field_rename

    client = login(world.focal_p)
    with django_assert_max_num_queries(12) as few:
        client.get(url("fields"))
    parent = Field.objects.create(code="noi-vu", name="Nội vụ")
    for n in range(10):
        child = Field.objects.create(code=f"con-{n}", name=f"Lĩnh vực con {n}", parent=parent)
        field_rename(field=child, name=f"Lĩnh vực con số {n}", by=world.focal_p)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("fields"))


def test_a_merged_field_page_names_its_survivor_and_the_survivor_names_it(login, world):
    from tinhgon.procedures.fields import field_merge

    field_merge(source=field(), target=field("tu-phap"), by=world.focal_p)
    client = login(world.officer_a1)
    assert "Đã hợp nhất vào" in client.get(url("field", field().pk)).content.decode()
    assert "“Thi đua - Khen thưởng” hợp nhất vào" in client.get(url("field", field("tu-phap").pk)).content.decode()


def test_the_merge_form_opens_for_the_focal_point(login, world):
    assert login(world.focal_p).get(url("field-merge", field().pk)).status_code == 200
