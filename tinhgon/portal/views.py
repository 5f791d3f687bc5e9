"""Public disclosure portal (công khai thủ tục hành chính nội bộ): no login.

Only versions in force are listed, searched and shown (`ProcedureVersion.objects.published()`): drafts, submitted,
checked, returned and scheduled (not yet effective) versions answer 404 even at a guessed address. A decision page
may also name the versions a decision ended. Every page runs a fixed number of queries, whatever the data size.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, render

from tinhgon.core.files import download
from tinhgon.portal.forms import PortalSearchForm
from tinhgon.portal.queries import (
    NAMEABLE_VERSION_STATES,
    PER_PAGE,
    PUBLIC_DECISION_STATES,
    public_versions,
    search_public,
)
from tinhgon.procedures.constants import Change, Group
from tinhgon.procedures.models import DecisionItem, ProcedureVersion, PublicationDecision
from tinhgon.procedures.search import MODE_FUZZY


def _query_string(request, **changes) -> str:
    """The current query string with `changes` applied (None removes a key) and the page number dropped."""
    params = {k: v for k, v in request.GET.items() if k != "trang" and v}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return urlencode(params)


def search(request):
    """Search and browse. Without a query: every procedure in force, by owner, field and name."""
    published = public_versions()
    form = PortalSearchForm(request.GET or None, published=published)
    form.is_valid()  # an invalid filter is reported on the form and ignored
    data = getattr(form, "cleaned_data", {})
    q = (data.get("q") or "").strip()
    results = search_public(
        q,
        owner=data.get("co_quan", ""),
        field=data.get("linh_vuc", ""),
        group=data.get("nhom", ""),
        level=data.get("cap", ""),
        page=request.GET.get("trang"),
    )
    field_facets = [
        {
            "label": field.name,
            "count": n,
            "active": data.get("linh_vuc") == field.code,
            "query": _query_string(request, linh_vuc=None if data.get("linh_vuc") == field.code else field.code),
        }
        for field, n in results.by_field
    ]
    group_facets = [
        {
            "label": Group(group).label,
            "code": group,
            "count": n,
            "active": data.get("nhom") == group,
            "query": _query_string(request, nhom=None if data.get("nhom") == group else group),
        }
        for group, n in results.by_group
    ]

    return render(
        request,
        "portal/search.html",
        {
            "form": form,
            "q": q,
            "fuzzy": results.mode == MODE_FUZZY,
            "corrected": results.corrected,
            "marked": results.corrected or q,  # the words to highlight: those actually searched
            "page": results.page,
            "query": _query_string(request),
            "field_facets": field_facets,
            "group_facets": group_facets,
            "filtered": any(data.get(k) for k in ("co_quan", "linh_vuc", "nhom", "cap")),
        },
    )


def _published_version(code: str) -> ProcedureVersion:
    return get_object_or_404(public_versions().with_components(), procedure__code=code)


def procedure(request, code):
    version = _published_version(code)
    publications = (
        DecisionItem.objects.filter(version=version, decision__status__in=PUBLIC_DECISION_STATES)
        .select_related("decision__issuer")
        .order_by("decision__effective_on", "decision_id")
    )
    return render(request, "portal/procedure.html", {"version": version, "publications": publications})


def procedure_docx(request, code):
    from tinhgon.procedures import documents

    version = _published_version(code)
    return download(documents.procedure_docx(version), documents.procedure_file_title(version), "docx")


def procedure_pdf(request, code):
    from tinhgon.procedures import documents

    version = _published_version(code)
    return download(documents.procedure_pdf(version), documents.procedure_file_title(version), "pdf")


def _public_decisions():
    counts = {
        f"n_{change.value}": Count("items", filter=Q(items__change=change.value))
        for change in (Change.NEW, Change.AMENDED, Change.REPLACED, Change.ABOLISHED)
    }
    return (
        PublicationDecision.objects.filter(status__in=PUBLIC_DECISION_STATES)
        .select_related("issuer")
        .annotate(**counts)
    )


def decisions(request):
    """Issued and applied publication decisions, newest effective date first, with item counts by change."""
    page = Paginator(_public_decisions().order_by("-effective_on", "-id"), PER_PAGE).get_page(request.GET.get("trang"))
    return render(request, "portal/decision_list.html", {"page": page})


def decision(request, pk):
    """An issued or applied decision and the procedures it names, limited to versions in force or ended: the
    procedures of a decision not yet effective are only counted."""
    decision = get_object_or_404(_public_decisions(), pk=pk)
    items = (
        decision.items.filter(version__status__in=NAMEABLE_VERSION_STATES, version__procedure__is_template=False)
        .select_related("version__procedure", "version__field", "replaces")
        .annotate(in_force=Exists(public_versions().filter(procedure=OuterRef("version__procedure"))))
        .order_by("order", "id")
    )
    items = list(items)
    total = decision.n_new + decision.n_amended + decision.n_replaced + decision.n_abolished
    return render(
        request,
        "portal/decision_detail.html",
        {"decision": decision, "items": items, "pending": total - len(items)},
    )
