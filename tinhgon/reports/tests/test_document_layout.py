"""Documents clerks can sign as produced (issue 14): in every generated Word file "STT" and the amounts fit their
columns on one line, table headers repeat on each page, no row is cut across pages, the signature stays on the page
of the paragraph before it, and the report's ten-column table of units is on landscape pages. Each document is read
back with python-docx and measured with Times New Roman's own advance widths, not with the builder's; the last test
prints them with LibreOffice and reads the PDF text.

This module sits in reports, the highest app, because it builds one document of every kind: a publication decision,
an approval decision, a review form, a parent report, a plan with its appendix and a procedure."""

import io
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from tinhgon.accounts.permissions import Policy
from tinhgon.core.dates import today
from tinhgon.core.pdf import fontconfig_env
from tinhgon.plans.appendix import plan_docx
from tinhgon.plans.tests import factories as pf
from tinhgon.procedures.documents import decision_docx, procedure_docx
from tinhgon.reports import services
from tinhgon.reports.documents import report_docx
from tinhgon.reports.periods import Kind, current
from tinhgon.reviews import services as review_services
from tinhgon.reviews.constants import Action, ReviewStatus
from tinhgon.reviews.documents import approval_docx, review_docx
from tinhgon.reviews.tests import factories as rf

pytestmark = pytest.mark.django_db

# Times New Roman (and Tinos, Liberation Serif) advance widths in 1/1000 em, bold, of what numbers are written with.
TIMES_BOLD = {**dict.fromkeys("0123456789", 500), ".": 250, ",": 250, "%": 1000, "-": 333, "S": 556, "T": 667}
AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d,]|\.\d)|(?<![\d.,])\d+,\d+%?(?![\d,])")
WORD_DEFAULT_MARGIN_TWIPS = 108  # "Table Grid": 0.19 cm left and right


def printed_cm(text: str, size_pt: float) -> float:
    return sum(TIMES_BOLD[c] for c in text) / 1000 * size_pt / 72 * 2.54


def twips_cm(twips) -> float:
    return int(twips) / 1440 * 2.54


@pytest.fixture
def documents(world):
    """One document of every kind, about the same data: P-A's procedure, reviewed and simplified (88.800.000 đồng
    a year before), approved by the province; P-A's and P-B's quarterly reports accepted by the province."""
    world.units["P"].name = "Ủy ban nhân dân tỉnh Vĩnh Long"
    world.units["P"].save()
    p = current(Kind.QUARTERLY, today())
    procedure = rf.publish(world, world.units["P-A"], "Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh")
    review = review_services.round_add_procedure(round=rf.round_for(world), procedure=procedure)
    rf.filled(review, Action.AMEND, after=rf.WORKED_AFTER)
    rf.advance(review, ReviewStatus.CHECKED)
    approval = rf.approve(world, [review], lead_unit=world.units["P-A"])
    rf.publish(world, world.units["P-B"], "Thủ tục của sở B")
    for code in ("P-A", "P-B"):
        child = services.report_create(
            organisation=world.units[code], kind=Kind.QUARTERLY, year=p.year, number=p.number
        )
        services.report_write(report=child, results="Đã thực hiện.")
        child.submit()
        child.accept()
    province = services.report_create(organisation=world.units["P"], kind=Kind.QUARTERLY, year=p.year, number=p.number)
    services.report_write(report=province, results="Đã thực hiện.", signer="Trần Văn Bình", signer_title="Chủ tịch")
    plan = pf.plan(world.units["P-A"], year=p.end.year)
    pf.task(plan, world.units["P-A"], code="1", executing=[world.units["P-A-1"]], deadline=p.end - timedelta(days=1))
    policy = Policy(user=world.focal_p, memberships=list(world.focal_p.memberships_in_force()))
    version = procedure.published_version()
    return {
        "publication decision": decision_docx(version.decision_items.get().decision),
        "approval decision": approval_docx(approval),
        "review form": review_docx(review),
        "report": report_docx(province, policy),
        "plan": plan_docx(plan),
        "procedure": procedure_docx(version),
    }


def opened(data: bytes):
    return Document(io.BytesIO(data))


def grid_tables(doc) -> list:
    return [t for t in doc.tables if t.style is not None and t.style.name == "Table Grid"]


def cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs)


def run_size(cell) -> float:
    sizes = [r.font.size.pt for p in cell.paragraphs for r in p.runs if r.font.size]
    return max(sizes, default=14)


def room_cm(table, cell, column: int) -> float:
    """What the text of `cell` may use: its column's width less the cell's left and right margins."""
    width = table._tbl.tblGrid.gridCol_lst[column].w.cm
    margins = cell._tc.tcPr.find(qn("w:tcMar")) if cell._tc.tcPr is not None else None
    if margins is None:
        return width - 2 * twips_cm(WORD_DEFAULT_MARGIN_TWIPS)
    return width - sum(twips_cm(margins.find(qn(f"w:{side}")).get(qn("w:w"))) for side in ("left", "right"))


def test_every_stt_column_is_wide_enough_for_stt_in_bold(documents):
    seen = 0
    for kind, data in documents.items():
        for table in grid_tables(opened(data)):
            header = table.rows[0].cells[0]
            if cell_text(header) == "STT":
                seen += 1
                assert room_cm(table, header, 0) >= printed_cm("STT", run_size(header)), kind
                assert header._tc.tcPr.find(qn("w:noWrap")) is not None, kind
    assert seen >= 10


def test_every_amount_and_percentage_fits_its_column_on_one_line(documents):
    amounts = []
    for kind, data in documents.items():
        for table in grid_tables(opened(data)):
            for row in table.rows[1:]:
                for column, cell in enumerate(row.cells):
                    for amount in AMOUNT.findall(cell_text(cell)):
                        amounts.append(amount)
                        assert room_cm(table, cell, column) >= printed_cm(amount, run_size(cell)), (kind, amount)
    assert "88.800.000" in amounts and any("," in a for a in amounts)


def test_every_table_with_a_header_row_repeats_it_on_each_page(documents):
    for kind, data in documents.items():
        for table in grid_tables(opened(data)):
            if len(table.columns) > 2:  # two columns: label and value, no header
                assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None, kind


def test_no_table_row_is_cut_across_two_pages(documents):
    for kind, data in documents.items():
        for table in grid_tables(opened(data)):
            assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows), kind


def signature_table(doc):
    return next(t for t in doc.tables if t.style.name != "Table Grid" and "Nơi nhận:" in cell_text(t.cell(0, 0)))


@pytest.mark.parametrize("kind", ["publication decision", "approval decision", "report"])
def test_the_signature_block_is_kept_whole_with_the_paragraph_before_it(documents, kind):
    table = signature_table(opened(documents[kind]))
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    paragraphs = [p for cell in table.rows[0].cells for p in cell.paragraphs]
    assert all(p.paragraph_format.keep_with_next for p in paragraphs)
    before = table._tbl.getprevious()
    assert before.tag == qn("w:p") and before.pPr.keepNext is not None and before.xpath("string(.)").strip()


def test_the_review_form_signatures_are_kept_with_the_paragraph_before_them(documents):
    doc = opened(documents["review form"])
    table = next(t for t in doc.tables if "NGƯỜI RÀ SOÁT" in cell_text(t.cell(0, 0)))
    assert table.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    before = table._tbl.getprevious()
    assert before.tag == qn("w:p") and before.pPr.keepNext is not None and before.xpath("string(.)").strip()


def section_of(doc, table) -> int:
    """The index of the section `table` is in: sections end at a paragraph carrying w:sectPr."""
    index = 0
    for element in doc.element.body.iterchildren():
        if element is table._tbl:
            return index
        if element.tag == qn("w:p") and element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            index += 1
    raise AssertionError("table not in the body")


def test_the_report_prints_the_units_table_on_landscape_pages_and_signs_in_portrait(documents):
    doc = opened(documents["report"])
    units = next(t for t in grid_tables(doc) if cell_text(t.cell(0, 2)) == "Tình trạng báo cáo")
    landscape = doc.sections[section_of(doc, units)]
    assert landscape.orientation == WD_ORIENT.LANDSCAPE and landscape.page_width > landscape.page_height
    assert sum(c.w.cm for c in units._tbl.tblGrid.gridCol_lst) <= landscape.page_width.cm - 4.5 + 0.01
    signing = doc.sections[section_of(doc, signature_table(doc))]
    assert signing.orientation == WD_ORIENT.PORTRAIT and signing.page_width < signing.page_height


def test_a_landscape_page_is_numbered_like_the_others(documents):
    doc = opened(documents["report"])
    assert doc.sections[0].different_first_page_header_footer
    assert not any(section.different_first_page_header_footer for section in doc.sections[1:])


# Printed by LibreOffice -------------------------------------------------------------------------------------------


def pdf_texts(documents: dict[str, bytes], folder) -> dict[str, str]:
    """Every document converted to PDF in one LibreOffice run (its own profile, so a running office is not
    disturbed), then to text laid out as on the page."""
    names = {}
    for n, (kind, data) in enumerate(documents.items()):
        (folder / f"{n}.docx").write_bytes(data)
        names[kind] = folder / f"{n}"
    profile = f"-env:UserInstallation=file://{folder}/profile"
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder)]
    subprocess.run(
        [*command, *(f"{path}.docx" for path in names.values())],
        check=True,
        capture_output=True,
        timeout=300,
        env=fontconfig_env(),  # Times New Roman is the shipped Tinos, as in the PDFs of WeasyPrint
    )
    texts = {}
    for kind, path in names.items():
        subprocess.run(["pdftotext", "-layout", f"{path}.pdf", f"{path}.txt"], check=True, timeout=60)
        texts[kind] = path.with_suffix(".txt").read_text()
    return texts


def words_in_docx(data: bytes) -> str:
    doc = opened(data)
    cells = [cell_text(c) for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([*(p.text for p in doc.paragraphs), *cells])


@pytest.mark.rendering
@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"), reason="LibreOffice not installed")
def test_libreoffice_prints_stt_and_every_amount_whole(documents, tmp_path):
    texts = pdf_texts(documents, tmp_path)
    for kind, data in documents.items():
        text = texts[kind]
        headers = sum(cell_text(t.cell(0, 0)) == "STT" for t in grid_tables(opened(data)))
        assert len(re.findall(r"(?<!\w)STT(?!\w)", text)) >= headers, kind
        assert not re.search(r"(?<!\w)ST\s*\n\s*T(?!\w)", text), kind
        written = words_in_docx(data)
        for amount in set(AMOUNT.findall(written)):
            whole = rf"(?<![\d.,]){re.escape(amount)}(?![\d,]|\.\d)"
            assert len(re.findall(whole, text)) >= len(re.findall(whole, written)), (kind, amount)
