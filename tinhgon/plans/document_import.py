"""A plan's tasks entered from its document (issue 16): the source staged, the extraction
(tinhgon/plans/extraction) turned into the review page's rows, and the rows the user confirms saved.

The confirmed rows are written as the Excel import's task table (units by code, the parent task by its key) and
run through excel_import.TaskImporter by core.imports: the same checks (deadlines within the plan, one STT per
task, units of the province), all or nothing, assignments expanded by services.task_save, and one audit entry
`plans.document_import.confirmed`. Nothing is written before the confirmation; the source is read again on each
request (the extraction is deterministic), so the review page holds no state but the staged file's token.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.core.files.base import ContentFile

from openpyxl import Workbook

from tinhgon.core import imports
from tinhgon.core.models import StagedFile
from tinhgon.organisations.models import Organisation
from tinhgon.plans import excel_import, extraction
from tinhgon.plans.constants import ExecutingRule
from tinhgon.plans.forms import REGULAR
from tinhgon.plans.models import Plan, Task

PURPOSE = "plans.document_import"
EXCERPT_CONTEXT = 240  # characters of the document shown before and after a task's span
# The import table's headers → the review form's fields, to put the import's messages on the right field.
FIELD_OF_HEADER = {
    "STT": "code",
    "Nhiệm vụ": "title",
    "Chủ trì": "lead",
    "Phối hợp": "coordinating",
    "Thực hiện": "executing",
    "Thời gian": "deadline",
    "Sản phẩm": "product",
    "Nhiệm vụ cấp trên": "implements",
}


class DocumentImporter(excel_import.TaskImporter):
    """The Excel task import, audited under its own purpose: the audit trail says the tasks came from a document."""

    purpose = PURPOSE


# The source -------------------------------------------------------------------------------------------------------


def read_source(*, upload=None, text: str = "") -> extraction.Document:
    """The document of an upload or of pasted text; extraction.DocumentRefused when it cannot be read."""
    document = extraction.read_document(upload=upload) if upload else extraction.read_document(text=text)
    if upload:
        upload.seek(0)  # read again when staged
    return document


def stage(*, plan: Plan, user, upload=None, text: str = "") -> StagedFile:
    """Keep the source until the user confirms (pasted text as a .txt file, so both are read the same way)."""
    source = upload or ContentFile(text.encode("utf-8"), name="van-ban.txt")
    return StagedFile.stage(source, user=user, purpose=PURPOSE, target=plan.pk)


def staged_source(token, *, plan: Plan, user) -> StagedFile | None:
    """The user's staged source for this plan (not claimed: the review page may be reloaded)."""
    try:
        token = uuid.UUID(str(token))
    except ValueError:  # a truncated or hostile address
        return None
    return StagedFile.objects.filter(token=token, user=user, purpose=PURPOSE, target=str(plan.pk)).first()


def extract(staged: StagedFile, plan: Plan) -> tuple[extraction.Extraction, list[Task | None]]:
    """The staged source read and extracted again, with each task's likely parent task."""
    with staged.file.open("rb") as handle:
        document = extraction.read_document(upload=handle)
    result = extraction.extract(document, issuer=plan.issuer)
    return result, extraction.suggest_parents(result, plan.parent_plan)


def province_units(plan: Plan):
    """The current units of the plan's province, among which the review page's pickers choose (the task form's)."""
    top = plan.issuer.ancestors().first() or plan.issuer
    return Organisation.objects.subtree(top).current()


# The review page's rows -------------------------------------------------------------------------------------------


@dataclass
class Excerpt:
    before: str
    span: str
    after: str


def excerpt(result: extraction.Extraction, task: extraction.ExtractedTask) -> Excerpt:
    text = result.text
    start = max(task.start - EXCERPT_CONTEXT, 0)
    before = ("…" if start else "") + text[start : task.start]
    after = text[task.end : task.end + EXCERPT_CONTEXT] + ("…" if task.end + EXCERPT_CONTEXT < len(text) else "")
    return Excerpt(before, text[task.start : task.end], after)


def combined_rule(refs: list[extraction.UnitRef]) -> str:
    """The executing rule the phrases name together (“các sở, ngành và UBND các xã”), "" when none or mixed."""
    return excel_import.combined_rule({ref.rule for ref in refs if ref.rule}) or ExecutingRule.NONE


def _codes(refs: list[extraction.UnitRef]) -> list[str]:
    return list(dict.fromkeys(ref.unit.code for ref in refs if ref.unit is not None))


def initial(result: extraction.Extraction, parents: list[Task | None], plan: Plan) -> list[dict]:
    """The review form's initial values, one dict per extracted task. STTs repeated in the document (a task list
    and an appendix table numbered from 1 again) are replaced by the task's full path, so that they differ. A task
    the document gives no time (it runs through the plan: "Cơ quan thực hiện: các sở, ngành" and no date) is offered
    the plan's last day, marked on the page as assumed (`deadline_assumed`), for the user to confirm or change; a
    task that names no lead (a department's own plan: "- Tăng cường tuyên truyền …", "- Phối hợp với Sở Khoa học và
    Công nghệ …") is the issuer's own, offered as its lead and marked likewise (`lead_assumed`)."""
    numbers = [t.number for t in result.tasks]
    rows = []
    for task, parent in zip(result.tasks, parents, strict=True):
        number = task.number if numbers.count(task.number) == 1 else task.path
        leads = _codes(task.lead)
        rows.append(
            {
                "include": True,
                "code": number[:20],
                "title": task.content,
                "lead": leads[0] if leads else plan.issuer.code,
                "lead_assumed": not task.lead,
                "coordinating": list(dict.fromkeys(_codes(task.coordinating) + leads[1:])),
                "executing": _codes(task.executing),
                "executing_rule": combined_rule(task.executing),
                "deadline": task.deadline or (None if task.recurrence or task.regular else plan.period_end),
                "deadline_assumed": not (task.deadline or task.recurrence or task.regular),
                "recurrence": REGULAR if task.regular else task.recurrence,
                "product": task.products[:500],
                "implements": str(parent.pk) if parent else "",
            }
        )
    return rows


# Saving -----------------------------------------------------------------------------------------------------------


@dataclass
class Reviewed:
    """One task as the user confirmed it (a valid review form's data), with its index on the page."""

    index: int
    code: str
    title: str
    lead: Organisation
    coordinating: list[Organisation]
    executing: list[Organisation]
    executing_rule: str
    deadline: date | None
    recurrence: str
    product: str
    implements: Task | None
    heading: str = ""


def workbook(rows: list[Reviewed]) -> tuple[bytes, dict[int, int]]:
    """The rows as the Excel import's task table, and the table's row number → the row's index on the page. A
    group heading of the document goes before its first task, as a heading row (it gives the tasks their reform
    area when it names one)."""
    wb = Workbook()
    ws = wb.active
    ws.title = excel_import.SHEET
    ws.append([c.header for c in excel_import.COLUMNS])
    where, heading = {}, ""
    for row in rows:
        if row.heading and row.heading != heading:
            number, title = _split_heading(row.heading)
            ws.append([{"code": number, "title": title}.get(c.key, "") for c in excel_import.COLUMNS])
        heading = row.heading
        ws.append([_cells(row)[c.key] for c in excel_import.COLUMNS])
        where[ws.max_row] = row.index
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), where


HEADING_NUMBER = re.compile(r"\s*([0-9IVXivx]+(?:\.[0-9]+)*)[.)]?\s+(.+)", re.DOTALL)


def _split_heading(heading: str) -> tuple[str, str]:
    """“2. Cải cách tổ chức bộ máy” → ("2", "Cải cách tổ chức bộ máy"), as a heading row of the table has them (its
    title names the reform area of the tasks below)."""
    match = HEADING_NUMBER.fullmatch(heading)
    return (match[1], match[2].strip()) if match else ("", heading.strip())


def _cells(row: Reviewed) -> dict:
    rule = [ExecutingRule(row.executing_rule).label] if row.executing_rule else []
    time = excel_import.RECURRENCE_LABELS[row.recurrence] if row.recurrence else (row.deadline or excel_import.REGULAR)
    return {
        "code": row.code,
        "title": row.title,
        "lead": row.lead.code,
        "coordinating": "; ".join(u.code for u in row.coordinating),
        "executing": "; ".join([*(u.code for u in row.executing), *rule]),
        "time": time,
        "product": row.product,
        "key": "",
        "completed": "",
        "parent": excel_import.task_key(row.implements) if row.implements else "",
    }


def save(rows: list[Reviewed], *, plan: Plan, by, dry_run: bool = False):
    """Check (dry run) or save the rows through the task import; returns the import's result and where each table
    row came from."""
    data, where = workbook(rows)
    upload = ContentFile(data, name="van-ban.xlsx")
    return imports.run(DocumentImporter(plan), upload, by=by, dry_run=dry_run), where
