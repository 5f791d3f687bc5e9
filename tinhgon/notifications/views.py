"""The person's notifications: newest first, unread marked, each opened through its own link (which marks it read);
their choice of e-mail (at once, daily, none)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tinhgon.accounts.models import User
from tinhgon.core.visibility import get_visible
from tinhgon.notifications.forms import PreferenceForm
from tinhgon.notifications.models import Notification

PAGE = 30


@login_required
def notification_list(request, form=None):
    mine = Notification.objects.visible_to(request.policy).select_related("actor", "organisation")
    if request.GET.get("chua-doc"):
        mine = mine.unread()
    page = Paginator(mine, PAGE).get_page(request.GET.get("trang"))
    form = form or PreferenceForm(instance=request.user)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "form": form, "unread_only": bool(request.GET.get("chua-doc"))},
        status=400 if form.errors else 200,
    )


@login_required
def notification_open(request, pk):
    """Mark it read and go to its page (a path inside the site: nothing stored leads elsewhere)."""
    notification = get_visible(request.policy, Notification.objects, pk=pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).mark_read()
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None) or not notification.url.startswith(
        "/"
    ):
        return redirect("notifications:list")
    return redirect(notification.url)


@login_required
@require_POST
def notification_read_all(request):
    n = Notification.objects.visible_to(request.policy).mark_read()
    messages.success(request, f"Đã đánh dấu {n} thông báo là đã đọc." if n else "Không có thông báo chưa đọc.")
    return redirect("notifications:list")


@login_required
@require_POST
def notification_preference(request):
    form = PreferenceForm(request.POST, instance=User.objects.get(pk=request.user.pk))
    if not form.is_valid():
        return notification_list(request, form=form)
    form.save()
    if not request.user.email and form.cleaned_data["notify_by"] != "none":
        messages.warning(request, "Tài khoản chưa có địa chỉ thư điện tử: thông báo chỉ hiện trong hệ thống.")
    messages.success(request, f"Đã lưu: {form.instance.get_notify_by_display().lower()}.")
    return redirect("notifications:list")
