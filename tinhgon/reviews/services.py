"""Review work that spans several rows: plans, forms, cost sheets, proposals, approval and implementation.
Each function is one user action, atomic, audited through the models it saves."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from tinhgon.audit import context as audit
from tinhgon.audit.services import log_action
from tinhgon.core.dates import today
from tinhgon.core.locking import refuse_stale
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.constants import Channel, Group, Status
from tinhgon.procedures.models import Procedure, ProcedureVersion
from tinhgon.procedures.services import Components, version_start_next, version_update
from tinhgon.reviews.constants import (
    CHANGING,
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
    HintDecision,
    ImplementationItem,
    Proposal,
    QuestionSet,
    Review,
    ReviewRound,
)

# Activities of a fresh current-cost sheet (domain.md §3.5), with the hours the officer starts from.
DEFAULT_ACTIVITIES = [
    "Chuẩn bị hồ sơ",
    "Nộp hồ sơ",
    "Bổ sung, hoàn thiện hồ sơ",
    "Nhận kết quả",
]


stale = refuse_stale


def _bump(instance) -> None:
    instance.row_version += 1
    instance.save()


# Plans ------------------------------------------------------------------------------------------------------------


@transaction.atomic
def round_create(*, organisation: Organisation, title: str, year: int, by=None, **fields) -> ReviewRound:
    with audit.action("reviews.round.created"):
        return ReviewRound.objects.create(organisation=organisation, title=title, year=year, created_by=by, **fields)


@transaction.atomic
def round_add_procedure(
    *, round: ReviewRound, procedure: Procedure, responsible=None, deadline=None, rationale="", expected_output=""
) -> Review:
    """Open the review form of one published procedure in the round, with the current question set."""
    if not Organisation.objects.ever_under([round.organisation]).filter(pk=procedure.owner_id).exists():
        raise ValidationError(f"Thủ tục {procedure.code} không thuộc phạm vi của {round.organisation}.")
    version = procedure.published_version()
    if version is None:
        raise ValidationError(f"Thủ tục {procedure.code} chưa được công bố hoặc đã hết hiệu lực: không thể rà soát.")
    if round.reviews.filter(procedure=procedure).exists():
        raise ValidationError(f"Thủ tục {procedure.code} đã có trong kế hoạch rà soát này.")
    question_set = QuestionSet.current()
    if question_set is None:
        raise ValidationError("Chưa có bộ câu hỏi rà soát đang áp dụng.")
    with audit.action("reviews.review.created"):
        review = Review.objects.create(
            round=round,
            procedure=procedure,
            version=version,
            responsible=responsible or procedure.owner,
            deadline=deadline or round.deadline,
            rationale=rationale or "Rà soát toàn bộ thủ tục nội bộ đã công bố (100%).",
            expected_output=expected_output or "Phiếu rà soát, bảng tính chi phí tuân thủ, phương án đơn giản hóa",
            question_set=question_set,
        )
    Answer.objects.bulk_create([Answer(review=review, question=q) for q in question_set.questions.all()])
    return review


def round_add_all_published(*, round: ReviewRound, organisations=None, deadline=None) -> list[Review]:
    """One action: a review form for every procedure in force owned within `organisations` (default: the round's
    organisation and every unit under it) that the round does not list yet."""
    scope = organisations if organisations is not None else Organisation.objects.ever_under([round.organisation])
    procedures = (
        Procedure.objects.filter(owner__in=scope, is_template=False, versions__status=Status.PUBLISHED)
        .exclude(reviews__round=round)
        .select_related("owner")
        .distinct()
        .order_by("code")
    )
    return [round_add_procedure(round=round, procedure=p, deadline=deadline) for p in procedures]


# The form ---------------------------------------------------------------------------------------------------------


def _require_editable(review: Review) -> None:
    if not review.is_editable:
        raise ValidationError(f"Phiếu rà soát đang ở trạng thái “{review.get_status_display()}”, không thể sửa.")


@transaction.atomic
def review_answer(*, review: Review, answers: dict, started_from: int | None = None, by=None) -> Review:
    """`answers`: {question_id: {"answer": True/False/None, "reason": str, "proposal": str}}."""
    _require_editable(review)
    stale(review, started_from)
    rows = {a.question_id: a for a in review.answers.all()}
    changed = []
    for question_id, values in answers.items():
        row = rows.get(int(question_id))
        if row is None:
            raise ValidationError(f"Câu hỏi {question_id} không thuộc phiếu rà soát này.")
        for key in ("answer", "reason", "proposal"):
            if key in values:
                setattr(row, key, values[key] if key == "answer" else (values[key] or "").strip())
        changed.append(row)
    Answer.objects.bulk_update(changed, ["answer", "reason", "proposal"])
    with audit.action("reviews.review.answered"):
        if by is not None and review.reviewer_id is None:
            review.reviewer = by
        _bump(review)
    return review


@transaction.atomic
def hint_decide(*, review: Review, code: str, accepted: bool, note: str = "", by=None) -> HintDecision:
    from tinhgon.reviews.hints import HINT_CODES

    _require_editable(review)
    if code not in HINT_CODES:
        raise ValidationError(f"Không có gợi ý mã “{code}”.")
    previous = HintDecision.objects.filter(review=review, code=code).first()
    before = (previous.accepted, previous.note) if previous else (None, None)
    decision, _ = HintDecision.objects.update_or_create(
        review=review, code=code, defaults={"accepted": accepted, "note": note.strip(), "decided_by": by}
    )
    log_action(
        review,
        verb="hint_decided",
        action="reviews.hint.accepted" if accepted else "reviews.hint.dismissed",
        changes={"hint": [code, code], "accepted": [before[0], accepted], "note": [before[1], note.strip()]},
    )
    return decision


# Workflow ---------------------------------------------------------------------------------------------------------

# transition: (states it may start from, resulting state, audit verb, Vietnamese verb for messages)
TRANSITIONS = {
    "submit": ({ReviewStatus.DRAFT, ReviewStatus.RETURNED}, ReviewStatus.SUBMITTED, "submitted", "trình"),
    "check": ({ReviewStatus.SUBMITTED}, ReviewStatus.CHECKED, "checked", "kiểm soát"),
    "return": (
        {ReviewStatus.SUBMITTED, ReviewStatus.CHECKED, ReviewStatus.ASSESSED},
        ReviewStatus.RETURNED,
        "returned",
        "trả lại",
    ),
    "assess": ({ReviewStatus.CHECKED}, ReviewStatus.ASSESSED, "assessed", "đánh giá độc lập"),
}


def _transition(review: Review, name: str, **fields) -> Review:
    """State guard on the stored row, locked: of two people acting on the same form at once, the second is refused
    (the state they saw has changed) instead of repeating or undoing the first one's move."""
    sources, target, verb, label = TRANSITIONS[name]
    stored = Review.objects.select_for_update().filter(pk=review.pk).values_list("status", "row_version").first()
    if stored is not None:
        review.status, review.row_version = stored
    if review.status not in sources:
        raise ValidationError(f"Không thể {label} phiếu rà soát đang ở trạng thái “{review.get_status_display()}”.")
    with audit.action(f"reviews.review.{verb}"):
        review.status = target
        for key, value in fields.items():
            setattr(review, key, value)
        _bump(review)
    return review


def review_missing(review: Review) -> list[str]:
    """What must be filled before the form can be submitted."""
    missing = [f"Chưa trả lời câu {a.question.order}" for a in review.answers.all() if a.answer is None]
    if not review.sheet(Scenario.CURRENT):
        missing.append("Chưa tính chi phí tuân thủ hiện tại")
    proposal = getattr(review, "proposal", None)
    if proposal is None:
        missing.append("Chưa có phương án đơn giản hóa (kể cả khi giữ nguyên)")
    elif proposal.action in CHANGING and not review.sheet(Scenario.PROPOSED):
        missing.append("Chưa tính chi phí tuân thủ sau đơn giản hóa")
    return missing


@transaction.atomic
def review_submit(review: Review) -> Review:
    missing = review_missing(review)
    if missing:
        raise ValidationError([f"Chưa thể trình: còn {len(missing)} nội dung chưa hoàn thành.", *missing])
    return _transition(review, "submit", submitted_on=today(), return_comment="")


@transaction.atomic
def review_check(review: Review) -> Review:
    return _transition(review, "check", checked_on=today())


@transaction.atomic
def review_return(review: Review, comment: str) -> Review:
    if not (comment or "").strip():
        raise ValidationError({"comment": "Cần ghi rõ lý do trả lại để người rà soát chỉnh sửa."})
    return _transition(review, "return", return_comment=comment.strip(), checked_on=None)


@transaction.atomic
def review_assess(review: Review, assessment: str) -> Review:
    if not (assessment or "").strip():
        raise ValidationError({"assessment": "Cần ghi ý kiến đánh giá độc lập."})
    return _transition(review, "assess", assessment=assessment.strip())


# Cost sheets ------------------------------------------------------------------------------------------------------


@dataclass
class RowData:
    activity: str
    hours: object = 0
    outsourced_cost: int = 0
    fees: int = 0
    other_costs: int = 0


def default_parameters(organisation: Organisation | None = None) -> CostParameterSet | None:
    """The newest parameter set of the organisation or of one above it, else the newest shared one."""
    sets = CostParameterSet.objects.order_by("-year", "-id")
    if organisation is not None:
        line = [organisation.pk, *organisation.ancestors().values_list("pk", flat=True)]
        own = sets.filter(organisation__in=line).first()
        if own:
            return own
    return sets.filter(organisation__isnull=True).first()


@transaction.atomic
def sheet_save(
    *,
    procedure: Procedure,
    scenario: str,
    rows: list[RowData],
    parameters: CostParameterSet | None = None,
    review: Review | None = None,
    executions_per_year=1,
    subjects_per_year: int = 1,
    sheet: CostSheet | None = None,
    started_from: int | None = None,
) -> CostSheet:
    """Create or rewrite a cost sheet with its rows, snapshotting the parameters and storing the totals."""
    if review is not None:
        _require_editable(review)
        sheet = sheet or review.sheet(scenario)
    if not rows:
        raise ValidationError("Bảng tính chi phí cần ít nhất một công việc.")
    sheet = sheet or CostSheet(procedure=procedure, review=review, scenario=scenario)
    if sheet.pk:
        stale(sheet, started_from)
    parameters = parameters or sheet.parameters or default_parameters(procedure.owner)
    if parameters is None and not sheet.pk:
        raise ValidationError("Chưa có bộ tham số chi phí (thu nhập bình quân, ngày công): hãy tạo trước.")
    if parameters is not None:
        sheet.use_parameters(parameters)
    sheet.executions_per_year = executions_per_year
    sheet.subjects_per_year = subjects_per_year
    new_rows = [CostRow(order=i, **vars(r)) for i, r in enumerate(rows, start=1)]
    sheet.compute(new_rows)
    with audit.action(f"reviews.cost_sheet.{'updated' if sheet.pk else 'created'}"):
        if sheet.pk:
            sheet.rows.all().delete()
            _bump(sheet)
        else:
            sheet.save()
    for row in new_rows:
        row.sheet = sheet
    CostRow.objects.bulk_create(new_rows)
    return sheet


def sheet_start_current(review: Review, parameters: CostParameterSet | None = None) -> CostSheet:
    """A current-cost sheet prefilled from the procedure: the usual activities, its fees, its yearly figures."""
    version = review.version
    rows = [RowData(activity=a, hours=0) for a in DEFAULT_ACTIVITIES]
    return sheet_save(
        procedure=review.procedure,
        scenario=Scenario.CURRENT,
        rows=rows,
        parameters=parameters,
        review=review,
        executions_per_year=version.executions_per_year or 1,
        subjects_per_year=version.subjects_per_year or 1,
    )


def proposed_rows(current: CostSheet, proposal: Proposal | None) -> list[RowData]:
    """The current rows with what the proposal implies already applied where it can be: going online removes
    travel and postage and most of the submitting and collecting time; removing dossier items or copies cuts the
    preparation time and the copying costs in proportion. The officer adjusts the rest."""
    kinds = {c.get("kind") for c in (proposal.changes if proposal else [])}
    rows = [RowData(r.activity, r.hours, r.outsourced_cost, r.fees, r.other_costs) for r in current.rows.all()]
    if ChangeKind.ADD_ONLINE in kinds:
        for row in rows:
            if _about(row, "nộp", "nhận", "bổ sung"):
                row.hours = (row.hours * 1 / 4).quantize(row.hours.__class__("0.01"))
                row.other_costs = 0
    if kinds & {ChangeKind.REMOVE_DOSSIER_ITEM, ChangeKind.REDUCE_COPIES, ChangeKind.REDUCE_DOSSIER_SETS}:
        items = current.review.version.dossier_items.count() if current.review else 0
        removed = sum(1 for c in proposal.changes if c.get("kind") == ChangeKind.REMOVE_DOSSIER_ITEM)
        share = (items - removed) / items if items and removed else 1
        for row in rows:
            if _about(row, "chuẩn bị"):
                row.hours = (row.hours * type(row.hours)(str(round(share, 4)))).quantize(type(row.hours)("0.01"))
            row.other_costs = 0 if ChangeKind.ADD_ONLINE in kinds else row.other_costs
    if ChangeKind.REMOVE_FEE in kinds:
        for row in rows:
            row.fees = 0
    return rows


def _about(row: RowData, *words: str) -> bool:
    return any(word in row.activity.lower() for word in words)


def sheet_start_proposed(review: Review) -> CostSheet:
    current = review.sheet(Scenario.CURRENT)
    if current is None:
        raise ValidationError("Cần tính chi phí hiện tại trước khi tính chi phí sau đơn giản hóa.")
    proposal = getattr(review, "proposal", None)
    return sheet_save(
        procedure=review.procedure,
        scenario=Scenario.PROPOSED,
        rows=proposed_rows(current, proposal),
        parameters=current.parameters,
        review=review,
        executions_per_year=current.executions_per_year,
        subjects_per_year=current.subjects_per_year,
    )


# Proposal ---------------------------------------------------------------------------------------------------------


def _validate_changes(changes: list) -> list[dict]:
    kinds = set(ChangeKind.values)
    clean = []
    for n, change in enumerate(changes or [], start=1):
        if not isinstance(change, dict) or change.get("kind") not in kinds:
            raise ValidationError(f"Nội dung đơn giản hóa thứ {n}: loại thay đổi không hợp lệ.")
        clean.append({k: str(change.get(k, "") or "").strip() for k in ("kind", "target", "before", "after")})
    return clean


@transaction.atomic
def proposal_save(
    *, review: Review, action: str, changes=None, reason: str = "", started_from: int | None = None, by=None, **extra
) -> Proposal:
    """Create or update the proposal. A changing action (amend, replace) gets a draft next version of the procedure
    with the component changes applied where they can be, so the registry diff shows them."""
    _require_editable(review)
    if action not in Action.values:
        raise ValidationError({"action": "Phương án không hợp lệ."})
    if action != Action.KEEP and not reason.strip():
        raise ValidationError({"reason": "Cần nêu lý do của phương án đơn giản hóa."})
    proposal = getattr(review, "proposal", None) or Proposal(review=review)
    if proposal.pk:
        stale(proposal, started_from)
    proposal.action = action
    proposal.changes = _validate_changes(changes)
    proposal.reason = reason.strip()
    for key, value in extra.items():
        setattr(proposal, key, value)
    if action in CHANGING:
        proposal.draft_version = _draft_next_version(review, proposal, by=by)
    with audit.action(f"reviews.proposal.{'updated' if proposal.pk else 'created'}"):
        if proposal.pk:
            _bump(proposal)
        else:
            proposal.save()
    return proposal


def _draft_next_version(review: Review, proposal: Proposal, by=None) -> ProcedureVersion:
    procedure = review.procedure
    draft = proposal.draft_version
    if draft is None or not draft.is_editable:
        latest = procedure.latest_version()
        draft = latest if latest.is_editable else version_start_next(procedure=procedure, by=by)
    components = Components.of(review.version)
    apply_changes(components, proposal.changes)
    return version_update(version=draft, components=components)


def apply_changes(components: Components, changes: list[dict]) -> None:
    """Apply the machine-readable part of the changes to a copy of the reviewed components."""
    for change in changes:
        kind, target, after = change["kind"], change.get("target", ""), change.get("after", "")
        if kind == ChangeKind.REMOVE_DOSSIER_ITEM and target:
            components.dossier_items = [d for d in components.dossier_items if d["name"].strip() != target.strip()]
        elif kind == ChangeKind.ADD_ONLINE and Channel.ONLINE not in components.fields["channels"]:
            components.fields["channels"] = [*components.fields["channels"], Channel.ONLINE]
        elif kind == ChangeKind.CUT_TIME and _number(after) is not None:
            components.fields["processing_time_value"] = _number(after)
        elif kind == ChangeKind.REDUCE_DOSSIER_SETS and _number(after) is not None:
            components.fields["dossier_sets"] = int(_number(after))
        elif kind == ChangeKind.REMOVE_STEP and target:
            components.steps = [s for s in components.steps if s["action"].strip() != target.strip()]
        elif kind == ChangeKind.REMOVE_FEE:
            components.fields["fees"] = after or "Không"
    for n, row in enumerate(components.dossier_items, start=1):
        row["order"] = n
    for n, row in enumerate(components.steps, start=1):
        row["order"] = n


def _number(text: str):
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(str(text).replace(",", ".").split()[0])
    except (InvalidOperation, IndexError):
        return None


# Approval and implementation --------------------------------------------------------------------------------------


def approval_errors(decision: ApprovalDecision, review: Review) -> list[str]:
    from tinhgon.organisations.models import Organisation as Org

    errors = []
    if review.status not in {ReviewStatus.CHECKED, ReviewStatus.ASSESSED}:
        errors.append(f"Phiếu {review.procedure.code} chưa được kiểm soát, chưa thể phê duyệt.")
    if getattr(review, "proposal", None) is None:
        errors.append(f"Phiếu {review.procedure.code} chưa có phương án.")
    if review.approval_id and review.approval_id != decision.pk:
        errors.append(f"Phương án của {review.procedure.code} đã thuộc quyết định {review.approval}.")
    if review.version.group == Group.A and decision.issuer.kind not in {Org.Kind.PROVINCE, Org.Kind.MINISTRY}:
        errors.append(
            f"{review.procedure.code} thuộc nhóm A: phương án do Chủ tịch UBND tỉnh (hoặc Bộ) phê duyệt, "
            "không do thủ trưởng cơ quan."
        )
    if not Org.objects.ever_under([decision.issuer]).filter(pk=review.procedure.owner_id).exists():
        errors.append(f"{review.procedure.code} không thuộc phạm vi của {decision.issuer}.")
    return errors


@transaction.atomic
def approval_add(*, decision: ApprovalDecision, review: Review) -> None:
    if decision.status != ApprovalStatus.DRAFT:
        raise ValidationError("Quyết định đã ban hành, không thể thêm phương án.")
    errors = approval_errors(decision, review)
    if errors:
        raise ValidationError(errors)
    with audit.action("reviews.review.added_to_approval"):
        review.approval = decision
        review.save()


@transaction.atomic
def approval_issue_problems(decision: ApprovalDecision) -> list[str]:
    """Why `approval_issue` would refuse this decision now (empty when it may be issued): the confirmation page
    shows them before the user tries."""
    if decision.status != ApprovalStatus.DRAFT:
        return ["Quyết định đã được ban hành."]
    reviews = list(decision.reviews.select_related("procedure", "version", "proposal"))
    problems = [] if reviews else ["Quyết định chưa phê duyệt phương án nào."]
    if not (decision.number and decision.signed_on and decision.signer):
        problems.append("Cần ghi số, ký hiệu, ngày ký và người ký trước khi ban hành.")
    return problems + [e for r in reviews for e in approval_errors(decision, r)]


def approval_issue(*, decision: ApprovalDecision) -> ApprovalDecision:
    """Issue the decision: its proposals are approved and each changing one gets its implementation items."""
    problems = approval_issue_problems(decision)
    if problems:
        raise ValidationError(problems)
    reviews = list(decision.reviews.select_related("procedure", "version", "proposal"))
    with audit.action("reviews.approval.issued"):
        decision.status = ApprovalStatus.ISSUED
        decision.save()
    for review in reviews:
        with audit.action("reviews.review.approved"):
            review.status = ReviewStatus.APPROVED
            _bump(review)
        _create_implementation(review.proposal, decision)
    return decision


def implementation_acts(proposal: Proposal) -> list[str]:
    """The acts to draft once the proposal is approved, one implementation item each: the lines of its legal acts,
    or the decision re-publishing the procedure; none for a procedure kept as it is."""
    if proposal.action == Action.KEEP:
        return []
    acts = [line.strip(" -•\t") for line in proposal.legal_acts.splitlines() if line.strip(" -•\t")]
    return acts or [f"Văn bản công bố thủ tục {proposal.review.procedure.code} sau đơn giản hóa"]


def _create_implementation(proposal: Proposal, decision: ApprovalDecision) -> None:
    owner = decision.lead_unit or proposal.review.procedure.owner
    for act in implementation_acts(proposal):
        with audit.action("reviews.implementation.created"):
            ImplementationItem.objects.create(
                proposal=proposal, act=act[:500], owner=owner, due_on=proposal.implementation_deadline
            )


@transaction.atomic
def implementation_update(
    *, item: ImplementationItem, status: str, issued_reference: str = "", issued_on: date | None = None
) -> ImplementationItem:
    if status not in ImplementationStatus.values:
        raise ValidationError({"status": "Trạng thái không hợp lệ."})
    if status == ImplementationStatus.DONE and not issued_reference.strip():
        raise ValidationError({"issued_reference": "Cần ghi số, ký hiệu văn bản đã ban hành."})
    with audit.action("reviews.implementation.updated"):
        item.status = status
        item.issued_reference = issued_reference.strip()
        item.issued_on = issued_on or (today() if status == ImplementationStatus.DONE else None)
        item.save()
    return item


def proposals_mark_implemented(versions) -> list[Proposal]:
    """Called when a publication decision takes effect: approved proposals whose procedure it publishes (the draft
    version carried by an amend/replace proposal) or abolishes are implemented on its effective date."""
    done = []
    for version in versions:
        candidates = Proposal.objects.filter(
            review__status=ReviewStatus.APPROVED, implemented_on__isnull=True, review__procedure=version.procedure
        )
        for proposal in candidates:
            abolished = proposal.action == Action.ABOLISH and version.status == Status.ABOLISHED
            published = proposal.action in CHANGING and proposal.draft_version_id == version.pk
            if abolished or published:
                with audit.action("reviews.proposal.implemented"):
                    proposal.implemented_on = version.effective_to or version.effective_from or today()
                    if abolished and version.effective_to:
                        from datetime import timedelta

                        proposal.implemented_on = version.effective_to + timedelta(days=1)
                    proposal.save()
                done.append(proposal)
    return done
