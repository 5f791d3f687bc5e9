"""Demo periodic reports (domain.md §8): the quarterly reports on the control of administrative procedures for the
quarter before the current one. Every unit directly under UBND tỉnh Vĩnh Long (the provincial office, the Sở and the
communes and wards) has written and sent its report, except one commune that is late. The province office has
accepted them all but two communes' reports: one still waiting in its to-do list, one returned with a reason. It has
drafted the province's report for the same quarter, which aggregates the accepted units' frozen figures (the others
are listed by reports.services.children). Everything goes through tinhgon.reports.services and the transitions
Report.submit, accept and send_back, so the audit log tells the story."""

from tinhgon.accounts.models import User
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.reports import services
from tinhgon.reports.models import Report, Status
from tinhgon.reports.periods import Kind, ReportPeriod, current, period

P = "VLG"
LATE = "VLG-VUNGLIEM"  # the one unit that has not sent its report yet
SIGNERS = {  # who signs, by kind of unit
    Organisation.Kind.PROVINCIAL_OFFICE: "Chánh Văn phòng",
    Organisation.Kind.DEPARTMENT: "Giám đốc",
    Organisation.Kind.COMMUNE: "Chủ tịch",
}
NAMES = ["Nguyễn Văn Hùng", "Trần Thị Mỹ Linh", "Lê Hoàng Phúc", "Phạm Ngọc Thảo", "Võ Thanh Tâm", "Huỳnh Văn Lợi"]


def previous_quarter(on=None) -> ReportPeriod:
    """The quarter before the one containing `on` (default today)."""
    now = current(Kind.QUARTERLY, on or today())
    if now.number == 1:
        return period(Kind.QUARTERLY, now.year - 1, 4)
    return period(Kind.QUARTERLY, now.year, now.number - 1)


def _results(org: Organisation, figures: dict, p: ReportPeriod) -> str:
    procedures, reviews, tasks = figures["procedures"], figures["reviews"], figures["tasks"]
    lines = [
        f"Trong {p.label}, {org.name} đã quán triệt, triển khai Kế hoạch kiểm soát thủ tục hành chính năm "
        f"{p.end.year} của UBND tỉnh; phân công công chức đầu mối theo dõi, tổng hợp việc thực hiện.",
    ]
    if procedures["in_force"]:
        lines.append(
            f"Đến ngày chốt số liệu {p.end:%d/%m/%Y}, đơn vị đang thực hiện {procedures['in_force']} thủ tục hành "
            f"chính nội bộ đã được công bố; đã rà soát {reviews['reviewed']} thủ tục, đề xuất đơn giản hóa "
            f"{reviews['simplified']} thủ tục."
        )
    if org.kind == Organisation.Kind.COMMUNE:
        lines.append(
            "Bộ phận Một cửa của xã, phường tiếp nhận và giải quyết hồ sơ đúng quy trình; 100% thủ tục được niêm yết "
            "công khai tại trụ sở và trên Cổng thông tin điện tử; tiếp tục số hóa hồ sơ, kết quả giải quyết TTHC "
            "theo Nghị định 107/2021/NĐ-CP."
        )
    elif org.kind == Organisation.Kind.PROVINCIAL_OFFICE:
        lines.append(
            "Văn phòng đã tham mưu UBND tỉnh công bố danh mục thủ tục hành chính nội bộ, theo dõi tiến độ rà soát của "
            "các sở, ngành và UBND cấp xã; tổng hợp báo cáo định kỳ gửi Văn phòng Chính phủ đúng thời hạn."
        )
    else:
        lines.append(
            "Sở đã rà soát quy trình nội bộ giải quyết thủ tục hành chính, cập nhật đầy đủ trên Hệ thống thông tin "
            "giải quyết TTHC của tỉnh; không phát sinh hồ sơ quá hạn do lỗi của cơ quan."
        )
    if tasks["due"]:
        lines.append(
            f"Trong kỳ có {tasks['due']} nhiệm vụ đến hạn, hoàn thành đúng hạn {tasks['done_on_time']} nhiệm vụ "
            f"(tỷ lệ {tasks['on_time_pct']}%)."
        )
    return "\n".join(lines)


def _difficulties(org: Organisation) -> str:
    if org.kind == Organisation.Kind.COMMUNE:
        return (
            "Sau sắp xếp đơn vị hành chính, khối lượng hồ sơ tăng trong khi số công chức làm việc tại Bộ phận Một cửa "
            "còn thiếu; trang thiết bị phục vụ số hóa chưa đồng bộ, đường truyền có lúc gián đoạn."
        )
    return (
        "Một số thủ tục hành chính nội bộ chưa được quy định rõ thời hạn và thành phần hồ sơ, gây khó khăn cho việc "
        "đo lường chi phí tuân thủ; công chức làm đầu mối kiểm soát TTHC còn kiêm nhiệm nhiều việc."
    )


def _proposals(org: Organisation) -> str:
    if org.kind == Organisation.Kind.COMMUNE:
        return (
            "Đề nghị UBND tỉnh bổ sung kinh phí mua sắm máy quét, máy tính cho Bộ phận Một cửa cấp xã; Văn phòng UBND "
            "tỉnh tiếp tục tập huấn nghiệp vụ số hóa hồ sơ cho công chức cấp xã."
        )
    return (
        "Đề nghị Văn phòng UBND tỉnh sớm có hướng dẫn thống nhất cách tính chi phí tuân thủ thủ tục hành chính nội "
        "bộ; tổ chức tập huấn cho công chức đầu mối các sở, ngành."
    )


def _write_and_send(org: Organisation, p: ReportPeriod, n: int, by=None) -> Report:
    report = services.report_create(organisation=org, kind=Kind.QUARTERLY, year=p.year, number=p.number, by=by)
    rows = [
        {"section": "Kiểm tra", "label": "Số cuộc tự kiểm tra công tác kiểm soát TTHC", "value": str(1 + n % 3)},
        {"section": "Phản ánh, kiến nghị", "label": "Số phản ánh, kiến nghị tiếp nhận", "value": str(n % 4)},
    ]
    report = services.report_write(
        report=report,
        results=_results(org, report.figures, p),
        difficulties=_difficulties(org),
        proposals=_proposals(org),
        document_number=f"{20 + n}/BC-{(org.short_name or org.code.split('-')[-1]).upper()}",
        signer=NAMES[n % len(NAMES)],
        signer_title=SIGNERS.get(org.kind, "Thủ trưởng cơ quan"),
        recipients="UBND tỉnh Vĩnh Long (b/c);\nVăn phòng UBND tỉnh (Phòng Kiểm soát TTHC);\nLưu: VT.",
        manual_rows=rows,
    )
    return report.submit(by=by)


RETURN_REASON = (
    "Phần số liệu nhiệm vụ quá hạn chưa khớp với phụ lục kèm theo; đề nghị rà soát, bổ sung và gửi lại trước ngày "
    "làm việc tiếp theo."
)


def _receive(reports: list[Report], by) -> None:
    """The province office's answers: the first commune's report still waits, the second is returned, the rest
    are accepted into the province's aggregate."""
    communes = [r for r in reports if r.organisation.kind == Organisation.Kind.COMMUNE]
    waiting, returned = communes[0], communes[1]
    returned.send_back(RETURN_REASON, by=by)
    for report in reports:
        if report not in (waiting, returned):
            report.accept(by=by)


def seed() -> None:
    province = Organisation.objects.get(code=P)
    p = previous_quarter()
    if Report.objects.filter(organisation=province, kind=Kind.QUARTERLY, year=p.year, number=p.number).exists():
        return  # already seeded: running twice changes nothing
    users = {u.username: u for u in User.objects.filter(username__in=["vanphong", "lanhdao.snv"])}
    children = list(province.children_on(p.end).order_by("code"))
    sent = []
    for n, org in enumerate(children):
        if org.code == LATE:
            continue
        by = users.get("lanhdao.snv") if org.code == f"{P}-SNV" else None
        sent.append(_write_and_send(org, p, n, by=by))
    _receive(sent, users.get("vanphong"))
    report = services.report_create(
        organisation=province, kind=Kind.QUARTERLY, year=p.year, number=p.number, by=users.get("vanphong")
    )
    accepted = sum(1 for report in sent if report.status == Status.ACCEPTED)
    services.report_write(
        report=report,
        results=(
            f"Trong {p.label}, UBND tỉnh Vĩnh Long tiếp tục chỉ đạo các sở, ban, ngành và UBND các xã, phường thực "
            "hiện nghiêm việc kiểm soát thủ tục hành chính, rà soát, đơn giản hóa thủ tục hành chính nội bộ. "
            f"{accepted}/{len(children)} cơ quan, đơn vị đã gửi báo cáo quý và được tiếp nhận; "
            "số liệu tổng hợp tại phụ lục kèm theo.\n"
            "Văn phòng UBND tỉnh đã kiểm tra công tác kiểm soát TTHC tại 04 sở và 06 UBND cấp xã; kịp thời hướng dẫn "
            "tháo gỡ vướng mắc sau sắp xếp đơn vị hành chính."
        ),
        difficulties=(
            "Một số đơn vị gửi báo cáo chậm so với thời hạn; chất lượng rà soát, đánh giá chi phí tuân thủ ở một số "
            "sở còn hình thức; cấp xã sau sắp xếp còn thiếu công chức đầu mối."
        ),
        proposals=(
            "Đề nghị Văn phòng Chính phủ tiếp tục hướng dẫn cách tính chi phí tuân thủ thủ tục hành chính nội bộ và "
            "nâng cấp Hệ thống báo cáo của Chính phủ để kết nối số liệu tự động từ các địa phương."
        ),
        signer="Nguyễn Quỳnh Thiện",
        signer_title="Chủ tịch",
        recipients="Văn phòng Chính phủ (Cục Kiểm soát TTHC);\nTT Tỉnh ủy, TT HĐND tỉnh;\nCT, các PCT UBND tỉnh;"
        "\nLưu: VT, KSTT.",
    )
