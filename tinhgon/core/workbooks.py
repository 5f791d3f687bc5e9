"""Reading and writing .xlsx workbooks, shared by the imports (procedures/excel.py, plans/excel_import.py) and the
spreadsheets the documents write (reviews, reports).

- `open_workbook(file)`: openpyxl in read-only mode, any failure an UploadRefused. Check the file first with
  `core.uploads.check_workbook` (size, content, zip bombs, row bombs, entity declarations).
- `text(value)`, `one_line(value)`: a cell as the text a person typed; `key(value)`: the comparison key of a label
  (folded, punctuation ignored); `format_number(n)`, `mb(n)`: numbers in messages, the Vietnamese way.
- `print_setup(sheet, …)`, `print_ready`, `page_setup`: frozen header, filter, header repeated on printed pages, A4
  landscape fitted to the width; every workbook the application writes goes through them
  (tinhgon/core/tests/test_every_workbook.py).
- `safe_cell(ws, value, font)`: a write-only cell that a spreadsheet will not run as a formula, numbers and dates
  with their number format; `percent_cell` for shares; `defuse(cell)` for cells of ordinary worksheets.
"""

import functools
import io
import re
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from tinhgon.core.formatting import EXCEL_DATE, EXCEL_DECIMAL, EXCEL_NUMBER, EXCEL_PERCENT, as_decimal
from tinhgon.core.text import fold_vn
from tinhgon.core.uploads import UploadRefused, format_number, mb

__all__ = [
    "FORMULA_TRIGGERS",
    "WRAP",
    "defuse",
    "format_number",
    "key",
    "mb",
    "one_line",
    "is_formula_like",
    "open_workbook",
    "page_setup",
    "percent_cell",
    "print_ready",
    "print_setup",
    "safe_cell",
    "text",
    "wrapped",
]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
WRAP = Alignment(wrap_text=True, vertical="top")


def open_workbook(file):
    """The workbook in openpyxl's read-only mode (rows are streamed); UploadRefused when openpyxl cannot read it."""
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, InvalidFileException, XML errors...)
        raise UploadRefused("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx.") from None


def text(value) -> str:
    """A cell as text: numbers without a spurious .0, dates as dd/mm/yyyy, line breaks as \\n, trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    return str(value).replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n").strip()


def one_line(value) -> str:
    """A cell as text on one line, runs of spaces and line breaks collapsed."""
    return " ".join(text(value).split())


@functools.lru_cache(maxsize=4096)
def key(value) -> str:
    """Comparison key: folded (no diacritics, lower case), punctuation and spacing ignored."""
    return re.sub(r"[^0-9a-z]+", " ", fold_vn(str(value or ""))).strip()


def is_formula_like(value) -> bool:
    """Text a spreadsheet would run as a formula if typed into a cell ("=…", "+…", "-…", "@…")."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def defuse(cell):
    """Keep a cell's formula-like text as text: a string cell with Excel's quote-prefix style, which is what Excel
    itself stores when a person types '=… . The apostrophe is a style, not part of the value, so the cell reads
    and prints as typed and is never run. Anything else is left as it is. The cell, for chaining."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def safe_cell(ws, value, font=None) -> WriteOnlyCell:
    """A write-only cell: formula-like text kept as text (`defuse`), dates dd/mm/yyyy, whole numbers #,##0,
    other numbers #,##0.00 (use `percent_cell` for shares)."""
    cell = defuse(WriteOnlyCell(ws, value=value))
    if isinstance(value, date):
        cell.number_format = EXCEL_DATE
    elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        cell.number_format = EXCEL_NUMBER if value == int(value) else EXCEL_DECIMAL
    if font is not None:
        cell.font = font
    if isinstance(value, str) and "\n" in value:
        cell.alignment = WRAP
    return cell


def wrapped(cells: list) -> list:
    """The cells of a listing row, their text wrapped in its column and aligned to the top (a long name reads
    within its column instead of running over the next ones). The list, for `ws.append`."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.alignment = WRAP
    return cells


def percent_cell(ws, value, font=None) -> WriteOnlyCell:
    """A share given in percent (Decimal('18.97'), '18.97') as the number 0.1897 formatted 0.00%: the workbook
    shows 18,97% like the page and the Word file, and the cell still sums and sorts."""
    cell = WriteOnlyCell(ws, value=float(as_decimal(value) / 100))
    cell.number_format = EXCEL_PERCENT
    if font is not None:
        cell.font = font
    return cell


def print_setup(sheet, *, header_row: int, columns: int, frozen_columns: int = 1, last_row: int | None = None) -> None:
    """Make a listing sheet read and print as a clerk expects: the rows down to the header and the first
    `frozen_columns` columns frozen, a filter on the header (down to `last_row`, default the sheet's last row; a
    write-only sheet must say it), the header repeated on every printed page, A4 landscape fitted to the page width.
    On a write-only sheet, call it before the first row: the frozen panes and the fit to page are written at the
    start of the sheet."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{header_row + 1}"
    last = max(last_row if last_row is not None else sheet.max_row, header_row + 1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{last}"
    page_setup(sheet, title_rows=f"{header_row}:{header_row}")


def page_setup(sheet, *, title_rows: str | None = None) -> None:
    """A4 landscape fitted to the page width, `title_rows` ("1:3") repeated on every printed page."""
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def print_ready(sheet, *, header_row: int, columns: int, frozen_columns: int = 1) -> bytes:
    """`print_setup` of a listing sheet, then the workbook's bytes."""
    print_setup(sheet, header_row=header_row, columns=columns, frozen_columns=frozen_columns)
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    return buffer.getvalue()
