"""Review and simplification pages (/ra-soat/): plans, the review form, approval decisions, implementation, the
target ledger and the cost parameters. Each page finds its object with get_visible (404 outside the model's
visibility rule, 403 for an action not allowed on it) and lists `Model.objects.visible_to(policy)`; state changes
are the models' transitions. A ValidationError is shown in Vietnamese on the form with what the user typed kept."""

from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tinhgon.audit import originals
from tinhgon.core.dates import today
from tinhgon.core.formatting import number
from tinhgon.core.forms import LegalDateForm
from tinhgon.core.paging import PAGE, query_without_page
from tinhgon.core.queries import summarised_page
from tinhgon.core.visibility import get_visible
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.constants import Status
from tinhgon.procedures.models import Procedure
from tinhgon.reviews import ledger as ledger_module
from tinhgon.reviews import services, team_views
from tinhgon.reviews.constants import (
    MILESTONE_BADGES,
    REVIEWED,
    SIMPLIFYING,
    Action,
    ApprovalStatus,
    Criterion,
    ReviewStatus,
    Scenario,
)
from tinhgon.reviews.decorators import viewers_only
from tinhgon.reviews.filters import MAX_ID, ImplementationFilter, ParameterFilter, RoundFilter
from tinhgon.reviews.forms import (
    AddReviewForm,
    AddToApprovalForm,
    ApprovalForm,
    AssessForm,
    ImplementationForm,
    LedgerFilterForm,
    LedgerListForm,
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

IMPLEMENTATION_PER_PAGE = 50
LEDGER_PER_PAGE = 100

STATUS_BADGES = {
    ReviewStatus.DRAFT: "bg-secondary-lt",
    ReviewStatus.SUBMITTED: "bg-blue-lt",
    ReviewStatus.RETURNED: "bg-orange-lt",
    ReviewStatus.CHECKED: "bg-green-lt",
    ReviewStatus.ASSESSED: "bg-teal-lt",
    ReviewStatus.APPROVED: "bg-green",
}


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _add_errors(form, error: ValidationError) -> None:
    """A model's refusal on the form: per field where the form has that field, else above it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _int(value, least: int = 1) -> int | None:
    """A posted whole number (a record id; a row_version with least=0), None unless the database can hold it."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if least <= number <= MAX_ID else None


def _benefit(review):
    proposal = getattr(review, "proposal", None)
    if proposal is None:
        return None
    proposal.review = review
    return proposal.benefit()


def _time_cut(review):
    proposal = getattr(review, "proposal", None)
    return proposal.time_cut() if proposal is not None else None


def visible_counts(policy):
    """Count of a plan's review forms the user may see, and of those already reviewed: never the others'."""
    visible = Q(reviews__in=Review.objects.visible_to(policy))
    return {
        "n_reviews": Count("reviews", filter=visible, distinct=True),
        "n_done": Count("reviews", filter=visible & Q(reviews__status__in=list(REVIEWED)), distinct=True),
    }


# Plans ------------------------------------------------------------------------------------------------------------


@login_required
@viewers_only
def round_list(request):
    policy = request.policy
    rounds = ReviewRound.objects.visible_to(policy).select_related("organisation").annotate(**visible_counts(policy))
    filters = RoundFilter(request.GET, queryset=rounds)
    form = None
    if policy.can_anywhere("reviews.plan"):
        organisations = policy.organisations("reviews.plan").current().order_by("name")
        membership = request.acting_membership
        initial = {"year": today().year, "organisation": membership.organisation if membership else None}
        form = RoundForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            created = _create_round(request, form)
            if created is not None:
                return created
    context = {"rounds": filters.qs if filters.is_valid() else rounds.none(), "filters": filters, "form": form}
    return render(request, "reviews/round_list.html", context)


def _create_round(request, form):
    data = dict(form.cleaned_data)
    add_all = data.pop("add_all")
    try:
        with transaction.atomic():
            round_ = services.round_create(by=request.user, **data)
            added = services.round_add_all_published(round=round_, deadline=data["deadline"]) if add_all else []
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, f"Đã lập kế hoạch “{round_.title}” với {len(added)} phiếu rà soát.")
    return redirect("reviews:round", pk=round_.pk)


def _add_review_form(round_, data=None) -> AddReviewForm:
    units = Organisation.objects.ever_under([round_.organisation])
    procedures = (
        Procedure.objects.internal()
        .filter(owner__in=units, is_template=False, versions__status=Status.PUBLISHED)
        .exclude(reviews__round=round_)
        .select_related("owner")
        .distinct()
        .order_by("code")
    )
    return AddReviewForm(data, procedures=procedures, units=units.current().order_by("name"), prefix="add")


@login_required
def round_detail(request, pk):
    policy = request.policy
    round_ = get_visible(policy, ReviewRound.objects.select_related("organisation"), pk=pk)
    form = _add_review_form(round_, request.POST or None) if round_.permits(policy, "reviews.plan") else None
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
    mine, refused = _assignee_filter(request, round_.reviews.visible_to(policy))
    reviews = mine.select_related("procedure", "version", "responsible", "proposal", "assignee").prefetch_related(
        "cost_sheets"
    )
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
    context = {
        "round": round_,
        "rows": rows,
        "form": form,
        "by_status": by_status,
        "total": sum(counts.values()),
        "team": round_.team_or_none(),
        "giao": request.GET.get("giao", ""),
        "giao_error": refused,
        "assign_form": team_views.assign_form(round_, policy) if form is not None else None,
        "people": team_views.named_in(round_, round_.reviews.visible_to(policy)),
    }
    return render(request, "reviews/round_detail.html", context, status=400 if refused else 200)


def _assignee_filter(request, reviews):
    """The "Giao cho" filter of a plan's page: `giao=toi` (my forms), `giao=chua` (given to no one) or a person's
    id; anything else is refused (400) with an empty list."""
    value = request.GET.get("giao", "")
    if value == "":
        return reviews, ""
    if value == "toi":
        return reviews.filter(assignee=request.user), ""
    if value == "chua":
        return reviews.filter(assignee__isnull=True), ""
    person = _int(value)
    if person is None:
        return reviews.none(), "Giá trị lọc “Giao cho” không hợp lệ: chọn “Phiếu của tôi”, “Chưa giao” hoặc một cán bộ."
    return reviews.filter(assignee_id=person), ""


# The review form --------------------------------------------------------------------------------------------------


def _answer_rows(answers, post=None):
    """Answers grouped by criterion; with `post`, the values typed in it (kept when a save is refused)."""
    groups = OrderedDict((label, []) for _, label in Criterion.choices)
    labels = dict(Criterion.choices)
    for a in answers:
        if post is not None:
            value = {"1": True, "0": False}.get(post.get(f"answer-{a.question_id}", ""))
            reason, proposal = post.get(f"reason-{a.question_id}", ""), post.get(f"proposal-{a.question_id}", "")
        else:
            value, reason, proposal = a.answer, a.reason, a.proposal
        groups.setdefault(labels.get(a.question.criterion, a.question.criterion), []).append(
            {
                "answer": a,
                "question": a.question,
                "value": value,
                "reason": reason,
                "proposal": proposal,
                "flag": value is not None and value == a.question.flags_when,
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


def _row_data(row: dict) -> services.RowData:
    return services.RowData(
        activity=row["activity"],
        hours=row["hours"],
        outsourced_cost=row.get("outsourced_cost") or 0,
        fees=row.get("fees") or 0,
        other_costs=row.get("other_costs") or 0,
    )


class FormPage:
    """The review form page: its forms, bound to the section posted (`section`), the others as stored."""

    def __init__(self, request, review: Review):
        self.request, self.review, self.policy = request, review, request.policy
        post = request.POST if request.method == "POST" else None
        self.section = post.get("section") if post is not None else None
        self.can_edit = review.is_editable and review.permits(self.policy, "reviews.edit")
        self.answers = list(review.answers.select_related("question"))
        self.stored_sheets = {s.scenario: s for s in review.cost_sheets.all()}
        self.parameters = CostParameterSet.objects.visible_to(self.policy)
        self.sheets = {
            scenario: sheet_forms(
                self.stored_sheets.get(scenario),
                scenario,
                post if self.section == f"sheet-{scenario}" else None,
                self.parameters,
            )
            for scenario in Scenario.values
        }
        self.proposal = getattr(review, "proposal", None)
        self.proposal_form, self.change_formset = proposal_forms(
            self.proposal, post if self.section == "proposal" else None
        )
        self.answer_error, self.answer_post = None, None

    def save(self):
        """Save the section posted: a redirect when saved, None when refused (the page shows why)."""
        if self.section == "answers":
            return self.save_answers()
        if self.section in {f"sheet-{s}" for s in Scenario.values}:
            return self.save_sheet(self.section.removeprefix("sheet-"))
        if self.section == "proposal":
            return self.save_proposal()
        return None

    def done(self, message: str, anchor: str):
        messages.success(self.request, message)
        return redirect(f"{reverse('reviews:review', args=[self.review.pk])}#{anchor}")

    def save_answers(self):
        post = self.request.POST
        try:
            services.review_answer(
                review=self.review,
                answers=_posted_answers(post, self.answers),
                started_from=_int(post.get("row_version"), least=0),
                by=self.request.user,
            )
        except ValidationError as error:
            self.answer_error, self.answer_post = error.messages, post
            return None
        return self.done("Đã lưu câu trả lời.", "questions")

    def save_sheet(self, scenario: str):
        head, rows = self.sheets[scenario]
        if not (head.is_valid() and rows.is_valid()):
            return None
        try:
            services.sheet_save(
                procedure=self.review.procedure,
                scenario=scenario,
                rows=[_row_data(r) for r in formset_rows(rows)],
                parameters=head.cleaned_data["parameters"],
                review=self.review,
                executions_per_year=head.cleaned_data["executions_per_year"],
                subjects_per_year=head.cleaned_data["subjects_per_year"],
                sheet=self.stored_sheets.get(scenario),
                started_from=head.cleaned_data["row_version"],
            )
        except ValidationError as error:
            head.add_error(None, error)
            return None
        return self.done("Đã lưu bảng tính chi phí.", f"sheet-{scenario}")

    def save_proposal(self):
        form, changes = self.proposal_form, self.change_formset
        if not (form.is_valid() and changes.is_valid()):
            return None
        data = form.cleaned_data
        try:
            services.proposal_save(
                review=self.review,
                action=data["action"],
                changes=formset_rows(changes),
                reason=data["reason"],
                started_from=data["row_version"] if self.proposal else None,
                by=self.request.user,
                legal_acts=data["legal_acts"],
                implementing_issuer=data["implementing_issuer"],
                implementation_deadline=data["implementation_deadline"],
                time_before=data["time_before"],
                time_after=data["time_after"],
            )
        except ValidationError as error:
            _add_errors(form, error)
            return None
        return self.done("Đã lưu phương án đơn giản hóa.", "proposal")

    def context(self) -> dict:
        review, proposal = self.review, self.proposal
        compare_url = None
        if proposal and proposal.draft_version_id:
            compare_url = (
                f"{reverse('procedures:compare', args=[review.procedure_id])}"
                f"?a={review.version.number}&b={proposal.draft_version.number}"
            )
        actions = review.available_transitions(self.policy)
        return {
            "review": review,
            "badge": STATUS_BADGES.get(review.status, ""),
            "overdue": review.is_overdue(),
            "can_edit": self.can_edit,
            "actions": actions,
            "groups": _answer_rows(self.answers, self.answer_post),
            "answer_error": self.answer_error,
            "hints": [
                {"hint": hint, "decision": decision, "form_id": f"hint-{hint.code}"}
                for hint, decision in hints_for_review(review)
            ],
            "sheets": [
                {
                    "scenario": scenario,
                    "label": label,
                    "sheet": self.stored_sheets.get(scenario),
                    "head": self.sheets[scenario][0],
                    "rows": self.sheets[scenario][1],
                }
                for scenario, label in Scenario.choices
            ],
            "proposal": proposal,
            "proposal_form": self.proposal_form,
            "change_formset": self.change_formset,
            "benefit": _benefit(review) if proposal else None,
            "time_cut": proposal.time_cut() if proposal else None,
            "compare_url": compare_url,
            "missing": review.missing() if "submit" in actions else [],
            "return_form": ReturnForm(),
            "assess_form": AssessForm(),
            "parameters": self.parameters.order_by("-year", "name"),
            "assign_form": self.assign_form(),
        }

    def assign_form(self):
        """Who plans may give the form to another officer from its page."""
        if not self.review.permits(self.policy, "reviews.plan"):
            return None
        form = team_views.assign_form(self.review.round, self.policy)
        form.fields["assignee"].widget.attrs["class"] += " form-select-sm w-auto"
        form.initial["assignee"] = self.review.assignee_id
        return form


@login_required
def review_form(request, pk):
    edit = "reviews.edit" if request.method == "POST" else None
    review = get_visible(request.policy, Review.objects.for_form(), action=edit, pk=pk)
    page = FormPage(request, review)
    if page.section and not page.can_edit:
        messages.error(request, f"Phiếu rà soát đang ở trạng thái “{review.get_status_display()}”, không thể sửa.")
        return redirect("reviews:review", pk=pk)
    saved = page.save() if page.section else None
    if saved is not None:
        return saved
    return render(request, "reviews/review_form.html", page.context())


def _on_review(action: str, apply, success: str, anchor: str = ""):
    """A POST on one review form: 404 when not visible, 403 without `action` on it, then `apply(request, review)`;
    a refusal is shown as messages on the form."""

    @require_POST
    @login_required
    def view(request, pk):
        review = get_visible(
            request.policy, Review.objects.select_related("procedure__owner", "responsible"), action=action, pk=pk
        )
        try:
            apply(request, review)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, success)
        return redirect(f"{reverse('reviews:review', args=[pk])}{anchor}")

    return view


def _move(name: str, success: str, form_class=None):
    """A POST running the form's transition `name`, with the text its form (if any) carries."""

    def apply(request, review):
        arguments = []
        if form_class is not None:
            form = form_class(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            arguments = list(form.cleaned_data.values())
        review.perform(name, request.policy, *arguments)

    return _on_review(Review.transitions()[name].permission, apply, success)


def _hint(request, review):
    services.hint_decide(
        review=review,
        code=request.POST.get("code", ""),
        accepted=request.POST.get("accepted") == "1",
        note=request.POST.get("note", ""),
        by=request.user,
    )


def _start_current(request, review):
    visible = CostParameterSet.objects.visible_to(request.policy)
    services.sheet_start_current(review, visible.filter(pk=_int(request.POST.get("parameters"))).first())


hint_decide = _on_review("reviews.edit", _hint, "Đã ghi nhận lựa chọn đối với gợi ý.", "#hints")
sheet_current = _on_review(
    "reviews.edit", _start_current, "Đã tạo bảng chi phí hiện tại: hãy nhập số giờ, chi phí.", "#sheet-current"
)
sheet_proposed = _on_review(
    "reviews.edit",
    lambda request, review: services.sheet_start_proposed(review),
    "Đã tính chi phí sau đơn giản hóa từ bảng hiện tại và phương án: hãy điều chỉnh nếu cần.",
    "#sheet-proposed",
)
submit = _move("submit", "Đã trình phiếu.", LegalDateForm)
check = _move("control", "Đã kiểm soát phiếu.", LegalDateForm)
return_ = _move("send_back", "Đã trả lại phiếu để chỉnh sửa.", ReturnForm)
assess = _move("assess", "Đã ghi ý kiến đánh giá độc lập.", AssessForm)


# Approval decisions -----------------------------------------------------------------------------------------------


@login_required
@viewers_only
def approval_list(request):
    policy = request.policy
    decisions = ApprovalDecision.objects.visible_to(policy).select_related("issuer")
    form = None
    if policy.can_anywhere("reviews.approve"):
        issuers = policy.organisations("reviews.approve").current().order_by("name")
        membership = request.acting_membership
        initial = {"issuer": membership.organisation} if membership else {}
        proposers = policy.organisations("reviews.view").current().exclude(kind=Organisation.Kind.DEPARTMENT_UNIT)
        form = ApprovalForm(request.POST or None, issuers=issuers, proposers=proposers, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            decision = form.save()
            messages.success(request, f"Đã tạo dự thảo quyết định {decision.number}. Hãy thêm phương án đã kiểm soát.")
            return redirect("reviews:approval", pk=decision.pk)
    context = {"decisions": ApprovalDecision.with_review_counts(decisions, policy), "form": form}
    return render(request, "reviews/approval_list.html", context)


def _candidates(policy, decision):
    """Checked forms in the issuer's scope that no decision holds yet, among those the user may see."""
    return (
        Review.objects.visible_to(policy)
        .filter(
            status__in=[ReviewStatus.CHECKED, ReviewStatus.ASSESSED],
            approval__isnull=True,
            procedure__owner__in=Organisation.objects.ever_under([decision.issuer]),
        )
        .select_related("procedure__owner", "version", "proposal")
    )


def _add_to_approval(request, decision, form) -> None:
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return
    added = 0
    for review in form.cleaned_data["reviews"]:
        try:
            services.approval_add(decision=decision, review=review)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            added += 1
    if added:
        messages.success(request, f"Đã thêm {added} phương án vào quyết định.")


@login_required
def approval_detail(request, pk):
    policy = request.policy
    decision = get_visible(policy, ApprovalDecision.objects.select_related("issuer", "lead_unit"), pk=pk)
    can_manage = "issue" in decision.available_transitions(policy)  # a draft, and reviews.approve on its issuer
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        _add_to_approval(request, decision, AddToApprovalForm(request.POST, candidates=_candidates(policy, decision)))
        return redirect("reviews:approval", pk=pk)
    # A draft shows who sees it through one of their forms that form only (ApprovalDecision.whole_visible_to).
    included = (
        decision.reviews.visible_to(policy)
        .select_related("procedure__owner", "version", "proposal")
        .prefetch_related("cost_sheets")
    )
    context = {
        "decision": decision,
        "rows": [{"review": r, "benefit": _benefit(r), "time_cut": _time_cut(r)} for r in included],
        "candidates": _candidates(policy, decision) if can_manage else [],
        "can_manage": can_manage,
        "whole_visible": decision.whole_visible_to(policy),
        "original": None
        if decision.status == ApprovalStatus.DRAFT
        else originals.card(decision, reverse("reviews:approval-original", args=[pk]), policy),
    }
    return render(request, "reviews/approval_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def approval_edit(request, pk):
    """A draft's number, signature, căn cứ and tờ trình; an issued decision is a record and is not edited."""
    policy = request.policy
    decision = get_visible(policy, ApprovalDecision.objects.select_related("issuer"), action="reviews.approve", pk=pk)
    if decision.status != ApprovalStatus.DRAFT:
        messages.error(request, "Quyết định đã ban hành không sửa được.")
        return redirect("reviews:approval", pk=pk)
    issuers = policy.organisations("reviews.approve").current().order_by("name")
    proposers = policy.organisations("reviews.view").current().exclude(kind=Organisation.Kind.DEPARTMENT_UNIT)
    form = ApprovalForm(request.POST or None, instance=decision, issuers=issuers, proposers=proposers)
    if request.method == "POST" and form.is_valid() and form.save_or_show_stale():
        messages.success(request, "Đã lưu quyết định.")
        return redirect("reviews:approval", pk=pk)
    return render(request, "reviews/approval_form.html", {"form": form, "decision": decision})


@require_http_methods(["GET", "POST"])
@login_required
def approval_original(request, pk):
    """The signed original of an issued approval decision: GET reads it, POST attaches or replaces it (its
    issuer's approvers)."""
    decision = get_visible(request.policy, ApprovalDecision.objects.select_related("issuer"), pk=pk)
    back = reverse("reviews:approval", args=[pk])
    return originals.original_view(request, decision, title=f"Quyết định {decision.number}", back=back)


@require_http_methods(["GET", "POST"])
@login_required
def approval_issue(request, pk):
    """GET: what issuing will do and what still stops it, and the button that confirms it (an issued decision
    cannot be changed); POST: issue."""
    decisions = ApprovalDecision.objects.select_related("issuer", "lead_unit")
    decision = get_visible(request.policy, decisions, action="reviews.approve", pk=pk)
    if request.method == "GET":
        if decision.status != ApprovalStatus.DRAFT:
            messages.info(request, "Quyết định này đã ban hành.")
            return redirect("reviews:approval", pk=pk)
        return render(request, "reviews/approval_issue.html", _approval_issue_context(request.policy, decision))
    try:
        decision.perform("issue", request.policy)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, "Quyết định đã ban hành: các phương án đã được phê duyệt, nhiệm vụ thực thi đã tạo.")
    return redirect("reviews:approval", pk=pk)


def _approval_issue_context(policy, decision):
    reviews = decision.reviews.visible_to(policy).select_related("procedure", "proposal")
    proposals = [proposal for r in reviews if (proposal := getattr(r, "proposal", None)) is not None]
    by_action = {value: [p for p in proposals if p.action == value] for value in Action.values}
    actions = [
        (label, len(by_action[value]), sum(len(p.implementation_acts()) for p in by_action[value]))
        for value, label in Action.choices
    ]
    return {
        "decision": decision,
        "actions": actions,
        "total": len(proposals),
        "tasks": sum(n for _, _, n in actions),
        "problems": decision.issue_problems(),
    }


# Implementation ---------------------------------------------------------------------------------------------------


def _implementation_form(item, policy, data=None) -> ImplementationForm | None:
    actions = item.available_transitions(policy)
    if data is None and not actions:
        return None
    initial = {"issued_reference": item.issued_reference, "issued_on": item.issued_on}
    return ImplementationForm(data, prefix=f"item-{item.pk}", item=item, actions=actions, initial=initial)


def _implement(request, pk):
    """The posted step of one item (start, or complete with the act issued): a redirect when done, else the bound
    form with the refusal on it."""
    item = get_visible(
        request.policy, ImplementationItem.objects.select_related("owner"), action="reviews.implement", pk=pk
    )
    form = _implementation_form(item, request.policy, request.POST)
    if form.is_valid():
        try:
            item.perform(form.transition, request.policy, *form.arguments())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Đã cập nhật nhiệm vụ “{item.act}”.")
            # Back to the page the form was on: its filters and page number came along in the form's address.
            query = request.GET.urlencode()
            return redirect(reverse("reviews:implementation") + (f"?{query}" if query else "")), None
    return None, (item.pk, form)


@login_required
@viewers_only
def implementation_list(request, pk=None):
    """The acts to issue for approved proposals, overdue first, 50 a page, filtered by status and owner; each row
    with the steps the user may take. A refused step shows the page again with what was typed, its item on top."""
    policy = request.policy
    bound = None
    if request.method == "POST":
        done, bound = _implement(request, pk)
        if done is not None:
            return done
    items = ImplementationItem.objects.visible_to(policy).select_related("owner", "proposal__review__procedure")
    filters = ImplementationFilter(request.GET, queryset=items)
    found = filters.qs if filters.is_valid() else items.none()
    on = today()
    page, summary = summarised_page(
        found.late_first(on), request.GET.get(PAGE), IMPLEMENTATION_PER_PAGE, facets=["late"]
    )
    shown = list(page.object_list)
    if bound and bound[0] not in {item.pk for item in shown}:
        shown.insert(0, items.get(pk=bound[0]))
    rows = [
        {
            "item": item,
            "overdue": item.is_overdue(on),
            "form": bound[1] if bound and bound[0] == item.pk else _implementation_form(item, policy),
        }
        for item in shown
    ]
    context = {
        "rows": rows,
        "page": page,
        "filters": filters.form,
        "query": query_without_page(request),
        "overdue": summary.counts.get((0,), 0),  # the facet `late` is 0 for an overdue item (late_first)
    }
    return render(request, "reviews/implementation_list.html", context)


# Target ledger ----------------------------------------------------------------------------------------------------


def definitions() -> list[str]:
    """How the ledger counts, in Vietnamese (tinhgon/reviews/ledger.py DEFINITIONS)."""
    return list(ledger_module.DEFINITIONS)


def ledger_request(request, form_class=LedgerFilterForm):
    """The ledger asked for by the query string (the page, its list and its workbook): the form (its errors shown,
    the valid values used), the Filters (404 for a unit the user may not see) and the query for links."""
    form = form_class(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    filters = ledger_module.filters_for(
        request.policy,
        request.acting_membership,
        **{name: data.get(name) for name in ("org", "as_of", "group", "field", "level")},
    )
    query = request.GET.copy()
    query.pop("metric", None)
    query["org"] = filters.roots[0].code
    return form, filters, query.urlencode()


@login_required
@viewers_only
def ledger_page(request):
    form, filters, query = ledger_request(request)
    result = ledger_module.shared_ledger(filters)
    actions = [
        {
            "value": value,
            "label": label,
            "n": result.by_action.get(value, 0),
            "approved": result.approved_by_action.get(value, 0),
        }
        for value, label in Action.choices
    ]
    context = {
        "form": form,
        "org": filters.roots[0],
        "filters": filters,
        "ledger": result,
        "actions": actions,
        "milestones": [{"check": m, "badge": MILESTONE_BADGES.get(m.status, "")} for m in result.milestones],
        "definitions": definitions(),
        "counts": ledger_module.COUNTS,
        "query": query,
        "list_url": reverse("reviews:ledger-procedures"),
    }
    return render(request, "reviews/ledger.html", context)


def ledger_found(filters, metric: str):
    """What one figure of the ledger counts, ordered by procedure code: the procedures (values: code, owner__name) for
    the published ones, the review forms for the others."""
    if metric == "published":
        return ledger_module.in_scope(filters).order_by("code").values("code", "owner__name")
    reviews = ledger_module.reviews(filters).select_related("procedure__owner", "proposal").order_by("procedure__code")
    approved = Q(is_approved=1)
    changing = approved & Q(proposal__action__in=list(SIMPLIFYING))
    narrowed = {
        "approved": approved,
        "simplified": changing,
        "implemented": changing & Q(proposal__implemented_on__lte=filters.as_of),
        "time_cut": ledger_module.time_cut_q(filters),
    }
    if metric in narrowed:
        reviews = reviews.filter(narrowed[metric])
    elif metric.startswith("action_"):
        reviews = reviews.filter(proposal__action=metric.removeprefix("action_"))
    return reviews


def _ledger_row(found) -> dict:
    if isinstance(found, dict):
        return {"code": found["code"], "owner": found["owner__name"], "review": None}
    return {"code": found.procedure.code, "owner": found.procedure.owner.name, "review": found}


@login_required
@viewers_only
def ledger_procedures(request):
    """The procedures behind one figure of the ledger, 100 a page: the nation's published ones are 80,000."""
    form, filters, query = ledger_request(request, LedgerListForm)
    metric = getattr(form, "cleaned_data", {}).get("metric") or "published"
    found = Review.objects.none() if "metric" in form.errors else ledger_found(filters, metric)
    page = Paginator(found, LEDGER_PER_PAGE).get_page(request.GET.get(PAGE))
    context = {
        "form": form,
        "org": filters.roots[0],
        "filters": filters,
        "page": page,
        "rows": [_ledger_row(found) for found in page.object_list],
        "label": ledger_module.METRIC_LABELS[metric],
        "query": query,
        "page_query": query_without_page(request),
    }
    return render(request, "reviews/ledger_procedures.html", context)


# Cost parameters --------------------------------------------------------------------------------------------------


@login_required
@viewers_only
def parameter_list(request):
    policy = request.policy
    sets = CostParameterSet.objects.visible_to(policy).select_related("organisation")
    filters = ParameterFilter(request.GET, queryset=sets)
    form = None
    if policy.can_anywhere("reviews.parameters"):
        organisations = policy.organisations("reviews.parameters").current().order_by("name")
        form = ParameterForm(request.POST or None, organisations=organisations, initial={"year": today().year})
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid() and not form.instance.permits(policy, "reviews.parameters"):
            form.add_error("organisation", "Bộ tham số dùng chung chỉ do quản trị hệ thống tạo: hãy chọn cơ quan.")
        if form.is_valid():
            parameters = form.save()
            messages.success(request, f"Đã tạo bộ tham số “{parameters}”: {_vnd(parameters.hourly_rate)} đồng/giờ.")
            return redirect("reviews:parameters")
    context = {"sets": filters.qs if filters.is_valid() else sets.none(), "filters": filters, "form": form}
    return render(request, "reviews/parameter_list.html", context)


def _vnd(value) -> str:
    return number(value, 0)
