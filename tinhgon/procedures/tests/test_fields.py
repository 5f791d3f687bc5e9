"""The field catalogue (procedures/fields.py): a tree whose renames and merges keep their history, and whose old
names keep matching the field they became (Excel import, API, portal filter)."""

from datetime import timedelta

from django.core.exceptions import ValidationError

import pytest

from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.dates import today
from tinhgon.procedures.excel import import_procedures
from tinhgon.procedures.fields import (
    field_create,
    field_deactivate,
    field_merge,
    field_move,
    field_reactivate,
    field_rename,
)
from tinhgon.procedures.models import Field, FieldChange, Procedure, SearchEntry
from tinhgon.procedures.tests.excel_fixtures import good_row, xlsx
from tinhgon.procedures.tests.factories import complete_components, field, make_procedure

pytestmark = pytest.mark.django_db


def new(name, parent=None, world=None):
    return field_create(name=name, parent=parent, by=world.focal_p if world else None)


def test_a_rename_keeps_the_old_name_in_the_history(world):
    renamed = field_rename(field=field(), name="Thi đua, khen thưởng và kỷ luật", by=world.focal_p)
    change = renamed.changes.get(kind=FieldChange.Kind.RENAMED)
    assert (change.old_name, change.new_name, change.by, change.on) == (
        "Thi đua - Khen thưởng",
        "Thi đua, khen thưởng và kỷ luật",
        world.focal_p,
        today(),
    )


def test_an_old_name_still_resolves_to_the_renamed_field(world):
    renamed = field_rename(field=field(), name="Thi đua, khen thưởng và kỷ luật", by=world.focal_p)
    assert Field.objects.resolve("thi dua – khen thuong") == renamed


def test_the_import_matches_a_field_by_its_old_name(world):
    renamed = field_rename(field=field(), name="Thi đua, khen thưởng và kỷ luật", by=world.focal_p)
    result = import_procedures(xlsx([good_row(field="Thi đua - Khen thưởng")]), owner=world.units["P-A"])
    assert result.ok, [str(e) for e in result.errors]
    assert Procedure.objects.get(code="TT-0001").latest_version().field == renamed


def test_the_import_matches_a_merged_field_to_its_survivor(world):
    target = field("to-chuc-can-bo")
    field_merge(source=field(), target=target, by=world.focal_p)
    result = import_procedures(xlsx([good_row(field="Thi đua - Khen thưởng")]), owner=world.units["P-A"])
    assert result.ok, [str(e) for e in result.errors]
    assert Procedure.objects.get(code="TT-0001").latest_version().field == target


def test_a_rename_updates_the_search_text_of_published_versions(world, published):
    procedure = published(world.units["P-A"])
    field_rename(field=field(), name="Khen thưởng cán bộ", by=world.focal_p)
    entry = SearchEntry.objects.get(version=procedure.latest_version())
    assert "khen thuong can bo" in entry.search_text


def test_a_name_another_field_had_is_refused(world):
    field_rename(field=field(), name="Khen thưởng", by=world.focal_p)
    with pytest.raises(ValidationError, match="từng là"):
        field_rename(field=field("to-chuc-can-bo"), name="Thi đua – khen thưởng", by=world.focal_p)


def test_a_merge_moves_every_version_and_ends_the_source(world, published):
    procedure = published(world.units["P-A"])
    draft = make_procedure(world.units["P-A"])
    target = field("to-chuc-can-bo")
    moved = field_merge(source=field(), target=target, by=world.focal_p)
    source = Field.objects.get(code="thi-dua-khen-thuong")
    assert moved == 2
    assert procedure.latest_version().field == target and draft.latest_version().field == target
    assert SearchEntry.objects.get(version=procedure.latest_version()).field == target
    assert (source.is_active, source.merged_into, source.valid_to) == (False, target, today())
    assert source.changes.get().versions_moved == 2


def test_a_merge_is_audited(world):
    field_merge(source=field(), target=field("to-chuc-can-bo"), by=world.focal_p)
    assert AuditLogEntry.objects.filter(action="procedures.field.merged").count() == 1


def test_a_merge_moves_the_children_to_the_target(world):
    parent = new("Nội vụ", world=world)
    child = new("Tuyển dụng công chức", parent=parent, world=world)
    field_merge(source=parent, target=field("to-chuc-can-bo"), by=world.focal_p)
    assert Field.objects.get(pk=child.pk).parent == field("to-chuc-can-bo")


def test_merging_a_field_into_itself_is_refused(world):
    with pytest.raises(ValidationError, match="chính nó"):
        field_merge(source=field(), target=field(), by=world.focal_p)


def test_merging_into_a_descendant_is_refused(world):
    parent = new("Nội vụ", world=world)
    child = new("Tuyển dụng công chức", parent=parent, world=world)
    with pytest.raises(ValidationError, match="lĩnh vực con"):
        field_merge(source=parent, target=child, by=world.focal_p)


def test_merging_into_an_inactive_field_is_refused(world):
    target = field_deactivate(field=field("ngoai-vu"), by=world.focal_p)
    with pytest.raises(ValidationError, match="ngừng sử dụng"):
        field_merge(source=field(), target=target, by=world.focal_p)


def test_a_refused_merge_moves_nothing(world, published):
    procedure = published(world.units["P-A"])
    with pytest.raises(ValidationError):
        field_merge(source=field(), target=field(), by=world.focal_p)
    assert procedure.latest_version().field == field()


def test_moving_a_field_under_its_own_child_is_refused(world):
    parent = new("Nội vụ", world=world)
    child = new("Tuyển dụng công chức", parent=parent, world=world)
    with pytest.raises(ValidationError, match="lĩnh vực con"):
        field_move(field=parent, parent=child, by=world.focal_p)


def test_a_move_is_recorded_with_both_parents(world):
    parent = new("Nội vụ", world=world)
    moved = field_move(field=field(), parent=parent, by=world.focal_p)
    change = moved.changes.get(kind=FieldChange.Kind.MOVED)
    assert (change.old_parent, change.new_parent) == (None, parent)


def test_a_stale_rename_is_refused(world):
    stale = field().row_version
    field_rename(field=field(), name="Khen thưởng", by=world.focal_p)
    with pytest.raises(ValidationError):
        field_rename(field=field(), name="Khác", by=None, row_version=stale)


def test_a_change_dated_in_the_future_is_refused(world):
    with pytest.raises(ValidationError, match="sau hôm nay"):
        field_rename(field=field(), name="Khen thưởng", by=world.focal_p, on=today() + timedelta(days=1))


def test_a_deactivated_field_can_be_used_again(world):
    field_deactivate(field=field(), by=world.focal_p)
    again = field_reactivate(field=field(), by=world.focal_p)
    assert again.is_active and again.valid_to is None


def test_a_merged_field_cannot_be_used_again(world):
    field_merge(source=field(), target=field("to-chuc-can-bo"), by=world.focal_p)
    with pytest.raises(ValidationError, match="hợp nhất"):
        field_reactivate(field=field(), by=world.focal_p)


def test_a_new_field_gets_a_code_from_its_name(world):
    created = new("Tổ chức bộ máy", world=world)
    assert created.code == "to-chuc-bo-may" and created.changes.get().kind == FieldChange.Kind.CREATED


def test_the_seed_adds_the_fields_found_in_real_decisions(world):
    """Nghệ An, QĐ 3027/QĐ-UBND ngày 11/11/2024 (Chủ tịch UBND tỉnh): lĩnh vực tổ chức biên chế (migration 0017)."""
    assert Field.objects.get(code="to-chuc-bien-che").name == "Tổ chức biên chế"


def test_procedures_keep_working_with_a_field_in_a_tree(world):
    parent = new("Nội vụ", world=world)
    field_move(field=field(), parent=parent, by=world.focal_p)
    procedure = make_procedure(world.units["P-A"], components=complete_components())
    assert procedure.latest_version().field.ancestors() == [parent]
