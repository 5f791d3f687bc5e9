"""Plans read from their documents (plans.extraction), measured against the ground truth written by hand for
real plans: the five seed plans (../shared/seeds, copied into plan_documents/) and the other public plans cited in
plan_documents/README.md. For each document, the share of its tasks found, of their agencies and of their deadlines
read exactly as the ground truth has them is recorded (the run's summary prints it; docs/plan-import.md keeps it);
the bar is 95 % on each."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tinhgon.core import workbooks
from tinhgon.organisations.models import Organisation
from tinhgon.plans import extraction
from tinhgon.plans.excel_import import combined_rule

DOCUMENTS = Path(__file__).parent / "plan_documents"
TRUTHS = sorted(DOCUMENTS.glob("*.json"))
BAR = 0.95

pytestmark = pytest.mark.django_db


def _key(text: str) -> str:
    return workbooks.key(text)


def build_tree(truth: dict, prefix: str) -> Organisation:
    """The document's organisations as the ground truth lists them; the issuer is returned."""
    made: dict[str, Organisation] = {}
    issuer = None
    for n, entry in enumerate(truth["organisations"]):
        unit = Organisation.objects.create(
            code=f"{prefix}-{n:03d}",
            name=entry["name"],
            short_name=entry.get("short_name", ""),
            kind=entry["kind"],
            parent=made.get(entry.get("parent")),
            valid_from=date(2000, 1, 1),
        )
        made[entry["name"]] = unit
        if entry.get("issuer"):
            issuer = unit
    return issuer


@dataclass
class Score:
    name: str
    expected: int
    found: int
    extra: int
    units: int
    deadlines: int

    def share(self, n: int) -> float:
        return n / self.expected if self.expected else 1.0

    @property
    def line(self) -> str:
        return (
            f"{self.name}: {self.expected} nhiệm vụ — tìm thấy {self.found} ({self.share(self.found):.0%}), thừa "
            f"{self.extra}; đơn vị đúng {self.units} ({self.share(self.units):.0%}); thời hạn đúng {self.deadlines} "
            f"({self.share(self.deadlines):.0%})"
        )


def roles_of(task) -> dict:
    def names(refs):
        named = {_key(r.unit.name) for r in refs if r.unit is not None}
        rule = combined_rule({r.rule for r in refs if r.rule})
        return named | ({f"rule:{rule}"} if rule else set())

    unmatched = {_key(r.text) for r in task.unmatched}
    return {
        "lead": names(task.lead),
        "coordinating": names(task.coordinating),
        "executing": names(task.executing),
        "unmatched": unmatched,
    }


def expected_roles(entry: dict) -> dict:
    def names(values):
        plain = {_key(v) for v in values if not v.startswith("rule:")}
        rules = {v.removeprefix("rule:") for v in values if v.startswith("rule:")}
        rule = combined_rule(rules)
        return plain | ({f"rule:{rule}"} if rule else set())

    return {role: names(entry.get(role) or []) for role in ("lead", "coordinating", "executing")} | {
        "unmatched": {_key(v) for v in entry.get("unmatched") or []}
    }


def matching(expected: dict, tasks: list, used: set):
    start = _key(expected["content_starts"]).split()[:6]
    for i, task in enumerate(tasks):
        if i not in used and _key(task.content).split()[:6] == start:
            return i
    for i, task in enumerate(tasks):
        if i not in used and task.path == expected.get("path"):
            return i
    return None


def score(name: str, truth: dict, result: extraction.Extraction) -> tuple[Score, list[str]]:
    used: set[int] = set()
    found = units = deadlines = 0
    misses = []
    for entry in truth["tasks"]:
        i = matching(entry, result.tasks, used)
        if i is None:
            misses.append(f"không thấy nhiệm vụ {entry.get('path')}: {entry['content_starts']}")
            continue
        used.add(i)
        found += 1
        task = result.tasks[i]
        if roles_of(task) == expected_roles(entry):
            units += 1
        else:
            misses.append(f"đơn vị của {entry.get('path')}: {roles_of(task)} ≠ {expected_roles(entry)}")
        deadline = date.fromisoformat(entry["deadline"]) if entry.get("deadline") else None
        if task.deadline == deadline and (task.recurrence or None) == entry.get("recurrence"):
            deadlines += 1
        else:
            misses.append(
                f"thời hạn của {entry.get('path')}: {task.deadline} {task.recurrence} ≠ {deadline} "
                f"{entry.get('recurrence')}"
            )
    extra = len(result.tasks) - len(used)
    for i, task in enumerate(result.tasks):
        if i not in used:
            misses.append(f"thừa {task.path}: {task.content[:60]}")
    return Score(name, len(truth["tasks"]), found, extra, units, deadlines), misses


AS_WORD = ["tra-vinh-stttt-2022", "lao-cai-sldtbxh-2022"]  # one paragraph a line: what Word would hold


def as_word(text: str) -> extraction.Document:
    """The document saved as .docx (one paragraph a line) and read back through the upload path."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    import docx

    word = docx.Document()
    for line in text.split("\n"):
        if line.strip():
            word.add_paragraph(line.replace("**", ""))
    out = io.BytesIO()
    word.save(out)
    return extraction.read_document(upload=SimpleUploadedFile("ke-hoach.docx", out.getvalue()))


@pytest.fixture(scope="module")
def results(django_db_setup, django_db_blocker):
    """Every document read once against its own organisation tree (in a transaction rolled back at the end)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = {}
            for n, path in enumerate(TRUTHS):
                truth = json.loads(path.read_text(encoding="utf-8"))
                issuer = build_tree(truth, f"D{n}")
                text = path.with_suffix(".txt").read_text(encoding="utf-8")
                out[path.stem] = (truth, extraction.extract(extraction.read_document(text=text), issuer=issuer))
                if path.stem in AS_WORD:
                    out[f"{path.stem}.docx"] = (truth, extraction.extract(as_word(text), issuer=issuer))
            yield out
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.parametrize("name", [p.stem for p in TRUTHS] + [f"{n}.docx" for n in AS_WORD])
def test_each_real_plan_is_read_to_the_bar(name, results, record_property):
    truth, result = results[name]
    measured, misses = score(name, truth, result)
    record_property("plan_extraction", measured.line)
    assert measured.share(measured.found) >= BAR, misses
    assert measured.extra <= (1 - BAR) * measured.expected, misses
    assert measured.share(measured.units) >= BAR, misses
    assert measured.share(measured.deadlines) >= BAR, misses


@pytest.mark.parametrize("path", TRUTHS, ids=[p.stem for p in TRUTHS])
def test_each_real_plan_header_is_read(path, results):
    truth, result = results[path.stem]
    expected, header = truth["header"], result.header
    assert header.number == (expected.get("number") or "")
    assert header.issued_on == (date.fromisoformat(expected["issued_on"]) if expected.get("issued_on") else None)
    for name in ("period_start", "period_end"):
        value = expected.get(name)
        assert getattr(header, name) == (date.fromisoformat(value) if value else None), name
    assert header.title == expected["title"]


# Headers of two more real plans (plan_documents/headers/, cited in plan_documents/README.md), unseen while the
# extractor was written, as their public copies wrap them: the stored pages hold only their opening, not their tasks.
HEADERS = DOCUMENTS / "headers"


@pytest.mark.parametrize(
    ("name", "number", "issued_on", "title", "year"),
    [
        (
            "tuyen-quang-87-2013",
            "87/KH-UBND",
            date(2013, 12, 10),
            "Kế hoạch cải cách hành chính tỉnh Tuyên Quang năm 2014",
            2014,
        ),
        (
            "kon-tum-3335-2017",
            "3335/KH-UBND",
            date(2017, 12, 8),
            "Kế hoạch thực hiện công tác cải cách hành chính nhà nước trên địa bàn tỉnh Kon Tum năm 2018",
            2018,
        ),
    ],
)
def test_a_real_header_wrapped_by_its_web_copy_is_read(name, number, issued_on, title, year):
    issuer = Organisation.objects.create(code="HDR", name="Ủy ban nhân dân tỉnh", kind="province")
    text = (HEADERS / f"{name}.txt").read_text(encoding="utf-8")
    header = extraction.extract(extraction.read_document(text=text), issuer=issuer).header
    assert (header.number, header.issued_on) == (number, issued_on)
    assert _key(header.title) == _key(title)
    assert (header.period_start, header.period_end) == (date(year, 1, 1), date(year, 12, 31))
