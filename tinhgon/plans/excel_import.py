"""Import a plan's task table from .xlsx (the table of tasks every Vietnamese plan ends with).

- `build_template()`: sheet "Nhiệm vụ" (the headers and one example row) and a "Hướng dẫn" sheet.
- `parse_workbook()`: reads and validates every row without writing: units are matched by code or by name among
  the current units of the plan's province, the time column becomes a deadline or a recurrence; the result lists
  each row with what importing it would do, or every error (row, column, Vietnamese message).
- `import_tasks()`: writes the rows in one transaction through `services.task_save` (which expands assignments),
  all or nothing. Rows are matched to the plan's tasks by STT (Task.code): importing the same file twice creates
  no duplicates.

File safety (type, size, encryption, zip bombs, row bombs, entity declarations) is core.uploads.check_workbook;
the cell readers are core.workbooks'; the styles and the row limit are the procedure registry's
(tinhgon/procedures/excel.py).
"""

import calendar
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import transaction

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tinhgon.core import workbooks
from tinhgon.core.dates import legal_date
from tinhgon.core.uploads import UploadRefused, check_workbook, max_upload_bytes
from tinhgon.organisations.models import Organisation
from tinhgon.plans import services
from tinhgon.plans.constants import ExecutingRule, Recurrence
from tinhgon.plans.models import Plan, ReformArea, Task
from tinhgon.procedures.excel import BOLD, HEADER_FILL, MAX_ROWS, WRAP, RowError

SHEET = "Nhiệm vụ"
HELP_SHEET = "Hướng dẫn"
HEADER_SCAN_ROWS = 10  # the header row may sit below a title ("KẾ HOẠCH …", "Phụ lục …")
MAX_SUGGESTIONS = 3
SUGGESTION_CUTOFF = 0.6
MAX_UNIT_SPAN = 8  # a unit name or a rule phrase may itself contain commas ("Sở Văn hóa, Thể thao và Du lịch")


# --------------------------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    width: int
    aliases: tuple[str, ...] = ()
    help: str = ""
    example: str = ""


COLUMNS = [
    Column(
        "code",
        "STT",
        True,
        8,
        ("số TT", "số thứ tự", "TT", "mã", "mã nhiệm vụ"),
        "Số thứ tự của nhiệm vụ trong kế hoạch (1, 2, 1.1, II.3…), không trùng nhau. Nhập lại tệp sẽ cập nhật "
        "nhiệm vụ có cùng STT.",
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
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
HEADER_KEYS: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        HEADER_KEYS[workbooks.key(_name)] = _column
MAX_LENGTHS = {"code": 20, "title": 1000, "product": 500}


# --------------------------------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------------------------------


@dataclass
class TaskRowError(RowError):
    """A problem in the file, worded “Dòng 5, cột Phối hợp: …” (the column by its header, as users read it)."""

    def __str__(self) -> str:
        column = self.header or self.column
        if self.row is None:
            return f"Cột {column}: {self.message}" if column else self.message
        if column:
            return f"Dòng {self.row}, cột {column}: {self.message}"
        return f"Dòng {self.row}: {self.message}"


CREATE, UPDATE, UNCHANGED, HEADING = "create", "update", "unchanged", "heading"
ACTION_LABELS = {CREATE: "tạo mới", UPDATE: "cập nhật", UNCHANGED: "không đổi", HEADING: "tiêu đề nhóm, bỏ qua"}
RECURRENCE_LABELS = dict(Recurrence.choices)


@dataclass
class TaskRow:
    row: int
    code: str
    title: str
    lead: Organisation | None = None
    coordinating: list[Organisation] = field(default_factory=list)
    executing: list[Organisation] = field(default_factory=list)
    executing_rule: str = ""
    deadline: date | None = None
    recurrence: str = ""
    recurrence_day: int | None = None
    product: str = ""
    completed_on: date | None = None  # done in fact on that day (history entered in bulk)
    area: ReformArea | None = None  # from the last group heading naming a reform area
    order: int = 0
    action: str = CREATE
    task: Task | None = None

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def time_label(self) -> str:
        if self.recurrence:
            day = f", trước ngày {self.recurrence_day}" if self.recurrence_day else ""
            return f"{RECURRENCE_LABELS[self.recurrence]}{day}"
        return f"{self.deadline:%d/%m/%Y}" if self.deadline else ""

    @property
    def coordinating_label(self) -> str:
        return "; ".join(u.name for u in self.coordinating)

    @property
    def executing_label(self) -> str:
        names = [u.name for u in self.executing]
        if self.executing_rule:
            names.append(ExecutingRule(self.executing_rule).label)
        return "; ".join(names)


@dataclass
class TaskImportResult:
    rows: list[TaskRow] = field(default_factory=list)
    errors: list[TaskRowError] = field(default_factory=list)
    dry_run: bool = True
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def tasks(self) -> list[TaskRow]:
        return [r for r in self.rows if r.action != HEADING]

    def count(self) -> None:
        self.created = sum(r.action == CREATE for r in self.rows)
        self.updated = sum(r.action == UPDATE for r in self.rows)
        self.unchanged = sum(r.action == UNCHANGED for r in self.rows)
        self.skipped = sum(r.action == HEADING for r in self.rows)

    def summary(self) -> str:
        verb = "Chạy thử (chưa ghi gì): sẽ" if self.dry_run else "Đã"
        return (
            f"{verb} tạo mới {self.created}, cập nhật {self.updated}, không đổi {self.unchanged} nhiệm vụ "
            f"({len(self.tasks)} dòng nhiệm vụ)."
        )


# --------------------------------------------------------------------------------------------------------------
# Template
# --------------------------------------------------------------------------------------------------------------


def build_template() -> bytes:
    """The import template as .xlsx bytes: sheet "Nhiệm vụ" (headers, one example row) and "Hướng dẫn"."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([c.header for c in COLUMNS])
    for i, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.append([c.example for c in COLUMNS])
    for cell in ws[2]:
        cell.alignment = WRAP
        cell.font = Font(italic=True, color="595959")
    ws.freeze_panes = "A2"

    help_ws = wb.create_sheet(HELP_SHEET)
    for letter, width in zip("ABCDE", (8, 16, 10, 80, 40), strict=True):
        help_ws.column_dimensions[letter].width = width
    help_ws.append(["HƯỚNG DẪN NHẬP BẢNG NHIỆM VỤ CỦA KẾ HOẠCH TỪ EXCEL"])
    help_ws["A1"].font = Font(bold=True, size=13)
    rules = [
        f"Mỗi dòng của sheet “{SHEET}” là một nhiệm vụ. Dòng 2 là ví dụ: hãy ghi đè hoặc xóa trước khi nhập. "
        "Tiêu đề cột so khớp không phân biệt hoa thường, có dấu hay không dấu; có thể thêm cột khác (bị bỏ qua).",
        f"Tệp phải là .xlsx, không đặt mật khẩu, dung lượng không quá {workbooks.mb(max_upload_bytes())}, tối đa "
        f"{workbooks.format_number(MAX_ROWS)} dòng.",
        "Nhập theo nguyên tắc “tất cả hoặc không”: hệ thống kiểm tra toàn bộ tệp và cho xem trước; chỉ cần một lỗi "
        "thì không dòng nào được ghi. Danh sách lỗi ghi rõ dòng, cột và cách sửa.",
        "Nhập lại tệp cập nhật các nhiệm vụ có cùng STT, tạo mới nhiệm vụ có STT chưa có; nhiệm vụ không có trong "
        "tệp được giữ nguyên. Nhập lại cùng một tệp không tạo nhiệm vụ trùng.",
        "Đơn vị được tìm trong các đơn vị đang hoạt động thuộc tỉnh của cơ quan ban hành kế hoạch, theo mã, tên "
        "hoặc tên viết tắt. Nếu không tìm thấy, hệ thống gợi ý các tên gần giống.",
        "Dòng chỉ có STT và tên (không có Chủ trì, Phối hợp, Thực hiện, Thời gian, Sản phẩm) được coi là tiêu đề "
        "nhóm nhiệm vụ và bỏ qua. Tiêu đề nhóm là tên một lĩnh vực cải cách hành chính (“II. CẢI CÁCH THỂ CHẾ”, "
        "“Cải cách thủ tục hành chính”…) gán lĩnh vực đó cho các nhiệm vụ bên dưới, đến tiêu đề lĩnh vực tiếp theo.",
    ]
    help_ws.append([])
    help_ws.append(["Quy định chung"])
    help_ws.cell(row=help_ws.max_row, column=1).font = BOLD
    for i, rule in enumerate(rules, start=1):
        help_ws.append([f"{i}.", rule])
        help_ws.merge_cells(start_row=help_ws.max_row, start_column=2, end_row=help_ws.max_row, end_column=5)
        help_ws.cell(row=help_ws.max_row, column=2).alignment = WRAP
        help_ws.row_dimensions[help_ws.max_row].height = 32
    help_ws.append([])
    help_ws.append(["Cột", "Tiêu đề", "Bắt buộc", "Cách nhập", "Ví dụ"])
    for cell in help_ws[help_ws.max_row]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for i, column in enumerate(COLUMNS, start=1):
        help_ws.append(
            [get_column_letter(i), column.header, "Có" if column.required else "", column.help, column.example]
        )
        for cell in help_ws[help_ws.max_row]:
            cell.alignment = WRAP
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


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


def _unit_key(text: str) -> str:
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


def _rules(phrase: str) -> set[str] | None:
    """The executing rules a phrase names (“Các sở, ban, ngành” …), or None when it names none."""
    key = _unit_key(phrase)
    for pattern, rules in RULE_PATTERNS:
        if pattern.fullmatch(key):
            return set(rules)
    return None


def _combined_rule(rules: set[str]) -> str | None:
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
                key = _unit_key(name)
                if unit not in self.by_name[key]:
                    self.by_name[key].append(unit)
                self.display.setdefault(key, unit.name)

    def find(self, text: str) -> tuple[Organisation | None, str]:
        """(unit, "") when found; (None, problem) when the name is ambiguous; (None, "") when not found."""
        unit = self.by_code.get(text.strip().upper())
        if unit is not None:
            return unit, ""
        found = self.by_name.get(_unit_key(text), [])
        if len(found) > 1:
            found = [u for u in found if u.pk in self.under_issuer] or found
        if len(found) == 1:
            return found[0], ""
        if found:
            codes = ", ".join(u.code for u in found)
            return None, f"có nhiều đơn vị tên “{text}” (mã {codes}); hãy ghi mã đơn vị."
        return None, ""

    def suggest(self, text: str) -> list[str]:
        close = difflib.get_close_matches(_unit_key(text), list(self.display), n=MAX_SUGGESTIONS * 2, cutoff=0.0)
        close = [k for k in close if difflib.SequenceMatcher(None, _unit_key(text), k).ratio() >= SUGGESTION_CUTOFF]
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
    "“6 tháng”, “Hằng năm” (có thể thêm “trước ngày 15”)."
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_time(value) -> tuple[date | None, str, int | None]:
    """(deadline, recurrence, recurrence day) from a cell of the time column; ValueError(message) otherwise."""
    if isinstance(value, datetime):
        return value.date(), "", None
    if isinstance(value, date):
        return value, "", None
    text = workbooks.one_line(value)
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
        self.errors: list[TaskRowError] = []
        self.positions: dict[str, int] = {}
        self.headers: list[str] = []

    def error(self, row: int | None, message: str, key: str = "") -> None:
        if key:
            index = self.positions[key]
            self.errors.append(TaskRowError(row, message, get_column_letter(index + 1), COLUMN_BY_KEY[key].header))
        else:
            self.errors.append(TaskRowError(row, message))

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
                    TaskRowError(
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
                TaskRowError(
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
        rest = ("lead", "coordinating", "executing", "time", "product", "completed")
        return all(_blank(self.raw(values, k)) for k in rest) and not _blank(self.raw(values, "title"))

    @staticmethod
    def is_numbering(values: tuple) -> bool:
        """The “(1) (2) (3) …” line that often follows the header row of an official table."""
        cells = [workbooks.one_line(v) for v in values if not _blank(v)]
        return bool(cells) and all(re.fullmatch(r"\(?\d{1,2}\)?", c) for c in cells)

    def read_row(self, row_no: int, values: tuple) -> TaskRow | None:
        if self.is_heading(values):
            code, title = workbooks.one_line(self.raw(values, "code")), workbooks.one_line(self.raw(values, "title"))
            self.area = self.areas.get(_area_key(title), self.area)  # a sub-heading keeps its area's
            return TaskRow(row=row_no, code=code, title=title, action=HEADING, area=self.areas.get(_area_key(title)))
        errors_before = len(self.errors)
        code = self.text(row_no, values, "code")
        title = self.text(row_no, values, "title")
        product = self.text(row_no, values, "product")
        row = TaskRow(row=row_no, code=code, title=title, product=product, area=self.area)
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
        rule = _combined_rule(rules)
        if rule is None:
            labels = "; ".join(ExecutingRule(r).label for r in sorted(rules))
            self.error(row_no, f"không thể kết hợp các nhóm đơn vị: {labels}.", "executing")
        else:
            row.executing_rule = rule
        self.time(row_no, values, row)
        self.completed(row_no, values, row)
        return row if len(self.errors) == errors_before else None

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
                    named_rules = _rules(phrase)
                    if named_rules:
                        if rules_allowed:
                            rules |= named_rules
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

    def time(self, row_no: int, values: tuple, row: TaskRow) -> None:
        raw = self.raw(values, "time")
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

    def completed(self, row_no: int, values: tuple, row: TaskRow) -> None:
        """The completion day of a dated task (core.dates.legal_date: not after today, not before the plan)."""
        raw = self.raw(values, "completed")
        if _blank(raw):
            return
        day = raw.date() if isinstance(raw, datetime) else raw
        if not isinstance(day, date):
            match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", workbooks.one_line(raw))
            try:
                day = date(*(int(g) for g in reversed(match.groups()))) if match else None
            except ValueError:
                day = None
        if day is None:
            self.error(row_no, f"“{workbooks.one_line(raw)}” không phải là ngày dd/mm/yyyy.", "completed")
        elif row.recurrence:
            self.error(row_no, "nhiệm vụ định kỳ: ghi ngày hoàn thành của từng kỳ trên trang nhiệm vụ.", "completed")
        else:
            try:
                row.completed_on = legal_date(
                    day, what="Ngày hoàn thành", after=[(self.plan.issued_on, "ngày ban hành kế hoạch")]
                )
            except ValidationError as refused:
                self.error(row_no, refused.messages[0], "completed")

    # -- duplicates and existing tasks -------------------------------------------------------------------------

    def check_codes(self, rows: list[TaskRow]) -> None:
        first: dict[str, int] = {}
        for row in rows:
            if not row.code:
                continue
            key = row.code.strip().casefold()
            if key in first:
                self.error(row.row, f"STT “{row.code}” trùng với dòng {first[key]}; mỗi nhiệm vụ một STT.", "code")
            else:
                first[key] = row.row

    def match_existing(self, rows: list[TaskRow]) -> None:
        existing = {
            t.code.strip().casefold(): t
            for t in self.plan.tasks.prefetch_related("coordinating", "executing").select_related("lead")
        }
        for order, row in enumerate((r for r in rows if r.action != HEADING), start=1):
            row.order = order
            task = existing.get(row.code.strip().casefold())
            if task is None:
                row.action = CREATE
                continue
            row.task = task
            row.action = UNCHANGED if _same(task, row) else UPDATE


def _same(task: Task, row: TaskRow) -> bool:
    return (
        task.title == row.title
        and task.lead_id == row.lead.pk
        and {u.pk for u in task.coordinating.all()} == {u.pk for u in row.coordinating}
        and {u.pk for u in task.executing.all()} == {u.pk for u in row.executing}
        and task.executing_rule == row.executing_rule
        and task.deadline == row.deadline
        and task.recurrence == row.recurrence
        and task.recurrence_day == row.recurrence_day
        and task.product == row.product
        and task.order == row.order
        and (row.area is None or task.area_id == row.area.pk)
        and (row.completed_on is None or all(a.completed_on == row.completed_on for a in task.assignments.all()))
    )


def parse_workbook(file, *, plan: Plan) -> TaskImportResult:
    """Read and validate every row (nothing is written)."""
    result = TaskImportResult()
    try:
        check_workbook(file)
        wb = workbooks.open_workbook(file)
    except UploadRefused as refused:
        result.errors.append(TaskRowError(None, " ".join(refused.messages)))
        return result
    try:
        _parse(wb, plan, result)
    finally:
        wb.close()
    result.count()
    return result


def _parse(wb, plan: Plan, result: TaskImportResult) -> None:
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
        result.errors.append(TaskRowError(None, "Tệp không có dữ liệu (sheet đầu tiên trống). Hãy dùng mẫu nhập."))
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
    if not any(r.action != HEADING for r in rows) and not parser.errors:
        parser.error(None, f"Tệp không có dòng nhiệm vụ nào (dữ liệu bắt đầu từ dòng {header_no + 1}).")
    if not parser.errors:
        parser.match_existing(rows)
    result.rows, result.errors = rows, parser.errors


# --------------------------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------------------------


def import_tasks(file, *, plan: Plan, by=None, dry_run: bool = False) -> TaskImportResult:
    """Import the file's tasks into `plan`, all or nothing: creates tasks whose STT is new, updates those whose STT
    exists (tasks absent from the file are kept), and brings each task's assignments in line (task_save)."""
    with transaction.atomic():
        if not dry_run:  # one import at a time per plan: the codes matched below stay valid until commit
            plan = Plan.objects.select_for_update().select_related("issuer").get(pk=plan.pk)
        result = parse_workbook(file, plan=plan)
        result.dry_run = dry_run
        if dry_run or not result.ok:
            return result
        current = None
        try:
            with transaction.atomic():
                for current in result.rows:
                    _apply(current, plan=plan, by=by)
        except ValidationError as error:
            result.errors.append(TaskRowError(current.row if current else None, " ".join(error.messages)))
    return result


def _apply(row: TaskRow, *, plan: Plan, by) -> None:
    if row.action in {HEADING, UNCHANGED}:
        return
    task = row.task or Task(plan=plan, code=row.code)
    task.plan = plan
    task.title = row.title
    task.lead = row.lead
    task.executing_rule = row.executing_rule
    task.deadline = row.deadline
    task.recurrence = row.recurrence
    task.recurrence_day = row.recurrence_day
    task.product = row.product
    task.order = row.order
    if row.area is not None:  # a file without area headings keeps the areas set in the app
        task.area = row.area
    row.task = services.task_save(task=task, coordinating=row.coordinating, executing=row.executing, by=by)
    if row.completed_on:
        for part in row.task.assignments.exclude(completed_on=row.completed_on):
            services.assignment_report(assignment=part, progress=100, report=part.report, completed_on=row.completed_on)
