"""Import a plan's task table from .xlsx (the table of tasks every Vietnamese plan ends with).

- `build_template()`: sheet "Nhiệm vụ" (the headers and one example row, marked “VÍ DỤ” in the “Mã nhiệm vụ”
  column and never imported) and a "Hướng dẫn" sheet; `build_workbook(plan)`: the same layout with the plan's
  tasks, each with its key, to edit and import back.
- `parse_workbook()`: reads and validates every row without writing: units are matched by code or by name among
  the current units of the plan's province, the time column becomes a deadline or a recurrence; the result lists
  each row with what importing it would do and its changes (before → after), or every error (row, column,
  Vietnamese message).
- `import_tasks()`: writes the rows through `services.task_save` (which expands assignments), all or nothing (the
  flow is core.imports'). Rows are matched to the plan's tasks by the key the file carries (“Mã nhiệm vụ”, NV-<id>),
  never by STT: a row without a key is a new task, and changing a task's STT renumbers that task only.

The “Nhiệm vụ cấp trên” column links a task to the parent plan's task it implements (Task.implements), by that
task's STT in the parent plan or its key; a file without the column leaves the links as they are. The plan's
document import (plans/document_import.py) writes its reviewed rows in this layout and runs them through
TaskImporter.

Adding a plain column (text, a date) is one `Column(…, attr=…, read=…, show=…)` line in COLUMNS: it is read,
compared, shown in the preview, written to the task and exported from there.

File safety (type, size, encryption, zip bombs, row bombs, entity declarations) is core.uploads.check_workbook;
the cell readers are core.workbooks'; the styles and the row limit are the procedure registry's
(tinhgon/procedures/excel.py).
"""

import calendar
import difflib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tinhgon.core import imports, workbooks
from tinhgon.core.dates import legal_date
from tinhgon.core.formatting import EXCEL_DATE
from tinhgon.core.imports import CREATE, SKIPPED, UNCHANGED, UPDATE, RowError, RowFailed
from tinhgon.core.uploads import max_upload_bytes
from tinhgon.core.workbooks import WRAP
from tinhgon.organisations.models import Organisation
from tinhgon.plans import services
from tinhgon.plans.constants import ExecutingRule, Recurrence
from tinhgon.plans.models import Plan, ReformArea, Task
from tinhgon.procedures.excel import MAX_ROWS

SHEET = "Nhiệm vụ"
EXAMPLE_MARK = "VÍ DỤ"
HELP_SHEET = "Hướng dẫn"
HEADER_SCAN_ROWS = 10  # the header row may sit below a title ("KẾ HOẠCH …", "Phụ lục …")
MAX_SUGGESTIONS = 3
SUGGESTION_CUTOFF = 0.6
MAX_UNIT_SPAN = 8  # a unit name or a rule phrase may itself contain commas ("Sở Văn hóa, Thể thao và Du lịch")


# --------------------------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------------------------


def read_text(limit: int) -> Callable:
    def read(value) -> str:
        text = workbooks.one_line(value)
        if len(text) > limit:
            raise ValueError(
                f"dài {workbooks.format_number(len(text))} ký tự, tối đa {workbooks.format_number(limit)} ký tự."
            )
        return text

    return read


def read_date(value) -> date | None:
    """A date cell or dd/mm/yyyy text; None when blank."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", workbooks.one_line(value))
    try:
        return date(int(match[3]), int(match[2]), int(match[1])) if match else _no_date(value)
    except ValueError:
        return _no_date(value)


def _no_date(value):
    raise ValueError(f"“{workbooks.one_line(value)}” không phải là ngày dd/mm/yyyy có thật.")


def show_date(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


@dataclass(frozen=True)
class Column:
    """A column of the task table. A plain column names the task's attribute (`attr`) with how a cell is read
    (`read`: a value, or ValueError with the message) and shown (`show`: the text in the preview and the export);
    the others (STT, units, time, key) are read by the parser's own methods."""

    key: str
    header: str
    required: bool
    width: int
    aliases: tuple[str, ...] = ()
    help: str = ""
    example: str = ""
    attr: str = ""
    read: Callable | None = None
    show: Callable = str


COLUMNS = [
    Column(
        "code",
        "STT",
        True,
        8,
        ("số TT", "số thứ tự", "TT"),
        "Số thứ tự của nhiệm vụ trong kế hoạch (1, 2, 1.1, II.3…), không trùng nhau. Đổi STT của một dòng có "
        "Mã nhiệm vụ là đánh số lại nhiệm vụ đó, không đụng đến nhiệm vụ khác.",
        "1",
    ),
    Column(
        "title",
        "Nhiệm vụ",
        True,
        60,
        ("tên nhiệm vụ", "nội dung", "nội dung nhiệm vụ", "nhiệm vụ cụ thể"),
        "Tên, nội dung nhiệm vụ (tối đa 1.000 ký tự).",
        "Rà soát, đơn giản hóa thủ tục hành chính nội bộ",
        attr="title",
        read=read_text(1000),
    ),
    Column(
        "lead",
        "Chủ trì",
        True,
        30,
        ("cơ quan chủ trì", "đơn vị chủ trì", "chủ trì thực hiện"),
        "Một đơn vị chủ trì: ghi tên, tên viết tắt hoặc mã đơn vị (có dấu hay không dấu đều được).",
        "Sở Tư pháp",
    ),
    Column(
        "coordinating",
        "Phối hợp",
        False,
        30,
        ("cơ quan phối hợp", "đơn vị phối hợp"),
        "Các đơn vị phối hợp, cách nhau bằng dấu chấm phẩy (;) hoặc xuống dòng.",
        "Sở Nội vụ; Văn phòng UBND tỉnh",
    ),
    Column(
        "executing",
        "Thực hiện",
        False,
        30,
        ("cơ quan thực hiện", "đơn vị thực hiện"),
        "Các đơn vị thực hiện như cột Phối hợp, hoặc một trong các cụm: “Các sở, ban, ngành”; “UBND các xã, "
        "phường”; “Các sở, ban, ngành; UBND các xã, phường”; “Các phòng, đơn vị” (các phòng, đơn vị thuộc cơ "
        "quan ban hành kế hoạch).",
        "Các sở, ban, ngành; UBND các xã, phường",
    ),
    Column(
        "time",
        "Thời gian",
        True,
        24,
        ("thời gian hoàn thành", "thời hạn", "thời hạn hoàn thành", "thời gian thực hiện"),
        "Một ngày dd/mm/yyyy (thời hạn); “Tháng 6/2026”, “Quý II/2026”, “Trong năm 2026” (hạn là ngày cuối "
        "tháng, quý, năm); hoặc định kỳ “Hằng tháng”, “Hằng quý”, “6 tháng”, “Hằng năm”, có thể thêm “trước "
        "ngày 15” (hạn là ngày 15 của tháng cuối kỳ). Thời hạn phải nằm trong thời gian của kế hoạch.",
        "Hằng quý, trước ngày 15",
    ),
    Column(
        "product",
        "Sản phẩm",
        False,
        30,
        ("sản phẩm đầu ra", "kết quả sản phẩm", "hình thức sản phẩm", "kết quả"),
        "Sản phẩm, kết quả đầu ra (tối đa 500 ký tự).",
        "Báo cáo kết quả rà soát",
        attr="product",
        read=read_text(500),
    ),
    Column(
        "key",
        "Mã nhiệm vụ",
        False,
        14,
        ("mã nhiệm vụ (không sửa)",),
        "Do hệ thống ghi khi tải bảng nhiệm vụ của kế hoạch (NV-…): nhập lại cập nhật đúng nhiệm vụ có mã đó. Để "
        "trống ở dòng nhiệm vụ mới; không sửa, không chép mã sang dòng khác. Dòng ghi “VÍ DỤ” là dòng mẫu, không "
        "bao giờ được nhập.",
        EXAMPLE_MARK,
    ),
    Column(
        "completed",
        "Ngày hoàn thành",
        False,
        16,
        ("ngày hoàn thành thực tế", "đã hoàn thành ngày"),
        "Chỉ ghi khi nhiệm vụ đã hoàn thành (nhập lịch sử): ngày dd/mm/yyyy, không sau hôm nay, không trước ngày ban "
        "hành kế hoạch; các đơn vị của nhiệm vụ được ghi hoàn thành vào ngày đó. Không dùng cho nhiệm vụ định kỳ.",
        "",
    ),
    Column(
        "parent",
        "Nhiệm vụ cấp trên",
        False,
        16,
        ("thực hiện nhiệm vụ cấp trên", "nhiệm vụ của kế hoạch cấp trên"),
        "Chỉ khi kế hoạch có kế hoạch cấp trên: nhiệm vụ của kế hoạch cấp trên mà nhiệm vụ này thực hiện, ghi STT "
        "của nhiệm vụ đó trong kế hoạch cấp trên (1, 2.3…) hoặc mã của nó (NV-…). Để trống nếu không có. Bảng "
        "không có cột này thì giữ nguyên liên kết đã có.",
        "",
    ),
]
PLAIN = [c for c in COLUMNS if c.attr]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
HEADER_KEYS: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        HEADER_KEYS[workbooks.key(_name)] = _column
MAX_LENGTHS = {"code": 20}
KEY_RE = re.compile(r"nv\s*-?\s*(\d{1,12})")


# --------------------------------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------------------------------


HEADING, EXAMPLE = "tiêu đề nhóm", "dòng ví dụ của mẫu"
RECURRENCE_LABELS = dict(Recurrence.choices)


@dataclass(kw_only=True)
class TaskRow(imports.Row):
    row: int
    code: str
    key: int | None = None  # the task's id, from the “Mã nhiệm vụ” column
    values: dict = field(default_factory=dict)  # the plain columns' values, by Task attribute
    lead: Organisation | None = None
    coordinating: list[Organisation] = field(default_factory=list)
    executing: list[Organisation] = field(default_factory=list)
    executing_rule: str = ""
    deadline: date | None = None
    recurrence: str = ""
    recurrence_day: int | None = None
    area: ReformArea | None = None  # from the last group heading naming a reform area
    completed_on: date | None = None  # done in fact on that day (history entered in bulk)
    implements: Task | None = None  # the parent plan's task it carries out
    implements_read: bool = False  # False when the file has no such column: the link stays as it is
    order: int = 0
    task: Task | None = None

    @property
    def title(self) -> str:
        return self.values.get("title", "")

    label = title

    @property
    def product(self) -> str:
        return self.values.get("product", "")

    @property
    def is_heading(self) -> bool:
        return self.action == SKIPPED and self.note == HEADING

    @property
    def time_label(self) -> str:
        return time_label(self.deadline, self.recurrence, self.recurrence_day)

    @property
    def coordinating_label(self) -> str:
        return "; ".join(u.name for u in self.coordinating)

    @property
    def executing_label(self) -> str:
        return executing_label(self.executing, self.executing_rule)

    def shown(self) -> dict[str, str]:
        """The row as the preview compares it with the task (column header → text)."""
        return _shown(
            self.code,
            self.values,
            self.lead,
            self.coordinating,
            executing_label(sorted(self.executing, key=lambda u: u.name), self.executing_rule),
            self.time_label,
            self.area if self.area is not None else (self.task.area if self.task else None),
            # a blank cell leaves the completions as they are
            show_date(self.completed_on or (completed_on_of(self.task) if self.task else None)),
            self.implements if self.implements_read else (self.task.implements if self.task else None),
        )


REGULAR = "Thường xuyên"  # a regular task: neither a deadline nor a recurrence (models.py, progress.py)


def time_label(deadline, recurrence, day) -> str:
    if recurrence:
        return f"{RECURRENCE_LABELS[recurrence]}" + (f", trước ngày {day}" if day else "")
    return show_date(deadline) if deadline else REGULAR


def executing_label(units, rule: str) -> str:
    return "; ".join([*(u.name for u in units), *([ExecutingRule(rule).label] if rule else [])])


def completed_on_of(task: Task) -> date | None:
    """The day every unit of `task` completed it, when that is one day (its assignments prefetched)."""
    days = {a.completed_on for a in task.assignments.all()}
    return days.pop() if len(days) == 1 and None not in days else None


def parent_label(task: Task | None) -> str:
    return f"{task.code}. {task.title}"[:160] if task else ""


def _shown(code, values, lead, coordinating, executing, time, area, completed="", parent=None) -> dict[str, str]:
    """Column header → text, in the file's order of columns (the key left out: it never changes)."""
    texts = {
        "code": code,
        "lead": lead.name if lead else "",
        "coordinating": "; ".join(sorted(u.name for u in coordinating)),
        "executing": executing,
        "time": time,
        "completed": completed,
        "parent": parent_label(parent),
        **{c.key: c.show(values.get(c.attr)) for c in PLAIN},
    }
    shown = {c.header: texts[c.key] for c in COLUMNS if c.key in texts}
    return {**shown, "Lĩnh vực cải cách hành chính": area.name if area else ""}


def task_shown(task: Task) -> dict[str, str]:
    executing = executing_label(sorted(task.executing.all(), key=lambda u: u.name), task.executing_rule)
    return _shown(
        task.code,
        {c.attr: getattr(task, c.attr) for c in PLAIN},
        task.lead,
        task.coordinating.all(),
        executing,
        time_label(task.deadline, task.recurrence, task.recurrence_day),
        task.area,
        show_date(completed_on_of(task)),
        task.implements,
    )


# --------------------------------------------------------------------------------------------------------------
# Template
# --------------------------------------------------------------------------------------------------------------


def build_template() -> bytes:
    """The import template as .xlsx bytes: sheet "Nhiệm vụ" (headers, one example row marked “VÍ DỤ”, which is
    never imported) and "Hướng dẫn"."""
    wb = _workbook()
    ws = wb[SHEET]
    ws.append([c.example for c in COLUMNS])
    for cell in ws[2]:
        cell.alignment = WRAP
        cell.font = Font(italic=True, color="595959")
    return _save(wb)


def build_workbook(plan: Plan) -> bytes:
    """The plan's tasks in the import layout, each with its key: edited and imported back, it changes only what
    was edited (a unit whose name is shared by another is written by its code, so it is found again)."""
    wb = _workbook()
    ws = wb[SHEET]
    units = UnitDirectory(plan)
    tasks = plan.tasks.select_related("lead", "area", "implements")
    tasks = tasks.prefetch_related("coordinating", "executing", "assignments")
    for task in tasks.order_by("order", "code_key", "id"):
        values = {
            "code": task.code,
            **{c.key: getattr(task, c.attr) for c in PLAIN},
            "lead": units.written(task.lead),
            "coordinating": "; ".join(units.written(u) for u in task.coordinating.all()),
            "executing": "; ".join(
                [*(units.written(u) for u in task.executing.all())]
                + ([ExecutingRule(task.executing_rule).label] if task.executing_rule else [])
            ),
            "time": task.deadline or time_label(None, task.recurrence, task.recurrence_day),
            "key": task_key(task),
            "completed": completed_on_of(task) or "",
            "parent": task.implements.code if task.implements else "",
        }
        ws.append([values[c.key] for c in COLUMNS])
        for cell in ws[ws.max_row]:
            workbooks.defuse(cell).alignment = WRAP
            if isinstance(cell.value, date):
                cell.number_format = EXCEL_DATE
    return _save(wb)


def task_key(task: Task) -> str:
    return f"NV-{task.pk}"


def _save(wb) -> bytes:
    """The workbook as a clerk opens and prints it: the task sheet with its header frozen, filtered and repeated."""
    workbooks.print_setup(wb[SHEET], header_row=1, columns=len(COLUMNS), frozen_columns=0)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    imports.header_row(ws, COLUMNS)
    rules = [
        f"Mỗi dòng của sheet “{SHEET}” là một nhiệm vụ. Dòng 2 là ví dụ (cột Mã nhiệm vụ ghi “{EXAMPLE_MARK}”): "
        "dòng này không bao giờ được nhập, kể cả khi để nguyên trong tệp; muốn dùng nó, hãy xóa chữ "
        f"“{EXAMPLE_MARK}”. Tiêu đề cột so khớp không phân biệt hoa thường, có dấu hay không dấu; có thể thêm cột "
        "khác (bị bỏ qua).",
        f"Tệp phải là .xlsx, không đặt mật khẩu, dung lượng không quá {workbooks.mb(max_upload_bytes())}, tối đa "
        f"{workbooks.format_number(MAX_ROWS)} dòng.",
        "Nhập theo nguyên tắc “tất cả hoặc không”: hệ thống kiểm tra toàn bộ tệp và cho xem trước; chỉ cần một lỗi "
        "thì không dòng nào được ghi. Danh sách lỗi ghi rõ dòng, cột và cách sửa.",
        "Để sửa các nhiệm vụ đã có, tải “Bảng nhiệm vụ hiện có” trên trang nhập của kế hoạch: mỗi dòng có Mã nhiệm vụ "
        "(NV-…), nhập lại sẽ cập nhật đúng nhiệm vụ đó (kể cả khi đổi STT). Dòng không có mã là nhiệm vụ mới; STT "
        "của nó không được trùng nhiệm vụ đã có. Nhiệm vụ không có trong tệp được giữ nguyên.",
        "Đơn vị được tìm trong các đơn vị đang hoạt động thuộc tỉnh của cơ quan ban hành kế hoạch, theo mã, tên "
        "hoặc tên viết tắt. Nếu không tìm thấy, hệ thống gợi ý các tên gần giống.",
        "Dòng chỉ có STT và tên (không có Chủ trì, Phối hợp, Thực hiện, Thời gian, Sản phẩm) được coi là tiêu đề "
        "nhóm nhiệm vụ và bỏ qua. Tiêu đề nhóm là tên một lĩnh vực cải cách hành chính (“II. CẢI CÁCH THỂ CHẾ”, "
        "“Cải cách thủ tục hành chính”…) gán lĩnh vực đó cho các nhiệm vụ bên dưới, đến tiêu đề lĩnh vực tiếp theo.",
    ]
    help_ws = wb.create_sheet(HELP_SHEET)
    imports.help_sheet(help_ws, "HƯỚNG DẪN NHẬP BẢNG NHIỆM VỤ CỦA KẾ HOẠCH TỪ EXCEL", rules, COLUMNS, header_width=16)
    return wb


# --------------------------------------------------------------------------------------------------------------
# Units and rules
# --------------------------------------------------------------------------------------------------------------


def _area_key(text: str) -> str:
    """A heading as compared with the reform areas' names: "Công tác" and "cải cách hành chính" may be left out,
    "Chính phủ" (NQ 76/NQ-CP) and "chính quyền" (the local plans) are the same area."""
    text = workbooks.key(text).removeprefix("cong tac ").removesuffix(" cai cach hanh chinh").removesuffix(" cchc")
    return text.replace("chinh phu", "chinh quyen")


def area_directory() -> dict[str, ReformArea]:
    """The reform areas by the key of their name, for group headings that name one."""
    return {_area_key(area.name): area for area in ReformArea.objects.all()}


def unit_key(text: str) -> str:
    return re.sub(r"\b(uy ban nhan dan|u b n d)\b", "ubnd", workbooks.key(text))


_DEPTS = r"(?:cac )?(?:co quan )?(?:cac )?so(?: ban)? nganh(?: (?:thuoc|cap) tinh| tinh)?"
_COMMUNES = r"(?:cac )?(?:ubnd|chu tich ubnd) (?:cac )?(?:xa(?: phuong)?(?: dac khu)?(?: thi tran)?|cap xa)"
_DIVISIONS = (
    r"(?:cac phong(?: ban)?(?: chuyen mon)?(?: don vi)?|cac don vi)(?: (?:truc )?thuoc(?: so| co quan| don vi)?)?"
)
RULE_PATTERNS = [
    (
        re.compile(rf"{_DEPTS}(?: va)? {_COMMUNES}|{_DEPTS} dia phuong"),
        {ExecutingRule.DEPARTMENTS, ExecutingRule.COMMUNES},
    ),
    (re.compile(_DEPTS), {ExecutingRule.DEPARTMENTS}),
    (re.compile(_COMMUNES), {ExecutingRule.COMMUNES}),
    (re.compile(_DIVISIONS), {ExecutingRule.DIVISIONS}),
]


def named_rules(phrase: str) -> set[str] | None:
    """The executing rules a phrase names (“Các sở, ban, ngành” …), or None when it names none."""
    key = unit_key(phrase)
    for pattern, rules in RULE_PATTERNS:
        if pattern.fullmatch(key):
            return set(rules)
    return None


def combined_rule(rules: set[str]) -> str | None:
    """The one ExecutingRule a set of rules names together ("" for none, None when they cannot be one); the combined
    rule itself counts as its two parts, so that {DEPARTMENTS_AND_COMMUNES, COMMUNES} is still one rule."""
    if ExecutingRule.DEPARTMENTS_AND_COMMUNES in rules:
        rules = (set(rules) - {ExecutingRule.DEPARTMENTS_AND_COMMUNES}) | {
            ExecutingRule.DEPARTMENTS,
            ExecutingRule.COMMUNES,
        }
    if not rules:
        return ""
    if rules == {ExecutingRule.DEPARTMENTS, ExecutingRule.COMMUNES}:
        return ExecutingRule.DEPARTMENTS_AND_COMMUNES
    if len(rules) == 1:
        return next(iter(rules))
    return None


class UnitDirectory:
    """The current units of the plan's province (the issuer's top ancestor), looked up by code, name or short
    name, folded. A name shared by several units resolves to the one under the issuer, if only one is."""

    def __init__(self, plan: Plan):
        issuer = plan.issuer
        self.province = issuer.ancestors().first() or issuer
        units = list(Organisation.objects.subtree(self.province).order_by("name", "code"))
        self.under_issuer = set(Organisation.objects.subtree(issuer).values_list("pk", flat=True))
        self.by_code = {u.code.strip().upper(): u for u in units}
        self.by_name: dict[str, list[Organisation]] = defaultdict(list)
        self.display: dict[str, str] = {}
        for unit in units:
            for name in dict.fromkeys(n for n in (unit.name, unit.short_name) if n.strip()):
                key = unit_key(name)
                if unit not in self.by_name[key]:
                    self.by_name[key].append(unit)
                self.display.setdefault(key, unit.name)

    def find(self, text: str) -> tuple[Organisation | None, str]:
        """(unit, "") when found; (None, problem) when the name is ambiguous; (None, "") when not found."""
        unit = self.by_code.get(text.strip().upper())
        if unit is not None:
            return unit, ""
        found = self.by_name.get(unit_key(text), [])
        if len(found) > 1:
            found = [u for u in found if u.pk in self.under_issuer] or found
        if len(found) == 1:
            return found[0], ""
        if found:
            codes = ", ".join(u.code for u in found)
            return None, f"có nhiều đơn vị tên “{text}” (mã {codes}); hãy ghi mã đơn vị."
        return None, ""

    def written(self, unit: Organisation) -> str:
        """How the export names a unit: its name, or its code when the name would find another unit."""
        found, _ = self.find(unit.name)
        return unit.name if found == unit else unit.code

    def suggest(self, text: str) -> list[str]:
        close = difflib.get_close_matches(unit_key(text), list(self.display), n=MAX_SUGGESTIONS * 2, cutoff=0.0)
        close = [k for k in close if difflib.SequenceMatcher(None, unit_key(text), k).ratio() >= SUGGESTION_CUTOFF]
        return list(dict.fromkeys(self.display[k] for k in close))[:MAX_SUGGESTIONS]

    def not_found(self, text: str) -> str:
        suggestions = self.suggest(text)
        if suggestions:
            return f"không tìm thấy đơn vị “{text}” — có phải: {' hoặc '.join(suggestions)}?"
        return (
            f"không tìm thấy đơn vị “{text}” trong {self.province.name}; hãy ghi đúng tên, tên viết tắt hoặc mã "
            "đơn vị đang hoạt động."
        )


def _tokens(segment: str) -> list[str]:
    return [t for t in (" ".join(p.split()).strip(" -–•+*.") for p in segment.split(",")) if t]


# --------------------------------------------------------------------------------------------------------------
# Time
# --------------------------------------------------------------------------------------------------------------

DATE_IN_TEXT = re.compile(r"^(.*?)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\.?$")
DATE_PREFIXES = {"", "truoc ngay", "truoc", "ngay", "han", "cham nhat", "cham nhat ngay", "xong truoc ngay"}
RECURRENCE_RE = re.compile(
    r"(?:dinh ky )?(hang thang|hang quy|(?:hang |dinh ky )?0?6 thang(?: mot lan)?|hang nam)"
    r"(?: (?:bao cao |hoan thanh )?truoc ngay (\d{1,2})\b.*)?"
)
RECURRENCE_KEYS = {"hang thang": Recurrence.MONTHLY, "hang quy": Recurrence.QUARTERLY, "hang nam": Recurrence.YEARLY}
YEAR_RE = re.compile(r"(?:trong |ca )?nam (\d{4})")
QUARTER_RE = re.compile(r"(?:trong )?quy (i|ii|iii|iv|1|2|3|4)(?: nam)? (\d{4})")
MONTH_RE = re.compile(r"(?:trong )?thang (\d{1,2})(?: nam)? (\d{4})")
QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
TIME_HINT = (
    "ghi một ngày dd/mm/yyyy, “Tháng 6/2026”, “Quý II/2026”, “Trong năm 2026”, hoặc “Hằng tháng”, “Hằng quý”, "
    "“6 tháng”, “Hằng năm” (có thể thêm “trước ngày 15”), hoặc “Thường xuyên” (nhiệm vụ không có thời hạn)."
)
REGULAR_KEYS = {"thuong xuyen", "thuong xuyen trong nam", "thuong xuyen lien tuc", "thuong xuyen hang nam"}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_time(value) -> tuple[date | None, str, int | None]:
    """(deadline, recurrence, recurrence day) from a cell of the time column; ValueError(message) otherwise."""
    if isinstance(value, datetime):
        return value.date(), "", None
    if isinstance(value, date):
        return value, "", None
    text = workbooks.one_line(value)
    if workbooks.key(text) in REGULAR_KEYS:  # a regular task: reported on, never due (plans/progress.py)
        return None, "", None
    match = DATE_IN_TEXT.match(text)
    if match and workbooks.key(match.group(1)) in DATE_PREFIXES:
        day, month, year = (int(g) for g in match.groups()[1:])
        try:
            return date(year, month, day), "", None
        except ValueError:
            raise ValueError(f"“{text}” không phải là ngày có thật (dd/mm/yyyy).") from None
    key = workbooks.key(text)
    if match := RECURRENCE_RE.fullmatch(key):
        recurrence = RECURRENCE_KEYS.get(match.group(1), Recurrence.HALF_YEARLY)
        day = int(match.group(2)) if match.group(2) else None
        if day is not None and not 1 <= day <= 31:
            raise ValueError(f"ngày trong “{text}” phải từ 1 đến 31.")
        return None, recurrence, day
    if match := YEAR_RE.fullmatch(key):
        return date(int(match.group(1)), 12, 31), "", None
    if match := QUARTER_RE.fullmatch(key):
        quarter, year = QUARTERS[match.group(1)], int(match.group(2))
        return _month_end(year, quarter * 3), "", None
    if (match := MONTH_RE.fullmatch(key)) and 1 <= int(match.group(1)) <= 12:
        return _month_end(int(match.group(2)), int(match.group(1))), "", None
    raise ValueError(f"không hiểu thời gian “{text}”; {TIME_HINT}")


# --------------------------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Parser:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.units = UnitDirectory(plan)
        self.areas = area_directory()
        self.area: ReformArea | None = None  # the area the last area heading named
        self.errors: list[RowError] = []
        self.positions: dict[str, int] = {}
        self.headers: list[str] = []
        self.parent_tasks: list[Task] | None = None  # the parent plan's, read at the first row that names one

    def error(self, row: int | None, message: str, key: str = "") -> None:
        if key:
            index = self.positions[key]
            self.errors.append(RowError(row, message, get_column_letter(index + 1), COLUMN_BY_KEY[key].header))
        else:
            self.errors.append(RowError(row, message))

    # -- headers -----------------------------------------------------------------------------------------------

    @staticmethod
    def header_score(values: tuple) -> int:
        return len(
            {HEADER_KEYS[k].key for k in (workbooks.key(workbooks.one_line(v)) for v in values) if k in HEADER_KEYS}
        )

    def read_headers(self, row_no: int, values: tuple) -> bool:
        self.headers = [workbooks.one_line(v) for v in values]
        seen: dict[str, int] = {}
        for index, header in enumerate(self.headers):
            column = HEADER_KEYS.get(workbooks.key(header)) if header else None
            if column is None:
                continue  # extra columns are allowed and ignored
            if column.key in seen:
                first = get_column_letter(seen[column.key] + 1)
                self.errors.append(
                    RowError(
                        row_no,
                        f"cột “{column.header}” bị lặp (đã có ở cột {first}); hãy xóa hoặc đổi tên một cột.",
                        get_column_letter(index + 1),
                        header,
                    )
                )
            else:
                seen[column.key] = index
        missing = [c.header for c in COLUMNS if c.required and c.key not in seen]
        if missing:
            self.errors.append(
                RowError(
                    row_no,
                    "thiếu cột bắt buộc: "
                    + ", ".join(f"“{h}”" for h in missing)
                    + ". Dòng tiêu đề phải có các cột STT, Nhiệm vụ, Chủ trì, Thời gian (Phối hợp, Thực hiện, Sản "
                    "phẩm nếu có); hãy dùng mẫu nhập của hệ thống.",
                )
            )
        self.positions = seen
        return not self.errors

    # -- rows --------------------------------------------------------------------------------------------------

    def raw(self, values: tuple, key: str):
        index = self.positions.get(key)
        return values[index] if index is not None and index < len(values) else None

    def text(self, row_no: int, values: tuple, key: str) -> str:
        value = workbooks.one_line(self.raw(values, key))
        limit = MAX_LENGTHS.get(key)
        if COLUMN_BY_KEY[key].required and not value:
            self.error(row_no, "ô bắt buộc, chưa nhập.", key)
        elif limit and len(value) > limit:
            self.error(
                row_no,
                f"dài {workbooks.format_number(len(value))} ký tự, tối đa {workbooks.format_number(limit)} ký tự.",
                key,
            )
        return value

    def is_heading(self, values: tuple) -> bool:
        """A group heading (“I. CẢI CÁCH THỂ CHẾ”): a number and a title, nothing else of a task."""
        rest = ("lead", "coordinating", "executing", "time", "product", "completed", "parent")
        return all(_blank(self.raw(values, k)) for k in rest) and not _blank(self.raw(values, "title"))

    @staticmethod
    def is_numbering(values: tuple) -> bool:
        """The “(1) (2) (3) …” line that often follows the header row of an official table."""
        cells = [workbooks.one_line(v) for v in values if not _blank(v)]
        return bool(cells) and all(re.fullmatch(r"\(?\d{1,2}\)?", c) for c in cells)

    def read_row(self, row_no: int, values: tuple) -> TaskRow | None:
        if self.is_example(values):
            code = workbooks.one_line(self.raw(values, "code"))
            title = workbooks.one_line(self.raw(values, "title"))
            return TaskRow(row=row_no, code=code, values={"title": title}, action=SKIPPED, note=EXAMPLE)
        if self.is_heading(values):
            code, title = workbooks.one_line(self.raw(values, "code")), workbooks.one_line(self.raw(values, "title"))
            self.area = self.areas.get(_area_key(title), self.area)  # a sub-heading keeps its area's
            area = self.areas.get(_area_key(title))
            return TaskRow(row=row_no, code=code, values={"title": title}, action=SKIPPED, note=HEADING, area=area)
        errors_before = len(self.errors)
        row = TaskRow(row=row_no, code=self.text(row_no, values, "code"), area=self.area, key=self.key(row_no, values))
        for column in PLAIN:
            raw = self.raw(values, column.key)
            if column.required and _blank(raw):
                self.error(row_no, "ô bắt buộc, chưa nhập.", column.key)
                continue
            try:
                row.values[column.attr] = column.read(raw)
            except ValueError as problem:
                self.error(row_no, str(problem), column.key)
        leads, _ = self.units_cell(row_no, values, "lead")
        if len(leads) > 1:
            self.error(
                row_no,
                f"chỉ ghi một đơn vị chủ trì (đang có {len(leads)}: {'; '.join(u.name for u in leads)}); các đơn vị "
                "khác ghi ở cột Phối hợp.",
                "lead",
            )
        elif not leads and _blank(self.raw(values, "lead")):
            self.error(row_no, "ô bắt buộc, chưa nhập.", "lead")
        row.lead = leads[0] if leads else None
        row.coordinating, _ = self.units_cell(row_no, values, "coordinating")
        row.executing, rules = self.units_cell(row_no, values, "executing", rules_allowed=True)
        rule = combined_rule(rules)
        if rule is None:
            labels = "; ".join(ExecutingRule(r).label for r in sorted(rules))
            self.error(row_no, f"không thể kết hợp các nhóm đơn vị: {labels}.", "executing")
        else:
            row.executing_rule = rule
        self.time(row_no, values, row)
        self.completed(row_no, values, row)
        self.parent(row_no, values, row)
        return row if len(self.errors) == errors_before else None

    def is_example(self, values: tuple) -> bool:
        """The template's example row: marked “VÍ DỤ” in the key column, or (a template of before the mark) the
        example's own values left as they were."""
        if workbooks.key(self.raw(values, "key")) == workbooks.key(EXAMPLE_MARK):
            return True
        return all(
            workbooks.key(self.raw(values, c.key)) == workbooks.key(c.example)
            for c in COLUMNS
            if c.key != "key" and c.key in self.positions
        )

    def key(self, row_no: int, values: tuple) -> int | None:
        text = workbooks.one_line(self.raw(values, "key"))
        if not text:
            return None
        match = KEY_RE.fullmatch(workbooks.key(text))
        if match is None:
            self.error(
                row_no,
                f"“{text}” không phải là mã nhiệm vụ do hệ thống ghi (NV-…); dòng nhiệm vụ mới thì để trống ô này.",
                "key",
            )
            return None
        return int(match[1])

    def units_cell(self, row_no: int, values: tuple, key: str, rules_allowed: bool = False):
        """The units a cell names (in order, without repeats) and the executing rules its phrases name."""
        if key not in self.positions:
            return [], set()
        units: list[Organisation] = []
        rules: set[str] = set()
        for segment in re.split(r"[;\n]+", workbooks.text(self.raw(values, key))):
            tokens = _tokens(segment)
            i, unknown = 0, []
            while i < len(tokens):
                for span in range(min(MAX_UNIT_SPAN, len(tokens) - i), 0, -1):
                    phrase = ", ".join(tokens[i : i + span])
                    phrase_rules = named_rules(phrase)
                    if phrase_rules:
                        if rules_allowed:
                            rules |= phrase_rules
                        else:
                            self.error(
                                row_no,
                                f"“{phrase}” chỉ dùng được ở cột Thực hiện; ở cột này hãy ghi tên từng đơn vị.",
                                key,
                            )
                        break
                    unit, problem = self.units.find(phrase)
                    if problem:
                        self.error(row_no, problem, key)
                        break
                    if unit is not None:
                        if unit not in units:
                            units.append(unit)
                        break
                else:
                    unknown.append(tokens[i])
                    i += 1
                    continue
                self.unknown_units(row_no, key, unknown)
                unknown = []
                i += span
            self.unknown_units(row_no, key, unknown)
        return units, rules

    def unknown_units(self, row_no: int, key: str, tokens: list[str]) -> None:
        """Report names not found. Consecutive unknown pieces are first read as one name with commas in it."""
        if not tokens:
            return
        whole = ", ".join(tokens)
        if len(tokens) == 1 or self.units.suggest(whole):
            self.error(row_no, self.units.not_found(whole), key)
            return
        for token in tokens:
            self.error(row_no, self.units.not_found(token), key)

    def completed(self, row_no: int, values: tuple, row: TaskRow) -> None:
        """The completion day of a dated task (core.dates.legal_date: not after today, not before the plan)."""
        raw = self.raw(values, "completed")
        if _blank(raw):
            return
        try:
            day = read_date(raw)
        except ValueError as problem:
            self.error(row_no, str(problem), "completed")
            return
        if row.recurrence:
            self.error(row_no, "nhiệm vụ định kỳ: ghi ngày hoàn thành của từng kỳ trên trang nhiệm vụ.", "completed")
            return
        try:
            row.completed_on = legal_date(
                day, what="Ngày hoàn thành", after=[(self.plan.issued_on, "ngày ban hành kế hoạch")]
            )
        except ValidationError as refused:
            self.error(row_no, refused.messages[0], "completed")

    def parent(self, row_no: int, values: tuple, row: TaskRow) -> None:
        """The parent plan's task the row implements, by its STT there or its key (NV-…)."""
        if "parent" not in self.positions:
            return
        row.implements_read = True
        text = workbooks.one_line(self.raw(values, "parent"))
        if not text:
            return
        parent_plan = self.plan.parent_plan
        if parent_plan is None:
            self.error(row_no, "kế hoạch này không có kế hoạch cấp trên; hãy để trống cột này.", "parent")
            return
        if self.parent_tasks is None:
            self.parent_tasks = list(parent_plan.tasks.all())
        match = KEY_RE.fullmatch(workbooks.key(text))
        found = [
            t for t in self.parent_tasks if (t.pk == int(match[1]) if match else t.code.casefold() == text.casefold())
        ]
        if not found:
            self.error(
                row_no,
                f"“{text}” không phải STT hay mã (NV-…) của nhiệm vụ nào trong kế hoạch cấp trên “{parent_plan}”.",
                "parent",
            )
            return
        row.implements = found[0]

    def time(self, row_no: int, values: tuple, row: TaskRow) -> None:
        raw = self.raw(values, "time")
        if _blank(raw) and row.key is not None:
            return  # a task kept without a deadline (entered in the app) stays without one
        if _blank(raw):
            self.error(row_no, f"ô bắt buộc, chưa nhập; {TIME_HINT}", "time")
            return
        try:
            row.deadline, row.recurrence, row.recurrence_day = parse_time(raw)
        except ValueError as problem:
            self.error(row_no, str(problem), "time")
            return
        plan = self.plan
        if row.deadline and not plan.period_start <= row.deadline <= plan.period_end:
            self.error(
                row_no,
                f"thời hạn {row.deadline:%d/%m/%Y} nằm ngoài thời gian của kế hoạch "
                f"({plan.period_start:%d/%m/%Y} – {plan.period_end:%d/%m/%Y}).",
                "time",
            )

    # -- duplicates and existing tasks -------------------------------------------------------------------------

    def check_codes(self, rows: list[TaskRow]) -> None:
        first: dict[str, int] = {}
        keys: dict[int, int] = {}
        for row in rows:
            if row.action == SKIPPED:
                continue
            if row.key is not None and row.key in keys:
                self.error(row.row, f"Mã nhiệm vụ NV-{row.key} trùng với dòng {keys[row.key]}; mỗi mã một dòng.", "key")
            elif row.key is not None:
                keys[row.key] = row.row
            if not row.code:
                continue
            code = row.code.strip().casefold()
            if code in first:
                self.error(row.row, f"STT “{row.code}” trùng với dòng {first[code]}; mỗi nhiệm vụ một STT.", "code")
            else:
                first[code] = row.row

    def match_existing(self, rows: list[TaskRow]) -> None:
        """Each row to its task by key (never by STT); a new row's STT, and a renumbered one, must not be the STT
        of a task the file leaves as it is."""
        existing = {
            t.pk: t
            for t in self.plan.tasks.prefetch_related("coordinating", "executing", "assignments").select_related(
                "lead", "area", "implements"
            )
        }
        tasks = [r for r in rows if r.action != SKIPPED]
        unknown = set()
        for order, row in enumerate(tasks, start=1):
            row.order = order
            if row.key is None:
                row.action = CREATE
                row.changes = imports.changes({}, row.shown())
                continue
            task = existing.get(row.key)
            if task is None:
                unknown.add(row.row)
                self.error(
                    row.row,
                    f"mã NV-{row.key} không phải nhiệm vụ của kế hoạch này (tệp của kế hoạch khác, hoặc nhiệm vụ đã "
                    "xóa); dòng nhiệm vụ mới thì để trống ô này.",
                    "key",
                )
                continue
            row.task = task
            row.changes = imports.changes(task_shown(task), row.shown())
            row.action = UPDATE if row.changes else UNCHANGED
        kept = {t.code.strip().casefold(): t for pk, t in existing.items() if pk not in {r.key for r in tasks}}
        for row in tasks:
            other = kept.get(row.code.strip().casefold())
            if other is not None and row.row not in unknown:
                self.error(
                    row.row,
                    f"STT “{row.code}” là của nhiệm vụ “{other.title}” đã có trong kế hoạch (không có trong tệp). "
                    "Dòng không có Mã nhiệm vụ luôn là nhiệm vụ mới: để sửa nhiệm vụ đã có, hãy tải “Bảng nhiệm vụ "
                    "hiện có” của kế hoạch và sửa trên tệp đó; hoặc đổi STT.",
                    "code",
                )


def parse_workbook(file, *, plan: Plan) -> imports.ImportResult:
    """Read and validate every row (nothing is written)."""
    return imports.read(TaskImporter(plan), file)


def import_tasks(file, *, plan: Plan, by=None, dry_run: bool = False) -> imports.ImportResult:
    """Import the file's tasks into `plan`, all or nothing (core.imports.run): creates the rows without a key,
    updates the tasks whose key a row carries (tasks absent from the file are kept), and brings each task's
    assignments in line (task_save)."""
    return imports.run(TaskImporter(plan), file, by=by, dry_run=dry_run)


class TaskImporter:
    """A plan's task table for core.imports: one task a row, matched on the key the file carries."""

    purpose = "plans.task_import"
    noun = "nhiệm vụ"

    def __init__(self, plan: Plan):
        self.plan = self.about = plan

    def lock(self) -> None:
        """One import at a time per plan: the keys and codes matched stay valid until commit."""
        self.plan = self.about = Plan.objects.select_for_update().select_related("issuer").get(pk=self.plan.pk)

    def parse(self, wb, result: imports.ImportResult) -> None:
        _parse(wb, self.plan, result)

    def write(self, result: imports.ImportResult, *, by) -> None:
        rows = [r for r in result.rows if r.action in {CREATE, UPDATE}]
        _free_codes(rows)
        for row in rows:
            try:
                _apply(row, plan=self.plan, by=by)
            except ValidationError as error:
                raise RowFailed(row.row, error.messages) from None


def _parse(wb, plan: Plan, result: imports.ImportResult) -> None:
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    parser = _Parser(plan)
    rows_iter = ws.iter_rows(values_only=True)
    head: list[tuple[int, tuple]] = []
    for row_no, values in enumerate(rows_iter, start=1):
        head.append((row_no, values))
        if row_no >= HEADER_SCAN_ROWS:
            break
    filled = [(n, v) for n, v in head if not all(_blank(x) for x in v)]
    if not filled:
        result.errors.append(RowError(None, "Tệp không có dữ liệu (sheet đầu tiên trống). Hãy dùng mẫu nhập."))
        return
    header_no, header = max(filled, key=lambda nv: (parser.header_score(nv[1]), -nv[0]))
    if parser.header_score(header) == 0:
        header_no, header = filled[0]
    if not parser.read_headers(header_no, header):
        result.errors.extend(parser.errors)
        return

    def data_rows():
        yield from ((n, v) for n, v in head if n > header_no)
        yield from enumerate(rows_iter, start=len(head) + 1)

    rows: list[TaskRow] = []
    for row_no, values in data_rows():
        if all(_blank(v) for v in values):
            continue
        if row_no > MAX_ROWS + header_no:
            parser.error(
                row_no, f"tệp có quá {workbooks.format_number(MAX_ROWS)} dòng dữ liệu; hãy chia thành nhiều tệp."
            )
            break
        if not rows and parser.is_numbering(values):
            continue
        row = parser.read_row(row_no, values)
        if row is not None:
            rows.append(row)
    parser.check_codes(rows)
    if not any(r.action != SKIPPED for r in rows) and not parser.errors:
        parser.error(None, f"Tệp không có dòng nhiệm vụ nào (dữ liệu bắt đầu từ dòng {header_no + 1}).")
    if not parser.errors:
        parser.match_existing(rows)
    result.rows, result.errors = rows, parser.errors


# --------------------------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------------------------


def _free_codes(rows: list[TaskRow]) -> None:
    """Renumbered tasks may take each other's STT (1 ↔ 2): before the rows are saved one by one, their tasks'
    old STT are set aside, so that no save meets another task's old number (the unique STT per plan). A
    placeholder within the transaction only: every such task is saved with its new STT right after, through the
    model, whose audit entry records the old STT → the new one."""
    moved = [r.task.pk for r in rows if r.task is not None and r.task.code != r.code]
    if moved:
        Task.objects.filter(pk__in=moved).update(code=Concat(Value("~"), Cast("pk", CharField())))


def _apply(row: TaskRow, *, plan: Plan, by) -> None:
    task = row.task or Task(plan=plan)
    task.plan = plan
    task.code = row.code
    for name, value in row.values.items():
        setattr(task, name, value)
    task.lead = row.lead
    task.executing_rule = row.executing_rule
    task.deadline = row.deadline
    task.recurrence = row.recurrence
    task.recurrence_day = row.recurrence_day
    task.order = row.order
    if row.area is not None:  # a file without area headings keeps the areas set in the app
        task.area = row.area
    if row.implements_read:
        task.implements = row.implements
    row.task = services.task_save(task=task, coordinating=row.coordinating, executing=row.executing, by=by)
    if row.completed_on:  # history entered in bulk: every unit of the task completed it on that day
        for part in row.task.assignments.exclude(completed_on=row.completed_on):
            services.assignment_report(assignment=part, progress=100, report=part.report, completed_on=row.completed_on)
