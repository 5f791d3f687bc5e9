"""The review documents open in Word and Excel and say what the review holds: every test reads the generated file
back (python-docx, openpyxl) and checks the text and the figures of the §6.3 worked example (740.000 đồng per
execution, 88.800.000 → 40.500.000 đồng a year, 54,39%)."""

import io
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from tinhgon.core.dates import today
from tinhgon.procedures.constants import STANDARD_LEGAL_BASES
from tinhgon.procedures.tests.test_documents import blocks, effective_font, in_order, lines, open_docx, paragraphs
from tinhgon.reviews import services
from tinhgon.reviews.constants import Action, ChangeKind, ReviewStatus
from tinhgon.reviews.documents import (
    APPROVAL_TOTAL,
    LEDGER_TOTAL,
    PROPOSALS_TOTAL,
    approval_docx,
    ledger_rows,
    ledger_xlsx,
    money,
    number,
    pct,
    proposals_xlsx,
    review_docx,
)
from tinhgon.reviews.ledger import COUNTS, ledger_for
from tinhgon.reviews.models import Review
from tinhgon.reviews.tests import factories as f
from tinhgon.test import download_names

pytestmark = pytest.mark.django_db

DEADLINE = date(2025, 12, 31)
LEGAL_ACTS = "Quyết định sửa đổi Quy chế thi đua, khen thưởng của tỉnh"
CHANGES = [
    {"kind": ChangeKind.ADD_ONLINE, "target": "Nộp hồ sơ", "before": "Trực tiếp", "after": "Trực tuyến"},
    {"kind": ChangeKind.REMOVE_DOSSIER_ITEM, "target": "Biên bản họp Hội đồng", "before": "", "after": ""},
]


def review_of(world, name="Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh", owner="P-A-1", **fields):
    procedure = f.publish(world, world.units[owner], name, **fields)
    return services.round_add_procedure(round=f.round_for(world), procedure=procedure)


def worked_review(world, name="Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh", status=ReviewStatus.CHECKED, **kw):
    """The §6.3 example: amended, 740.000 đồng per execution, 120 a year, 88.800.000 → 40.500.000 đồng."""
    review = review_of(world, name, **kw)
    review.reviewer = world.officer_a1
    review.save()
    f.filled(
        review,
        Action.AMEND,
        after=f.WORKED_AFTER,
        changes=CHANGES,
        reason="Giảm thành phần hồ sơ, nộp trực tuyến",
        legal_acts=LEGAL_ACTS,
        implementing_issuer="Chủ tịch UBND tỉnh",
        implementation_deadline=DEADLINE,
    )
    return f.advance(review, status)


def simple_review(world, name, action=Action.ABOLISH, per_execution=100_000, **proposal):
    """A checked review whose one cost row is `per_execution` (annual = × 120)."""
    review = review_of(world, name)
    rows = [services.RowData("Chi phí thực hiện", Decimal(0), 0, 0, per_execution)]
    f.filled(review, action, before=rows, **proposal)
    return f.advance(review, ReviewStatus.CHECKED)


@pytest.fixture
def worked(world):
    return worked_review(world)


def xlsx(data: bytes):
    return load_workbook(io.BytesIO(data))


def values(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def row_with(ws, text) -> list:
    return next(r for r in values(ws) if text in r)


# Formatting ------------------------------------------------------------------------------------------------------


def test_vietnamese_number_formats():
    assert money(88_800_000) == "88.800.000 đồng"
    assert money(0) == "0 đồng"
    assert pct(Decimal("54.39")) == "54,39%" and pct(Decimal("5")) == "5,00%"
    assert number(Decimal("0.50")) == "0,5" and number(Decimal("8.00")) == "8" and number(-1500) == "-1.500"
    assert number(Decimal("50000.00")) == "50.000" and number(Decimal("1234567.125"), 2) == "1.234.567,13"


# The review form -------------------------------------------------------------------------------------------------


def test_review_form_identifies_the_procedure_and_the_reviewer(world, worked):
    text = blocks(review_docx(worked))
    in_order(
        text,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "PHIẾU RÀ SOÁT, ĐÁNH GIÁ THỦ TỤC HÀNH CHÍNH NỘI BỘ",
        "Tên thủ tục | Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh",
        f"Mã thủ tục | {worked.procedure.code}",
        f"Lĩnh vực | {worked.version.field.name}",
        "Nhóm | Nhóm A: giữa các cơ quan hành chính nhà nước",
        "Đơn vị rà soát | Đơn vị P-A-1",
        f"Người rà soát | {world.officer_a1.get_full_name() or world.officer_a1.username}",
        f"Ngày rà soát | {today():%d/%m/%Y}",
    )


def test_review_form_lists_the_questions_by_criterion_with_answers(worked):
    text = blocks(review_docx(worked))
    positions = in_order(text, "I. RÀ SOÁT", "1. Sự cần thiết", "2. Tính hợp lý", "3. Tính hợp pháp", "II. GỢI Ý")
    first = next(a for a in worked.answers.select_related("question") if a.question.order == 1)
    row = next(t for t in text[positions[1] : positions[2]] if first.question.text in t)
    assert row.startswith("1 | ") and "| Có" in row and "| Phù hợp" in row
    legality = [t for t in text[positions[3] : positions[4]] if " | " in t and not t.startswith("STT")]
    assert legality and all(" | Có" in t for t in legality)


def test_review_form_shows_accepted_hints_only(world):
    review = review_of(world)
    services.hint_decide(review=review, code="no_online_channel", accepted=True, note="Bổ sung nộp trực tuyến")
    services.hint_decide(review=review, code="certified_copies", accepted=False, note="Không áp dụng")
    text = "\n".join(lines(review_docx(review)))
    assert "Chưa cho phép nộp hồ sơ trực tuyến: Bổ sung nộp trực tuyến" in text
    assert "Yêu cầu bản sao chứng thực" not in text and "Không áp dụng" not in text


def test_review_form_has_both_cost_sheets_of_the_worked_example(worked):
    text = blocks(review_docx(worked))
    start, current, after, proposal = in_order(
        text, "III. CHI PHÍ TUÂN THỦ", "1. Chi phí tuân thủ hiện tại", "2. Chi phí tuân thủ sau", "IV. PHƯƠNG ÁN"
    )
    assert (
        "1 | Chuẩn bị hồ sơ (tờ trình, báo cáo thành tích, biên bản họp) | 8 | 50.000 | 0 | 0 | 40.000 | 440.000"
        in text
    )
    assert "2 | Nộp hồ sơ trực tiếp | 2 | 50.000 | 0 | 0 | 50.000 | 150.000" in text
    assert text[current + 6].startswith(" | Chi phí một lần thực hiện | ") and text[current + 6].endswith("740.000")
    current_part = "\n".join(text[current:after])
    assert "Chi phí một lần thực hiện: 740.000 đồng." in current_part
    assert "Số đối tượng thực hiện/năm: 120." in current_part
    assert "Chi phí tuân thủ một năm: 88.800.000 đồng." in current_part
    assert "đơn giá giờ công 50.000 đồng/giờ" in current_part
    after_part = "\n".join(text[after:proposal])
    assert "2 | Nộp hồ sơ trên hệ thống | 0,5 | 50.000 | 0 | 0 | 0 | 25.000" in after_part
    assert "Chi phí một lần thực hiện: 337.500 đồng." in after_part
    assert "Chi phí tuân thủ một năm: 40.500.000 đồng." in after_part


def test_review_form_states_the_proposal_and_its_benefit(worked):
    text = blocks(review_docx(worked))
    part = "\n".join(text[in_order(text, "IV. PHƯƠNG ÁN")[0] :])
    assert "1. Phương án: Sửa đổi, bổ sung." in part
    assert "- Cho phép nộp hồ sơ trực tuyến: Nộp hồ sơ (hiện tại: Trực tiếp; đề xuất: Trực tuyến);" in part
    assert "- Bỏ thành phần hồ sơ: Biên bản họp Hội đồng." in part
    assert "3. Lý do: Giảm thành phần hồ sơ, nộp trực tuyến" in part
    assert f"- {LEGAL_ACTS};" in part and "Thời hạn thực thi: 31/12/2025" in part
    assert "88.800.000 | 40.500.000 | 48.300.000 | 54,39%" in part
    assert "giảm từ 88.800.000 đồng xuống 40.500.000 đồng mỗi năm, tiết kiệm 48.300.000 đồng, đạt 54,39%" in part
    assert "NGƯỜI RÀ SOÁT" in part and "THỦ TRƯỞNG ĐƠN VỊ" in part


def test_review_form_of_a_fresh_review_says_what_is_missing(world):
    text = "\n".join(lines(review_docx(review_of(world))))
    assert "Chưa trả lời" in text and "Chưa tính." in text and "Chưa có phương án." in text


def test_review_form_is_times_new_roman(worked):
    doc = open_docx(review_docx(worked))
    fonts = {effective_font(r, p) for p in paragraphs(doc) for r in p.runs if r.text.strip()}
    assert {name for name, _ in fonts} == {"Times New Roman"}
    assert {size for _, size in fonts} <= {11, 12, 13, 14}


def test_review_form_in_a_constant_number_of_queries(world, worked):
    with CaptureQueriesContext(connection) as one:
        review_docx(worked)
    other = worked_review(world, "Thủ tục công nhận danh hiệu Tập thể lao động xuất sắc")
    other.send_back("Bổ sung")
    for code in ("no_online_channel", "certified_copies", "too_many_sets"):
        services.hint_decide(review=other, code=code, accepted=True)
    with CaptureQueriesContext(connection) as two:
        review_docx(other)
    assert len(two) == len(one)


# The approval decision -------------------------------------------------------------------------------------------


@pytest.fixture
def approved(world, worked):
    """The worked example (group A) and an abolition, approved by the province P; P-A leads the implementation."""
    province = world.units["P"]
    province.name = "Ủy ban nhân dân tỉnh Vĩnh Long"
    province.save()
    abolished = simple_review(world, "Thủ tục đăng ký lịch làm việc của lãnh đạo UBND tỉnh", Action.ABOLISH)
    bases = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025\n" + STANDARD_LEGAL_BASES[1]
    return f.approve(
        world,
        [worked, abolished],
        lead_unit=world.units["P-A"],
        legal_bases=bases,
        proposal="Tờ trình số 6692/TTr-SGTVT ngày 25/10/2024",
    )


def test_approval_decision_has_the_administrative_header_and_preamble(approved):
    text = blocks(approval_docx(approved))
    header = text[0]
    in_order(
        header.split("\n"),
        "ỦY BAN NHÂN DÂN",
        "TỈNH VĨNH LONG",
        f"Số: {approved.number} | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Vĩnh Long, ngày {today().day:02d} tháng",
    )
    in_order(
        text,
        "QUYẾT ĐỊNH",
        "Phê duyệt phương án đơn giản hóa thủ tục hành chính nội bộ lĩnh vực",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH VĨNH LONG",
        "Căn cứ Luật Tổ chức chính quyền địa phương",
        "Căn cứ Quyết định số 1085/QĐ-TTg",
        "Theo đề nghị của Giám đốc Đơn vị P-A tại Tờ trình số 6692/TTr-SGTVT ngày 25/10/2024.",
        "QUYẾT ĐỊNH:",
    )
    assert not any("63/2010" in block for block in text)  # NĐ 63/2010 does not govern internal procedures


def test_approval_decision_articles_name_the_lead_unit_and_deadlines(approved, worked):
    text = blocks(approval_docx(approved))
    one, two, three, recipients = in_order(text, "Điều 1. ", "Điều 2. ", "Điều 3. ", "Nơi nhận:")
    assert (
        "Phê duyệt phương án đơn giản hóa 02 thủ tục hành chính nội bộ thuộc phạm vi quản lý của Ủy ban nhân dân "
        "tỉnh Vĩnh Long, gồm: 01 thủ tục bãi bỏ; 01 thủ tục sửa đổi, bổ sung (có Phụ lục kèm theo)." in text[one]
    )
    # 88.800.000 + 12.000.000 before; 40.500.000 + 0 after
    assert (
        "giảm từ 100.800.000 đồng xuống 40.500.000 đồng, tiết kiệm 60.300.000 đồng, tỷ lệ cắt giảm 59,82%" in text[one]
    )
    assert "Giao Đơn vị P-A chủ trì" in text[two]
    article2 = "\n".join(text[two:three])
    assert f"- Đơn vị P-A: thủ tục {worked.procedure.code} (sửa đổi, bổ sung), hoàn thành trước ngày 31/12/2025" in (
        article2
    )
    assert "Quyết định này có hiệu lực kể từ ngày ký." in text[three]
    assert "chịu trách nhiệm thi hành Quyết định này./." in text[three]
    assert "- Như Điều 3;" in text[recipients] and "CHỦ TỊCH" in text[recipients] and "Nguyễn Văn A" in text[recipients]


def test_approval_annex_lists_each_proposal_with_costs_and_totals(approved, worked):
    data = approval_docx(approved)
    text = blocks(data)
    in_order(
        text,
        "PHỤ LỤC",
        "PHƯƠNG ÁN ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH NỘI BỘ",
        "THUỘC PHẠM VI QUẢN LÝ CỦA ỦY BAN NHÂN DÂN TỈNH VĨNH LONG",
        f"(Kèm theo Quyết định số {approved.number}",
        "STT | Tên thủ tục hành chính nội bộ | Mã thủ tục | Phương án | Nội dung đơn giản hóa | Lý do | "
        "Kiến nghị thực thi | Chi phí trước (đồng/năm) | Chi phí sau (đồng/năm) | Tiết kiệm (đồng/năm) | Tỷ lệ (%)",
    )
    row = next(t for t in text if f"| {worked.procedure.code} |" in t)
    assert row.startswith("0") and "| Sửa đổi, bổ sung |" in row
    assert "Cho phép nộp hồ sơ trực tuyến: Nộp hồ sơ" in row and "Giảm thành phần hồ sơ, nộp trực tuyến" in row
    assert LEGAL_ACTS in row and row.endswith("| 88.800.000 | 40.500.000 | 48.300.000 | 54,39")
    abolished = next(t for t in text if "| Bãi bỏ |" in t)
    assert abolished.endswith("| 12.000.000 | 0 | 12.000.000 | 100,00")
    assert text[-1].endswith(f"| {APPROVAL_TOTAL} |  |  |  |  |  | 100.800.000 | 40.500.000 | 60.300.000 | 59,82")
    sections = open_docx(data).sections
    assert sections[0].orientation != WD_ORIENT.LANDSCAPE and sections[-1].orientation == WD_ORIENT.LANDSCAPE


def test_group_b_approval_by_the_agency_signs_as_its_head(world):
    review = simple_review(world, "Thủ tục nội bộ của Sở về cử cán bộ đi học", Action.KEEP)
    review.version.group = "B"
    review.version.save()
    decision = f.approve(world, [review], issuer=world.units["P-A"])
    decision.signer_title = ""
    decision.save()
    text = blocks(approval_docx(decision))
    in_order(text, "ĐƠN VỊ P-A", "GIÁM ĐỐC ĐƠN VỊ P-A", "Điều 1. ", "Điều 2. ", "GIÁM ĐỐC")
    assert any("01 thủ tục giữ nguyên" in t for t in text)
    assert any("tiếp tục thực hiện thủ tục theo quy định hiện hành" in t for t in text)


def test_approval_decision_in_a_constant_number_of_queries(world):
    first = simple_review(world, "Thủ tục một", Action.ABOLISH)
    small = f.approve(world, [first])
    with CaptureQueriesContext(connection) as one:
        approval_docx(small)
    many = [simple_review(world, f"Thủ tục số {n}", Action.ABOLISH) for n in range(3)]
    many.append(worked_review(world, "Thủ tục sửa đổi"))
    large = f.approve(world, many)
    with CaptureQueriesContext(connection) as four:
        approval_docx(large)
    assert len(four) == len(one)


# Workbooks -------------------------------------------------------------------------------------------------------


def test_proposals_workbook_has_one_row_per_proposal_and_totals(world, worked):
    abolished = simple_review(world, "Thủ tục đăng ký lịch làm việc", Action.ABOLISH)
    ws = xlsx(proposals_xlsx(Review.objects.filter(pk__in=[worked.pk, abolished.pk]))).active
    rows = values(ws)
    assert rows[0][0] == "PHƯƠNG ÁN ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH NỘI BỘ"
    assert rows[2][:4] == ["STT", "Tên thủ tục hành chính nội bộ", "Mã thủ tục", "Phương án"]
    amended = row_with(ws, worked.procedure.code)
    assert amended[3] == "Sửa đổi, bổ sung" and amended[7:] == [
        88_800_000,
        40_500_000,
        48_300_000,
        pytest.approx(0.5439),
    ]
    assert row_with(ws, "Bãi bỏ")[7:] == [12_000_000, 0, 12_000_000, 1]  # 100,00% as a share
    total = rows[-1]
    assert total[1] == PROPOSALS_TOTAL and total[7:] == [100_800_000, 40_500_000, 60_300_000, pytest.approx(0.5982)]
    assert [r[0] for r in rows[3:-1]] == [1, 2]


def test_proposals_workbook_neutralises_formulas(world):
    review = simple_review(
        world,
        "Thủ tục có lý do độc hại",
        Action.ABOLISH,
        reason='=HYPERLINK("http://evil.example","bấm")',
        legal_acts="@SUM(1+1)",
    )
    review.send_back("Sửa")
    services.proposal_save(
        review=review,
        action=Action.ABOLISH,
        reason='=HYPERLINK("http://evil.example","bấm")',
        changes=[{"kind": ChangeKind.OTHER, "target": "+cmd|' /C calc'!A0"}],
        legal_acts="-2+3",
    )
    ws = xlsx(proposals_xlsx(Review.objects.filter(pk=review.pk))).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert '=HYPERLINK("http://evil.example","bấm")' in texts  # as typed, no visible quote
    assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@")))
    assert "-2+3" in texts and "@SUM(1+1)" not in texts and "Nội dung khác: +cmd|' /C calc'!A0" in texts


@pytest.fixture
def ledger_world(world, worked):
    """P-A-1: the worked example approved, an abolition checked but not approved, one procedure not reviewed."""
    f.approve(world, [worked])
    simple_review(world, "Thủ tục chờ phê duyệt", Action.ABOLISH, per_execution=50_000)
    f.publish(world, world.units["P-A-1"], "Thủ tục chưa rà soát")
    return ledger_for(world.units["P-A-1"])


def test_ledger_workbook_summary_has_metrics_milestones_and_definitions(ledger_world):
    result = ledger_world
    book = xlsx(ledger_xlsx(result, ledger_rows(result)))
    assert book.sheetnames == ["Tổng hợp", "Chi tiết"]
    ws = book["Tổng hợp"]
    assert f"tính đến ngày {today():%d/%m/%Y}" in values(ws)[1][0]
    assert row_with(ws, COUNTS["published"].label)[1] == 3
    assert row_with(ws, COUNTS["reviewed"].label)[1] == 2
    assert row_with(ws, "Chi phí tuân thủ trước đơn giản hóa (đồng/năm)")[1] == 88_800_000 + 6_000_000
    assert row_with(ws, "Chi phí tuân thủ sau đơn giản hóa (đồng/năm)")[1] == 40_500_000 + 6_000_000
    reviewed = [r for r in values(ws) if r[0] == "Tỷ lệ thủ tục đã rà soát (%)"]
    assert reviewed and all(r[1] == pytest.approx(0.6667) for r in reviewed)  # 66,67% as a share, 0.00%
    for check in result.milestones:
        assert any(
            r[2] == pytest.approx(float(check.milestone.target) / 100)
            and r[3] is not None
            and r[3].date() == check.milestone.due_on
            and r[4] == check.status_label
            for r in values(ws)
        ), check
    text = [r[0] for r in values(ws) if r[0]]
    assert "Cách tính" in text
    assert str(COUNTS["reviewed"]) in text


def test_ledger_workbook_details_list_the_procedures_behind_it(ledger_world, worked):
    result = ledger_world
    ws = xlsx(ledger_xlsx(result, ledger_rows(result)))["Chi tiết"]
    rows = values(ws)
    assert rows[0][:7] == ["STT", "Mã thủ tục", "Tên thủ tục", "Cơ quan quản lý", "Nhóm", "Lĩnh vực", "Đã rà soát"]
    amended = row_with(ws, worked.procedure.code)
    assert amended[2:] == [
        "Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh",
        "Đơn vị P-A-1",
        "A",
        worked.version.field.name,
        "Có",
        "Sửa đổi, bổ sung",
        "Có",
        88_800_000,
        40_500_000,
        48_300_000,
    ]
    pending = row_with(ws, "Thủ tục chờ phê duyệt")
    assert pending[6:] == ["Có", "Bãi bỏ", "Chưa", 6_000_000, 6_000_000, 0]
    assert row_with(ws, "Thủ tục chưa rà soát")[6:] == ["Chưa", None, None, None, None, None]
    assert rows[-1][1] == LEDGER_TOTAL
    assert rows[-1][9:] == [result.cost_before, result.cost_after, result.cost_saving]


def test_ledger_rows_in_a_constant_number_of_queries(world, worked):
    small = ledger_for(world.units["P-A-1"])
    with CaptureQueriesContext(connection) as one:
        assert len(ledger_rows(small)) == 1
    for n in range(3):
        simple_review(world, f"Thủ tục thêm {n}")
        f.publish(world, world.units["P-A-1"], f"Thủ tục chưa rà soát {n}")
    large = ledger_for(world.units["P-A-1"])
    with CaptureQueriesContext(connection) as seven:
        assert len(ledger_rows(large)) == 7
    assert len(seven) == len(one) <= 3


# Downloads -------------------------------------------------------------------------------------------------------

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_review_form_download(world, worked, login, client):
    response = login(world.focal_a).get(f"/ra-soat/phieu/{worked.pk}/docx/")
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    assert any("88.800.000 đồng" in t for t in lines(response.content))
    assert login(world.outsider).get(f"/ra-soat/phieu/{worked.pk}/docx/").status_code == 404
    assert login(world.outsider_admin).get(f"/ra-soat/phieu/{worked.pk}/docx/").status_code == 404
    assert login(world.focal_a).get("/ra-soat/phieu/999999/docx/").status_code == 404


def test_review_form_download_needs_login(worked, client):
    response = client.get(f"/ra-soat/phieu/{worked.pk}/docx/")
    assert response.status_code == 302


def test_approval_download(world, approved, login):
    response = login(world.officer_a1).get(f"/ra-soat/phe-duyet/{approved.pk}/docx/")
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    assert any(APPROVAL_TOTAL in t for t in blocks(response.content))
    assert login(world.chair_p).get(f"/ra-soat/phe-duyet/{approved.pk}/docx/").status_code == 200
    assert login(world.outsider).get(f"/ra-soat/phe-duyet/{approved.pk}/docx/").status_code == 404


def test_proposals_download_filtered_by_round(world, worked, login):
    other = simple_review(world, "Thủ tục kế hoạch khác", Action.ABOLISH)
    response = login(world.focal_a).get(f"/ra-soat/phuong-an.xlsx?round={worked.round_id}")
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    ws = xlsx(content(response)).active
    codes = [r[2] for r in values(ws)[3:-1]]
    assert codes == [worked.procedure.code] and other.procedure.code not in codes
    everything = xlsx(content(login(world.focal_a).get("/ra-soat/phuong-an.xlsx"))).active
    assert {worked.procedure.code, other.procedure.code} <= {r[2] for r in values(everything)}
    assert login(world.outsider).get(f"/ra-soat/phuong-an.xlsx?round={worked.round_id}").status_code == 404
    outsiders = xlsx(content(login(world.outsider).get("/ra-soat/phuong-an.xlsx"))).active
    assert values(outsiders)[-1][1] == PROPOSALS_TOTAL and len(values(outsiders)) == 4  # title, date, header, totals
    assert login(world.focal_a).get("/ra-soat/phuong-an.xlsx?round=abc").status_code == 400


def test_ledger_download_with_filters(world, ledger_world, login):
    client = login(world.focal_a)
    response = client.get("/ra-soat/so-theo-doi.xlsx?org=P-A-1")
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    book = xlsx(content(response))
    assert row_with(book["Tổng hợp"], COUNTS["published"].label)[1] == 3
    own = xlsx(content(client.get("/ra-soat/so-theo-doi.xlsx")))  # default: the unit the user acts for (P-A)
    assert row_with(own["Tổng hợp"], COUNTS["published"].label)[1] == 3
    none_b = xlsx(content(client.get("/ra-soat/so-theo-doi.xlsx?org=P-A-1&group=B&level=province")))
    assert row_with(none_b["Tổng hợp"], COUNTS["published"].label)[1] == 0
    before = (today() - timedelta(days=1)).strftime("%d/%m/%Y")
    earlier = xlsx(content(client.get(f"/ra-soat/so-theo-doi.xlsx?org=P-A-1&as_of={before}")))
    assert row_with(earlier["Tổng hợp"], COUNTS["published"].label)[1] == 0
    assert client.get("/ra-soat/so-theo-doi.xlsx?as_of=31/02/2025").status_code == 400
    assert client.get("/ra-soat/so-theo-doi.xlsx?org=P-B").status_code == 404
    assert login(world.outsider).get("/ra-soat/so-theo-doi.xlsx?org=P").status_code == 404
    assert login(world.outsider).get("/ra-soat/so-theo-doi.xlsx?org=nope").status_code == 404


def test_downloads_do_not_grow_queries_with_the_data(world, login):
    client = login(world.chair_p)
    small = [simple_review(world, "Thủ tục đầu tiên", Action.ABOLISH)]
    small_decision = f.approve(world, small)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            content(response)
        assert response.status_code == 200, url
        return len(queries)

    urls = lambda decision, round_id: [  # noqa: E731
        f"/ra-soat/phe-duyet/{decision.pk}/docx/",
        f"/ra-soat/phuong-an.xlsx?round={round_id}",
        "/ra-soat/so-theo-doi.xlsx?org=P",
        f"/ra-soat/phieu/{small[0].pk}/docx/",
    ]
    first = [count(u) for u in urls(small_decision, small[0].round_id)]
    more = [simple_review(world, f"Thủ tục thêm {n}", Action.ABOLISH) for n in range(3)]
    more.append(worked_review(world, "Thủ tục sửa đổi thêm"))
    for procedure_name in ("Thủ tục chưa rà soát 1", "Thủ tục chưa rà soát 2"):
        f.publish(world, world.units["P-B"], procedure_name)
    large_decision = f.approve(world, more)
    plan = f.round_for(world)
    Review.objects.filter(pk__in=[r.pk for r in [*small, *more]]).update(round=plan)
    second = [count(u) for u in urls(large_decision, plan.pk)]
    assert second == first


# Download names ---------------------------------------------------------------------------------------------------


def test_a_review_form_downloads_under_the_code_and_name_of_its_procedure(world, worked, login):
    name, fallback = download_names(login(world.focal_a).get(f"/ra-soat/phieu/{worked.pk}/docx/"))
    assert name == f"Phiếu rà soát TTHC nội bộ {worked.procedure.code} - {worked.version.name}.docx"
    assert fallback.startswith(f"Phieu ra soat TTHC noi bo {worked.procedure.code} - Thu tuc xet tang Bang khen")


def test_an_approval_decision_downloads_under_its_number(world, approved, login):
    response = login(world.officer_a1).get(f"/ra-soat/phe-duyet/{approved.pk}/docx/")
    number = approved.number.replace("/", "-")
    assert download_names(response)[0] == f"Quyết định {number} phê duyệt phương án đơn giản hóa TTHC nội bộ.docx"
    assert download_names(response)[1].startswith(f"Quyet dinh {number.replace('Đ', 'D')} phe duyet phuong an")


def test_the_proposals_workbook_of_a_plan_is_named_after_the_plan(world, worked, login):
    response = login(world.focal_a).get(f"/ra-soat/phuong-an.xlsx?round={worked.round_id}")
    assert download_names(response)[0] == f"Phương án đơn giản hóa TTHC nội bộ - {worked.round.title}.xlsx"


def test_the_ledger_is_named_after_its_unit_and_day(world, ledger_world, login):
    response = login(world.focal_a).get("/ra-soat/so-theo-doi.xlsx?org=P-A-1")
    expected = f"Sổ theo dõi rà soát, đơn giản hóa TTHC nội bộ - Đơn vị P-A-1 - đến ngày {today():%d-%m-%Y}.xlsx"
    assert download_names(response)[0] == expected
