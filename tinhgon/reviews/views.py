"""Review and simplification pages (/ra-soat/): plans, the review form, approval decisions, implementation, the
target ledger and the cost parameters. Views check permissions through `request.policy` and call
tinhgon.reviews.services; a ValidationError is shown in Vietnamese on the form with what the user typed kept."""

from collections import OrderedDict
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.constants import Status
from tinhgon.procedures.models import Procedure
from tinhgon.reviews import ledger as ledger_module
from tinhgon.reviews import services
from tinhgon.reviews.constants import (
    REVIEWED,
    SIMPLIFYING,
    Action,
    ApprovalStatus,
    Criterion,
    ImplementationStatus,
    MilestoneStatus,
    ReviewStatus,
    Scenario,
)
from tinhgon.reviews.forms import (
    AddReviewForm,
    ApprovalForm,
    AssessForm,
    ImplementationForm,
    LedgerFilterForm,
    ParameterForm,
    ReturnForm,
    RoundForm,
    formset_rows,
    proposal_forms,
    sheet_forms,
)
from tinhgon.reviews.hints import hints_for_review
from tinhgon.reviews.models import (
    ApprovalDecision,
    CostParameterSet,
    ImplementationItem,
    Review,
    ReviewRound,
)

STATUS_BADGES = {
    ReviewStatus.DRAFT: "bg-secondary-lt",
    ReviewStatus.SUBMITTED: "bg-blue-lt",
    ReviewStatus.RETURNED: "bg-orange-lt",
    ReviewStatus.CHECKED: "bg-green-lt",
    ReviewStatus.ASSESSED: "bg-teal-lt",
    ReviewStatus.APPROVED: "bg-green",
}
MILESTONE_BADGES = {
    MilestoneStatus.MET: "bg-green",
    MilestoneStatus.ON_TRACK: "bg-blue",
    MilestoneStatus.AT_RISK: "bg-orange",
    MilestoneStatus.MISSED: "bg-red",
}


# Scope ------------------------------------------------------------------------------------------------------------


def _scope(request):
    if not request.policy.can_anywhere("reviews.view"):
        raise PermissionDenied
    return request.policy.organisations("reviews.view")


def visible_reviews(request):
    scope = _scope(request)
    return Review.objects.filter(
        Q(procedure__owner__in=scope) | Q(responsible__in=scope) | Q(round__organisation__in=scope)
    )


def _may(request, action: str, *organisations) -> bool:
    return any(request.policy.allows(action, org) for org in organisations if org is not None)


def _get_round(request, pk) -> ReviewRound:
    round_ = get_object_or_404(ReviewRound.objects.select_related("organisation"), pk=pk)
    if not request.policy.allows("reviews.view", round_.organisation):
        scope = _scope(request)
        if not round_.reviews.filter(procedure__owner__in=scope).exists():
            raise Http404
    return round_


def _get_review(request, pk, action: str | None = None) -> Review:
    """The review, if visible (404 otherwise); with `action`, 403 unless allowed on its unit or its procedure."""
    review = get_object_or_404(
        Review.objects.select_related(
            "round__organisation", "procedure__owner", "version__field", "responsible", "reviewer", "approval"
        ),
        pk=pk,
    )
    if not _may(request, "reviews.view", review.procedure.owner, review.responsible, review.round.organisation):
        raise Http404
    if action and not _may(request, action, review.responsible, review.procedure.owner):
        raise PermissionDenied
    return review


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _benefit(review):
    proposal = getattr(review, "proposal", None)
    if proposal is None:
        return None
    proposal.review = review
    return proposal.benefit()


# Plans ------------------------------------------------------------------------------------------------------------


@login_required
def round_list(request):
    scope = _scope(request)
    rounds = (
        ReviewRound.objects.filter(Q(organisation__in=scope) | Q(reviews__procedure__owner__in=scope))
        .distinct()
        .select_related("organisation")
        .annotate(
            n_reviews=Count("reviews", distinct=True),
            n_done=Count("reviews", filter=Q(reviews__status__in=list(REVIEWED)), distinct=True),
        )
    )
    organisations = request.policy.organisations("reviews.plan").current().order_by("name")
    can_plan = request.policy.can_anywhere("reviews.plan")
    form = None
    if can_plan:
        initial = {"year": today().year}
        membership = request.acting_membership
        if membership is not None:
            initial["organisation"] = membership.organisation
        form = RoundForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            add_all = data.pop("add_all")
            try:
                with transaction.atomic():
                    round_ = services.round_create(by=request.user, **data)
                    added = services.round_add_all_published(round=round_, deadline=data["deadline"]) if add_all else []
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Đã lập kế hoạch “{round_.title}” với {len(added)} phiếu rà soát.")
                return redirect("reviews:round", pk=round_.pk)
    return render(request, "reviews/round_list.html", {"rounds": rounds, "form": form})


@login_required
def round_detail(request, pk):
    round_ = _get_round(request, pk)
    can_plan = request.policy.allows("reviews.plan", round_.organisation)
    reviews = round_.reviews.select_related("procedure", "version", "responsible", "proposal").prefetch_related(
        "cost_sheets"
    )
    if not request.policy.allows("reviews.view", round_.organisation):
        reviews = reviews.filter(procedure__owner__in=_scope(request))
    form = None
    if can_plan:
        units = Organisation.objects.ever_under([round_.organisation])
        procedures = (
            Procedure.objects.filter(owner__in=units, is_template=False, versions__status=Status.PUBLISHED)
            .exclude(reviews__round=round_)
            .select_related("owner")
            .distinct()
            .order_by("code")
        )
        form = AddReviewForm(
            request.POST or None, procedures=procedures, units=units.current().order_by("name"), prefix="add"
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                review = services.round_add_procedure(round=round_, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Đã thêm thủ tục {review.procedure.code} vào kế hoạch.")
                return redirect("reviews:round", pk=pk)
    on = today()
    rows = []
    for review in reviews:
        benefit = _benefit(review)
        rows.append(
            {
                "review": review,
                "badge": STATUS_BADGES.get(review.status, ""),
                "overdue": review.is_overdue(on),
                "proposal": getattr(review, "proposal", None),
                "saving": benefit.saving if benefit else None,
            }
        )
    counts = {row["status"]: row["n"] for row in reviews.order_by().values("status").annotate(n=Count("pk"))}
    by_status = [(label, counts.get(value, 0)) for value, label in ReviewStatus.choices]
    context = {"round": round_, "rows": rows, "form": form, "by_status": by_status, "total": sum(counts.values())}
    return render(request, "reviews/round_detail.html", context)


# The review form --------------------------------------------------------------------------------------------------


def _hints(review):
    return hints_for_review(review)


def _answer_rows(review, answers, post=None):
    """Answers grouped by criterion; with `post`, the values typed in it (kept when a save is refused)."""
    groups = OrderedDict((label, []) for _, label in Criterion.choices)
    labels = dict(Criterion.choices)
    for a in answers:
        if post is not None:
            raw = post.get(f"answer-{a.question_id}", "")
            value = {"1": True, "0": False}.get(raw)
            reason, proposal = post.get(f"reason-{a.question_id}", ""), post.get(f"proposal-{a.question_id}", "")
        else:
            value, reason, proposal = a.answer, a.reason, a.proposal
        flagged = value is not None and value == a.question.flags_when
        groups.setdefault(labels.get(a.question.criterion, a.question.criterion), []).append(
            {
                "answer": a,
                "question": a.question,
                "value": value,
                "reason": reason,
                "proposal": proposal,
                "flag": flagged,
            }
        )
    return [(label, rows) for label, rows in groups.items() if rows]


def _posted_answers(post, answers) -> dict:
    return {
        a.question_id: {
            "answer": {"1": True, "0": False}.get(post.get(f"answer-{a.question_id}", "")),
            "reason": post.get(f"reason-{a.question_id}", ""),
            "proposal": post.get(f"proposal-{a.question_id}", ""),
        }
        for a in answers
    }


def _load_review(request, pk, action=None) -> Review:
    review = _get_review(request, pk, action)
    # Fetch the sheets with their rows and the proposal once for the whole page.
    full = (
        Review.objects.select_related("proposal__draft_version")
        .prefetch_related("cost_sheets__rows", "cost_sheets__parameters")
        .get(pk=review.pk)
    )
    for name in ("round", "procedure", "version", "responsible", "reviewer", "approval"):
        setattr(full, name, getattr(review, name))
    return full


@login_required
def review_form(request, pk):
    review = _load_review(request, pk)
    policy = request.policy
    can_edit = review.is_editable and _may(request, "reviews.edit", review.responsible, review.procedure.owner)
    answers = list(review.answers.select_related("question"))
    sheets = {s.scenario: s for s in review.cost_sheets.all()}
    proposal = getattr(review, "proposal", None)
    section = request.POST.get("section") if request.method == "POST" else None
    if section and not can_edit:
        if not _may(request, "reviews.edit", review.responsible, review.procedure.owner):
            raise PermissionDenied
        messages.error(request, f"Phiếu rà soát đang ở trạng thái “{review.get_status_display()}”, không thể sửa.")
        return redirect("reviews:review", pk=pk)

    answer_error = None
    answer_post = None
    sheet_bound = {}
    for scenario in Scenario.values:
        data = request.POST if section == f"sheet-{scenario}" else None
        sheet_bound[scenario] = sheet_forms(sheets.get(scenario), scenario, data)
    proposal_form, change_formset = proposal_forms(proposal, request.POST if section == "proposal" else None)

    if section == "answers":
        try:
            services.review_answer(
                review=review,
                answers=_posted_answers(request.POST, answers),
                started_from=_int(request.POST.get("row_version")),
                by=request.user,
            )
        except ValidationError as error:
            answer_error = error.messages
            answer_post = request.POST
        else:
            messages.success(request, "Đã lưu câu trả lời.")
            return redirect(f"{reverse('reviews:review', args=[pk])}#questions")
    elif section in {f"sheet-{s}" for s in Scenario.values}:
        scenario = section.removeprefix("sheet-")
        head, rows = sheet_bound[scenario]
        if head.is_valid() and rows.is_valid():
            try:
                services.sheet_save(
                    procedure=review.procedure,
                    scenario=scenario,
                    rows=[_row_data(r) for r in formset_rows(rows)],
                    parameters=head.cleaned_data["parameters"],
                    review=review,
                    executions_per_year=head.cleaned_data["executions_per_year"],
                    subjects_per_year=head.cleaned_data["subjects_per_year"],
                    sheet=sheets.get(scenario),
                    started_from=head.cleaned_data["row_version"],
                )
            except ValidationError as error:
                head.add_error(None, error)
            else:
                messages.success(request, "Đã lưu bảng tính chi phí.")
                return redirect(f"{reverse('reviews:review', args=[pk])}#sheet-{scenario}")
    elif section == "proposal" and proposal_form.is_valid() and change_formset.is_valid():
        data = proposal_form.cleaned_data
        try:
            services.proposal_save(
                review=review,
                action=data["action"],
                changes=formset_rows(change_formset),
                reason=data["reason"],
                started_from=data["row_version"] if proposal else None,
                by=request.user,
                legal_acts=data["legal_acts"],
                implementing_issuer=data["implementing_issuer"],
                implementation_deadline=data["implementation_deadline"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errs in error.error_dict.items():
                    proposal_form.add_error(field if field in proposal_form.fields else None, errs)
            else:
                proposal_form.add_error(None, error)
        else:
            messages.success(request, "Đã lưu phương án đơn giản hóa.")
            return redirect(f"{reverse('reviews:review', args=[pk])}#proposal")

    hint_rows = [
        {"hint": hint, "decision": decision, "form_id": f"hint-{hint.code}"} for hint, decision in _hints(review)
    ]
    benefit = _benefit(review) if proposal else None
    compare_url = None
    if proposal and proposal.draft_version_id:
        compare_url = (
            f"{reverse('procedures:compare', args=[review.procedure_id])}"
            f"?a={review.version.number}&b={proposal.draft_version.number}"
        )
    sheet_views = []
    for scenario, label in Scenario.choices:
        head, rows = sheet_bound[scenario]
        sheet_views.append(
            {"scenario": scenario, "label": label, "sheet": sheets.get(scenario), "head": head, "rows": rows}
        )
    context = {
        "review": review,
        "badge": STATUS_BADGES.get(review.status, ""),
        "overdue": review.is_overdue(),
        "can_edit": can_edit,
        "can_submit": review.status in {ReviewStatus.DRAFT, ReviewStatus.RETURNED}
        and _may(request, "reviews.submit", review.responsible, review.procedure.owner),
        "can_check": _may(request, "reviews.check", review.responsible, review.procedure.owner),
        "groups": _answer_rows(review, answers, answer_post),
        "answer_error": answer_error,
        "hints": hint_rows,
        "sheets": sheet_views,
        "proposal": proposal,
        "proposal_form": proposal_form,
        "change_formset": change_formset,
        "benefit": benefit,
        "compare_url": compare_url,
        "missing": services.review_missing(review) if review.is_editable else [],
        "return_form": ReturnForm(),
        "assess_form": AssessForm(),
        "parameters": CostParameterSet.objects.order_by("-year", "name"),
        "policy_can_docx": policy.allows("reviews.view", review.procedure.owner),
    }
    return render(request, "reviews/review_form.html", context)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _row_data(row: dict) -> services.RowData:
    return services.RowData(
        activity=row["activity"],
        hours=row["hours"],
        outsourced_cost=row.get("outsourced_cost") or 0,
        fees=row.get("fees") or 0,
        other_costs=row.get("other_costs") or 0,
    )


def _review_action(action: str, apply, success: str, anchor: str = ""):
    @require_POST
    @login_required
    def view(request, pk):
        review = _get_review(request, pk, action)
        try:
            apply(request, review)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, success)
        return redirect(f"{reverse('reviews:review', args=[pk])}{anchor}")

    return view


def _hint(request, review):
    code = request.POST.get("code", "")
    services.hint_decide(
        review=review,
        code=code,
        accepted=request.POST.get("accepted") == "1",
        note=request.POST.get("note", ""),
        by=request.user,
    )


def _start_current(request, review):
    parameters = CostParameterSet.objects.filter(pk=_int(request.POST.get("parameters")) or 0).first()
    services.sheet_start_current(review, parameters)


hint_decide = _review_action("reviews.edit", _hint, "Đã ghi nhận lựa chọn đối với gợi ý.", "#hints")
sheet_current = _review_action(
    "reviews.edit", _start_current, "Đã tạo bảng chi phí hiện tại: hãy nhập số giờ, chi phí.", "#sheet-current"
)
sheet_proposed = _review_action(
    "reviews.edit",
    lambda request, review: services.sheet_start_proposed(review),
    "Đã tính chi phí sau đơn giản hóa từ bảng hiện tại và phương án: hãy điều chỉnh nếu cần.",
    "#sheet-proposed",
)
submit = _review_action("reviews.submit", lambda request, review: services.review_submit(review), "Đã trình phiếu.")
check = _review_action("reviews.check", lambda request, review: services.review_check(review), "Đã kiểm soát phiếu.")
return_ = _review_action(
    "reviews.check",
    lambda request, review: services.review_return(review, request.POST.get("comment", "")),
    "Đã trả lại phiếu để chỉnh sửa.",
)
assess = _review_action(
    "reviews.check",
    lambda request, review: services.review_assess(review, request.POST.get("assessment", "")),
    "Đã ghi ý kiến đánh giá độc lập.",
)


# Approval decisions -----------------------------------------------------------------------------------------------


def _visible_approvals(request):
    scope = _scope(request)
    return ApprovalDecision.objects.filter(Q(issuer__in=scope) | Q(reviews__procedure__owner__in=scope)).distinct()


def _get_approval(request, pk, manage=False) -> ApprovalDecision:
    decision = get_object_or_404(ApprovalDecision.objects.select_related("issuer", "lead_unit"), pk=pk)
    if not _visible_approvals(request).filter(pk=pk).exists():
        raise Http404
    if manage and not request.policy.allows("reviews.approve", decision.issuer):
        raise PermissionDenied
    return decision


@login_required
def approval_list(request):
    decisions = _visible_approvals(request).select_related("issuer").annotate(n_reviews=Count("reviews", distinct=True))
    issuers = request.policy.organisations("reviews.approve").current().order_by("name")
    form = None
    if request.policy.can_anywhere("reviews.approve"):
        membership = request.acting_membership
        initial = {"issuer": membership.organisation} if membership else {}
        form = ApprovalForm(request.POST or None, issuers=issuers, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            decision = form.save()
            messages.success(request, f"Đã tạo dự thảo quyết định {decision.number}. Hãy thêm phương án đã kiểm soát.")
            return redirect("reviews:approval", pk=decision.pk)
    return render(request, "reviews/approval_list.html", {"decisions": decisions, "form": form})


@login_required
def approval_detail(request, pk):
    decision = _get_approval(request, pk)
    can_manage = request.policy.allows("reviews.approve", decision.issuer) and decision.status == ApprovalStatus.DRAFT
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        chosen = (
            visible_reviews(request)
            .filter(pk__in=request.POST.getlist("reviews"))
            .select_related("procedure", "version", "proposal")
        )
        added = 0
        for review in chosen:
            try:
                services.approval_add(decision=decision, review=review)
            except ValidationError as error:
                _error_messages(request, error)
            else:
                added += 1
        if added:
            messages.success(request, f"Đã thêm {added} phương án vào quyết định.")
        elif not chosen:
            messages.error(request, "Chọn ít nhất một phiếu rà soát đã kiểm soát.")
        return redirect("reviews:approval", pk=pk)
    included = decision.reviews.select_related("procedure__owner", "version", "proposal").prefetch_related(
        "cost_sheets"
    )
    rows = [{"review": r, "benefit": _benefit(r)} for r in included]
    candidates = []
    if can_manage:
        candidates = (
            visible_reviews(request)
            .filter(
                status__in=[ReviewStatus.CHECKED, ReviewStatus.ASSESSED],
                approval__isnull=True,
                procedure__owner__in=Organisation.objects.ever_under([decision.issuer]),
            )
            .select_related("procedure__owner", "version", "proposal")
            .distinct()
        )
    context = {"decision": decision, "rows": rows, "candidates": candidates, "can_manage": can_manage}
    return render(request, "reviews/approval_detail.html", context)


@login_required
def approval_issue(request, pk):
    """GET: what issuing will do and what still stops it, and the button that confirms it (an issued decision
    cannot be changed); POST: issue."""
    decision = _get_approval(request, pk, manage=True)
    if request.method == "GET":
        if decision.status != ApprovalStatus.DRAFT:
            messages.info(request, "Quyết định này đã ban hành.")
            return redirect("reviews:approval", pk=pk)
        return render(request, "reviews/approval_issue.html", _approval_issue_context(decision))
    try:
        services.approval_issue(decision=decision)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, "Quyết định đã ban hành: các phương án đã được phê duyệt, nhiệm vụ thực thi đã tạo.")
    return redirect("reviews:approval", pk=pk)


def _approval_issue_context(decision):
    reviews = decision.reviews.select_related("procedure", "proposal")
    proposals = [proposal for r in reviews if (proposal := getattr(r, "proposal", None)) is not None]
    by_action = {value: [p for p in proposals if p.action == value] for value in Action.values}
    actions = [
        (label, len(by_action[value]), sum(len(services.implementation_acts(p)) for p in by_action[value]))
        for value, label in Action.choices
    ]
    return {
        "decision": decision,
        "actions": actions,
        "total": len(proposals),
        "tasks": sum(n for _, _, n in actions),
        "problems": services.approval_issue_problems(decision),
    }


# Implementation ---------------------------------------------------------------------------------------------------


@login_required
def implementation_list(request, pk=None):
    scope = _scope(request)
    items = (
        ImplementationItem.objects.filter(Q(owner__in=scope) | Q(proposal__review__procedure__owner__in=scope))
        .distinct()
        .select_related("owner", "proposal__review__procedure")
    )
    bound = None
    if request.method == "POST":
        item = get_object_or_404(items, pk=pk)
        if not request.policy.allows("reviews.implement", item.owner):
            raise PermissionDenied
        form = ImplementationForm(request.POST, prefix=f"item-{item.pk}")
        if form.is_valid():
            try:
                services.implementation_update(item=item, **form.cleaned_data)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errs in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errs)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, f"Đã cập nhật nhiệm vụ “{item.act}”.")
                return redirect("reviews:implementation")
        bound = (item.pk, form)
    on = today()
    rows = []
    for item in items:
        form = None
        if bound and bound[0] == item.pk:
            form = bound[1]
        elif request.policy.allows("reviews.implement", item.owner):
            form = ImplementationForm(
                prefix=f"item-{item.pk}",
                initial={"status": item.status, "issued_reference": item.issued_reference, "issued_on": item.issued_on},
            )
        rows.append({"item": item, "overdue": item.is_overdue(on), "form": form})
    rows.sort(key=lambda r: (not r["overdue"], r["item"].due_on or date.max, r["item"].pk))
    return render(request, "reviews/implementation_list.html", {"rows": rows, "statuses": ImplementationStatus})


# Target ledger ----------------------------------------------------------------------------------------------------

METRIC_LABELS = {
    "published": "Thủ tục đang có hiệu lực (thuộc phạm vi)",
    "reviewed": "Thủ tục đã rà soát",
    "approved": "Phương án đã được phê duyệt",
    "simplified": "Thủ tục được cắt giảm, đơn giản hóa",
    "implemented": "Phương án đã thực thi",
    **{f"action_{value}": f"Phương án “{label}”" for value, label in Action.choices},
}


def definitions() -> list[str]:
    """How the ledger counts, in Vietnamese (tinhgon/reviews/ledger.py DEFINITIONS)."""
    return list(ledger_module.DEFINITIONS)


def _ledger_filters(request):
    form = LedgerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    scope = _scope(request)
    code = (data.get("org") or "").strip()
    if code:
        org = Organisation.objects.filter(code=code).first()
    else:
        membership = request.acting_membership
        org = membership.organisation if membership else Organisation.objects.filter(parent__isnull=True).first()
    if org is None or not scope.filter(pk=org.pk).exists():
        raise Http404
    field = data.get("field")
    filters = ledger_module.Filters(
        roots=(org,),
        as_of=data.get("as_of") or today(),
        group=data.get("group") or "",
        field=field.code if field else "",
        level=data.get("level") or "",
    )
    query = request.GET.copy()
    query.pop("metric", None)
    query["org"] = org.code
    return form, org, filters, query.urlencode()


@login_required
def ledger_page(request):
    form, org, filters, query = _ledger_filters(request)
    result = ledger_module.ledger(filters)
    actions = [
        {
            "value": value,
            "label": label,
            "n": result.by_action.get(value, 0),
            "approved": result.approved_by_action.get(value, 0),
        }
        for value, label in Action.choices
    ]
    milestones = [{"check": m, "badge": MILESTONE_BADGES.get(m.status, "")} for m in result.milestones]
    context = {
        "form": form,
        "org": org,
        "filters": filters,
        "ledger": result,
        "actions": actions,
        "milestones": milestones,
        "definitions": definitions(),
        "query": query,
        "list_url": reverse("reviews:ledger-procedures"),
    }
    return render(request, "reviews/ledger.html", context)


@login_required
def ledger_procedures(request):
    form, org, filters, query = _ledger_filters(request)
    metric = request.GET.get("metric", "published")
    if metric not in METRIC_LABELS:
        raise Http404
    if metric == "published":
        procedures = (
            ledger_module.in_scope(filters).select_related("owner").order_by("code").values_list("code", "owner__name")
        )
        rows = [{"code": code, "owner": owner, "review": None} for code, owner in procedures]
    else:
        reviews = (
            ledger_module.reviews(filters).select_related("procedure__owner", "proposal").order_by("procedure__code")
        )
        approved = Q(is_approved=1)
        changing = approved & Q(proposal__action__in=list(SIMPLIFYING))
        if metric == "approved":
            reviews = reviews.filter(approved)
        elif metric == "simplified":
            reviews = reviews.filter(changing)
        elif metric == "implemented":
            reviews = reviews.filter(changing & Q(proposal__implemented_on__lte=filters.as_of))
        elif metric.startswith("action_"):
            reviews = reviews.filter(proposal__action=metric.removeprefix("action_"))
        rows = [{"code": r.procedure.code, "owner": r.procedure.owner.name, "review": r} for r in reviews]
    context = {"org": org, "filters": filters, "rows": rows, "label": METRIC_LABELS[metric], "query": query}
    return render(request, "reviews/ledger_procedures.html", context)


# Cost parameters --------------------------------------------------------------------------------------------------


@login_required
def parameter_list(request):
    scope = _scope(request)
    sets = CostParameterSet.objects.filter(Q(organisation__isnull=True) | Q(organisation__in=scope)).select_related(
        "organisation"
    )
    form = None
    if request.policy.can_anywhere("reviews.parameters"):
        organisations = request.policy.organisations("reviews.parameters").current().order_by("name")
        form = ParameterForm(request.POST or None, organisations=organisations, initial={"year": today().year})
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            parameters = form.save()
            messages.success(request, f"Đã tạo bộ tham số “{parameters}”: {_vnd(parameters.hourly_rate)} đồng/giờ.")
            return redirect("reviews:parameters")
    return render(request, "reviews/parameter_list.html", {"sets": sets, "form": form})


def _vnd(value) -> str:
    return f"{value:,.0f}".replace(",", ".")
