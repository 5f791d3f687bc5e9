"""docs/architecture.md's dependency rule, checked on the source: the apps form one order and a lower app never
imports a higher one; no module imports another module's private (`_name`) objects; no view module imports
another view module (shared code goes to a model, a service or core)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # tinhgon/
# The order of docs/architecture.md; apps on one level never import each other.
LEVELS = {
    "core": 0,
    "formats": 0,
    "audit": 1,
    "organisations": 2,
    "accounts": 3,
    "procedures": 4,
    "portal": 5,
    "reviews": 5,
    "plans": 6,
    "reports": 7,
    "quality": 7,
}
ON_TOP = {"api", "demo", "e2e"}  # may import any app; nothing imports them


def sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if len(parts) > 1 and "tests" not in parts and "migrations" not in parts:
            yield path, parts


def imports(path: Path):
    """(module, names) of every `from tinhgon... import names` and `import tinhgon...`, at any depth."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tinhgon."):
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("tinhgon."):
                    yield alias.name, []


def app_of(module: str) -> str:
    return module.split(".")[1]


def is_view_module(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last == "views" or last.endswith("_views")


MODULES = list(sources())


@pytest.mark.parametrize(("path", "parts"), MODULES, ids=lambda v: "/".join(v) if isinstance(v, tuple) else "")
def test_no_lower_app_imports_a_higher_one(path, parts):
    app = parts[0]
    if app in ON_TOP or app not in LEVELS:
        return
    wrong = [
        module
        for module, _ in imports(path)
        if app_of(module) != app and (app_of(module) in ON_TOP or LEVELS.get(app_of(module), 99) >= LEVELS[app])
    ]
    assert wrong == [], f"{path.relative_to(ROOT)} ({app}) imports {wrong}"


@pytest.mark.parametrize(("path", "parts"), MODULES, ids=lambda v: "/".join(v) if isinstance(v, tuple) else "")
def test_no_private_name_is_imported_from_another_module(path, parts):
    private = [(module, name) for module, names in imports(path) for name in names if name.startswith("_")]
    assert private == [], f"{path.relative_to(ROOT)} imports private names {private}"


@pytest.mark.parametrize(("path", "parts"), MODULES, ids=lambda v: "/".join(v) if isinstance(v, tuple) else "")
def test_no_view_module_imports_another_view_module(path, parts):
    this = ".".join(("tinhgon", *parts)).removesuffix(".py")
    if not (is_view_module(this) or parts[0] == "api"):
        return
    wrong = [module for module, _ in imports(path) if is_view_module(module) and module != this]
    assert wrong == [], f"{path.relative_to(ROOT)} imports view modules {wrong}"
