"""Word building blocks in the layout of Nghị định 30/2020/NĐ-CP (A4; margins 20/20/30/15 mm; Times New Roman,
which fontconfig maps to Tinos; page numbers from page 2), shared by every .docx the application writes. All text
is normalised to NFC so every diacritic renders from one font."""

import io
import unicodedata

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 13
SMALL_PT = 11
TEXT_WIDTH_CM = 16.5
HEADER_WIDTHS = [6.3, 10.2]
# Elements that follow w:pBdr inside w:pPr (ECMA-376 CT_PPrBase); Word rejects a file whose order differs.
PBDR_SUCCESSORS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def nfc(text) -> str:
    """Composed (NFC) text without control characters, which XML cannot hold (pasted or imported text has them)."""
    text = unicodedata.normalize("NFC", str(text or ""))
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def listed(entries: list[str]) -> list[str]:
    """'- a;' '- b.' as Vietnamese documents list things."""
    entries = [e.strip().rstrip(".;,") for e in entries if e and e.strip()]
    return [f"- {e}{'.' if i == len(entries) - 1 else ';'}" for i, e in enumerate(entries)]


def new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_before, normal.paragraph_format.space_after = Pt(0), Pt(6)
    normal.paragraph_format.line_spacing = 1.0
    page_numbers(section)
    return doc


def page_numbers(section) -> None:
    """Page number centred in the header from page 2 on (NĐ 30/2020)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def para(container, text="", *, bold=False, italic=False, underline=False, size=None, align=None, indent=False):
    """One paragraph in `container` (document or table cell; a cell's empty first paragraph is reused)."""
    paragraph = container.paragraphs[0] if is_fresh_cell(container) else container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if text:
        run = paragraph.add_run(nfc(text))
        run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
        if size:
            run.font.size = Pt(size)
    return paragraph


def is_fresh_cell(container) -> bool:
    """A new table cell holds one empty paragraph with neither runs nor properties; every paragraph written here
    has one or the other, so only a cell nothing was written to yet matches."""
    if not hasattr(container, "_tc") or len(container.paragraphs) != 1:
        return False
    paragraph = container.paragraphs[0]._p
    return paragraph.pPr is None and not paragraph.r_lst


def centred(container, text, **kwargs):
    kwargs.setdefault("size", BODY_PT)
    paragraph = para(container, text, align=WD_ALIGN_PARAGRAPH.CENTER, **kwargs)
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def body(container, text, **kwargs):
    return para(container, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, **kwargs)


def rule(container, width_cm: float, available_cm: float) -> None:
    """A short centred horizontal line (the rule under the issuer name and under the trích yếu)."""
    paragraph = para(container, align=WD_ALIGN_PARAGRAPH.CENTER)
    side = Cm(max((available_cm - width_cm) / 2, 0))
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in {"val": "single", "sz": "6", "space": "1", "color": "000000"}.items():
        top.set(qn(f"w:{key}"), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *PBDR_SUCCESSORS)


def layout_table(doc, widths_cm: list[float]):
    """A borderless table used for layout (header, signature)."""
    table = doc.add_table(rows=1, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, widths_cm)
    return table.rows[0].cells


def set_widths(table, widths_cm: list[float]) -> None:
    """Column widths both where Word reads them (each cell) and where LibreOffice/WPS do (the table grid)."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=True):
        column.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def grid_table(doc, header: list[str], rows: list[list[str]], widths_cm: list[float]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(header):
        centred(table.rows[0].cells[i], text, bold=True, size=TABLE_PT)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated on every page
    for row in rows:
        cells = table.add_row().cells
        for i, text in enumerate(row):
            align = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.LEFT
            para(cells[i], text, size=TABLE_PT, align=align).paragraph_format.space_after = Pt(0)
    set_widths(table, widths_cm)


def info_table(doc, rows: list[tuple[str, str]]) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    for label, value in rows:
        cells = table.add_row().cells
        para(cells[0], label, bold=True, size=TABLE_PT).paragraph_format.space_after = Pt(0)
        para(cells[1], value, size=TABLE_PT).paragraph_format.space_after = Pt(0)
    set_widths(table, [4.5, 12.0])


def heading(doc, text: str, *, italic: bool = False):
    """A bold (or italic) sub-heading kept on the page of what follows it."""
    paragraph = para(doc, text, bold=not italic, italic=italic, indent=True)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def national_header(doc, issuer_lines: list[tuple[str, bool]], number_line: str, dated_line: str) -> None:
    """The heading of every administrative document (NĐ 30/2020, Phụ lục I): on the left the issuing body (the body
    above it, then its own name in bold) over a short rule and the number; on the right the national name, the motto
    underlined and the place and date in italics."""
    left, right = layout_table(doc, HEADER_WIDTHS)
    for text, bold in issuer_lines:
        centred(left, text, bold=bold, size=TABLE_PT)
    rule(left, 2.5, HEADER_WIDTHS[0])
    if number_line:
        centred(left, number_line, size=TABLE_PT)
    centred(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=TABLE_PT)
    centred(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, size=BODY_PT)
    centred(right, "")
    centred(right, dated_line, italic=True)


def landscape_section(doc):
    """A new landscape A4 page, same margins (an annex whose table is wide)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    return section


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def save(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def article(doc, number: int, text: str) -> None:
    paragraph = body(doc, f"Điều {number}. ", bold=True)
    paragraph.add_run(nfc(text))


def data_table(
    doc, header: list[str], rows: list[list[str]], widths_cm: list[float], *, size=TABLE_PT, bold_last=False
):
    """A bordered table whose header repeats on every page; numeric columns (text starting with a digit) right."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(header):
        centred(table.rows[0].cells[i], text, bold=True, size=size)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for n, row in enumerate(rows, start=1):
        cells = table.add_row().cells
        bold = bold_last and n == len(rows)
        for i, text in enumerate(row):
            text = nfc(text)
            if i == 0:
                align = WD_ALIGN_PARAGRAPH.CENTER
            elif text[:1].isdigit() or text[:1] == "-" and text[1:2].isdigit():
                align = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                align = WD_ALIGN_PARAGRAPH.LEFT
            for line in text.split("\n"):
                para(cells[i], line, size=size, align=align, bold=bold).paragraph_format.space_after = Pt(0)
    set_widths(table, widths_cm)
    return table
