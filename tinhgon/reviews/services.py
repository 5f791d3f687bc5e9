"""Review work that spans several rows: plans, forms, cost sheets, proposals, adding a form to an approval decision.
Each function is one user action, atomic, audited through the models it saves. State changes (submit, control,
send back, assess, approve, issue, start and complete an implementation item) are transitions on the models."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from tinhgon.audit import context as audit
from tinhgon.audit.services import log_action
from tinhgon.core.locking import refuse_stale
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.constants import INTERNAL_GROUPS, Channel, Status
from tinhgon.procedures.models import Procedure, ProcedureVersion
from tinhgon.procedures.services import Components, version_start_next, version_update
from tinhgon.reviews.constants import CHANGING, Action, ApprovalStatus, ChangeKind, ReviewStatus, Scenario, TeamRole
from tinhgon.reviews.models import (
    Answer,
    ApprovalDecision,
    CostParameterSet,
    CostRow,
    CostSheet,
    HintDecision,
    Milestone,
    Proposal,
    QuestionSet,
    Review,
    ReviewRound,
    ReviewTeam,
    ReviewTeamMember,
)
from tinhgon.reviews.signals import review_assigned

# Activities of a fresh current-cost sheet (domain.md §3.5), with the hours the officer starts from.
DEFAULT_ACTIVITIES = [
    "Chuẩn bị hồ sơ",
    "Nộp hồ sơ",
    "Bổ sung, hoàn thiện hồ sơ",
    "Nhận kết quả",
]


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
        raise ValidationError({"procedure": f"Thủ tục {procedure.code} không thuộc phạm vi của {round.organisation}."})
    version = procedure.published_version()
    if version is None:
        raise ValidationError(f"Thủ tục {procedure.code} chưa được công bố hoặc đã hết hiệu lực: không thể rà soát.")
    if version.group not in INTERNAL_GROUPS:
        raise ValidationError(
            f"Thủ tục {procedure.code} là thủ tục hành chính cho người dân, doanh nghiệp: kế hoạch rà soát thủ tục "
            "nội bộ không bao gồm thủ tục này."
        )
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
        Procedure.objects.internal()
        .filter(owner__in=scope, is_template=False, versions__status=Status.PUBLISHED)
        .exclude(reviews__round=round)
        .select_related("owner")
        .distinct()
        .order_by("code")
    )
    return [round_add_procedure(round=round, procedure=p, deadline=deadline) for p in procedures]


# The review team and assignments to named officers ---------------------------------------------------------------


@transaction.atomic
def team_save(*, round: ReviewRound, **fields) -> ReviewTeam:
    """Set up the plan's review team, or change the decision that set it up (number, date, signer): one audit entry
    "reviews.team.created" or "reviews.team.updated"."""
    team = ReviewTeam.objects.select_for_update().filter(round=round).first()
    if team is None:
        with audit.action("reviews.team.created"):
            return ReviewTeam.objects.create(round=round, **fields)
    for name, value in fields.items():
        setattr(team, name, value)
    team.full_clean(exclude=["round"])
    team.save()
    return team


@transaction.atomic
def team_member_add(*, team: ReviewTeam, user, role: str = TeamRole.MEMBER, position: str = "") -> ReviewTeamMember:
    """Add a person with a role in force in the plan's organisation or a unit under it; their unit is that role's
    (their first one if they hold several). A team has one leader (tổ trưởng)."""
    round_ = team.round
    membership = round_.eligible_people().filter(user=user).order_by("id").first()
    if membership is None:
        raise ValidationError(
            {
                "user": f"{user} không công tác tại {round_.organisation.name} hoặc đơn vị trực thuộc: không thể là "
                "thành viên Tổ."
            }
        )
    if team.members.filter(user=user).exists():
        raise ValidationError({"user": f"{user} đã là thành viên Tổ."})
    if role == TeamRole.LEADER and team.members.filter(role=TeamRole.LEADER).exists():
        raise ValidationError({"role": "Tổ đã có tổ trưởng: hãy bớt tổ trưởng hiện tại trước."})
    with audit.action("reviews.team_member.created"):
        return ReviewTeamMember.objects.create(
            team=team, user=user, role=role, unit=membership.organisation, position=position.strip()
        )


@transaction.atomic
def team_member_remove(*, member: ReviewTeamMember) -> None:
    """Take a person off the team; refused while forms of the plan are still assigned to them."""
    assigned = member.team.round.reviews.filter(assignee_id=member.user_id).count()
    if assigned:
        raise ValidationError(
            f"{member.user} đang được giao {assigned} phiếu rà soát: hãy giao các phiếu này cho người khác trước."
        )
    with audit.action("reviews.team_member.deleted"):
        member.delete()


@transaction.atomic
def review_assign(*, review: Review, assignee, by=None) -> Review:
    """Give the form to a named officer (None: back to its unit as a whole). Refused for someone who may not take it
    (Review.assignee_problem). Side effects: one audit entry "reviews.review.assigned" with the previous and new
    officer, a new row_version, and the `review_assigned` signal (the officer is told)."""
    review = (
        Review.objects.select_for_update().select_related("round", "responsible", "procedure__owner").get(pk=review.pk)
    )
    if assignee is not None:
        problem = review.assignee_problem(assignee)
        if problem:
            raise ValidationError({"assignee": problem})
    if review.assignee_id == (assignee.pk if assignee else None):
        return review
    with audit.action("reviews.review.assigned"):
        review.assignee = assignee
        review.save()
    if assignee is not None:
        review_assigned.send(sender=Review, review=review, assignee=assignee, by=by)
    return review


@transaction.atomic
def reviews_assign(*, reviews, assignee, by=None) -> list[Review]:
    """Give several forms of a plan to one officer at once: all or none (the first refusal stops it)."""
    return [review_assign(review=review, assignee=assignee, by=by) for review in reviews]


# The form ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def review_answer(*, review: Review, answers: dict, started_from: int | None = None, by=None) -> Review:
    """`answers`: {question_id: {"answer": True/False/None, "reason": str, "proposal": str}}. Saves the answers
    and the form once: one audit entry "reviews.review.answered" with what changed, and a new row_version."""
    review = review.lock_for_edit()
    refuse_stale(review, started_from)
    rows = {a.question_id: a for a in review.answers.select_related("question")}
    touched, changes = [], {}
    for question_id, values in answers.items():
        row = rows.get(int(question_id))
        if row is None:
            raise ValidationError(f"Câu hỏi {question_id} không thuộc phiếu rà soát này.")
        before = [row.answer, row.reason, row.proposal]
        for key in ("answer", "reason", "proposal"):
            if key in values:
                setattr(row, key, values[key] if key == "answer" else (values[key] or "").strip())
        touched.append(row)
        if before != [row.answer, row.reason, row.proposal]:
            changes[f"câu {row.question.order}"] = [before, [row.answer, row.reason, row.proposal]]
    Answer.objects.bulk_update(touched, ["answer", "reason", "proposal"])
    with audit.action("reviews.review.answered"):
        if by is not None and review.reviewer_id is None:
            review.reviewer = by
        silent = not review.audit_changes(created=False)
        review.save()
        if silent:  # the form's own fields did not change (no entry from the save): say which answers did
            log_action(review, verb="answered", changes=changes)
    return review


@transaction.atomic
def hint_decide(*, review: Review, code: str, accepted: bool, note: str = "", by=None) -> HintDecision:
    from tinhgon.reviews.hints import HINT_CODES

    review = review.lock_for_edit()
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
    """Create or rewrite a cost sheet with its rows, snapshotting the parameters and storing the totals. The sheet
    of a form is written only while the form can be filled in; an existing sheet is rewritten from what is stored,
    refused (Stale) when `started_from` is older."""
    if review is not None:
        review = review.lock_for_edit()
        sheet = sheet or CostSheet.objects.filter(review=review, scenario=scenario).first()
    if not rows:
        raise ValidationError("Bảng tính chi phí cần ít nhất một công việc.")
    if sheet is not None and sheet.pk:
        sheet = CostSheet.objects.select_for_update().get(pk=sheet.pk)
        refuse_stale(sheet, started_from)
    sheet = sheet or CostSheet(procedure=procedure, review=review, scenario=scenario)
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
    with the component changes applied where they can be, so the registry diff shows them. An existing proposal is
    rewritten from what is stored, refused (Stale) when `started_from` is older."""
    review = review.lock_for_edit()
    if action not in Action.values:
        raise ValidationError({"action": "Phương án không hợp lệ."})
    if action != Action.KEEP and not reason.strip():
        raise ValidationError({"reason": "Cần nêu lý do của phương án đơn giản hóa."})
    proposal = Proposal.objects.select_for_update().filter(review=review).first() or Proposal(review=review)
    refuse_stale(proposal, started_from)
    proposal.action = action
    proposal.changes = _validate_changes(changes)
    proposal.reason = reason.strip()
    for key, value in extra.items():
        setattr(proposal, key, value)
    if proposal.time_before is None:
        proposal.time_before = time_before(review.version)
    if action in CHANGING:
        proposal.draft_version = _draft_next_version(review, proposal, by=by)
    with audit.action(f"reviews.proposal.{'updated' if proposal.pk else 'created'}"):
        proposal.save()
    return proposal


def time_before(version: ProcedureVersion) -> Decimal | None:
    """The time limit of the version under review in working days, to two decimals (None when the registry could
    not read it: the reviewer enters it)."""
    days = version.processing_working_days()
    return None if days is None else days.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


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
            # The cut is the new maximum of the main case; the decision's old words no longer hold, so the text is
            # worded again from the structure when the version is saved (ProcedureVersion.prepare_save).
            components.fields.update(processing_time_value=_number(after), processing_time_min=None)
            components.fields["processing_time_text"] = ""
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
    try:
        return Decimal(str(text).replace(",", ".").split()[0])
    except (InvalidOperation, IndexError):
        return None


# Approval and implementation --------------------------------------------------------------------------------------


@transaction.atomic
def approval_add(*, decision: ApprovalDecision, review: Review) -> None:
    """Put the form's proposal in the draft decision. The decision row is locked (then the form's), so that two
    additions at once, or an addition and the issue, are decided one after the other on what is stored."""
    decision = ApprovalDecision.objects.select_for_update().select_related("issuer").get(pk=decision.pk)
    if decision.status != ApprovalStatus.DRAFT:
        raise ValidationError("Quyết định đã ban hành, không thể thêm phương án.")
    review = Review.objects.select_for_update().select_related("procedure", "version").get(pk=review.pk)
    errors = decision.problems_with(review)
    if errors:
        raise ValidationError(errors)
    with audit.action("reviews.review.added_to_approval"):
        review.approval = decision
        review.save()


@transaction.atomic
def approval_create(*, fields: dict, reviews) -> ApprovalDecision:
    """A draft decision holding the options of `reviews`, all or nothing (approval_add's checks for each)."""
    with audit.action("reviews.approval.created"):
        decision = ApprovalDecision.objects.create(**fields)
    for review in reviews:
        approval_add(decision=decision, review=review)
    return decision


@transaction.atomic
def approval_remove(*, decision: ApprovalDecision, review: Review) -> None:
    """Take the form's proposal out of the draft decision (rows locked as in approval_add)."""
    decision = ApprovalDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != ApprovalStatus.DRAFT:
        raise ValidationError("Quyết định đã ban hành, không thể bỏ phương án.")
    review = Review.objects.select_for_update().select_related("procedure").get(pk=review.pk)
    if review.approval_id != decision.pk:
        raise ValidationError(f"Phương án của {review.procedure.code} không thuộc quyết định {decision}.")
    with audit.action("reviews.review.removed_from_approval"):
        review.approval = None
        review.save()


@transaction.atomic
def approval_set_options(
    *, decision: ApprovalDecision, add=(), remove=(), started_from: int | None = None
) -> ApprovalDecision:
    """Add and remove the options of a draft decision in one step, all or nothing, from the version of the decision
    the caller read (Stale otherwise). A form already in the decision is not added twice. The decision's
    row_version counts the change (one audit entry), so that issuing from a copy read before it is refused."""
    decision = ApprovalDecision.objects.select_for_update().get(pk=decision.pk)
    refuse_stale(decision, started_from)
    for review in remove:
        approval_remove(decision=decision, review=review)
    for review in add:
        if review.approval_id != decision.pk:
            approval_add(decision=decision, review=review)
    with audit.action("reviews.approval.options_changed"):
        decision.save()
    return decision


@transaction.atomic
def approval_issue_one(*, review: Review, policy, **fields) -> ApprovalDecision:
    """Approve one form by a decision created and issued at once (the API's shortcut): the decision is kept only
    if it was issued. Needs `reviews.approve` on the issuer given in `fields`."""
    decision = ApprovalDecision.objects.create(**fields)
    approval_add(decision=decision, review=review)
    decision.perform("issue", policy)
    return decision


def proposals_mark_implemented(versions) -> list[Proposal]:
    """Called when a publication decision takes effect: approved proposals whose procedure it publishes (the draft
    version carried by an amend/replace proposal) or abolishes are implemented on its effective date. A date set by
    the system, not a state: each proposal is saved once, under its own action code. A decision effective before the
    approval was signed (history entered out of order) does not implement it."""
    done = []
    for version in versions:
        candidates = Proposal.objects.select_for_update().filter(
            review__status=ReviewStatus.APPROVED, implemented_on__isnull=True, review__procedure=version.procedure
        )
        for proposal in candidates:
            day = proposal.implementation_date(version)
            signed = proposal.review.approval.signed_on if proposal.review.approval_id else None
            if day is None or (signed and day < signed):
                continue
            with audit.action("reviews.proposal.implemented"):
                proposal.implemented_on = day
                proposal.save(update_fields=["implemented_on"])
            done.append(proposal)
    return done


# Milestones ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def milestone_save(*, milestone: Milestone, started_from: int | None = None) -> Milestone:
    """Save a unit's milestone, new or changed, after its checks (one per metric and date). Refused (Stale) when it
    was changed since `started_from`. Side effects: one audit entry (reviews.milestone.created / updated); from then
    on the unit and the units under it that set none for this metric are judged against its milestones of it."""
    refuse_stale(milestone, started_from)
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, started_from: int | None = None) -> None:
    """Remove a unit's milestone (Stale when changed since `started_from`); one audit entry. When it was the unit's
    last one for its metric, the unit inherits that metric's milestones from above again."""
    refuse_stale(milestone, started_from)
    milestone.delete()
