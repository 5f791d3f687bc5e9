"""Demo quality management (issue 13 item 7): Sở Nội vụ applies TCVN ISO 9001:2015, announced by its director's
decision; its register holds six processes in force (one in its second edition, the first kept as history, one whose
review date has passed) and one abolished, owned by the department's office and divisions and linked to the internal
procedures they carry out. Its yearly internal audit found a minor nonconformity now past its correction date (in
the to-do list of the division and of the department's focal point), a major one corrected and an observation.
Five units entered and published their QĐ 766 scores for the three months before the current one, so the public
page has a chart. Everything goes through tinhgon.quality.services and the transitions, so the audit log tells the
story."""

from datetime import date, timedelta
from decimal import Decimal

from tinhgon.accounts.models import User
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.models import Procedure
from tinhgon.quality import services
from tinhgon.quality.constants import FindingCategory
from tinhgon.quality.models import (
    AuditFinding,
    ConformityAnnouncement,
    InternalAudit,
    QualityProcess,
    ServiceIndexScore,
)

P = "VLG"
AGENCY = "VLG-SNV"
ANNOUNCED_ON = date(2025, 8, 15)
# code, name, owner (under the agency), edition, days until the next review (negative: overdue), procedures' owner
PROCESSES = [
    ("QT-01", "Kiểm soát tài liệu", "VP", 2, 200, None),
    ("QT-02", "Kiểm soát hồ sơ", "VP", 1, -12, None),
    ("QT-03", "Đánh giá nội bộ", "VP", 1, 150, None),
    ("QT-04", "Kiểm soát sự không phù hợp và hành động khắc phục", "VP", 1, 150, None),
    ("QT-05", "Thẩm định hồ sơ đề nghị khen thưởng cấp tỉnh", "TDKT", 1, 90, "VLG-SNV-TDKT"),
    ("QT-06", "Thu thập, chỉnh lý và giao nộp hồ sơ, tài liệu vào Lưu trữ lịch sử", "VTLT", 1, 120, "VLG-SNV-VTLT"),
]
# unit code, its usual total (out of 100), month to month change
SCORED = [("SNV", "86.5", "1.25"), ("STP", "82", "-0.75"), ("STC", "79.25", "1.5"), ("LONGCHAU", "74.5", "2"),
          ("PHUOCHAU", "70", "-1")]  # fmt: skip


def _org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def seed() -> None:
    agency = _org(AGENCY)
    if not ConformityAnnouncement.objects.filter(organisation=agency).exists():
        _register(agency)
    if not ServiceIndexScore.objects.exists():
        _service_index()


def _register(agency: Organisation) -> None:
    focal = User.objects.filter(username="daumoi.snv").first()
    day = today()
    announcement = services.announcement_save(
        announcement=ConformityAnnouncement(
            organisation=agency,
            number="86/QĐ-SNV",
            signed_on=ANNOUNCED_ON,
            signer="Giám đốc Lê Văn Lãnh",
            scope="Các hoạt động quản lý nhà nước, giải quyết thủ tục hành chính và thủ tục hành chính nội bộ thuộc "
            "thẩm quyền của Sở Nội vụ; công tác văn thư, lưu trữ và thi đua, khen thưởng của Sở.",
        )
    )
    processes = {}
    for code, name, owner, edition, review_in, procedures_of in PROCESSES:
        unit = _org(f"{AGENCY}-{owner}")
        procedures = list(Procedure.objects.filter(owner__code=procedures_of, is_template=False)[:3])
        if edition > 1:  # the first edition, in force from 2023, superseded when the system was announced
            first = services.process_save(
                process=QualityProcess(
                    organisation=unit, code=code, name=name, edition=1, effective_on=date(2023, 6, 1)
                ),
                by=focal,
            )
            process = services.process_new_edition(
                previous=first,
                process=QualityProcess(
                    name=name,
                    edition=edition,
                    effective_on=ANNOUNCED_ON,
                    announcement=announcement,
                    next_review_on=day + timedelta(days=review_in),
                    scope="Áp dụng cho mọi tài liệu nội bộ và tài liệu có nguồn gốc bên ngoài của Sở.",
                ),
                by=focal,
            )
        else:
            process = services.process_save(
                process=QualityProcess(
                    organisation=unit,
                    code=code,
                    name=name,
                    edition=edition,
                    effective_on=ANNOUNCED_ON,
                    announcement=announcement,
                    next_review_on=day + timedelta(days=review_in),
                ),
                procedures=procedures,
                by=focal,
            )
        processes[code] = process
    paper = services.process_save(
        process=QualityProcess(
            organisation=_org(f"{AGENCY}-VP"),
            code="QT-07",
            name="Quản lý văn bản đi, văn bản đến bằng sổ giấy",
            effective_on=date(2023, 6, 1),
        ),
        by=focal,
    )
    paper.abolish("Văn bản đi, đến được quản lý trên Hệ thống quản lý văn bản và điều hành từ năm 2025.")
    _internal_audit(agency, processes, focal)


def _internal_audit(agency: Organisation, processes: dict, focal) -> None:
    day = today()
    audit = services.internal_audit_save(
        internal_audit=InternalAudit(
            organisation=agency,
            title=f"Đánh giá nội bộ hệ thống quản lý chất lượng năm {(day - timedelta(days=60)).year}",
            conducted_on=day - timedelta(days=60),
            scope="Toàn bộ các quy trình của hệ thống quản lý chất lượng đang áp dụng tại Sở.",
            auditors="Trưởng đoàn: Phạm Thị Đầu Mối (Văn phòng Sở)\n"
            "Thành viên: Nguyễn Thị Hoa (Phòng Tổ chức, biên chế và tổ chức phi chính phủ)\n"
            "Thành viên: Trần Văn Nam (Chi cục Văn thư - Lưu trữ)",
            conclusion="Hệ thống quản lý chất lượng được duy trì, áp dụng phù hợp; còn 02 điểm không phù hợp và 01 "
            "khuyến nghị cần khắc phục, cải tiến.",
        ),
        processes=list(processes.values()),
        by=focal,
    )
    findings = [
        AuditFinding(
            audit=audit,
            process=processes["QT-05"],
            category=FindingCategory.MINOR,
            description="02 hồ sơ đề nghị khen thưởng theo chuyên đề chưa có phiếu kiểm soát quá trình giải quyết "
            "theo biểu mẫu của quy trình.",
            corrective_action="Bổ sung phiếu kiểm soát; nhắc chuyên viên thụ lý lập phiếu ngay khi tiếp nhận hồ sơ.",
            due_on=day - timedelta(days=15),
        ),
        AuditFinding(
            audit=audit,
            process=processes["QT-02"],
            category=FindingCategory.MAJOR,
            description="Chưa lập danh mục hồ sơ năm của Sở theo yêu cầu của quy trình kiểm soát hồ sơ.",
            corrective_action="Văn phòng Sở đã lập, trình Giám đốc ban hành danh mục hồ sơ năm.",
            due_on=day - timedelta(days=30),
            closed_on=day - timedelta(days=35),
        ),
        AuditFinding(
            audit=audit,
            process=processes["QT-06"],
            category=FindingCategory.OBSERVATION,
            description="Nên số hóa sổ theo dõi hồ sơ, tài liệu giao nộp để tra cứu nhanh.",
            due_on=day + timedelta(days=45),
        ),
    ]
    for finding in findings:
        services.finding_save(finding=finding)


def _service_index() -> None:
    components = services.active_components()
    out_of = services.max_total(components)
    month = today().replace(day=1)
    months = []
    for _ in range(3):
        month = (month - timedelta(days=1)).replace(day=1)
        months.insert(0, month)
    for code, usual, change in SCORED:
        unit = _org(f"{P}-{code}")
        for n, when in enumerate(months):
            total = Decimal(usual) + Decimal(change) * n
            points = _share(components, total, out_of)
            score = services.score_save(
                score=ServiceIndexScore(organisation=unit, month=when, note=""),
                points=points,
            )
            score.publish()


def _share(components, total: Decimal, out_of: Decimal) -> dict:
    """Points of each group in proportion to its maximum, in quarter points, summing to `total`."""
    points = {}
    for component in components[:-1]:
        points[component] = (component.max_points * total / out_of * 4).quantize(Decimal(1)) / 4
    last = components[-1]
    points[last] = min(last.max_points, total - sum(points.values(), Decimal(0)))
    return points
