"""Registry work that spans several rows: creating procedures with their components, starting the next version,
and publication decisions (issuing them and applying them to the registry on their effective date)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from tinhgon.audit import context as audit
from tinhgon.audit.services import log_created
from tinhgon.core.dates import legal_date, today
from tinhgon.core.locking import refuse_stale
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.constants import DecisionStatus, Status
from tinhgon.procedures.models import (
    DecisionItem,
    DossierItem,
    LegalBasis,
    Procedure,
    ProcedureVersion,
    PublicationDecision,
    Step,
    VersionLevel,
)
from tinhgon.procedures.signals import decision_applied

PART_MODELS = {"steps": Step, "dossier_items": DossierItem, "legal_bases": LegalBasis}
VERSION_FIELDS = [
    "name",
    "group",
    "level",
    "field",
    "channels",
    "dossier_sets",
    "processing_time_text",
    "processing_time_min",
    "processing_time_value",
    "processing_time_unit",
    "processing_time_variants",
    "performers",
    "authority",
    "performing_body",
    "coordinating_bodies",
    "result",
    "fees",
    "conditions",
    "executions_per_year",
    "subjects_per_year",
]


@dataclass
class Components:
    """The content of a version as plain data: scalar fields plus the ordered child rows (lists of dicts)."""

    fields: dict
    steps: list[dict] = field(default_factory=list)
    dossier_items: list[dict] = field(default_factory=list)
    legal_bases: list[dict] = field(default_factory=list)
    # The levels besides the primary one ({level, body, organisation}); None leaves a version's other levels as
    # they are (the Excel layout has no column for them). The primary level is `fields["level"]` with its body
    # `fields["performing_body"]`.
    other_levels: list[dict] | None = None

    @classmethod
    def of(cls, version: ProcedureVersion) -> "Components":
        parts = {name: [_row_data(row) for row in getattr(version, name).all()] for name, model in PART_MODELS.items()}
        others = [_row_data(row) for row in version.levels.all() if row.level != version.level]
        return cls(fields={name: getattr(version, name) for name in VERSION_FIELDS}, other_levels=others, **parts)


def _row_data(row) -> dict:
    return {f.name: getattr(row, f.name) for f in row._meta.concrete_fields if f.name not in {"id", "version"}}


@transaction.atomic
def procedure_create(
    *,
    owner: Organisation,
    components: Components,
    code: str = "",
    national_code: str = "",
    by=None,
    template: Procedure | None = None,
    is_template: bool = False,
    inventoried_on: date | None = None,
) -> Procedure:
    """A new procedure with its first version as a draft. The code is generated per owner when not given;
    `inventoried_on` is the day it was inventoried in fact (default today, see inventory_date)."""
    procedure = Procedure(
        code=code.strip() or Procedure.next_code(owner),
        national_code=national_code,
        owner=owner,
        template=template,
        is_template=is_template,
        inventoried_on=inventory_date(inventoried_on, owner),
    )
    procedure.full_clean()
    procedure.save()
    version = ProcedureVersion(procedure=procedure, number=1, created_by=by)
    _write(version, components)
    return procedure


def inventory_date(on: date | None, owner: Organisation) -> date:
    """The day a procedure was inventoried (core.dates.legal_date): today when not given, never in the future nor
    before its owner existed."""
    return legal_date(on, what="Ngày thống kê thủ tục", unit=owner, field="inventoried_on")


@dataclass
class NewProcedure:
    """One procedure for procedures_create_many: the arguments of procedure_create that differ per procedure."""

    code: str
    components: Components
    national_code: str = ""
    inventoried_on: date | None = None


class ItemInvalid(ValidationError):
    """The ValidationError of one item of a bulk service; `index` is the item's position in the list given."""

    def __init__(self, error: ValidationError, index: int):
        super().__init__(getattr(error, "error_dict", None) or error.error_list)
        self.index = index


CREATE_CHUNK = 500  # procedures built and inserted together: bounds the memory of a 10,000-row import


@transaction.atomic
def procedures_create_many(
    *, owner: Organisation, items: Sequence[NewProcedure], by=None, is_template: bool = False
) -> list[Procedure]:
    """What procedure_create does for each item (a procedure and its first version as a draft, `created_by` = `by`,
    one `…created` audit entry per row written), with a few bulk INSERTs per CREATE_CHUNK items instead of ~25
    queries per procedure (bulk_create sends no signals: audit.services.log_created writes the entries).

    Every code must be given. The checks are procedure_create's; those that query the database (code not taken,
    owner and field exist) are made once per chunk; model constraints are left to the database (see _build). The
    first invalid item raises ItemInvalid and nothing is written.
    """
    created = []
    for start in range(0, len(items), CREATE_CHUNK):
        created += _create_chunk(owner, items[start : start + CREATE_CHUNK], start, by, is_template)
    return created


@dataclass
class _Built:
    procedure: Procedure
    version: ProcedureVersion
    parts: list


def _create_chunk(owner, items: Sequence[NewProcedure], start: int, by, is_template: bool) -> list[Procedure]:
    built = []
    for index, item in enumerate(items, start=start):
        try:
            built.append(_build(owner, item, by, is_template))
        except ValidationError as error:
            raise ItemInvalid(error, index) from None
    indexed = list(enumerate(built, start=start))
    _check_references([(i, b.procedure) for i, b in indexed], "owner")
    _check_references([(i, b.version) for i, b in indexed], "field")
    _check_codes_free(indexed)
    # bulk_create reads the new pks back (RETURNING: PostgreSQL, SQLite 3.35+) and copies each parent's pk into
    # its children's foreign key (procedure_id, version_id) when they are inserted.
    Procedure.objects.bulk_create([b.procedure for b in built])
    ProcedureVersion.objects.bulk_create([b.version for b in built])
    for model in (*PART_MODELS.values(), VersionLevel):
        model.objects.bulk_create([part for b in built for part in b.parts if isinstance(part, model)])
    log_created([obj for b in built for obj in (b.procedure, b.version, *b.parts)])
    return [b.procedure for b in built]


def _build(owner, item: NewProcedure, by, is_template: bool) -> _Built:
    """The unsaved rows of one procedure, validated as procedure_create and _write validate them, minus the
    checks that query the database (made for the whole chunk by the caller)."""
    procedure = Procedure(
        code=item.code.strip(),
        national_code=item.national_code,
        owner=owner,
        is_template=is_template,
        inventoried_on=inventory_date(item.inventoried_on, owner),
    )
    # Model constraints are left to the database: full_clean checks each CheckConstraint with a query per object,
    # and a new procedure's first draft meets the version's by construction (number 1, not published).
    procedure.full_clean(exclude=["owner"], validate_unique=False, validate_constraints=False)
    version = ProcedureVersion(procedure=procedure, number=1, created_by=by)
    for name, value in item.components.fields.items():
        setattr(version, name, value)
    version.full_clean(exclude=["procedure", "number", "created_by", "field"], validate_constraints=False)
    version.prepare_save()  # bulk_create does not call save(), nor Versioned's count of versions
    version.row_version = 1
    # VersionPart.save() would check that the version is editable: a new draft is.
    parts = [
        model(version=version, **{"order": i, **data})
        for name, model in PART_MODELS.items()
        for i, data in enumerate(getattr(item.components, name), start=1)
    ]
    parts += [
        VersionLevel(version=version, **data)
        for data in level_rows(version.level, version.performing_body, item.components.other_levels or [])
    ]
    return _Built(procedure, version, parts)


def _check_references(objs: list[tuple[int, object]], name: str) -> None:
    """full_clean's ForeignKey check (the referenced row exists, or the value may be null), one query for all:
    a value not found is checked again by the field itself, which raises full_clean's error."""
    if not objs:
        return
    fk = objs[0][1]._meta.get_field(name)
    values = {getattr(obj, fk.attname) for _, obj in objs} - {None}
    key = fk.remote_field.field_name
    found = set(fk.remote_field.model._base_manager.filter(**{f"{key}__in": values}).values_list(key, flat=True))
    for index, obj in objs:
        value = getattr(obj, fk.attname)
        if value is None or value not in found:
            try:
                fk.validate(value, obj)
            except ValidationError as error:
                raise ItemInvalid(ValidationError({name: error.error_list}), index) from None


def _check_codes_free(indexed: list[tuple[int, _Built]]) -> None:
    """full_clean's unique check of Procedure.code, one query for all (codes repeated in the list count too)."""
    codes = [b.procedure.code for _, b in indexed]
    taken = set(Procedure.objects.filter(code__in=codes).values_list("code", flat=True))
    for index, b in indexed:
        if b.procedure.code in taken:
            error = b.procedure.unique_error_message(Procedure, ["code"])
            raise ItemInvalid(ValidationError({"code": [error]}), index)
        taken.add(b.procedure.code)


STALE_PROCEDURE = (
    "Thủ tục vừa được người khác cập nhật sau khi bạn mở trang. Nội dung bạn nhập vẫn còn dưới đây; "
    "hãy mở lại thủ tục ở tab khác để xem thay đổi mới nhất rồi lưu lại."
)


@transaction.atomic
def version_update(*, version: ProcedureVersion, components: Components, started_from: int | None = None):
    """Replace the content of an editable version. `started_from` is the row_version the editor loaded: a save
    over a newer change is refused rather than silently overwriting it."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    refuse_stale(version, started_from, STALE_PROCEDURE)
    if not version.is_editable:
        raise ValidationError("Phiên bản này đã trình hoặc đã công bố nên không sửa được; hãy tạo phiên bản mới.")
    _write(version, components)
    return version


def _write(version: ProcedureVersion, components: Components) -> None:
    previous_level = version.level  # the primary level before this write ("" for a new version)
    for name, value in components.fields.items():
        setattr(version, name, value)
    version.full_clean(exclude=["procedure", "number", "created_by"])
    version.save()
    for name, model in PART_MODELS.items():
        existing = list(getattr(version, name).all())
        wanted = getattr(components, name)
        for row, data in zip(existing, wanted, strict=False):
            changed = [k for k, v in data.items() if getattr(row, k) != v]
            if changed or row.order != data.get("order"):
                for key, value in data.items():
                    setattr(row, key, value)
                row.save()
        for row in existing[len(wanted) :]:
            row.delete()
        for i, data in enumerate(wanted[len(existing) :], start=len(existing) + 1):
            model.objects.create(version=version, **{"order": i, **data})
    _write_levels(version, components.other_levels, previous_level)


def level_rows(level: str, body: str, others: list[dict]) -> list[dict]:
    """The level rows of a version: its primary level with its performing body first, then the other levels (a
    repeat of the primary level among them is dropped: the version's own fields win)."""
    rows = [{"level": level, "body": body, "organisation": None}] if level else []
    for row in others:
        if row.get("level") and row["level"] not in {r["level"] for r in rows}:
            rows.append({"organisation": None, **{k: v for k, v in row.items() if k != "order"}})
    return [{**row, "order": n} for n, row in enumerate(rows, start=1)]


def _write_levels(version: ProcedureVersion, others: list[dict] | None, previous_level: str = "") -> None:
    """Keep the version's VersionLevel rows: the primary one mirrors `level` and `performing_body`; the others are
    replaced by `others` (kept as they are when None, the row of a primary level just changed going with it)."""
    existing = {row.level: row for row in version.levels.all()}
    if others is None:
        former = {version.level, previous_level}
        others = [_row_data(row) for row in existing.values() if row.level not in former]
    primary = existing.get(version.level)
    wanted = level_rows(version.level, version.performing_body, others)
    if primary is not None and primary.organisation_id:
        wanted[0]["organisation"] = primary.organisation  # the primary body's link, set on its row, is kept
    for level in set(existing) - {row["level"] for row in wanted}:
        existing.pop(level).delete()
    for data in wanted:
        row = existing.get(data["level"])
        if row is None:
            VersionLevel.objects.create(version=version, **data)
        elif any(getattr(row, k) != v for k, v in data.items()):
            for key, value in data.items():
                setattr(row, key, value)
            row.save()


@transaction.atomic
def version_start_next(*, procedure: Procedure, by=None) -> ProcedureVersion:
    """The draft of the next version, copied from the latest one; the existing draft if there is one already."""
    latest = procedure.versions.select_for_update().order_by("-number").first()
    if latest.is_editable:
        return latest
    if latest.status in {Status.SUBMITTED, Status.CHECKED, Status.SCHEDULED}:
        raise ValidationError(
            f"Phiên bản {latest.number} đang ở trạng thái “{latest.get_status_display()}”; chưa thể tạo phiên bản mới."
        )
    if latest.status in {Status.ABOLISHED, Status.TRANSITIONAL, Status.REPLACED}:
        raise ValidationError("Thủ tục đã bị bãi bỏ hoặc thay thế; không tạo phiên bản mới được.")
    draft = ProcedureVersion(procedure=procedure, number=latest.number + 1, created_by=by)
    with audit.action("procedures.version.drafted"):
        _write(draft, Components.of(latest))
        for form in latest.forms.all():
            draft.forms.create(order=form.order, name=form.name, file=form.file.name)
    return draft


# Publication decisions -----------------------------------------------------------------------------------------


# What a decision says of each item besides the procedure and its change (DecisionItem): its legal ground, its
# position in the annex and an abolition's transitional clause.
ITEM_CLAUSES = (
    "legal_ground",
    "annex_part",
    "annex_section",
    "annex_number",
    "transition_until",
    "transition_note",
)


@transaction.atomic
def decision_add_item(
    *,
    decision: PublicationDecision,
    version: ProcedureVersion,
    change: str,
    replaces: Procedure | None = None,
    **clauses,
) -> DecisionItem:
    """Add a procedure to a draft decision; `clauses` are the ITEM_CLAUSES the decision prints for it."""
    decision = PublicationDecision.objects.select_for_update().get(pk=decision.pk)
    _require_draft(decision)
    unknown = set(clauses) - set(ITEM_CLAUSES)
    if unknown:
        raise TypeError(f"decision_add_item: unknown clauses {sorted(unknown)}")
    clauses = {name: value for name, value in clauses.items() if value not in (None, "")}  # else the defaults
    item = DecisionItem(decision=decision, version=version, change=change, replaces=replaces, **clauses)
    errors = item.problems()
    if decision.items.filter(version__procedure=version.procedure).exists():
        errors.append(f"“{version.name}” đã có trong quyết định này.")
    if errors:
        raise ValidationError(errors)
    item.order = decision.items.count() + 1
    item.save()
    return item


def _require_draft(decision):
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError("Quyết định đã ban hành không thể thay đổi danh mục thủ tục.")


@transaction.atomic
def decision_issue(*, decision: PublicationDecision) -> PublicationDecision:
    """Issue the signed decision (PublicationDecision.issue); apply it at once when its effective date has come,
    otherwise `apply_publication_decisions` does on that date."""
    decision.issue()
    if decision.effective_on <= today():
        decision_apply(decision=decision)
    return decision


@transaction.atomic
def decision_apply(*, decision: PublicationDecision) -> PublicationDecision:
    """Apply an issued decision to the registry (PublicationDecision.apply) and let other apps react."""
    decision.apply()
    versions = [item.version for item in decision.items.select_related("version__procedure")]
    decision_applied.send(sender=PublicationDecision, decision=decision, versions=versions)
    return decision


def decisions_apply_due(*, on: date | None = None) -> list[PublicationDecision]:
    """Apply every issued decision whose effective date has come (the daily scheduled job), then end the
    transitions whose last day has passed (transitions_end_due)."""
    due = PublicationDecision.objects.filter(status=DecisionStatus.ISSUED, effective_on__lte=on or today())
    applied = [decision_apply(decision=d) for d in due.order_by("effective_on", "id")]
    transitions_end_due(on=on)
    return applied


@transaction.atomic
def transitions_end_due(*, on: date | None = None) -> list[ProcedureVersion]:
    """Versions abolished with a transition until a date that has passed: abolished for good (end_transition, one
    audit entry each), so the portal stops showing them. An open-ended transition waits for a later decision."""
    day = on or today()
    due = ProcedureVersion.objects.filter(status=Status.TRANSITIONAL, effective_to__lt=day).select_related("procedure")
    ended = []
    for version in due.order_by("pk"):
        version.end_transition(version.effective_to + timedelta(days=1))
        ended.append(version)
    return ended
