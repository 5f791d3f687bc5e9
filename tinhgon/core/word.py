"""Word building blocks in the layout of Nghị định 30/2020/NĐ-CP (A4; margins 20/20/30/15 mm; Times New Roman,
which fontconfig maps to Tinos; page numbers from page 2), shared by every .docx the application writes. All text
is normalised to NFC so every diacritic renders from one font. The fixed frame of each official document (issuer
block, quốc hiệu, căn cứ, nơi nhận, signature) is a Word template (core/doctemplates.py, core/docx_templates/,
written with these helpers by build.py); in a document these helpers write what is generated: tables, annexes.

Tables are built so that a clerk can sign what comes out: the header row repeats on every page and no row is cut
across two; "STT" and every number ("549.915.000", "100,00") fit their column on one line, because a column is
widened to the printed width of what it must not break (`fitted_widths`, from Times New Roman's metrics, which
Tinos and Liberation Serif share); the signature block stays on the page of the paragraph before it."""

import io
import re
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
LANDSCAPE_TEXT_WIDTH_CM = 25.2  # 297 mm less the 30 and 15 mm margins
# Cell padding left and right in a column that holds numbers or "STT" (Word's default is 0.19 cm each side): the
# column then needs only the text's width and this, and the wider text columns keep their room.
NUMBER_PADDING_CM = 0.1
# Added to a measured width, for the rounding of a renderer's layout and a font a little wider than Times.
FIT_SLACK_CM = 0.08
# A text column that gives room to numbers keeps at least this much.
TEXT_COLUMN_MIN_CM = 2.0
# Advance widths of Times New Roman (and the metric-compatible Tinos / Liberation Serif), in 1/1000 em, of the
# characters numbers and "STT" are written with: (regular, bold).
ADVANCE = {
    **{digit: (500, 500) for digit in "0123456789"},
    ".": (250, 250), ",": (250, 250), "%": (833, 1000), "-": (333, 333), "+": (564, 570), "(": (333, 333),
    ")": (333, 333), "/": (278, 278), " ": (250, 250), "S": (556, 556), "T": (611, 667),
}  # fmt: skip
NUMBER = re.compile(r"[-+(]?\d[\d.,/]*%?\)?")  # 549.915.000, 54,39%, 30/06/2026
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
    paragraph.paragraph_format.space_before = Pt(4)  # clear of the descenders of the line above
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


def hold_together(cell) -> None:
    """Keep the layout table of `cell` whole and on the page of the paragraph before it: its row cannot split,
    every paragraph in it keeps with the next (Word keeps a table's rows together that way) and so does the
    paragraph before the table (kept with the table's first row)."""
    tbl = cell._tc.getparent().getparent()
    for tr in tbl.tr_lst:
        cant_split(tr)
    for p in tbl.iter(qn("w:p")):
        p.get_or_add_pPr().get_or_add_keepNext()
    previous = tbl.getprevious()
    if previous is not None and previous.tag == qn("w:p"):
        previous.get_or_add_pPr().get_or_add_keepNext()


def keep_with_table(doc) -> None:
    """The last paragraph written so far keeps with what follows it (the table about to be added)."""
    last = doc.element.body[-1]
    while last is not None and last.tag == qn("w:sectPr"):
        last = last.getprevious()
    if last is not None and last.tag == qn("w:p") and last.xpath("string(.)").strip():
        last.get_or_add_pPr().get_or_add_keepNext()


def cant_split(tr) -> None:
    """A table row that is never cut across two pages."""
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.append(OxmlElement("w:cantSplit"))


def repeat_header(tr) -> None:
    """A header row printed again at the top of every page the table runs on."""
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


# Elements that follow w:noWrap inside w:tcPr (ECMA-376 CT_TcPr); w:tcMar is the first of them.
NOWRAP_SUCCESSORS = (
    "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns", "w:cellDel",
    "w:cellMerge", "w:tcPrChange",
)  # fmt: skip


def no_wrap(cell) -> None:
    """Ask Word not to wrap the cell's text (LibreOffice ignores this, hence `fitted_widths`)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    if tc_pr.find(qn("w:noWrap")) is None:
        tc_pr.insert_element_before(OxmlElement("w:noWrap"), *NOWRAP_SUCCESSORS)


def pad(cell, padding_cm: float) -> None:
    """Left and right cell margins of `padding_cm` instead of the table's."""
    tc_pr = cell._tc.get_or_add_tcPr()
    if tc_pr.find(qn("w:tcMar")) is not None:
        return
    margins = OxmlElement("w:tcMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(round(padding_cm / 2.54 * 1440)))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tc_pr.insert_element_before(margins, *NOWRAP_SUCCESSORS[1:])


def text_width_cm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The printed width of `text` in Times New Roman at `size_pt`; characters outside ADVANCE count as a wide
    letter, so the estimate errs on the wide side."""
    fallback = (720, 780) if any(c.isupper() for c in text) else (560, 620)
    units = sum(ADVANCE.get(c, fallback)[bold] for c in text)
    return units / 1000 * size_pt / 72 * 2.54


def unbreakable(text: str) -> list[str]:
    """What a cell must not break across lines: its numbers ("549.915.000", "100,00", "54,39%")."""
    return [token for token in text.split() if NUMBER.fullmatch(token)]


def is_number_column(cells: list[str]) -> bool:
    filled = [text for text in cells if text.strip()]
    return bool(filled) and all(unbreakable(text) and len(text.split()) <= 2 for text in filled)


def needed_cm(header: str, cells: list[str], size_pt: float, *, first: bool) -> float:
    """The narrowest a column can be: wide enough for its numbers and, in the first column or a column of
    numbers, for each word of its header ("STT"), measured bold, with NUMBER_PADDING_CM on both sides."""
    tokens = [token for text in cells for token in unbreakable(text)]
    if first or is_number_column(cells):
        tokens += header.split()
    if not tokens:
        return 0.0
    widest = max(text_width_cm(token, size_pt, bold=True) for token in tokens)
    return widest + 2 * NUMBER_PADDING_CM + FIT_SLACK_CM


def fitted_widths(header: list[str], rows: list[list[str]], widths_cm: list[float], size_pt: float) -> list[float]:
    """`widths_cm` with each column at least as wide as `needed_cm`, the room taken from the other columns in
    proportion to what they have above their own floor (TEXT_COLUMN_MIN_CM or their need), so the table keeps
    its width where it can and grows only when it cannot."""
    columns = [[row[i] for row in rows] for i in range(len(header))]
    needs = [needed_cm(h, c, size_pt, first=i == 0) for i, (h, c) in enumerate(zip(header, columns, strict=True))]
    widths = [max(w, n) for w, n in zip(widths_cm, needs, strict=True)]
    extra = sum(widths) - sum(widths_cm)
    floors = [max(TEXT_COLUMN_MIN_CM, n) for n in needs]
    donors = [i for i, w in enumerate(widths_cm) if widths[i] == w and w > floors[i]]
    spare = sum(widths[i] - floors[i] for i in donors)
    if extra <= 0 or spare <= 0:
        return widths
    share = min(extra / spare, 1.0)
    return [round(w - (w - floors[i]) * share if i in donors else w, 3) for i, w in enumerate(widths)]


def portrait_section(doc):
    """Back to portrait A4 after a landscape section, on a new page."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.different_first_page_header_footer = False
    return section


def set_widths(table, widths_cm: list[float]) -> None:
    """Column widths both where Word reads them (each cell) and where LibreOffice/WPS do (the table grid)."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=True):
        column.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def grid_table(doc, header: list[str], rows: list[list[str]], widths_cm: list[float]) -> None:
    """A bordered list (the annex of a decision): numbered first column centred, the rest left."""
    rows = [[nfc(text) for text in row] for row in rows]
    table = _bordered(doc, header, TABLE_PT)
    for row in rows:
        cells = table.add_row().cells
        for i, text in enumerate(row):
            align = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.LEFT
            para(cells[i], text, size=TABLE_PT, align=align).paragraph_format.space_after = Pt(0)
    _finish(table, header, rows, widths_cm, TABLE_PT)


def _bordered(doc, header: list[str], size):
    """A bordered table with its header row: bold, centred, repeated on every page, never split. The paragraph
    that introduces it ("5. Lợi ích của phương án:") stays on the page of its first rows."""
    keep_with_table(doc)
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(header):
        centred(table.rows[0].cells[i], text, bold=True, size=size)
    repeat_header(table.rows[0]._tr)
    return table


def _finish(table, header: list[str], rows: list[list[str]], widths_cm: list[float], size) -> None:
    """Rows never cut across pages; the widths fitted to "STT" and the numbers, whose cells do not wrap."""
    for row in table.rows:
        cant_split(row._tr)
    widths = fitted_widths(header, rows, widths_cm, size)
    with_numbers = [i == 0 or any(unbreakable(r[i]) for r in rows) for i in range(len(header))]
    for n, row in enumerate(table.rows):
        texts = [header[0], *([""] * (len(header) - 1))] if n == 0 else rows[n - 1]
        for i, cell in enumerate(row.cells):
            if with_numbers[i]:
                pad(cell, NUMBER_PADDING_CM)
            if is_number_column([texts[i]]) or texts[i] == "STT":  # a header over numbers wraps between words
                no_wrap(cell)
    set_widths(table, widths)


def info_table(doc, rows: list[tuple[str, str]]) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    for label, value in rows:
        row = table.add_row()
        cant_split(row._tr)
        para(row.cells[0], label, bold=True, size=TABLE_PT).paragraph_format.space_after = Pt(0)
        para(row.cells[1], value, size=TABLE_PT).paragraph_format.space_after = Pt(0)
    set_widths(table, [4.5, 12.0])


def heading(doc, text: str, *, italic: bool = False):
    """A bold (or italic) sub-heading kept on the page of what follows it."""
    paragraph = para(doc, text, bold=not italic, italic=italic, indent=True)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def landscape_section(doc):
    """A new landscape A4 page, same margins (an annex whose table is wide)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.different_first_page_header_footer = False  # only the document's first page goes unnumbered
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
    rows = [[nfc(text) for text in row] for row in rows]
    table = _bordered(doc, header, size)
    for n, row in enumerate(rows, start=1):
        cells = table.add_row().cells
        bold = bold_last and n == len(rows)
        for i, text in enumerate(row):
            if i == 0:
                align = WD_ALIGN_PARAGRAPH.CENTER
            elif text[:1].isdigit() or text[:1] == "-" and text[1:2].isdigit():
                align = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                align = WD_ALIGN_PARAGRAPH.LEFT
            for line in text.split("\n"):
                para(cells[i], line, size=size, align=align, bold=bold).paragraph_format.space_after = Pt(0)
    _finish(table, header, rows, widths_cm, size)
    return table
