from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from tinhgon.audit.display import describe
from tinhgon.audit.forms import AuditFilterForm
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.paging import PAGE, query_without_page


@login_required
def entries(request):
    policy = request.policy
    if not policy.can_anywhere("audit.view"):
        raise PermissionDenied
    entries = AuditLogEntry.objects.visible_to(policy).select_related("actor", "organisation", "content_type")
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        entries = form.filter(entries)
    page = Paginator(entries, 50).get_page(request.GET.get(PAGE))
    page.object_list = describe(page.object_list)
    context = {"form": form, "page": page, "query": query_without_page(request)}
    return render(request, "audit/entries.html", context)
