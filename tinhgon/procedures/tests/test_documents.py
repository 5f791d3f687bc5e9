"""The official documents open in Word / a PDF reader and say what the registry holds, in Vietnamese, in the NĐ 30
layout. Every test reads the generated file back (python-docx, pypdf, pdftotext) rather than trusting the builder."""

import io
import shutil
import subprocess
import unicodedata
import zipfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from docx import Document
from docx.shared import Pt
from docx.table import Table
from pypdf import PdfReader

from tinhgon.core import doctemplates
from tinhgon.core.dates import today
from tinhgon.organisations.models import DocumentTemplate
from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.documents import decision_docx, procedure_docx, procedure_pdf, version_content
from tinhgon.procedures.services import decision_add_item, decision_issue, version_start_next, version_update
from tinhgon.procedures.tests.factories import complete_components, field, make_procedure
from tinhgon.test import download_names

pytestmark = pytest.mark.django_db

BANG_KHEN = "Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh"
LUU_TRU = "Thủ tục lập hồ sơ nộp lưu tài liệu vào Lưu trữ lịch sử tỉnh"
VAN_PHONG = "Thủ tục đăng ký lịch làm việc của lãnh đạo UBND tỉnh"
DANH_HIEU = "Thủ tục công nhận danh hiệu Tập thể lao động xuất sắc"
NEW_STEP = "Lập hồ sơ đề nghị trên Hệ thống quản lý văn bản, gửi Sở Nội vụ"
BASES = (
    "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025\n"
    "Căn cứ Quyết định số 1085/QĐ-TTg ngày 15 tháng 9 năm 2022 của Thủ tướng Chính phủ;\n"
)
PROPOSAL = "Tờ trình số 04/TTr-VPUBND ngày 25/7/2025 của Chánh Văn phòng Ủy ban nhân dân tỉnh"


# Reading the files back ------------------------------------------------------------------------------------------


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def blocks(data: bytes) -> list[str]:
    """Body paragraphs and table rows ("cell | cell") in document order."""
    out = []
    for block in open_docx(data).iter_inner_content():
        if isinstance(block, Table):
            out += [" | ".join(cell.text for cell in row.cells) for row in block.rows]
        else:
            out.append(block.text)
    return out


def paragraphs(doc) -> list:
    """Every paragraph of the body and of every table cell."""
    found = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                found += cell.paragraphs
    return found


def lines(data: bytes) -> list[str]:
    return [p.text for p in paragraphs(open_docx(data))]


def paragraph(doc, text: str):
    return next(p for p in paragraphs(doc) if text in p.text)


def in_order(haystack: list[str], *needles: str) -> list[int]:
    """Index of each needle, each searched after the previous one; fails naming the one not found."""
    positions, start = [], 0
    for needle in needles:
        index = next((i for i in range(start, len(haystack)) if needle in haystack[i]), None)
        assert index is not None, f"“{needle}” not found after block {start}"
        positions.append(index)
        start = index + 1
    return positions


def effective_font(run, paragraph):
    style = paragraph.style
    while style is not None and (style.font.name is None or style.font.size is None):
        style = style.base_style
    return (run.font.name or style.font.name, (run.font.size or paragraph.style.font.size or style.font.size).pt)


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_texts(data: bytes, tmp_path) -> dict[str, str]:
    reader = PdfReader(io.BytesIO(data))
    texts = {"pypdf": flat("\n".join(page.extract_text() for page in reader.pages))}
    if shutil.which("pdftotext"):
        path = tmp_path / "thu-tuc.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
        texts["pdftotext"] = flat(out.stdout.decode("utf-8"))
    return texts


def pdf_fonts(data: bytes) -> list[tuple[str, bool]]:
    """(base font name, embedded?) of every font the pages use."""
    found = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for d in descendants:
                descriptor = d["/FontDescriptor"].get_object()
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found[str(d["/BaseFont"])] = embedded
    return sorted(found.items())


# Data ------------------------------------------------------------------------------------------------------------


@pytest.fixture
def vinh_long(world):
    world.units["P"].name = "Ủy ban nhân dân tỉnh Vĩnh Long"
    world.units["P"].save()
    world.units["P-A"].name = "Sở Nội vụ"
    world.units["P-A"].save()
    return world


def checked(owner, name, **overrides):
    return make_procedure(owner, status=Status.CHECKED, components=complete_components(name, **overrides))


def amend(procedure):
    """The next version of a published procedure, with a changed first step, checked and ready to publish."""
    draft = version_start_next(procedure=procedure)
    components = complete_components()
    components.steps[0]["action"] = NEW_STEP
    version_update(version=draft, components=components)
    draft.submit()
    draft.control()
    return draft


def decision_680(decision, **extra):
    return decision(
        number="680/QĐ-UBND",
        signed_on=date(2025, 7, 28),
        signer="Nguyễn Quỳnh Thiện",
        legal_bases=BASES,
        proposal=PROPOSAL,
        **extra,
    )


@pytest.fixture
def amending(vinh_long, decision, published):
    """QĐ 680: two new procedures (groups A and B), one amended (published by QĐ 100) and one abolished (published
    by QĐ 101), still a draft."""
    unit = vinh_long.units["P-A"]
    first = published(unit)
    gone = published(unit, components=complete_components(DANH_HIEU))
    d = decision_680(decision)
    office = checked(unit, VAN_PHONG, field=field("cong-tac-van-phong"), level="commune")
    archive = checked(unit, LUU_TRU, group="B", field=field("van-thu-luu-tru"))
    decision_add_item(decision=d, version=archive.latest_version(), change=Change.NEW)
    decision_add_item(decision=d, version=office.latest_version(), change=Change.NEW)
    decision_add_item(decision=d, version=amend(first), change=Change.AMENDED)
    decision_add_item(decision=d, version=gone.published_version(), change=Change.ABOLISHED)
    return d


def supersessions(on: date) -> list[str]:
    authority = "Chủ tịch Ủy ban nhân dân tỉnh Vĩnh Long"
    return [
        f"Thay thế thủ tục hành chính nội bộ có số thứ tự 01 mục 1 Phần I Danh mục ban hành kèm theo Quyết định số "
        f"100/QĐ-UBND ngày {on:%d/%m/%Y} của {authority}.",
        f"Bãi bỏ thủ tục hành chính nội bộ có số thứ tự 01 mục 1 Phần I Danh mục ban hành kèm theo Quyết định số "
        f"101/QĐ-UBND ngày {on:%d/%m/%Y} của {authority}.",
    ]


# The decision ----------------------------------------------------------------------------------------------------


def test_decision_header_has_the_issuer_number_national_motto_and_dated_place(amending):
    doc = open_docx(decision_docx(amending))
    left, right = doc.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == ["ỦY BAN NHÂN DÂN", "TỈNH VĨNH LONG", "Số: 680/QĐ-UBND"]
    assert all(r.bold for p in left.paragraphs[:2] for r in p.runs)
    motto = [p for p in right.paragraphs if p.text]
    assert [p.text for p in motto] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Vĩnh Long, ngày 28 tháng 7 năm 2025",
    ]
    assert motto[0].runs[0].bold and motto[1].runs[0].bold and motto[1].runs[0].underline
    assert motto[2].runs[0].italic
    assert not any(border for border in doc.tables[0]._tbl.iter() if border.tag.endswith("tblBorders"))


def test_decision_preamble_articles_and_signature(amending):
    data = decision_docx(amending)
    text = lines(data)
    assert in_order(
        text,
        "QUYẾT ĐỊNH",
        "Về việc công bố Danh mục thủ tục hành chính nội bộ mới ban hành, được sửa đổi, bổ sung và bị bãi bỏ "
        "lĩnh vực Công tác văn phòng, Thi đua - Khen thưởng, Văn thư và lưu trữ nhà nước thuộc phạm vi quản lý "
        "của Ủy ban nhân dân tỉnh Vĩnh Long",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH VĨNH LONG",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "Căn cứ Quyết định số 1085/QĐ-TTg ngày 15 tháng 9 năm 2022 của Thủ tướng Chính phủ;",
        "Theo đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh tại Tờ trình số 04/TTr-VPUBND ngày 25/7/2025.",
        "QUYẾT ĐỊNH:",
        "Điều 1. Công bố kèm theo Quyết định này Danh mục 04 thủ tục hành chính nội bộ thuộc phạm vi quản lý của "
        "Ủy ban nhân dân tỉnh Vĩnh Long, gồm: 02 thủ tục hành chính nội bộ mới ban hành; 01 thủ tục hành chính "
        "nội bộ được sửa đổi, bổ sung; 01 thủ tục hành chính nội bộ bị bãi bỏ",
        f"Điều 2. Quyết định này có hiệu lực kể từ ngày {today():%d/%m/%Y}.",
        *supersessions(today()),
        "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh; Thủ trưởng các sở, ban, ngành tỉnh; Chủ tịch Ủy ban nhân dân "
        "các xã, phường, đặc khu",
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Văn phòng Chính phủ (Cục Kiểm soát TTHC);",
        "- Chủ tịch, các PCT UBND tỉnh;",
        "- Lưu: VT, KSTT.",
        "CHỦ TỊCH",
        "Nguyễn Quỳnh Thiện",
    )
    assert "(Đã ký)" not in "\n".join(text)
    doc = open_docx(data)
    assert all(r.italic for r in paragraph(doc, "Căn cứ Luật Tổ chức").runs)
    assert paragraph(doc, "QUYẾT ĐỊNH:").alignment == 1  # centred
    assert paragraph(doc, "QUYẾT ĐỊNH:").runs[0].bold
    receiving = paragraph(doc, "Nơi nhận:").runs[0]
    assert receiving.bold and receiving.italic and receiving.font.size == Pt(12)
    assert paragraph(doc, "- Lưu: VT, KSTT.").runs[0].font.size == Pt(11)
    assert paragraph(doc, "Nguyễn Quỳnh Thiện").runs[0].bold


def test_the_supersession_sentences_are_the_same_before_and_after_the_decision_is_applied(amending):
    draft = lines(decision_docx(amending))
    decision_issue(decision=amending)
    amending.refresh_from_db()
    assert amending.items.get(change=Change.AMENDED).ends.exists()
    applied = lines(decision_docx(amending))
    for sentence in supersessions(today()):
        assert sentence in draft
        assert sentence in applied


def test_annex_part_one_lists_procedures_under_their_change_type_group_and_field(amending):
    text = blocks(decision_docx(amending))
    in_order(
        text,
        "DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ MỚI BAN HÀNH, ĐƯỢC SỬA ĐỔI, BỔ SUNG VÀ BỊ BÃI BỎ",
        "THUỘC PHẠM VI QUẢN LÝ CỦA ỦY BAN NHÂN DÂN TỈNH VĨNH LONG",
        "(Kèm theo Quyết định số 680/QĐ-UBND ngày 28 tháng 7 năm 2025 của Chủ tịch Ủy ban nhân dân tỉnh Vĩnh Long)",
        "PHẦN I. DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ",
        "1. Danh mục thủ tục hành chính nội bộ mới ban hành",
        "A. Thủ tục hành chính nội bộ giữa các cơ quan hành chính nhà nước",
        "I. Lĩnh vực Công tác văn phòng",
        "Cấp xã",
        "STT | Tên thủ tục hành chính | Lĩnh vực | Cơ quan thực hiện",
        f"01 | {VAN_PHONG} | Công tác văn phòng | Sở Nội vụ (Ban Thi đua - Khen thưởng)",
        "B. Thủ tục hành chính nội bộ trong 01 cơ quan hành chính nhà nước",
        "I. Lĩnh vực Văn thư và lưu trữ nhà nước",
        "Cấp tỉnh",
        f"02 | {LUU_TRU} | Văn thư và lưu trữ nhà nước",
        "2. Danh mục thủ tục hành chính nội bộ được sửa đổi, bổ sung",
        "A. Thủ tục hành chính nội bộ giữa các cơ quan hành chính nhà nước",
        "I. Lĩnh vực Thi đua - Khen thưởng",
        f"01 | {BANG_KHEN} | Thi đua - Khen thưởng",
        "3. Danh mục thủ tục hành chính nội bộ bị bãi bỏ",
        "STT | Tên thủ tục hành chính | Lĩnh vực | Cơ quan thực hiện | Quyết định đã công bố thủ tục",
        f"01 | {DANH_HIEU} | Thi đua - Khen thưởng | Sở Nội vụ (Ban Thi đua - Khen thưởng) | Quyết định số 101/QĐ-UBND",
        "PHẦN II. NỘI DUNG CỤ THỂ CỦA TỪNG THỦ TỤC HÀNH CHÍNH NỘI BỘ",
    )
    assert not any("được thay thế" in line for line in text)


def test_annex_part_two_has_the_full_content_of_each_published_procedure(amending):
    text = blocks(decision_docx(amending))
    part_two = text[in_order(text, "PHẦN II.")[0] :]
    in_order(
        part_two,
        "1. Thủ tục hành chính nội bộ mới ban hành",
        "A. Thủ tục hành chính nội bộ giữa các cơ quan hành chính nhà nước",
        f"1.1. {VAN_PHONG}",
        "a) Trình tự thực hiện",
        "Bước 1 (Cơ quan, đơn vị đề nghị): Lập hồ sơ đề nghị, gửi Sở Nội vụ.",
        "Bước 2 (Sở Nội vụ): Thẩm định hồ sơ, trình Chủ tịch UBND tỉnh; thời gian: 15 ngày.",
        "b) Cách thức thực hiện",
        "- Trực tiếp;",
        "- Qua dịch vụ bưu chính.",
        "c) Thành phần, số lượng hồ sơ",
        "- Tờ trình đề nghị khen thưởng: 01 bản chính;",
        "- Báo cáo thành tích: 01 bản chính.",
        "Số lượng hồ sơ: 01 bộ.",
        "d) Thời hạn giải quyết",
        "20 ngày làm việc",
        "đ) Đối tượng thực hiện",
        "e) Cơ quan giải quyết",
        "- Cơ quan có thẩm quyền quyết định: Chủ tịch UBND tỉnh;",
        "- Cơ quan trực tiếp thực hiện: Sở Nội vụ (Ban Thi đua - Khen thưởng);",
        "- Cơ quan phối hợp: Không.",
        "g) Kết quả thực hiện",
        "h) Phí, lệ phí",
        "i) Mẫu đơn, mẫu tờ khai",
        "k) Yêu cầu, điều kiện",
        "l) Căn cứ pháp lý",
        "- Luật Thi đua, khen thưởng số 06/2024/QH15 ngày 15/06/2022 của Quốc hội (Điều 84).",
        "B. Thủ tục hành chính nội bộ trong 01 cơ quan hành chính nhà nước",
        f"1.2. {LUU_TRU}",
        "2. Thủ tục hành chính nội bộ được sửa đổi, bổ sung",
        f"2.1. {BANG_KHEN}",
        f"Bước 1 (Cơ quan, đơn vị đề nghị): {NEW_STEP}.",
    )
    assert not any(DANH_HIEU in line for line in part_two), "an abolished procedure has no content in Phần II"


MEASURES = ["page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin"]


def test_decision_is_a4_with_the_nd30_margins_and_times_new_roman_13_14_pt(amending):
    doc = open_docx(decision_docx(amending))
    section = doc.sections[0]
    mm = {name: round(getattr(section, name).mm) for name in MEASURES}
    assert (mm["page_width"], mm["page_height"]) == (210, 297)
    assert 20 <= mm["top_margin"] <= 25 and 20 <= mm["bottom_margin"] <= 25
    assert 30 <= mm["left_margin"] <= 35 and 15 <= mm["right_margin"] <= 20
    body = [
        paragraph(doc, "Căn cứ Luật Tổ chức"),
        paragraph(doc, "Điều 1."),
        paragraph(doc, "Điều 3."),
        paragraph(doc, "QUYẾT ĐỊNH:"),
        paragraph(doc, "Số lượng hồ sơ"),
        paragraph(doc, "a) Trình tự thực hiện"),
    ]
    for p in body:
        for run in p.runs:
            name, size = effective_font(run, p)
            assert name == "Times New Roman", p.text
            assert 13 <= size <= 14, p.text


def test_a_decision_with_all_four_change_types_renders_all_four_sections(vinh_long, decision, published):
    unit = vinh_long.units["P-A"]
    earlier = decision(number="50/QĐ-UBND")
    kept, dropped = checked(unit, BANG_KHEN), checked(unit, DANH_HIEU)
    for procedure in (kept, dropped):
        decision_add_item(decision=earlier, version=procedure.latest_version(), change=Change.NEW)
    decision_issue(decision=earlier)
    old = published(unit, components=complete_components("Thủ tục cũ bị thay thế"))
    d = decision_680(decision)
    decision_add_item(decision=d, version=checked(unit, LUU_TRU).latest_version(), change=Change.NEW)
    decision_add_item(decision=d, version=amend(kept), change=Change.AMENDED)
    replacing = checked(unit, "Thủ tục mới thay thế thủ tục cũ").latest_version()
    decision_add_item(decision=d, version=replacing, change=Change.REPLACED, replaces=old)
    decision_add_item(decision=d, version=dropped.published_version(), change=Change.ABOLISHED)

    text = blocks(decision_docx(d))
    in_order(
        text,
        "gồm: 01 thủ tục hành chính nội bộ mới ban hành; 01 thủ tục hành chính nội bộ được sửa đổi, bổ sung; "
        "01 thủ tục hành chính nội bộ được thay thế; 01 thủ tục hành chính nội bộ bị bãi bỏ",
        "PHẦN I.",
        "1. Danh mục thủ tục hành chính nội bộ mới ban hành",
        f"01 | {LUU_TRU}",
        "2. Danh mục thủ tục hành chính nội bộ được sửa đổi, bổ sung",
        f"01 | {BANG_KHEN}",
        "3. Danh mục thủ tục hành chính nội bộ được thay thế",
        "Tên thủ tục hành chính được thay thế",
        "01 | Thủ tục mới thay thế thủ tục cũ | Thi đua - Khen thưởng | Sở Nội vụ (Ban Thi đua - Khen thưởng) | "
        "Thủ tục cũ bị thay thế",
        "4. Danh mục thủ tục hành chính nội bộ bị bãi bỏ",
        f"01 | {DANH_HIEU}",
        "PHẦN II.",
        "1. Thủ tục hành chính nội bộ mới ban hành",
        "2. Thủ tục hành chính nội bộ được sửa đổi, bổ sung",
        "3. Thủ tục hành chính nội bộ được thay thế",
        "3.1. Thủ tục mới thay thế thủ tục cũ",
    )
    article2 = "\n".join(text)
    # QĐ 50 listed BANG_KHEN as 01 and DANH_HIEU as 02 (same group, field and level: decision order).
    cited = "thủ tục hành chính nội bộ có số thứ tự {} mục 1 Phần I Danh mục ban hành kèm theo Quyết định số {}"
    assert "Thay thế " + cited.format("01", "50/QĐ-UBND") in article2
    assert "Bãi bỏ " + cited.format("02", "50/QĐ-UBND") in article2
    assert "Thay thế " + cited.format("01", "100/QĐ-UBND") in article2
    assert "4. Thủ tục hành chính nội bộ bị bãi bỏ" not in article2


def test_a_decision_title_is_used_and_a_draft_without_items_still_renders(vinh_long, decision):
    d = decision(
        number="   /QĐ-UBND", title="Về việc công bố thủ tục hành chính nội bộ lĩnh vực Văn thư", signed_on=None
    )
    text = lines(decision_docx(d))
    assert "Về việc công bố thủ tục hành chính nội bộ lĩnh vực Văn thư" in text
    assert f"Vĩnh Long, ngày      tháng      năm {today().year}" in text
    assert "PHẦN I. DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ" in text


def test_an_issuer_that_is_not_a_province_is_named_as_it_is(world, decision):
    world.units["P"].name, world.units["P"].short_name = "Bộ Nội vụ", "Hà Nội"
    world.units["P"].save()
    d = decision(number="101/QĐ-BNV", signed_on=date(2026, 1, 5), signer_title="KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG")
    text = lines(decision_docx(d))
    assert {"BỘ NỘI VỤ", "Số: 101/QĐ-BNV", "Hà Nội, ngày 05 tháng 01 năm 2026", "BỘ TRƯỞNG BỘ NỘI VỤ"} <= set(text)
    assert {"KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"} <= set(text)


def test_a_departments_decision_is_headed_by_its_province_and_dated_in_its_place(vinh_long, decision):
    """NĐ 30/2020, Phụ lục I, ô 1: the body above the issuer ("UBND TỈNH VĨNH LONG", not bold) over the issuer's
    own name in bold; the date line names the province's place, not the department's short name."""
    d = decision(issuer=vinh_long.units["P-A"], number="12/QĐ-SNV", signed_on=date(2026, 3, 2))
    left, right = open_docx(decision_docx(d)).tables[0].rows[0].cells
    issuer = [p for p in left.paragraphs if p.text]
    assert [p.text for p in issuer] == ["UBND TỈNH VĨNH LONG", "SỞ NỘI VỤ", "Số: 12/QĐ-SNV"]
    assert not any(r.bold for r in issuer[0].runs) and all(r.bold for r in issuer[1].runs)
    assert "Vĩnh Long, ngày 02 tháng 3 năm 2026" in right.text


def test_a_decision_is_printed_in_the_template_of_its_issuers_parent(vinh_long, decision):
    default = doctemplates.KINDS["quyet-dinh-cong-bo"].default_bytes()
    source = zipfile.ZipFile(io.BytesIO(default))
    own = io.BytesIO()
    with zipfile.ZipFile(own, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace("Nơi nhận:".encode(), "Nơi nhận văn bản:".encode())
            target.writestr(item, data)
    DocumentTemplate.objects.create(
        organisation=vinh_long.units["P"], kind="quyet-dinh-cong-bo", file=SimpleUploadedFile("m.docx", own.getvalue())
    )
    text = lines(decision_docx(decision(issuer=vinh_long.units["P-A"], number="12/QĐ-SNV")))
    assert "Nơi nhận văn bản:" in text and "Nơi nhận:" not in text


# One procedure ---------------------------------------------------------------------------------------------------


def test_procedure_docx_has_the_heading_block_and_every_component(vinh_long, published):
    procedure = published(vinh_long.units["P-A"])
    text = blocks(procedure_docx(procedure.published_version()))
    in_order(
        text,
        "THỦ TỤC HÀNH CHÍNH NỘI BỘ",
        BANG_KHEN,
        "Cơ quan quản lý | Sở Nội vụ",
        f"Mã thủ tục | {procedure.code}",
        "Nhóm | Nhóm A: giữa các cơ quan hành chính nhà nước",
        "Cấp thực hiện | Cấp tỉnh",
        "Lĩnh vực | Thi đua - Khen thưởng",
        "Trạng thái | Đang có hiệu lực (phiên bản 1)",
        f"Hiệu lực | Từ ngày {today():%d/%m/%Y}",
        f"Quyết định công bố | Quyết định số 100/QĐ-UBND ngày {today():%d/%m/%Y} của Chủ tịch Ủy ban nhân dân tỉnh "
        "Vĩnh Long (mới ban hành)",
        "a) Trình tự thực hiện",
        "Bước 3 (Chủ tịch UBND tỉnh): Xem xét, quyết định khen thưởng; thời gian: 05 ngày.",
        "c) Thành phần, số lượng hồ sơ",
        "Số lượng hồ sơ: 01 bộ.",
        "i) Mẫu đơn, mẫu tờ khai",
        "Không",
        "k) Yêu cầu, điều kiện",
        "Không",
        "l) Căn cứ pháp lý",
        "- Luật Thi đua, khen thưởng số 06/2024/QH15",
    )


def test_empty_components_print_khong_quy_dinh(world):
    components = complete_components(performers="", result="", processing_time_value=None)
    components.steps, components.dossier_items, components.legal_bases = [], [], []
    version = make_procedure(world.units["P-A"], components=components).latest_version()
    content = dict(version_content(version))
    for heading in [
        "a) Trình tự thực hiện",
        "c) Thành phần, số lượng hồ sơ",
        "d) Thời hạn giải quyết",
        "đ) Đối tượng thực hiện",
        "g) Kết quả thực hiện",
        "l) Căn cứ pháp lý",
    ]:
        assert content[heading] == ["Không quy định"], heading
    assert content["h) Phí, lệ phí"] == content["i) Mẫu đơn, mẫu tờ khai"] == ["Không"]


def test_procedure_pdf_keeps_vietnamese_diacritics_in_embedded_fonts(vinh_long, published, tmp_path):
    version = published(vinh_long.units["P-A"]).published_version()
    data = procedure_pdf(version)
    assert data.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(data)).pages) >= 1
    texts = pdf_texts(data, tmp_path)
    assert set(texts) == ({"pypdf", "pdftotext"} if shutil.which("pdftotext") else {"pypdf"})
    for tool, text in texts.items():
        for expected in [
            BANG_KHEN,
            "Trình tự thực hiện",
            "Căn cứ pháp lý",
            "Đối tượng thực hiện",
            "Thành phần, số lượng hồ sơ",
            "Cơ quan có thẩm quyền quyết định: Chủ tịch UBND tỉnh;",
            "Luật Thi đua, khen thưởng",
            "Trang 1/",
        ]:
            assert expected in text, f"{tool}: {expected}"
    fonts = pdf_fonts(data)
    assert fonts and all(embedded for _, embedded in fonts), fonts


def test_pdf_and_docx_print_the_same_content(vinh_long, published, tmp_path):
    version = published(vinh_long.units["P-A"]).published_version()
    docx_text = flat("\n".join(lines(procedure_docx(version))))
    pdf_text = pdf_texts(procedure_pdf(version), tmp_path)["pypdf"]
    for heading, texts in version_content(version):
        for expected in [heading, *texts]:
            assert flat(expected) in docx_text, expected
            assert flat(expected) in pdf_text, expected


def test_decomposed_input_comes_out_composed_in_one_font_family(world, tmp_path):
    name = unicodedata.normalize("NFD", "Thủ tục đề nghị công nhận Chiến sĩ thi đua cơ sở")
    version = make_procedure(world.units["P-A"], components=complete_components(name)).latest_version()
    composed = unicodedata.normalize("NFC", name)
    assert composed in lines(procedure_docx(version))
    data = procedure_pdf(version)
    for text in pdf_texts(data, tmp_path).values():
        assert composed in text
    families = {font.split("+")[-1].split("-")[0] for font, _ in pdf_fonts(data)}
    assert len(families) == 1, families


# ECMA-376 CT_PPrBase: Word refuses to open a file whose paragraph properties come in another order.
PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
    "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
    "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
    "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl",
    "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
]  # fmt: skip


def test_paragraph_properties_are_in_schema_order(amending):
    body = open_docx(decision_docx(amending)).element.body
    ppr_lists = body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pPr")
    checked_any_border = False
    for ppr in ppr_lists:
        tags = [child.tag.split("}")[1] for child in ppr]
        assert tags == sorted(tags, key=PPR_ORDER.index), tags
        checked_any_border |= "pBdr" in tags
    assert checked_any_border, "the short rules under the issuer name and the trích yếu are paragraph borders"


def test_control_characters_from_imported_text_do_not_break_the_files(world, tmp_path):
    components = complete_components("Thủ tục\x0b có ký tự lạ\x07", result="Quyết định\x0c tặng Bằng khen")
    version = make_procedure(world.units["P-A"], components=components).latest_version()
    assert "Thủ tục có ký tự lạ" in lines(procedure_docx(version))
    assert "Quyết định tặng Bằng khen" in pdf_texts(procedure_pdf(version), tmp_path)["pypdf"]


# Download names ---------------------------------------------------------------------------------------------------

DRAFT_680 = "Quyết định 680-QĐ-UBND công bố TTHC nội bộ (dự thảo).docx"


def test_a_draft_decision_downloads_under_its_number_as_a_draft(amending, vinh_long, login):
    response = login(vinh_long.focal_p).get(reverse("procedures:decision-docx", args=[amending.pk]))
    assert response.status_code == 200
    assert download_names(response) == (DRAFT_680, "Quyet dinh 680-QD-UBND cong bo TTHC noi bo (du thao).docx")


def test_the_api_names_a_decision_as_the_page_does(amending, vinh_long, api):
    response = api(vinh_long.focal_p).get(f"/api/v1/decisions/{amending.pk}/docx/")
    assert response.status_code == 200 and download_names(response)[0] == DRAFT_680


def test_an_issued_decision_is_no_longer_named_a_draft(amending, vinh_long, login):
    decision_issue(decision=amending)
    response = login(vinh_long.focal_p).get(reverse("procedures:decision-docx", args=[amending.pk]))
    assert download_names(response)[0] == "Quyết định 680-QĐ-UBND công bố TTHC nội bộ.docx"
