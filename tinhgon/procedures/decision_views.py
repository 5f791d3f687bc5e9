"""Publication decisions (quyết định công bố): drafted and issued by the focal point or the agency leader of the
issuing organisation; readable by everyone whose procedures they contain."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tinhgon.audit import originals
from tinhgon.core.dates import today
from tinhgon.core.files import download
from tinhgon.core.paging import PAGE
from tinhgon.core.visibility import get_visible
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.constants import Change, DecisionStatus, Status
from tinhgon.procedures.forms import DecisionForm, DecisionItemForm
from tinhgon.procedures.models import VIEW as VIEW_PROCEDURES
from tinhgon.procedures.models import Procedure, ProcedureVersion, PublicationDecision
from tinhgon.procedures.services import decision_add_item, decision_issue

PER_PAGE = 50  # decisions a page: the country's oversight sees 14,000


def _decision(request, pk, manage=False) -> PublicationDecision:
    decisions = PublicationDecision.objects.select_related("issuer")
    return get_visible(request.policy, decisions, action="decisions.manage" if manage else None, pk=pk)


@login_required
def decision_list(request):
    if not request.policy.can_anywhere("procedures.view"):
        raise PermissionDenied
    decisions = PublicationDecision.objects.visible_to(request.policy).select_related("issuer").with_item_counts()
    page = Paginator(decisions.order_by("-effective_on", "-id"), PER_PAGE).get_page(request.GET.get(PAGE))
    can_create = request.policy.can_anywhere("decisions.manage")
    return render(request, "procedures/decision_list.html", {"page": page, "can_create": can_create})


def _issuers(request):
    """Units that may sign a publication decision: not the divisions of a department (they propose, not decide)."""
    units = request.policy.organisations("decisions.manage").current()
    return units.exclude(kind=Organisation.Kind.DEPARTMENT_UNIT).order_by("name")


def _proposers(request):
    """Agencies whose head may propose a decision: those the user sees, not divisions (their head proposes)."""
    units = request.policy.organisations(VIEW_PROCEDURES).current()
    return units.exclude(kind=Organisation.Kind.DEPARTMENT_UNIT).order_by("name")


@login_required
def decision_create(request):
    issuers = _issuers(request)
    if not issuers.exists():
        raise PermissionDenied
    form = DecisionForm(request.POST or None, issuers=issuers, proposers=_proposers(request))
    if request.method == "POST" and form.is_valid():
        decision = form.save()
        messages.success(request, f"Đã tạo dự thảo quyết định {decision.number}. Hãy thêm thủ tục.")
        return redirect("procedures:decision", pk=decision.pk)
    return render(request, "procedures/decision_form.html", {"form": form})


@login_required
def decision_edit(request, pk):
    decision = _decision(request, pk, manage=True)
    if decision.status != DecisionStatus.DRAFT:
        messages.error(request, "Quyết định đã ban hành không sửa được.")
        return redirect("procedures:decision", pk=pk)
    issuers = _issuers(request)
    form = DecisionForm(request.POST or None, instance=decision, issuers=issuers, proposers=_proposers(request))
    if request.method == "POST" and form.is_valid() and form.save_or_show_stale():
        messages.success(request, "Đã lưu quyết định.")
        return redirect("procedures:decision", pk=pk)
    return render(request, "procedures/decision_form.html", {"form": form, "decision": decision})


def _item_form(decision, data=None):
    in_scope = Organisation.objects.ever_under([decision.issuer])
    versions = ProcedureVersion.objects.filter(procedure__owner__in=in_scope, procedure__is_template=False)
    candidates = versions.filter(status__in=[Status.CHECKED, Status.PUBLISHED, Status.TRANSITIONAL]).select_related(
        "procedure"
    )
    published = Procedure.objects.filter(versions__status=Status.PUBLISHED, owner__in=in_scope)
    return DecisionItemForm(data, candidates=candidates.order_by("procedure__code"), published=published)


@login_required
def decision_detail(request, pk):
    decision = _decision(request, pk)
    can_manage = request.policy.allows("decisions.manage", decision.issuer)
    form = _item_form(decision, request.POST or None) if can_manage and decision.status == "draft" else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                decision_add_item(decision=decision, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Đã thêm thủ tục vào quyết định.")
                return redirect("procedures:decision", pk=pk)
    items = (
        decision.items.visible_to(request.policy)
        .select_related("version__procedure__owner", "version__field", "replaces")
        .prefetch_related("ends__decision")
    )
    context = {
        "decision": decision,
        "items": items,
        "form": form,
        "can_manage": can_manage,
        "whole_visible": decision.whole_visible_to(request.policy),
        "original": _original_card(request, decision),
    }
    return render(request, "procedures/decision_detail.html", context)


def _original_card(request, decision):
    if decision.status == DecisionStatus.DRAFT:
        return None
    return originals.card(decision, reverse("procedures:decision-original", args=[decision.pk]), request.policy)


@require_http_methods(["GET", "POST"])
@login_required
def decision_original(request, pk):
    """The signed original of an issued decision: GET reads it, POST attaches or replaces it (its issuer's
    managers)."""
    decision = _decision(request, pk)
    back = reverse("procedures:decision", args=[pk])
    return originals.original_view(request, decision, title=f"Quyết định {decision.number}", back=back)


@require_POST
@login_required
def decision_item_remove(request, pk, item_pk):
    decision = _decision(request, pk, manage=True)
    item = get_object_or_404(decision.items.visible_to(request.policy), pk=item_pk)
    if decision.status != DecisionStatus.DRAFT:
        messages.error(request, "Quyết định đã ban hành không sửa được.")
    else:
        item.delete()
        messages.success(request, "Đã bỏ thủ tục khỏi quyết định.")
    return redirect("procedures:decision", pk=pk)


# What applying the decision does to the procedures of each kind of item, for the confirmation page.
CHANGE_EFFECTS = {
    Change.NEW: "được công bố và hiện trên Cổng công khai",
    Change.AMENDED: "phiên bản mới được công bố; phiên bản đang có hiệu lực hết hiệu lực",
    Change.REPLACED: "được công bố; thủ tục bị thay thế hết hiệu lực",
    Change.ABOLISHED: "hết hiệu lực và không còn trên Cổng công khai",
}


@require_http_methods(["GET", "POST"])
@login_required
def decision_issue_view(request, pk):
    """GET: what issuing will do, and the button that confirms it (issuing cannot be undone); POST: issue."""
    decision = _decision(request, pk, manage=True)
    if request.method == "GET":
        if decision.status != DecisionStatus.DRAFT:
            messages.info(request, "Quyết định này đã ban hành.")
            return redirect("procedures:decision", pk=pk)
        counts = dict(decision.items.values_list("change").annotate(n=Count("id")))
        changes = [(label, counts.get(value, 0), CHANGE_EFFECTS[value]) for value, label in Change.choices]
        context = {
            "decision": decision,
            "changes": changes,
            "total": sum(counts.values()),
            "applies_now": decision.effective_on <= today(),
            "problems": decision.issue_problems(),
            "warnings": decision.issue_warnings(),
        }
        return render(request, "procedures/decision_issue.html", context)
    try:
        decision = decision_issue(decision=decision)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if decision.status == DecisionStatus.APPLIED:
            messages.success(request, "Quyết định đã ban hành và có hiệu lực; danh mục đã được cập nhật.")
        else:
            messages.success(request, f"Quyết định đã ban hành; sẽ áp dụng vào ngày {decision.effective_on:%d/%m/%Y}.")
    return redirect("procedures:decision", pk=pk)


@login_required
def decision_docx(request, pk):
    from tinhgon.procedures import documents

    decision = get_visible(request.policy, PublicationDecision.objects, action="decisions.read", pk=pk)
    return download(documents.decision_docx(decision), documents.decision_file_title(decision), "docx")
