"""Users and their roles, managed by the administrators of an organisation subtree."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tinhgon.accounts.forms import MembershipForm, UserCreateForm
from tinhgon.accounts.models import Membership, User
from tinhgon.audit.display import describe
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.visibility import get_visible


def _person(request, username) -> User:
    return get_visible(request.policy, User.objects, username=username)


@login_required
def user_list(request):
    if not request.policy.can_anywhere("users.view"):
        raise PermissionDenied
    users = User.objects.visible_to(request.policy).prefetch_related(
        Prefetch("memberships", Membership.objects.active().select_related("organisation"))
    )
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(email__icontains=query) | Q(full_name__icontains=query))
    page = Paginator(users.order_by("username"), 50).get_page(request.GET.get("trang"))
    return render(request, "accounts/user_list.html", {"page": page, "query": query})


@login_required
def user_create(request):
    if not request.policy.can_anywhere("users.add"):
        raise PermissionDenied
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        acting = request.acting_membership
        form.instance.created_in = acting.organisation if acting else None  # who sees it before it has a role
        user = form.save()
        messages.success(request, f"Đã tạo tài khoản {user.username}. Hãy phân công vai trò cho người dùng.")
        return redirect("accounts:user-detail", username=user.username)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request, username):
    person = _person(request, username)
    manageable = request.policy.organisations("memberships.manage")
    form = MembershipForm(request.POST or None, organisations=manageable, instance=Membership(user=person))
    if request.method == "POST":
        if not request.policy.can_anywhere("memberships.manage"):
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(request, "Đã phân công vai trò.")
            return redirect("accounts:user-detail", username=person.username)
    context = {
        "person": person,
        "memberships": person.memberships.select_related("organisation").order_by("-is_active", "id"),
        "form": form if request.policy.can_anywhere("memberships.manage") else None,
        "history": describe(
            AuditLogEntry.objects.for_object(person)
            .visible_to(request.policy)
            .select_related("organisation", "content_type")[:50]
        )
        if request.policy.can_anywhere("audit.view")
        else None,
    }
    return render(request, "accounts/user_detail.html", context)


@require_POST
@login_required
def membership_revoke(request, pk):
    memberships = Membership.objects.select_related("organisation", "user")
    membership = get_visible(request.policy, memberships, action="memberships.manage", pk=pk)
    membership.delete()
    messages.success(request, f"Đã thu hồi vai trò {membership.get_role_display()} tại {membership.organisation}.")
    return redirect("accounts:user-detail", username=membership.user.username)
