"""The register of ISO 9001 processes as an Excel workbook (.xlsx): the rows of the register page as filtered, with
real dates, a filter, a frozen header and A4 landscape print setup."""

from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tinhgon.core import word
from tinhgon.core.workbooks import defuse, print_ready

HEADER_ROW = 3
COLUMNS = [  # header, width
    ("STT", 6),
    ("Mã quy trình", 12),
    ("Tên quy trình", 48),
    ("Lần ban hành", 10),
    ("Ngày hiệu lực", 13),
    ("Đơn vị chủ trì", 30),
    ("Quyết định công bố HTQLCL", 28),
    ("Ngày rà soát tiếp theo", 13),
    ("Trạng thái", 16),
    ("Điểm chưa khắc phục", 12),
    ("Thủ tục hành chính nội bộ liên quan", 30),
]


def register_xlsx(processes, on: date) -> bytes:
    """`processes`: annotated with `open_findings` (quality.filters.with_findings) and with the procedures the
    reader may see prefetched as `shown_procedures`."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ quy trình ISO"
    sheet["A1"] = word.nfc("SỔ THEO DÕI QUY TRÌNH HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG THEO TCVN ISO 9001:2015")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"Số liệu đến ngày {on:%d/%m/%Y}"
    sheet["A2"].font = Font(italic=True)
    for column, (header, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for n, process in enumerate(processes, start=1):
        announcement = process.announcement
        values = [
            n,
            process.code,
            process.name,
            process.edition,
            process.effective_on,
            process.organisation.name,
            f"{announcement.number} ngày {announcement.signed_on:%d/%m/%Y}" if announcement else "",
            process.next_review_on,
            process.get_status_display(),
            process.open_findings,
            "; ".join(p.code for p in process.shown_procedures),
        ]
        for column, value in enumerate(values, start=1):
            cell = defuse(sheet.cell(HEADER_ROW + n, column, word.nfc(value) if isinstance(value, str) else value))
            cell.alignment = wrap
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
    return print_ready(sheet, header_row=HEADER_ROW, columns=len(COLUMNS), frozen_columns=2)
