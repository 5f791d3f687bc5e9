"""A plan read from Word, PDF and text gives the same tasks; files that cannot be read are refused with a message.

The Word files are built here from two seed plans (Lào Cai's department plan, paragraph by paragraph, and Trà Vinh's
QĐ 258/QĐ-UBND with its ten tasks moved into an appendix table, as many provinces publish them); the PDF is the
Lào Cai plan printed by WeasyPrint, which writes a text layer as Word's "Save as PDF" does."""

import io
from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from tinhgon.organisations.models import Organisation
from tinhgon.plans import extraction
from tinhgon.plans.constants import ExecutingRule, Recurrence

pytestmark = pytest.mark.django_db

DOCUMENTS = Path(__file__).parent / "plan_documents"
LAO_CAI = (DOCUMENTS / "lao-cai-sldtbxh-2022.txt").read_text(encoding="utf-8")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def tree():
    province = Organisation.objects.create(code="LC", name="Ủy ban nhân dân tỉnh Lào Cai", kind="province")
    office = Organisation.objects.create(
        code="LC-VP", name="Văn phòng Ủy ban nhân dân tỉnh", kind="provincial_office", parent=province
    )
    justice = Organisation.objects.create(code="LC-TP", name="Sở Tư pháp", kind="department", parent=province)
    labour = Organisation.objects.create(
        code="LC-LD",
        name="Sở Lao động - Thương binh và Xã hội",
        short_name="Sở Lao động-TBXH",
        kind="department",
        parent=province,
    )
    own_office = Organisation.objects.create(
        code="LC-LD-VP", name="Văn phòng Sở", kind="department_unit", parent=labour
    )
    return {"province": province, "office": office, "justice": justice, "labour": labour, "own_office": own_office}


def word_file(paragraphs=(), table=None, name="ke-hoach.docx") -> SimpleUploadedFile:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=0, cols=len(table[0]))
        for row in table:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=DOCX_TYPE)


def pdf_file(text: str) -> SimpleUploadedFile:
    from django.utils.html import escape

    from weasyprint import HTML

    body = "".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip())
    data = HTML(string=f"<html><body style='font-family: serif; font-size: 12pt'>{body}</body></html>").write_pdf()
    return SimpleUploadedFile("ke-hoach.pdf", data, content_type="application/pdf")


def summary(result) -> list[tuple]:
    def units(refs):
        return sorted((r.unit.code if r.unit else r.rule or f"?{r.text}") for r in refs)

    return [
        (t.content.split("\n")[0][:60], units(t.lead), units(t.coordinating), units(t.executing), t.deadline)
        for t in result.tasks
    ]


def test_a_word_plan_gives_the_tasks_its_text_gives(tree):
    from_text = extraction.extract(extraction.read_document(text=LAO_CAI), issuer=tree["labour"])
    paragraphs = [line for line in LAO_CAI.split("\n") if line.strip()]
    from_word = extraction.extract(extraction.read_document(upload=word_file(paragraphs)), issuer=tree["labour"])
    assert summary(from_word) == summary(from_text)
    assert len(from_word.tasks) == 5


def test_a_pdf_plan_gives_the_tasks_its_text_gives(tree):
    from_text = extraction.extract(extraction.read_document(text=LAO_CAI), issuer=tree["labour"])
    from_pdf = extraction.extract(extraction.read_document(upload=pdf_file(LAO_CAI)), issuer=tree["labour"])
    assert summary(from_pdf) == summary(from_text)


QD_258_TABLE = [
    ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Cơ quan thực hiện", "Thời gian hoàn thành"],
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
    ["I", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "", "", "", ""],
    [
        "1",
        "Cắt giảm, đơn giản hóa TTHC nội bộ nhóm A, bảo đảm cắt giảm ít nhất 20% số lượng TTHC",
        "Văn phòng Ủy ban nhân dân tỉnh",
        "Sở Tư pháp",
        "Các sở, ngành tỉnh, Ủy ban nhân dân cấp xã",
        "Tháng 10/2024",
    ],
    [
        "2",
        "Rà soát, tham mưu ban hành danh mục thành phần hồ sơ phải số hóa",
        "Sở Tư pháp",
        "Văn phòng Ủy ban nhân dân tỉnh",
        "",
        "Trong Quý I năm 2024",
    ],
    [
        "3",
        "Công khai kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp",
        "Văn phòng Ủy ban nhân dân tỉnh",
        "",
        "Ủy ban nhân dân cấp huyện",
        "Định kỳ hàng tháng",
    ],
]


def test_an_appendix_table_in_word_gives_one_task_a_row(tree):
    upload = word_file(["KẾ HOẠCH", "Cải cách thủ tục hành chính năm 2024", "PHỤ LỤC"], table=QD_258_TABLE)
    tasks = extraction.extract(extraction.read_document(upload=upload), issuer=tree["province"]).tasks
    assert [t.number for t in tasks] == ["1", "2", "3"]
    first, second, third = tasks
    assert [r.unit for r in first.lead] == [tree["office"]]
    assert [r.unit for r in first.coordinating] == [tree["justice"]]
    assert [r.rule for r in first.executing] == [ExecutingRule.DEPARTMENTS_AND_COMMUNES]
    assert first.deadline == date(2024, 10, 31)
    assert second.deadline == date(2024, 3, 31)
    assert (third.deadline, third.recurrence) == (None, Recurrence.MONTHLY)
    assert [r.text for r in third.unmatched] == ["Ủy ban nhân dân cấp huyện"]
    assert all(t.heading == "I. CẢI CÁCH THỦ TỤC HÀNH CHÍNH" and t.from_table for t in tasks)


def test_a_task_s_span_is_the_text_it_was_read_from(tree):
    result = extraction.extract(extraction.read_document(text=LAO_CAI), issuer=tree["labour"])
    for task in result.tasks:
        assert task.content.split("\n")[0][:30] in result.text[task.start : task.end]


def tasks_of(text: str, issuer) -> list:
    return extraction.extract(extraction.read_document(text=text), issuer=issuer).tasks


def test_a_cited_decision_s_date_is_not_a_deadline(tree):
    text = (
        "III. NHIỆM VỤ\n1. Công khai kết quả đánh giá theo Quyết định số 766/QĐ-TTg ngày 23 tháng 6 năm 2022 của "
        "Thủ tướng Chính phủ.\n- Cơ quan chủ trì: Sở Tư pháp.\n2. Ban hành danh mục, hoàn thành trước ngày "
        "15/3/2024, theo Thông tư số 01/2023/TT-VPCP ngày 05/4/2023."
    )
    tasks = tasks_of(text, tree["province"])
    assert [t.deadline for t in tasks] == [None, date(2024, 3, 15)]


def test_the_latest_milestone_is_the_deadline(tree):
    text = (
        "III. NHIỆM VỤ\n1. Phê duyệt phương án.\n"
        "- Thời hạn hoàn thành: Lần 1: Trước ngày 01/01/2024; lần 2: Trước ngày 01/01/2025."
    )
    (task,) = tasks_of(text, tree["province"])
    assert task.deadline == date(2025, 1, 1)


def test_a_regular_task_is_read_as_such_not_as_a_missing_deadline(tree):
    text = "III. NHIỆM VỤ\n1. Tuyên truyền cải cách hành chính.\n- Thời gian thực hiện: Thường xuyên."
    (task,) = tasks_of(text, tree["province"])
    assert (task.regular, task.deadline, task.recurrence) == (True, None, "")


def test_a_vision_year_is_not_a_deadline(tree):
    text = "III. NHIỆM VỤ\n1. Triển khai Kế hoạch chuyển đổi số giai đoạn 2021-2025, tầm nhìn đến năm 2030."
    (task,) = tasks_of(text, tree["province"])
    assert task.deadline is None


def test_a_year_before_the_plan_is_not_a_deadline(tree):
    text = (
        "KẾ HOẠCH\nCải cách hành chính năm 2023\nIII. NHIỆM VỤ\n"
        "1. Thực hiện Nghị quyết về phát triển của tỉnh đến năm 2020 và hoàn thành trong tháng 6 năm 2023."
    )
    (task,) = tasks_of(text, tree["province"])
    assert task.deadline == date(2023, 6, 30)


PIECES = [
    "III. NHIỆM VỤ",
    "I. MỤC TIÊU",
    "1.",
    "2.1.",
    "a)",
    "-",
    "+",
    "Cơ quan chủ trì:",
    "Cơ quan phối hợp:",
    "Thời hạn hoàn thành:",
    "Sản phẩm:",
    "Sở Tư pháp",
    "các sở, ngành tỉnh",
    "UBND cấp huyện",
    "trước ngày",
    "31/02/2024",
    "01/4/2023",
    "Quý V năm 2024",
    "tháng 13 năm 2024",
    "lần 1:",
    "định kỳ hàng tháng",
    "chủ trì,",
    "phối hợp với",
    "thì",
    "STT | Nội dung | Cơ quan chủ trì | Thời gian",
    "|",
    "Số: /KH-",
    "ngày tháng năm 2024",
    "KẾ HOẠCH",
    "(",
    ")",
    "\n",
    "\n\n",
    " ",
    "đ",
    "Ð",
    "\u0301",
    "\x00",
    "🙂",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=12), min_size=1, max_size=80))
def test_any_text_is_read_without_error_and_every_span_lies_in_it(tree, pieces):
    text = " ".join(pieces)
    try:
        document = extraction.read_document(text=text)
    except extraction.DocumentRefused:
        return
    result = extraction.extract(document, issuer=tree["labour"])
    for task in result.tasks:
        assert 0 <= task.start <= task.end <= len(result.text)
        assert task.deadline is None or task.deadline.year >= 1000


# -- Refusals ---------------------------------------------------------------------------------------------------


def refusal(**kwargs) -> str:
    with pytest.raises(extraction.DocumentRefused) as refused:
        extraction.read_document(**kwargs)
    return str(refused.value)


def test_an_empty_text_is_refused():
    assert "trống" in refusal(text="  \n\n ")


def test_a_program_named_docx_is_refused():
    upload = SimpleUploadedFile("ke-hoach.docx", b"MZ\x90\x00" + b"\x00" * 200, content_type=DOCX_TYPE)
    assert "Word (.docx)" in refusal(upload=upload)


def blank_pdf(password: str = "") -> SimpleUploadedFile:
    """One A4 page without text (what a scan is to a reader of text), encrypted when given a password."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile("kh.pdf", out.getvalue(), content_type="application/pdf")


def test_an_encrypted_pdf_is_refused():
    assert "mật khẩu" in refusal(upload=blank_pdf(password="matkhau"))


def test_a_pdf_without_text_is_refused_as_a_scan():
    assert "không có lớp chữ" in refusal(upload=blank_pdf())


def test_a_huge_text_is_refused():
    assert "quá dài" in refusal(text="nhiệm vụ " * 300_000)


def test_a_text_file_in_another_encoding_is_refused_with_the_fix():
    upload = SimpleUploadedFile("kh.txt", "Kế hoạch".encode()[:-1] + b"\xff\xfe\xfd" * 3)
    assert "UTF-8" in refusal(upload=upload)


def test_a_utf8_text_file_is_read():
    upload = SimpleUploadedFile("kh.txt", LAO_CAI.encode("utf-8-sig"))
    assert len(extraction.read_document(upload=upload).blocks) > 10


def test_a_weasyprint_pdf_really_has_a_text_layer():
    reader = PdfReader(io.BytesIO(pdf_file("KẾ HOẠCH\nRà soát thủ tục").read()))
    assert "KẾ HOẠCH" in reader.pages[0].extract_text()
