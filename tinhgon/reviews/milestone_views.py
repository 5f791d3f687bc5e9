"""Each unit's milestones, set from its plan (/ra-soat/so-theo-doi/moc/?org=<code>): the milestones that apply to the
unit (its own, else inherited metric by metric from the nearest unit above, else the national ones of QĐ
1085/QĐ-TTg), each with what its metric counts; adding, changing and removing the unit's own. Seen by whoever sees
the unit's ledger (reviews.view); set by who manages the cost parameters and milestones (reviews.parameters, the
focal points and administrators over their units)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse

from tinhgon.core.visibility import get_visible
from tinhgon.reviews import ledger as ledger_module
from tinhgon.reviews import services
from tinhgon.reviews.decorators import viewers_only
from tinhgon.reviews.forms import MilestoneForm
from tinhgon.reviews.models import Milestone

SET = "reviews.parameters"


def _page(org) -> str:
    return f"{reverse('reviews:milestones')}?org={org.code}"


def _origin(milestone: Milestone, inherited: bool) -> str:
    if milestone.organisation is None:
        return "Toàn quốc (kế thừa)"
    return f"Kế thừa từ {milestone.organisation.name}" if inherited else "Đơn vị tự đặt"


def _save(request, form, org, started_from=None) -> bool:
    """Save the form's milestone for `org`; False with the reasons on the form when refused."""
    milestone = form.save(commit=False)
    milestone.organisation = org
    try:
        services.milestone_save(milestone=milestone, started_from=started_from)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@login_required
@viewers_only
def milestone_list(request):
    policy = request.policy
    org = ledger_module.filters_for(policy, request.acting_membership, org=request.GET.get("org", "")).roots[0]
    can_set = policy.allows(SET, org)
    form = MilestoneForm(request.POST or None, prefix="new", instance=Milestone(organisation=org)) if can_set else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid() and _save(request, form, org):
            messages.success(request, f"Đã đặt mốc “{form.instance}” cho {org.name}.")
            return redirect(_page(org))
    rows = [
        {
            "milestone": m,
            "inherited": inherited,
            "origin": _origin(m, inherited),
            "definition": ledger_module.METRIC_DEFINITIONS[m.metric],
        }
        for m, inherited in ledger_module.applicable_milestones([org])
    ]
    context = {"org": org, "rows": rows, "form": form, "can_set": can_set}
    return render(request, "reviews/milestone_list.html", context)


@login_required
def milestone_edit(request, pk):
    """One of a unit's own milestones: change it (with the version it was read at) or remove it."""
    policy = request.policy
    milestone = get_visible(
        policy,
        Milestone.objects.select_related("organisation"),
        action=SET if request.method == "POST" else None,
        pk=pk,
    )
    if milestone.organisation is None and request.method == "POST":
        raise PermissionDenied  # the national milestones are the admin's
    org = milestone.organisation
    form = MilestoneForm(request.POST or None, instance=milestone) if request.method == "POST" else None
    if form is not None and request.POST.get("section") == "delete":
        try:
            services.milestone_delete(milestone=milestone, started_from=_version(request.POST.get("row_version")))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        messages.success(request, f"Đã bỏ mốc “{milestone}” của {org.name}.")
        return redirect(_page(org))
    saved = form is not None and form.is_valid() and _save(request, form, org, form.cleaned_data["row_version"])
    if saved:
        messages.success(request, f"Đã sửa mốc “{milestone}”.")
        return redirect(_page(org))
    if form is None:
        form = MilestoneForm(instance=milestone)
    can_set = org is not None and milestone.permits(policy, SET)
    context = {"milestone": milestone, "org": org, "form": form, "can_set": can_set}
    return render(request, "reviews/milestone_edit.html", context)


def _version(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


urlpatterns = [
    path("so-theo-doi/moc/", milestone_list, name="milestones"),
    path("so-theo-doi/moc/<int:pk>/", milestone_edit, name="milestone"),
]
