"""The field catalogue (lĩnh vực): create, rename, move, merge, deactivate and reactivate, each audited and recorded
in the field's history (FieldChange).

Who: the rule `fields.manage` (accounts/permissions.py): superusers, and the focal points and administrators of a
top unit (a province or a ministry). The catalogue is reference data shared by every unit, so a department's focal
point does not rename what other departments file under.

A merge moves every version (drafts, published and ended) to the surviving field, so that reports, filters and the
search count them once; the merged field stays, inactive, with `merged_into`, and its name keeps matching (imports,
filters, the API) the survivor. Documents printed from the registry after a merge show the survivor's name; what a
decision said when it was signed is its signed original (audit.originals), and the history here says which name a
field had on which day.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from tinhgon.audit import context as audit
from tinhgon.core.dates import today
from tinhgon.core.locking import refuse_stale
from tinhgon.core.text import fold_vn
from tinhgon.procedures.models import Field, FieldChange, ProcedureVersion, SearchEntry, field_key

Kind = FieldChange.Kind


def _check_day(on: date) -> date:
    if on > today():
        raise ValidationError({"on": "Ngày hiệu lực của thay đổi không được sau hôm nay."})
    return on


def _check_name_free(name: str, field: Field | None = None) -> str:
    """A name may not mean another field: neither its current name nor one it had (it would match two)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Cần nhập tên lĩnh vực."})
    meant = Field.objects.name_index().get(field_key(name))
    if meant is not None and (field is None or meant.pk != field.pk):
        raise ValidationError({"name": f"Tên “{name}” đã là (hoặc từng là) tên của lĩnh vực “{meant.name}”."})
    return name


def _check_parent(field: Field | None, parent: Field | None) -> None:
    if parent is None:
        return
    if not parent.is_active:
        raise ValidationError({"parent": f"Lĩnh vực “{parent.name}” đã ngừng sử dụng, không nhận lĩnh vực con."})
    if field is not None and (parent.pk == field.pk or parent.pk in field.descendant_ids()):
        raise ValidationError({"parent": "Không thể đặt một lĩnh vực vào chính nó hoặc vào lĩnh vực con của nó."})


def _record(field: Field, kind: str, by, on: date, note: str = "", **values) -> FieldChange:
    return FieldChange.objects.create(field=field, kind=kind, by=by, on=on, note=note, **values)


def _new_code(name: str) -> str:
    base = slugify(fold_vn(name))[:36] or "linh-vuc"
    code, n = base, 1
    while Field.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def field_create(
    *, name: str, by, code: str = "", parent: Field | None = None, on: date | None = None, note: str = ""
) -> Field:
    """A new active field (under `parent`). Side effects: the field's audit entry and a CREATED history row."""
    on = _check_day(on or today())
    name = _check_name_free(name)
    _check_parent(None, parent)
    code = (code or "").strip() or _new_code(name)
    if Field.objects.filter(code=code).exists():
        raise ValidationError({"code": f"Mã lĩnh vực “{code}” đã có."})
    with audit.action("procedures.field.created"):
        field = Field(code=code, name=name, parent=parent)
        field.full_clean()
        field.save()
    _record(field, Kind.CREATED, by, on, note, new_name=name, new_parent=parent)
    return field


def _locked(field: Field, row_version: int | None) -> Field:
    refuse_stale(field, row_version)
    return Field.objects.select_for_update().get(pk=field.pk)


@transaction.atomic
def field_rename(
    *, field: Field, name: str, by, on: date | None = None, note: str = "", row_version: int | None = None
) -> Field:
    """Rename; the old name stays in the history and keeps matching this field (imports, filters, the API).

    Side effects: audit entry, RENAMED history row, the search text of the field's versions and their public
    search entries (both carry the field's name)."""
    on = _check_day(on or today())
    field = _locked(field, row_version)
    name = _check_name_free(name, field)
    if name == field.name:
        raise ValidationError({"name": "Tên mới trùng tên hiện tại."})
    old = field.name
    with audit.action("procedures.field.renamed"):
        field.name = name
        field.save()
    _record(field, Kind.RENAMED, by, on, note, old_name=old, new_name=name)
    _refresh_search_text(field)
    return field


def _refresh_search_text(field: Field) -> None:
    """Derived columns only (ProcedureVersion.search_text and SearchEntry), hence bulk_update."""
    versions = list(ProcedureVersion.objects.filter(field=field).select_related("procedure"))
    for version in versions:
        version.field = field
        version.search_text = version.folded_text()
    ProcedureVersion.objects.bulk_update(versions, ["search_text"], batch_size=500)
    SearchEntry.objects.sync([v.pk for v in versions if v.is_public])


@transaction.atomic
def field_move(
    *, field: Field, parent: Field | None, by, on: date | None = None, note: str = "", row_version: int | None = None
) -> Field:
    """Put the field under `parent` (None: top level). Refuses a cycle and an inactive parent.
    Side effects: audit entry, MOVED history row."""
    on = _check_day(on or today())
    field = _locked(field, row_version)
    _check_parent(field, parent)
    if field.parent_id == (parent.pk if parent else None):
        raise ValidationError({"parent": "Lĩnh vực đã thuộc nhóm này."})
    old = field.parent
    with audit.action("procedures.field.moved"):
        field.parent = parent
        field.save()
    _record(field, Kind.MOVED, by, on, note, old_parent=old, new_parent=parent)
    return field


def merge_problems(source: Field, target: Field) -> list[str]:
    """Why `source` cannot merge into `target` (empty: it can)."""
    problems = []
    if source.pk == target.pk:
        problems.append("Không thể hợp nhất một lĩnh vực vào chính nó.")
    elif target.pk in source.descendant_ids():
        problems.append(f"“{target.name}” là lĩnh vực con của “{source.name}”: hãy chuyển nó ra trước.")
    if not source.is_active:
        problems.append(f"Lĩnh vực “{source.name}” đã ngừng sử dụng hoặc đã được hợp nhất.")
    if not target.is_active:
        problems.append(f"Lĩnh vực tiếp nhận “{target.name}” đã ngừng sử dụng.")
    return problems


@transaction.atomic
def field_merge(
    *, source: Field, target: Field, by, on: date | None = None, note: str = "", row_version: int | None = None
) -> int:
    """Merge `source` into `target`; returns the number of procedure versions moved.

    Side effects, each audited: every version of `source` (any state) is saved with `target` (its search text and
    public search entry follow); the children of `source` move under `target`; `source` becomes inactive from `on`
    with `merged_into`; a MERGED history row on `source` names `target` and the count."""
    on = _check_day(on or today())
    source = _locked(source, row_version)
    target = Field.objects.select_for_update().get(pk=target.pk)
    problems = merge_problems(source, target)
    if problems:
        raise ValidationError(problems)
    moved = 0
    with audit.action("procedures.version.field_merged"):
        for version in ProcedureVersion.objects.filter(field=source).select_related("procedure"):
            version.field = target
            version.save()
            moved += 1
    for child in Field.objects.filter(parent=source):
        field_move(field=child, parent=target, by=by, on=on, note=f"Theo hợp nhất “{source.name}”")
    with audit.action("procedures.field.merged"):
        source.is_active, source.valid_to, source.merged_into = False, on, target
        source.save()
    _record(source, Kind.MERGED, by, on, note, into=target, versions_moved=moved)
    return moved


@transaction.atomic
def field_deactivate(
    *, field: Field, by, on: date | None = None, note: str = "", row_version: int | None = None
) -> Field:
    """No new procedure may take the field; those filed under it keep it. Refuses while it has active children.
    Side effects: audit entry, DEACTIVATED history row."""
    on = _check_day(on or today())
    field = _locked(field, row_version)
    if not field.is_active:
        raise ValidationError("Lĩnh vực đã ngừng sử dụng.")
    if field.children.filter(is_active=True).exists():
        raise ValidationError("Lĩnh vực còn lĩnh vực con đang sử dụng: hãy chuyển hoặc ngừng chúng trước.")
    with audit.action("procedures.field.deactivated"):
        field.is_active, field.valid_to = False, on
        field.save()
    _record(field, Kind.DEACTIVATED, by, on, note)
    return field


@transaction.atomic
def field_reactivate(
    *, field: Field, by, on: date | None = None, note: str = "", row_version: int | None = None
) -> Field:
    """Use a deactivated field again (not a merged one: its procedures now live on the survivor).
    Side effects: audit entry, REACTIVATED history row."""
    on = _check_day(on or today())
    field = _locked(field, row_version)
    if field.is_active:
        raise ValidationError("Lĩnh vực đang được sử dụng.")
    if field.merged_into_id:
        raise ValidationError(f"Lĩnh vực đã hợp nhất vào “{field.merged_into.name}”, không dùng lại được.")
    with audit.action("procedures.field.reactivated"):
        field.is_active, field.valid_to = True, None
        field.save()
    _record(field, Kind.REACTIVATED, by, on, note)
    return field
