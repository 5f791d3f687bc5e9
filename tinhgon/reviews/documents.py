"""Documents of the review work: the review form (phiếu rà soát, đánh giá) of one procedure and the approval
decision (quyết định phê duyệt phương án đơn giản hóa) as Word, the proposals annex and the target ledger as Excel.

The Word files reuse the administrative layout of the registry (tinhgon/procedures/documents.py: NĐ 30/2020, A4,
Times New Roman, the two-column header, articles, nơi nhận and signature); the workbooks reuse the registry export's
cells (tinhgon/procedures/excel.py: text that a spreadsheet would read as a formula is kept as text). Money is
written the Vietnamese way ("88.800.000 đồng"), percentages with a decimal comma ("54,39%"), dates dd/mm/yyyy.
"""

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from tinhgon.core import word
from tinhgon.core.dates import today
from tinhgon.core.formatting import day, money, number, percent
from tinhgon.core.word import SMALL_PT
from tinhgon.core.workbooks import page_setup, percent_cell, print_setup, wrapped
from tinhgon.core.workbooks import safe_cell as _cell
from tinhgon.organisations.models import Organisation, render_document
from tinhgon.procedures.documents import Issuer, article3, issuer_block, long_date, place_of
from tinhgon.procedures.excel import BOLD
from tinhgon.procedures.models import ProcedureVersion
from tinhgon.reviews import costs
from tinhgon.reviews import ledger as ledger_module
from tinhgon.reviews.constants import Action, ApprovalStatus, Criterion, Metric, Scenario
from tinhgon.reviews.hints import HINT_CODES
from tinhgon.reviews.models import ApprovalDecision, CostSheet, Review, ReviewRound

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ANNEX_PT = 11

# Formatting: the one formatter (core/formatting.py), under the names the documents have always used.
pct = percent


def person(user) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or "").strip() or user.get_username()


def answer_label(value) -> str:
    return {True: "Có", False: "Không"}.get(value, "Chưa trả lời")


def _change_lines(proposal) -> list[str]:
    lines = []
    for change in proposal.change_rows():
        text = change["label"]
        if change.get("target"):
            text += f": {change['target']}"
        detail = "; ".join(
            part
            for part in [
                f"hiện tại: {change['before']}" if change.get("before") else "",
                f"đề xuất: {change['after']}" if change.get("after") else "",
            ]
            if part
        )
        lines.append(f"{text} ({detail})" if detail else text)
    return lines


def _implementation_lines(proposal) -> list[str]:
    lines = [*word.lines(proposal.legal_acts)]
    if proposal.implementing_issuer:
        lines.append(f"Cơ quan có thẩm quyền ban hành: {proposal.implementing_issuer}")
    if proposal.implementation_deadline:
        lines.append(f"Thời hạn thực thi: {day(proposal.implementation_deadline)}")
    return lines


# Download names ----------------------------------------------------------------------------------------------------


def review_file_title(review: Review) -> str:
    return f"Phiếu rà soát TTHC nội bộ {review.procedure.code} - {review.version.name}"


def approval_file_title(decision: ApprovalDecision) -> str:
    """'Quyết định 12/QĐ-UBND phê duyệt phương án đơn giản hóa TTHC nội bộ (dự thảo)'."""
    draft = " (dự thảo)" if decision.status == ApprovalStatus.DRAFT else ""
    return f"Quyết định {decision.number.strip()} phê duyệt phương án đơn giản hóa TTHC nội bộ{draft}"


def proposals_file_title(plan: ReviewRound | None) -> str:
    return "Phương án đơn giản hóa TTHC nội bộ" + (f" - {plan.title}" if plan else "")


def ledger_file_title(result: ledger_module.Ledger) -> str:
    """'Sổ theo dõi rà soát, đơn giản hóa TTHC nội bộ - Sở Nội vụ - đến ngày 30/09/2026' (slashes become dashes)."""
    root = result.filters.roots[0]
    return (
        f"Sổ theo dõi rà soát, đơn giản hóa TTHC nội bộ - {getattr(root, 'name', root)} - "
        f"đến ngày {day(result.filters.as_of)}"
    )


# Word helpers ------------------------------------------------------------------------------------------------------


# The review form ---------------------------------------------------------------------------------------------------

COST_HEADER = [
    "STT",
    "Công việc",
    "Số giờ",
    "Đơn giá giờ công (đồng)",
    "Thuê dịch vụ (đồng)",
    "Phí, lệ phí (đồng)",
    "Chi phí khác (đồng)",
    "Thành tiền (đồng)",
]
COST_WIDTHS = [1.0, 4.6, 1.4, 2.0, 1.9, 1.8, 1.8, 2.0]
QUESTION_HEADER = ["STT", "Nội dung rà soát", "Trả lời", "Lý do", "Đề xuất"]
QUESTION_WIDTHS = [1.0, 6.5, 1.8, 3.6, 3.6]


def _review_for_document(review: Review) -> Review:
    return (
        Review.objects.select_related(
            "round__organisation",
            "procedure__owner",
            "version__field",
            "responsible",
            "reviewer",
            "assignee",
            "proposal",
            "approval__issuer",
        )
        .prefetch_related(
            Prefetch("answers", queryset=review.answers.model.objects.select_related("question")),
            "hint_decisions",
            Prefetch("cost_sheets", queryset=CostSheet.objects.prefetch_related("rows")),
        )
        .get(pk=review.pk)
    )


def review_heading(review: Review) -> list[tuple[str, str]]:
    version, procedure = review.version, review.procedure
    reviewed_on = review.checked_on or review.submitted_on or today()
    rows = [
        ("Tên thủ tục", version.name),
        ("Mã thủ tục", procedure.code),
        ("Lĩnh vực", version.field.name),
        ("Nhóm", version.get_group_display()),
        ("Cấp thực hiện", version.get_level_display()),
        ("Cơ quan quản lý", procedure.owner.name),
        ("Đơn vị rà soát", review.responsible.name),
        ("Người rà soát", person(review.assignee or review.reviewer)),
        ("Kế hoạch rà soát", review.round.title),
        ("Ngày rà soát", day(reviewed_on)),
        ("Thời hạn", day(review.deadline)),
        ("Trạng thái", review.get_status_display()),
    ]
    return [(label, word.nfc(value)) for label, value in rows if value]


def cost_rows(sheet: CostSheet) -> list[list[str]]:
    rate = sheet.rate
    hourly = number(sheet.hourly_rate)
    rows = []
    for n, row in enumerate(sheet.rows.all(), start=1):
        cost = costs.vnd(row.activity_costs.exact_cost(rate))
        rows.append(
            [
                str(n),
                row.activity,
                number(row.hours),
                hourly,
                number(row.outsourced_cost),
                number(row.fees),
                number(row.other_costs),
                number(cost),
            ]
        )
    rows.append(["", "Chi phí một lần thực hiện", "", "", "", "", "", number(sheet.cost_per_execution)])
    return rows


def cost_summary(sheet: CostSheet) -> list[str]:
    source = f" (nguồn: {sheet.parameters_source})" if sheet.parameters_source else ""
    return [
        f"Chi phí một lần thực hiện: {money(sheet.cost_per_execution)}.",
        f"Số lần thực hiện/năm của một đối tượng: {number(sheet.executions_per_year)}.",
        f"Số đối tượng thực hiện/năm: {number(sheet.subjects_per_year)}.",
        f"Chi phí tuân thủ một năm: {money(sheet.annual_cost)}.",
        f"Tham số: thu nhập bình quân {money(sheet.monthly_income)}/tháng, {number(sheet.working_days_per_month)} "
        f"ngày làm việc/tháng, {number(sheet.hours_per_day)} giờ/ngày; đơn giá giờ công "
        f"{number(sheet.hourly_rate)} đồng/giờ{source}.",
    ]


def benefit_rows(benefit: costs.Benefit) -> list[list[str]]:
    return [
        [
            number(benefit.before),
            number(benefit.after),
            number(benefit.saving),
            pct(benefit.saving_pct),
        ]
    ]


def review_docx(review: Review) -> bytes:
    """The review form of one procedure: identification, questions by criterion, accepted hints, the two cost
    sheets, the proposal and its benefit."""
    review = _review_for_document(review)
    unit = review.responsible
    context = {
        **issuer_block(unit),
        "so": "",
        "dia_danh_ngay": f"{place_of(unit)}, {long_date(review.checked_on or review.submitted_on or today())}",
        "ten_thu_tuc": review.version.name,
        "ky_ben_trai": ["NGƯỜI RÀ SOÁT"],
        "nguoi_ky_ben_trai": person(review.assignee or review.reviewer),
        "ky_ben_phai": ["THỦ TRƯỞNG ĐƠN VỊ"],
        "nguoi_ky_ben_phai": "",
    }
    return render_document(
        unit,
        "phieu-ra-soat",
        context,
        {
            "bang_thong_tin": lambda doc: word.info_table(doc, review_heading(review)),
            "bang_ra_soat": lambda doc: _review_body(doc, review),
        },
    )


def _review_body(doc, review: Review) -> None:
    """Sections I to V of the form: questions by criterion, accepted hints, the cost sheets, the proposal and its
    benefit, the independent assessment."""
    word.heading(doc, "I. RÀ SOÁT, ĐÁNH GIÁ THEO TIÊU CHÍ")
    answers = list(review.answers.all())
    for n, (criterion, label) in enumerate(Criterion.choices, start=1):
        chosen = [a for a in answers if a.question.criterion == criterion]
        word.heading(doc, f"{n}. {label}")
        if not chosen:
            word.body(doc, "Không có câu hỏi.")
            continue
        rows = [
            [
                str(a.question.order),
                a.question.text,
                answer_label(a.answer) + (" (*)" if a.is_flagged else ""),
                a.reason,
                a.proposal,
            ]
            for a in chosen
        ]
        word.data_table(doc, QUESTION_HEADER, rows, QUESTION_WIDTHS)
    if any(a.is_flagged for a in answers):
        word.para(doc, "(*) Câu trả lời gợi ý cần đơn giản hóa.", italic=True, size=SMALL_PT + 1)

    word.heading(doc, "II. GỢI Ý ĐƠN GIẢN HÓA ĐÃ CHẤP NHẬN")
    labels = HINT_CODES
    accepted = [h for h in sorted(review.hint_decisions.all(), key=lambda h: h.code) if h.accepted]
    for line in word.listed(
        [f"{labels.get(h.code, h.code)}" + (f": {h.note}" if h.note else "") for h in accepted]
    ) or ["Không có."]:
        word.body(doc, line)

    word.heading(doc, "III. CHI PHÍ TUÂN THỦ")
    for n, scenario in enumerate(Scenario, start=1):
        title = "Chi phí tuân thủ hiện tại" if scenario == Scenario.CURRENT else "Chi phí tuân thủ sau đơn giản hóa"
        word.heading(doc, f"{n}. {title}")
        sheet = review.sheet(scenario)
        if sheet is None:
            word.body(doc, "Chưa tính." if scenario == Scenario.CURRENT else "Không tính (không thay đổi thủ tục).")
            continue
        word.data_table(doc, COST_HEADER, cost_rows(sheet), COST_WIDTHS, size=SMALL_PT, bold_last=True)
        for line in cost_summary(sheet):
            word.body(doc, line)

    word.heading(doc, "IV. PHƯƠNG ÁN ĐƠN GIẢN HÓA")
    proposal = getattr(review, "proposal", None)
    if proposal is None:
        word.body(doc, "Chưa có phương án.")
    else:
        word.body(doc, f"1. Phương án: {proposal.get_action_display()}.")
        word.body(doc, "2. Nội dung đơn giản hóa:")
        for line in word.listed(_change_lines(proposal)) or ["Không."]:
            word.body(doc, line)
        word.body(doc, f"3. Lý do: {proposal.reason or 'Không.'}")
        word.body(doc, "4. Kiến nghị thực thi:")
        for line in word.listed(_implementation_lines(proposal)) or ["Không."]:
            word.body(doc, line)
        word.body(doc, "5. Lợi ích của phương án (chi phí tuân thủ một năm):")
        benefit = proposal.benefit()
        word.data_table(
            doc,
            ["Trước đơn giản hóa (đồng)", "Sau đơn giản hóa (đồng)", "Tiết kiệm (đồng)", "Tỷ lệ cắt giảm"],
            benefit_rows(benefit),
            [4.5, 4.5, 4.5, 3.0],
        )
        word.body(
            doc,
            f"Chi phí tuân thủ giảm từ {money(benefit.before)} xuống {money(benefit.after)} mỗi năm, "
            f"tiết kiệm {money(benefit.saving)}, đạt {pct(benefit.saving_pct)}.",
        )
    if review.assessment:
        word.heading(doc, "V. Ý KIẾN ĐÁNH GIÁ ĐỘC LẬP")
        word.body(doc, review.assessment)


# The approval decision ---------------------------------------------------------------------------------------------

ANNEX_HEADER = [
    "STT",
    "Tên thủ tục hành chính nội bộ",
    "Mã thủ tục",
    "Phương án",
    "Nội dung đơn giản hóa",
    "Lý do",
    "Kiến nghị thực thi",
    "Chi phí trước (đồng/năm)",
    "Chi phí sau (đồng/năm)",
    "Tiết kiệm (đồng/năm)",
    "Tỷ lệ (%)",
]
ANNEX_WIDTHS = [1.0, 3.8, 2.0, 2.0, 3.8, 2.8, 2.8, 1.9, 1.9, 1.9, 1.3]


# Three totals of compliance cost, each saying what it adds up (issue 14: the proposals workbook, the ledger and the
# approval decision gave three figures without their scope).
APPROVAL_TOTAL = "Tổng cộng (các phương án phê duyệt tại Quyết định này)"
PROPOSALS_TOTAL = "Tổng cộng (mọi phương án trong danh sách, đã hoặc chưa phê duyệt)"
LEDGER_TOTAL = "Tổng cộng (thủ tục thuộc phạm vi; chi phí sau chỉ tính phương án đã phê duyệt)"


@dataclass
class ProposalLine:
    """One proposal as the annex, the proposals workbook and Điều 2 show it."""

    review: Review
    stt: int
    benefit: costs.Benefit

    @property
    def proposal(self):
        return self.review.proposal

    def cells(self) -> list:
        p, r = self.proposal, self.review
        return [
            self.stt,
            r.version.name,
            r.procedure.code,
            p.get_action_display(),
            "\n".join(_change_lines(p)),
            p.reason,
            "\n".join(_implementation_lines(p)),
            self.benefit.before,
            self.benefit.after,
            self.benefit.saving,
            self.benefit.saving_pct,
        ]


def proposal_lines(reviews) -> list[ProposalLine]:
    """The reviews that have a proposal, with what the annex needs loaded in a fixed number of queries, ordered by
    group, field and code."""
    if isinstance(reviews, QuerySet):
        reviews = reviews.filter(proposal__isnull=False).select_related(
            "procedure__owner__parent", "version__field", "proposal", "responsible"
        )
        reviews = reviews.prefetch_related("cost_sheets", "proposal__implementation_items__owner")
    chosen = [r for r in reviews if getattr(r, "proposal", None) is not None]
    chosen.sort(key=lambda r: (r.version.group, r.version.field.name, r.procedure.code))
    return [ProposalLine(r, n, r.proposal.benefit()) for n, r in enumerate(chosen, start=1)]


def totals(lines: list[ProposalLine]) -> costs.Benefit:
    return costs.Benefit(sum(x.benefit.before for x in lines), sum(x.benefit.after for x in lines))


def approval_issuer(decision: ApprovalDecision) -> Issuer:
    """The issuer as the registry's decisions show it; a blank signer title defaults to the head of that kind of
    unit (Chủ tịch for a province, Giám đốc for a department...)."""
    title = decision.signer_title or decision.issuer.signer_titles()[0]
    return Issuer.signing(decision.issuer, title)


def _approval_title(decision: ApprovalDecision, lines: list[ProposalLine], issuer: Issuer) -> str:
    if decision.title:
        return word.nfc(decision.title)
    fields = sorted({x.review.version.field.name for x in lines})
    scope = f" lĩnh vực {', '.join(fields)}" if fields else ""
    return f"Phê duyệt phương án đơn giản hóa thủ tục hành chính nội bộ{scope} thuộc phạm vi quản lý của {issuer.name}"


def _article1_text(lines: list[ProposalLine], issuer: Issuer) -> str:
    by_action = defaultdict(int)
    for x in lines:
        by_action[x.proposal.action] += 1
    counts = "; ".join(f"{by_action[a]:02d} thủ tục {label.lower()}" for a, label in Action.choices if by_action[a])
    total = totals(lines)
    return (
        f"Phê duyệt phương án đơn giản hóa {len(lines):02d} thủ tục hành chính nội bộ thuộc phạm vi quản lý của "
        f"{issuer.name}" + (f", gồm: {counts}" if counts else "") + " (có Phụ lục kèm theo). "
        f"Chi phí tuân thủ một năm giảm từ {money(total.before)} xuống {money(total.after)}, tiết kiệm "
        f"{money(total.saving)}, tỷ lệ cắt giảm {pct(total.saving_pct)}." + _time_sentence(lines)
    )


def _time_sentence(lines: list[ProposalLine]) -> str:
    """The time limits cut by the options of the decision, by the ledger's rule (COUNTS["time_cut_pct"]); nothing
    when none is cut."""
    cuts = [cut for x in lines if (cut := x.proposal.time_cut()) is not None and cut.days > 0]
    if not cuts:
        return ""
    total = costs.TimeCut(sum(c.before for c in cuts), sum(c.after for c in cuts))
    return (
        f" Thời hạn giải quyết của {len(cuts):02d} thủ tục giảm tổng cộng {number(total.days, 2)} ngày làm việc, "
        f"tỷ lệ cắt giảm bình quân {pct(total.pct)}."
    )


def _article2_lines(decision: ApprovalDecision, lines: list[ProposalLine]) -> list[str]:
    """Who carries out which proposals and by when: the lead unit of the decision, else the agency owning each
    procedure."""
    changing = [x for x in lines if x.proposal.action != Action.KEEP]
    if not changing:
        return ["Các cơ quan, đơn vị có liên quan tiếp tục thực hiện thủ tục theo quy định hiện hành."]
    by_unit = defaultdict(list)
    for x in changing:  # work is assigned to agencies, never to a department's divisions
        unit = decision.lead_unit or x.review.procedure.owner.agency()
        by_unit[unit.name].append(x)
    text = []
    lead = decision.lead_unit.name if decision.lead_unit else ", ".join(sorted(by_unit))
    text.append(
        f"Giao {lead} chủ trì, phối hợp với các cơ quan, đơn vị có liên quan dự thảo văn bản thực thi phương án "
        f"đơn giản hóa thủ tục hành chính nội bộ đã được phê duyệt tại Điều 1, trình cấp có thẩm quyền ban hành; "
        f"cập nhật, công bố thủ tục sau đơn giản hóa theo quy định:"
    )
    for unit in sorted(by_unit):
        for x in by_unit[unit]:
            due = _deadline(x)
            when = f", hoàn thành trước ngày {day(due)}" if due else ""
            text.append(
                f"- {unit}: thủ tục {x.review.procedure.code} ({x.proposal.get_action_display().lower()}){when};"
            )
    text[-1] = text[-1].rstrip(";") + "."
    return text


def _deadline(line: ProposalLine) -> date | None:
    dates = [i.due_on for i in line.proposal.implementation_items.all() if i.due_on]
    return line.proposal.implementation_deadline or (min(dates) if dates else None)


def _approval_recipients(issuer: Issuer) -> list[str]:
    leaders = "- Chủ tịch, các PCT UBND tỉnh;" if issuer.is_province else "- Lãnh đạo cơ quan;"
    return ["- Như Điều 3;", "- Văn phòng Chính phủ (Cục Kiểm soát TTHC);", leaders, "- Lưu: VT, KSTT."]


def annex_rows(lines: list[ProposalLine]) -> list[list[str]]:
    rows = []
    for x in lines:
        cells = x.cells()
        bullets = ["\n".join(f"- {line}" for line in cell.splitlines()) for cell in (cells[4], cells[6])]
        rows.append(
            [
                f"{cells[0]:02d}",
                *cells[1:4],
                bullets[0],
                cells[5],
                bullets[1],
                *(number(v) for v in cells[7:10]),
                number(cells[10], 2),
            ]
        )
    total = totals(lines)
    rows.append(
        [
            "",
            APPROVAL_TOTAL,
            "",
            "",
            "",
            "",
            "",
            number(total.before),
            number(total.after),
            number(total.saving),
            number(total.saving_pct, 2),
        ]
    )
    return rows


def approval_docx(decision: ApprovalDecision) -> bytes:
    """The approval decision: header, căn cứ, Điều 1-3, nơi nhận and signature, then its annex (landscape)."""
    decision = ApprovalDecision.objects.select_related("issuer", "lead_unit").get(pk=decision.pk)
    issuer = approval_issuer(decision)
    lines = proposal_lines(decision.reviews.all())
    titles = word.lines((decision.signer_title or "").upper()) or [decision.issuer.signer_titles()[0]]
    first, *rest = _article2_lines(decision, lines)
    context = {
        **issuer_block(decision.issuer),
        "so": decision.number,
        "dia_danh_ngay": f"{place_of(decision.issuer)}, {long_date(decision.signed_on)}",
        "trich_yeu": _approval_title(decision, lines, issuer),
        "tham_quyen": issuer.authority.upper(),
        "can_cu": decision.preamble(),
        "dieu_1": _article1_text(lines, issuer),
        "dieu_2": first,
        "dieu_2_them": rest,
        "dieu_3": f"Quyết định này có hiệu lực kể từ ngày ký. {article3(issuer)}",
        "noi_nhan": _approval_recipients(issuer),
        "chuc_vu_ky": titles,
        "nguoi_ky": decision.signer,
        "phu_luc_tieu_de": [
            "PHỤ LỤC",
            "PHƯƠNG ÁN ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH NỘI BỘ",
            f"THUỘC PHẠM VI QUẢN LÝ CỦA {issuer.name.upper()}",
        ],
        "phu_luc_kem_theo": (
            f"(Kèm theo Quyết định số {decision.number} {long_date(decision.signed_on)} của {issuer.authority})"
        ),
    }
    rows = annex_rows(lines)
    return render_document(
        decision.issuer,
        "quyet-dinh-phe-duyet",
        context,
        {
            "bang_phuong_an": lambda doc: word.data_table(
                doc, ANNEX_HEADER, rows, ANNEX_WIDTHS, size=ANNEX_PT, bold_last=True
            )
        },
    )


# Workbooks ---------------------------------------------------------------------------------------------------------

PROPOSAL_COLUMNS = [
    ("STT", 6),
    ("Tên thủ tục hành chính nội bộ", 45),
    ("Mã thủ tục", 14),
    ("Phương án", 16),
    ("Nội dung đơn giản hóa", 45),
    ("Lý do", 40),
    ("Kiến nghị thực thi", 40),
    ("Chi phí trước (đồng/năm)", 18),
    ("Chi phí sau (đồng/năm)", 18),
    ("Tiết kiệm (đồng/năm)", 18),
    ("Tỷ lệ cắt giảm (%)", 12),
]


def _value_cell(ws, value, font=None):
    """A write-only cell: text neutralised as in the registry export, amounts as numbers #,##0, and the
    percentages (the Decimals of the ledger and the benefits) as shares 0.00%."""
    if isinstance(value, Decimal):
        return percent_cell(ws, value, font)
    return _cell(ws, value, font)


def _columns(ws, columns) -> None:
    for i, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def write_proposals(reviews, target) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Phương án")
    _columns(ws, PROPOSAL_COLUMNS)
    lines = proposal_lines(reviews)
    print_setup(ws, header_row=3, columns=len(PROPOSAL_COLUMNS), frozen_columns=0, last_row=3 + len(lines))
    ws.append([_cell(ws, "PHƯƠNG ÁN ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH NỘI BỘ", BOLD)])
    ws.append([_cell(ws, f"(Xuất từ hệ thống ngày {today():%d/%m/%Y})")])
    ws.append(wrapped([_cell(ws, label, BOLD) for label, _ in PROPOSAL_COLUMNS]))
    for x in lines:
        ws.append(wrapped([_value_cell(ws, v) for v in x.cells()]))
    total = totals(lines)
    ws.append(
        wrapped(
            [
                _value_cell(ws, v, BOLD)
                for v in [
                    "",
                    PROPOSALS_TOTAL,
                    "",
                    "",
                    "",
                    "",
                    "",
                    total.before,
                    total.after,
                    total.saving,
                    total.saving_pct,
                ]
            ]
        )
    )
    wb.save(target)


def proposals_xlsx(reviews) -> bytes:
    """The proposals annex: one row per review's proposal (the approval annex's columns) and a totals row."""
    buffer = io.BytesIO()
    write_proposals(reviews, buffer)
    return buffer.getvalue()


@dataclass
class LedgerRow:
    code: str
    name: str
    owner: str
    group: str
    field: str
    reviewed: bool
    action: str = ""
    approved: bool = False
    before: int | None = None
    after: int | None = None

    @property
    def saving(self) -> int | None:
        return None if self.before is None else self.before - (self.after or 0)


def ledger_rows(result: ledger_module.Ledger) -> list[LedgerRow]:
    """The procedures behind the ledger (in scope), each with its review figures, in three queries."""
    filters = result.filters
    versions = ProcedureVersion.objects.filter(effective_from__lte=filters.as_of).select_related("field")
    versions = versions.order_by("procedure_id", "-effective_from", "-number")
    procedures = (
        ledger_module.in_scope(filters)
        .select_related("owner")
        .prefetch_related(Prefetch("versions", queryset=versions, to_attr="in_force"))
        .order_by("code")
    )
    reviews = {
        r.procedure_id: r
        for r in ledger_module.reviews(filters).select_related("proposal", "version__field").order_by()
    }
    rows = []
    for procedure in procedures:
        review = reviews.get(procedure.pk)
        version = review.version if review else (procedure.in_force[0] if procedure.in_force else None)
        proposal = getattr(review, "proposal", None) if review else None
        rows.append(
            LedgerRow(
                code=procedure.code,
                name=version.name if version else "",
                owner=procedure.owner.name,
                group=version.group if version else "",
                field=version.field.name if version else "",
                reviewed=review is not None,
                action=proposal.get_action_display() if proposal else "",
                approved=bool(review and review.is_approved),
                before=int(review.before) if review else None,
                after=int(review.after) if review else None,
            )
        )
    return rows


LEDGER_DETAIL_COLUMNS = [
    ("STT", 6),
    ("Mã thủ tục", 14),
    ("Tên thủ tục", 50),
    ("Cơ quan quản lý", 28),
    ("Nhóm", 7),
    ("Lĩnh vực", 24),
    ("Đã rà soát", 11),
    ("Phương án", 16),
    ("Đã phê duyệt", 12),
    ("Chi phí trước (đồng/năm)", 18),
    ("Chi phí sau (đồng/năm)", 18),
    ("Tiết kiệm (đồng/năm)", 18),
]
LEDGER_SUMMARY_COLUMNS = [
    ("Chỉ tiêu", 50),
    ("Giá trị", 18),
    ("Mức phải đạt (%)", 16),
    ("Thời hạn", 12),
    ("Đánh giá", 18),
    ("Ngày đạt", 12),
    ("Cách tính", 60),
]


def ledger_metrics(result: ledger_module.Ledger) -> list[tuple[str, object, str | None]]:
    """(label, value, metric whose milestones apply) in the order of the ledger page."""
    count = ledger_module.COUNTS
    rows = [
        (count["inventoried"].label, result.inventoried, None),
        (count["published"].label, result.published, None),
        (Metric.PUBLISHED.label + " (%)", result.published_pct, Metric.PUBLISHED),
        (count["reviewed"].label, result.reviewed, None),
        (Metric.REVIEWED.label + " (%)", result.reviewed_pct, Metric.REVIEWED),
        (count["submitted"].label, result.submitted, None),
        (Metric.SUBMITTED.label + " (%)", result.submitted_pct, Metric.SUBMITTED),
        (count["approved"].label, result.approved, None),
        (Metric.APPROVED.label + " (%)", result.approved_pct, Metric.APPROVED),
        (count["simplified"].label, result.simplified, None),
        (Metric.SIMPLIFIED.label + " (%)", result.simplified_pct, Metric.SIMPLIFIED),
        ("Chi phí tuân thủ trước đơn giản hóa (đồng/năm)", result.cost_before, None),
        ("Chi phí tuân thủ sau đơn giản hóa (đồng/năm)", result.cost_after, None),
        ("Chi phí tiết kiệm (đồng/năm)", result.cost_saving, None),
        (Metric.COST_SAVING.label + " (%)", result.cost_saving_pct, Metric.COST_SAVING),
        (count["implemented"].label, result.implemented, None),
        (Metric.IMPLEMENTED.label + " (%)", result.implemented_pct, Metric.IMPLEMENTED),
        (count["time_cut"].label, result.time_cut, None),
        ("Số ngày làm việc cắt giảm (tổng)", result.time_cut_days, None),
        (count["time_cut_pct"].label + " (%)", result.time_cut_pct, None),
    ]
    for action, label in Action.choices:
        if action in result.by_action:
            rows.append((f"Phương án “{label}”: số phiếu", result.by_action[action], None))
            rows.append((f"Phương án “{label}”: đã phê duyệt", result.approved_by_action.get(action, 0), None))
    return rows


def ledger_definitions() -> list[str]:
    """How the ledger counts, in Vietnamese (tinhgon/reviews/ledger.py DEFINITIONS)."""
    return list(ledger_module.DEFINITIONS)


def _scope_line(result: ledger_module.Ledger) -> str:
    filters = result.filters
    roots = [r.name if isinstance(r, Organisation) else str(r) for r in filters.roots]
    parts = [f"Phạm vi: {', '.join(roots)}", f"tính đến ngày {day(filters.as_of)}"]
    if filters.group:
        parts.append(f"nhóm {filters.group}")
    if filters.field:
        parts.append(f"lĩnh vực {filters.field}")
    if filters.level:
        parts.append(f"cấp {filters.level}")
    return "; ".join(parts)


def write_ledger(result: ledger_module.Ledger, rows: list[LedgerRow], target) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Tổng hợp")
    _columns(ws, LEDGER_SUMMARY_COLUMNS)
    ws.freeze_panes = "A4"  # no filter: the sheet ends with the definitions, below the figures
    page_setup(ws, title_rows="3:3")
    ws.append([_cell(ws, "SỔ THEO DÕI CHỈ TIÊU RÀ SOÁT, ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH NỘI BỘ", BOLD)])
    ws.append([_cell(ws, _scope_line(result))])
    ws.append(wrapped([_cell(ws, label, BOLD) for label, _ in LEDGER_SUMMARY_COLUMNS]))
    checks = defaultdict(list)
    for check in result.milestones:
        checks[check.milestone.metric].append(check)
    for label, value, metric in ledger_metrics(result):
        for check in checks.get(metric) or [None]:
            extra = []
            if check:
                milestone = check.milestone
                extra = [Decimal(milestone.target), milestone.due_on, check.status_label, check.reached_on]
                extra.append(ledger_module.METRIC_DEFINITIONS[metric])
            ws.append(wrapped([_value_cell(ws, label), _value_cell(ws, value), *[_value_cell(ws, v) for v in extra]]))
    ws.append([])
    ws.append([_cell(ws, "Cách tính", BOLD)])
    for line in ledger_definitions():
        ws.append([_cell(ws, line)])

    ws = wb.create_sheet("Chi tiết")
    _columns(ws, LEDGER_DETAIL_COLUMNS)
    print_setup(ws, header_row=1, columns=len(LEDGER_DETAIL_COLUMNS), frozen_columns=0, last_row=1 + len(rows))
    ws.append(wrapped([_cell(ws, label, BOLD) for label, _ in LEDGER_DETAIL_COLUMNS]))
    for n, row in enumerate(rows, start=1):
        values = [
            n,
            row.code,
            row.name,
            row.owner,
            row.group,
            row.field,
            "Có" if row.reviewed else "Chưa",
            row.action,
            ("Có" if row.approved else "Chưa") if row.reviewed else "",
            row.before,
            row.after,
            row.saving,
        ]
        ws.append(wrapped([_value_cell(ws, v) for v in values]))
    before = sum(r.before or 0 for r in rows)
    after = sum(r.after or 0 for r in rows if r.reviewed)
    ws.append(
        wrapped(
            [
                _value_cell(ws, v, BOLD)
                for v in ["", LEDGER_TOTAL, "", "", "", "", "", "", "", before, after, before - after]
            ]
        )
    )
    wb.save(target)


def ledger_xlsx(result: ledger_module.Ledger, rows: list[LedgerRow]) -> bytes:
    """The ledger: sheet "Tổng hợp" (each metric, its value, milestone target, due date and status; the
    definitions) and sheet "Chi tiết" (the procedures behind it, from `ledger_rows`)."""
    buffer = io.BytesIO()
    write_ledger(result, rows, buffer)
    return buffer.getvalue()
