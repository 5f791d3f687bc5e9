"""Several levels per procedure, each with its implementing body (VersionLevel), and the ordinary kind of
procedure (group O) beside internal groups A and B (issue 12, item 3)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count

import pytest
from rest_framework.test import APIClient

from tinhgon.organisations.models import Organisation
from tinhgon.organisations.tests.factories import OrganisationFactory
from tinhgon.portal.tests.conftest import issue
from tinhgon.procedures.constants import Change, Group, Kind, Level, Status
from tinhgon.procedures.filters import RegistryFilter
from tinhgon.procedures.models import ProcedureVersion, VersionLevel
from tinhgon.procedures.services import Components, version_start_next, version_update
from tinhgon.procedures.tests.factories import complete_components, field, make_procedure

pytestmark = pytest.mark.django_db

JOINT = "Thủ tục phân loại đơn vị hành chính (liên thông trung ương, tỉnh)"


def joint_components(name=JOINT, **fields) -> Components:
    """A group A procedure performed at central level by a ministry's department and at provincial level by the
    province's Sở Nội vụ."""
    components = complete_components(name, level=Level.CENTRAL, performing_body="Vụ Chính quyền địa phương", **fields)
    components.other_levels = [{"level": Level.PROVINCE, "body": "Sở Nội vụ"}]
    return components


def levels_of(version) -> list[tuple[str, str]]:
    return [(row.level, row.body) for row in version.level_rows()]


def test_a_new_version_has_one_level_row_with_its_performing_body(world):
    version = make_procedure(world.units["P-A"]).latest_version()
    assert levels_of(version) == [(Level.PROVINCE, "Sở Nội vụ (Ban Thi đua - Khen thưởng)")]


def test_a_joint_procedure_lists_its_primary_level_first_then_the_others(world):
    version = make_procedure(world.units["P-A"], components=joint_components()).latest_version()
    assert levels_of(version) == [(Level.CENTRAL, "Vụ Chính quyền địa phương"), (Level.PROVINCE, "Sở Nội vụ")]


def test_the_primary_level_row_follows_the_level_and_body_of_the_version(world):
    version = make_procedure(world.units["P-A"], components=joint_components()).latest_version()
    components = Components.of(version)
    components.fields.update(level=Level.PROVINCE, performing_body="Sở Nội vụ tỉnh P")
    version_update(version=version, components=components)
    # The other level repeating the new primary one gives way to the version's own body; central is no longer listed.
    assert levels_of(version) == [(Level.PROVINCE, "Sở Nội vụ tỉnh P")]


def test_an_update_without_other_levels_keeps_them(world):
    """The Excel layout has no column for the other levels: an import leaves them as they are."""
    version = make_procedure(world.units["P-A"], components=joint_components()).latest_version()
    components = Components.of(version)
    components.other_levels = None
    components.fields["name"] = "Tên mới"
    version_update(version=version, components=components)
    assert levels_of(version)[1] == (Level.PROVINCE, "Sở Nội vụ")


def test_the_next_version_copies_every_level(world):
    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED, components=joint_components())
    issue(world, [(procedure.latest_version(), Change.NEW)])
    draft = version_start_next(procedure=procedure)
    assert draft.number == 2 and levels_of(draft) == levels_of(procedure.versions.get(number=1))


def test_a_published_version_s_levels_are_frozen(world):
    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED, components=joint_components())
    issue(world, [(procedure.latest_version(), Change.NEW)])
    row = procedure.published_version().levels.get(level=Level.PROVINCE)
    row.body = "Sửa sau khi công bố"
    with pytest.raises(ValidationError):
        row.save()


def test_the_registry_filter_matches_any_level_of_a_version(world):
    make_procedure(world.units["P-A"], components=joint_components())
    make_procedure(world.units["P-A"], components=complete_components("Chỉ ở cấp xã", level=Level.COMMUNE))
    versions = ProcedureVersion.objects.all()
    names = lambda level: sorted(v.name for v in RegistryFilter({"level": level}, queryset=versions).qs)  # noqa: E731
    assert names(Level.PROVINCE) == [JOINT]
    assert names(Level.CENTRAL) == [JOINT]
    assert names(Level.COMMUNE) == ["Chỉ ở cấp xã"]


def test_the_registry_filter_separates_internal_and_ordinary_procedures(world):
    make_procedure(world.units["P-A"])
    make_procedure(world.units["P-A"], components=complete_components("Cấp phép lữ hành", group=Group.ORDINARY))
    versions = ProcedureVersion.objects.all()
    names = lambda kind: [v.name for v in RegistryFilter({"kind": kind}, queryset=versions).qs]  # noqa: E731
    assert names(Kind.ORDINARY) == ["Cấp phép lữ hành"]
    assert names(Kind.INTERNAL) == ["Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh"]


def test_the_version_form_saves_other_levels_from_its_formset(login, world):
    from tinhgon.procedures.tests.test_views import form_data

    procedure = make_procedure(world.units["P-A-1"])
    data = form_data()
    data.update(
        {
            "row_version": procedure.latest_version().row_version,
            "other_levels-TOTAL_FORMS": "1",
            "other_levels-0-level": "central",
            "other_levels-0-body": "Vụ Chính quyền địa phương",
        }
    )
    response = login(world.officer_a1).post(f"/thu-tuc/{procedure.pk}/sua/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (Level.CENTRAL, "Vụ Chính quyền địa phương") in levels_of(procedure.latest_version())


def test_the_version_form_refuses_a_level_given_twice_and_keeps_the_input(login, world):
    from tinhgon.procedures.tests.test_views import form_data

    procedure = make_procedure(world.units["P-A-1"])
    data = form_data()
    data.update(
        {
            "row_version": procedure.latest_version().row_version,
            "other_levels-TOTAL_FORMS": "2",
            **{f"other_levels-{n}-level": "central" for n in (0, 1)},
            **{f"other_levels-{n}-body": f"Cơ quan {n}" for n in (0, 1)},
        }
    )
    response = login(world.officer_a1).post(f"/thu-tuc/{procedure.pk}/sua/", data)
    page = response.content.decode()
    assert response.status_code == 200 and "được nhập hai lần" in page and "Cơ quan 1" in page


# Bộ Nội vụ, QĐ 101/QĐ-BNV ----------------------------------------------------------------------------------------

QD_101 = [
    ("Phân loại đơn vị hành chính cấp tỉnh", Level.CENTRAL, "Vụ Chính quyền địa phương"),
    ("Phân loại phường, đặc khu loại đặc biệt", Level.CENTRAL, "Vụ Chính quyền địa phương"),
    ("Phân loại đơn vị hành chính cấp xã (trừ phường, đặc khu loại đặc biệt)", Level.PROVINCE, "Sở Nội vụ"),
]


@pytest.fixture
def ministry():
    bnv = OrganisationFactory(
        code="BNV", name="Bộ Nội vụ", kind=Organisation.Kind.MINISTRY, valid_from=date(2020, 1, 1)
    )
    return bnv


def replay_qd_101(world, ministry):
    """Bộ Nội vụ, Quyết định số 101/QĐ-BNV, reported 20/01/2026 (domain.md real decision 4, source E4:
    https://huengaynay.vn/chinh-tri-xa-hoi/cai-cach-hanh-chinh/bo-noi-vu-ban-hanh-3-thu-tuc-hanh-chinh-moi-ve-chinh-quyen-dia-phuong-162293.html):
    three new group-A procedures of field Chính quyền địa phương, two performed at central level by Vụ Chính quyền
    địa phương and one at provincial level by Sở Nội vụ. The decision's own dates are not in the report: the replay
    dates it the day it was reported."""
    procedures = [
        make_procedure(
            ministry,
            status=Status.CHECKED,
            components=complete_components(
                name, group=Group.A, level=level, performing_body=body, field=field("chinh-quyen-dia-phuong")
            ),
        )
        for name, level, body in QD_101
    ]
    day = date(2026, 1, 20)
    issue(world, [(p.latest_version(), Change.NEW) for p in procedures], effective_on=day, issuer=ministry)
    return procedures


def test_qd_101_bnv_publishes_three_group_a_procedures_at_two_levels(world, ministry):
    procedures = replay_qd_101(world, ministry)
    versions = [p.published_version() for p in procedures]
    assert [v.group for v in versions] == [Group.A] * 3
    assert [levels_of(v) for v in versions] == [[(level, body)] for _, level, body in QD_101]
    in_force = ProcedureVersion.objects.published().filter(procedure__owner=ministry)
    assert sorted(v.name for v in in_force.at_level(Level.CENTRAL)) == sorted(
        n for n, lv, _ in QD_101 if lv == "central"
    )
    assert [v.name for v in in_force.at_level(Level.PROVINCE)] == [QD_101[2][0]]


def test_a_joint_procedure_is_counted_once_under_its_primary_level(world, ministry):
    procedure = make_procedure(ministry, status=Status.CHECKED, components=joint_components())
    issue(world, [(procedure.latest_version(), Change.NEW)], issuer=ministry)
    in_force = ProcedureVersion.objects.published().filter(procedure__owner=ministry)
    by_level = dict(in_force.values_list("level").annotate(n=Count("pk")).order_by())
    assert by_level == {Level.CENTRAL: 1}
    assert VersionLevel.objects.filter(version__procedure=procedure).count() == 2


# What the outsider (and everyone, anonymously) sees on the portal and the public API --------------------------------


def test_the_portal_page_shows_every_level_with_its_body(client, world):
    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED, components=joint_components())
    issue(world, [(procedure.latest_version(), Change.NEW)])
    page = client.get(f"/cong-khai/thu-tuc/{procedure.code}/").content.decode()
    assert "Cấp trung ương: Vụ Chính quyền địa phương" in page and "Cấp tỉnh: Sở Nội vụ" in page


def test_the_portal_search_by_level_finds_a_joint_procedure_at_its_other_level(client, world):
    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED, components=joint_components())
    issue(world, [(procedure.latest_version(), Change.NEW)])
    assert procedure.code in client.get("/cong-khai/?cap=province").content.decode()
    assert procedure.code not in client.get("/cong-khai/?cap=commune").content.decode()


def test_the_public_api_gives_the_kind_and_every_level(world):
    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED, components=joint_components())
    issue(world, [(procedure.latest_version(), Change.NEW)])
    data = APIClient().get(f"/api/v1/public/procedures/{procedure.code}/").json()
    assert data["kind"] == Kind.INTERNAL and data["level"] == Level.CENTRAL
    assert data["levels"] == [
        {"level": "central", "body": "Vụ Chính quyền địa phương", "organisation": None},
        {"level": "province", "body": "Sở Nội vụ", "organisation": None},
    ]


def test_an_outsider_sees_neither_a_draft_s_levels_in_the_registry_nor_on_the_portal(login, client, world):
    procedure = make_procedure(world.units["P-A"], components=joint_components())
    assert login(world.outsider).get(f"/thu-tuc/{procedure.pk}/").status_code == 404
    assert client.get(f"/cong-khai/thu-tuc/{procedure.code}/").status_code == 404
    assert APIClient().get(f"/api/v1/public/procedures/{procedure.code}/").status_code == 404


def test_an_ordinary_procedure_is_published_on_the_portal_under_its_own_heading(client, world):
    components = complete_components("Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa", group=Group.ORDINARY)
    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED, components=components)
    issue(world, [(procedure.latest_version(), Change.NEW)])
    page = client.get(f"/cong-khai/thu-tuc/{procedure.code}/").content.decode()
    assert "Thủ tục hành chính cho người dân, doanh nghiệp" in page
    assert "Thủ tục hành chính nội bộ · Nhóm" not in page


def test_a_decision_of_ordinary_procedures_is_not_worded_as_internal(world):
    from tinhgon.procedures.documents import Issuer, annex, decision_context
    from tinhgon.procedures.models import PublicationDecision
    from tinhgon.test import DECISION_GROUNDS

    components = complete_components("Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa", group=Group.ORDINARY)
    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED, components=components)
    decision = PublicationDecision.objects.create(
        number="77/QĐ-UBND", issuer=world.units["P"], effective_on=date(2026, 12, 1), **DECISION_GROUNDS
    )
    decision.items.create(version=procedure.latest_version(), change=Change.NEW)
    context = decision_context(decision, Issuer.of(decision), annex(decision))
    assert context["trich_yeu"].startswith("Về việc công bố Danh mục thủ tục hành chính mới ban hành")
    assert "01 thủ tục hành chính mới ban hành" in context["dieu_1"] and "nội bộ" not in context["dieu_1"]
    assert context["phu_luc_tieu_de"][0].startswith("DANH MỤC THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH")


def test_the_excel_import_takes_an_ordinary_procedure_in_the_group_column(world):
    from tinhgon.procedures.excel import import_procedures
    from tinhgon.procedures.tests.excel_fixtures import good_row, xlsx

    result = import_procedures(xlsx([good_row(group="O")]), owner=world.units["P-A"])
    assert result.ok and ProcedureVersion.objects.get().kind == Kind.ORDINARY


def test_an_import_moving_the_primary_level_does_not_leave_the_old_one_as_another_level(world):
    version = make_procedure(world.units["P-A"], components=joint_components()).latest_version()
    components = Components.of(version)
    components.other_levels = None  # as the Excel import gives it
    components.fields.update(level=Level.COMMUNE, performing_body="Ủy ban nhân dân cấp xã")
    version_update(version=version, components=components)
    assert levels_of(version) == [(Level.COMMUNE, "Ủy ban nhân dân cấp xã"), (Level.PROVINCE, "Sở Nội vụ")]


def test_the_public_api_lists_procedures_of_one_kind(world):
    ordinary = complete_components("Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa", group=Group.ORDINARY)
    procedures = [
        make_procedure(world.units["P-A"], status=Status.CHECKED, components=components)
        for components in (complete_components(), ordinary)
    ]
    issue(world, [(p.latest_version(), Change.NEW) for p in procedures])

    def names(kind):
        return [r["name"] for r in APIClient().get(f"/api/v1/public/procedures/?kind={kind}").json()["results"]]

    assert names("ordinary") == [ordinary.fields["name"]]
    assert names("internal") == ["Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh"]
    assert names("khong-co") == []


def test_the_decision_annex_names_each_level_s_body_of_a_joint_procedure(world):
    from tinhgon.procedures.documents import decision_docx
    from tinhgon.procedures.tests.test_documents import blocks

    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED, components=joint_components())
    decision = issue(world, [(procedure.latest_version(), Change.NEW)])
    text = "\n".join(blocks(decision_docx(decision)))
    assert "Cấp trung ương: Vụ Chính quyền địa phương; Cấp tỉnh: Sở Nội vụ" in text


def test_the_version_comparison_shows_a_level_added_with_its_body(world):
    from tinhgon.procedures.diff import compare

    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED)
    issue(world, [(procedure.latest_version(), Change.NEW)])
    draft = version_start_next(procedure=procedure)
    components = Components.of(draft)
    components.other_levels = [{"level": Level.COMMUNE, "body": "Ủy ban nhân dân cấp xã"}]
    version_update(version=draft, components=components)
    [level] = [row for row in compare(procedure.versions.get(number=1), draft) if row.label == "Cấp thực hiện"]
    assert level.changed and ("+", "Cấp xã: Ủy ban nhân dân cấp xã") in level.lines
