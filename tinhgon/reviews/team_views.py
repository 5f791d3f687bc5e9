"""The review team of a plan (Tổ thống kê, rà soát thủ tục hành chính nội bộ) and the forms given to its members:
the team page (/ra-soat/ke-hoach/<pk>/to-ra-soat/), adding and removing members, giving one form or several forms
to a named officer. Seen by whoever sees the plan (reviews.view); changed by who plans it (reviews.plan)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from tinhgon.core.visibility import get_visible
from tinhgon.reviews import services
from tinhgon.reviews.constants import REVIEWED, TEAM_ROLE_ORDER
from tinhgon.reviews.filters import MAX_ID
from tinhgon.reviews.forms import AssignForm, MemberForm, TeamForm
from tinhgon.reviews.models import Review, ReviewRound, ReviewTeamMember, units_of_people

PLAN = "reviews.plan"


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


def _round(request, pk, action=None) -> ReviewRound:
    return get_visible(request.policy, ReviewRound.objects.select_related("organisation"), action=action, pk=pk)


def _messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def people_choices(round_: ReviewRound, policy) -> tuple:
    """The people the plan's forms may be given to (a queryset for the form) and the name of each one's unit: the
    team's members, named by the decision that set the team up; without a team, those of the people who may fill
    in its forms whom the user may see (accounts' rule: a plan's page is no staff directory)."""
    units = round_.assignable_people()
    people = get_user_model().objects.filter(pk__in=list(units))
    if round_.team_or_none() is None:
        people = people.filter(pk__in=get_user_model().objects.visible_to(policy).values("pk"))
    return people.order_by("full_name", "username"), units


def named_in(round_: ReviewRound, reviews):
    """The people the plan's page may name in its "Giao cho" filter: the team's members and whoever holds one of
    the forms listed (`reviews`), names the page shows anyway."""
    team = round_.team_or_none()
    members = Q(review_teams__team=team) if team is not None else Q(pk__in=[])
    holders = Q(pk__in=reviews.filter(assignee__isnull=False).values("assignee_id"))
    return get_user_model().objects.filter(members | holders).distinct().order_by("full_name", "username")


def assign_form(round_: ReviewRound, policy, data=None, reviews=None) -> AssignForm:
    people, units = people_choices(round_, policy)
    return AssignForm(data, people=people, units=units, reviews=reviews)


def _member_form(round_, team, data=None) -> MemberForm:
    eligible = round_.eligible_people().exclude(user__in=team.members.values("user_id"))
    units = units_of_people(eligible.order_by("id"))
    people = get_user_model().objects.filter(pk__in=list(units)).order_by("full_name", "username")
    return MemberForm(data, people=people, units=units, prefix="member")


def _member_rows(policy, round_, team) -> list[dict]:
    """The members, leader first, each with the number of the plan's forms (that the user may see) given to them
    and of those already reviewed: two queries whatever the size of the team."""
    counts = {
        row["assignee"]: row
        for row in round_.reviews.visible_to(policy)
        .filter(assignee__isnull=False)
        .order_by()
        .values("assignee")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(status__in=list(REVIEWED))))
    }
    members = sorted(team.members.select_related("user", "unit"), key=lambda m: (TEAM_ROLE_ORDER[m.role], m.pk))
    return [
        {"member": m, "n": counts.get(m.user_id, {}).get("n", 0), "done": counts.get(m.user_id, {}).get("done", 0)}
        for m in members
    ]


@login_required
def team(request, pk):
    """GET: the team, its decision and members; POST (reviews.plan): set up the team or change its decision."""
    policy = request.policy
    round_ = _round(request, pk, PLAN if request.method == "POST" else None)
    team_ = round_.team_or_none()
    can_plan = round_.permits(policy, PLAN)
    form = TeamForm(request.POST or None, instance=team_, prefix="team") if can_plan else None
    if request.method == "POST" and form.is_valid():
        try:
            services.team_save(round=round_, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Đã lưu quyết định thành lập Tổ." if team_ else "Đã thành lập Tổ rà soát.")
            return redirect("reviews:team", pk=pk)
    context = {
        "round": round_,
        "team": team_,
        "form": form,
        "rows": _member_rows(policy, round_, team_) if team_ else [],
        "member_form": _member_form(round_, team_) if team_ and can_plan else None,
        "can_plan": can_plan,
    }
    return render(request, "reviews/team.html", context, status=400 if form is not None and form.errors else 200)


@require_POST
@login_required
def member_add(request, pk):
    round_ = _round(request, pk, PLAN)
    team_ = round_.team_or_none()
    if team_ is None:
        messages.error(request, "Hãy ghi quyết định thành lập Tổ trước khi thêm thành viên.")
        return redirect("reviews:team", pk=pk)
    form = _member_form(round_, team_, request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("reviews:team", pk=pk)
    try:
        member = services.team_member_add(team=team_, **form.cleaned_data)
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(request, f"Đã thêm {member.user} ({member.get_role_display().lower()}) vào Tổ.")
    return redirect("reviews:team", pk=pk)


@require_POST
@login_required
def member_remove(request, pk):
    round_ = _round(request, pk, PLAN)
    member = (
        ReviewTeamMember.objects.filter(team__round=round_, pk=_int(request.POST.get("member")))
        .select_related("user", "team__round")
        .first()
    )
    if member is None:
        messages.error(request, "Không tìm thấy thành viên này trong Tổ.")
        return redirect("reviews:team", pk=pk)
    try:
        services.team_member_remove(member=member)
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(request, f"Đã đưa {member.user} ra khỏi Tổ.")
    return redirect("reviews:team", pk=pk)


@require_POST
@login_required
def round_assign(request, pk):
    """The forms ticked on the plan's page given to one officer (or back to their units)."""
    round_ = _round(request, pk, PLAN)
    form = assign_form(round_, request.policy, request.POST, reviews=round_.reviews.visible_to(request.policy))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("reviews:round", pk=pk)
    chosen, assignee = form.cleaned_data["reviews"], form.cleaned_data["assignee"]
    try:
        services.reviews_assign(reviews=list(chosen), assignee=assignee, by=request.user)
    except ValidationError as error:
        _messages(request, error)
    else:
        whom = f"giao cho {assignee}" if assignee else "trả về đơn vị chủ trì"
        messages.success(request, f"Đã {whom} {len(chosen)} phiếu rà soát.")
    return redirect("reviews:round", pk=pk)


@require_POST
@login_required
def review_assign(request, pk):
    """One form given to an officer (or back to its unit), from the form's page."""
    reviews = Review.objects.select_related("round__organisation", "procedure__owner", "responsible")
    review = get_visible(request.policy, reviews, action=PLAN, pk=pk)
    form = assign_form(review.round, request.policy, request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("reviews:review", pk=pk)
    assignee = form.cleaned_data["assignee"]
    try:
        services.review_assign(review=review, assignee=assignee, by=request.user)
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(request, f"Đã giao phiếu cho {assignee}." if assignee else "Đã trả phiếu về đơn vị chủ trì.")
    return redirect(reverse("reviews:review", args=[pk]))


urlpatterns = [
    # /ra-soat/ke-hoach/<pk>/to-ra-soat/: the plan's review team; giving forms to named officers
    path("ke-hoach/<int:pk>/to-ra-soat/", team, name="team"),
    path("ke-hoach/<int:pk>/to-ra-soat/them/", member_add, name="team-member-add"),
    path("ke-hoach/<int:pk>/to-ra-soat/bot/", member_remove, name="team-member-remove"),
    path("ke-hoach/<int:pk>/giao-phieu/", round_assign, name="round-assign"),
    path("phieu/<int:pk>/giao/", review_assign, name="review-assign"),
]
