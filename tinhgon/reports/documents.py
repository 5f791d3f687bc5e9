"""Documents of a periodic report: the report itself (báo cáo kết quả kiểm soát thủ tục hành chính, thủ tục hành chính
nội bộ) as Word and PDF, and its annex workbook (one sheet per section).

The content is assembled once, by `report_content`, from the report's frozen figures, its narrative, the rows entered
by hand and, for a parent organisation, its units' submitted reports; the Word, PDF and Excel renderers print that,
so the three formats cannot drift. The Word layout reuses the administrative helpers of the registry
(tinhgon/procedures/documents.py: NĐ 30/2020, A4, Times New Roman, header, nơi nhận and signature) and the number
formats of the review documents (tinhgon/reviews/documents.py: "88.800.000 đồng", "54,39%"); the workbook reuses the
registry export's cells (text that a spreadsheet would read as a formula is kept as text).
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.template.loader import render_to_string
from django.utils import timezone

from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from tinhgon.core import word
from tinhgon.core.dates import today
from tinhgon.core.workbooks import page_setup, percent_cell, wrapped
from tinhgon.core.workbooks import safe_cell as _cell
from tinhgon.organisations.models import render_document
from tinhgon.plans import progress
from tinhgon.plans.constants import IndicatorStatus
from tinhgon.procedures.constants import Group, Level
from tinhgon.procedures.documents import header_lines, long_date, place_of
from tinhgon.procedures.excel import BOLD
from tinhgon.reports import services
from tinhgon.reports.figures import area_tasks, monthly_rows
from tinhgon.reports.models import Report, Status
from tinhgon.reviews.constants import Action, Metric
from tinhgon.reviews.documents import money, number, pct
from tinhgon.reviews.ledger import COUNTS

NO_DATA = "Chưa có số liệu"
CHANGES = [
    ("new", "Thủ tục mới ban hành"),
    ("amended", "Thủ tục được sửa đổi, bổ sung"),
    ("replaced", "Thủ tục được thay thế"),
    ("abolished", "Thủ tục bị bãi bỏ"),
]
DIRECTION_SIGN = {"gte": "≥", "lte": "≤"}


# Cell values: numbers stay numbers until a renderer formats them ------------------------------------------------------


class Money(int):
    """An amount in đồng: '88.800.000 đồng' in the documents, a number with thousands separators in the workbook."""


class Pct(Decimal):
    """A percentage: '54,39%' in the documents, a number with two decimals in the workbook."""


def _pct(value) -> Pct:
    try:
        return Pct(str(value or 0))
    except InvalidOperation:
        return Pct(0)


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def display(value) -> str:
    """How a cell prints in Word and PDF."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, Money):
        return money(value)
    if isinstance(value, Pct):
        return pct(value)
    if isinstance(value, int | Decimal):
        return number(value)
    return word.nfc(value)


def _manual_value(text: str):
    """A value typed by hand: a whole number ('12') or a decimal with a comma ('12,5') becomes a number for the
    workbook; anything else stays text."""
    text = (text or "").strip()
    if re.fullmatch(r"-?\d{1,15}", text):
        return int(text)
    if re.fullmatch(r"-?\d{1,15},\d{1,6}", text):
        return Decimal(text.replace(",", "."))
    return text


# The content ------------------------------------------------------------------------------------------------------


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list]
    widths: list[float]  # cm, on the 16.5 cm text width (25.2 cm when wide)
    total: bool = False  # the last row is a totals row
    wide: bool = False  # printed on landscape pages

    def display_rows(self) -> list[list[str]]:
        return [[display(v) for v in row] for row in self.rows]


@dataclass
class Part:
    heading: str
    sheet: str  # the annex sheet the tables go to
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class ReportContent:
    header_lines: list[tuple[str, bool]]  # (text, bold) of the issuing body block
    number_line: str
    dated_line: str
    title: str
    subtitle: str
    scope_line: str
    results: list[str]
    parts: list[Part]
    difficulties: list[str]
    proposals: list[str]
    recipients: list[str]
    signer_titles: list[str]
    signer: str
    organisation: str

    @property
    def closing(self) -> str:
        return f"Trên đây là báo cáo {self.subtitle[0].lower()}{self.subtitle[1:]} của {self.organisation}./."


def _paragraphs(text: str, empty: str = "Không có.") -> list[str]:
    return [word.nfc(line) for line in word.lines(text)] or [empty]


def _recipient_lines(text: str) -> list[str]:
    lines = [line if line.startswith(("-", "+", "–")) else f"- {line}" for line in word.lines(word.nfc(text))]
    return lines or ["- Như trên;", "- Lưu: VT."]


def _numbered(rows: list[list], total: list | None = None) -> list[list]:
    out = [[f"{n:02d}", *row] for n, row in enumerate(rows, start=1)]
    return out + ([["", *total]] if total else [])


def procedures_part(fig: dict) -> Part:
    p = fig.get("procedures", {})
    in_force = _int(p.get("in_force"))
    by_group, by_level = p.get("by_group", {}), p.get("by_level", {})
    groups = [[label, _int(by_group.get(value))] for value, label in Group.choices]
    levels = [[label, _int(by_level.get(value))] for value, label in Level.choices if value in by_level]
    decided = p.get("decided", {})
    decided_rows = [[label, _int(decided.get(key))] for key, label in CHANGES]
    fields = [[word.nfc(f.get("field") or "Chưa phân lĩnh vực"), _int(f.get("n"))] for f in p.get("by_field", [])]
    return Part(
        "1. Công bố, công khai thủ tục hành chính, thủ tục hành chính nội bộ",
        "Công bố",
        [
            "Tổng số thủ tục hành chính nội bộ đang có hiệu lực tại thời điểm chốt số liệu: "
            f"{number(in_force)} thủ tục; trong kỳ đã công bố {number(sum(r[1] for r in decided_rows))} thủ tục "
            "(mới ban hành, sửa đổi, bổ sung, thay thế, bãi bỏ)."
        ],
        [
            # Two tables, each adding up to the procedures in force: a group and a level row never share a total.
            Table(
                "Thủ tục đang có hiệu lực theo nhóm",
                ["STT", "Nhóm", "Số thủ tục"],
                _numbered(groups, ["Tổng số thủ tục đang có hiệu lực", in_force]),
                [1.2, 11.3, 4.0],
                total=True,
            ),
            Table(
                "Thủ tục đang có hiệu lực theo cấp thực hiện",
                ["STT", "Cấp thực hiện", "Số thủ tục"],
                _numbered(levels, ["Tổng số thủ tục đang có hiệu lực", in_force]),
                [1.2, 11.3, 4.0],
                total=True,
            ),
            Table(
                "Thủ tục đang có hiệu lực theo lĩnh vực",
                ["STT", "Lĩnh vực", "Số thủ tục"],
                _numbered(fields, ["Tổng cộng", sum(r[1] for r in fields)]),
                [1.2, 11.3, 4.0],
                total=True,
            ),
            Table(
                "Thủ tục được công bố trong kỳ",
                ["STT", "Nội dung công bố", "Số thủ tục"],
                _numbered(decided_rows, ["Tổng cộng", sum(r[1] for r in decided_rows)]),
                [1.2, 11.3, 4.0],
                total=True,
            ),
            *_monthly_table(p.get("decided_by_month", [])),
        ],
    )


def _monthly_table(months: list[dict]) -> list[Table]:
    """The monthly statistics (reports.figures.decided_by_month): one row per month and group; none for a report
    frozen before they existed."""
    rows = [[name, group.label, *changes, sum(changes)] for name, group, changes in monthly_rows(months)]
    if not rows:
        return []
    return [
        Table(
            "Thống kê thủ tục được công bố theo tháng (theo ngày có hiệu lực của quyết định)",
            ["Tháng", "Loại, nhóm thủ tục", "Mới", "Sửa đổi", "Thay thế", "Bãi bỏ", "Tổng"],
            rows,
            [2.4, 6.5, 1.5, 1.6, 1.5, 1.5, 1.5],
        )
    ]


def _scope_sentence(fig: dict) -> str:
    """Why the review scope and the procedures in force of part 1 are two figures (issue 14: '16 in force, 18
    published'): the 20% target counts against every procedure published since the programme began, those since
    abolished or replaced included, as the ledger defines it (reviews/ledger.py)."""
    published = _int(fig.get("reviews", {}).get("published"))
    in_force = _int(fig.get("procedures", {}).get("in_force"))
    return (
        f"Phạm vi rà soát gồm {number(published)} thủ tục đã công bố đến ngày chốt số liệu, kể cả thủ tục đã bãi bỏ, "
        f"thay thế; số thủ tục đang có hiệu lực tại mục 1 ({number(in_force)}) không tính các thủ tục này."
    )


def reviews_part(fig: dict) -> Part:
    r = fig.get("reviews", {})
    summary = [
        [COUNTS["published"].label, _int(r.get("published"))],
        [COUNTS["reviewed"].label, _int(r.get("reviewed"))],
        [Metric.REVIEWED.label, _pct(r.get("reviewed_pct"))],
        [COUNTS["simplified"].label, _int(r.get("simplified"))],
        [Metric.SIMPLIFIED.label, _pct(r.get("simplified_pct"))],
        ["Chi phí tuân thủ trước đơn giản hóa (đồng/năm)", Money(_int(r.get("cost_before")))],
        ["Chi phí tuân thủ sau đơn giản hóa (đồng/năm)", Money(_int(r.get("cost_after")))],
        ["Chi phí tiết kiệm được (đồng/năm)", Money(_int(r.get("cost_saving")))],
        ["Tỷ lệ cắt giảm chi phí", _pct(r.get("cost_saving_pct"))],
        [COUNTS["time_cut"].label, _int(r.get("time_cut"))],
        [COUNTS["time_cut_pct"].label, _pct(r.get("time_cut_pct"))],
    ]
    by_action, approved = r.get("by_action", {}), r.get("approved_by_action", {})
    actions = [[label, _int(by_action.get(value)), _int(approved.get(value))] for value, label in Action.choices]
    action_total = ["Tổng cộng", sum(a[1] for a in actions), sum(a[2] for a in actions)]
    return Part(
        "2. Rà soát, đánh giá, đơn giản hóa thủ tục hành chính nội bộ",
        "Rà soát",
        [
            f"Đã rà soát, đánh giá {number(_int(r.get('reviewed')))}/{number(_int(r.get('published')))} thủ tục "
            f"(đạt {pct(_pct(r.get('reviewed_pct')))}); đơn giản hóa {number(_int(r.get('simplified')))} thủ tục "
            f"(đạt {pct(_pct(r.get('simplified_pct')))}); chi phí tuân thủ giảm từ "
            f"{money(_int(r.get('cost_before')))} xuống {money(_int(r.get('cost_after')))}, tiết kiệm "
            f"{money(_int(r.get('cost_saving')))} ({pct(_pct(r.get('cost_saving_pct')))}).",
            _scope_sentence(fig),
            "Cách tính: " + " ".join(str(COUNTS[key]) for key in ("published", "reviewed", "simplified", "cost")),
        ],
        [
            Table(
                "Kết quả rà soát, đơn giản hóa", ["STT", "Chỉ tiêu", "Kết quả"], _numbered(summary), [1.2, 10.3, 5.0]
            ),
            Table(
                "Phương án đề xuất theo hình thức đơn giản hóa",
                ["STT", "Phương án", "Số đề xuất", "Số đã phê duyệt"],
                _numbered(actions, action_total),
                [1.2, 8.3, 3.5, 3.5],
                total=True,
            ),
        ],
    )


def implementation_part(fig: dict) -> Part:
    r = fig.get("reviews", {})
    rows = [
        ["Phương án đã được thực thi", _int(r.get("implemented"))],
        ["Tỷ lệ phương án đã thực thi", _pct(r.get("implemented_pct"))],
        ["Nội dung thực thi quá hạn chưa hoàn thành", _int(r.get("implementation_overdue"))],
    ]
    return Part(
        "3. Thực thi phương án đơn giản hóa",
        "Rà soát",
        [],
        [Table("Kết quả thực thi phương án", ["STT", "Chỉ tiêu", "Kết quả"], _numbered(rows), [1.2, 10.3, 5.0])],
    )


def tasks_part(fig: dict) -> Part:
    """The report's task tally (figures.tasks_figures → plans.progress.TaskTally) as the page prints it: the same
    rows, counts and shares (progress.tally_rows), and the sentence saying what the shares are of and how rounded."""
    t = fig.get("tasks", {})
    rows = [[r["label"], r["n"], _pct(r["pct"]) if r["pct"] is not None else None] for r in progress.tally_rows(t)]
    return Part(
        "4. Thực hiện nhiệm vụ được giao",
        "Nhiệm vụ",
        [progress.share_note(t)],
        [
            Table(
                "Tình hình thực hiện nhiệm vụ",
                ["STT", "Chỉ tiêu", "Số nhiệm vụ", "Tỷ lệ"],
                _numbered(rows),
                [1.2, 9.3, 3.0, 3.0],
            )
        ],
    )


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return word.nfc(value)


def _indicator_row(i: dict) -> list:
    target, value = _decimal(i.get("target")), _decimal(i.get("value"))
    sign = DIRECTION_SIGN.get(i.get("direction"), "")
    status = i.get("status")
    return [
        word.nfc(i.get("name")),
        word.nfc(i.get("unit")),
        f"{sign} {display(target)}".strip() if target is not None else "",
        value if value is not None else NO_DATA,
        word.nfc(i.get("period")),
        IndicatorStatus(status).label if status in IndicatorStatus.values else word.nfc(status),
    ]


def indicators_part(fig: dict) -> Part:
    rows = [_indicator_row(i) for i in fig.get("indicators", [])]
    return Part(
        "5. Kết quả thực hiện các chỉ tiêu",
        "Chỉ tiêu",
        [] if rows else ["Chưa đặt chỉ tiêu cho kỳ báo cáo."],
        [
            Table(
                "Chỉ tiêu",
                ["STT", "Chỉ tiêu", "Đơn vị tính", "Chỉ tiêu đặt ra", "Giá trị đạt được", "Kỳ số liệu", "Đánh giá"],
                _numbered(rows),
                [1.0, 4.5, 1.6, 2.2, 2.2, 2.2, 2.8],
            )
        ]
        if rows
        else [],
    )


AREAS_HEADING = "6. Kết quả thực hiện các nhiệm vụ cải cách hành chính"
AREA_SHEET = "Lĩnh vực CCHC"


def _area_sentence(t: dict) -> str:
    t = area_tasks(t)
    regular = (
        f" Nhiệm vụ thường xuyên: {number(t['regular'])}, đã báo cáo kết quả {number(t['regular_reported'])}."
        if t["regular"]
        else ""
    )
    if not t["due"]:
        return regular.strip() or "Không có nhiệm vụ trong các kế hoạch của năm."
    late = t["done_late"]
    done_pct = f" ({pct(_pct(t['done_pct']))})" if t["done_pct"] else ""
    overdue_pct = f" ({pct(_pct(t['overdue_pct']))})" if t["overdue_pct"] else ""
    return (
        f"Tổng số {number(t['due'])} nhiệm vụ có thời hạn: đã hoàn thành {number(t['done'])}{done_pct}"
        + (f", trong đó {number(late)} nhiệm vụ hoàn thành quá hạn" if late else "")
        + f"; chưa đến hạn {number(t['not_due'])}; chưa hoàn thành, quá hạn {number(t['overdue'])}{overdue_pct}."
        + regular
    )


def areas_parts(fig: dict) -> list[Part]:
    """The half-year and annual CCHC report area by area (figures.areas_figures): a summary table, then for each
    area (6.1 Công tác chỉ đạo, điều hành, 6.2 Cải cách thể chế, …) its tasks' progress and its indicators."""
    areas = fig.get("areas")
    if areas is None:
        return []
    tallies = [area_tasks(a.get("tasks", {})) for a in areas]
    summary = [
        [word.nfc(a.get("name")), t["due"], t["done"], t["not_due"], t["overdue"], t["regular"]]
        for a, t in zip(areas, tallies, strict=True)
    ]
    total = ["Tổng cộng", *[sum(row[n] for row in summary) for n in range(1, 6)]]
    parts = [
        Part(
            AREAS_HEADING,
            AREA_SHEET,
            ["Tình hình thực hiện nhiệm vụ trong các kế hoạch của năm, theo từng lĩnh vực cải cách hành chính."],
            [
                Table(
                    "Nhiệm vụ theo lĩnh vực cải cách hành chính",
                    ["STT", "Lĩnh vực", "Có thời hạn", "Đã hoàn thành", "Chưa đến hạn", "Quá hạn", "Thường xuyên"],
                    _numbered(summary, total),
                    [1.1, 5.0, 2.0, 2.1, 2.1, 2.0, 2.2],
                    total=True,
                )
            ],
        )
    ]
    for n, a in enumerate(areas, start=1):
        rows = [_indicator_row(i) for i in a.get("indicators", [])]
        name = word.nfc(a.get("name"))
        tables = [
            Table(
                f"Chỉ tiêu lĩnh vực {name[:1].lower()}{name[1:]}" if a.get("code") else "Chỉ tiêu chưa phân lĩnh vực",
                ["STT", "Chỉ tiêu", "Đơn vị tính", "Chỉ tiêu đặt ra", "Giá trị đạt được", "Kỳ số liệu", "Đánh giá"],
                _numbered(rows),
                [1.0, 4.5, 1.6, 2.2, 2.2, 2.2, 2.8],
            )
        ]
        parts.append(
            Part(
                f"6.{n}. {name}",
                AREA_SHEET,
                [_area_sentence(a.get("tasks", {}))],
                tables if rows else [],
            )
        )
    return parts


def manual_part(report: Report) -> Part:
    rows = [
        [
            word.nfc(row.get("section")),
            word.nfc(row.get("label")),
            _manual_value(word.nfc(row.get("value"))),
            word.nfc(row.get("note")),
        ]
        for row in report.manual_rows or []
    ]
    # The clerk signs what the unit reports, so the heading says where these figures come from ("do đơn vị cung
    # cấp") in the words of a report, not the app's "nhập tay" (how they were typed in).
    return Part(
        "Số liệu bổ sung",
        "Số liệu bổ sung",
        ["Các số liệu dưới đây do đơn vị cung cấp, không tính từ cơ sở dữ liệu thủ tục hành chính nội bộ."]
        if rows
        else ["Không có số liệu bổ sung."],
        [
            Table(
                "Số liệu bổ sung",
                ["STT", "Mục", "Nội dung", "Giá trị", "Ghi chú"],
                _numbered(rows),
                [1.0, 3.0, 6.0, 2.5, 4.0],
            )
        ]
        if rows
        else [],
    )


CHILD_HEADER = [
    "STT",
    "Đơn vị",
    "Tình trạng báo cáo",
    "TTHC đang có hiệu lực",
    "Đã rà soát",
    "Đã đơn giản hóa",
    "Chi phí tiết kiệm (đồng/năm)",
    "Nhiệm vụ đến hạn",
    "Hoàn thành đúng hạn",
    "Quá hạn",
]


def _not_counted(report: Report | None) -> str:
    if report is None or report.status == Status.DRAFT:
        return "Chưa gửi báo cáo"
    if report.status == Status.RETURNED:
        return "Đã trả lại để chỉnh sửa"
    return "Đang chờ tiếp nhận"


def children_part(report: Report, policy) -> Part | None:
    rows = services.children(report, policy)
    if not rows:
        return None
    lines = []
    for row in rows:
        name = word.nfc(row.organisation.name)
        if not row.accepted:  # only what the office took in is printed, so the rows add up to the total
            lines.append([name, _not_counted(row.report), *[None] * 7])
            continue
        f = row.report.figures
        sent = timezone.localdate(row.report.submitted_at) if row.report.submitted_at else None
        lines.append(
            [
                name,
                f"Đã gửi ngày {sent:%d/%m/%Y}" if sent else "Đã tiếp nhận",
                _int(f.get("procedures", {}).get("in_force")),
                _int(f.get("reviews", {}).get("reviewed")),
                _int(f.get("reviews", {}).get("simplified")),
                Money(_int(f.get("reviews", {}).get("cost_saving"))),
                _int(f.get("tasks", {}).get("due")),
                _int(f.get("tasks", {}).get("done_on_time")),
                _int(f.get("tasks", {}).get("overdue")),
            ]
        )
    totals = services.aggregate(rows)
    accepted = sum(1 for row in rows if row.accepted)
    total = [
        "Tổng cộng",
        f"{accepted}/{len(rows)} đơn vị đã gửi",
        totals["procedures"]["in_force"],
        totals["reviews"]["reviewed"],
        totals["reviews"]["simplified"],
        Money(totals["reviews"]["cost_saving"]),
        totals["tasks"]["due"],
        totals["tasks"]["done_on_time"],
        totals["tasks"]["overdue"],
    ]
    missing = [word.nfc(row.organisation.name) for row in rows if not row.accepted]
    text = f"Có {accepted}/{len(rows)} đơn vị trực thuộc đã gửi báo cáo kỳ này và được tiếp nhận."
    if missing:
        text += f" Chưa gửi hoặc chưa được tiếp nhận: {', '.join(missing)}."
    return Part(
        "Tổng hợp báo cáo của các đơn vị trực thuộc",
        "Đơn vị trực thuộc",
        [text],
        [
            Table(
                "Tổng hợp báo cáo của các đơn vị trực thuộc",
                CHILD_HEADER,
                _numbered(lines, total),
                [1.2, 5.4, 3.2, 2.3, 2.0, 2.2, 3.3, 2.1, 2.2, 1.3],
                total=True,
                wide=True,
            )
        ],
    )


def report_title(report: Report) -> str:
    return f"Kết quả kiểm soát thủ tục hành chính, thủ tục hành chính nội bộ {report.period.label}"


def report_content(report: Report, policy) -> ReportContent:
    """What every format prints: the report as stored, and the children's reports the user may see."""
    report = Report.objects.visible_to(policy).select_related("organisation__parent").get(pk=report.pk)
    organisation = report.organisation
    fig = report.figures or {}
    parts = [
        procedures_part(fig),
        reviews_part(fig),
        implementation_part(fig),
        tasks_part(fig),
        indicators_part(fig),
        *areas_parts(fig),
    ]
    children = children_part(report, policy)
    parts += [manual_part(report), *([children] if children else [])]
    signed = timezone.localdate(report.submitted_at) if report.submitted_at else None
    title_lines = word.lines(word.nfc(report.signer_title).upper()) or [organisation.signer_titles()[0]]
    return ReportContent(
        header_lines=header_lines(organisation),
        number_line=f"Số: {word.nfc(report.document_number)}" if report.document_number else "Số:        /BC-",
        dated_line=f"{place_of(organisation)}, {long_date(signed)}",
        title="BÁO CÁO",
        subtitle=report_title(report),
        scope_line=(
            f"(Kỳ báo cáo từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}; số liệu tính đến ngày "
            f"chốt {report.end:%d/%m/%Y})"
        ),
        results=_paragraphs(report.results, "Chưa có nội dung."),
        parts=parts,
        difficulties=_paragraphs(report.difficulties),
        proposals=_paragraphs(report.proposals),
        recipients=_recipient_lines(report.recipients),
        signer_titles=title_lines,
        signer=word.nfc(report.signer),
        organisation=word.nfc(organisation.name),
    )


# Word -------------------------------------------------------------------------------------------------------------


def report_docx(report: Report, policy) -> bytes:
    """The report in its organisation's template (its own, its nearest parent's or the default); the figures of
    section I, with their tables, are written where the template has `{{ bang_so_lieu }}`."""
    c = report_content(report, policy)
    lines = c.header_lines
    context = {
        "co_quan_chu_quan": next((line for line, bold in lines if not bold), ""),
        "co_quan": [line for line, bold in lines if bold],
        "so": c.number_line.removeprefix("Số: "),
        "dia_danh_ngay": c.dated_line,
        "trich_yeu": c.subtitle,
        "ky_bao_cao": c.scope_line,
        "ket_qua": c.results,
        "ton_tai": c.difficulties,
        "de_xuat": c.proposals,
        "loi_ket": c.closing,
        "noi_nhan": c.recipients,
        "chuc_vu_ky": c.signer_titles,
        "nguoi_ky": c.signer,
    }
    return render_document(
        report.organisation,
        "bao-cao-dinh-ky",
        context,
        {"bang_so_lieu": lambda doc: [_write_part(doc, part) for part in c.parts]},
    )


def _write_part(doc, part: Part) -> None:
    """A part of section I; one with a wide table (the units' reports, ten columns) on landscape pages of its own."""
    wide = any(table.wide for table in part.tables)
    if wide:
        word.landscape_section(doc)
    word.heading(doc, part.heading)
    for text in part.paragraphs:
        word.body(doc, text)
    for table in part.tables:
        word.heading(doc, table.title, italic=True)
        word.data_table(doc, table.header, table.display_rows(), table.widths, bold_last=table.total)
        word.para(doc, "").paragraph_format.space_after = Pt(0)
    if wide:
        word.portrait_section(doc)


# PDF --------------------------------------------------------------------------------------------------------------


def report_pdf(report: Report, policy) -> bytes:
    """The same content as report_docx, rendered by WeasyPrint (A4, Times New Roman → Tinos, "Trang x/y")."""
    from tinhgon.core.pdf import write_pdf

    html = render_to_string(
        "reports/documents/report_pdf.html", {"c": report_content(report, policy), "printed_on": today()}
    )
    return write_pdf(html)


# Workbook ---------------------------------------------------------------------------------------------------------


def _xlsx_cell(ws, value, font=None):
    """Amounts and counts as numbers #,##0, shares as 0.00% (the same figure the Word file prints), text as text."""
    if isinstance(value, Pct):
        return percent_cell(ws, value, font)
    if isinstance(value, date | int | float | Decimal):
        return _cell(ws, value, font)
    return _cell(ws, word.nfc(value) if value is not None else None, font)


def _xlsx_value(value):
    """Row numbers ('01') become numbers in the workbook."""
    if isinstance(value, str) and re.fullmatch(r"\d{2,}", value):
        return int(value)
    return value


def write_xlsx(report: Report, policy, target) -> None:
    c = report_content(report, policy)
    wb = Workbook(write_only=True)
    sheets = {}
    for part in c.parts:
        sheets.setdefault(part.sheet, []).append(part)
    for name, parts in sheets.items():
        ws = wb.create_sheet(name)
        # A section of several tables, each with its header: the title rows stay in view and head every printed
        # page; a sheet holds one filter only, so none is set (the tables are short).
        ws.freeze_panes = "A4"
        page_setup(ws, title_rows="1:2")
        widest = max((len(t.widths) for p in parts for t in p.tables), default=3)
        widths = [6, 50] + [18] * max(widest - 2, 1)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.append([_cell(ws, f"{c.title} {c.subtitle}".upper(), BOLD)])
        ws.append([_cell(ws, f"{c.organisation} · {c.scope_line}")])
        ws.append([])
        for part in parts:
            ws.append([_cell(ws, part.heading, BOLD)])
            for text in part.paragraphs:
                ws.append([_cell(ws, text)])
            for table in part.tables:
                ws.append([_cell(ws, table.title, BOLD)])
                ws.append(wrapped([_cell(ws, label, BOLD) for label in table.header]))
                for n, row in enumerate(table.rows, start=1):
                    font = BOLD if table.total and n == len(table.rows) else None
                    ws.append(wrapped([_xlsx_cell(ws, _xlsx_value(v), font) for v in row]))
                ws.append([])
    wb.save(target)


def report_xlsx(report: Report, policy) -> bytes:
    """The annex workbook: one sheet per section (Công bố, Rà soát, Nhiệm vụ, Chỉ tiêu, Đơn vị trực thuộc, Nhập
    tay), headers bold, numbers as numbers."""
    buffer = io.BytesIO()
    write_xlsx(report, policy, buffer)
    return buffer.getvalue()


RENDERERS = {"docx": report_docx, "xlsx": report_xlsx, "pdf": report_pdf}


def file_title(report: Report) -> str:
    """What a clerk files the report under, in every format: 'Báo cáo quý III/2026 - Sở Nội vụ' (the download
    name turns the slash into a dash)."""
    return f"{report.period.title} - {report.organisation.name}"
