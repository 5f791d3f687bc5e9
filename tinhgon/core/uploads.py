"""Uploads checked by content, before anything is stored, served or parsed.

- `check_document(upload)`: evidence and attachments. Only PDF, DOCX, XLSX, ODT, ODS, JPEG and PNG are accepted,
  decided by what the bytes are (magic numbers through `filetype`, then our own structural checks), never by what
  the browser says. Returns a `CheckedUpload`: the kind, the content type to serve the file with, and a sanitised
  file name whose extension is the kind's.
- `check_workbook(upload)`: the .xlsx imports. The same content checks, plus the row count of every worksheet,
  streamed out of the ZIP before openpyxl reads anything (a workbook of millions of blank rows would keep a worker
  busy for minutes).
- `sanitise_name(name)`: a file name safe to store and to offer as a download on any system.

Every refusal is an `UploadRefused` (a ValidationError, code "upload_refused") whose Vietnamese message says why.

Decisions (docs/decisions would repeat them):
- A .jpg that is really a PNG (or the reverse) is accepted under its true kind, and its stored name gets the true
  extension: serving goes by the stored extension (core.files), so the name must not lie. Any other disagreement
  between name and content is refused. A name without an extension gets the kind's.
- A PDF naming JavaScript or a launch action is refused: nothing in our domain needs them. The scan reads the
  bytes (with `#xx` escapes in names undone) but not the objects inside compressed object streams, so serving
  stays the real defence: core.files sends every file with nosniff and a sandboxing CSP.
- A PDF with `/Encrypt` anywhere is refused as password-protected; an OLE2 container (what Office writes for a
  password-protected file, and the legacy .doc/.xls) is refused, as is an ODF whose manifest names encryption.
- XML parts may not declare a DOCTYPE or entities (billion laughs, XXE). UTF-16 parts (OOXML allows them; .NET
  tools write customXml that way) are transcoded before that check; worksheets must be UTF-8 (as Excel writes them)
  so that their rows can be counted, and other encodings (UTF-32, EBCDIC, UTF-7) are refused. openpyxl would
  refuse entities too, through defusedxml; we do not rely on it.
- Rows are counted with a streaming byte scan (`<row` elements), stopping at the first row past the limit: the
  time spent is bounded by the limit, not by the file. The message gives that lower bound and the last row the
  sheet declares (`<dimension ref=…>`), which is what the user sees in Excel.

Limits: `settings.TINHGON_MAX_UPLOAD_MB` (default 20) and `settings.TINHGON_IMPORT_MAX_ROWS` (default 20,000) are
read at call time; the ZIP limits are module constants so that tests can lower them.
"""

import os
import posixpath
import re
import struct
import unicodedata
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.core.exceptions import ValidationError

import filetype
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD_MB = 20
DEFAULT_IMPORT_MAX_ROWS = 20_000
MAX_UPLOAD_BYTES = DEFAULT_MAX_UPLOAD_MB * MB  # the default only: the limit in force is max_upload_bytes()
MAX_UNCOMPRESSED_BYTES = 200 * MB
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = MB  # a member this small cannot hurt whatever its ratio
MAX_ZIP_MEMBERS = 2000
MAX_CENTRAL_DIRECTORY_BYTES = MAX_ZIP_MEMBERS * 512  # Office writes about 100 bytes a member
MAX_PACKAGE_PART_BYTES = MB  # [Content_Types].xml, workbook.xml, relationships, ODF manifest: read whole
MAX_PROLOG_BYTES = 64 * 1024  # what may precede the root element of an XML part
PEEK_BYTES = 4096
CHUNK_BYTES = 64 * 1024
HEAD_BYTES = 8192  # what filetype reads
MAX_NAME_LENGTH = 120
MAX_NAME_BYTES = 200  # UTF-8 bytes: file systems stop at 255, and the storage may add a suffix
DEFAULT_STEM = "tệp"


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extensions: tuple[str, ...]  # the first is the one a stored name gets


KINDS = {
    "pdf": Kind("tài liệu PDF", "application/pdf", (".pdf",)),
    "docx": Kind(
        "tài liệu Word (.docx)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    "xlsx": Kind(
        "bảng tính Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
    ),
    "odt": Kind("văn bản OpenDocument (.odt)", "application/vnd.oasis.opendocument.text", (".odt",)),
    "ods": Kind("bảng tính OpenDocument (.ods)", "application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
    "jpeg": Kind("ảnh JPEG", "image/jpeg", (".jpg", ".jpeg")),
    "png": Kind("ảnh PNG", "image/png", (".png",)),
}
DOCUMENT_KINDS = frozenset(KINDS)
WORKBOOK_KINDS = frozenset({"xlsx"})
IMAGE_KINDS = frozenset({"jpeg", "png"})  # may be renamed into one another (see the module docstring)

# What the refused content is, in the user's words.
DESCRIPTIONS = {
    "ole2": "tệp Office được đặt mật khẩu hoặc định dạng cũ",
    "pptx": "bản trình chiếu PowerPoint (.pptx)",
    "dotx": "mẫu tài liệu Word (.dotx)",
    "xltx": "mẫu bảng tính Excel (.xltx)",
    "ooxml": "tệp Office không xác định được loại",
    "zip": "tệp nén ZIP",
    "html": "trang web (HTML)",
    "svg": "ảnh SVG (có thể chứa mã chạy được)",
    "php": "mã PHP",
    "script": "tập lệnh (script)",
    "xml": "tệp XML",
    "text": "văn bản thuần (ví dụ CSV)",
    "exe": "chương trình chạy được (.exe)",
    "gif": "ảnh GIF",
    "elf": "chương trình chạy được (ELF)",
    "unknown": "không xác định được",
}
FAMILY_BY_MIME = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/apng": "png",
    "image/jpeg": "jpeg",
}
ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_HEADER = b"\x00\x00\x00\rIHDR"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
UTF8_BOM = b"\xef\xbb\xbf"

OOXML_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "dotx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xltx",
}
ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELATIONSHIPS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
OFFICE_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
OLE2_STREAMS = {  # UTF-16LE stream names found in the container's directory
    "encrypted": ("EncryptedPackage", "EncryptionInfo"),
    "legacy": ("WordDocument", "Workbook", "Book", "PowerPoint Document"),
}

# Names in a PDF end at whitespace or a delimiter; `#xx` escapes may spell a name in disguise.
PDF_NAME_CHAR = rb"[^\s()<>\[\]{}/%]"
PDF_MARKERS = re.compile(
    rb"/(?:Encrypt|JavaScript|JS|Launch)(?!" + PDF_NAME_CHAR + rb")|/" + PDF_NAME_CHAR + rb"*#[0-9A-Fa-f]{2}"
    rb"[^\s()<>\[\]{}/%]*"
)
PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_ACTIVE_NAMES = {b"/JavaScript", b"/JS", b"/Launch"}
PDF_OVERLAP = 256  # a name longer than this is not one a reader would honour

XML_NAME = re.compile(rb"[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?")
XML_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
ASCII_COMPATIBLE = re.compile(r"(?i)utf-?8|(us-)?ascii|iso-?8859-\d+|(windows|cp)-?125\d|latin-?1")
ROW_TAG = re.compile(rb"<(?:[^\s<>/!?:]+:)?row[\s/>]")  # only where a prefix is used: slower than bytes.count
DIMENSION = re.compile(rb"""<(?:[\w.\-]+:)?dimension\b[^>]*?\bref\s*=\s*["'][A-Z$]*\d*:?[A-Z$]*\$?(\d+)["']""")
WINDOWS_ILLEGAL = re.compile(r'[<>:"/\\|?*]')
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
EXTENSION = re.compile(r"\.([A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*)$")  # letters required: “số 12.2024” has none
MAX_EXTENSION_LENGTH = 5


class UploadRefused(ValidationError):
    """The file is refused before it is stored or opened; the message says why, in Vietnamese."""

    def __init__(self, message, code="upload_refused", params=None):
        super().__init__(message, code=code, params=params)


@dataclass(frozen=True)
class CheckedUpload:
    kind: str  # a key of KINDS
    content_type: str  # the type to serve the file with, never the browser's
    name: str  # sanitised, with the kind's extension


# --------------------------------------------------------------------------------------------------------------
# Settings and formatting
# --------------------------------------------------------------------------------------------------------------


def max_upload_bytes() -> int:
    return int(getattr(settings, "TINHGON_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB) * MB)


def import_max_rows() -> int:
    return int(getattr(settings, "TINHGON_IMPORT_MAX_ROWS", DEFAULT_IMPORT_MAX_ROWS))


def format_number(n) -> str:
    """12345 → “12.345”, the Vietnamese way (core.formatting.number)."""
    from tinhgon.core.formatting import number

    return number(n)


def mb(n: int) -> str:
    """A size in bytes as whole megabytes, the Vietnamese way (“20 MB”)."""
    return f"{n / MB:,.0f} MB".replace(",", ".")


# --------------------------------------------------------------------------------------------------------------
# Public checks
# --------------------------------------------------------------------------------------------------------------


def check_document(upload, *, allowed=DOCUMENT_KINDS) -> CheckedUpload:
    """The kind, serving type and safe name of an evidence file or attachment; UploadRefused when its content is
    not one of the `allowed` kinds (keys of KINDS), its name says another kind, or it is unsafe. `upload` is a
    path, an uploaded file or any binary file object; its position is left at the start."""
    with _opened(upload) as (stream, name):
        kind = _checked_kind(stream, name, allowed, max_rows=None)
    extension = _extension_for(name, kind)
    return CheckedUpload(kind, KINDS[kind].content_type, sanitise_name(name, extension=extension))


def checked(upload):
    """`upload` renamed as check_document says, for saving into a FileField: the one call of the places that store
    an uploaded document (a form's DocumentField has checked it already; a service, a command or the shell may
    not have)."""
    result = check_document(upload)
    upload.name = result.name
    return upload


def check_workbook(upload, *, max_rows: int | None = None) -> None:
    """Refuse, with UploadRefused, anything but a plain .xlsx workbook of sane size whose worksheets have at most
    `max_rows` rows each (default: settings.TINHGON_IMPORT_MAX_ROWS), before openpyxl opens it. A name, when the
    upload has one, must end in .xlsx (openpyxl goes by it)."""
    with _opened(upload) as (stream, name):
        _checked_kind(stream, name, WORKBOOK_KINDS, max_rows=import_max_rows() if max_rows is None else max_rows)
    if name and not _suffix(name):  # any other extension was refused by the content check
        raise UploadRefused(f"Chỉ nhận tệp có đuôi .xlsx (tệp “{sanitise_name(name)}” không có đuôi).")


@contextmanager
def _opened(upload):
    if isinstance(upload, str | os.PathLike):
        with open(upload, "rb") as handle:
            yield handle, Path(upload).name
        return
    upload.seek(0)
    try:
        yield upload, str(getattr(upload, "name", "") or "")
    finally:
        upload.seek(0)


def _checked_kind(stream, name: str, allowed, *, max_rows: int | None) -> str:
    """The kind of the content, once everything the module refuses has been refused (see the docstring)."""
    size = _checked_size(stream)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    family = _family(head)
    if family == "ole2":
        raise UploadRefused(_ole2_message(stream))
    if family == "zip":
        kind, what = _zip_kind(stream, size, max_rows=max_rows if "xlsx" in allowed else None)
    else:
        kind, what = family, _describe(family, head)
    if kind not in allowed:
        raise UploadRefused(f"Tệp không phải {_labels(allowed)}: nội dung thực tế là {what}.")
    _check_name_agrees(name, kind, allowed)
    if kind == "pdf":
        _check_pdf(stream, size)
    elif kind == "png":
        _check_png(stream, size)
    return kind


def _checked_size(stream) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise UploadRefused("Tệp rỗng (0 byte). Hãy chọn lại đúng tệp.")
    limit = max_upload_bytes()
    if size > limit:
        raise UploadRefused(
            f"Tệp quá lớn ({mb(size)}); dung lượng tối đa là {mb(limit)}. Hãy giảm dung lượng hoặc chia nhỏ tệp."
        )
    return size


def _family(head: bytes) -> str | None:
    """What the magic numbers say: pdf, png, jpeg, zip, ole2, or None (then _describe says what it is)."""
    if head.startswith(OLE2_SIGNATURE):
        return "ole2"
    if head.startswith(ZIP_SIGNATURE):
        return "zip"
    guess = filetype.guess(head)
    family = FAMILY_BY_MIME.get(guess.mime) if guess else None
    # filetype reads the first bytes loosely (`%PDF`, `\x89PNG`); ours need the full signatures
    if family == "pdf" and head.startswith(b"%PDF-"):
        return "pdf"
    if family == "png" and head.startswith(PNG_SIGNATURE + PNG_HEADER):
        return "png"
    if family == "jpeg" and head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


def _describe(family: str | None, head: bytes) -> str:
    if family in KINDS:
        return KINDS[family].label
    guess = filetype.guess(head)
    if guess and FAMILY_BY_MIME.get(guess.mime) in KINDS:  # the first bytes are right, the rest is not
        return f"{KINDS[FAMILY_BY_MIME[guess.mime]].label} bị hỏng"
    if guess:
        return DESCRIPTIONS.get(guess.extension, f"tệp .{guess.extension} ({guess.mime})")
    return _describe_text(head)


def _describe_text(head: bytes) -> str:
    """What a file without magic numbers is: web page, SVG, script, XML, plain text, or unknown."""
    text = head.removeprefix(UTF8_BOM).lstrip()[:1024].lower()
    for needle, what in [(b"<?php", "php"), (b"<svg", "svg"), (b"<!doctype html", "html"), (b"<html", "html")]:
        if needle in text:
            return DESCRIPTIONS[what]
    if text.startswith(b"#!"):
        return DESCRIPTIONS["script"]
    if any(tag in text for tag in (b"<script", b"<body", b"<head", b"<iframe")):
        return DESCRIPTIONS["html"]
    if text.startswith(b"<?xml"):
        return DESCRIPTIONS["xml"]
    if _looks_like_text(head):
        return DESCRIPTIONS["text"]
    return DESCRIPTIONS["unknown"]


def _looks_like_text(head: bytes) -> bool:
    text = head.decode("utf-8", "replace")
    if len(head) == HEAD_BYTES:  # the fixed-size read may have cut the last character
        text = text.rstrip("\ufffd")
    return "\ufffd" not in text and all(c.isprintable() or c in "\r\n\t" for c in text)


def _labels(allowed) -> str:
    labels = [KINDS[kind].label for kind in KINDS if kind in allowed]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " hay " + labels[-1]


# --------------------------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------------------------


def sanitise_name(name: str, *, extension: str | None = None) -> str:
    """A file name safe to store and to download anywhere: Vietnamese letters kept (NFC), no directories, control
    or format characters, characters Windows forbids, leading dots or runs of spaces; at most MAX_NAME_LENGTH
    characters and MAX_NAME_BYTES bytes, the extension kept; never empty. `extension` (“.pdf”) replaces the
    name's own extension, or is added when it has none. Idempotent."""
    stem, own = _split_extension(_clean(str(name or "")))
    extension = extension.lower() if extension else own
    stem = _trimmed(stem.lstrip(" ."), extension)  # “.pdf” is a PDF without a name, not a hidden file
    if stem.upper() in WINDOWS_RESERVED:
        stem = f"_{stem}"
    return stem + extension


def _clean(name: str) -> str:
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]  # browsers and zip tools may send a path
    kept = "".join(" " if _is_separator(c) else c for c in name if _is_kept(c))
    kept = WINDOWS_ILLEGAL.sub(" ", unicodedata.normalize("NFC", kept))
    return " ".join(kept.split()).rstrip(" .")


def _is_kept(c: str) -> bool:
    # Cc (controls, NUL), Cf (bidirectional overrides that disguise an extension), Cs, Co, Cn: dropped
    return not unicodedata.category(c).startswith("C")


def _is_separator(c: str) -> bool:
    return c.isspace()  # tabs and line breaks too, before the controls go


def _split_extension(name: str) -> tuple[str, str]:
    match = EXTENSION.search(name)
    if not match or len(match.group(1)) > MAX_EXTENSION_LENGTH:
        return name, ""
    return name[: match.start()], match.group(0)


def _trimmed(stem: str, extension: str) -> str:
    """The stem cut to the length and byte limits, without trailing dots or spaces; DEFAULT_STEM when empty."""
    stem = stem[:MAX_NAME_LENGTH].rstrip(" .")
    while stem and (len(stem) + len(extension) > MAX_NAME_LENGTH or len((stem + extension).encode()) > MAX_NAME_BYTES):
        stem = unicodedata.normalize("NFC", stem[:-1]).rstrip(" .")
    return stem or DEFAULT_STEM


def _suffix(name: str) -> str:
    return _split_extension(_clean(name))[1].lower()


def _check_name_agrees(name: str, kind: str, allowed) -> None:
    suffix = _suffix(name)
    if not suffix or suffix in KINDS[kind].extensions:
        return
    if kind in IMAGE_KINDS and any(suffix in KINDS[other].extensions for other in IMAGE_KINDS):
        return
    if not any(suffix in KINDS[k].extensions for k in allowed):
        accepted = ", ".join(ext for k in KINDS if k in allowed for ext in KINDS[k].extensions)
        raise UploadRefused(f"Chỉ nhận tệp có đuôi {accepted} (không nhận {suffix}).")
    raise UploadRefused(
        f"Tên tệp có đuôi {suffix} nhưng nội dung là {KINDS[kind].label}. Hãy đổi lại đúng đuôi "
        f"{KINDS[kind].extensions[0]} (hoặc chọn lại đúng tệp) rồi tải lên."
    )


def _extension_for(name: str, kind: str) -> str:
    suffix = _suffix(name)
    return suffix if suffix in KINDS[kind].extensions else KINDS[kind].extensions[0]


# --------------------------------------------------------------------------------------------------------------
# PDF, images, OLE2
# --------------------------------------------------------------------------------------------------------------


def _check_pdf(stream, size: int) -> None:
    stream.seek(max(0, size - 2048))
    tail = stream.read()
    stream.seek(0)
    if b"%%EOF" not in tail:
        raise UploadRefused("Tệp PDF bị hỏng hoặc không đầy đủ (thiếu phần kết thúc). Hãy lưu hoặc quét lại tệp.")
    markers = _pdf_markers(stream)
    if b"/Encrypt" in markers:
        raise UploadRefused("Tệp PDF được đặt mật khẩu (mã hóa). Hãy gỡ mật khẩu (hoặc in lại ra PDF) rồi tải lên.")
    if markers & PDF_ACTIVE_NAMES:
        raise UploadRefused(
            "Tệp PDF có chứa mã JavaScript hoặc lệnh tự chạy; hệ thống không nhận. Hãy in lại ra PDF "
            "(Microsoft Print to PDF) hoặc quét lại rồi tải lên."
        )


def _pdf_markers(stream) -> set[bytes]:
    """The names of PDF_MARKERS found anywhere in the file (escapes undone), read in overlapping chunks."""
    found = set()
    previous = b""
    while chunk := stream.read(CHUNK_BYTES):
        data = previous + chunk
        for match in PDF_MARKERS.finditer(data):
            found.add(PDF_ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()), match.group(0)))
        previous = data[-PDF_OVERLAP:]
    stream.seek(0)
    return found


def _check_png(stream, size: int) -> None:
    stream.seek(size - len(PNG_END))
    end = stream.read()
    stream.seek(0)
    if end != PNG_END:
        raise UploadRefused(
            "Ảnh PNG bị hỏng hoặc có dữ liệu lạ sau phần kết thúc ảnh; hệ thống không nhận. Hãy lưu lại ảnh rồi "
            "tải lên."
        )


def _ole2_message(stream) -> str:
    found = _ole2_streams(stream)
    if found & set(OLE2_STREAMS["encrypted"]):
        return (
            "Tệp Office được đặt mật khẩu (mã hóa). Hãy gỡ mật khẩu (Tệp › Thông tin › Bảo vệ) rồi lưu lại dưới dạng "
            ".docx hoặc .xlsx."
        )
    if found & set(OLE2_STREAMS["legacy"]):
        return (
            "Tệp là định dạng Office cũ (.doc, .xls, .ppt). Hãy mở bằng Word/Excel và lưu lại dưới dạng .docx hoặc "
            ".xlsx."
        )
    return (
        "Tệp được đặt mật khẩu (mã hóa) hoặc là định dạng Office cũ (.doc, .xls). Hãy gỡ mật khẩu và lưu lại dưới "
        "dạng .docx hoặc .xlsx."
    )


def _ole2_streams(stream) -> set[str]:
    names = {name: name.encode("utf-16-le") for group in OLE2_STREAMS.values() for name in group}
    found = set()
    previous = b""
    while chunk := stream.read(CHUNK_BYTES):
        data = previous + chunk
        found |= {name for name, encoded in names.items() if encoded in data}
        previous = data[-64:]
    stream.seek(0)
    return found


# --------------------------------------------------------------------------------------------------------------
# ZIP packages: OOXML and ODF
# --------------------------------------------------------------------------------------------------------------


def _zip_kind(stream, size: int, *, max_rows: int | None) -> tuple[str, str]:
    """(kind, description) of a ZIP package, after refusing what is unsafe in it. Counts the rows of its worksheets
    when `max_rows` is given and it is a workbook."""
    _check_central_directory(stream, size)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            _check_members(members)
            kind, what, xml_parts = _package_kind(archive, members)
            counting = max_rows if kind == "xlsx" else None
            _check_xml_parts(archive, members, xml_parts, max_rows=counting)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError, zlib.error,
            NotImplementedError):  # fmt: skip
        raise UploadRefused(
            "Tệp bị hỏng hoặc không đọc được (cấu trúc nén sai). Hãy mở bằng Word/Excel và lưu lại."
        ) from None
    finally:
        stream.seek(0)
    return kind, what


def _check_central_directory(stream, size: int) -> None:
    """The member count and directory size from the end record, before zipfile builds one object per member."""
    tail_length = min(size, 22 + 65535)
    stream.seek(size - tail_length)
    tail = stream.read(tail_length)
    stream.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise UploadRefused("Tệp bị hỏng hoặc không đọc được (thiếu mục lục của tệp nén). Hãy lưu lại tệp.")
    entries, directory_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries > MAX_ZIP_MEMBERS or directory_size > MAX_CENTRAL_DIRECTORY_BYTES:
        raise _too_many_members()


def _too_many_members() -> UploadRefused:
    return UploadRefused(
        f"Tệp có cấu trúc bất thường (quá nhiều thành phần, tối đa {format_number(MAX_ZIP_MEMBERS)}); hệ thống "
        "từ chối xử lý."
    )


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise _too_many_members()
    unsafe = next((m.filename for m in members if _unsafe_member_name(m.filename)), None)
    if unsafe is not None:
        raise UploadRefused(f"Tệp nén chứa đường dẫn bất thường (“{unsafe[:80]}”); hệ thống từ chối xử lý.")
    total = sum(m.file_size for m in members)
    bomb = total > MAX_UNCOMPRESSED_BYTES or any(
        m.file_size > RATIO_CHECK_MIN_BYTES and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1)
        for m in members
    )
    if bomb:
        raise UploadRefused(
            f"Tệp có dấu hiệu “bom nén” (khi giải nén lớn {mb(total)}, tỷ lệ nén bất thường); hệ thống từ chối "
            f"xử lý. Giới hạn: {mb(MAX_UNCOMPRESSED_BYTES)} sau giải nén, tỷ lệ nén không quá "
            f"{MAX_COMPRESSION_RATIO}:1."
        )
    if any(m.flag_bits & 0x1 for m in members):
        raise UploadRefused("Tệp được đặt mật khẩu (mã hóa). Hãy gỡ mật khẩu rồi lưu lại.")


def _unsafe_member_name(name: str) -> bool:
    """A name that would land outside the folder it is extracted to, or that no Office program writes."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return True
    return ".." in name.split("/")


def _package_kind(archive, members) -> tuple[str, str, set[str]]:
    """(kind, description, names of the XML parts) of an ODF or OOXML package; ("zip", …) for any other ZIP."""
    names = {m.filename for m in members}
    if not members:
        return "zip", DESCRIPTIONS["zip"], set()
    if members[0].filename == "mimetype":
        return (*_odf_kind(archive, names), set())
    if "[Content_Types].xml" in names:
        return _ooxml_kind(archive, names)
    return "zip", DESCRIPTIONS["zip"], set()


def _odf_kind(archive, names: set[str]) -> tuple[str, str]:
    mimetype = _read_part(archive, "mimetype").decode("ascii", "replace").strip()
    kind = ODF_MIMETYPES.get(mimetype)
    if kind is None:
        return (
            "odf",
            f"tệp nén có thành phần mimetype “{mimetype[:80]}” (không phải văn bản hay bảng tính OpenDocument)",
        )
    if "content.xml" not in names:
        raise UploadRefused(f"Tệp {KINDS[kind].label} bị hỏng hoặc không đúng cấu trúc (thiếu content.xml).")
    manifest = "META-INF/manifest.xml"
    if manifest in names and b"encryption-data" in _read_part(archive, manifest):
        raise UploadRefused("Tệp OpenDocument được đặt mật khẩu (mã hóa). Hãy gỡ mật khẩu rồi lưu lại.")
    return kind, KINDS[kind].label


def _ooxml_kind(archive, names: set[str]) -> tuple[str, str, set[str]]:
    overrides, defaults = _content_types(archive)
    if _has_macros(names, [*overrides.values(), *defaults.values()]):
        raise UploadRefused(
            "Không nhận tệp Office có macro hoặc điều khiển ActiveX (.docm, .xlsm). Hãy lưu lại dưới dạng .docx "
            "hoặc .xlsx (không macro)."
        )
    mains = {part: OOXML_MAIN_TYPES[t] for part, t in overrides.items() if t in OOXML_MAIN_TYPES}
    if len(mains) != 1:
        return "ooxml", DESCRIPTIONS["ooxml"], set()
    ((part, kind),) = mains.items()
    label = KINDS[kind].label if kind in KINDS else DESCRIPTIONS[kind]
    if part not in {n.lower() for n in names}:
        raise UploadRefused(f"Tệp {label} bị hỏng hoặc không đúng cấu trúc (thiếu {part}).")
    return kind, label, {n for n in names if _declared_xml(n, overrides, defaults)}


def _has_macros(names: set[str], content_types: list[str]) -> bool:
    """VBA projects, Excel 4 macro sheets (“macroEnabled”, “macrosheet” types) and ActiveX controls."""
    lowered = [t.lower() for t in content_types]
    return any("macro" in t or "activex" in t for t in lowered) or any(
        posixpath.basename(n).lower() == "vbaproject.bin" for n in names
    )


def _content_types(archive) -> tuple[dict[str, str], dict[str, str]]:
    """({part name: type} of the Overrides, lower case without the leading slash; {extension: type} of the
    Defaults)."""
    root = _parse_part(archive, "[Content_Types].xml")
    overrides = {
        e.get("PartName", "").lstrip("/").lower(): e.get("ContentType", "")
        for e in root.iter(f"{CONTENT_TYPES_NS}Override")
    }
    defaults = {
        e.get("Extension", "").lower(): e.get("ContentType", "") for e in root.iter(f"{CONTENT_TYPES_NS}Default")
    }
    return overrides, defaults


def _declared_xml(name: str, overrides: dict, defaults: dict) -> bool:
    declared = overrides.get(name.lower()) or defaults.get(posixpath.splitext(name)[1].lstrip(".").lower(), "")
    return declared.endswith("xml")


def _read_part(archive, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_PACKAGE_PART_BYTES:
        raise UploadRefused(f"Tệp có cấu trúc bất thường (thành phần {name[:80]} quá lớn); hệ thống từ chối xử lý.")
    return archive.read(info)


def _parse_part(archive, name: str):
    data = _read_part(archive, name)
    _check_prolog(_Part(data, None), name)
    try:
        return parse_xml(data, forbid_dtd=True)
    except DefusedXmlException:
        raise _doctype_refused(name) from None
    except ParseError:
        raise UploadRefused(f"Tệp bị hỏng hoặc không đúng cấu trúc (thành phần {name[:80]} không đọc được).") from None


# --------------------------------------------------------------------------------------------------------------
# XML parts: prologs and rows
# --------------------------------------------------------------------------------------------------------------


class _Part:
    """A member read progressively: `buffer` holds what was read so far. A UTF-16 part is read at once up to
    MAX_PROLOG_BYTES and transcoded to UTF-8 (`transcoded`), so that one walk of the prolog serves both."""

    def __init__(self, buffer: bytes, handle, transcoded: bool = False):
        self.buffer = buffer
        self.handle = handle
        self.transcoded = transcoded

    def more(self) -> bool:
        chunk = self.handle.read(PEEK_BYTES) if self.handle else b""
        self.buffer += chunk
        return bool(chunk)


def _check_xml_parts(archive, members, xml_parts: set[str], *, max_rows: int | None) -> None:
    """Refuse DOCTYPE and entity declarations and foreign encodings in every XML part; count the rows of every
    worksheet when `max_rows` is given."""
    for info in members:
        if info.is_dir():
            continue
        with archive.open(info) as handle:
            part = _Part(handle.read(PEEK_BYTES), handle)
            if not _is_xml(info.filename, part.buffer, xml_parts):
                continue
            part = _transcoded(part, info.filename)
            root = _check_prolog(part, info.filename)
            if max_rows is None or root is None or _local_name(root) != b"worksheet":
                continue
            if part.transcoded:  # Excel writes sheets in UTF-8 only; in UTF-16 the rows would escape the count
                raise _encoding_refused(info.filename)
            _count_rows(part, max_rows, lambda name=info.filename: _sheet_name(archive, name))


def _is_xml(name: str, head: bytes, xml_parts: set[str]) -> bool:
    if name.lower().endswith((".xml", ".rels", ".vml")) or name in xml_parts:
        return True
    start = head.removeprefix(UTF8_BOM).lstrip()
    return start.startswith(b"<?xml") or _utf16_codec(head) is not None


def _utf16_codec(head: bytes) -> str | None:
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # UTF-32
        return None
    if head.startswith((b"\xff\xfe", b"<\x00")):
        return "utf-16-le"
    if head.startswith((b"\xfe\xff", b"\x00<")):
        return "utf-16-be"
    return None


def _transcoded(part: _Part, name: str) -> _Part:
    """The part itself, or its head transcoded from UTF-16 (which OOXML allows: metadata in customXml often is).
    Encodings that are neither UTF-8 nor UTF-16 (UTF-32, EBCDIC) are refused."""
    if part.buffer.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\x4c\x6f\xa7\x94")):
        raise _encoding_refused(name)
    codec = _utf16_codec(part.buffer)
    if codec is None:
        return part
    _fill(part, MAX_PROLOG_BYTES)
    text = part.buffer[:MAX_PROLOG_BYTES].decode(codec, "replace").removeprefix("\ufeff")
    return _Part(text.encode(), None, transcoded=True)


def _check_prolog(part: _Part, name: str) -> bytes | None:
    """Walk what precedes the root element (XML declaration, comments, processing instructions), refusing any
    `<!…` declaration there; the root element's name, or None when the part is not XML after all. Afterwards
    `part.buffer` starts at the root element."""
    pos = len(UTF8_BOM) if part.buffer.startswith(UTF8_BOM) else 0
    while True:
        pos = _skip_space(part, pos, name)
        _fill(part, pos + 64)  # a token or the root element's name may be cut by the read
        buffer = part.buffer
        if pos >= len(buffer):
            return None
        if buffer.startswith(b"<?", pos):
            end = _token_end(part, pos, b"?>", name)
            if not part.transcoded:  # a transcoded part declares UTF-16, rightly
                _check_encoding(part.buffer[pos:end], name)
            pos = end
        elif buffer.startswith(b"<!--", pos):
            pos = _token_end(part, pos, b"-->", name)
        elif buffer.startswith(b"<!", pos):
            raise _doctype_refused(name)
        elif buffer.startswith(b"<", pos):
            match = XML_NAME.match(buffer, pos + 1)
            part.buffer = buffer[pos:]
            return match.group(0) if match else None
        else:
            return None


def _skip_space(part: _Part, pos: int, name: str) -> int:
    while True:
        while pos < len(part.buffer) and part.buffer[pos] in b" \t\r\n":
            pos += 1
        if pos > MAX_PROLOG_BYTES:
            raise _prolog_refused(name)
        if pos < len(part.buffer) or not part.more():
            return pos


def _fill(part: _Part, length: int) -> None:
    while len(part.buffer) < length and part.more():
        pass


def _token_end(part: _Part, pos: int, closing: bytes, name: str) -> int:
    while (end := part.buffer.find(closing, pos)) < 0:
        if len(part.buffer) > MAX_PROLOG_BYTES or not part.more():
            raise _prolog_refused(name)
    return end + len(closing)


def _prolog_refused(name: str) -> UploadRefused:
    return UploadRefused(
        f"Tệp có thành phần XML bất thường ({name[:80]}: phần mở đầu quá dài hoặc không kết thúc); hệ thống từ "
        "chối xử lý."
    )


def _check_encoding(declaration: bytes, name: str) -> None:
    match = XML_ENCODING.search(declaration)
    if match and not ASCII_COMPATIBLE.fullmatch(match.group(1).decode("ascii")):
        raise _encoding_refused(name)


def _encoding_refused(name: str) -> UploadRefused:
    return UploadRefused(
        f"Tệp có thành phần XML dùng bảng mã lạ ({name[:80]}); bảng tính Excel chỉ dùng UTF-8. Hệ thống từ chối xử "
        "lý. Hãy mở bằng Excel/Word và lưu lại."
    )


def _doctype_refused(name: str) -> UploadRefused:
    return UploadRefused(
        f"Tệp có khai báo DOCTYPE/ENTITY trong thành phần XML ({name[:80]}): dấu hiệu tệp độc hại (mở rộng thực "
        "thể, đọc tệp của máy chủ); hệ thống từ chối xử lý. Hãy mở bằng Excel/Word và lưu lại."
    )


def _local_name(qualified: bytes) -> bytes:
    return qualified.rpartition(b":")[2]


def _count_rows(part: _Part, limit: int, sheet_name) -> None:
    """Stream the rest of a worksheet, counting its `<row` elements; refuse as soon as there are more than `limit`
    (time and memory stay bounded by the limit, whatever the size of the sheet)."""
    declared = DIMENSION.search(part.buffer)
    rows, carry, chunk = 0, b"", part.buffer
    while chunk:
        data = carry + chunk
        cut = data.rfind(b"<", max(0, len(data) - 64))  # a tag cut by the read is counted with the next chunk
        cut = len(data) if cut < 0 else cut
        rows += _rows_in(data, cut)
        if rows > limit:
            raise _too_many_rows(sheet_name(), limit, int(declared.group(1)) if declared else None)
        carry, chunk = data[cut:], part.handle.read(CHUNK_BYTES)
    if rows + _rows_in(carry, len(carry)) > limit:
        raise _too_many_rows(sheet_name(), limit, None)


def _rows_in(data: bytes, end: int) -> int:
    if data.find(b":row", 0, end) >= 0:  # rows written with a namespace prefix (<x:row>): rare, so the slow path
        return sum(1 for _ in ROW_TAG.finditer(data, 0, end))
    return data.count(b"<row", 0, end) - data.count(b"<rowBreaks", 0, end)


def _too_many_rows(sheet: str, limit: int, declared: int | None) -> UploadRefused:
    extent = f", vùng dữ liệu kéo dài đến dòng {format_number(declared)}" if declared and declared > limit else ""
    return UploadRefused(
        f"Sheet “{sheet}” có hơn {format_number(limit)} dòng{extent}; mỗi sheet tối đa {format_number(limit)} dòng "
        "(kể cả dòng trống đã định dạng). Hãy xóa các dòng trống thừa ở cuối sheet hoặc chia thành nhiều tệp."
    )


def _sheet_name(archive, part_name: str) -> str:
    """The name the user gave the worksheet stored in `part_name` (from the workbook and its relationships), or
    the part name when they cannot be read."""
    try:
        workbook = _parse_part(archive, "xl/workbook.xml")
        relationships = _parse_part(archive, "xl/_rels/workbook.xml.rels")
    except (UploadRefused, KeyError):
        return part_name
    targets = {
        r.get("Id"): posixpath.normpath(posixpath.join("xl", r.get("Target", "")))
        for r in relationships.iter(f"{RELATIONSHIPS_NS}Relationship")
    }
    for sheet in workbook.iter(f"{SHEET_NS}sheet"):
        if targets.get(sheet.get(OFFICE_REL_ID), "").lstrip("/") == part_name:
            return sheet.get("name", part_name)
    return part_name
