"""Builders for review tests: published procedures, a round, forms in a given state, the §6.3 worked example."""

from datetime import date
from decimal import Decimal

from tinhgon.core.dates import today
from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.models import PublicationDecision
from tinhgon.procedures.services import decision_add_item, decision_issue
from tinhgon.procedures.tests.factories import complete_components, make_procedure
from tinhgon.reviews import services
from tinhgon.reviews.constants import Action, ReviewStatus, Scenario
from tinhgon.reviews.models import ApprovalDecision, CostParameterSet, Review, ReviewRound
from tinhgon.test import DECISION_GROUNDS

_numbers = iter(range(7000, 99999))

# domain.md §6.3: "Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh", 50,000 VND/h, 120 units a year.
WORKED_BEFORE = [
    services.RowData("Chuẩn bị hồ sơ (tờ trình, báo cáo thành tích, biên bản họp)", Decimal("8"), 0, 0, 40_000),
    services.RowData("Nộp hồ sơ trực tiếp", Decimal("2"), 0, 0, 50_000),
    services.RowData("Bổ sung hồ sơ (bình quân 01 lần)", Decimal("2")),
    services.RowData("Nhận kết quả", Decimal("1")),
]
WORKED_AFTER = [
    services.RowData("Chuẩn bị hồ sơ (bỏ biên bản họp)", Decimal("6")),
    services.RowData("Nộp hồ sơ trên hệ thống", Decimal("0.5")),
    services.RowData("Bổ sung hồ sơ (có danh mục kiểm tra trên hệ thống)", Decimal("0")),
    services.RowData("Nhận kết quả điện tử", Decimal("0.25")),
]


def parameters(**overrides) -> CostParameterSet:
    values = {
        "name": "Thu nhập bình quân công chức (ví dụ §6.3)",
        "year": 2024,
        "monthly_income": Decimal("8800000"),
        "working_days_per_month": Decimal("22"),
        "hours_per_day": Decimal("8"),
        "source": "domain.md §6.3",
    }
    return CostParameterSet.objects.create(**{**values, **overrides})


def publish(
    world,
    owner,
    name="Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh",
    on: date | None = None,
    issuer=None,
    **fields,
):
    """A procedure inventoried and published by a decision of `issuer` (default P) effective `on` (default today;
    group A unless `group` is given)."""
    on = on or today()
    procedure = make_procedure(
        owner, status=Status.CHECKED, components=complete_components(name, **fields), inventoried_on=on
    )
    decision = PublicationDecision.objects.create(
        number=f"{next(_numbers)}/QĐ-UBND",
        issuer=issuer or world.units["P"],
        signed_on=on,
        signer="Nguyễn Văn A",
        effective_on=on,
        **DECISION_GROUNDS,
    )
    decision_add_item(decision=decision, version=procedure.latest_version(), change=Change.NEW)
    decision_issue(decision=decision)
    procedure.refresh_from_db()
    return procedure


def round_for(world, org=None, **fields) -> ReviewRound:
    return services.round_create(
        organisation=org or world.units["P-A"], title="Kế hoạch rà soát thủ tục nội bộ năm 2024", year=2024, **fields
    )


def answer_all(review: Review, value=True) -> None:
    services.review_answer(
        review=review, answers={a.question_id: {"answer": value, "reason": "Phù hợp"} for a in review.answers.all()}
    )


def filled(
    review: Review, action=Action.KEEP, before=None, after=None, params=None, subjects=120, **proposal
) -> Review:
    """Answer every question, write the current sheet (and the proposed one for changing actions) and the proposal."""
    params = params or CostParameterSet.objects.first() or parameters()
    answer_all(review)
    services.sheet_save(
        procedure=review.procedure,
        scenario=Scenario.CURRENT,
        rows=before or WORKED_BEFORE,
        parameters=params,
        review=review,
        executions_per_year=1,
        subjects_per_year=subjects,
    )
    reason = proposal.pop("reason", "" if action == Action.KEEP else "Giảm thành phần hồ sơ, nộp trực tuyến")
    services.proposal_save(review=review, action=action, reason=reason, **proposal)
    if after is not None:
        services.sheet_save(
            procedure=review.procedure,
            scenario=Scenario.PROPOSED,
            rows=after,
            parameters=params,
            review=review,
            executions_per_year=1,
            subjects_per_year=subjects,
        )
    review.refresh_from_db()
    return review


def advance(review: Review, to: str, on: date | None = None) -> Review:
    """Move a filled review through submit/check (and assess) up to `to`, submitted and checked `on` (default
    today)."""
    if to in {ReviewStatus.SUBMITTED, ReviewStatus.CHECKED, ReviewStatus.ASSESSED}:
        review.submit(on)
    if to in {ReviewStatus.CHECKED, ReviewStatus.ASSESSED}:
        review.control(on)
    if to == ReviewStatus.ASSESSED:
        review.assess("Đồng ý với phương án")
    review.refresh_from_db()
    return review


def approve(world, reviews, issuer=None, signed_on: date | None = None, **fields) -> ApprovalDecision:
    fields = {"signer": "Nguyễn Văn A", "signer_title": "Chủ tịch", **DECISION_GROUNDS, **fields}
    decision = ApprovalDecision.objects.create(
        number=f"{next(_numbers)}/QĐ-UBND", issuer=issuer or world.units["P"], signed_on=signed_on or today(), **fields
    )
    for review in reviews:
        services.approval_add(decision=decision, review=review)
    decision.issue()
    return decision


def cost_rows(annual: int):
    """One row whose cost per execution is `annual`; with one subject a year, the annual cost is the same."""
    return [services.RowData("Chi phí thực hiện", Decimal(0), 0, 0, annual)]


def reviewed(world, owner, name, action, before, after=None, group="A", approved=True) -> Review:
    """A procedure published, reviewed with option `action` (annual cost `before`, and `after` if given), checked
    and, unless told otherwise, approved."""
    procedure = publish(world, owner, name, group=group)
    review = services.round_add_procedure(round=round_for(world, org=world.units["P"]), procedure=procedure)
    after_rows = cost_rows(after) if after is not None else None
    filled(review, action, before=cost_rows(before), after=after_rows, subjects=1)
    advance(review, ReviewStatus.CHECKED)
    if approved:
        approve(world, [review])
    return review
