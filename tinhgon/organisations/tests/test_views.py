from datetime import date

from django.urls import reverse

import pytest

from tinhgon.organisations.models import Organisation
from tinhgon.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
TREE = reverse("organisations:tree")


def detail(code):
    return reverse("organisations:detail", args=[code])


def children(code):
    return reverse("organisations:children", args=[code])


def test_tree_shows_the_scope_as_a_tree(login, world):
    html = login(world.leader_a).get(TREE).content.decode()
    assert "Đơn vị P-A" in html and "Đơn vị P-A-1" in html
    assert "Đơn vị P-B" not in html and "Đơn vị Q" not in html
    assert html.index("Đơn vị P-A<") < html.index("Đơn vị P-A-1")


def test_tree_search_ignores_diacritics_and_shows_the_parents(login, world):
    OrganisationFactory(
        code="P-A-TDKT",
        name="Ban Thi đua - Khen thưởng",
        parent=world.units["P-A"],
        kind=Organisation.Kind.DEPARTMENT_UNIT,
    )
    html = login(world.oversight).get(TREE, {"q": "thi dua khen thuong"}).content.decode()
    assert "Ban Thi đua - Khen thưởng" in html
    assert "Đơn vị P › Đơn vị P-A" in html


def test_tree_as_of_an_earlier_date(login, world):
    OrganisationFactory(name="Đơn vị mới năm 2025", parent=world.units["P"], valid_from=date(2025, 7, 1))
    client = login(world.oversight)
    assert "Đơn vị mới năm 2025" in client.get(TREE).content.decode()
    assert "Đơn vị mới năm 2025" not in client.get(TREE, {"ngay": "30/06/2025"}).content.decode()


def test_tree_escapes_names_and_the_date_and_links_each_unit_with_the_date_kept(login, world):
    OrganisationFactory(code="P-A&B", name='<script>alert("x")</script>', parent=world.units["P-A"])
    html = login(world.oversight).get(TREE, {"ngay": '01/01/2026"><b>'}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<b>" not in html
    assert 'href="/to-chuc/P-A&amp;B/?ngay=01/01/2026&quot;&gt;&lt;b&gt;"' in html


def test_tree_query_count_is_constant_as_the_tree_grows(login, world, django_assert_max_num_queries):
    client = login(world.oversight)
    with django_assert_max_num_queries(9) as small:
        client.get(TREE)
    parent = world.units["P-B"]
    for _ in range(4):
        parent = OrganisationFactory(parent=parent)
        OrganisationFactory.create_batch(5, parent=parent)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "Đơn vị số" in client.get(TREE).content.decode()


def test_a_large_tree_writes_two_levels_and_reads_a_deeper_one_as_it_is_opened(login, world, settings):
    settings.TINHGON_TREE_WHOLE_UNITS = 3
    html = login(world.oversight).get(TREE).content.decode()
    assert "Đơn vị P-A<" in html and "Đơn vị P-X<" in html
    assert "Đơn vị P-A-1" not in html
    assert f'hx-get="{children("P-A")}" hx-trigger="toggle once"' in html
    assert f'<a href="{detail("P-A")}">Xem 1 đơn vị trực thuộc</a>' in html  # without script: the unit's page


def test_a_large_tree_reads_the_same_queries_however_many_units_it_holds(
    login, world, settings, django_assert_max_num_queries
):
    settings.TINHGON_TREE_WHOLE_UNITS = 3
    client = login(world.oversight)
    with django_assert_max_num_queries(10) as few:
        client.get(TREE)
    for _ in range(4):
        OrganisationFactory.create_batch(5, parent=OrganisationFactory(parent=world.units["P-B"]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "(4)" in client.get(TREE).content.decode()  # P-B's four new units, each opened on demand


def test_a_large_tree_of_two_separate_parts_has_each_part_as_a_root_with_its_children(world, settings):
    from tinhgon.core.dates import today
    from tinhgon.organisations.tree import tree_of

    settings.TINHGON_TREE_WHOLE_UNITS = 1
    seen = Organisation.objects.filter(code__in=["P-A", "P-A-1", "Q", "Q-A"]).as_of(today())
    roots, levels = tree_of(seen, today())
    assert levels == 1
    assert {n.unit.code: [c.unit.code for c in n.children] for n in roots} == {"P-A": ["P-A-1"], "Q": ["Q-A"]}


def test_a_small_tree_is_written_whole(login, world):
    html = login(world.oversight).get(TREE).content.decode()
    assert "Đơn vị P-A-1" in html and "toggle once" not in html


def test_an_opened_level_lists_the_units_under_it_each_with_its_count(login, world):
    OrganisationFactory(code="P-A-1-a", name="Tổ một", parent=world.units["P-A-1"])
    OrganisationFactory(
        code="P-A-2", name="Đơn vị P-A-2", parent=world.units["P-A"], kind=Organisation.Kind.DEPARTMENT_UNIT
    )
    html = login(world.leader_a).get(children("P-A")).content.decode()
    assert html.index("Đơn vị P-A-1") < html.index("Đơn vị P-A-2")
    assert f'hx-get="{children("P-A-1")}"' in html and "(1)" in html
    assert "Tổ một" not in html and "<html" not in html


def test_an_opened_level_keeps_the_day_and_leaves_out_units_not_in_force_then(login, world):
    OrganisationFactory(
        code="P-A-NEW", name="Phòng mới năm 2025", parent=world.units["P-A"], valid_from=date(2025, 7, 1)
    )
    client = login(world.oversight)
    assert "Phòng mới năm 2025" in client.get(children("P-A")).content.decode()
    html = client.get(children("P-A"), {"ngay": "30/06/2025"}).content.decode()
    assert "Phòng mới năm 2025" not in html and f'href="{detail("P-A-1")}?ngay=30/06/2025"' in html


def test_an_opened_level_of_a_unit_outside_the_scope_is_404(login, world):
    assert login(world.outsider).get(children("P-A")).status_code == 404


def test_an_opened_level_above_the_readers_own_unit_is_404(login, world):
    assert login(world.leader_a).get(children("P")).status_code == 404


def test_an_opened_level_reads_the_same_queries_however_many_units_it_lists(
    login, world, django_assert_max_num_queries
):
    client = login(world.oversight)
    with django_assert_max_num_queries(9) as few:
        client.get(children("P-A"))
    for _ in range(5):
        OrganisationFactory.create_batch(3, parent=OrganisationFactory(parent=world.units["P-A"]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(children("P-A")).content.decode().count("org-kind") == 6


def test_detail_shows_parents_children_and_lineage(login, world):
    from tinhgon.organisations.services import units_merge

    old = OrganisationFactory(name="Huyện Cũ", parent=world.units["P"], kind=Organisation.Kind.DISTRICT)
    units_merge(sources=[old], target=world.units["P-X"], day=date(2025, 7, 1))
    client = login(world.oversight)
    html = client.get(detail("P-A")).content.decode()
    assert "Đơn vị P</a>" in html and "Đơn vị P-A-1" in html
    assert "Huyện Cũ" in client.get(detail("P-X")).content.decode()
    assert "Đơn vị P-X" in client.get(detail(old.code)).content.decode()


def test_outsider_gets_404_on_a_unit_of_another_province(login, world):
    assert login(world.outsider).get(detail("P-A")).status_code == 404


def test_detail_history_only_for_roles_that_read_the_audit(login, world):
    assert 'id="history"' in login(world.leader_a).get(detail("P-A")).content.decode()
    assert 'id="history"' not in login(world.officer_a1).get(detail("P-A-1")).content.decode()


def test_officer_cannot_edit_create_or_merge(login, world):
    client = login(world.officer_a1)
    assert client.get(reverse("organisations:edit", args=["P-A-1"])).status_code == 403
    assert client.get(reverse("organisations:create", args=["P-A-1"])).status_code == 403
    assert client.get(reverse("organisations:merge")).status_code == 403


def test_outsider_admin_cannot_edit_this_province(login, world):
    assert login(world.outsider_admin).get(reverse("organisations:edit", args=["P-A"])).status_code == 404


def test_admin_creates_a_child_unit(login, world):
    response = login(world.admin).post(
        reverse("organisations:create", args=["P-A"]),
        {
            "code": "P-A-2",
            "name": "Phòng Tổng hợp",
            "kind": "department_unit",
            "parent": world.units["P-A"].pk,
            "valid_from": "01/01/2026",
            "is_state_agency": "on",
        },
    )
    assert response.status_code == 302
    unit = Organisation.objects.get(code="P-A-2")
    assert unit.valid_from == date(2026, 1, 1)
    assert world.units["P-A"] in unit.ancestors(as_of=date(2026, 1, 1))


def test_invalid_form_keeps_what_was_typed(login, world):
    response = login(world.admin).post(
        reverse("organisations:create", args=["P-A"]),
        {
            "code": "P-A",
            "name": "Tên vừa gõ",
            "kind": "department_unit",
            "parent": world.units["P-A"].pk,
            "valid_from": "32/13/2026",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Tên vừa gõ"' in html and "32/13/2026" in html
    assert "đã tồn tại" in html


def test_a_stale_edit_is_refused_instead_of_overwriting(login, world):
    client = login(world.admin)
    unit = world.units["P-B"]
    started = unit.row_version
    unit.name = "Đổi bởi người khác"
    unit.save()
    response = client.post(
        reverse("organisations:edit", args=["P-B"]),
        {
            "code": "P-B",
            "name": "Tên của tôi",
            "kind": "department",
            "parent": world.units["P"].pk,
            "valid_from": "01/01/2020",
            "is_state_agency": "on",
            "row_version": started,
        },
    )
    assert response.status_code == 200
    assert "vừa được người khác cập nhật" in response.content.decode()
    unit.refresh_from_db()
    assert unit.name == "Đổi bởi người khác"


def test_admin_merges_through_the_form(login, world):
    x = OrganisationFactory(code="P-H1", name="Huyện 1", parent=world.units["P"], kind="district")
    y = OrganisationFactory(code="P-H2", name="Huyện 2", parent=world.units["P"], kind="district")
    response = login(world.admin).post(
        reverse("organisations:merge"),
        {
            "sources": [x.pk, y.pk],
            "target_code": "P-XM",
            "target_name": "Xã Mới",
            "day": "01/07/2025",
        },
    )
    assert response.status_code == 302
    x.refresh_from_db()
    assert x.successor.code == "P-XM" and x.valid_to == date(2025, 6, 30)


def test_merge_form_refuses_units_outside_scope(login, world):
    response = login(world.admin).post(
        reverse("organisations:merge"),
        {
            "sources": [world.units["Q-A"].pk],
            "target": world.units["P-B"].pk,
            "day": "01/07/2025",
        },
    )
    assert response.status_code == 200
    world.units["Q-A"].refresh_from_db()
    assert world.units["Q-A"].valid_to is None


# The unit search behind the pickers and filters ------------------------------------------------------------------


def lookup(client, q):
    return client.get(reverse("organisations:lookup"), {"q": q}).json()["results"]


def test_the_unit_search_finds_a_name_typed_without_diacritics(login, world):
    world.units["P-A-1"].name = "Phòng Đào tạo"
    world.units["P-A-1"].save()
    [found] = lookup(login(world.leader_a), "phong dao tao")
    assert found == {"value": "P-A-1", "text": "Phòng Đào tạo — Đơn vị P-A", "parent": "Đơn vị P-A"}


def test_the_unit_search_answers_only_units_one_may_see(login, world):
    assert lookup(login(world.officer_a1), "Đơn vị") == [
        {"value": "P-A-1", "text": "Đơn vị P-A-1 — Đơn vị P-A", "parent": "Đơn vị P-A"}
    ]
    assert [u["value"] for u in lookup(login(world.outsider), "Đơn vị P")] == []


def test_the_unit_search_needs_a_sign_in(client):
    assert client.get(reverse("organisations:lookup"), {"q": "so"}).status_code == 302
