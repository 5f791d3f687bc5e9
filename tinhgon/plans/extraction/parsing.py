"""From a document's outline to its header, objectives and tasks (docs/plan-import.md states the rules).

Tasks are the items of the sections that assign work (a Roman-numbered heading naming "nhiệm vụ", "nội dung",
"giải pháp" or "kế hoạch triển khai") and the rows of an appendix table of tasks. An item whose children are
tasks is a group heading; children that are clauses ("Cơ quan chủ trì: …", "Thời hạn hoàn thành: …",
"Sản phẩm: …") belong to their item, and an item with clauses is a task whatever else it lists. A task that names
no agency and no time takes its group's (the prose of "3. … Văn phòng Sở chủ trì, phối hợp với …" over its bullets).
"""

import difflib
import re
from datetime import date
from itertools import islice

from tinhgon.core import workbooks
from tinhgon.organisations.models import Organisation
from tinhgon.plans.excel_import import UnitDirectory
from tinhgon.plans.extraction import outline as outlines
from tinhgon.plans.extraction.documents import Document
from tinhgon.plans.extraction.phrases import Agencies, Time, fold, read_time, unique
from tinhgon.plans.extraction.results import ExtractedTask, Extraction, Header, UnitRef
from tinhgon.plans.models import Plan, Task

TASK_SECTION = ("nhiem vu", "noi dung", "giai phap", "ke hoach trien khai", "cac hoat dong")
NOT_TASK_SECTION = ("muc dich", "muc tieu", "yeu cau", "to chuc thuc hien", "kinh phi", "pham vi", "chi tieu")
OBJECTIVE_SECTION = ("muc tieu", "chi tieu")
ROLE_RE = re.compile(
    r"^(?:(?:cac )?(?:co quan|don vi|bo phan|phong|to chuc|chu the)\s+)?(?P<role>chu tri|phoi hop|thuc hien)"
    r"(?: thuc hien)?\s*(?::\s*|$)"
)
TIME_CLAUSE_RE = re.compile(
    r"^(?:thoi han|thoi gian|tien do)(?: (?:hoan thanh|thuc hien|trinh|ban hanh|bao cao))?\s*(?::\s*|$)"
)
PRODUCT_CLAUSE_RE = re.compile(r"^(?:san pham|ket qua dau ra|hinh thuc san pham)(?: (?:dau ra|du kien))?\s*(?::\s*|$)")
MILESTONE_RE = re.compile(r"^[^:;.]{0,60}?,?\s*lan 1\s*:")  # "- Phê duyệt phương án, lần 1: Trước ngày …"
CHAIRS_RE = re.compile(r"\s(?:chu tri)(?:\b|,)")
WITH_RE = re.compile(r"\bphoi hop(?: chat che)?(?: voi)?\s+")
NOTE_RE = re.compile(r"^\(.*\)\.?$")
MAX_PROSE_MATCHES = 30  # agencies in prose: the first sentences of a task say who does it
SUBJECT_CHARS = 600
SIMILARITY_CUTOFF = 0.45


def extract(document: Document, *, issuer: Organisation) -> Extraction:
    wrapped = _is_wrapped(document)
    outline = outlines.build(document, wrapped=wrapped)
    agencies = Agencies(UnitDirectory(Plan(issuer=issuer)), issuer.name)
    header = read_header(outline)
    result = Extraction(text=outline.text, header=header)
    sections = [n for n in outline.root.children if n.kind == "roman"]
    task_sections = [s for s in sections if _is_task_section(_first_line(s.text))]
    if not sections:  # a pasted list of tasks, without the plan around it
        task_sections = [outline.root]
    for section in sections:
        if any(word in fold(_first_line(section.text)) for word in OBJECTIVE_SECTION):
            result.objectives.extend(_objectives(section))
    reader = _TaskReader(outline, agencies, not_before=header.period_start or header.issued_on)
    for section in task_sections:
        for child in section.children:
            reader.read(child, heading="")
    for table in outline.tables:
        reader.read_table(table)
    result.tasks = reader.tasks
    if not result.tasks:
        result.warnings.append(
            "Không tìm thấy nhiệm vụ nào: văn bản không có mục “Nhiệm vụ”, “Nội dung” hay bảng phụ lục nhiệm vụ."
        )
    return result


def _is_wrapped(document: Document) -> bool:
    """Text cut into lines of a fixed width (a PDF, a copied web page): few blank lines between its lines."""
    if document.paragraphs_are_lines:
        return False
    lines = [b.text.strip() for b in document.blocks if not b.is_table]
    filled = sum(1 for line in lines if line)
    blank = len(lines) - filled
    return filled > 5 and blank < filled * 0.3


def _is_task_section(heading: str) -> bool:
    key = fold(heading)
    return any(w in key for w in TASK_SECTION) and not any(w in key for w in NOT_TASK_SECTION)


def _objectives(section) -> list[str]:
    return [" ".join(n.text.split()) for n in section.walk() if n is not section and not n.children]


# -- Tasks ------------------------------------------------------------------------------------------------------


class _TaskReader:
    def __init__(self, outline, agencies: Agencies, not_before: date | None):
        self.outline = outline
        self.agencies = agencies
        self.not_before = not_before
        self.tasks: list[ExtractedTask] = []

    def read(self, node, heading: str, inherited: dict | None = None) -> None:
        clauses = [c for c in node.children if _clause_kind(c.text)]
        others = [c for c in node.children if not _clause_kind(c.text) and not NOTE_RE.match(c.text.strip())]
        if not node.children or clauses or not others:
            self.tasks.append(self.task(node, clauses, others, heading, inherited or {}))
            return
        inherited = self.group_attributes(node, inherited or {})
        title = f"{node.number}. {_first_line(node.text)}" if node.kind == "number" else _first_line(node.text)
        for child in others:
            self.read(child, heading=title, inherited=inherited)

    def group_attributes(self, node, inherited: dict) -> dict:
        prose = self.prose_units(node.text)
        time = read_time(node.text, clause=False, not_before=self.not_before)
        return {
            "lead": prose["lead"] or inherited.get("lead", []),
            "coordinating": prose["coordinating"] or inherited.get("coordinating", []),
            "executing": prose["executing"] or inherited.get("executing", []),
            "time": time if (time.deadline or time.recurrence) else inherited.get("time", Time()),
        }

    def task(self, node, clauses, others, heading: str, inherited: dict) -> ExtractedTask:
        content_parts = [node.text] + [_subtree_text(c) for c in others]
        content = _content(content_parts)
        task = ExtractedTask(
            number=_number(node),
            path=_path(node),
            content=content,
            start=node.start,
            end=max([node.end, *(c.subtree_end() for c in node.children)]),
            heading=heading,
        )
        times: list[Time] = []
        for clause in clauses:
            kind, value = _clause_kind(clause.text), _clause_value(clause)
            if kind in ("lead", "coordinating", "executing"):
                getattr(task, kind).extend(self.agencies.listed(value))
            elif kind == "time":
                times.append(read_time(value, clause=True, not_before=self.not_before))
                task.regular = task.regular or "thuong xuyen" in fold(value)
            elif kind == "products":
                task.products = "; ".join(p for p in (task.products, value) if p)
        if not (task.lead or task.coordinating or task.executing):
            prose = self.prose_units(content)
            task.lead, task.coordinating, task.executing = prose["lead"], prose["coordinating"], prose["executing"]
        if not (task.lead or task.coordinating or task.executing):
            task.lead = list(inherited.get("lead", []))
            task.coordinating = list(inherited.get("coordinating", []))
            task.executing = list(inherited.get("executing", []))
        time = _latest([t for t in times if t.deadline or t.recurrence])
        time = time or read_time(content, clause=False, not_before=self.not_before)
        if not (time.deadline or time.recurrence):
            time = inherited.get("time", Time())
        task.deadline, task.recurrence, task.time_text = time.deadline, time.recurrence, time.text
        task.regular = task.regular and not (task.deadline or task.recurrence)
        return task

    def prose_units(self, text: str) -> dict[str, list[UnitRef]]:
        """Agencies named in a task's sentences: "X chủ trì, phối hợp với Y", "phối hợp với Y", or a sentence
        whose subject is an agency ("Các phòng, trung tâm thuộc Sở … rà soát" → executing)."""
        found = {"lead": [], "coordinating": [], "executing": []}
        folded = fold(text)
        for match in islice(CHAIRS_RE.finditer(folded), MAX_PROSE_MATCHES):
            window = max(0, match.start() - SUBJECT_CHARS)
            sentence_start = max(
                folded.rfind(". ", window, match.start()) + 2, folded.rfind("\n", window, match.start()) + 1, window
            )
            subject = text[sentence_start : match.start()].strip()
            refs, used = self.agencies.leading_span(subject)
            if refs and used >= len(subject) - 1:
                found["lead"].extend(refs)
        for match in islice(WITH_RE.finditer(folded), MAX_PROSE_MATCHES):
            found["coordinating"].extend(self.agencies.leading(text[match.end() : match.end() + SUBJECT_CHARS]))
        if not found["lead"]:
            starts = [0, *(m.end() for m in re.finditer(r"\.\s+|\n\s*|,? thì\s+", text))]
            for sentence_start in starts[:MAX_PROSE_MATCHES]:
                refs = self.agencies.leading(text[sentence_start : sentence_start + SUBJECT_CHARS])
                if refs:
                    found["executing"].extend(refs)
                    break
        return {role: unique(refs) for role, refs in found.items()}

    def read_table(self, table) -> None:
        columns = _table_columns(table.rows)
        if columns is None:
            return
        header_at, columns = columns
        heading = ""
        for i, row in enumerate(table.rows[header_at + 1 :], start=header_at + 1):
            cells = {name: (row[index] if index < len(row) else "").strip() for name, index in columns.items()}
            content = cells.get("content", "")
            if not content or _is_column_numbers(row):
                continue
            number = cells.get("number", "")
            if _is_table_heading(number, cells):
                heading = f"{number}. {content}" if number else content
                continue
            start = table.row_starts[i]
            end = start + len(" | ".join(row))
            task = ExtractedTask(
                number=number, path=f"PL.{number}", content=" ".join(content.split()), start=start, end=end
            )
            task.heading, task.from_table = heading, True
            for role in ("lead", "coordinating", "executing"):
                if cells.get(role):
                    getattr(task, role).extend(self.agencies.listed(cells[role]))
            time = read_time(cells.get("time", ""), clause=True, not_before=self.not_before)
            task.deadline, task.recurrence, task.time_text = time.deadline, time.recurrence, time.text
            task.regular = not (time.deadline or time.recurrence) and "thuong xuyen" in fold(cells.get("time", ""))
            task.products = " ".join(cells.get("products", "").split())
            self.tasks.append(task)


def _clause_kind(text: str) -> str:
    key = fold(text.strip())
    if match := ROLE_RE.match(key):
        return {"chu tri": "lead", "phoi hop": "coordinating", "thuc hien": "executing"}[match["role"]]
    if TIME_CLAUSE_RE.match(key):
        return "time"
    if PRODUCT_CLAUSE_RE.match(key):
        return "products"
    if MILESTONE_RE.match(key):
        return "time"
    return ""


def _clause_value(node) -> str:
    """The clause's text after its colon, with its continuation and its sub-items ("- Phê duyệt phương án: Lần 1:
    …")."""
    own = node.text.split(":", 1)[1] if ":" in node.text.split("\n")[0] else ""
    parts = [own.strip(), *(_subtree_text(c).removeprefix("- ") for c in node.children)]
    return "; ".join(" ".join(p.split()) for p in parts if p.strip())


def _subtree_text(node) -> str:
    text = " ".join(node.text.split())
    if node.kind in ("dash", "plus"):
        text = f"- {text}"
    return "\n".join([text, *(_subtree_text(c) for c in node.children)])


def _content(parts: list[str]) -> str:
    lines = []
    for part in parts:
        for line in part.split("\n"):
            line = " ".join(line.split())
            if line and not NOTE_RE.match(line):
                lines.append(line)
    return "\n".join(lines)


def _first_line(text: str) -> str:
    return " ".join(text.split("\n")[0].split()).rstrip(":")


def _number(node) -> str:
    if node.kind in ("dash", "plus"):
        return f"{node.number}{node.ordinal}"
    return node.number


def _path(node) -> str:
    parts = []
    while node is not None and node.kind != "root":
        parts.append(_number(node))
        node = node.parent
    return ".".join(reversed(parts))


def _latest(times: list[Time]) -> Time | None:
    dated = [t for t in times if t.deadline]
    if dated:
        return max(dated, key=lambda t: t.deadline)
    return times[0] if times else None


# -- Tables -----------------------------------------------------------------------------------------------------

COLUMN_WORDS = [
    ("number", ("stt", "tt", "so tt", "so thu tu")),
    ("time", ("thoi gian", "thoi han", "tien do", "thoi gian hoan thanh", "thoi gian thuc hien")),
    ("products", ("san pham", "ket qua", "hinh thuc")),
    ("lead", ("chu tri",)),
    ("coordinating", ("phoi hop",)),
    ("executing", ("thuc hien", "co quan thuc hien", "don vi thuc hien")),
    ("content", ("noi dung", "nhiem vu", "cong viec", "ten nhiem vu", "hoat dong")),
    ("notes", ("ghi chu",)),
]


def _column_of(cell: str) -> str:
    key = workbooks.key(cell)
    if key in ("stt", "tt", "so tt", "so thu tu"):
        return "number"
    for name, words in COLUMN_WORDS:
        if name != "number" and any(w in key for w in words):
            return name
    return ""


def _table_columns(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """The header row (among the first three) and the column of each field, if the table is a task table."""
    for i, row in enumerate(rows[:3]):
        columns: dict[str, int] = {}
        for index, cell in enumerate(row):
            name = _column_of(cell)
            if name and name not in columns:
                columns[name] = index
        if "content" in columns and ({"lead", "time", "executing"} & set(columns)):
            return i, columns
    return None


def _is_column_numbers(row: list[str]) -> bool:
    return all(re.fullmatch(r"\(?\d{1,2}\)?|", c.strip()) for c in row)


def _is_table_heading(number: str, cells: dict[str, str]) -> bool:
    if re.fullmatch(r"[IVX]{1,5}|[A-Z]", number.strip(" .")):
        return True
    others = [v for k, v in cells.items() if k not in ("number", "content", "notes")]
    return not any(others) and cells.get("content", "").isupper()


# -- Header -----------------------------------------------------------------------------------------------------

NUMBER_RE = re.compile(r"\bSố\s*:\s*(?P<n>[0-9]*\s*/\s*[\w.Đđ/-]+)")
DATE_LINE_RE = re.compile(
    r"(?P<place>[^\n,|]{2,40}),\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})\s*năm\s*(?P<y>\d{4})"
)
KIND_RE = re.compile(r"^(?P<k>KẾ HOẠCH|QUYẾT ĐỊNH|CHƯƠNG TRÌNH)\b[\s*]*(?P<t>.*)$")
PERIOD_RE = re.compile(r"giai doan\s+(\d{4})\s*[-–]\s*(\d{4})|nam\s+(\d{4})")
HEADER_SCAN = 40  # paragraphs


def read_header(outline) -> Header:
    text = outline.text
    header = Header()
    head = text[: outline.paragraphs[min(HEADER_SCAN, len(outline.paragraphs)) - 1][1]] if outline.paragraphs else ""
    if match := NUMBER_RE.search(head):
        number = "".join(match["n"].split())
        header.number = number  # a draft's "/KH-STTTT" is kept: the user adds the number
    if match := DATE_LINE_RE.search(head):
        header.place = " ".join(match["place"].split())
        if match["d"]:
            try:
                header.issued_on = date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                header.issued_on = None
    header.issuer = _issuer(outline)
    header.kind, header.title = _title(outline)
    _period(header)
    return header


def _issuer(outline) -> str:
    lines = []
    for start, end in outline.paragraphs[:8]:
        line = outline.text[start:end].strip(" |-")
        if not line:
            continue
        if fold(line).startswith(("cong hoa", "so:", "so ")) or ", ngay" in fold(line):
            break
        lines.append(line)
    return " ".join(lines) if lines and all(line.isupper() for line in lines) else ""


def _title(outline) -> tuple[str, str]:
    paragraphs = [outline.text[s:e].strip() for s, e in outline.paragraphs[: HEADER_SCAN * 3]]
    found = [(i, m) for i, p in enumerate(paragraphs) if (m := KIND_RE.match(p))]
    plans = [(i, m) for i, m in found if m["k"] == "KẾ HOẠCH"]
    if not (plans or found):
        return "", ""
    i, match = (plans or found)[0]
    title = match["t"].strip(" *")
    if not title and i + 1 < len(paragraphs):
        title = paragraphs[i + 1]
    title = " ".join(title.replace("**", "").split())
    if title.isupper():
        title = _sentence_case(title, outline.text)
    if match["k"] == "KẾ HOẠCH" and not fold(title).startswith("ke hoach"):
        title = f"Kế hoạch {title[:1].lower()}{title[1:]}"
    return match["k"], title


def _sentence_case(title: str, text: str) -> str:
    """A title printed in capitals, in lower case but for the words the document itself writes with a capital after
    the same word in the middle of its sentences ("tỉnh Trà Vinh", "Sở Nội vụ"; but "hành chính" although it also
    writes "Chính phủ")."""
    seen: dict[tuple[str, str], list[int]] = {}
    for match in re.finditer(r"(\w+) (?=(\w+))", text):  # every pair of neighbours, overlapping
        before, word = match.groups()
        if word.isupper() and len(word) > 1:  # a heading in capitals says nothing about names
            continue
        seen.setdefault((before.lower(), word.lower()), [0, 0])[0 if word[:1].isupper() else 1] += 1
    words = title.lower().split()
    out = words[:1]
    for before, word in zip(words, words[1:], strict=False):
        capital, lower = seen.get((before, word), [0, 0])
        out.append(word.capitalize() if capital > lower else word)
    title = " ".join(out)
    return title[:1].upper() + title[1:]  # str.capitalize() would lower the names again


def _period(header: Header) -> None:
    match = PERIOD_RE.search(fold(header.title))
    if match and match.group(1):
        header.period_start, header.period_end = date(int(match[1]), 1, 1), date(int(match[2]), 12, 31)
    elif match:
        header.period_start, header.period_end = date(int(match[3]), 1, 1), date(int(match[3]), 12, 31)


# -- Parent plan ------------------------------------------------------------------------------------------------


def suggest_parents(extraction: Extraction, parent_plan: Plan | None) -> list[Task | None]:
    """For each task, the parent plan's task whose content it most resembles (word overlap), if close enough."""
    if parent_plan is None:
        return [None] * len(extraction.tasks)
    candidates = [(t, _words(t.title)) for t in parent_plan.tasks.all()]
    suggestions: list[Task | None] = []
    for task in extraction.tasks:
        words = _words(task.content)
        best, score = None, 0.0
        for candidate, their_words in candidates:
            ratio = difflib.SequenceMatcher(None, words, their_words, autojunk=False).ratio()
            if ratio > score:
                best, score = candidate, ratio
        suggestions.append(best if score >= SIMILARITY_CUTOFF else None)
    return suggestions


def _words(text: str) -> list[str]:
    return workbooks.key(text).split()[:80]
