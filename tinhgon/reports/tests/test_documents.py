"""The periodic report as Word, Excel and PDF, and the background generation of those files. Every test reads the
generated file back (python-docx, openpyxl, pypdf / pdftotext) rather than trusting the builder."""

import io
import re
import shutil
import subprocess
import unicodedata
from datetime import timedelta

from django.urls import reverse

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from tinhgon.accounts.permissions import Policy
from tinhgon.core.dates import today
from tinhgon.core.formatting import money, number, percent
from tinhgon.plans import services as plan_services
from tinhgon.plans.models import Indicator
from tinhgon.plans.tests import factories as pf
from tinhgon.reports import services
from tinhgon.reports.documents import report_docx, report_pdf, report_xlsx
from tinhgon.reports.models import Report
from tinhgon.reports.periods import Kind, current
from tinhgon.reviews import services as review_services
from tinhgon.reviews.constants import Action, ReviewStatus
from tinhgon.reviews.ledger import COUNTS
from tinhgon.reviews.tests import factories as rf
from tinhgon.test import download_names

pytestmark = pytest.mark.django_db

ORG_NAME = "Sở Nội vụ tỉnh Vĩnh Long"


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]

    def cells(table):
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
                for inner in cell.tables:
                    cells(inner)

    for table in doc.tables:
        cells(table)
    return flat("\n".join(parts))


def docx_rows(data: bytes) -> list[list[str]]:
    doc = Document(io.BytesIO(data))
    return [[flat(c.text) for c in row.cells] for table in doc.tables for row in table.rows]


def _without_page_number(text: str, number: int) -> str:
    """A page's text without the number printed at its top from page 2 (pypdf reads it last), which would otherwise
    split a paragraph that runs on to the next page."""
    body = text.rstrip()
    return body[: -len(str(number))] if number > 1 and body.endswith(f"\n{number}") else text


def pdf_texts(data: bytes, tmp_path) -> dict[str, str]:
    reader = PdfReader(io.BytesIO(data))
    texts = {
        "pypdf": flat("\n".join(_without_page_number(page.extract_text(), n) for n, page in enumerate(reader.pages, 1)))
    }
    if shutil.which("pdftotext"):
        path = tmp_path / "bao-cao.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
        texts["pdftotext"] = flat(out.stdout.decode("utf-8"))
    return texts


def sheet_rows(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def row_of(rows: list[list], label: str) -> list:
    """The first row with a cell equal to `label`."""
    for row in rows:
        if label in row:
            return row
    raise AssertionError(f"no row {label!r}")


def policy_of(user) -> Policy:
    return Policy(user=user, memberships=list(user.memberships_in_force()))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def named(world):
    world.units["P"].name = "Ủy ban nhân dân tỉnh Vĩnh Long"
    world.units["P"].save()
    world.units["P-A"].name = ORG_NAME
    world.units["P-A"].save()
    return world


@pytest.fixture
def report(named):
    """A quarterly report of P-A with every kind of figure, the narrative and a row entered by hand."""
    world = named
    p = current(Kind.QUARTERLY, today())
    rf.publish(world, world.units["P-A"], "Thủ tục một", group="A")
    rf.publish(world, world.units["P-A-1"], "Thủ tục hai", group="B", level="commune")
    reviewed = rf.publish(world, world.units["P-A"], "Thủ tục ba")
    review = review_services.round_add_procedure(round=rf.round_for(world), procedure=reviewed)
    rf.filled(review, Action.AMEND, after=rf.WORKED_AFTER)
    rf.advance(review, ReviewStatus.CHECKED)
    rf.approve(world, [review])

    plan = pf.plan(world.units["P-A"], year=p.end.year)
    on_time = pf.task(plan, world.units["P-A"], code="1", deadline=p.end - timedelta(days=1))
    pf.task(plan, world.units["P-A-1"], code="2", deadline=p.end)
    plan_services.assignment_report(assignment=on_time.assignments.get(), progress=100, completed_on=p.start)
    Indicator.objects.create(name="Tỷ lệ hài lòng", target=85, organisation=world.units["P-A"])

    report = services.report_create(organisation=world.units["P-A"], kind=Kind.QUARTERLY, year=p.year, number=p.number)
    services.report_write(
        report=report,
        results="Hoàn thành kế hoạch kiểm soát thủ tục quý.",
        difficulties="Một số đơn vị cập nhật dữ liệu chậm.",
        proposals="Đề nghị tăng cường tập huấn nghiệp vụ.",
        document_number="15/BC-SNV",
        signer="Trần Thị Bình",
        signer_title="Giám đốc",
        recipients="UBND tỉnh;\nLưu: VT, KSTT.",
        manual_rows=[
            {"section": "Kiểm tra", "label": "Số cuộc kiểm tra", "value": "3", "note": "Theo kế hoạch"},
            {"section": "Tập huấn", "label": "Hội nghị tập huấn", "value": "=SUM(A1)"},
        ],
    )
    report.refresh_from_db()
    return report


@pytest.fixture
def leader(named) -> Policy:
    """The policy of P-A's leader, who reads the report."""
    return policy_of(named.leader_a)


def test_figures_are_the_ones_the_tests_expect(report):
    fig = report.figures
    assert fig["procedures"]["in_force"] == 3 and fig["procedures"]["by_group"] == {"A": 2, "B": 1}
    assert (fig["reviews"]["reviewed"], fig["reviews"]["simplified"]) == (1, 1)
    assert fig["reviews"]["cost_before"] > fig["reviews"]["cost_after"] > 0
    assert (fig["tasks"]["due"], fig["tasks"]["done_on_time"]) == (2, 1)


def test_docx_has_the_administrative_layout_sections_and_figures(report, leader):
    from tinhgon.reviews.documents import money, pct

    data = report_docx(report, leader)
    text = docx_text(data)
    fig = report.figures
    for expected in [
        "UBND TỈNH VĨNH LONG",
        ORG_NAME.upper(),
        "Số: 15/BC-SNV",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Vĩnh Long, ngày",
        "BÁO CÁO",
        f"Kết quả kiểm soát thủ tục hành chính, thủ tục hành chính nội bộ {report.period.label}",
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
        "Hoàn thành kế hoạch kiểm soát thủ tục quý.",
        "1. Công bố, công khai thủ tục hành chính, thủ tục hành chính nội bộ",
        "2. Rà soát, đánh giá, đơn giản hóa thủ tục hành chính nội bộ",
        "3. Thực thi phương án đơn giản hóa",
        "4. Thực hiện nhiệm vụ được giao",
        "5. Kết quả thực hiện các chỉ tiêu",
        "Số liệu bổ sung",
        "II. TỒN TẠI, HẠN CHẾ",
        "Một số đơn vị cập nhật dữ liệu chậm.",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
        "Đề nghị tăng cường tập huấn nghiệp vụ.",
        "Nơi nhận:",
        "- UBND tỉnh;",
        "GIÁM ĐỐC",
        "Trần Thị Bình",
        money(fig["reviews"]["cost_before"]),
        pct(fig["reviews"]["cost_saving_pct"]),
        "Tỷ lệ hài lòng",
    ]:
        assert flat(expected) in text, expected
    assert "đồng" in money(fig["reviews"]["cost_before"]) and "," in pct("54.39")
    rows = docx_rows(data)
    assert ["", "Tổng số thủ tục đang có hiệu lực", "3"] in rows
    assert ["01", "Nhóm A: giữa các cơ quan hành chính nhà nước", "2"] in rows
    assert ["01", "Thủ tục mới ban hành", "3"] in rows
    assert row_of(rows, "Nhiệm vụ có thời hạn")[2:] == ["2", ""]
    assert row_of(rows, "- Hoàn thành đúng hạn")[2:] == ["1", "100,00%"]  # of the 1 due or done: 1 on time
    assert row_of(rows, "Chưa đến hạn")[2:] == ["1", "50,00%"]  # of the 2 dated tasks
    assert row_of(rows, COUNTS["reviewed"].label)[-1] == "1"
    assert row_of(rows, "Sửa đổi, bổ sung")[2:] == ["1", "1"]
    manual = row_of(rows, "Số cuộc kiểm tra")
    assert manual[1:] == ["Kiểm tra", "Số cuộc kiểm tra", "3", "Theo kế hoạch"]
    assert row_of(rows, "Hội nghị tập huấn")[3] == "=SUM(A1)"
    assert "Tổng hợp báo cáo của các đơn vị trực thuộc" in text  # P-A has one unit, P-A-1, which has not reported
    assert row_of(rows, "Đơn vị P-A-1")[2] == "Chưa gửi báo cáo"


def test_parent_report_lists_children_submitted_or_missing_with_totals(named):
    world = named
    p = current(Kind.QUARTERLY, today())
    rf.publish(world, world.units["P-A"], "Của sở A")
    rf.publish(world, world.units["P-B"], "Của sở B")
    rf.publish(world, world.units["P-B"], "Của sở B hai")
    for code in ("P-A", "P-B"):
        child = services.report_create(
            organisation=world.units[code], kind=Kind.QUARTERLY, year=p.year, number=p.number
        )
        services.report_write(report=child, results="Đã thực hiện.")
        child.submit()
        child.accept()
    province = services.report_create(organisation=world.units["P"], kind=Kind.QUARTERLY, year=p.year, number=p.number)
    policy = policy_of(world.focal_p)

    data = report_docx(province, policy)
    text = docx_text(data)
    assert "Tổng hợp báo cáo của các đơn vị trực thuộc" in text
    assert "ỦY BAN NHÂN DÂN TỈNH VĨNH LONG" in text  # a province heads its own header
    rows = docx_rows(data)
    assert row_of(rows, ORG_NAME)[2].startswith("Đã gửi ngày") and row_of(rows, ORG_NAME)[3] == "1"
    assert row_of(rows, "Đơn vị P-B")[3] == "2"
    assert row_of(rows, "Đơn vị P-X")[2] == "Chưa gửi báo cáo"
    total = row_of(rows, "2/4 đơn vị đã gửi")
    assert total[1] == "Tổng cộng" and total[3] == "3"

    wb = load_workbook(io.BytesIO(report_xlsx(province, policy)))
    assert "Đơn vị trực thuộc" in wb.sheetnames
    sheet = sheet_rows(wb["Đơn vị trực thuộc"])
    assert row_of(sheet, "Đơn vị P-X")[2] == "Chưa gửi báo cáo"
    assert row_of(sheet, "2/4 đơn vị đã gửi")[3] == 3


def test_xlsx_has_one_sheet_per_section_bold_headers_numbers_and_neutral_text(report, leader):
    wb = load_workbook(io.BytesIO(report_xlsx(report, leader)))
    assert wb.sheetnames[:5] == ["Công bố", "Rà soát", "Nhiệm vụ", "Chỉ tiêu", "Số liệu bổ sung"]
    ws = wb["Công bố"]
    rows = sheet_rows(ws)
    header = next(r for r in ws.iter_rows() if r[0].value == "STT")
    assert all(c.font.bold for c in header if c.value)
    assert row_of(rows, "Tổng số thủ tục đang có hiệu lực")[2] == 3
    assert row_of(rows, "Nhóm A: giữa các cơ quan hành chính nhà nước")[:3] == [
        1,
        "Nhóm A: giữa các cơ quan hành chính nhà nước",
        2,
    ]

    review = sheet_rows(wb["Rà soát"])
    cost = row_of(review, "Chi phí tuân thủ trước đơn giản hóa (đồng/năm)")[2]
    assert isinstance(cost, int) and cost == report.figures["reviews"]["cost_before"]
    assert row_of(review, "Tỷ lệ cắt giảm chi phí")[2] == pytest.approx(
        float(report.figures["reviews"]["cost_saving_pct"]) / 100
    )
    assert "3. Thực thi phương án đơn giản hóa" in [r[0] for r in review]

    tasks = sheet_rows(wb["Nhiệm vụ"])
    assert row_of(tasks, "Nhiệm vụ có thời hạn")[2] == 2
    assert row_of(tasks, "- Hoàn thành đúng hạn")[2:4] == [1, 1]  # one task, 100,00% as the share 1
    assert row_of(tasks, "Chưa đến hạn")[2:4] == [1, 0.5]
    assert row_of(sheet_rows(wb["Chỉ tiêu"]), "Tỷ lệ hài lòng")[3] == "≥ 85"

    manual = sheet_rows(wb["Số liệu bổ sung"])
    assert row_of(manual, "Số cuộc kiểm tra")[3] == 3
    assert row_of(manual, "Hội nghị tập huấn")[3] == "=SUM(A1)"  # kept as text, never a formula


def test_pdf_keeps_vietnamese_diacritics(report, leader, tmp_path):
    data = report_pdf(report, leader)
    assert data.startswith(b"%PDF")
    texts = pdf_texts(data, tmp_path)
    for tool, text in texts.items():
        for expected in [
            "Kết quả kiểm soát thủ tục hành chính, thủ tục hành chính nội bộ",
            "KẾT QUẢ ĐẠT ĐƯỢC",
            "TỒN TẠI, HẠN CHẾ",
            "ĐỀ XUẤT, KIẾN NGHỊ",
            ORG_NAME,
            "Số liệu bổ sung",
            "Trần Thị Bình",
            "Hoàn thành đúng hạn",
        ]:
            assert expected in text, f"{tool}: {expected}"


def test_pdf_numbers_its_pages_at_the_top_from_the_second_and_keeps_the_blanks(report, leader, tmp_path):
    """NĐ 30/2020 Phụ lục I: no number on page 1, then the number at the top centre; a draft's "Số:     /BC-" and
    "ngày    tháng    năm" keep the room the clerk fills by hand (HTML would collapse them to one space)."""
    Report.objects.filter(pk=report.pk).update(document_number="")
    report.refresh_from_db()
    data = report_pdf(report, leader)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) > 1 and "Trang" not in "".join(pages)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is needed to read where the number is printed")
    path = tmp_path / "du-thao.pdf"
    path.write_bytes(data)

    def page(number: int) -> list[str]:
        found = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(path), "-"],
            capture_output=True,
            check=True,
        )
        return [line for line in found.stdout.decode("utf-8").splitlines() if line.strip()]

    first, second = page(1), page(2)
    assert first[0].strip() != "1" and second[0].strip() == "2"
    assert any(re.search(r"Số: {3,}/BC-", line) for line in first)


def test_pdf_and_docx_print_the_same_tables(report, leader, tmp_path):
    from tinhgon.reports.documents import report_content

    docx = docx_text(report_docx(report, leader))
    pdf = pdf_texts(report_pdf(report, leader), tmp_path)["pypdf"]
    for part in report_content(report, leader).parts:
        for expected in [part.heading, *part.paragraphs, *(t.title for t in part.tables)]:
            assert flat(expected) in docx, expected
            assert flat(expected) in pdf, expected


# Views -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, magic", [("reports:docx", b"PK"), ("reports:xlsx", b"PK"), ("reports:pdf", b"%PDF")])
def test_downloads_for_members_and_parent_members_404_for_outsiders(report, client, name, magic):
    url = reverse(name, args=[report.pk])
    from tinhgon.accounts.models import User

    for username in ("leader_a", "chair_p"):
        client.force_login(User.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200, username
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body.startswith(magic)
        assert download_names(response)[0] == f"Báo cáo {report.period.label.replace('/', '-')} - {ORG_NAME}.{name[8:]}"
    client.force_login(User.objects.get(username="outsider"))
    assert client.get(url).status_code == 404


def test_a_report_downloads_under_its_period_and_unit_with_an_ascii_fallback(report, named, client):
    client.force_login(named.leader_a)
    name, fallback = download_names(client.get(reverse("reports:docx", args=[report.pk])))
    label = report.period.label.replace("/", "-")  # "quý III-2026"
    assert name == f"Báo cáo {label} - Sở Nội vụ tỉnh Vĩnh Long.docx"
    assert fallback == f"Bao cao {label.replace('ý', 'y')} - So Noi vu tinh Vinh Long.docx"


# One figure, one formatter: the page, the Word file and the workbook of one report read alike -----------------------


def _page_row(page: str, key: str) -> str:
    """The text of the report page's figure row `fig-<key>`, tags removed."""
    row = page.split(f'id="fig-{key}"')[1].split("</tr>")[0]
    return flat(re.sub(r"<[^>]+>", " ", row))


def _page(report, user, client) -> str:
    client.force_login(user)
    return client.get(reverse("reports:detail", args=[report.pk])).content.decode()


def test_a_share_reads_the_same_on_the_page_in_word_and_in_excel(report, leader, named, client):
    share = percent(report.figures["reviews"]["reviewed_pct"])  # one of three procedures: 33,33%
    assert share == "33,33%"
    assert f"({share})" in _page_row(_page(report, named.focal_a, client), "reviewed")
    assert row_of(docx_rows(report_docx(report, leader)), "Tỷ lệ thủ tục đã rà soát")[-1] == share
    cell = next(
        r[2]
        for r in load_workbook(io.BytesIO(report_xlsx(report, leader)))["Rà soát"].iter_rows()
        if r[1].value == "Tỷ lệ thủ tục đã rà soát"
    )
    assert cell.number_format == "0.00%" and percent(cell.value * 100) == share


def test_an_amount_reads_the_same_on_the_page_in_word_and_in_excel(report, leader, named, client):
    amount = report.figures["reviews"]["cost_before"]
    label = "Chi phí tuân thủ trước đơn giản hóa (đồng/năm)"
    assert number(amount) in _page_row(_page(report, named.focal_a, client), "cost_before")
    assert row_of(docx_rows(report_docx(report, leader)), label)[-1] == money(amount)  # the number, then "đồng"
    cell = next(
        r[2]
        for r in load_workbook(io.BytesIO(report_xlsx(report, leader)))["Rà soát"].iter_rows()
        if r[1].value == label
    )
    assert cell.value == amount and cell.number_format == "#,##0" and number(cell.value) == number(amount)


def test_the_report_is_titled_by_its_period_without_repeating_quy(report, leader, named, client):
    page = _page(report, named.focal_a, client)
    title = f"Báo cáo {report.period.label}"
    assert title in page and "quý quý" not in page.lower()
    assert "quý quý" not in docx_text(report_docx(report, leader)).lower()


def test_no_document_prints_the_words_nhap_tay(report, leader, tmp_path):
    assert "nhập tay" not in docx_text(report_docx(report, leader)).lower()
    assert "nhập tay" not in pdf_texts(report_pdf(report, leader), tmp_path)["pypdf"].lower()
    wb = load_workbook(io.BytesIO(report_xlsx(report, leader)))
    cells = [str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert not [c for c in cells + wb.sheetnames if "nhập tay" in c.lower()]


def test_a_report_cell_holding_formula_like_text_shows_no_apostrophe_and_is_no_formula(report, leader):
    ws = load_workbook(io.BytesIO(report_xlsx(report, leader)))["Số liệu bổ sung"]
    cell = next(r[3] for r in ws.iter_rows() if r[2].value == "Hội nghị tập huấn")
    assert cell.value == "=SUM(A1)" and cell.data_type == "s" and cell.quotePrefix
    assert not [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("'")]
