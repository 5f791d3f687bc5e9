"""Make the corpus of hostile and good uploads in this folder, and manifest.json saying how each must be treated.

    .venv/bin/python tinhgon/core/tests/bad_files/make_corpus.py

Deterministic (fixed seeds, fixed ZIP dates and document properties) and independent of the code it tests: the
expected names and message fragments below are written by hand. Two entries are not committed but built when a
test asks for them (`GENERATED`, through tests/corpus.py): a ZIP of 100,000 members (several MB) and a file over
the size limit (the test lowers the limit to 1 MB).

Every builder below is a few lines: read it to see exactly how each file was made.
"""

import io
import json
import random
import struct
import sys
import unicodedata
import zipfile
import zlib
from datetime import datetime
from pathlib import Path

import docx
from openpyxl import Workbook
from PIL import Image

HERE = Path(__file__).resolve().parent
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FIXED_DATE = datetime(2026, 1, 1)  # noqa: DTZ001 (document properties only)
MB = 1024 * 1024

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CORE_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
    b'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>tinhgon corpus</dc:creator>'
    b'<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>'
    b'<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>'
)
HTML = (
    b"<!DOCTYPE html><html><body><script>fetch('/api/v1/users/').then(r => r.text()).then(alert)</script></body></html>"
)
SVG_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script>'
    b'<circle cx="5" cy="5" r="4"/></svg>'
)

# --------------------------------------------------------------------------------------------------------------
# ZIP writers
# --------------------------------------------------------------------------------------------------------------


def zip_bytes(members, *, level: int = 6) -> bytes:
    """A ZIP of (name, bytes) pairs in that order, deflated, with fixed dates; a member named `mimetype` is stored
    (as ODF requires)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=level)
    return buffer.getvalue()


def members_of(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def repack(data: bytes, *, replace=None, add=(), drop=()) -> bytes:
    """The package rewritten deterministically (fixed dates, fixed core properties), with members replaced, added
    or dropped."""
    replace = {"docProps/core.xml": CORE_XML, **(replace or {})}
    members = [(name, replace.get(name, body)) for name, body in members_of(data) if name not in drop]
    return zip_bytes([*members, *add])


def raw_zip(entries, *, flags: int = 0, declared_size: int | None = None) -> bytes:
    """A ZIP written byte by byte (members deflated), for what zipfile refuses to write: encryption flags, sizes
    that lie, traversal names, more members than the end record can count (then the ZIP64 end records are
    written)."""
    local, central = bytearray(), bytearray()
    for name, data in entries:
        encoded, crc = name.encode(), zlib.crc32(data)
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = packer.compress(data) + packer.flush()
        offset = len(local)
        local += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, 0, 0x21, crc, len(packed), len(data), len(encoded), 0
        )
        local += encoded + packed
        size = len(data) if declared_size is None else declared_size
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 8, 0, 0x21, crc, len(packed), size, len(encoded),
            0, 0, 0, 0, 0o644 << 16, offset,
        )  # fmt: skip
        central += encoded
    count, end = len(entries), b""
    if count >= 0xFFFF:
        zip64_at = len(local) + len(central)
        end += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(central), len(local))
        end += struct.pack("<IIQI", 0x07064B50, 0, zip64_at, 1)
        count = 0xFFFF
    end += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(local), 0)
    return bytes(local + central + end)


# --------------------------------------------------------------------------------------------------------------
# Good documents
# --------------------------------------------------------------------------------------------------------------


def good_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Kế hoạch cải cách hành chính năm 2026", level=1)
    document.add_paragraph("Rà soát, đơn giản hóa thủ tục hành chính nội bộ.")
    buffer = io.BytesIO()
    document.save(buffer)
    return repack(buffer.getvalue())


def good_xlsx(title: str = "Nhiệm vụ") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(["STT", "Nhiệm vụ", "Chủ trì"])
    sheet.append([1, "Rà soát thủ tục hành chính nội bộ", "Sở Tư pháp"])
    workbook.properties.created = FIXED_DATE
    buffer = io.BytesIO()
    workbook.save(buffer)
    return repack(buffer.getvalue())


def odf(mimetype: str, body: str, *, manifest_extra: str = "", content: bytes | None = None) -> bytes:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{manifest_extra}'
        "</manifest:file-entry></manifest:manifest>"
    )
    content = (
        content
        or (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<office:document-content xmlns:office="{office}" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2">'
            f"<office:body>{body}</office:body></office:document-content>"
        ).encode()
    )
    return zip_bytes(
        [("mimetype", mimetype.encode()), ("content.xml", content), ("META-INF/manifest.xml", manifest.encode())]
    )


ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODT_BODY = "<office:text><text:p>Báo cáo kết quả rà soát thủ tục hành chính nội bộ.</text:p></office:text>"
ODS_BODY = (
    '<office:spreadsheet><table:table table:name="Nhiệm vụ"><table:table-row><table:table-cell '
    'office:value-type="string"><text:p>Rà soát</text:p></table:table-cell></table:table-row></table:table>'
    "</office:spreadsheet>"
)


def pdf(objects: list[bytes], *, trailer: bytes = b"") -> bytes:
    """A PDF whose cross-reference table points at each object (numbered from 1; object 1 is the catalog)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def pdf_objects(catalog_extra: bytes = b"") -> list[bytes]:
    text = b"BT /F1 18 Tf 72 720 Td (Bao cao ket qua ra soat thu tuc hanh chinh) Tj ET"
    return [
        b"<< /Type /Catalog /Pages 2 0 R%s >>" % catalog_extra,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def good_pdf() -> bytes:
    return pdf(pdf_objects())


def image(kind: str) -> bytes:
    picture = Image.new("RGB", (16, 16), (200, 30, 30))
    for x in range(16):
        picture.putpixel((x, x), (255, 255, 0))
    buffer = io.BytesIO()
    picture.save(buffer, format=kind, **({"quality": 80} if kind == "JPEG" else {}))
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------------------------
# Hostile packages
# --------------------------------------------------------------------------------------------------------------

LOL = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<!DOCTYPE worksheet [<!ENTITY lol0 "lol">{LOL}]>\n'
    f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    "</sheetData></worksheet>"
).encode()
XXE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    "</sheetData></worksheet>"
).encode()
DOCTYPE_AFTER_COMMENT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- <worksheet> is not here yet -->\n'
    '<!DOCTYPE worksheet [<!ENTITY e "x">]>\n'
    f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>'
    "</sheetData></worksheet>"
).encode()
UTF16_SHEET = XXE.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
UTF16_ROWS = (
    '<?xml version="1.0" encoding="UTF-16"?>\n'
    f'<worksheet xmlns="{MAIN_NS}"><sheetData>{"<row/>" * 3}</sheetData></worksheet>'
).encode("utf-16")
UTF16_CUSTOM_XML = '<?xml version="1.0" encoding="utf-16"?>\n<metadata><matter>CCHC-2026</matter></metadata>'.encode(
    "utf-16"
)
WORD_BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">{LOL}]>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    "<w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
).encode()


def with_sheet(sheet: bytes, title: str = "Nhiệm vụ") -> bytes:
    return repack(good_xlsx(title), replace={"xl/worksheets/sheet1.xml": sheet})


def row_bomb(rows: int = 2_500_000) -> bytes:
    """2.5 million blank rows, as a sheet whose blank lines someone formatted down to the bottom. A few rows are
    written `<row />` at random so that the sheet compresses about 65:1, like a real one, and not 1000:1, which
    the zip-bomb check would refuse before the rows are counted."""
    choice = random.Random(2026).random
    body = b"".join(b"<row />" if choice() < 0.06 else b"<row/>" for _ in range(rows))
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="%s"><dimension ref="A1:A%d"/><sheetData>%s</sheetData></worksheet>'
    ) % (MAIN_NS.encode(), rows, body)
    return repack(good_xlsx("Dữ liệu"), replace={"xl/worksheets/sheet1.xml": sheet})


def prefixed_rows(rows: int = 30_000) -> bytes:
    """Rows under a namespace prefix declared below the root (<y:row/>), which openpyxl reads like any other."""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="%s"><sheetData xmlns:y="%s">%s'
        b"</sheetData></worksheet>"
    ) % (MAIN_NS.encode(), MAIN_NS.encode(), b"<y:row/>" * rows)
    return with_sheet(sheet)


def with_content_type(data: bytes, old: str, new: str, *, add=()) -> bytes:
    types = dict(members_of(data))["[Content_Types].xml"].replace(old.encode(), new.encode())
    return repack(data, replace={"[Content_Types].xml": types}, add=add)


VBA = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + "_VBA_PROJECT".encode("utf-16-le")


def zip_bomb() -> bytes:
    """A .docx whose document inflates to 40 MB of spaces (about 1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            zipfile.ZipInfo("[Content_Types].xml", ZIP_DATE), content_types(WORD_MAIN, "/word/document.xml")
        )
        document = zipfile.ZipInfo("word/document.xml", ZIP_DATE)
        document.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(document, "w") as member:
            member.write(b'<?xml version="1.0"?>\n<w:document xmlns:w="urn:x">')
            for _ in range(40):
                member.write(b" " * MB)
            member.write(b"</w:document>")
    return buffer.getvalue()


def content_types(main_type: str, part: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="{part}" ContentType="{main_type}"/></Types>'
    ).encode()


def declared_bomb() -> bytes:
    """A workbook whose central directory says one member inflates to 3.75 GB: refused on the sizes it declares."""
    return raw_zip(members_of(good_xlsx())[:1] + [("xl/worksheets/sheet2.xml", b"<x/>")], declared_size=0xF0000000)


def many_members(count: int = 2_001) -> bytes:
    return raw_zip(members_of(good_docx()) + [(f"m{i:x}", b"") for i in range(count)])


def traversal() -> bytes:
    evil = [("../../../../tmp/evil.sh", b"#!/bin/sh\necho pwned\n"), ("/etc/cron.d/evil", b"* * * * * root id\n")]
    return raw_zip(members_of(good_docx()) + evil)


def pptx() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    return zip_bytes(
        [
            ("[Content_Types].xml", content_types(main, "/ppt/presentation.xml")),
            ("ppt/presentation.xml", b'<?xml version="1.0"?>\n<p:presentation xmlns:p="urn:x"/>'),
        ]
    )


# --------------------------------------------------------------------------------------------------------------
# OLE2 (compound file): what Office writes for a password-protected document, and the legacy formats
# --------------------------------------------------------------------------------------------------------------


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal but valid compound file: 512-byte sectors, one FAT sector, one directory sector, streams of at
    least 4096 bytes each (so no mini stream)."""
    sector = 512
    data_sectors, fat = [], [0xFFFFFFFD, 0xFFFFFFFE]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for body in streams.values():
        body = body.ljust(max(4096, -(-len(body) // sector) * sector), b"\x00")
        first = 2 + len(data_sectors)
        count = len(body) // sector
        starts.append((first, len(body)))
        fat += [first + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
        data_sectors += [body[i * sector : (i + 1) * sector] for i in range(count)]
    fat_sector = struct.pack(f"<{sector // 4}I", *(fat + [0xFFFFFFFF] * (sector // 4 - len(fat))))

    def dir_entry(name: str, kind: int, child=0xFFFFFFFF, right=0xFFFFFFFF, start=0xFFFFFFFE, size=0) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, right, child)
            + b"\x00" * 36
            + struct.pack("<IQ", start, size)
        )

    names = list(streams)
    directory = dir_entry("Root Entry", 5, child=1)
    for i, (name, (start, size)) in enumerate(zip(names, starts, strict=True), start=1):
        directory += dir_entry(name, 2, right=i + 1 if i < len(names) else 0xFFFFFFFF, start=start, size=size)
    directory = directory.ljust(sector, b"\x00")
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack("<109I", 0, *([0xFFFFFFFF] * 108))
    )
    return header + fat_sector + directory + b"".join(data_sectors)


# --------------------------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------------------------

HTML_REFUSED = "nội dung thực tế là trang web (HTML)"
NOT_XLSX = "không phải bảng tính Excel (.xlsx)"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LONG_NAME = "../../etc/Quyết định\x00 phê duyệt:\x07\x1b[31m kế hoạch?\u202e\t" + "rất dài " * 60 + ".pdf"
# 35 characters of the name, 10 × “rất dài ”, then the cut: 116 + “.pdf” = 120 characters (162 bytes)
LONG_NAME_SANITISED = "Quyết định phê duyệt [31m kế hoạch " + "rất dài " * 10 + "r.pdf"


def refused(fragment: str) -> dict:
    return {"refused": fragment}


def accepted(kind: str, content_type: str, name: str) -> dict:
    return {"kind": kind, "content_type": content_type, "name": name}


def entry(file: str, made: str, data, document: dict, workbook: dict, *, upload_name: str | None = None, **extra):
    return {
        "file": file,
        "upload_name": upload_name or file,
        "made": made,
        "data": data,
        "document": document,
        "workbook": workbook,
        **extra,
    }


def corpus() -> list[dict]:
    docx_, xlsx_, pdf_, png_, jpeg_ = good_docx(), good_xlsx(), good_pdf(), image("PNG"), image("JPEG")
    odt_ = odf(ODT, ODT_BODY)
    return [
        # -- good files --------------------------------------------------------------------------------------
        entry(
            "good.pdf",
            "minimal PDF written by hand (catalog, one page, Helvetica)",
            pdf_,
            accepted("pdf", "application/pdf", "Báo cáo kết quả rà soát.pdf"),
            refused(NOT_XLSX),
            upload_name=unicodedata.normalize("NFD", "Báo cáo kết quả rà soát.pdf"),
        ),
        entry(
            "good.docx",
            "python-docx, one heading and one paragraph",
            docx_,
            accepted("docx", DOCX_TYPE, "Kế hoạch CCHC 2026.docx"),
            refused(NOT_XLSX),
            upload_name="Kế hoạch CCHC 2026.docx",
        ),
        entry(
            "good.xlsx",
            "openpyxl, a header row and one task",
            xlsx_,
            accepted("xlsx", XLSX_TYPE, "Bảng nhiệm vụ.xlsx"),
            {"accepted": True},
            upload_name="Bảng nhiệm vụ.xlsx",
        ),
        entry(
            "good.odt",
            "hand-made ODF package: mimetype stored first, content.xml, manifest",
            odt_,
            accepted("odt", "application/vnd.oasis.opendocument.text", "Báo cáo.odt"),
            refused(NOT_XLSX),
            upload_name="Báo cáo.odt",
        ),
        entry(
            "good.ods",
            "hand-made ODF spreadsheet",
            odf(ODS, ODS_BODY),
            accepted("ods", "application/vnd.oasis.opendocument.spreadsheet", "Bảng tính.ods"),
            refused(NOT_XLSX),
            upload_name="Bảng tính.ods",
        ),
        entry(
            "good.png",
            "Pillow, 16×16 RGB",
            png_,
            accepted("png", "image/png", "Ảnh chụp.png"),
            refused(NOT_XLSX),
            upload_name="Ảnh chụp.png",
        ),
        entry(
            "good.jpg",
            "Pillow, 16×16 RGB, quality 80; upper-case extension",
            jpeg_,
            accepted("jpeg", "image/jpeg", "Ảnh chụp màn hình.jpg"),
            refused(NOT_XLSX),
            upload_name="Ảnh chụp màn hình.JPG",
        ),
        entry(
            "png_named_jpg.jpg",
            "good.png named .jpg: accepted as PNG, the stored name gets .png",
            png_,
            accepted("png", "image/png", "anh-chup.png"),
            refused(NOT_XLSX),
            upload_name="anh-chup.jpg",
        ),
        entry(
            "reserved_name.pdf",
            "good.pdf named like a Windows device (con.pdf)",
            pdf_,
            accepted("pdf", "application/pdf", "_con.pdf"),
            refused(NOT_XLSX),
            upload_name="con.pdf",
        ),
        entry(
            "long_name.pdf",
            "good.pdf under a name with ../, NUL, control and bidi characters, Windows-illegal "
            "characters and 500 characters: accepted, the name sanitised",
            pdf_,
            accepted("pdf", "application/pdf", LONG_NAME_SANITISED),
            refused(NOT_XLSX),
            upload_name=LONG_NAME,
        ),
        entry(
            "row_bomb.xlsx",
            "2.5 million blank rows (about 65:1 compressed, 15 MB of XML): harmless stored as a "
            "document (never parsed), refused as an import",
            row_bomb(),
            accepted("xlsx", XLSX_TYPE, "row_bomb.xlsx"),
            refused("Sheet “Dữ liệu” có hơn 20.000 dòng, vùng dữ liệu kéo dài đến dòng 2.500.000"),
        ),
        # -- content that is not what the name says ----------------------------------------------------------
        entry("empty.pdf", "zero bytes", b"", refused("Tệp rỗng"), refused("Tệp rỗng")),
        entry(
            "html_as.pdf",
            "an HTML page with script named .pdf (stored XSS if served as a page)",
            HTML,
            refused(HTML_REFUSED),
            refused("trang web (HTML)"),
        ),
        entry("html_as.docx", "the same page named .docx", HTML, refused(HTML_REFUSED), refused("trang web (HTML)")),
        entry(
            "svg_script_as.png",
            "SVG with onload and <script>, named .png",
            SVG_SCRIPT,
            refused("nội dung thực tế là ảnh SVG"),
            refused("ảnh SVG"),
        ),
        entry(
            "image.svg",
            "the same SVG named .svg",
            SVG_SCRIPT,
            refused("nội dung thực tế là ảnh SVG"),
            refused("ảnh SVG"),
        ),
        entry(
            "exe_as.pdf",
            "a Windows executable header (MZ … PE) named .pdf",
            b"MZ\x90\x00" + b"\x00" * 56 + struct.pack("<I", 64) + b"PE\x00\x00" + b"\x00" * 200,
            refused("chương trình chạy được (.exe)"),
            refused("chương trình chạy được (.exe)"),
        ),
        entry(
            "elf_as.xlsx",
            "a Linux executable header (ELF) named .xlsx",
            b"\x7fELF\x02\x01\x01" + b"\x00" * 200,
            refused("chương trình chạy được (ELF)"),
            refused("chương trình chạy được (ELF)"),
        ),
        entry(
            "script_as.odt",
            "a shell script named .odt",
            b"#!/bin/sh\necho pwned > /tmp/pwned\n",
            refused("tập lệnh (script)"),
            refused("tập lệnh (script)"),
        ),
        entry(
            "php_as.jpg",
            "a PHP web shell named .jpg",
            b"<?php system($_GET['c']); ?>\n",
            refused("mã PHP"),
            refused("mã PHP"),
        ),
        entry(
            "csv_as.xlsx",
            "CSV text named .xlsx",
            "STT,Nhiệm vụ\n1,Rà soát\n".encode(),
            refused("văn bản thuần"),
            refused(NOT_XLSX),
        ),
        entry(
            "gif_as.png",
            "a GIF named .png",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
            refused("ảnh GIF"),
            refused("ảnh GIF"),
        ),
        entry(
            "polyglot.html",
            "a valid PNG followed by an HTML page, named .html",
            png_ + HTML,
            refused("không nhận .html"),
            refused(NOT_XLSX),
        ),
        entry(
            "polyglot.png",
            "the same polyglot named .png",
            png_ + HTML,
            refused("dữ liệu lạ sau phần kết thúc"),
            refused(NOT_XLSX),
        ),
        entry(
            "xlsx_as.docx",
            "good.xlsx named .docx",
            xlsx_,
            refused("có đuôi .docx nhưng nội dung là bảng tính Excel (.xlsx)"),
            refused("không nhận .docx"),
        ),
        entry(
            "docx_as.xlsx",
            "good.docx named .xlsx",
            docx_,
            refused("có đuôi .xlsx nhưng nội dung là tài liệu Word (.docx)"),
            refused("nội dung thực tế là tài liệu Word (.docx)"),
        ),
        entry(
            "odt_as.ods",
            "good.odt named .ods",
            odt_,
            refused("có đuôi .ods nhưng nội dung là văn bản OpenDocument (.odt)"),
            refused(NOT_XLSX),
        ),
        entry("pptx_as.docx", "a PowerPoint package named .docx", pptx(), refused("PowerPoint"), refused("PowerPoint")),
        entry(
            "plain_zip.docx",
            "a plain ZIP of a text file named .docx",
            zip_bytes([("doc.txt", b"xin chao")]),
            refused("tệp nén ZIP"),
            refused("tệp nén ZIP"),
        ),
        # -- PDF -------------------------------------------------------------------------------------------------
        entry(
            "truncated.pdf",
            "good.pdf cut in half",
            pdf_[: len(pdf_) // 2],
            refused("PDF bị hỏng hoặc không đầy đủ"),
            refused(NOT_XLSX),
        ),
        entry(
            "encrypted.pdf",
            "a trailer naming a standard-security /Encrypt dictionary (RC4 40-bit)",
            pdf(
                [
                    *pdf_objects(),
                    b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (b"28" * 32, b"bf" * 32),
                ],
                trailer=b" /Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef><0123456789abcdef0123456789abcdef>]",
            ),
            refused("PDF được đặt mật khẩu"),
            refused(NOT_XLSX),
        ),
        entry(
            "javascript.pdf",
            "an /OpenAction running JavaScript (refused: nothing we keep needs it)",
            pdf([*pdf_objects(b" /OpenAction 6 0 R"), b"<< /S /JavaScript /JS (app.alert\\('x'\\)) >>"]),
            refused("PDF có chứa mã JavaScript"),
            refused(NOT_XLSX),
        ),
        entry(
            "javascript_escaped.pdf",
            "the same action with its names spelt in #xx escapes (/J#61vaScript)",
            pdf([*pdf_objects(b" /OpenAction 6 0 R"), b"<< /S /J#61vaScript /J#53 (app.alert\\('x'\\)) >>"]),
            refused("PDF có chứa mã JavaScript"),
            refused(NOT_XLSX),
        ),
        # -- Office: macros, passwords, legacy formats --------------------------------------------------------
        entry(
            "macro.docm",
            "good.docx declared macro-enabled, with word/vbaProject.bin",
            with_content_type(
                docx_,
                WORD_MAIN,
                "application/vnd.ms-word.document.macroEnabled.main+xml",
                add=[("word/vbaProject.bin", VBA)],
            ),
            refused("có macro"),
            refused("có macro"),
        ),
        entry(
            "macro.xlsm",
            "good.xlsx declared macro-enabled, with xl/vbaProject.bin",
            with_content_type(
                xlsx_,
                SHEET_MAIN,
                "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                add=[("xl/vbaProject.bin", VBA)],
            ),
            refused("có macro"),
            refused("có macro"),
        ),
        entry(
            "vba_in.docx",
            "good.docx with a word/vbaProject.bin slipped in",
            repack(docx_, add=[("word/vbaProject.bin", VBA)]),
            refused("có macro"),
            refused("có macro"),
        ),
        entry(
            "encrypted_office.docx",
            "what Word writes for a password: an OLE2 file with EncryptionInfo and EncryptedPackage",
            compound_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x01"}),
            refused("Tệp Office được đặt mật khẩu (mã hóa)"),
            refused("đặt mật khẩu (mã hóa)"),
        ),
        entry(
            "legacy.xls",
            "an Excel 97-2003 compound file (Workbook stream)",
            compound_file({"Workbook": b"\x09\x08"}),
            refused("định dạng Office cũ"),
            refused("định dạng Office cũ"),
        ),
        entry(
            "legacy.doc",
            "a Word 97-2003 compound file (WordDocument stream)",
            compound_file({"WordDocument": b"\xec\xa5"}),
            refused("định dạng Office cũ"),
            refused("định dạng Office cũ"),
        ),
        entry(
            "encrypted_members.docx",
            "good.docx with the encryption flag set on every member",
            raw_zip(members_of(docx_), flags=1),
            refused("đặt mật khẩu"),
            refused("đặt mật khẩu"),
        ),
        entry(
            "encrypted.odt",
            "an ODF text whose manifest names encryption data (content.xml is ciphertext)",
            odf(
                ODT,
                "",
                content=random.Random(7).randbytes(512).replace(b"\xff\xfe", b"\x00\x00"),
                manifest_extra='<manifest:encryption-data manifest:checksum-type="SHA1/1K"/>',
            ),
            refused("OpenDocument được đặt mật khẩu"),
            refused("đặt mật khẩu"),
        ),
        # -- ZIP structure -----------------------------------------------------------------------------------
        entry(
            "zip_bomb.docx",
            "word/document.xml inflating to 40 MB of spaces (about 1000:1)",
            zip_bomb(),
            refused("bom nén"),
            refused("bom nén"),
        ),
        entry(
            "zip_bomb_declared.xlsx",
            "a member whose central directory entry declares 3.75 GB",
            declared_bomb(),
            refused("bom nén"),
            refused("bom nén"),
        ),
        entry(
            "many_members.docx",
            "good.docx plus 2,001 empty members (the limit is 2,000)",
            many_members(),
            refused("quá nhiều thành phần"),
            refused("quá nhiều thành phần"),
        ),
        entry(
            "members_100000.docx",
            "100,000 empty members (ZIP64 end records): built at test time, about 8 MB",
            None,
            refused("quá nhiều thành phần"),
            refused("quá nhiều thành phần"),
            generated="members_100000",
        ),
        entry(
            "over_limit.pdf",
            "a PDF header and 1 MB + 1 byte of padding, against a limit lowered to 1 MB: built at test time",
            None,
            refused("Tệp quá lớn"),
            refused("Tệp quá lớn"),
            generated="over_limit",
            settings={"TINHGON_MAX_UPLOAD_MB": 1},
        ),
        entry(
            "traversal.docx",
            "good.docx plus members named ../../../../tmp/evil.sh and /etc/cron.d/evil",
            traversal(),
            refused("đường dẫn bất thường"),
            refused("đường dẫn bất thường"),
        ),
        entry(
            "docx_missing_document.docx",
            "good.docx without word/document.xml",
            repack(docx_, drop={"word/document.xml"}),
            refused("thiếu word/document.xml"),
            refused("thiếu word/document.xml"),
        ),
        entry(
            "wrong_mimetype.odt",
            "an ODF package whose mimetype member says text/html",
            odf("text/html", ODT_BODY),
            refused("mimetype “text/html”"),
            refused("mimetype “text/html”"),
        ),
        entry(
            "wrong_mimetype.ods",
            "an ODF package whose mimetype member says presentation",
            odf("application/vnd.oasis.opendocument.presentation", ODS_BODY),
            refused("mimetype “application/vnd.oasis.opendocument.presentation”"),
            refused("mimetype"),
        ),
        # -- XML inside the packages -------------------------------------------------------------------------
        entry(
            "billion_laughs.xlsx",
            "sheet1.xml declaring nested entities (a billion “lol”s once expanded)",
            with_sheet(BILLION_LAUGHS),
            refused("DOCTYPE"),
            refused("DOCTYPE"),
        ),
        entry(
            "xxe.xlsx",
            "sheet1.xml declaring an external entity reading /etc/passwd",
            with_sheet(XXE),
            refused("DOCTYPE"),
            refused("DOCTYPE"),
        ),
        entry(
            "doctype_after_comment.xlsx",
            "a DOCTYPE after a comment that contains “<worksheet>”",
            with_sheet(DOCTYPE_AFTER_COMMENT),
            refused("DOCTYPE"),
            refused("DOCTYPE"),
        ),
        entry(
            "utf16_sheet.xlsx",
            "xxe.xlsx's sheet in UTF-16, which byte scans for “<!DOCTYPE” would miss",
            with_sheet(UTF16_SHEET),
            refused("DOCTYPE"),
            refused("DOCTYPE"),
        ),
        entry(
            "utf16_rows.xlsx",
            "a plain sheet in UTF-16, whose rows a byte count of “<row” would miss: harmless stored as a document, "
            "refused as an import",
            with_sheet(UTF16_ROWS),
            accepted("xlsx", XLSX_TYPE, "utf16_rows.xlsx"),
            refused("bảng mã lạ"),
        ),
        entry(
            "utf16_custom_xml.docx",
            "good.docx with a customXml part in UTF-16, as .NET tools and document stores write them",
            repack(docx_, add=[("customXml/item9.xml", UTF16_CUSTOM_XML)]),
            accepted("docx", DOCX_TYPE, "Tờ trình.docx"),
            refused(NOT_XLSX),
            upload_name="Tờ trình.docx",
        ),
        entry(
            "billion_laughs.docx",
            "good.docx whose word/document.xml declares nested entities",
            repack(docx_, replace={"word/document.xml": WORD_BILLION_LAUGHS}),
            refused("DOCTYPE"),
            refused("DOCTYPE"),
        ),
        entry(
            "prefixed_rows.xlsx",
            "30,000 rows written <y:row/> under a prefix declared on sheetData",
            prefixed_rows(),
            accepted("xlsx", XLSX_TYPE, "prefixed_rows.xlsx"),
            refused("Sheet “Nhiệm vụ” có hơn 20.000 dòng"),
        ),
    ]


GENERATED = {
    "members_100000": lambda: raw_zip([(f"{i:x}", b"") for i in range(100_000)]),
    "over_limit": lambda: b"%PDF-1.4\n" + b"\x00" * MB + b"\n%%EOF\n",
}


def write(folder: Path = HERE) -> list[dict]:
    entries = corpus()
    for item in entries:
        data = item.pop("data")
        if data is not None:
            (folder / item["file"]).write_bytes(data)
    manifest = {"about": __doc__.strip().splitlines()[0], "files": entries}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return entries


if __name__ == "__main__":
    written = write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    print(f"{len(written)} entries written to {HERE}")
