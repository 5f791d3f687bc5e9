"""A plan's document read into blocks: paragraphs and tables in the order the document has them.

Word (.docx) through python-docx, walking the body so that a table stays where it sits between paragraphs; PDF
through pypdf's text layer (a scan has none: refused with a message saying so); pasted or .txt text as it is,
lines with " | " between cells read as table rows (that is how a table copied from a web page or written by hand
looks). Every file is first checked by content (core.uploads.check_document: the type by its bytes, size, zip
bombs, encryption, active PDF content), then bounded: pages, characters.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from io import BytesIO

from django.core.exceptions import ValidationError

from tinhgon.core.uploads import check_document, max_upload_bytes, mb

MAX_CHARACTERS = 600_000  # about 200 pages: longer is not one plan (and would keep a worker busy for seconds)
MAX_PDF_PAGES = 300
MIN_TEXT_PER_PAGE = 40  # characters: fewer on every page is a scan (no text layer)
TABLE_LINE = re.compile(r"^[^|\n]*(?:\|[^|\n]*){2,}$")  # three cells or more


class DocumentRefused(Exception):
    """A document that cannot be read; str() is the Vietnamese message for the user."""


@dataclass
class Block:
    text: str = ""  # a paragraph
    rows: list[list[str]] | None = None  # a table: its rows of cell texts

    @property
    def is_table(self) -> bool:
        return self.rows is not None


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    name: str = ""
    paragraphs_are_lines: bool = False  # Word's paragraphs are the author's: never joined as wrapped lines

    @classmethod
    def from_text(cls, text: str, name: str = "") -> "Document":
        text = _clean(text)
        if len(text) > MAX_CHARACTERS:
            raise DocumentRefused(
                f"Văn bản quá dài ({len(text):,} ký tự; tối đa {MAX_CHARACTERS:,}). Hãy chỉ dán phần kế hoạch.".replace(
                    ",", "."
                )
            )
        blocks: list[Block] = []
        for line in text.split("\n"):
            if TABLE_LINE.match(line.strip()):
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                if blocks and blocks[-1].is_table:
                    blocks[-1].rows.append(cells)
                else:
                    blocks.append(Block(rows=[cells]))
            else:
                blocks.append(Block(text=line))
        if not any(b.text.strip() or b.is_table for b in blocks):
            raise DocumentRefused("Văn bản trống: hãy tải lên tệp kế hoạch hoặc dán nội dung kế hoạch.")
        return cls(blocks, name)


def read_document(upload=None, text: str | None = None) -> Document:
    """The document of an uploaded file (.docx, .pdf with text, .txt) or of pasted text."""
    if upload is None:
        return Document.from_text(text or "")
    name = str(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if size is not None and size > max_upload_bytes():
        raise DocumentRefused(f"Tệp quá lớn ({mb(size)}; tối đa {mb(max_upload_bytes())}).")
    if name.lower().endswith(".txt"):
        return Document.from_text(_decoded(upload), name)
    try:
        kind = check_document(upload, allowed={"docx", "pdf"}).kind
    except ValidationError as refused:
        raise DocumentRefused(
            " ".join(refused.messages) + " Kế hoạch nhận ở dạng Word (.docx), PDF có lớp chữ, hoặc văn bản (.txt)."
        ) from None
    upload.seek(0)
    data = upload.read()
    return (_read_docx if kind == "docx" else _read_pdf)(data, name)


def _decoded(upload) -> str:
    data = upload.read(max_upload_bytes() + 1)
    if len(data) > max_upload_bytes():
        raise DocumentRefused(f"Tệp quá lớn (tối đa {mb(max_upload_bytes())}).")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentRefused("Tệp .txt này không phải văn bản (có dữ liệu nhị phân).")
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"  # Notepad's two Unicodes
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        pass
    raise DocumentRefused("Tệp .txt không đọc được: hãy lưu lại với bảng mã UTF-8 (Unicode).")


def _clean(text: str) -> str:
    """NFC (Vietnamese written with combining marks, as some PDFs give it, becomes the usual precomposed letters),
    one kind of line break, no control characters, no non-breaking or zero-width spaces."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u2007\u202f]", " ", text)
    text = re.sub(r"[\u200b-\u200d\ufeff]", "", text)
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")


# -- Word -------------------------------------------------------------------------------------------------------


def _read_docx(data: bytes, name: str) -> Document:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        word = docx.Document(BytesIO(data))
    except Exception:  # python-docx raises several kinds for a package that is not a Word document
        raise DocumentRefused("Tệp Word bị hỏng hoặc không phải tệp .docx; hãy mở và lưu lại bằng Word.") from None
    blocks: list[Block] = []
    total = 0
    for item in word.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.extend(Block(text=line) for line in _clean(item.text).split("\n"))
            total += len(item.text)
        elif isinstance(item, Table):
            rows = _table_rows(item)
            blocks.append(Block(rows=rows))
            total += sum(len(c) for row in rows for c in row)
        if total > MAX_CHARACTERS:
            raise DocumentRefused(f"Văn bản quá dài (hơn {MAX_CHARACTERS:,} ký tự).".replace(",", "."))
    if not any(b.text.strip() or b.rows for b in blocks):
        raise DocumentRefused("Tệp Word không có chữ (có thể chỉ chứa ảnh quét).")
    return Document(blocks, name, paragraphs_are_lines=True)


def _table_rows(table) -> list[list[str]]:
    """The table's rows as cell texts; a merged cell is read once (python-docx repeats it across its span)."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(_clean(cell.text).split()))
        rows.append(cells)
    return rows


# -- PDF --------------------------------------------------------------------------------------------------------


def _read_pdf(data: bytes, name: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            raise DocumentRefused("Tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên.")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise DocumentRefused(f"Tệp PDF có {len(reader.pages)} trang (tối đa {MAX_PDF_PAGES}).")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError):
        raise DocumentRefused("Tệp PDF bị hỏng, không đọc được; hãy in lại ra PDF rồi tải lên.") from None
    if all(len(p.strip()) < MIN_TEXT_PER_PAGE for p in pages):
        raise DocumentRefused(
            "Tệp PDF không có lớp chữ (bản quét, ảnh chụp): hệ thống không đọc được chữ trong ảnh. Hãy tải lên tệp "
            "Word hoặc PDF xuất từ Word, hoặc dán nội dung kế hoạch."
        )
    return Document.from_text("\n".join(pages), name)
