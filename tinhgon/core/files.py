"""Stored files are private: nothing serves MEDIA_ROOT. A view finds the record through its model's visibility rule
(core.visibility.get_visible) and answers with `serve_file`, which sends the file itself in development and
hands it to nginx in production (`X-Accel-Redirect` to an internal location, docs/deploy.md).

Every download, stored or generated, is named by `disposition`: a Vietnamese name a clerk can file as it is
("Quyết định 680-QĐ-UBND công bố TTHC nội bộ (dự thảo).docx"), sent as RFC 5987 `filename*` with a plain ASCII
`filename` before it for the clients that do not read the former (RFC 6266 §4.3)."""

import re
import tempfile
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

# The only types a file is ever served as, from its (checked) extension: never what the browser sent.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".ics": "text/calendar; charset=utf-8",
}
# Characters no Windows file name may hold ("/" and "\\" would also read as folders), and control characters.
UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
# Long enough for a decision's number and trích yếu, short enough for any file system once percent-encoded.
MAX_NAME_CHARS = 120
SHOWN_IN_BROWSER = {"application/pdf", "image/jpeg", "image/png"}
# A served file is never a page: no script, no plugin, no form, even if a browser were to render it as HTML.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def serve_file(fieldfile, filename: str | None = None) -> HttpResponse:
    """The stored file of `fieldfile` as a download named `filename` (default: its stored name). PDF and images
    open in the browser, everything else is an attachment; the type comes from the extension only."""
    if not fieldfile or not fieldfile.name:
        raise Http404
    name = filename or PurePosixPath(fieldfile.name).name
    content_type = CONTENT_TYPES.get(PurePosixPath(fieldfile.name).suffix.lower(), "application/octet-stream")
    inline = content_type in SHOWN_IN_BROWSER
    if settings.TINHGON_FILE_SENDER == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel_path(fieldfile.name)
        response["Content-Disposition"] = disposition(name, attachment=not inline)
    else:
        try:
            # Asked first: an object store opens lazily, and would find the file missing halfway through the answer.
            if not fieldfile.storage.exists(fieldfile.name):
                raise Http404
            handle = fieldfile.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        response = FileResponse(handle, as_attachment=not inline, filename=name, content_type=content_type)
        response["Content-Disposition"] = disposition(name, attachment=not inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store"
    return response


def accel_path(stored_name: str) -> str:
    """The internal nginx location of a stored file: `TINHGON_ACCEL_PREFIX` + its path under MEDIA_ROOT."""
    prefix = settings.TINHGON_ACCEL_PREFIX.rstrip("/")
    parts = PurePosixPath(stored_name).parts
    if not parts or any(part in ("..", "") for part in parts) or stored_name.startswith("/"):
        raise Http404
    return f"{prefix}/{quote(stored_name)}"


def download_name(title: str, ext: str) -> str:
    """`title` as a file name: composed (NFC), no path separators or characters Windows refuses, one space between
    words, at most MAX_NAME_CHARS before the extension (cut at a word where one is near)."""
    stem = " ".join(unicodedata.normalize("NFC", str(title or "")).split())  # line breaks are spaces too
    stem = UNSAFE_IN_NAME.sub("-", stem).strip(" .-")
    if len(stem) > MAX_NAME_CHARS:
        cut = stem[:MAX_NAME_CHARS]
        space = cut.rfind(" ")
        stem = (cut[:space] if space > MAX_NAME_CHARS * 2 // 3 else cut).rstrip(" .,;-(")
    return f"{stem or 'tai-ve'}.{ext}"


def ascii_name(name: str) -> str:
    """The ASCII fallback of a file name: marks dropped, đ as d ("Quyet dinh 680-QD-UBND ...docx")."""
    folded = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    kept = "".join(c for c in folded if c.isascii() and c.isprintable() and c not in '"\\')
    return " ".join(kept.split())


def disposition(name: str, *, attachment: bool = True) -> str:
    """The Content-Disposition of a download named `name`. Django's header gives an ASCII name as is and any other
    only as `filename*`; the ASCII `filename` is added before it, so an old client still saves a readable name."""
    header = content_disposition_header(attachment, name)
    kind, _, encoded = header.partition("; ")
    if not encoded.startswith("filename*="):
        return header
    return f'{kind}; filename="{ascii_name(name)}"; {encoded}'


def download(content: bytes, title: str, ext: str, *, attachment: bool = True) -> HttpResponse:
    """A generated file (Word, Excel, PDF, calendar) named `title`.`ext`, its type from the extension."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[f".{ext}"])
    response["Content-Disposition"] = disposition(download_name(title, ext), attachment=attachment)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def spooled_download(write, title: str, ext: str) -> FileResponse:
    """A download that `write(target)` builds in a temporary file, deleted when the response closes, so a large
    workbook never sits in memory."""
    handle = tempfile.TemporaryFile(suffix=f".{ext}")  # noqa: SIM115 (FileResponse closes it, which deletes it)
    write(handle)
    handle.seek(0)
    name = download_name(title, ext)
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES[f".{ext}"])
    response["Content-Disposition"] = disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
