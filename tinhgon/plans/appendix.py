"""A plan and its task appendix as an office issues them (issue 13 item 5): the plan's heading and title, then, on a
landscape page, "PHỤ LỤC - DANH MỤC NHIỆM VỤ (Kèm theo Kế hoạch số … ngày … của …)" with each task's content, lead,
coordinating and executing agencies (by name, and the plan's rules as worded), deadline and product (.docx); and the
same table as a workbook (.xlsx), with real dates, a filter and print settings."""

from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tinhgon.core import word
from tinhgon.core.workbooks import defuse, print_ready
from tinhgon.organisations.models import render_document
from tinhgon.plans.constants import Recurrence
from tinhgon.plans.models import Plan, Task
from tinhgon.procedures.documents import issuer_block, long_date, place_of

# (header, width in the landscape Word page in cm (25.2 in all), width of the Excel column in characters)
COLUMNS = [
    ("STT", 1.3, 7),
    ("Nội dung nhiệm vụ", 7.4, 60),
    ("Cơ quan chủ trì", 3.3, 26),
    ("Cơ quan phối hợp", 3.7, 30),
    ("Cơ quan thực hiện", 3.7, 30),
    ("Thời gian hoàn thành", 2.6, 16),
    ("Sản phẩm", 3.2, 28),
]
TABLE_PT = 12


@dataclass(frozen=True)
class Row:
    number: str
    content: str
    lead: str
    coordinating: str
    executing: str
    when: str | date  # a deadline, or how a regular task recurs
    product: str
    is_group: bool  # a task numbered above others (1 above 1.1, 1.2): printed in bold


def tasks_of(plan: Plan):
    """The plan's tasks in the order their numbers are read, with everything a row shows, in three queries."""
    return (
        Task.objects.filter(plan=plan)
        .select_related("lead")
        .prefetch_related("coordinating", "executing")
        .order_by("code_key", "id")
    )


def when(task: Task) -> str | date:
    if task.recurrence:
        return f"Định kỳ {Recurrence(task.recurrence).label.lower()}"
    return task.deadline or "Thường xuyên"


def rows(plan: Plan) -> list[Row]:
    tasks = list(tasks_of(plan))
    codes = {task.code for task in tasks}
    parents = {code.rsplit(".", 1)[0] for code in codes if "." in code}
    result = []
    for task in tasks:
        executing = [unit.name for unit in task.executing.all()]
        if task.executing_rule:
            executing.append(task.get_executing_rule_display())
        result.append(
            Row(
                number=task.code,
                content=task.title,
                lead=task.lead.name,
                coordinating="; ".join(unit.name for unit in task.coordinating.all()),
                executing="; ".join(executing),
                when=when(task),
                product=task.product,
                is_group=task.code in parents,
            )
        )
    return result


def shown_date(value: str | date) -> str:
    return f"{value:%d/%m/%Y}" if isinstance(value, date) else value


def reference(plan: Plan) -> str:
    """'(Kèm theo Kế hoạch số 12/KH-UBND ngày 05 tháng 02 năm 2026 của Ủy ban nhân dân tỉnh Vĩnh Long)'."""
    number = f"số {plan.number} " if plan.number else ""
    return f"(Kèm theo Kế hoạch {number}{long_date(plan.issued_on)} của {plan.issuer.name})"


def file_title(plan: Plan) -> str:
    """'Kế hoạch 12/KH-SA' (the download name turns the slash into a dash), or the plan's title while unnumbered."""
    return f"Kế hoạch {plan.number.strip()}" if plan.number.strip() else f"Kế hoạch {plan.title}"


# Word -------------------------------------------------------------------------------------------------------------


def plan_docx(plan: Plan) -> bytes:
    """The plan's heading and objectives, then its appendix of tasks on landscape pages, in the issuer's template
    (its own, its nearest parent's or the default); the task table goes where it has `{{ bang_nhiem_vu }}`."""
    lines = rows(plan)
    context = {
        **issuer_block(plan.issuer),
        "so": plan.number or "       /KH-",
        "dia_danh_ngay": f"{place_of(plan.issuer)}, {long_date(plan.issued_on)}",
        "trich_yeu": plan.title,
        "muc_tieu": [
            *word.lines(plan.objectives),
            f"Các nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này ({len(lines)} nhiệm vụ).",
        ],
        "phu_luc_kem_theo": reference(plan),
    }
    return render_document(plan.issuer, "ke-hoach", context, {"bang_nhiem_vu": lambda doc: appendix(doc, lines)})


def appendix(doc, lines: list[Row]) -> None:
    """The table of tasks, a task with tasks under it in bold."""
    table = word.data_table(
        doc,
        [header for header, _, _ in COLUMNS],
        [
            [r.number, r.content, r.lead, r.coordinating or "—", r.executing or "—", shown_date(r.when), r.product]
            for r in lines
        ],
        [width for _, width, _ in COLUMNS],
        size=TABLE_PT,
    )
    for row, line in zip(table.rows[1:], lines, strict=True):
        if line.is_group:
            for run in (run for cell in row.cells for paragraph in cell.paragraphs for run in paragraph.runs):
                run.bold = True


# Excel ------------------------------------------------------------------------------------------------------------

HEADER_ROW = 4


def appendix_xlsx(plan: Plan) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục nhiệm vụ"
    sheet["A1"] = word.nfc(f"DANH MỤC NHIỆM VỤ - {plan.title}")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = word.nfc(reference(plan))
    sheet["A2"].font = Font(italic=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, (header, _, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    for n, line in enumerate(rows(plan), start=HEADER_ROW + 1):
        values = [line.number, line.content, line.lead, line.coordinating, line.executing, line.when, line.product]
        for column, value in enumerate(values, start=1):
            cell = defuse(sheet.cell(n, column, value))
            cell.alignment = wrap
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            if line.is_group:
                cell.font = Font(bold=True)
    return print_ready(sheet, header_row=HEADER_ROW, columns=len(COLUMNS), frozen_columns=1)
