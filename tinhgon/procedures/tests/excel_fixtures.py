"""Workbooks built in memory for the Excel import tests: rows are dicts keyed by column key (excel.COLUMNS)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from openpyxl import Workbook

from tinhgon.procedures.excel import COLUMNS, SHEET

HEADERS = [c.header for c in COLUMNS]

STEPS = (
    "Cơ quan, đơn vị đề nghị | Lập hồ sơ đề nghị, gửi Sở Nội vụ | \n"
    "Sở Nội vụ | Thẩm định hồ sơ, trình Chủ tịch UBND tỉnh | 15 ngày\n"
    "Chủ tịch UBND tỉnh | Xem xét, quyết định khen thưởng | 05 ngày"
)
DOSSIER = "Tờ trình đề nghị khen thưởng | 1 | 0 | 0 | không\nBáo cáo thành tích | 1 | 2 | 0 | có"
LEGAL = (
    "06/2022/QH15 | 15/06/2022 | Quốc hội | Luật Thi đua, khen thưởng | Điều 84\n"
    "98/2023/NĐ-CP | 31/12/2023 | Chính phủ | Nghị định quy định chi tiết Luật Thi đua, khen thưởng |"
)


def good_row(n: int = 1, **overrides) -> dict:
    row = {
        "code": f"TT-{n:04d}",
        "national_code": "",
        "name": f"Thủ tục xét tặng Bằng khen số {n}",
        "group": "A",
        "level": "Cấp tỉnh",
        "field": "Thi đua - Khen thưởng",
        "channels": "Trực tiếp, Qua dịch vụ bưu chính",
        "steps": STEPS,
        "dossier_items": DOSSIER,
        "dossier_sets": 1,
        "processing_time_value": 20,
        "processing_time_unit": "ngày làm việc",
        "performers": "Các sở, ban, ngành; UBND cấp xã",
        "authority": "Chủ tịch UBND tỉnh",
        "performing_body": "Sở Nội vụ (Ban Thi đua - Khen thưởng)",
        "coordinating_bodies": "",
        "result": "Quyết định tặng Bằng khen",
        "fees": "Không",
        "conditions": "",
        "legal_bases": LEGAL,
        "executions_per_year": 1,
        "subjects_per_year": 120,
    }
    row.update(overrides)
    return row


def workbook_bytes(rows: list[dict], headers: list[str] | None = None, sheet: str = SHEET) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers if headers is not None else HEADERS)
    for row in rows:
        ws.append([row.get(c.key) for c in COLUMNS])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx(rows: list[dict], name: str = "thu-tuc.xlsx", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, workbook_bytes(rows, **kwargs))


def upload(data: bytes, name: str = "thu-tuc.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def encrypted_ole2() -> bytes:
    """What Excel writes for a password-protected workbook: an OLE2 compound file, not a zip."""
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 4096


def zip_bomb(megabytes: int = 50) -> bytes:
    """A small zip whose one member inflates more than 1000:1 (`megabytes` of zeros)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
