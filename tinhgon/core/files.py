"""Stored files are private: nothing serves MEDIA_ROOT. A view finds the record through its model's visibility rule
(core.visibility.get_visible) and answers with `serve_file`, which sends the file itself in development and
hands it to nginx in production (`X-Accel-Redirect` to an internal location, docs/deploy.md)."""

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
}
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
        response["Content-Disposition"] = content_disposition_header(not inline, name)
    else:
        try:
            handle = fieldfile.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        response = FileResponse(handle, as_attachment=not inline, filename=name, content_type=content_type)
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
