"""Every state change goes through the one transition mechanism, checked on the source: outside
audit/transitions.py no code assigns the state field of a model that declares transitions, nor writes it with
`QuerySet.update()` or `setattr()`. Records are still created in a state (a draft, or history entered as it
was); only moves are transitions. The demo seeds history and is left out."""

import ast
from pathlib import Path

from django.apps import apps

from tinhgon.audit.transitions import Transitions

ROOT = Path(__file__).resolve().parents[2]  # tinhgon/
MECHANISM = ROOT / "audit" / "transitions.py"


def state_fields() -> set[str]:
    return {
        transition.field
        for model in apps.get_models()
        if issubclass(model, Transitions)
        for transition in model.transitions().values()
    }


def sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if path != MECHANISM and not {"tests", "migrations", "demo", "e2e"} & set(parts):
            yield path


def writes(tree: ast.AST, fields: set[str]):
    """(line, what) of every assignment, update() or setattr() of one of `fields` on some object."""
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr in fields:
                yield node.lineno, f"….{target.attr} ="
        if isinstance(node, ast.Call) and (what := call_write(node, fields)):
            yield node.lineno, what


def call_write(call: ast.Call, fields: set[str]) -> str | None:
    function = call.func
    if isinstance(function, ast.Attribute) and function.attr == "update":
        return "update(…)" if any(keyword.arg in fields for keyword in call.keywords) else None
    if isinstance(function, ast.Name) and function.id == "setattr" and len(call.args) > 1:
        name = call.args[1]
        return "setattr(…)" if isinstance(name, ast.Constant) and name.value in fields else None
    return None


def test_some_models_declare_transitions():
    assert state_fields() == {"status"}


def test_the_finder_sees_each_kind_of_write():
    code = "a.status = 1\nqs.update(status=2)\nsetattr(b, 'status', 3)\nc.status: int = 4\n"
    assert sorted(writes(ast.parse(code), {"status"})) == [
        (1, "….status ="),
        (2, "update(…)"),
        (3, "setattr(…)"),
        (4, "….status ="),
    ]


def test_no_code_moves_a_state_outside_a_transition():
    fields = state_fields()
    found = [
        f"{path.relative_to(ROOT)}:{line} {what}"
        for path in sources()
        for line, what in writes(ast.parse(path.read_text()), fields)
    ]
    assert found == [], "use a @transition method (docs/decisions/0004-transitions.md)"
