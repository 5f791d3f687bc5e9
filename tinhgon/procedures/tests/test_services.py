from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tinhgon.audit import context as audit
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.text import fold_vn
from tinhgon.procedures.models import Procedure
from tinhgon.procedures.services import (
    PART_MODELS,
    Components,
    ItemInvalid,
    NewProcedure,
    procedure_create,
    procedures_create_many,
)
from tinhgon.procedures.tests.factories import complete_components

pytestmark = pytest.mark.django_db


def _written(procedure: Procedure) -> tuple[Components, list[tuple]]:
    """The content of the procedure's first version, and the audit entries about its rows (its own ids and code
    replaced by placeholders, so that two procedures created alike compare equal)."""
    version = procedure.versions.get()
    own = {"procedure_id": procedure.pk, "version_id": version.pk, "code": procedure.code}
    objects = [procedure, version] + [row for name in PART_MODELS for row in getattr(version, name).all()]
    entries = []
    for obj in objects:
        for e in AuditLogEntry.objects.for_object(obj):
            changes = {k: [f"<{k}>" if v == own.get(k) else v for v in pair] for k, pair in e.changes.items()}
            who = (e.actor, e.organisation, e.scope_organisation)
            entries.append(
                (type(obj).__name__, e.action, e.object_repr.replace(procedure.code, "<code>"), changes, who)
            )
    return Components.of(version), entries


def _columns(version) -> dict:
    own = {"id", "procedure_id", "created_at", "updated_at"}
    values = {f.attname: getattr(version, f.attname) for f in version._meta.concrete_fields if f.attname not in own}
    values["search_text"] = values["search_text"].replace(fold_vn(version.procedure.code), "<code>")
    return values


def test_bulk_creation_writes_what_procedure_create_writes(world):
    owner, officer = world.units["P-A"], world.officer_a1
    components = complete_components()
    with audit.acting(user=officer, organisation=owner):
        one = procedure_create(owner=owner, components=components, code="TT-1", national_code="2.1", by=officer)
        [many] = procedures_create_many(
            owner=owner, items=[NewProcedure(code="TT-2", national_code="2.1", components=components)], by=officer
        )
    assert many == Procedure.objects.get(code="TT-2")
    assert (many.owner, many.national_code, many.is_template) == (owner, "2.1", False)
    version = many.versions.get()
    assert (version.number, version.status, version.created_by, version.row_version) == (1, "draft", officer, 1)
    assert _columns(version) == _columns(one.versions.get())  # including what ProcedureVersion.save() computes
    content, entries = _written(many)
    assert (content, entries) == _written(one)
    assert len(entries) == 2 + 3 + 2 + 1  # procedure, version, steps, dossier items, legal basis: one entry each
    assert {e[1] for e in entries} == {
        "procedures.procedure.created",
        "procedures.version.created",
        "procedures.step.created",
        "procedures.dossieritem.created",
        "procedures.legalbasis.created",
    }


def test_bulk_created_procedures_log_only_later_changes(world):
    [procedure] = procedures_create_many(
        owner=world.units["P-A"], items=[NewProcedure(code="TT-1", components=complete_components())]
    )
    procedure.national_code = "2.9"
    procedure.save()
    entry = AuditLogEntry.objects.for_object(procedure).first()
    assert entry.action == "procedures.procedure.updated" and entry.changes == {"national_code": ["", "2.9"]}


def test_bulk_creation_makes_a_few_queries_whatever_the_number(world):
    def queries(n: int, prefix: str) -> int:
        items = [NewProcedure(code=f"{prefix}-{i}", components=complete_components()) for i in range(n)]
        with CaptureQueriesContext(connection) as captured:
            procedures_create_many(owner=world.units["P-A"], items=items)
        return len(captured)

    few, many = queries(2, "A"), queries(40, "B")
    # more INSERT batches on SQLite only (999 parameters a statement: 90 audit entries, 35 versions), no query per row
    assert many - few <= 5
    assert Procedure.objects.count() == 42


def _error_of_procedure_create(**kwargs) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        procedure_create(**kwargs)
    return raised.value.messages


@pytest.mark.parametrize(
    "code, overrides",
    [
        ("TT-0", {}),  # taken
        ("x" * 61, {}),
        ("TT-5", {"channels": ["fax"]}),
        ("TT-5", {"group": "Z"}),
        ("TT-5", {"field": None}),
    ],
)
def test_an_invalid_item_is_refused_with_its_index_and_procedure_creates_message(world, code, overrides):
    owner = world.units["P-A"]
    procedure_create(owner=owner, components=complete_components(), code="TT-0")
    with pytest.raises(ValidationError) as expected:
        procedure_create(owner=owner, components=complete_components(**overrides), code=code)
    entries = AuditLogEntry.objects.count()
    items = [
        NewProcedure(code="TT-1", components=complete_components()),
        NewProcedure(code=code, components=complete_components(**overrides)),
    ]
    with pytest.raises(ItemInvalid) as raised:
        procedures_create_many(owner=owner, items=items)
    assert (raised.value.index, raised.value.messages) == (1, expected.value.messages)
    assert Procedure.objects.count() == 1 and AuditLogEntry.objects.count() == entries  # nothing written


def test_a_code_twice_in_the_list_is_refused_as_taken(world):
    owner = world.units["P-A"]
    procedure_create(owner=owner, components=complete_components(), code="TT-0")
    with pytest.raises(ValidationError) as taken:
        procedure_create(owner=owner, components=complete_components(), code="TT-0")
    items = [NewProcedure(code=code, components=complete_components()) for code in ["TT-1", "TT-2", "TT-1"]]
    with pytest.raises(ItemInvalid) as raised:
        procedures_create_many(owner=owner, items=items)
    assert (raised.value.index, raised.value.messages) == (2, taken.value.messages)
