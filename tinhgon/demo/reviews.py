"""Demo review work (domain.md §3.3-§3.8, §6, §7): a shared cost parameter set, the provincial milestones of Vĩnh
Long, and the province's review round over the published procedures of Sở Nội vụ and Sở Tài chính with forms in
every state, cost sheets, proposals of every action, one issued approval decision, implementation items (some
overdue) and one proposal implemented by publishing its draft version, so that the ledger shows the province part
of the way to its targets. Everything goes through the services and the models' transitions, so the audit log
tells the story."""

from datetime import date, timedelta
from decimal import Decimal

from tinhgon.accounts.models import User
from tinhgon.audit import context as audit
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.constants import STANDARD_LEGAL_BASES, Change, Channel
from tinhgon.procedures.models import PublicationDecision
from tinhgon.procedures.services import decision_add_item, decision_issue
from tinhgon.reviews import services
from tinhgon.reviews.constants import Action, ChangeKind, Metric, ReviewStatus, Scenario, TeamRole
from tinhgon.reviews.models import ApprovalDecision, CostParameterSet, Milestone, ReviewRound

P = "VLG"
ROUND_TITLE = "Kế hoạch rà soát, đánh giá thủ tục hành chính nội bộ năm 2024"
DEPARTMENTS = ["SNV", "STC"]  # the two Sở whose published procedures the round covers
CHAIRMAN = "Nguyễn Quỳnh Thiện"
APPROVAL_NUMBER = "1234/QĐ-UBND"
PUBLICATION_NUMBER = "2456/QĐ-UBND"

PARAMETERS = {
    "name": "Thu nhập bình quân công chức tỉnh Vĩnh Long 2024",
    "year": 2024,
    "monthly_income": Decimal("8800000"),
    "working_days_per_month": Decimal("22"),
    "hours_per_day": Decimal("8"),
    "source": "Giả định để trình diễn: cần cập nhật theo số liệu thu nhập bình quân do Sở Tài chính cung cấp",
}

# Vĩnh Long's own row of domain.md §7: review 100% and approve options cutting ≥ 20% / ≥ 20% by 01/11/2024.
PROVINCIAL_DUE = date(2024, 11, 1)
# The round's history as it happened (legal dates, core.dates.legal_date), within the plan's 2024 deadline: forms
# submitted, then checked by the focal point before 01/11/2024, and the chairman's approval signed after.
SUBMITTED_ON = date(2024, 9, 16)
CHECKED_ON = date(2024, 10, 15)
APPROVED_ON = date(2024, 12, 10)
MILESTONE_SOURCE = "Kế hoạch của UBND tỉnh: rà soát 100% TTHC nội bộ đã công bố, phê duyệt phương án ≥ 20%/≥ 20%"
MILESTONES = [(Metric.REVIEWED, "100"), (Metric.SIMPLIFIED, "20"), (Metric.COST_SAVING, "20")]

RETURN_COMMENT = (
    "Đề nghị bổ sung lý do cụ thể tại câu hỏi về thời hạn giải quyết và tính lại chi phí tuân thủ: "
    "số đối tượng thực hiện/năm chưa khớp với số liệu thống kê năm 2023."
)
ASSESSMENT = (
    "Đồng ý với kết quả rà soát và phương án đề xuất; phương án bảo đảm tính khả thi, không làm phát sinh "
    "thủ tục mới. Đề nghị trình Chủ tịch UBND tỉnh phê duyệt."
)

# Demo dossier items that the registry demo builds (tinhgon/demo/procedures.py components()).
MEETING_MINUTES = "Biên bản họp xét của Hội đồng"
FOUNDING_DECISION = "Quyết định thành lập hoặc giao nhiệm vụ của đơn vị"


def _cut(before: int, after: int) -> dict:
    return {
        "kind": ChangeKind.CUT_TIME,
        "target": "Thời hạn giải quyết",
        "before": f"{before} ngày làm việc",
        "after": f"{after} ngày làm việc",
    }


ONLINE = {
    "kind": ChangeKind.ADD_ONLINE,
    "target": "Cách thức thực hiện",
    "before": "Trực tiếp hoặc qua bưu chính",
    "after": "Bổ sung nộp hồ sơ, nhận kết quả trực tuyến trên Hệ thống thông tin giải quyết TTHC của tỉnh",
}
NO_MINUTES = {
    "kind": ChangeKind.REMOVE_DOSSIER_ITEM,
    "target": MEETING_MINUTES,
    "before": "01 bản chính, 01 bản sao",
    "after": "Bỏ: nội dung đã thể hiện trong tờ trình",
}
NO_FOUNDING_DECISION = {
    "kind": ChangeKind.REMOVE_DOSSIER_ITEM,
    "target": FOUNDING_DECISION,
    "before": "01 bản sao chứng thực",
    "after": "Bỏ: cơ quan tiếp nhận khai thác từ cơ sở dữ liệu tổ chức bộ máy",
}
INTERLINK = {
    "kind": ChangeKind.INTERLINK,
    "target": "Trình tự thực hiện",
    "before": "Cơ quan đề nghị gửi riêng từng cơ quan thẩm định",
    "after": "Liên thông giữa Sở Tài chính và Kho bạc Nhà nước, một đầu mối tiếp nhận",
}
ONE_SET = {
    "kind": ChangeKind.REDUCE_DOSSIER_SETS,
    "target": "Số lượng bộ hồ sơ",
    "before": "02 bộ",
    "after": "1",
}

# Procedure code -> (state, action, changes, reason, overdue implementation?). Codes not listed stay empty drafts.
PLAN = {
    "VLG-TTNB-001": (
        ReviewStatus.APPROVED,
        Action.AMEND,
        [NO_MINUTES, _cut(15, 10)],
        "Biên bản họp xét trùng nội dung với tờ trình; thời hạn thẩm định có thể rút ngắn do hồ sơ đã nộp trực tuyến.",
        True,
    ),
    "VLG-TTNB-002": (
        ReviewStatus.APPROVED,
        Action.AMEND,
        [ONLINE, _cut(20, 15)],
        "Cho phép nộp hồ sơ trực tuyến để giảm thời gian, chi phí đi lại; rút ngắn thời hạn thẩm định.",
        False,
    ),
    "VLG-TTNB-003": (
        ReviewStatus.APPROVED,
        Action.REPLACE,
        [ONE_SET, ONLINE],
        "Thay thế bằng thủ tục mới quy định một bộ hồ sơ, nộp trực tuyến, thống nhất với Luật Thi đua, khen "
        "thưởng năm 2022.",
        False,
    ),
    "VLG-TTNB-004": (
        ReviewStatus.CHECKED,
        Action.AMEND,
        [ONLINE],
        "Bổ sung cách thức nộp hồ sơ trực tuyến.",
        False,
    ),
    "VLG-TTNB-005": (ReviewStatus.APPROVED, Action.KEEP, [], "", False),
    "VLG-TTNB-006": (
        ReviewStatus.ASSESSED,
        Action.AMEND,
        [_cut(15, 10)],
        "Rút ngắn thời hạn giải quyết do quy trình xét đã được số hóa.",
        False,
    ),
    "VLG-TTNB-008": (
        ReviewStatus.APPROVED,
        Action.ABOLISH,
        [],
        "Việc xét tặng Giấy khen của Giám đốc Sở thực hiện theo quy chế nội bộ của Sở, không cần quy định thành "
        "thủ tục hành chính nội bộ.",
        True,
    ),
    "VLG-TTNB-009": (
        ReviewStatus.CHECKED,
        Action.AMEND,
        [NO_FOUNDING_DECISION],
        "Quyết định thành lập của cơ quan nộp lưu đã có trong cơ sở dữ liệu, không yêu cầu nộp bản sao chứng thực.",
        False,
    ),
    "VLG-TTNB-010": (ReviewStatus.SUBMITTED, Action.KEEP, [], "", False),
    "VLG-TTNB-012": (
        ReviewStatus.RETURNED,
        Action.AMEND,
        [_cut(30, 20)],
        "Rút ngắn thời hạn thẩm định đề án vị trí việc làm.",
        False,
    ),
    "VLG-TTNB-013": (ReviewStatus.DRAFT, None, [], "", False),  # answers only: work in progress
    "VLG-TTNB-015": (
        ReviewStatus.SUBMITTED,
        Action.AMEND,
        [ONLINE],
        "Cho phép gửi hồ sơ bổ nhiệm lại qua hệ thống quản lý văn bản.",
        False,
    ),
    "VLG-TTNB-016": (ReviewStatus.ASSESSED, Action.KEEP, [], "", False),
    "VLG-TTNB-017": (
        ReviewStatus.CHECKED,
        Action.REENGINEER,
        [ONLINE, INTERLINK],
        "Tái cấu trúc quy trình trên hệ thống quản lý văn bản: tiếp nhận, thẩm định và trả kết quả trực tuyến, "
        "liên thông với Kho bạc Nhà nước, không phải sửa đổi văn bản quy định thủ tục.",
        False,
    ),
    "VLG-TTNB-018": (
        ReviewStatus.APPROVED,
        Action.AMEND,
        [INTERLINK, _cut(15, 10)],
        "Liên thông thẩm định dự toán giữa Sở Tài chính và Kho bạc Nhà nước, rút ngắn thời hạn.",
        True,
    ),
    "VLG-TTNB-019": (ReviewStatus.CHECKED, Action.KEEP, [], "", False),
    "VLG-TTNB-020": (ReviewStatus.RETURNED, Action.KEEP, [], "", False),
    "VLG-TTNB-021": (
        ReviewStatus.SUBMITTED,
        Action.AMEND,
        [NO_MINUTES],
        "Biên bản họp của hội đồng xử lý tài sản không cần nộp kèm, chỉ lưu tại đơn vị.",
        False,
    ),
}
IMPLEMENTED = "VLG-TTNB-002"  # published through PUBLICATION_NUMBER, so the decision_applied receiver marks it

# Where a change points, the questions of that component are answered the way that flags a simplification.
FLAGGED_COMPONENTS = {
    ChangeKind.REMOVE_DOSSIER_ITEM: "dossier_items",
    ChangeKind.REDUCE_DOSSIER_SETS: "dossier_items",
    ChangeKind.ADD_ONLINE: "channels",
    ChangeKind.CUT_TIME: "processing_time",
    ChangeKind.INTERLINK: "steps",
}
REASONS = {
    "objective": "Mục tiêu quản lý rõ ràng, còn phù hợp.",
    "name": "Tên thủ tục rõ ràng, thống nhất với văn bản quy định.",
    "steps": "Trình tự được quy định rõ, phân định trách nhiệm từng bước.",
    "channels": "Đã cho phép nộp trực tuyến.",
    "dossier_items": "Thành phần hồ sơ cần thiết, không trùng lặp.",
    "processing_time": "Thời hạn phù hợp với khối lượng thẩm định.",
    "authority": "Thẩm quyền phù hợp với Luật Tổ chức chính quyền địa phương 2025.",
    "result": "Kết quả là quyết định, có hiệu lực ngay.",
    "forms": "Không quy định mẫu đơn, tờ khai.",
    "conditions": "Không quy định điều kiện riêng.",
    "fees": "Không thu phí, lệ phí.",
    "legal_bases": "Quy định đúng thẩm quyền, đúng hình thức văn bản.",
}


def seed() -> None:
    province = Organisation.objects.get(code=P)
    parameters = _parameters()
    _milestones(province)
    if ReviewRound.objects.filter(organisation=province, title=ROUND_TITLE).exists():
        return  # already seeded: running twice changes nothing
    reviewer = User.objects.filter(username="chuyenvien.tdkt").first()
    round_ = services.round_create(
        organisation=province,
        title=ROUND_TITLE,
        year=2024,
        by=User.objects.filter(username="vanphong").first(),
        decision_number="178/KH-UBND",
        decision_date=date(2024, 3, 20),
        deadline=PROVINCIAL_DUE,
        note="Rà soát 100% thủ tục hành chính nội bộ đã công bố của Sở Nội vụ và Sở Tài chính (đợt 1).",
    )
    departments = Organisation.objects.filter(code__in=[f"{P}-{d}" for d in DEPARTMENTS])
    reviews = services.round_add_all_published(round=round_, organisations=Organisation.objects.ever_under(departments))
    approved = []
    for review in reviews:
        plan = PLAN.get(review.procedure.code)
        if plan is None:
            continue
        status, action, changes, reason, overdue = plan
        _fill(review, action, changes, reason, overdue, parameters, reviewer)
        _advance(review, status)
        if status == ReviewStatus.APPROVED:
            approved.append(review)
    _team(round_)
    decision = _approve(province, approved)
    _implement(decision)


TEAM = [  # the review team set up by the chairman's decision: (username, role in the team, position)
    ("vanphong", TeamRole.LEADER, "Chánh Văn phòng UBND tỉnh"),
    ("lanhdao.snv", TeamRole.DEPUTY, "Phó Giám đốc Sở Nội vụ"),
    ("daumoi.snv", TeamRole.MEMBER, "Công chức đầu mối kiểm soát TTHC"),
    ("chuyenvien.tdkt", TeamRole.SECRETARY, "Chuyên viên phòng Thi đua - Khen thưởng"),
]


def _team(round_) -> None:
    """The plan's Tổ thống kê, rà soát with four members; six forms still to fill and four done are given to its
    members in turn, each to one who may fill it in."""
    team = services.team_save(
        round=round_,
        name="Tổ thống kê, rà soát thủ tục hành chính nội bộ năm 2024",
        decision_number="185/QĐ-UBND",
        decision_date=date(2024, 3, 25),
        signer=CHAIRMAN,
        signer_title="Chủ tịch UBND tỉnh",
    )
    for username, role, position in TEAM:
        user = User.objects.filter(username=username).first()
        if user is not None:
            services.team_member_add(team=team, user=user, role=role, position=position)
    members = [m.user for m in team.members.order_by("id")]
    waiting = list(round_.reviews.filter(status=ReviewStatus.DRAFT).order_by("id")[:6])
    done = list(round_.reviews.exclude(status=ReviewStatus.DRAFT).order_by("id")[:4])
    for n, review in enumerate(waiting + done):
        turn = n % len(members) if members else 0
        takers = [user for user in members[turn:] + members[:turn] if review.assignee_problem(user) is None]
        if takers:
            services.review_assign(review=review, assignee=takers[0])


def _parameters() -> CostParameterSet:
    found = CostParameterSet.objects.filter(
        name=PARAMETERS["name"], year=PARAMETERS["year"], organisation__isnull=True
    ).first()
    if found is None:
        with audit.action("reviews.parameters.created"):
            found = CostParameterSet.objects.create(**PARAMETERS)
    return found


def _milestones(province) -> None:
    for metric, target in MILESTONES:
        Milestone.objects.get_or_create(
            metric=metric,
            due_on=PROVINCIAL_DUE,
            organisation=province,
            defaults={"target": Decimal(target), "source": MILESTONE_SOURCE},
        )


def _fill(review, action, changes, reason, overdue, parameters, reviewer) -> None:
    kinds = {c["kind"] for c in changes}
    flagged = {FLAGGED_COMPONENTS[k] for k in kinds if k in FLAGGED_COMPONENTS}
    if action == Action.ABOLISH:
        flagged.add("objective")
    services.review_answer(review=review, answers=_answers(review, flagged, reason), by=reviewer)
    if action is None:
        return
    version = review.version
    current = _current_rows(version)
    sheet = dict(
        procedure=review.procedure,
        parameters=parameters,
        review=review,
        executions_per_year=version.executions_per_year or 1,
        subjects_per_year=version.subjects_per_year or 1,
    )
    services.sheet_save(scenario=Scenario.CURRENT, rows=current, **sheet)
    services.proposal_save(
        review=review,
        action=action,
        changes=changes,
        reason=reason,
        by=reviewer,
        legal_acts=_legal_acts(review, action),
        implementing_issuer="Chủ tịch Ủy ban nhân dân tỉnh" if action != Action.KEEP else "",
        implementation_deadline=(today() - timedelta(days=30) if overdue else today() + timedelta(days=90))
        if action != Action.KEEP
        else None,
    )
    if action in {Action.AMEND, Action.REPLACE, Action.REENGINEER}:
        services.sheet_save(scenario=Scenario.PROPOSED, rows=_proposed_rows(current, kinds), **sheet)
    review.refresh_from_db()


def _answers(review, flagged: set[str], reason: str) -> dict:
    answers = {}
    for row in review.answers.select_related("question"):
        question = row.question
        component = question.component
        if question.flags_when is not None and component in flagged:
            answers[row.question_id] = {
                "answer": question.flags_when,
                "reason": "Qua rà soát thấy chưa hợp lý, có thể đơn giản hóa.",
                "proposal": reason,
            }
        else:
            answer = True if question.flags_when is None else not question.flags_when
            text = REASONS.get(component, "Phù hợp.")
            if question.flags_when is True:
                text = "Không: cần giữ yêu cầu này để bảo đảm quản lý."
            answers[row.question_id] = {"answer": answer, "reason": text, "proposal": ""}
    return answers


def _current_rows(version) -> list[services.RowData]:
    items = version.dossier_items.count()
    days = int(version.processing_time_value or 10)
    online = Channel.ONLINE in (version.channels or [])
    return [
        services.RowData(
            "Chuẩn bị hồ sơ (soạn tờ trình, báo cáo; sao chụp tài liệu kèm theo)",
            Decimal(2 + 2 * items),
            0,
            0,
            15_000 * items * (version.dossier_sets or 1),
        ),
        services.RowData(
            "Nộp hồ sơ (trực tiếp hoặc qua bưu chính)",
            Decimal("1" if online else "3"),
            0,
            0,
            0 if online else 60_000,
        ),
        services.RowData("Bổ sung, hoàn thiện hồ sơ (bình quân 01 lần)", Decimal("2.5"), 0, 0, 20_000),
        services.RowData(
            "Theo dõi, đôn đốc và nhận kết quả",
            Decimal(days) / 5,
            0,
            0,
            0 if online else 30_000,
        ),
    ]


def _proposed_rows(current: list[services.RowData], kinds: set[str]) -> list[services.RowData]:
    rows = [services.RowData(r.activity, r.hours, r.outsourced_cost, r.fees, r.other_costs) for r in current]
    prepare, submit, complete, follow = rows
    if ChangeKind.REMOVE_DOSSIER_ITEM in kinds:
        prepare.activity = "Chuẩn bị hồ sơ (đã bỏ thành phần hồ sơ không cần thiết)"
        prepare.hours -= 2
        prepare.other_costs = max(prepare.other_costs - 15_000, 0)
    if ChangeKind.REDUCE_DOSSIER_SETS in kinds:
        prepare.other_costs //= 2
    if ChangeKind.ADD_ONLINE in kinds:
        submit.activity, submit.hours, submit.other_costs = "Nộp hồ sơ trên Hệ thống giải quyết TTHC", Decimal("0.5"), 0
        complete.hours, complete.other_costs = Decimal("1"), 0
        follow.activity, follow.other_costs = "Theo dõi trên hệ thống, nhận kết quả điện tử", 0
    if ChangeKind.INTERLINK in kinds:
        complete.activity, complete.hours = "Bổ sung hồ sơ (một đầu mối liên thông)", Decimal("1")
    if ChangeKind.CUT_TIME in kinds:
        follow.hours = (follow.hours * Decimal("0.6")).quantize(Decimal("0.01"))
    return rows


def _legal_acts(review, action) -> str:
    if action == Action.KEEP:
        return ""
    code = review.procedure.code
    acts = [f"Quyết định của Chủ tịch UBND tỉnh công bố thủ tục {code} sau đơn giản hóa"]
    if action in {Action.ABOLISH, Action.REPLACE}:
        acts.append("Quyết định sửa đổi Quy chế thi đua, khen thưởng tỉnh Vĩnh Long")
    return "\n".join(acts)


def _advance(review, status) -> None:
    if status == ReviewStatus.DRAFT:
        return
    review.submit(SUBMITTED_ON)
    if status == ReviewStatus.SUBMITTED:
        return
    if status == ReviewStatus.RETURNED:
        review.send_back(RETURN_COMMENT)
        return
    review.control(CHECKED_ON)
    if status in {ReviewStatus.ASSESSED} or review.procedure.code == "VLG-TTNB-001":
        review.assess(ASSESSMENT)


def _approve(province, reviews) -> ApprovalDecision:
    """One decision of the province (chairman): group A proposals must be approved by the province, and the group B
    ones of its Sở may be too (ApprovalDecision.problems_with)."""
    with audit.action("reviews.approval.created"):
        decision = ApprovalDecision.objects.create(
            number=APPROVAL_NUMBER,
            title="Về việc phê duyệt phương án đơn giản hóa thủ tục hành chính nội bộ trong hệ thống hành chính nhà "
            "nước thuộc phạm vi quản lý của Sở Nội vụ, Sở Tài chính tỉnh Vĩnh Long",
            issuer=province,
            signed_on=APPROVED_ON,
            signer=CHAIRMAN,
            signer_title="Chủ tịch",
            legal_bases="\n".join(STANDARD_LEGAL_BASES),
            proposal="Tờ trình số 112/TTr-VPUBND ngày 05/11/2026 của Chánh Văn phòng Ủy ban nhân dân tỉnh",
        )
    for review in reviews:
        services.approval_add(decision=decision, review=review)
    decision.issue()
    return decision


def _implement(decision) -> None:
    """Publish the draft version of one approved amendment; the receiver marks the proposal implemented."""
    review = decision.reviews.select_related("proposal__draft_version").get(procedure__code=IMPLEMENTED)
    draft = review.proposal.draft_version
    draft.submit()
    draft.control()
    publication = PublicationDecision.objects.create(
        number=PUBLICATION_NUMBER,
        issuer=decision.issuer,
        signed_on=today(),
        effective_on=today(),
        signer=CHAIRMAN,
        signer_title="CHỦ TỊCH",
        legal_bases="\n".join(STANDARD_LEGAL_BASES),
        proposal="Tờ trình số 120/TTr-SNV ngày 20/11/2026 của Giám đốc Sở Nội vụ",
        title="Về việc công bố thủ tục hành chính nội bộ được sửa đổi, bổ sung trong lĩnh vực Thi đua - Khen thưởng "
        f"theo phương án đơn giản hóa đã phê duyệt tại Quyết định số {decision.number}",
    )
    decision_add_item(decision=publication, version=draft, change=Change.AMENDED)
    decision_issue(decision=publication)
    for item in review.proposal.implementation_items.all():
        item.complete(PUBLICATION_NUMBER, today())
