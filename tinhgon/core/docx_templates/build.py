"""Writes the default Word templates beside this file and the printed samples in docs/documents/ (`make
documents`; `python -m tinhgon.core.docx_templates.build [templates|samples]`).

The templates are ordinary .docx files in the layout of NĐ 30/2020/NĐ-CP Phụ lục I, written here with the core.word
helpers so the frame and the generated tables share one set of measures; office staff open them in Word or
LibreOffice and change the text around the Jinja tags (docs/documents/README.md). The samples are each template
rendered with the sample data of core.doctemplates, printed to PDF by LibreOffice, with the PDF's text (pdftotext
-layout) beside it, which tests/test_document_samples.py compares with a fresh rendering."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from tinhgon.core import doctemplates, word
from tinhgon.core.word import HEADER_WIDTHS, LANDSCAPE_TEXT_WIDTH_CM, SMALL_PT, TABLE_PT, TEXT_WIDTH_CM

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parents[2] / "docs" / "documents"


def tag(container, text: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p for … %}); docxtpl removes it when rendering."""
    word.para(container, text, size=SMALL_PT).paragraph_format.space_after = Pt(0)


def loop(container, name: str, write) -> None:
    """One paragraph written by `write(container, "{{ dong }}")` for each line of the list `name`."""
    tag(container, f"{{%p for dong in {name} %}}")
    write(container, "{{ dong }}")
    tag(container, "{%p endfor %}")


def header(doc) -> None:
    """The issuing body (the body above it, then its own name in bold over a short rule, then the number) and the
    quốc hiệu, tiêu ngữ and the place and date (NĐ 30/2020, Phụ lục I, ô 1 to 4)."""
    left, right = word.layout_table(doc, HEADER_WIDTHS)
    tag(left, "{%p if co_quan_chu_quan %}")
    word.centred(left, "{{ co_quan_chu_quan }}", size=TABLE_PT)
    tag(left, "{%p endif %}")
    loop(left, "co_quan", lambda c, t: word.centred(c, t, bold=True, size=TABLE_PT))
    word.rule(left, 2.5, HEADER_WIDTHS[0])
    tag(left, "{%p if so %}")
    word.centred(left, "Số: {{ so }}", size=TABLE_PT)
    tag(left, "{%p endif %}")
    word.centred(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=TABLE_PT)
    word.centred(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, size=word.BODY_PT)
    word.centred(right, "")
    word.centred(right, "{{ dia_danh_ngay }}", italic=True)


def title(doc, kind_name: str, *lines: str) -> None:
    word.centred(doc, "").paragraph_format.space_after = Pt(6)
    word.centred(doc, kind_name, bold=True)
    for line in lines:
        word.centred(doc, line, bold=True)


def preamble(doc) -> None:
    """Trích yếu, the rule under it, the authority and the căn cứ, then "QUYẾT ĐỊNH:"."""
    title(doc, "QUYẾT ĐỊNH", "{{ trich_yeu }}")
    word.rule(doc, 4, TEXT_WIDTH_CM)
    word.centred(doc, "{{ tham_quyen }}", bold=True).paragraph_format.space_after = Pt(12)
    loop(doc, "can_cu", lambda c, t: word.body(c, t, italic=True))
    word.centred(doc, "QUYẾT ĐỊNH:", bold=True).paragraph_format.space_after = Pt(12)


def articles(doc) -> None:
    word.article(doc, 1, "{{ dieu_1 }}")
    word.article(doc, 2, "{{ dieu_2 }}")
    loop(doc, "dieu_2_them", word.body)
    word.article(doc, 3, "{{ dieu_3 }}")
    doc.paragraphs[-1].paragraph_format.space_after = Pt(12)  # a line's room above nơi nhận and the signature


def signature(doc) -> None:
    """Nơi nhận and the signer's authority (KT./TM. over the title), kept whole with the paragraph before it."""
    left, right = word.layout_table(doc, [8.0, 8.5])
    word.para(left, "Nơi nhận:", bold=True, italic=True, size=12).paragraph_format.space_after = Pt(0)
    loop(left, "noi_nhan", lambda c, t: setattr(word.para(c, t, size=SMALL_PT).paragraph_format, "space_after", 0))
    loop(right, "chuc_vu_ky", lambda c, t: word.centred(c, t, bold=True))
    for _ in range(4):
        word.centred(right, "")
    word.centred(right, "{{ nguoi_ky }}", bold=True)
    word.hold_together(left)


def placeholder(doc, name: str) -> None:
    word.para(doc, f"{{{{ {name} }}}}")


def annex_heading(doc, width_cm: float) -> None:
    loop(doc, "phu_luc_tieu_de", lambda c, t: word.centred(c, t, bold=True))
    word.centred(doc, "{{ phu_luc_kem_theo }}", italic=True)
    word.rule(doc, 4, width_cm)


def publication_decision():
    doc = word.new_document()
    header(doc)
    preamble(doc)
    articles(doc)
    signature(doc)
    word.page_break(doc)
    annex_heading(doc, TEXT_WIDTH_CM)
    word.centred(doc, "PHẦN I. DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ", bold=True).paragraph_format.space_after = Pt(6)
    placeholder(doc, "bang_danh_muc")
    word.page_break(doc)
    word.centred(doc, "PHẦN II. NỘI DUNG CỤ THỂ CỦA TỪNG THỦ TỤC HÀNH CHÍNH NỘI BỘ", bold=True)
    word.para(doc, "")
    placeholder(doc, "bang_noi_dung")
    return doc


def approval_decision():
    doc = word.new_document()
    header(doc)
    preamble(doc)
    articles(doc)
    signature(doc)
    word.landscape_section(doc)
    annex_heading(doc, LANDSCAPE_TEXT_WIDTH_CM)
    placeholder(doc, "bang_phuong_an")
    return doc


def review_form():
    doc = word.new_document()
    header(doc)
    title(doc, "PHIẾU RÀ SOÁT, ĐÁNH GIÁ THỦ TỤC HÀNH CHÍNH NỘI BỘ", "{{ ten_thu_tuc }}")
    word.rule(doc, 4, TEXT_WIDTH_CM)
    placeholder(doc, "bang_thong_tin")
    placeholder(doc, "bang_ra_soat")
    cells = word.layout_table(doc, [8.0, 8.5])
    for cell, side in zip(cells, ["ben_trai", "ben_phai"], strict=True):
        loop(cell, f"ky_{side}", lambda c, t: word.centred(c, t, bold=True))
        word.centred(cell, "(Ký, ghi rõ họ tên)", italic=True, size=SMALL_PT + 1)
        for _ in range(3):
            word.centred(cell, "")
        word.centred(cell, f"{{{{ nguoi_ky_{side} }}}}", bold=True)
    word.hold_together(cells[0])
    return doc


def periodic_report():
    doc = word.new_document()
    header(doc)
    title(doc, "BÁO CÁO", "{{ trich_yeu }}")
    word.centred(doc, "{{ ky_bao_cao }}", italic=True, size=TABLE_PT)
    word.rule(doc, 4, TEXT_WIDTH_CM)
    word.heading(doc, "I. KẾT QUẢ ĐẠT ĐƯỢC")
    loop(doc, "ket_qua", word.body)
    placeholder(doc, "bang_so_lieu")
    word.heading(doc, "II. TỒN TẠI, HẠN CHẾ")
    loop(doc, "ton_tai", word.body)
    word.heading(doc, "III. ĐỀ XUẤT, KIẾN NGHỊ")
    loop(doc, "de_xuat", word.body)
    word.body(doc, "{{ loi_ket }}").paragraph_format.space_after = Pt(12)
    signature(doc)
    return doc


def plan():
    doc = word.new_document()
    header(doc)
    word.centred(doc, "")
    word.centred(doc, "KẾ HOẠCH", bold=True)
    word.centred(doc, "{{ trich_yeu }}", bold=True)
    word.rule(doc, 4, TEXT_WIDTH_CM)
    loop(doc, "muc_tieu", word.body)
    word.landscape_section(doc)
    word.centred(doc, "Phụ lục", bold=True)
    word.centred(doc, "DANH MỤC NHIỆM VỤ", bold=True)
    kem_theo = word.centred(doc, "{{ phu_luc_kem_theo }}", italic=True, size=TABLE_PT)
    kem_theo.paragraph_format.space_after = Pt(6)
    placeholder(doc, "bang_nhiem_vu")
    return doc


BUILDERS = {
    "quyet-dinh-cong-bo": publication_decision,
    "quyet-dinh-phe-duyet": approval_decision,
    "phieu-ra-soat": review_form,
    "bao-cao-dinh-ky": periodic_report,
    "ke-hoach": plan,
}
assert set(BUILDERS) == set(doctemplates.KINDS)
assert WD_ALIGN_PARAGRAPH  # the alignment names used by word.*, kept importable for editors of this script


def templates() -> None:
    for code, build in BUILDERS.items():
        doc = build()
        doc.core_properties.title = doctemplates.KINDS[code].label
        doc.core_properties.author = "tinhgon"
        doc.save(HERE / f"{code}.docx")


def pdf_text(pdf: Path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60)
    return result.stdout.decode()


def to_pdf(docx_paths: list[Path], folder: Path) -> None:
    """LibreOffice prints each file to PDF in `folder`, with a profile of its own (a running office is left alone)."""
    profile = f"-env:UserInstallation=file://{folder}/profile"
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder)]
    subprocess.run([*command, *map(str, docx_paths)], check=True, capture_output=True, timeout=300)


def samples() -> None:
    SAMPLES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = []
        for code, kind in doctemplates.KINDS.items():
            path = folder / f"{code}.docx"
            path.write_bytes(doctemplates.sample_docx(kind))
            paths.append(path)
        to_pdf(paths, folder)
        for path in paths:
            pdf = path.with_suffix(".pdf")
            shutil.copy(pdf, SAMPLES / pdf.name)
            (SAMPLES / f"{path.stem}.txt").write_text(pdf_text(pdf))


if __name__ == "__main__":
    what = sys.argv[1:] or ["templates", "samples"]
    if "templates" in what:
        templates()
    if "samples" in what:
        samples()
