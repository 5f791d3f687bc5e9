"""Word templates office staff can edit (issue 14, item 1).

The fixed frame of each official document (issuer block, quốc hiệu and tiêu ngữ, số/ký hiệu, place and date, title,
căn cứ, articles, nơi nhận, signature) is a .docx file rendered with docxtpl (Jinja tags typed in Word:
`{{ trich_yeu }}`, `{%p for dong in can_cu %}`). What the application generates, tables and the annexes built of
them, goes where the template has a table placeholder, a paragraph holding only `{{ bang_… }}`: the paragraph is
replaced by what the builder writes with the core.word helpers, in place, in the rendered document.

The defaults live in core/docx_templates/ (written by build.py beside them, `make documents`); an organisation may
upload its own (organisations.DocumentTemplate), checked here against sample data before it is kept, so a broken
template is refused at upload with a Vietnamese message and never breaks a download. docs/documents/README.md lists
every variable for office staff."""

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from tinhgon.core import word

DEFAULT_DIR = Path(__file__).resolve().parent / "docx_templates"
MARKER = "[[bảng:{}]]"
Block = Callable[[Document], None]


class TemplateError(Exception):
    """A template that cannot be rendered, with what is wrong in Vietnamese."""


@dataclass(frozen=True)
class Kind:
    code: str  # the URL slug and the default's file name
    label: str
    variables: tuple[str, ...]  # every name the default uses, for the README and the sample data
    blocks: tuple[str, ...]  # the table placeholders the template must hold, each once
    sample: dict = field(default_factory=dict, compare=False)

    @property
    def default_path(self) -> Path:
        return DEFAULT_DIR / f"{self.code}.docx"

    def default_bytes(self) -> bytes:
        return self.default_path.read_bytes()


FRAME = ("co_quan_chu_quan", "co_quan", "so", "dia_danh_ngay")
SIGNING = ("noi_nhan", "chuc_vu_ky", "nguoi_ky")


def _env() -> jinja2.Environment:
    """Uploaded templates are code an administrator wrote: a sandbox (no attribute starting with "_", no unsafe
    calls) and every unknown name an error."""
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)


def render(template: bytes, context: dict, blocks: dict[str, Block]) -> bytes:
    """`template` rendered with `context`, each `{{ bang_x }}` paragraph replaced by what `blocks["bang_x"]`
    writes. Raises TemplateError (Vietnamese) for a file that is not a Word document, a Jinja error, a variable
    the data does not have or a placeholder missing, repeated or sharing its paragraph with other text."""
    try:
        tpl = DocxTemplate(io.BytesIO(template))
        tpl.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise TemplateError("Tệp không phải văn bản Word (.docx) hoặc đã hỏng.") from error
    values = {**_clean(context), **{name: MARKER.format(name) for name in blocks}}
    try:
        tpl.render(values, jinja_env=_env(), autoescape=True)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"Mẫu sai cú pháp: {_syntax(error.message or '')}") from error
    except jinja2.UndefinedError as error:
        raise TemplateError(_undefined(str(error))) from error
    except SecurityError as error:
        raise TemplateError("Mẫu dùng thao tác không được phép (chỉ dùng các biến trong hướng dẫn).") from error
    except jinja2.TemplateError as error:
        raise TemplateError(f"Mẫu không dựng được: {error}") from error
    doc = tpl.docx
    for name, build in blocks.items():
        _fill(doc, name, build)
    return word.save(doc)


def _clean(value):
    """Text in NFC, in lists and dicts too (the data of a loop)."""
    if isinstance(value, str):
        return word.nfc(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


SYNTAX = [
    (re.compile(r"unexpected end of template.*?'(end\w+)'", re.I | re.S), r"thiếu thẻ đóng {% \1 %}"),
    (re.compile(r"unexpected end of template", re.I), "thiếu thẻ đóng (endfor, endif)"),
    (re.compile(r"Encountered unknown tag '(end\w+)'"), r"thẻ đóng {% \1 %} thừa hoặc không khớp thẻ mở"),
    (re.compile(r"Encountered unknown tag '(\w+)'"), r"thẻ không có: {% \1 %}"),
    (re.compile(r"unexpected 'end of print statement'"), "biểu thức trong {{ … }} chưa đủ"),
    (re.compile(r"unexpected '(.+)'"), r"ký tự không đúng chỗ: \1"),
    (re.compile(r"expected token '(.+)', got '(.+)'"), r"cần '\1' nhưng gặp '\2'"),
]


def _syntax(message: str) -> str:
    """The Jinja error in Vietnamese, where it is one of the usual ones."""
    for pattern, text in SYNTAX:
        match = pattern.search(message)
        if match:
            return match.expand(text)
    first = message.splitlines()[0] if message else ""
    return f"{first} (kiểm tra các dấu {{{{ }}}} và {{% %}})"


def _undefined(message: str) -> str:
    match = re.search(r"'([^']+)' is undefined", message) or re.search(r"has no attribute '([^']+)'", message)
    name = match[1] if match else message
    return f"Mẫu dùng biến không có: {{{{ {name} }}}}. Xem danh sách biến trong hướng dẫn (docs/documents/README.md)."


def _fill(doc, name: str, build: Block) -> None:
    """Replace the placeholder paragraph of `name` by what `build` appends to the document: everything after the
    placeholder is taken out, the builder writes at the end (so the core.word helpers, which keep a table with the
    paragraph before it and open landscape sections, work as in a document of their own), then it is put back."""
    marker = MARKER.format(name)
    body = doc.element.body
    found = [p for p in body.iter(qn("w:p")) if marker in p.xpath("string(.)")]
    if not found:
        raise TemplateError(f"Mẫu thiếu chỗ đặt bảng {{{{ {name} }}}} (một đoạn chỉ có thẻ này).")
    if len(found) > 1:
        raise TemplateError(f"Chỗ đặt bảng {{{{ {name} }}}} có nhiều lần; chỉ đặt một lần.")
    target = found[0]
    if target.getparent() is not body:
        raise TemplateError(f"Chỗ đặt bảng {{{{ {name} }}}} phải là một đoạn riêng ngoài bảng.")
    if target.xpath("string(.)").strip() != marker:
        raise TemplateError(f"Chỗ đặt bảng {{{{ {name} }}}} phải nằm riêng một đoạn, không kèm chữ khác.")
    final = body.find(qn("w:sectPr"))
    tail = [el for el in target.itersiblings() if el is not final]
    keeps_section = target.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
    keeps_next = target.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
    for element in tail:
        body.remove(element)
    if keeps_section:  # the placeholder ends a section: its paragraph stays, emptied, after what is written
        for run in list(target.iterchildren(qn("w:r"))):
            target.remove(run)
        body.remove(target)
        tail.insert(0, target)
    else:
        body.remove(target)
    try:
        build(doc)
    except KeyError as error:
        raise TemplateError(f"Mẫu thiếu kiểu định dạng {error} (dùng mẫu mặc định làm gốc).") from error
    final = body.find(qn("w:sectPr"))
    last = final.getprevious() if final is not None else body[-1]
    if keeps_next and last is not None and last.tag == qn("w:p"):  # the signature after it stays with it
        last.get_or_add_pPr().get_or_add_keepNext()
    for element in tail:
        if final is not None:
            final.addprevious(element)
        else:
            body.append(element)


# The kinds of document, with the data every upload is tried against --------------------------------------------------

HEADER_SAMPLE = {
    "co_quan_chu_quan": "UBND TỈNH TRÀ VINH",
    "co_quan": ["SỞ NỘI VỤ"],
    "so": "125/QĐ-SNV",
    "dia_danh_ngay": "Trà Vinh, ngày 15 tháng 9 năm 2026",
}
SIGNING_SAMPLE = {
    "noi_nhan": ["- Như Điều 3;", "- UBND tỉnh (b/c);", "- Giám đốc, các PGĐ Sở;", "- Lưu: VT, VP."],
    "chuc_vu_ky": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
    "nguoi_ky": "Nguyễn Văn An",
}
CAN_CU_SAMPLE = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08 tháng 6 năm 2010 của Chính phủ về kiểm soát thủ tục hành chính;",
    "Căn cứ Quyết định số 1085/QĐ-TTg ngày 15 tháng 9 năm 2022 của Thủ tướng Chính phủ;",
    "Theo đề nghị của Chánh Văn phòng Sở tại Tờ trình số 12/TTr-VP ngày 10/9/2026.",
]

KINDS: dict[str, Kind] = {}


def _kind(code, label, variables, blocks, sample) -> None:
    KINDS[code] = Kind(code, label, tuple(variables), tuple(blocks), sample)


_kind(
    "quyet-dinh-cong-bo",
    "Quyết định công bố danh mục thủ tục hành chính nội bộ",
    [
        *FRAME,
        "trich_yeu",
        "tham_quyen",
        "can_cu",
        "dieu_1",
        "dieu_2",
        "dieu_2_them",
        "dieu_3",
        *SIGNING,
        "phu_luc_tieu_de",
        "phu_luc_kem_theo",
    ],
    ["bang_danh_muc", "bang_noi_dung"],
    {
        **HEADER_SAMPLE,
        **SIGNING_SAMPLE,
        "trich_yeu": "Về việc công bố Danh mục thủ tục hành chính nội bộ mới ban hành lĩnh vực Thi đua - Khen "
        "thưởng thuộc phạm vi quản lý của Sở Nội vụ tỉnh Trà Vinh",
        "tham_quyen": "GIÁM ĐỐC SỞ NỘI VỤ TỈNH TRÀ VINH",
        "can_cu": CAN_CU_SAMPLE,
        "dieu_1": "Công bố kèm theo Quyết định này Danh mục 02 thủ tục hành chính nội bộ thuộc phạm vi quản lý "
        "của Sở Nội vụ tỉnh Trà Vinh, gồm: 02 thủ tục hành chính nội bộ mới ban hành (có Danh mục và nội dung "
        "cụ thể kèm theo).",
        "dieu_2": "Quyết định này có hiệu lực kể từ ngày 01/10/2026.",
        "dieu_2_them": [],
        "dieu_3": "Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị và các tổ chức, cá nhân có liên quan chịu "
        "trách nhiệm thi hành Quyết định này./.",
        "phu_luc_tieu_de": [
            "DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ MỚI BAN HÀNH LĨNH VỰC THI ĐUA - KHEN THƯỞNG",
            "THUỘC PHẠM VI QUẢN LÝ CỦA SỞ NỘI VỤ TỈNH TRÀ VINH",
        ],
        "phu_luc_kem_theo": "(Kèm theo Quyết định số 125/QĐ-SNV ngày 15 tháng 9 năm 2026 của Giám đốc Sở Nội vụ "
        "tỉnh Trà Vinh)",
    },
)
_kind(
    "quyet-dinh-phe-duyet",
    "Quyết định phê duyệt phương án đơn giản hóa và Phụ lục",
    [
        *FRAME,
        "trich_yeu",
        "tham_quyen",
        "can_cu",
        "dieu_1",
        "dieu_2",
        "dieu_2_them",
        "dieu_3",
        *SIGNING,
        "phu_luc_tieu_de",
        "phu_luc_kem_theo",
    ],
    ["bang_phuong_an"],
    {
        **HEADER_SAMPLE,
        **SIGNING_SAMPLE,
        "so": "130/QĐ-SNV",
        "trich_yeu": "Phê duyệt phương án đơn giản hóa thủ tục hành chính nội bộ lĩnh vực Thi đua - Khen thưởng "
        "thuộc phạm vi quản lý của Sở Nội vụ tỉnh Trà Vinh",
        "tham_quyen": "GIÁM ĐỐC SỞ NỘI VỤ TỈNH TRÀ VINH",
        "can_cu": CAN_CU_SAMPLE,
        "dieu_1": "Phê duyệt phương án đơn giản hóa 01 thủ tục hành chính nội bộ thuộc phạm vi quản lý của Sở "
        "Nội vụ tỉnh Trà Vinh, gồm: 01 thủ tục sửa đổi, bổ sung (có Phụ lục kèm theo). Chi phí tuân thủ một năm "
        "giảm từ 88.800.000 đồng xuống 39.960.000 đồng, tiết kiệm 48.840.000 đồng, tỷ lệ cắt giảm 55,00%.",
        "dieu_2": "Giao Văn phòng Sở chủ trì, phối hợp với các cơ quan, đơn vị có liên quan dự thảo văn bản thực "
        "thi phương án đơn giản hóa thủ tục hành chính nội bộ đã được phê duyệt tại Điều 1, trình cấp có thẩm "
        "quyền ban hành; cập nhật, công bố thủ tục sau đơn giản hóa theo quy định:",
        "dieu_2_them": ["- Văn phòng Sở: thủ tục 1.001234 (sửa đổi, bổ sung), hoàn thành trước ngày 31/12/2026."],
        "dieu_3": "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị và "
        "các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.",
        "phu_luc_tieu_de": [
            "PHỤ LỤC",
            "PHƯƠNG ÁN ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH NỘI BỘ",
            "THUỘC PHẠM VI QUẢN LÝ CỦA SỞ NỘI VỤ TỈNH TRÀ VINH",
        ],
        "phu_luc_kem_theo": "(Kèm theo Quyết định số 130/QĐ-SNV ngày 15 tháng 9 năm 2026 của Giám đốc Sở Nội vụ "
        "tỉnh Trà Vinh)",
    },
)
_kind(
    "phieu-ra-soat",
    "Phiếu rà soát, đánh giá thủ tục hành chính nội bộ (kèm bảng chi phí tuân thủ)",
    [*FRAME, "ten_thu_tuc", "ky_ben_trai", "nguoi_ky_ben_trai", "ky_ben_phai", "nguoi_ky_ben_phai"],
    ["bang_thong_tin", "bang_ra_soat"],
    {
        **HEADER_SAMPLE,
        "so": "",
        "co_quan": ["VĂN PHÒNG SỞ"],
        "co_quan_chu_quan": "SỞ NỘI VỤ TỈNH TRÀ VINH",
        "ten_thu_tuc": "Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh",
        "ky_ben_trai": ["NGƯỜI RÀ SOÁT"],
        "nguoi_ky_ben_trai": "Trần Thị Bình",
        "ky_ben_phai": ["THỦ TRƯỞNG ĐƠN VỊ"],
        "nguoi_ky_ben_phai": "",
    },
)
_kind(
    "bao-cao-dinh-ky",
    "Báo cáo định kỳ kết quả kiểm soát thủ tục hành chính",
    [*FRAME, "trich_yeu", "ky_bao_cao", "ket_qua", "ton_tai", "de_xuat", "loi_ket", *SIGNING],
    ["bang_so_lieu"],
    {
        **HEADER_SAMPLE,
        **SIGNING_SAMPLE,
        "so": "210/BC-SNV",
        "trich_yeu": "Kết quả kiểm soát thủ tục hành chính, thủ tục hành chính nội bộ quý III/2026",
        "ky_bao_cao": "(Kỳ báo cáo từ ngày 01/07/2026 đến ngày 30/09/2026; số liệu tính đến ngày chốt 30/09/2026)",
        "ket_qua": ["Sở đã rà soát, công bố đầy đủ thủ tục hành chính nội bộ thuộc phạm vi quản lý."],
        "ton_tai": ["Một số đơn vị còn chậm cập nhật kết quả thực hiện nhiệm vụ."],
        "de_xuat": ["Đề nghị Văn phòng UBND tỉnh tổ chức tập huấn nghiệp vụ rà soát thủ tục nội bộ."],
        "loi_ket": "Trên đây là báo cáo kết quả kiểm soát thủ tục hành chính, thủ tục hành chính nội bộ quý "
        "III/2026 của Sở Nội vụ tỉnh Trà Vinh./.",
        "noi_nhan": ["- Văn phòng UBND tỉnh;", "- Giám đốc, các PGĐ Sở;", "- Lưu: VT, VP."],
    },
)
_kind(
    "ke-hoach",
    "Kế hoạch và Phụ lục danh mục nhiệm vụ",
    [*FRAME, "trich_yeu", "muc_tieu", "phu_luc_kem_theo"],
    ["bang_nhiem_vu"],
    {
        **HEADER_SAMPLE,
        "so": "45/KH-SNV",
        "trich_yeu": "Rà soát, đơn giản hóa thủ tục hành chính nội bộ năm 2026",
        "muc_tieu": [
            "Rà soát toàn bộ thủ tục hành chính nội bộ thuộc phạm vi quản lý của Sở.",
            "Các nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này (3 nhiệm vụ).",
        ],
        "phu_luc_kem_theo": "(Kèm theo Kế hoạch số 45/KH-SNV ngày 15/09/2026 của Sở Nội vụ tỉnh Trà Vinh)",
    },
)


def sample_blocks(kind: Kind) -> dict[str, Block]:
    """A representative table for each placeholder of `kind`: what an upload is tried with, and what the printed
    samples in docs/documents/ show."""
    return {name: SAMPLE_TABLES[name] for name in kind.blocks}


def _list_table(doc) -> None:
    word.heading(doc, "1. Danh mục thủ tục hành chính nội bộ mới ban hành")
    word.heading(doc, "B. Thủ tục hành chính nội bộ giữa các cơ quan hành chính nhà nước")
    word.heading(doc, "I. Lĩnh vực Thi đua - Khen thưởng")
    word.grid_table(
        doc,
        ["STT", "Tên thủ tục hành chính", "Lĩnh vực", "Cơ quan thực hiện"],
        [
            ["01", "Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh", "Thi đua - Khen thưởng", "Sở Nội vụ"],
            ["02", "Thủ tục xét tặng danh hiệu Tập thể lao động xuất sắc", "Thi đua - Khen thưởng", "Sở Nội vụ"],
        ],
        [1.2, 7.8, 3.5, 4.0],
    )


def _content(doc) -> None:
    word.heading(doc, "1. Thủ tục hành chính nội bộ mới ban hành")
    word.heading(doc, "1.1. Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh")
    for heading, text in [
        ("a) Trình tự thực hiện", "Bước 1 (Đơn vị đề nghị): Lập hồ sơ đề nghị khen thưởng; thời gian: 05 ngày."),
        ("b) Cách thức thực hiện", "- Nộp trực tiếp hoặc qua hệ thống quản lý văn bản."),
        ("d) Thời hạn giải quyết", "20 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ."),
    ]:
        word.heading(doc, heading)
        word.body(doc, text)


def _approval_table(doc) -> None:
    word.data_table(
        doc,
        ["STT", "Tên thủ tục hành chính nội bộ", "Mã thủ tục", "Phương án", "Nội dung đơn giản hóa", "Lý do",
         "Kiến nghị thực thi", "Chi phí trước (đồng/năm)", "Chi phí sau (đồng/năm)", "Tiết kiệm (đồng/năm)",
         "Tỷ lệ (%)"],
        [
            ["01", "Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh", "1.001234", "Sửa đổi, bổ sung",
             "- Giảm thời hạn giải quyết từ 20 xuống 15 ngày", "Rút ngắn thời gian", "- Sửa Quyết định 12/2024",
             "88.800.000", "39.960.000", "48.840.000", "55,00"],
            ["", "Tổng cộng (các phương án phê duyệt tại Quyết định này)", "", "", "", "", "",
             "88.800.000", "39.960.000", "48.840.000", "55,00"],
        ],
        [1.0, 3.8, 2.0, 2.0, 3.8, 2.8, 2.8, 1.9, 1.9, 1.9, 1.3],
        size=11,
        bold_last=True,
    )  # fmt: skip


def _info_table(doc) -> None:
    word.info_table(
        doc,
        [
            ("Mã thủ tục", "1.001234"),
            ("Cơ quan chủ trì rà soát", "Văn phòng Sở Nội vụ"),
            ("Người rà soát", "Trần Thị Bình"),
        ],
    )


def _review_content(doc) -> None:
    word.heading(doc, "I. RÀ SOÁT, ĐÁNH GIÁ THEO TIÊU CHÍ")
    word.data_table(
        doc,
        ["STT", "Nội dung rà soát", "Trả lời", "Lý do", "Đề xuất"],
        [["1", "Thủ tục có cần thiết không?", "Có", "", ""]],
        [1.0, 6.5, 1.8, 3.6, 3.6],
    )
    word.heading(doc, "III. CHI PHÍ TUÂN THỦ")
    word.data_table(
        doc,
        ["STT", "Công việc", "Số giờ", "Đơn giá giờ công (đồng)", "Thuê dịch vụ (đồng)", "Phí, lệ phí (đồng)",
         "Chi phí khác (đồng)", "Thành tiền (đồng)"],
        [["1", "Chuẩn bị hồ sơ", "8", "37.000", "0", "0", "0", "296.000"],
         ["", "Tổng cộng", "", "", "", "", "", "296.000"]],
        [1.0, 4.6, 1.4, 2.0, 1.9, 1.8, 1.8, 2.0],
        size=11,
        bold_last=True,
    )  # fmt: skip
    word.body(doc, "Chi phí tuân thủ một năm: 88.800.000 đồng (300 lần thực hiện).")


def _figures(doc) -> None:
    word.heading(doc, "1. Công bố, công khai thủ tục hành chính nội bộ")
    word.heading(doc, "Bảng 1. Thủ tục hành chính nội bộ trong kỳ", italic=True)
    word.data_table(
        doc,
        ["STT", "Nội dung", "Số lượng"],
        [["1", "Thủ tục được công bố trong kỳ", "2"], ["2", "Thủ tục đang có hiệu lực", "16"]],
        [1.2, 11.8, 3.5],
    )


def _tasks(doc) -> None:
    word.data_table(
        doc,
        ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Đơn vị thực hiện", "Thời hạn",
         "Sản phẩm"],
        [["1", "Rà soát thủ tục hành chính nội bộ", "Văn phòng Sở", "—", "Các phòng", "30/06/2026",
          "Báo cáo kết quả rà soát"],
         ["2", "Công bố danh mục thủ tục nội bộ", "Văn phòng Sở", "Các phòng", "—", "Quý III", "Quyết định"]],
        [1.2, 6.6, 3.4, 3.4, 3.4, 2.6, 4.6],
    )  # fmt: skip


SAMPLE_TABLES: dict[str, Block] = {
    "bang_danh_muc": _list_table,
    "bang_noi_dung": _content,
    "bang_ra_soat": _review_content,
    "bang_phuong_an": _approval_table,
    "bang_thong_tin": _info_table,
    "bang_so_lieu": _figures,
    "bang_nhiem_vu": _tasks,
}


def check(kind: Kind, template: bytes) -> None:
    """Refuse (TemplateError) a template of `kind` that does not render against its sample data, or whose result
    python-docx cannot read back (a template Word can open but docxtpl turns into broken XML)."""
    try:
        Document(io.BytesIO(render(template, kind.sample, sample_blocks(kind))))
    except TemplateError:
        raise
    except Exception as error:  # anything else a hand-edited file can make the renderer or the reader raise
        raise TemplateError(f"Mẫu không dựng được: {error}") from error


def sample_docx(kind: Kind) -> bytes:
    """The default template of `kind` rendered with its sample data (docs/documents/)."""
    return render(kind.default_bytes(), kind.sample, sample_blocks(kind))
