"""Excel in and out of the procedure registry.

- `build_template()`: the import template (sheet "Thủ tục", drop-down lists fed by a hidden "Danh mục" sheet, and
  a "Hướng dẫn" sheet explaining every column).
- the import is core.imports' flow (file checks, preview with before → after, confirm once, all or nothing) with
  `RegistryImporter` giving the rows: `parse_workbook()` reads and validates every row without writing;
  `import_procedures()` writes them in one transaction. Rows are matched to existing procedures by code, so
  importing the same file twice changes nothing.
- `write_import_layout()`: the registry in the template's layout with every component (steps, dossier, bodies,
  forms, legal bases, processing time with its cases): importing it back changes nothing (`cells()` writes each
  value as the parser reads it).
- `export_rows()` / `write_export()`: the registry as an inventory spreadsheet, written in openpyxl's
  write-only mode to a temporary file (memory stays flat), text cells neutralised against formula injection.
"""

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Prefetch, Value, When

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tinhgon.core import imports, workbooks
from tinhgon.core.dates import today
from tinhgon.core.formatting import number
from tinhgon.core.imports import CREATE, SKIPPED, UNCHANGED, UPDATE, RowError, RowFailed
from tinhgon.core.uploads import max_upload_bytes
from tinhgon.core.workbooks import WRAP
from tinhgon.organisations.models import Organisation
from tinhgon.procedures import processing_time
from tinhgon.procedures.constants import EDITABLE, Channel, Group, Level, Status, TimeUnit
from tinhgon.procedures.models import Field, Procedure, ProcedureForm, ProcedureVersion
from tinhgon.procedures.services import (
    PART_MODELS,
    Components,
    ItemInvalid,
    NewProcedure,
    procedures_create_many,
    version_start_next,
    version_update,
)

MAX_ROWS = 10_000  # data rows; core.uploads also limits the rows of every sheet, blank ones included

SHEET = "Thủ tục"
LISTS_SHEET = "Danh mục"
HELP_SHEET = "Hướng dẫn"


# --------------------------------------------------------------------------------------------------------------
# Columns of the import template
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int
    required: bool = False
    help: str = ""
    example: str = ""

    @property
    def header(self) -> str:
        return f"{self.label}*" if self.required else self.label


STEP_FORMAT = "Chủ thể | Nội dung | Thời gian"
DOSSIER_FORMAT = "Tên giấy tờ | bản chính | bản sao | bản sao chứng thực | khai thác dữ liệu (có/không)"
LEGAL_FORMAT = "Số | dd/mm/yyyy | Cơ quan ban hành | Trích yếu | Điều, khoản"

COLUMNS = [
    Column(
        "code",
        "Mã thủ tục",
        16,
        help="Mã thủ tục trong hệ thống. Để trống khi thêm mới: hệ thống tự sinh mã theo cơ quan (ví dụ P-A-001). "
        "Khi nhập lại để cập nhật, ghi đúng mã đã có.",
        example="1.0001",
    ),
    Column(
        "national_code",
        "Mã CSDL quốc gia",
        16,
        help="Mã thủ tục trên Cơ sở dữ liệu quốc gia về TTHC (nếu có).",
        example="2.002215",
    ),
    Column(
        "name",
        "Tên thủ tục",
        45,
        True,
        help="Tên đầy đủ của thủ tục (tối đa 500 ký tự).",
        example="Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh",
    ),
    Column(
        "group",
        "Nhóm",
        8,
        True,
        help="A: giữa các cơ quan hành chính nhà nước; B: trong 01 cơ quan hành chính nhà nước. Chọn trong danh sách.",
        example="A",
    ),
    Column(
        "level",
        "Cấp thực hiện",
        22,
        True,
        help="Chọn trong danh sách: " + "; ".join(Level.labels) + ".",
        example="Cấp tỉnh",
    ),
    Column(
        "field",
        "Lĩnh vực",
        28,
        True,
        help="Tên lĩnh vực, chọn trong danh sách (sheet “Danh mục”).",
        example="Thi đua - Khen thưởng",
    ),
    Column(
        "channels",
        "Cách thức thực hiện",
        28,
        help="Một hoặc nhiều cách, cách nhau bằng dấu phẩy hoặc xuống dòng: " + "; ".join(Channel.labels) + ".",
        example="Trực tiếp, Qua dịch vụ bưu chính",
    ),
    Column(
        "steps",
        "Trình tự thực hiện",
        50,
        help=f"Mỗi bước một dòng trong ô (Alt+Enter để xuống dòng), dạng “{STEP_FORMAT}”. Nội dung là bắt buộc; "
        "chủ thể và thời gian có thể để trống nhưng vẫn giữ dấu |.",
        example="Cơ quan đề nghị | Lập hồ sơ, gửi Sở Nội vụ | \n"
        "Sở Nội vụ | Thẩm định, trình Chủ tịch UBND tỉnh | 15 ngày\n"
        "Chủ tịch UBND tỉnh | Xem xét, quyết định | 05 ngày",
    ),
    Column(
        "dossier_items",
        "Thành phần hồ sơ",
        50,
        help=f"Mỗi giấy tờ một dòng trong ô, dạng “{DOSSIER_FORMAT}”. Số lượng là số nguyên 0–99; có thể chỉ "
        "ghi tên giấy tờ (hiểu là 01 bản chính); phần bỏ trống ở cuối hiểu là 0 / không.",
        example="Tờ trình đề nghị khen thưởng | 1 | 0 | 0 | không\nBáo cáo thành tích | 1 | 0 | 0 | không",
    ),
    Column("dossier_sets", "Số bộ hồ sơ", 10, help="Số nguyên 0–99; để trống là 01 bộ.", example="1"),
    Column(
        "processing_time_value",
        "Thời hạn giải quyết",
        12,
        help="Ghi như quyết định công bố (ví dụ “10 - 20 ngày”, “Trong ngày”, “20 ngày; trường hợp phải xác minh: "
        "55 ngày”), hoặc một số từ 0 đến 3650, tối đa một chữ số thập phân, kèm cột đơn vị.",
        example="20",
    ),
    Column(
        "processing_time_unit",
        "Đơn vị thời hạn",
        16,
        help="Khi cột thời hạn là một số: chọn trong danh sách: "
        + "; ".join(TimeUnit.labels)
        + ". Để trống là “ngày làm việc”.",
        example="ngày làm việc",
    ),
    Column("performers", "Đối tượng thực hiện", 30, help="Văn bản tự do.", example="Các sở, ban, ngành; UBND cấp xã"),
    Column("authority", "Cơ quan có thẩm quyền quyết định", 30, help="Văn bản tự do.", example="Chủ tịch UBND tỉnh"),
    Column("performing_body", "Cơ quan trực tiếp thực hiện", 30, help="Văn bản tự do.", example="Sở Nội vụ"),
    Column("coordinating_bodies", "Cơ quan phối hợp", 30, help="Văn bản tự do; có thể để trống."),
    Column("result", "Kết quả thực hiện", 30, help="Văn bản tự do.", example="Quyết định tặng Bằng khen"),
    Column("fees", "Phí, lệ phí", 16, help="Văn bản tự do (thường là “Không”).", example="Không"),
    Column("conditions", "Yêu cầu, điều kiện", 30, help="Văn bản tự do; có thể để trống."),
    Column(
        "legal_bases",
        "Căn cứ pháp lý",
        50,
        help=f"Mỗi văn bản một dòng trong ô, dạng “{LEGAL_FORMAT}”. Số hiệu là bắt buộc; ngày ghi dd/mm/yyyy "
        "hoặc để trống.",
        example="06/2022/QH15 | 15/06/2022 | Quốc hội | Luật Thi đua, khen thưởng | Điều 84",
    ),
    Column(
        "executions_per_year",
        "Số lần thực hiện/năm",
        12,
        help="Số lần một đối tượng thực hiện trong năm: số nguyên 0–10.000.",
        example="1",
    ),
    Column(
        "subjects_per_year",
        "Số đối tượng/năm",
        12,
        help="Số đối tượng thực hiện trong năm: số nguyên 0–10.000.000.",
        example="120",
    ),
    Column(
        "forms",
        "Mẫu đơn, tờ khai",
        40,
        help="Tên mỗi mẫu đơn, tờ khai một dòng trong ô. Tệp mẫu đơn (nếu có) tải lên trên trang thủ tục; nhập lại "
        "giữ tệp của mẫu có cùng tên.",
        example="Mẫu số 01: Tờ trình đề nghị khen thưởng",
    ),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

# Integer columns: (min, max, value when the cell is empty)
INTEGER_RANGES = {
    "dossier_sets": (0, 99, 1),
    "executions_per_year": (0, 10_000, None),
    "subjects_per_year": (0, 10_000_000, None),
}
PROCESSING_TIME_MAX = 3650
PART_COUNT_MAX = 99
MAX_LENGTHS = {"code": 60, "national_code": 60, "name": 500}
FORM_NAME_MAX = 300
STEP_LENGTHS = {"actor": 300, "duration": 100}
DOSSIER_NAME_MAX = 500
LEGAL_LENGTHS = {"number": 100, "issuer": 300, "title": 500, "article": 200}


HEADER_KEYS = {workbooks.key(c.label): c for c in COLUMNS}

GROUP_KEYS = {}
for _value, _label in Group.choices:
    GROUP_KEYS.update(
        {workbooks.key(_value): _value, workbooks.key(f"Nhóm {_value}"): _value, workbooks.key(_label): _value}
    )

LEVEL_KEYS = {}
for _value, _label in Level.choices:
    LEVEL_KEYS.update(
        {
            workbooks.key(_value): _value,
            workbooks.key(_label): _value,
            workbooks.key(_label.removeprefix("Cấp ")): _value,
        }
    )
LEVEL_KEYS[workbooks.key("huyện")] = LEVEL_KEYS[workbooks.key("cấp huyện")] = Level.DISTRICT

UNIT_KEYS = {}
for _value, _label in TimeUnit.choices:
    UNIT_KEYS.update({workbooks.key(_value): _value, workbooks.key(_label): _value})

CHANNEL_KEYS = {}
for _value, _label in Channel.choices:
    CHANNEL_KEYS.update({workbooks.key(_value): _value, workbooks.key(_label): _value})
CHANNEL_KEYS.update(
    {
        workbooks.key(alias): value
        for alias, value in [
            ("bưu chính", Channel.POST),
            ("qua bưu chính", Channel.POST),
            ("dịch vụ bưu chính", Channel.POST),
            ("bưu chính công ích", Channel.POST),
            ("trực tuyến", Channel.ONLINE),
            ("điện tử", Channel.ONLINE),
            ("qua hệ thống điện tử", Channel.ONLINE),
            ("hệ thống điện tử", Channel.ONLINE),
        ]
    }
)

YES = {"co", "x", "1", "true", "yes", "c"}
NO = {"", "khong", "0", "false", "no", "k"}

DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


# --------------------------------------------------------------------------------------------------------------
# Rows of an import (the flow, the result and the errors are core.imports')
# --------------------------------------------------------------------------------------------------------------

NEW_VERSION = "new_version"


@dataclass(kw_only=True)
class ImportRow(imports.Row):
    row: int
    code: str
    national_code: str
    components: Components
    forms: list[str] = field(default_factory=list)
    code_generated: bool = False
    procedure: Procedure | None = None
    latest: ProcedureVersion | None = None
    content_changed: bool = True
    forms_changed: bool = False
    national_code_changed: bool = False

    @property
    def name(self) -> str:
        return self.components.fields["name"]

    label = name

    @property
    def action_label(self) -> str:
        if self.action == NEW_VERSION:
            return "cập nhật (tạo dự thảo phiên bản mới)"
        return super().action_label


# --------------------------------------------------------------------------------------------------------------
# Template
# --------------------------------------------------------------------------------------------------------------

BOLD, HEADER_FILL = imports.BOLD, imports.HEADER_FILL  # the reviews' and reports' workbooks use them too


def build_template() -> bytes:
    """The import template as .xlsx bytes: sheet "Thủ tục" (headers, drop-downs), "Hướng dẫn", hidden "Danh mục"."""
    buffer = BytesIO()
    import_workbook().save(buffer)
    return buffer.getvalue()


def import_workbook() -> Workbook:
    """The import layout: sheet "Thủ tục" with the headers and drop-downs, "Hướng dẫn", hidden "Danh mục"; the
    template is it empty, the export in import layout appends the registry's rows to it."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    imports.header_row(ws, COLUMNS)

    fields = list(Field.objects.filter(is_active=True).order_by("name").values_list("name", flat=True))
    _help_sheet(wb.create_sheet(HELP_SHEET), fields)
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    ranges = {}
    for col, (title, values) in enumerate(
        [
            ("Lĩnh vực", fields),
            ("Cấp thực hiện", list(Level.labels)),
            ("Đơn vị thời hạn", list(TimeUnit.labels)),
            ("Cách thức thực hiện", list(Channel.labels)),
            ("Nhóm", list(Group.values)),
        ],
        start=1,
    ):
        letter = get_column_letter(col)
        lists.cell(row=1, column=col, value=title).font = BOLD
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=col, value=value)
        lists.column_dimensions[letter].width = 40
        ranges[title] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${max(len(values), 1) + 1}"

    last = MAX_ROWS + 1
    for key, source in [
        ("group", ranges["Nhóm"]),
        ("level", ranges["Cấp thực hiện"]),
        ("field", ranges["Lĩnh vực"]),
        ("processing_time_unit", ranges["Đơn vị thời hạn"]),
    ]:
        column = COLUMN_BY_KEY[key]
        letter = get_column_letter(COLUMNS.index(column) + 1)
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=not column.required,
            showErrorMessage=True,
            errorTitle="Giá trị không hợp lệ",
            error=f"Hãy chọn “{column.label}” trong danh sách.",
            showInputMessage=True,
            promptTitle=column.label,
            prompt="Chọn trong danh sách.",
        )
        validation.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(validation)
    return wb


def _help_sheet(ws, fields: list[str]) -> None:
    rules = [
        f"Mỗi dòng của sheet “{SHEET}” là một thủ tục, bắt đầu từ dòng 2. Không đổi tên, thứ tự hoặc tiêu đề cột "
        "ở dòng 1. Cột có dấu * là bắt buộc.",
        f"Tệp phải là .xlsx, không đặt mật khẩu, dung lượng không quá {workbooks.mb(max_upload_bytes())}, "
        f"tối đa {number(MAX_ROWS)} dòng.",
        "Nhập theo nguyên tắc “tất cả hoặc không”: hệ thống kiểm tra toàn bộ tệp trước; chỉ cần một lỗi thì không "
        "dòng nào được ghi. Danh sách lỗi ghi rõ dòng, cột và cách sửa.",
        "Nhập lại tệp sẽ cập nhật theo Mã thủ tục: mã đã có của cơ quan thì cập nhật (nếu phiên bản mới nhất đã "
        "công bố thì tạo dự thảo phiên bản mới), mã chưa có thì tạo mới. Dòng có nội dung không đổi thì bỏ qua, "
        "nên nhập lại cùng một tệp không tạo bản trùng. Mã đang thuộc cơ quan khác sẽ bị từ chối.",
        "Để trống Mã thủ tục thì hệ thống tự sinh mã và luôn tạo mới; muốn cập nhật về sau, hãy ghi mã đã sinh.",
        "Để sửa các thủ tục đã có: trên trang danh mục thủ tục, lọc theo cơ quan rồi bấm “Xuất theo mẫu nhập”. Tệp "
        "có đủ các thành phần theo đúng mẫu này; nhập lại mà chưa sửa gì thì mọi dòng “không thay đổi”, sửa ô nào "
        "thì trang kiểm tra hiện ô đó trước → sau.",
        "Các ô nhiều dòng (Trình tự thực hiện, Thành phần hồ sơ, Căn cứ pháp lý): xuống dòng trong ô bằng Alt+Enter "
        "(Windows) hoặc Option+Enter (macOS); các phần trong một dòng cách nhau bằng dấu |.",
        "Ngày tháng ghi theo dạng dd/mm/yyyy, ví dụ 15/06/2022. Số thập phân dùng dấu phẩy hoặc dấu chấm.",
        f"Nhóm, Cấp thực hiện, Lĩnh vực, Đơn vị thời hạn: chọn trong danh sách thả xuống (sheet ẩn “{LISTS_SHEET}”).",
    ]
    imports.help_sheet(ws, "HƯỚNG DẪN NHẬP DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ TỪ EXCEL", rules, COLUMNS)
    ws.append([])
    ws.append(["Danh sách giá trị"])
    ws.cell(row=ws.max_row, column=1).font = BOLD
    for title, values in [
        ("Nhóm", [f"{v}: {label}" for v, label in Group.choices]),
        ("Cấp thực hiện", list(Level.labels)),
        ("Cách thức thực hiện", list(Channel.labels)),
        ("Đơn vị thời hạn", list(TimeUnit.labels)),
        ("Lĩnh vực", fields),
    ]:
        ws.append(["", title, "", "\n".join(values)])
        ws.cell(row=ws.max_row, column=4).alignment = WRAP


# --------------------------------------------------------------------------------------------------------------
# Parsing and validation
# --------------------------------------------------------------------------------------------------------------


def _lines(value) -> list[tuple[int, str]]:
    return [(i, line.strip()) for i, line in enumerate(workbooks.text(value).split("\n"), start=1) if line.strip()]


def _parts(line: str) -> list[str]:
    return [" ".join(p.split()) for p in line.split("|")]


def _decimal(value) -> Decimal:
    """A number from a numeric cell or text (“7,5” or “7.5”); ValueError when it is not one."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number


class _Reader:
    """Reads one data row into Components, collecting errors instead of stopping at the first."""

    def __init__(self, parser: "_Parser", row_no: int, values: tuple):
        self.parser = parser
        self.row_no = row_no
        self.values = values
        self.failed = False

    def raw(self, key: str):
        index = self.parser.positions[key]
        return self.values[index] if index < len(self.values) else None

    def error(self, key: str, message: str) -> None:
        self.failed = True
        index = self.parser.positions[key]
        self.parser.errors.append(
            RowError(self.row_no, message, get_column_letter(index + 1), self.parser.headers[index])
        )

    def text(self, key: str, *, one_line: bool = False) -> str:
        value = workbooks.one_line(self.raw(key)) if one_line else workbooks.text(self.raw(key))
        limit = MAX_LENGTHS.get(key)
        if COLUMN_BY_KEY[key].required and not value:
            self.error(key, "Ô bắt buộc, chưa nhập.")
        elif limit and len(value) > limit:
            self.error(key, f"Dài {len(value)} ký tự, tối đa {limit} ký tự.")
        return value

    def choice(self, key: str, keys: dict, allowed: Iterable[str]) -> str:
        text = workbooks.one_line(self.raw(key))
        if not text:
            if COLUMN_BY_KEY[key].required:
                self.error(key, "Ô bắt buộc, chưa nhập.")
            return ""
        value = keys.get(workbooks.key(text))
        if value is None:
            self.error(key, f"Giá trị “{text}” không hợp lệ; chọn một trong: {'; '.join(allowed)}.")
            return ""
        return value

    def integer(self, key: str):
        low, high, default = INTEGER_RANGES[key]
        raw = self.raw(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return default
        try:
            number = _decimal(raw)
        except ValueError:
            self.error(key, f"“{workbooks.text(raw)}” không phải là số.")
            return default
        if number != number.to_integral_value():
            self.error(key, f"Phải là số nguyên (đang là {workbooks.text(raw)}).")
            return default
        if not low <= number <= high:
            self.error(
                key,
                f"Phải từ {workbooks.format_number(low)} đến {workbooks.format_number(high)} "
                f"(đang là {workbooks.text(raw)}).",
            )
            return default
        return int(number)


class _Parser:
    def __init__(self, owner: Organisation, template: bool):
        self.owner = owner
        self.template = template
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []
        self.positions: dict[str, int] = {}
        self.headers: list[str] = []
        # codes, names, old names (renames) and merged names, each to the field it means today
        self.fields = Field.objects.name_index()
        self.active_field_names = {workbooks.key(f.name): f.name for f in self.fields.values() if f.is_active}

    # -- headers -----------------------------------------------------------------------------------------------

    def read_headers(self, row: tuple) -> bool:
        self.headers = [workbooks.one_line(v) for v in row]
        while self.headers and not self.headers[-1]:
            self.headers.pop()
        seen: dict[str, int] = {}
        for index, header in enumerate(self.headers):
            letter = get_column_letter(index + 1)
            if not header:
                self.errors.append(
                    RowError(1, "Cột không có tiêu đề nằm giữa các cột của mẫu; hãy xóa cột này.", letter, "")
                )
                continue
            column = HEADER_KEYS.get(workbooks.key(header))
            if column is None:
                expected = COLUMNS[index].header if index < len(COLUMNS) else None
                hint = f" Theo mẫu, cột {letter} là “{expected}”." if expected else ""
                self.errors.append(RowError(1, f"Tiêu đề “{header}” không có trong mẫu nhập.{hint}", letter, header))
            elif column.key in seen:
                first = get_column_letter(seen[column.key] + 1)
                self.errors.append(RowError(1, f"Cột “{column.header}” bị lặp (đã có ở cột {first}).", letter, header))
            else:
                seen[column.key] = index
        missing = [c.header for c in COLUMNS if c.key not in seen]
        if missing:
            self.errors.append(
                RowError(1, "Thiếu cột: " + ", ".join(f"“{h}”" for h in missing) + ". Hãy dùng mẫu nhập mới nhất.")
            )
        self.positions = seen
        return not self.errors

    # -- rows --------------------------------------------------------------------------------------------------

    def read_row(self, row_no: int, values: tuple) -> ImportRow | None:
        r = _Reader(self, row_no, values)
        code = r.text("code", one_line=True)
        national_code = r.text("national_code", one_line=True)
        fields = {
            "name": r.text("name", one_line=True),
            "group": r.choice("group", GROUP_KEYS, Group.values),
            "level": r.choice("level", LEVEL_KEYS, Level.labels),
            "field": self.field(r),
            "channels": self.channels(r),
            "dossier_sets": r.integer("dossier_sets"),
            **self.processing_time(r),
        }
        for key in ("performers", "authority", "performing_body", "coordinating_bodies", "result", "fees"):
            fields[key] = r.text(key)
        fields["conditions"] = r.text("conditions")
        fields["executions_per_year"] = r.integer("executions_per_year")
        fields["subjects_per_year"] = r.integer("subjects_per_year")
        components = Components(
            fields=fields, steps=self.steps(r), dossier_items=self.dossier_items(r), legal_bases=self.legal_bases(r)
        )
        forms = self.forms(r)
        if r.failed:
            return None
        return ImportRow(row=row_no, code=code, national_code=national_code, components=components, forms=forms)

    def forms(self, r: _Reader) -> list[str]:
        names = [" ".join(line.split()) for _, line in _lines(r.raw("forms"))]
        for n, name in enumerate(names, start=1):
            if len(name) > FORM_NAME_MAX:
                r.error("forms", f"Dòng {n} trong ô: tên mẫu đơn dài quá {FORM_NAME_MAX} ký tự.")
        return names

    def field(self, r: _Reader) -> Field | None:
        text = workbooks.one_line(r.raw("field"))
        if not text:
            r.error("field", "Ô bắt buộc, chưa nhập.")
            return None
        found = self.fields.get(workbooks.key(text))
        if found is not None and found.is_active:
            return found
        if found is not None:
            r.error("field", f"Lĩnh vực “{found.name}” đã ngừng sử dụng; hãy chọn lĩnh vực khác trong danh sách.")
            return None
        close = difflib.get_close_matches(workbooks.key(text), list(self.active_field_names), n=3, cutoff=0.6)
        hint = (
            " Có phải: " + " hoặc ".join(f"“{self.active_field_names[k]}”" for k in close) + "?"
            if close
            else " Chọn trong danh sách của mẫu nhập (sheet “Danh mục”)."
        )
        r.error("field", f"Lĩnh vực “{text}” không có trong danh mục.{hint}")
        return None

    def channels(self, r: _Reader) -> list[str]:
        tokens = [t.strip() for t in re.split(r"[,;\n]", workbooks.text(r.raw("channels"))) if t.strip()]
        found, unknown, i = set(), [], 0
        while i < len(tokens):
            for span in (3, 2, 1):  # a label may itself contain a comma (“Trực tuyến, qua hệ thống điện tử”)
                value = (
                    CHANNEL_KEYS.get(workbooks.key(" ".join(tokens[i : i + span]))) if i + span <= len(tokens) else None
                )
                if value is not None:
                    found.add(value)
                    i += span
                    break
            else:
                unknown.append(tokens[i])
                i += 1
        if unknown:
            r.error(
                "channels",
                "Không nhận ra cách thức: "
                + ", ".join(f"“{u}”" for u in unknown)
                + f". Dùng: {'; '.join(Channel.labels)} (cách nhau bằng dấu phẩy).",
            )
        return [c for c in Channel.values if c in found]

    def processing_time(self, r: _Reader) -> dict:
        """A number with the unit column (20 | ngày làm việc), or the text as the decision words it ("10 - 20
        ngày", "Trong ngày"…), kept as written with what processing_time.parse understood of it."""
        unit = r.choice("processing_time_unit", UNIT_KEYS, TimeUnit.labels) or TimeUnit.WORKING_DAYS
        raw = r.raw("processing_time_value")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return {**processing_time.fields_for(""), "processing_time_unit": unit}
        try:
            number = _decimal(raw)
        except ValueError:
            return processing_time.fields_for(workbooks.text(raw))
        if not 0 <= number <= PROCESSING_TIME_MAX:
            r.error("processing_time_value", f"Phải từ 0 đến {PROCESSING_TIME_MAX} (đang là {workbooks.text(raw)}).")
            return {}
        if number != number.quantize(Decimal("0.1")):
            r.error("processing_time_value", f"Chỉ được một chữ số thập phân (đang là {workbooks.text(raw)}).")
            return {}
        return processing_time.fields_for_value(number.quantize(Decimal("0.1")), unit)

    def steps(self, r: _Reader) -> list[dict]:
        steps = []
        for n, line in _lines(r.raw("steps")):
            parts = _parts(line)
            if len(parts) not in (2, 3):
                r.error("steps", f"Dòng {n} trong ô (“{line[:60]}”) phải có dạng “{STEP_FORMAT}”.")
                continue
            actor, action, duration = [*parts, ""][:3]
            if not action:
                r.error("steps", f"Dòng {n} trong ô: thiếu nội dung công việc.")
                continue
            for name, value in (("actor", actor), ("duration", duration)):
                if len(value) > STEP_LENGTHS[name]:
                    r.error(
                        "steps",
                        f"Dòng {n} trong ô: phần thứ {1 if name == 'actor' else 3} quá dài "
                        f"(tối đa {STEP_LENGTHS[name]} ký tự).",
                    )
            steps.append({"order": len(steps) + 1, "actor": actor, "action": action, "duration": duration})
        return steps

    def dossier_items(self, r: _Reader) -> list[dict]:
        items = []
        for n, line in _lines(r.raw("dossier_items")):
            parts = _parts(line)
            if len(parts) > 5 or not parts[0]:
                r.error("dossier_items", f"Dòng {n} trong ô (“{line[:60]}”) phải có dạng “{DOSSIER_FORMAT}”.")
                continue
            if len(parts[0]) > DOSSIER_NAME_MAX:
                r.error("dossier_items", f"Dòng {n} trong ô: tên giấy tờ dài quá {DOSSIER_NAME_MAX} ký tự.")
            counts = []
            for label, text in zip(("bản chính", "bản sao", "bản sao chứng thực"), parts[1:4], strict=False):
                if not text:
                    counts.append(0)
                elif text.isdigit() and int(text) <= PART_COUNT_MAX:
                    counts.append(int(text))
                else:
                    r.error("dossier_items", f"Dòng {n} trong ô: số {label} “{text}” phải là số nguyên 0–99.")
                    counts.append(0)
            if len(parts) == 1:
                counts = [1]
            counts += [0] * (3 - len(counts))
            flag = workbooks.key(parts[4]) if len(parts) == 5 else ""
            if flag not in YES | NO:
                r.error("dossier_items", f"Dòng {n} trong ô: phần khai thác dữ liệu “{parts[4]}” phải là có/không.")
            items.append(
                {
                    "order": len(items) + 1,
                    "name": parts[0],
                    "originals": counts[0],
                    "copies": counts[1],
                    "certified_copies": counts[2],
                    "obtainable_from_data": flag in YES,
                }
            )
        return items

    def legal_bases(self, r: _Reader) -> list[dict]:
        bases = []
        for n, line in _lines(r.raw("legal_bases")):
            parts = _parts(line)
            if len(parts) > 5 or not parts[0]:
                r.error("legal_bases", f"Dòng {n} trong ô (“{line[:60]}”) phải có dạng “{LEGAL_FORMAT}”.")
                continue
            number, day, issuer, title, article = [*parts, "", "", "", ""][:5]
            parsed = None
            if day:
                match = DATE_RE.match(day)
                try:
                    parsed = date(int(match[3]), int(match[2]), int(match[1])) if match else None
                except ValueError:
                    parsed = None
                if parsed is None or parsed.year < 1900:
                    r.error("legal_bases", f"Dòng {n} trong ô: ngày “{day}” không hợp lệ; ghi theo dạng dd/mm/yyyy.")
            for name, value in (("number", number), ("issuer", issuer), ("title", title), ("article", article)):
                if len(value) > LEGAL_LENGTHS[name]:
                    r.error("legal_bases", f"Dòng {n} trong ô: phần “{name}” dài quá {LEGAL_LENGTHS[name]} ký tự.")
            bases.append(
                {
                    "order": len(bases) + 1,
                    "number": number,
                    "date": parsed,
                    "issuer": issuer,
                    "title": title,
                    "article": article,
                }
            )
        return bases

    # -- the whole file ----------------------------------------------------------------------------------------

    def match_existing(self, rows: list[ImportRow]) -> None:
        """Decide what each row does, against the procedures already in the registry (bulk queries only)."""
        header = {k: (get_column_letter(i + 1), self.headers[i]) for k, i in self.positions.items()}

        def error(row, key, message):
            self.errors.append(RowError(row.row, message, *header[key]) if key else RowError(row.row, message))

        first_row: dict[str, int] = {}
        for row in rows:
            if not row.code:
                continue
            if row.code in first_row:
                error(row, "code", f"Mã “{row.code}” trùng với dòng {first_row[row.code]} trong tệp.")
            else:
                first_row[row.code] = row.row

        codes = [row.code for row in rows if row.code]
        existing = {}
        for chunk in _chunks(codes):
            existing.update({p.code: p for p in Procedure.objects.filter(code__in=chunk)})
        mine = [p.pk for p in existing.values() if p.owner_id == self.owner.pk]
        latest = {}
        parts = [
            Prefetch(name, queryset=model.objects.order_by("order", "id"))
            for name, model in {**PART_MODELS, "forms": ProcedureForm}.items()
        ]
        for chunk in _chunks(mine):
            for version in (
                ProcedureVersion.objects.latest()
                .filter(procedure_id__in=chunk)
                .select_related("field")
                .prefetch_related(*parts)
            ):
                latest[version.procedure_id] = version

        for row in rows:
            procedure = existing.get(row.code) if row.code else None
            if procedure is None:
                row.action = CREATE
                continue
            if procedure.owner_id != self.owner.pk:
                error(
                    row,
                    "code",
                    f"Mã “{row.code}” đã được dùng cho một thủ tục của cơ quan khác; hãy đổi mã hoặc để trống "
                    "để hệ thống tự sinh mã.",
                )
                continue
            if procedure.is_template != self.template:
                kind = "thủ tục mẫu (danh mục dùng chung)" if procedure.is_template else "thủ tục của cơ quan"
                error(row, "code", f"Mã “{row.code}” đang là {kind}; không nhập đè được.")
                continue
            version = latest[procedure.pk]
            version.procedure = procedure
            row.procedure, row.latest = procedure, version
            before = Components.of(version)
            forms = [f.name for f in version.forms.all()]
            row.content_changed = not same_content(before, row.components)
            row.forms_changed = forms != row.forms
            row.national_code_changed = procedure.national_code != row.national_code
            row.changes = imports.changes(
                shown(procedure.code, procedure.national_code, before, forms),
                shown(row.code, row.national_code, row.components, row.forms),
            )
            if not (row.content_changed or row.forms_changed):
                row.action = UPDATE if row.national_code_changed else UNCHANGED
            elif version.status in EDITABLE:
                row.action = UPDATE
            elif version.status == Status.PUBLISHED:
                row.action = NEW_VERSION
            else:
                error(
                    row,
                    None,
                    f"Thủ tục “{row.code}” đang ở trạng thái “{version.get_status_display()}” (phiên bản "
                    f"{version.number}) nên không cập nhật nội dung được; dòng này phải giữ nguyên nội dung "
                    "hoặc bỏ khỏi tệp.",
                )

        self.assign_codes(rows)
        for row in rows:
            if row.action == CREATE:
                row.changes = imports.changes({}, shown(row.code, row.national_code, row.components, row.forms))

    def assign_codes(self, rows: list[ImportRow]) -> None:
        """Codes for rows without one, as Procedure.next_code would give them, computed in one query."""
        blank = [row for row in rows if not row.code]
        if not blank:
            return
        prefix = f"{self.owner.code}-"
        taken = set(Procedure.objects.filter(code__startswith=prefix).values_list("code", flat=True))
        taken |= {row.code for row in rows if row.code}
        n = Procedure.objects.filter(owner=self.owner).count()
        for row in blank:
            n += 1
            while f"{prefix}{n:03d}" in taken:
                n += 1
            row.code, row.code_generated = f"{prefix}{n:03d}", True
            taken.add(row.code)
        names = {}
        for name, code in (
            ProcedureVersion.objects.latest()
            .filter(procedure__owner=self.owner, procedure__is_template=self.template)
            .values_list("name", "procedure__code")
        ):
            names.setdefault(workbooks.key(name), code)
        letter, header = get_column_letter(self.positions["code"] + 1), self.headers[self.positions["code"]]
        for row in blank:
            same = names.get(workbooks.key(row.name))
            if same:
                self.warnings.append(
                    RowError(
                        row.row,
                        f"Mã để trống nên sẽ tạo thủ tục mới {row.code}, trong khi cơ quan đã có thủ tục {same} cùng "
                        f"tên. Nếu muốn cập nhật thủ tục đó, hãy ghi mã {same}.",
                        letter,
                        header,
                    )
                )


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def same_content(a: Components, b: Components) -> bool:
    """Whether two versions' contents are the same, ignoring the order numbers of child rows and channel order."""

    def plain(c: Components):
        fields = dict(c.fields)
        fields["channels"] = sorted(fields.get("channels") or [])
        f = fields.get("field")
        fields["field"] = getattr(f, "pk", f)
        for name in ("processing_time_min", "processing_time_value"):
            value = fields.get(name)
            fields[name] = None if value is None else Decimal(value).normalize()
        parts = {
            name: [{k: v for k, v in row.items() if k != "order"} for row in getattr(c, name)] for name in PART_MODELS
        }
        return fields, parts

    return plain(a) == plain(b)


def parse_workbook(file, *, owner: Organisation, template: bool = False) -> imports.ImportResult:
    """Read and validate every row (nothing is written). The result lists the rows with what importing them would
    do (create / update / new version / unchanged) and the fields they change, or every error with its row, column
    and a Vietnamese message."""
    return imports.read(RegistryImporter(owner, template), file)


def import_procedures(file, *, owner: Organisation, by=None, dry_run: bool = False, template: bool = False):
    """Import the file for `owner`, all or nothing (core.imports.run).

    Side effects (unless `dry_run` or any error): creates procedures (first version as draft, in bulk: see
    services.procedures_create_many; one “…created” audit entry per row, as procedure_create writes), updates
    editable latest versions, starts the next draft of published ones (audit “procedures.version.drafted”) and
    updates it, updates national codes and the forms' names. Rows whose content is unchanged write nothing, so no
    audit entries either; a file that changes nothing writes nothing at all.
    """
    return imports.run(RegistryImporter(owner, template), file, by=by, dry_run=dry_run)


class RegistryImporter:
    """The registry's rows for core.imports: one procedure a row, matched on its code."""

    purpose = "procedures.import"
    noun = "thủ tục"

    def __init__(self, owner: Organisation, template: bool = False):
        self.owner = self.about = owner
        self.template = template

    def parse(self, wb, result: imports.ImportResult) -> None:
        _parse(wb, self.owner, self.template, result)

    def write(self, result: imports.ImportResult, *, by) -> None:
        _write_rows(result.rows, owner=self.owner, by=by, template=self.template)


def _parse(wb, owner, template, result: imports.ImportResult) -> None:
    if SHEET not in wb.sheetnames:
        result.errors.append(RowError(None, f"Không có sheet “{SHEET}”. Hãy dùng mẫu nhập của hệ thống."))
        return
    ws = wb[SHEET]
    parser = _Parser(owner, template)
    rows_iter = ws.iter_rows(values_only=True, max_col=len(COLUMNS) + 20)
    header = next(rows_iter, None)
    if header is None or not parser.read_headers(header):
        result.errors.extend(parser.errors or [RowError(1, "Dòng tiêu đề trống. Hãy dùng mẫu nhập của hệ thống.")])
        return
    width = len(parser.headers)
    rows = []
    for row_no, values in enumerate(rows_iter, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values[:width]):
            continue
        if row_no > MAX_ROWS + 1:
            parser.errors.append(
                RowError(
                    row_no, f"Tệp có quá {workbooks.format_number(MAX_ROWS)} dòng dữ liệu; hãy chia thành nhiều tệp."
                )
            )
            break
        row = parser.read_row(row_no, values[:width])
        if row is not None:
            rows.append(row)
    if not rows and not parser.errors:
        parser.errors.append(RowError(None, "Tệp không có dòng dữ liệu nào (dữ liệu bắt đầu từ dòng 2)."))
    if not parser.errors:
        parser.match_existing(rows)
    result.rows, result.errors, result.warnings = rows, parser.errors, parser.warnings


# --------------------------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------------------------


def _write_rows(rows: list[ImportRow], *, owner, by, template) -> None:
    """New procedures in bulk first, then the updates row by row (the two never touch the same procedure)."""
    new = [row for row in rows if row.action == CREATE]
    items = [NewProcedure(code=row.code, national_code=row.national_code, components=row.components) for row in new]
    try:
        procedures = procedures_create_many(owner=owner, items=items, by=by, is_template=template)
    except ItemInvalid as error:
        raise RowFailed(new[error.index].row, error.messages) from None
    for row, procedure in zip(new, procedures, strict=True):
        row.procedure = procedure
    for row in rows:
        try:
            _apply(row, by=by)
        except ValidationError as error:
            raise RowFailed(row.row, error.messages) from None


def _apply(row: ImportRow, *, by) -> None:
    if row.action in {UNCHANGED, SKIPPED}:
        return
    if row.action == CREATE:
        if row.forms:
            _set_forms(row.procedure.versions.get(), row.forms)
        return
    procedure = row.procedure
    if row.national_code_changed:
        procedure.national_code = row.national_code
        procedure.save()
    if not (row.content_changed or row.forms_changed):
        return
    version = row.latest
    if row.action == NEW_VERSION:
        version = version_start_next(procedure=procedure, by=by)
    if row.content_changed:
        version_update(version=version, components=row.components)
    if row.forms_changed:
        _set_forms(version, row.forms)


def _set_forms(version: ProcedureVersion, names: list[str]) -> None:
    """The version's forms become `names`, in order: a form whose name stays keeps its file, the others are
    removed, new names are added without a file (uploaded on the procedure's page)."""
    kept = {}
    for form in version.forms.all():
        if form.name in names and form.name not in kept:
            kept[form.name] = form
        else:
            form.delete()
    for order, name in enumerate(names, start=1):
        form = kept.get(name) or ProcedureForm(version=version, name=name)
        if form.order != order or form.pk is None:
            form.order = order
            form.full_clean(exclude=["version", "file"])
            form.save()


# --------------------------------------------------------------------------------------------------------------
# The registry in the import layout: export → import of the same file changes nothing
# --------------------------------------------------------------------------------------------------------------


def cells(code: str, national_code: str, components: Components, forms: list[str]) -> dict:
    """A procedure as the import template's cells (column key → value), written so that reading them back gives
    the same content: the same words, numbers as numbers, dates dd/mm/yyyy, one step, paper, legal basis or form
    a line in its cell."""
    f = components.fields
    field_ = f.get("field")
    return {
        "code": code,
        "national_code": national_code,
        "name": f["name"],
        "group": f["group"],
        "level": Level(f["level"]).label if f.get("level") else "",
        "field": getattr(field_, "name", ""),
        "channels": ", ".join(Channel(c).label for c in Channel.values if c in (f.get("channels") or [])),
        "steps": "\n".join(" | ".join([s["actor"], s["action"], s["duration"]]) for s in components.steps),
        "dossier_items": "\n".join(
            " | ".join(
                [
                    d["name"],
                    str(d["originals"]),
                    str(d["copies"]),
                    str(d["certified_copies"]),
                    "có" if d["obtainable_from_data"] else "không",
                ]
            )
            for d in components.dossier_items
        ),
        "dossier_sets": f.get("dossier_sets"),
        **_time_cells(f),
        **{key: f.get(key) or "" for key in TEXT_KEYS},
        "legal_bases": "\n".join(
            " | ".join(
                [b["number"], f"{b['date']:%d/%m/%Y}" if b["date"] else "", b["issuer"], b["title"], b["article"]]
            )
            for b in components.legal_bases
        ),
        "executions_per_year": f.get("executions_per_year"),
        "subjects_per_year": f.get("subjects_per_year"),
        "forms": "\n".join(forms),
    }


TEXT_KEYS = ("performers", "authority", "performing_body", "coordinating_bodies", "result", "fees", "conditions")


def _time_cells(f: dict) -> dict:
    """The decision's own words when reading them gives the structure kept (variants included), else the
    structure worded; the unit beside it (read when the time is a bare number or empty)."""
    text = f.get("processing_time_text") or ""
    unit = TimeUnit(f.get("processing_time_unit") or TimeUnit.WORKING_DAYS).label
    structured = processing_time.from_fields(
        f.get("processing_time_min"),
        f.get("processing_time_value"),
        f.get("processing_time_unit"),
        f.get("processing_time_variants"),
    )
    if structured is not None and processing_time.parse(text) != structured:
        text = structured.text()
    return {"processing_time_value": text, "processing_time_unit": unit}


def shown(code: str, national_code: str, components: Components, forms: list[str]) -> dict[str, str]:
    """The cells as a reader sees them (column label → text), for the preview's before → after."""
    return {
        COLUMN_BY_KEY[key].label: workbooks.text(value)
        for key, value in cells(code, national_code, components, forms).items()
    }


def write_import_layout(versions, target) -> None:
    """`versions` (a ProcedureVersion queryset) in the import template's layout, every component included, to
    `target` (a path or binary file). Importing the file back for the same owner changes nothing. The parts are
    read a chunk of versions at a time, and each row's cells are addressed by number: `ws[ws.max_row]` scanned every
    cell written so far for each row (a province's 2,350 procedures: 26 s, two thirds of it there)."""
    parts = [
        Prefetch(name, queryset=model.objects.order_by("order", "id"))
        for name, model in {**PART_MODELS, "forms": ProcedureForm}.items()
    ]
    wb = import_workbook()
    ws = wb[SHEET]
    ordered = (
        versions.select_related("procedure", "field").prefetch_related(*parts, "levels").order_by("procedure__code")
    )
    for row, v in enumerate(ordered.iterator(chunk_size=EXPORT_CHUNK), start=2):
        values = cells(v.procedure.code, v.procedure.national_code, Components.of(v), [f.name for f in v.forms.all()])
        for column, spec in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=row, column=column, value=values[spec.key])
            workbooks.defuse(cell)
            cell.alignment = WRAP
    workbooks.print_setup(ws, header_row=1, columns=len(COLUMNS), frozen_columns=0)  # the filter over every row
    wb.save(target)


# --------------------------------------------------------------------------------------------------------------
# Export in the inventory layout (the list an office publishes)
# --------------------------------------------------------------------------------------------------------------
EXPORT_TITLE = "DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ"
EXPORT_COLUMNS = [
    ("STT", 6),
    ("Mã thủ tục", 14),
    ("Mã CSDL quốc gia", 14),
    ("Tên thủ tục", 50),
    ("Nhóm", 7),
    ("Cấp thực hiện", 16),
    ("Lĩnh vực", 24),
    ("Cơ quan quản lý", 28),
    ("Cơ quan thực hiện", 28),
    ("Thời hạn giải quyết", 16),
    ("Trạng thái", 20),
    ("Phiên bản", 9),
    ("Hiệu lực từ", 12),
    ("Hiệu lực đến", 12),
    ("Căn cứ pháp lý", 60),
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


class ExportRow(NamedTuple):
    values: list
    section: bool = False


def _legal_text(basis) -> str:
    text = " ".join(p for p in [basis.title, f"số {basis.number}"] if p)
    if basis.date:
        text += f" ngày {basis.date:%d/%m/%Y}"
    if basis.issuer:
        text += f" của {basis.issuer}"
    if basis.article:
        text += f" ({basis.article})"
    return text


EXPORT_CHUNK = 2000  # rows read at a time from each of the export's two cursors


def _level_order(prefix: str = "") -> Case:
    return Case(
        *[When(**{f"{prefix}level": value}, then=Value(i)) for i, value in enumerate(Level.values)],
        output_field=IntegerField(),
    )


def _with_legal_bases(versions) -> Iterator[tuple]:
    """(version, its legal bases) for `versions` in the inventory's order, in two queries whatever their number:
    the bases are read in the same order as the versions (by their version's sort key, then their own) and handed
    out as the two streams advance together. A prefetch would ask once per chunk of versions, one query more for
    every 2,000 rows, and reading every basis at once would hold the country's 170,000 in memory."""
    order = ["group", "level_order", "field__name", "procedure__code", "pk"]
    versions = (
        versions.select_related("procedure__owner", "field").annotate(level_order=_level_order()).order_by(*order)
    )
    bases = (
        PART_MODELS["legal_bases"]
        .objects.filter(version__in=versions.values("pk"))
        .annotate(level_order=_level_order("version__"))
        .order_by(*[f"version__{key}" if key != "level_order" else key for key in order], "order", "pk")
    )
    bases = bases.iterator(chunk_size=EXPORT_CHUNK)
    pending = next(bases, None)
    for version in versions.iterator(chunk_size=EXPORT_CHUNK):
        own = []
        while pending is not None and pending.version_id == version.pk:
            own.append(pending)
            pending = next(bases, None)
        yield version, own


def export_rows(versions) -> Iterator[ExportRow]:
    """The inventory rows of `versions` (a ProcedureVersion queryset): grouped by group (A, B) then level, with a
    section row before each group and level, numbered from 1 in each section. Two queries, whatever the size."""
    group = level = None
    number = 0
    level_index = 0
    for v, legal_bases in _with_legal_bases(versions):
        if v.group != group:
            group, level, level_index = v.group, None, 0
            yield ExportRow([v.group, Group(v.group).heading.upper()], section=True)
        if v.level != level:
            level, number = v.level, 0
            level_index += 1
            roman = ROMAN[level_index - 1] if level_index <= len(ROMAN) else str(level_index)
            yield ExportRow([roman, f"Thủ tục {Level(v.level).label.lower()}" if v.level else ""], section=True)
        number += 1
        owner = v.procedure.owner
        yield ExportRow(
            [
                number,
                v.procedure.code,
                v.procedure.national_code,
                v.name,
                v.group,
                v.get_level_display(),
                v.field.name,
                owner.name,
                v.performing_body,
                v.processing_time_display(),
                v.get_status_display(),
                v.number,
                v.effective_from,
                v.effective_to,
                "\n".join(_legal_text(b) for b in legal_bases),
            ]
        )


def write_export(versions, target) -> None:
    """Write the inventory workbook of `versions` to `target` (a path or binary file), in write-only mode."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh mục")
    for i, (_, width) in enumerate(EXPORT_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    workbooks.print_setup(ws, header_row=3, columns=len(EXPORT_COLUMNS), frozen_columns=0, last_row=4)
    ws.append([workbooks.safe_cell(ws, EXPORT_TITLE, Font(bold=True, size=14))])
    ws.append([workbooks.safe_cell(ws, f"(Xuất từ hệ thống ngày {today():%d/%m/%Y})", Font(italic=True))])
    ws.append(workbooks.wrapped([workbooks.safe_cell(ws, label, BOLD) for label, _ in EXPORT_COLUMNS]))
    rows = 3
    for row in export_rows(versions):
        font = BOLD if row.section else None
        ws.append(workbooks.wrapped([workbooks.safe_cell(ws, value, font) for value in row.values]))
        rows += 1
    ws.auto_filter.ref = f"A3:{get_column_letter(len(EXPORT_COLUMNS))}{max(rows, 4)}"  # now that the rows are counted
    wb.save(target)
