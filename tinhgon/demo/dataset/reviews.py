"""Review rounds of a province (2025, all but finished; the current year, in every state), the review forms
(phiếu rà soát) of its procedures in force with their answers, proposals, current and proposed cost sheets (totals
through `CostSheet.compute`, as the cost-sheet form saves them), the approval decisions and the implementation of
the approved changes."""

from datetime import date, timedelta
from decimal import Decimal

from tinhgon.reviews.constants import (
    Action,
    ApprovalStatus,
    ChangeKind,
    ImplementationStatus,
    ReviewStatus,
    Scenario,
)
from tinhgon.reviews.models import (
    Answer,
    ApprovalDecision,
    CostParameterSet,
    CostRow,
    CostSheet,
    Proposal,
    QuestionSet,
    Review,
    ReviewRound,
)

from . import vocabulary as vocab
from .accounts import person_name

PARAMETERS = {
    "name": "Thu nhập bình quân của cán bộ, công chức (dữ liệu sinh tự động)",
    "year": 2025,
    "monthly_income": Decimal("9200000"),
    "working_days_per_month": Decimal("22"),
    "hours_per_day": Decimal("8"),
    "source": "Giả định của bộ dữ liệu đo hiệu năng",
}
CURRENT_STATES = (
    (ReviewStatus.DRAFT, 15),
    (ReviewStatus.SUBMITTED, 15),
    (ReviewStatus.RETURNED, 5),
    (ReviewStatus.CHECKED, 25),
    (ReviewStatus.ASSESSED, 10),
    (ReviewStatus.APPROVED, 30),
)
PAST_STATES = ((ReviewStatus.CHECKED, 15), (ReviewStatus.ASSESSED, 10), (ReviewStatus.APPROVED, 75))
ACTIONS = ((Action.KEEP, 50), (Action.AMEND, 30), (Action.REPLACE, 8), (Action.ABOLISH, 12))
ANSWERED = {
    ReviewStatus.SUBMITTED,
    ReviewStatus.RETURNED,
    ReviewStatus.CHECKED,
    ReviewStatus.ASSESSED,
    ReviewStatus.APPROVED,
}
CHECKED = {ReviewStatus.CHECKED, ReviewStatus.ASSESSED, ReviewStatus.APPROVED}


def shared() -> dict:
    """What every province uses: the current question set and one parameter set."""
    question_set = QuestionSet.objects.filter(is_current=True).order_by("-pk").first()
    return {
        "question_set": question_set,
        "questions": list(question_set.questions.order_by("order")),
        "parameters": CostParameterSet.objects.create(**PARAMETERS),
    }


def build(ctx, tree, published) -> None:
    rng = ctx.rng(tree.province.code, "reviews")
    province, year = tree.province, ctx.today.year
    question_set, questions, parameters = ctx.shared["question_set"], ctx.shared["questions"], ctx.shared["parameters"]
    rounds, approvals = [], []
    for y in (year - 1, year):
        rounds.append(
            ReviewRound.objects.create(
                title=f"Kế hoạch rà soát, đánh giá thủ tục hành chính nội bộ năm {y}",
                organisation=province,
                year=y,
                decision_number=f"{rng.randint(10, 400)}/KH-UBND",
                decision_date=date(y, 2, rng.randint(1, 28)),
                deadline=date(y, 11, 1),
            )
        )
        approvals.append(
            ApprovalDecision.objects.create(
                number=f"{rng.randint(1000, 3999)}/QĐ-UBND",
                title=f"Quyết định phê duyệt phương án đơn giản hóa thủ tục hành chính nội bộ năm {y}",
                issuer=province,
                signed_on=min(date(y, 11, 20), ctx.today - timedelta(days=3)),
                signer=person_name(rng),
                signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
                lead_unit=tree.office,
                status=ApprovalStatus.ISSUED,
            )
        )
    draft = ApprovalDecision.objects.create(
        number="", issuer=province, lead_unit=tree.office, status=ApprovalStatus.DRAFT
    )

    reviews, plans = [], []
    for item in published:
        v = item.version
        for r, (round_, states) in enumerate(((rounds[0], PAST_STATES), (rounds[1], CURRENT_STATES))):
            share = 0.5 if r == 0 else 0.6
            if v.effective_from > date(round_.year, 9, 1) or rng.random() >= share:
                continue
            status = rng.choices([s for s, _ in states], weights=[w for _, w in states])[0]
            submitted = status != ReviewStatus.DRAFT
            checked_on = (
                min(date(round_.year, 10, 1) + timedelta(days=rng.randint(0, 40)), ctx.today - timedelta(days=2))
                if status in CHECKED
                else None
            )
            approval = (
                approvals[r]
                if status == ReviewStatus.APPROVED
                else draft
                if status == ReviewStatus.ASSESSED and rng.random() < 0.2
                else None
            )
            reviews.append(
                Review(
                    round=round_,
                    procedure=item.procedure,
                    version=v,
                    responsible=item.procedure.owner,
                    deadline=round_.deadline,
                    rationale="Thủ tục có số lượng hồ sơ lớn, nhiều thành phần hồ sơ"
                    if rng.random() < 0.5
                    else "Theo kế hoạch rà soát",
                    question_set=question_set,
                    status=status,
                    return_comment="Đề nghị bổ sung lý do đề xuất" if status == ReviewStatus.RETURNED else "",
                    submitted_on=checked_on - timedelta(days=10)
                    if checked_on
                    else (date(round_.year, 9, 20) if submitted else None),
                    checked_on=checked_on,
                    approval=approval,
                    row_version=1,
                )
            )
            plans.append(rng.choices([a for a, _ in ACTIONS], weights=[w for _, w in ACTIONS])[0])
    Review.objects.bulk_create(reviews, batch_size=2000)

    answers, proposals, sheets, rows = [], [], [], []
    for review, action in zip(reviews, plans, strict=True):
        if review.status not in ANSWERED:
            continue
        for q in questions:
            flagged = q.flags_when is not None and action != Action.KEEP and rng.random() < 0.5
            answers.append(
                Answer(
                    review=review,
                    question=q,
                    answer=(q.flags_when if flagged else not q.flags_when) if q.flags_when is not None else True,
                    reason="Đề nghị đơn giản hóa" if flagged else "",
                )
            )
        proposal = Proposal(
            review=review,
            action=action,
            changes=_changes(rng, review.version) if action in (Action.AMEND, Action.REPLACE) else [],
            reason="Giảm thời gian, chi phí tuân thủ" if action != Action.KEEP else "Thủ tục cần thiết, hợp lý",
            legal_acts="Quyết định công bố thủ tục hành chính nội bộ sửa đổi" if action != Action.KEEP else "",
            implementing_issuer="Ủy ban nhân dân tỉnh" if action != Action.KEEP else "",
            implementation_deadline=date(review.round.year + 1, 6, 30) if action != Action.KEEP else None,
            row_version=1,
        )
        proposals.append(proposal)
        current = _sheet(rng, review, Scenario.CURRENT, parameters, rows, factor=1)
        sheets.append(current)
        if action in (Action.AMEND, Action.REPLACE):
            sheets.append(_sheet(rng, review, Scenario.PROPOSED, parameters, rows, factor=rng.uniform(0.4, 0.9)))
        elif action == Action.ABOLISH:
            sheets.append(_sheet(rng, review, Scenario.PROPOSED, parameters, rows, factor=0))
    Answer.objects.bulk_create(answers, batch_size=10000)
    Proposal.objects.bulk_create(proposals, batch_size=2000)
    CostSheet.objects.bulk_create(sheets, batch_size=2000)
    for row in rows:
        row.sheet_id = row.sheet.pk
    CostRow.objects.bulk_create(rows, batch_size=10000)
    _implementation(ctx, rng, proposals)
    ctx.count("review rounds", len(rounds))
    ctx.count("reviews", len(reviews))
    ctx.count("answers", len(answers))
    ctx.count("proposals", len(proposals))
    ctx.count("cost sheets", len(sheets))
    ctx.count("approval decisions", len(approvals) + 1)


def _changes(rng, version) -> list[dict]:
    before = int(version.processing_time_value or 10)
    return [
        {
            "kind": ChangeKind.CUT_TIME,
            "target": "Thời hạn giải quyết",
            "before": f"{before} ngày làm việc",
            "after": f"{max(1, before * 2 // 3)} ngày làm việc",
        }
    ] + (
        [{"kind": ChangeKind.ADD_ONLINE, "target": "Cách thức thực hiện", "before": "Trực tiếp", "after": "Trực tuyến"}]
        if rng.random() < 0.4
        else []
    )


def _sheet(rng, review, scenario, parameters, rows, factor) -> CostSheet:
    v = review.version
    sheet = CostSheet(
        procedure=review.procedure,
        review=review,
        scenario=scenario,
        parameters=parameters,
        parameters_name=parameters.name,
        parameters_source=parameters.source,
        monthly_income=parameters.monthly_income,
        working_days_per_month=parameters.working_days_per_month,
        hours_per_day=parameters.hours_per_day,
        executions_per_year=v.executions_per_year,
        subjects_per_year=v.subjects_per_year,
        row_version=1,
    )
    mine = []
    if factor:
        for order, activity in enumerate(vocab.COST_ACTIVITIES[: rng.randint(2, 4)], start=1):
            mine.append(
                CostRow(
                    sheet=sheet,
                    order=order,
                    activity=activity,
                    hours=(Decimal(rng.randint(2, 32)) / 2 * Decimal(str(round(factor, 2)))).quantize(Decimal("0.01")),
                    other_costs=int(rng.randint(0, 20) * 10000 * factor),
                )
            )
    sheet.compute(rows=mine)
    rows += mine
    return sheet


def _implementation(ctx, rng, proposals) -> None:
    from tinhgon.reviews.models import ImplementationItem

    items = []
    for proposal in proposals:
        if proposal.review.status != ReviewStatus.APPROVED or proposal.action == Action.KEEP:
            continue
        past = proposal.review.round.year < ctx.today.year
        status = rng.choices(list(ImplementationStatus), weights=(10, 20, 70) if past else (40, 40, 20))[0]
        done = status == ImplementationStatus.DONE
        issued_on = (
            min(proposal.review.checked_on + timedelta(days=rng.randint(30, 200)), ctx.today - timedelta(days=1))
            if done
            else None
        )
        items.append(
            ImplementationItem(
                proposal=proposal,
                act="Quyết định công bố thủ tục hành chính nội bộ được sửa đổi, bổ sung",
                owner=proposal.review.responsible,
                due_on=proposal.implementation_deadline,
                status=status,
                issued_reference=f"{rng.randint(100, 3999)}/QĐ-UBND" if done else "",
                issued_on=issued_on,
                row_version=1,
            )
        )
        if done:
            proposal.implemented_on = issued_on
    ImplementationItem.objects.bulk_create(items, batch_size=2000)
    Proposal.objects.bulk_update([i.proposal for i in items if i.issued_on], ["implemented_on"], batch_size=1000)
    ctx.count("implementation items", len(items))
