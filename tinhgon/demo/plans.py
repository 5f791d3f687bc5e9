"""Demo plans (domain.md §3.9, §4.3, §9): the province's 2026 plan for controlling and reforming administrative
procedures with ten tasks like the real ones (lead Văn phòng UBND tỉnh or a Sở, coordinating units, "all
departments and all commune People's Committees" by rule, a monthly report due on the 20th), two plans of Sở Nội vụ
implementing two of its tasks (the second, the department's administrative-reform plan, carries numeric targets as
indicators, one computed), progress reports in every status class, one pending extension request and the
department's self-assessed "Chỉ số cải cách hành chính" scorecard. Everything goes through tinhgon.plans.services
and tinhgon.plans.indicators, so the audit log tells the story."""

from datetime import date, timedelta
from decimal import Decimal

from tinhgon.accounts.models import User
from tinhgon.audit import context as audit
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.plans import indicators, services
from tinhgon.plans.constants import (
    DEFAULT_BANDS,
    Direction,
    ExecutingRule,
    Period,
    PlanKind,
    Recurrence,
    Source,
)
from tinhgon.plans.models import Assignment, Indicator, Plan, ReformArea, Scorecard, ScoreCriterion, Task
from tinhgon.plans.periods import spans

P = "VLG"
YEAR = 2026
PROVINCE_TITLE = "Kế hoạch kiểm soát thủ tục hành chính, cải cách TTHC năm 2026 của UBND tỉnh Vĩnh Long"
SNV_REVIEW_TITLE = "Kế hoạch rà soát, đơn giản hóa thủ tục hành chính nội bộ năm 2026 của Sở Nội vụ"
SNV_REFORM_TITLE = "Kế hoạch cải cách hành chính năm 2026 của Sở Nội vụ"
SCORECARD_TITLE = "Chỉ số cải cách hành chính"
MONTHLY_REPORT = "Báo cáo tình hình, kết quả kiểm soát TTHC hằng tháng"
SOURCE = ("Quyết định số 25/QĐ-UBND", date(2026, 1, 8), "UBND tỉnh Vĩnh Long")

D = ExecutingRule.DEPARTMENTS
DC = ExecutingRule.DEPARTMENTS_AND_COMMUNES


def _late_day() -> date:
    """The plans' last day: still ahead while the demo year runs, overdue work once it is over (deadlines must
    stay inside the plan's period)."""
    return date(YEAR, 12, 31)


# code, title, lead, coordinating, executing rule, deadline (None: recurring), product
TASKS = [
    (
        "1",
        "Rà soát, cập nhật, công bố danh mục thủ tục hành chính, thủ tục hành chính nội bộ thuộc thẩm quyền giải "
        "quyết của các cấp chính quyền trên địa bàn tỉnh",
        "VP",
        ["SNV", "STP"],
        D,
        date(YEAR, 3, 31),
        "Quyết định công bố của Chủ tịch UBND tỉnh",
    ),
    (
        "2",
        "Rà soát, đánh giá, đề xuất phương án đơn giản hóa thủ tục hành chính nội bộ trong hệ thống hành chính "
        "nhà nước; phấn đấu cắt giảm ít nhất 20% thủ tục và 20% chi phí tuân thủ",
        "VP",
        ["SNV"],
        DC,
        date(YEAR, 9, 30),
        "Báo cáo kết quả rà soát kèm phương án đơn giản hóa",
    ),
    (
        "3",
        "Thực hiện cơ chế một cửa, một cửa liên thông; số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        "VP",
        ["SKHCN"],
        DC,
        date(YEAR, 12, 15),
        "Tỷ lệ hồ sơ được số hóa theo Nghị định 107/2021/NĐ-CP",
    ),
    (
        "4",
        "Công khai đầy đủ, kịp thời thủ tục hành chính trên Cổng Dịch vụ công quốc gia, Hệ thống thông tin giải "
        "quyết TTHC của tỉnh và tại Bộ phận Một cửa",
        "VP",
        [],
        D,
        date(YEAR, 6, 30),
        "100% TTHC được công khai đúng quy định",
    ),
    (
        "5",
        "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính và hành vi hành chính",
        "VP",
        ["STP", "TTT"],
        "",
        None,  # deadline: the year's end
        "Báo cáo kết quả xử lý phản ánh, kiến nghị",
    ),
    (
        "6",
        "Kiểm tra công tác kiểm soát thủ tục hành chính, thực hiện cơ chế một cửa tại các sở, ban, ngành và UBND "
        "các xã, phường",
        "VP",
        ["SNV", "STP"],
        "",
        date(YEAR, 10, 31),
        "Thông báo kết luận kiểm tra",
    ),
    (
        "7",
        "Tuyên truyền, phổ biến về công tác kiểm soát thủ tục hành chính và cải cách thủ tục hành chính",
        "SVHTTDL",
        ["VP", "SNV"],
        "",
        date(YEAR, 8, 31),
        "Chuyên mục, tin bài trên báo, đài của tỉnh",
    ),
    (
        "8",
        "Đo lường, đánh giá chất lượng phục vụ người dân, doanh nghiệp trong giải quyết TTHC theo Quyết định số "
        "766/QĐ-TTg",
        "VP",
        [],
        DC,
        date(YEAR, 11, 30),
        "Bộ chỉ số phục vụ người dân, doanh nghiệp được cập nhật",
    ),
    (
        "9",
        "Triển khai nền tảng số, tích hợp, chia sẻ dữ liệu phục vụ giải quyết thủ tục hành chính trên môi trường "
        "điện tử",
        "SKHCN",
        ["VP"],
        "",
        date(YEAR, 9, 15),
        "Hệ thống thông tin giải quyết TTHC kết nối cơ sở dữ liệu quốc gia",
    ),
    ("10", MONTHLY_REPORT, "VP", [], DC, "monthly", "Báo cáo tháng gửi Văn phòng UBND tỉnh trước ngày 20"),
]


# The reform area (ReformArea.code, seeded by plans migration 0008) of each task of the province plan, by STT.
TASK_AREAS = {
    **dict.fromkeys(["1", "2", "3", "4", "5", "6", "8"], "thu-tuc-hanh-chinh"),
    "7": "chi-dao-dieu-hanh",
    "9": "chinh-quyen-so",
    "10": "chi-dao-dieu-hanh",
}


def _org(code: str) -> Organisation:
    return Organisation.objects.get(code=f"{P}-{code}" if code != P else P)


def _area(code: str | None) -> ReformArea | None:
    return ReformArea.objects.filter(code=code).first() if code else None


def seed() -> None:
    province = Organisation.objects.get(code=P)
    if Plan.objects.filter(issuer=province, title=PROVINCE_TITLE).exists():
        return  # already seeded: running twice changes nothing
    by = User.objects.filter(username="vanphong").first()
    plan = services.plan_save(
        plan=Plan(
            issuer=province,
            number="35/KH-UBND",
            issued_on=date(YEAR, 1, 15),
            title=PROVINCE_TITLE,
            kind=PlanKind.PROCEDURE_REFORM,
            period_start=date(YEAR, 1, 1),
            period_end=date(YEAR, 12, 31),
            objectives="Kiểm soát chặt chẽ việc ban hành thủ tục hành chính; rà soát, cắt giảm, đơn giản hóa TTHC "
            "nội bộ; nâng cao chất lượng giải quyết TTHC, lấy người dân, doanh nghiệp làm trung tâm phục vụ.",
        ),
        by=by,
    )
    tasks = {}
    for order, (code, title, lead, coordinating, rule, deadline, product) in enumerate(TASKS, start=1):
        recurring = deadline == "monthly"
        task = Task(
            plan=plan,
            code=code,
            order=order,
            title=title,
            area=_area(TASK_AREAS.get(code)),
            lead=_org(lead),
            executing_rule=rule,
            deadline=None if recurring else (deadline or _late_day()),
            recurrence=Recurrence.MONTHLY if recurring else Recurrence.NONE,
            recurrence_day=20 if recurring else None,
            product=product,
            source_number=SOURCE[0],
            source_date=SOURCE[1],
            source_issuer=SOURCE[2],
        )
        tasks[code] = services.task_save(task=task, coordinating=[_org(c) for c in coordinating], by=by)
    _report_province(tasks)
    _review_plan, reform_plan = _snv_plans(plan, tasks)
    _extension(tasks)
    _indicators(reform_plan)
    _scorecard()


def _done(assignment: Assignment, completed_on: date, report: str) -> None:
    services.assignment_report(assignment=assignment, progress=100, report=report, completed_on=completed_on)


def _progress(assignment: Assignment, progress: int, report: str) -> None:
    services.assignment_report(assignment=assignment, progress=progress, report=report)


def _report_province(tasks: dict) -> None:
    """Reports in every status class: done on time, done late, overdue (left open after the deadline), in progress
    and not yet due."""
    day = today()
    for code, on_time, late_every, open_every in (("1", -6, 5, 0), ("4", -3, 4, 7), ("2", -10, 6, 3)):
        rows = list(tasks[code].assignments.select_related("organisation").order_by("organisation__code"))
        for i, a in enumerate(rows):
            if open_every and i % open_every == 1:
                if i % 2:
                    _progress(a, 60, "Đang hoàn thiện báo cáo, chưa gửi Văn phòng UBND tỉnh.")
                continue  # overdue
            if late_every and i % late_every == 2:
                _done(a, min(a.due_on + timedelta(days=12), day), "Hoàn thành, gửi báo cáo chậm so với thời hạn.")
            else:
                _done(a, a.due_on + timedelta(days=on_time), "Đã hoàn thành, gửi báo cáo đúng hạn.")
    # Ongoing tasks: in progress for some units, untouched (not yet due) for the others.
    for code, progress in (("3", 70), ("5", 60), ("8", 40)):
        for i, a in enumerate(tasks[code].assignments.order_by("organisation__code")):
            if i % 3 == 0:
                _progress(a, progress, "Đang triển khai theo kế hoạch.")
    for code in ("6", "7", "9"):
        for i, a in enumerate(tasks[code].assignments.order_by("organisation__code")):
            if i % 2 == 0 and a.due_on < day:
                _done(a, a.due_on - timedelta(days=2), "Đã hoàn thành.")
    # Monthly report: past months sent by the 20th, a few late; last month and this month some units are missing.
    months = sorted({a.due_on for a in tasks["10"].assignments.all() if a.due_on < day})
    recent = set(months[-2:])
    for i, a in enumerate(tasks["10"].assignments.filter(due_on__lt=day).order_by("due_on", "organisation__code")):
        if a.due_on in recent and i % 4 == 0:
            continue  # overdue monthly report
        if i % 9 == 0:
            _done(a, min(a.due_on + timedelta(days=3), day), f"Báo cáo {a.period_label} (gửi chậm).")
        else:
            _done(a, a.due_on - timedelta(days=1), f"Báo cáo {a.period_label}.")


def _snv_plans(province_plan: Plan, tasks: dict) -> tuple[Plan, Plan]:
    """Sở Nội vụ implements task 2 (review of internal procedures) and task 3 (one-stop shop, digitisation: its
    yearly administrative-reform plan)."""
    snv = _org("SNV")
    by = User.objects.filter(username="daumoi.snv").first()
    review = services.plan_save(
        plan=Plan(
            issuer=snv,
            number="12/KH-SNV",
            issued_on=date(YEAR, 2, 3),
            title=SNV_REVIEW_TITLE,
            kind=PlanKind.INTERNAL_PROCEDURE_REVIEW,
            period_start=date(YEAR, 2, 1),
            period_end=date(YEAR, 12, 31),
            parent_task=tasks["2"],
            objectives="Rà soát 100% thủ tục hành chính nội bộ do Sở Nội vụ chủ trì tham mưu.",
        ),
        by=by,
    )
    tdkt, vp = _org("SNV-TDKT"), _org("SNV-VP")
    review_tasks = [
        ("1", "Rà soát thủ tục nội bộ lĩnh vực thi đua, khen thưởng", tdkt, [vp], "", date(YEAR, 6, 30)),
        (
            "2",
            "Rà soát thủ tục nội bộ lĩnh vực tổ chức bộ máy, biên chế",
            vp,
            [],
            ExecutingRule.DIVISIONS,
            date(YEAR, 8, 31),
        ),
        (
            "3",
            "Tổng hợp kết quả rà soát, dự thảo phương án đơn giản hóa trình UBND tỉnh",
            vp,
            [tdkt],
            "",
            date(YEAR, 9, 20),
        ),
    ]
    made = []
    procedures = _area("thu-tuc-hanh-chinh")
    for code, title, lead, coordinating, rule, deadline in review_tasks:
        made.append(
            services.task_save(
                task=Task(
                    plan=review,
                    code=code,
                    title=title,
                    area=procedures,
                    lead=lead,
                    executing_rule=rule,
                    deadline=deadline,
                ),
                coordinating=coordinating,
                by=by,
            )
        )
    for a in made[0].assignments.all():
        _done(a, date(YEAR, 6, 25), "Đã rà soát 8 thủ tục, đề xuất đơn giản hóa 3 thủ tục.")
    for i, a in enumerate(made[1].assignments.order_by("organisation__code")):
        if i % 2 == 0:
            _done(a, date(YEAR, 9, 10), "Hoàn thành rà soát, gửi chậm do chờ ý kiến Sở Tư pháp.")
    for a in made[2].assignments.all():
        _progress(a, 80, "Đã dự thảo phương án, đang lấy ý kiến các phòng.")

    reform = services.plan_save(
        plan=Plan(
            issuer=snv,
            number="05/KH-SNV",
            issued_on=date(YEAR, 1, 20),
            title=SNV_REFORM_TITLE,
            kind=PlanKind.REFORM_ANNUAL,
            period_start=date(YEAR, 1, 1),
            period_end=date(YEAR, 12, 31),
            parent_task=tasks["3"],
            objectives="100% hồ sơ giải quyết đúng hạn; tối thiểu 50% TTHC cung cấp trực tuyến toàn trình; 70% "
            "kết quả giải quyết được số hóa; mức độ hài lòng từ 85% trở lên.",
        ),
        by=by,
    )
    reform_tasks = [  # + the reform area: the Sở's plan is written area by area
        (
            "1",
            "Số hóa hồ sơ, kết quả giải quyết TTHC tại Bộ phận Một cửa của Sở",
            vp,
            date(YEAR, 10, 31),
            "chinh-quyen-so",
        ),
        ("2", "Cung cấp dịch vụ công trực tuyến toàn trình cho TTHC đủ điều kiện", vp, _late_day(), "chinh-quyen-so"),
        ("3", "Khảo sát mức độ hài lòng của người dân, doanh nghiệp", tdkt, date(YEAR, 11, 15), "chi-dao-dieu-hanh"),
    ]
    made = [
        services.task_save(task=Task(plan=reform, code=c, title=t, lead=lead, deadline=d, area=_area(a)), by=by)
        for c, t, lead, d, a in reform_tasks
    ]
    for a in made[0].assignments.all():
        _done(a, date(YEAR, 10, 28), "Số hóa 100% kết quả giải quyết TTHC từ tháng 10.")
    for a in made[1].assignments.all():
        _progress(a, 55, "Đã đưa 18/32 TTHC lên dịch vụ công trực tuyến toàn trình.")
    return review, reform


def _extension(tasks: dict) -> None:
    """Sở Nội vụ asks (pending) to move its overdue monthly report, or any overdue assignment of it."""
    snv = _org("SNV")
    overdue = Assignment.objects.overdue().filter(organisation=snv, task__plan=tasks["2"].plan).order_by("due_on")
    assignment = overdue.first()
    if assignment is None:  # every SNV assignment of the province plan is done or ahead: ask on an ongoing one
        assignment = tasks["3"].assignments.filter(organisation=snv, completed_on__isnull=True).first()
    if assignment is None:
        return
    services.extension_request(
        assignment=assignment,
        new_due_on=max(assignment.due_on, today()) + timedelta(days=30),
        reason="Khối lượng hồ sơ cần rà soát lớn, đang chờ ý kiến thẩm định của Sở Tư pháp; đề nghị gia hạn 30 ngày.",
        by=User.objects.filter(username="daumoi.snv").first(),
    )


# name, unit, target, direction, source, quarterly values (Q1..Q3)
INDICATORS = [
    ("Tỷ lệ hồ sơ TTHC giải quyết đúng hạn", "%", "100", Source.MANUAL, ["100", "98.5", "100"]),
    ("Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến toàn trình", "%", "50", Source.MANUAL, ["38", "45", "56.25"]),
    ("Tỷ lệ kết quả giải quyết TTHC được số hóa", "%", "70", Source.MANUAL, ["52", "66", "81"]),
    ("Mức độ hài lòng của người dân, doanh nghiệp", "%", "85", Source.MANUAL, ["83.4", "86", "88.7"]),
    ("Tỷ lệ nhiệm vụ cải cách hành chính hoàn thành đúng hạn", "%", "90", Source.ON_TIME_TASK_RATE, []),
]
# The indicators' reform areas, as the Sở's plan files its targets (KH 01/KH-SNgV Hà Tĩnh 2023, §II).
INDICATOR_AREAS = {
    "Tỷ lệ nhiệm vụ cải cách hành chính hoàn thành đúng hạn": "chi-dao-dieu-hanh",
    "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến toàn trình": "chinh-quyen-so",
}


def _indicators(plan: Plan) -> None:
    snv = plan.issuer
    by = User.objects.filter(username="daumoi.snv").first()
    quarters = [s for s in spans(Period.QUARTERLY, plan.period_start, plan.period_end) if s.end < today()]
    for name, unit, target, source, values in INDICATORS:
        with audit.action("plans.indicator.created"):
            indicator = Indicator.objects.create(
                name=name,
                unit=unit,
                target=Decimal(target),
                direction=Direction.AT_LEAST,
                period=Period.QUARTERLY,
                organisation=snv,
                plan=plan,
                source=source,
                area=_area(INDICATOR_AREAS.get(name, "thu-tuc-hanh-chinh")),
            )
        if source != Source.MANUAL:
            indicators.indicator_refresh(indicator)
            continue
        for span, value in zip(quarters, values, strict=False):
            indicators.indicator_value_enter(
                indicator=indicator,
                span=span,
                value=value,
                note="Số liệu từ Hệ thống thông tin giải quyết TTHC của tỉnh.",
                by=by,
            )


# code, title, max points, self score (None for parents), children
CRITERIA = [
    (
        "1",
        "Công tác chỉ đạo, điều hành cải cách hành chính",
        [
            ("1.1", "Kế hoạch cải cách hành chính năm", "2", "2"),
            ("1.2", "Báo cáo cải cách hành chính định kỳ", "2", "1.5"),
            ("1.3", "Kiểm tra công tác cải cách hành chính", "2", "1.5"),
        ],
    ),
    (
        "2",
        "Cải cách thủ tục hành chính",
        [
            ("2.1", "Rà soát, đơn giản hóa thủ tục hành chính nội bộ", "3", "2.5"),
            ("2.2", "Công khai thủ tục hành chính", "2", "2"),
            ("2.3", "Tỷ lệ hồ sơ giải quyết đúng hạn", "3", "2.75"),
        ],
    ),
    (
        "3",
        "Xây dựng, phát triển Chính phủ điện tử, Chính phủ số",
        [
            ("3.1", "Dịch vụ công trực tuyến toàn trình", "3", "2"),
            ("3.2", "Số hóa hồ sơ, kết quả giải quyết TTHC", "3", "2.5"),
        ],
    ),
]


def _scorecard() -> None:
    snv = _org("SNV")
    with audit.action("plans.scorecard.created"):
        card = Scorecard.objects.create(organisation=snv, year=YEAR, title=SCORECARD_TITLE, bands=DEFAULT_BANDS)
    for order, (code, title, leaves) in enumerate(CRITERIA, start=1):
        parent = ScoreCriterion.objects.create(
            scorecard=card,
            code=code,
            title=title,
            order=order,
            max_points=sum((Decimal(m) for _, _, m, _ in leaves), Decimal(0)),
        )
        for sub, (leaf_code, leaf_title, max_points, score) in enumerate(leaves, start=1):
            leaf = ScoreCriterion.objects.create(
                scorecard=card,
                parent=parent,
                code=leaf_code,
                title=leaf_title,
                order=sub,
                max_points=Decimal(max_points),
            )
            indicators.criterion_score(
                criterion=leaf, self_score=Decimal(score), evidence=f"Minh chứng tiêu chí {leaf_code} (bản scan)."
            )
