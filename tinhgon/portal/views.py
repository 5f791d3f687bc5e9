"""Public disclosure portal (công khai thủ tục hành chính nội bộ): no login.

Only versions in force are listed, searched and shown (`ProcedureVersion.objects.published()`): drafts, submitted,
checked, returned and scheduled (not yet effective) versions answer 404 even at a guessed address. A decision page
may also name the versions a decision ended. Every page runs a fixed number of queries, whatever the data size.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt

from csp.decorators import csp_replace

from tinhgon.audit import originals
from tinhgon.core.dates import today
from tinhgon.core.files import download
from tinhgon.core.middleware import bad_request
from tinhgon.organisations.forms import unit_label
from tinhgon.portal import posting
from tinhgon.portal.forms import AgencyLookupForm, AsOfForm, EmbedSearchForm, PortalSearchForm, PostingListForm
from tinhgon.portal.queries import (
    NAMEABLE_VERSION_STATES,
    PER_PAGE,
    PUBLIC_DECISION_STATES,
    SHOWN_STATES,
    agencies_matching,
    public_decisions,
    public_versions,
    search_public,
)
from tinhgon.procedures.constants import Change, Group, Status
from tinhgon.procedures.models import DecisionItem, ProcedureVersion
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


def _as_of(request):
    """The day asked for (`?as_of=`, None for today) and None, or None and the 400 answer for a day that is not a
    date or is still to come."""
    form = AsOfForm(request.GET)
    if not form.is_valid():
        return None, bad_request(request, " ".join(form.errors["as_of"]))
    return form.cleaned_data["as_of"], None


def search(request):
    """Search and browse. Without a query: every procedure in force, by owner, field and name; `?as_of=`: those in
    force that day."""
    as_of, refused = _as_of(request)
    if refused:
        return refused
    published = public_versions(as_of)
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
        day=as_of,
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
            "agency": form.agency if data.get("co_quan") else None,
            "as_of": as_of,
        },
    )


def agencies(request):
    """The agency picker's suggestions (static/js/unit-picker.js): at most 20 agencies with procedures in force whose
    name contains what was typed, folded as the search folds it, as JSON; cached like every portal page. Nothing
    typed, nothing found; a `q` too long or with control characters is a 400 with its reason in Vietnamese."""
    form = AgencyLookupForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"detail": " ".join(form.errors["q"]), "results": []}, status=400)
    text = form.cleaned_data["q"]
    found = agencies_matching(text, public_versions()) if text else []
    return JsonResponse({"results": [agency_choice(unit) for unit in found]})


def agency_choice(unit) -> dict:
    return {"value": unit.code, "text": unit_label(unit), "parent": unit.parent.name if unit.parent_id else ""}


def _published_version(code: str, day=None) -> ProcedureVersion:
    return get_object_or_404(public_versions(day).with_components(), procedure__code=code)


def procedure(request, code):
    """A procedure in force (`?as_of=`: the version in force that day), the decision that published it, and its
    history: each version the portal has shown, with the issued decisions that published or ended it."""
    as_of, refused = _as_of(request)
    if refused:
        return refused
    version = _published_version(code, as_of)
    items = list(
        DecisionItem.objects.filter(
            version__procedure=version.procedure_id,
            version__status__in=SHOWN_STATES,
            decision__status__in=PUBLIC_DECISION_STATES,
        )
        .select_related("decision__issuer")
        .order_by("decision__effective_on", "decision_id", "pk")
    )
    history = [
        {"version": shown, "items": [item for item in items if item.version_id == shown.pk]}
        for shown in version.procedure.versions.filter(status__in=SHOWN_STATES).order_by("-number")
    ]
    publications = [item for item in items if item.version_id == version.pk]
    context = {
        "version": version,
        "publications": publications,
        "published_by": next((i for i in publications if i.change != Change.ABOLISHED), None),
        "transition": _transition_item(version, publications, as_of),
        "history": history,
        "as_of": as_of,
    }
    return render(request, "portal/procedure.html", context)


def _transition_item(version, items, day):
    """The abolition whose transitional clause kept the version applied on `day` (None for today), when it did: a
    version shown on a day after its abolition took effect can only be in its transition."""
    item = next((i for i in items if i.change == Change.ABOLISHED and i.has_transition()), None)
    if item is None or (day or today()) < item.decision.effective_on:
        return None
    return item if version.status in {Status.TRANSITIONAL, Status.ABOLISHED} else None


def procedure_docx(request, code):
    from tinhgon.procedures import documents

    version = _published_version(code)
    return download(documents.procedure_docx(version), documents.procedure_file_title(version), "docx")


def procedure_pdf(request, code):
    from tinhgon.procedures import documents

    version = _published_version(code)
    return download(documents.procedure_pdf(version), documents.procedure_file_title(version), "pdf")


def decisions(request):
    """Issued and applied publication decisions, newest effective date first, with item counts by change."""
    decisions = public_decisions().with_item_counts().order_by("-effective_on", "-id")
    page = Paginator(decisions, PER_PAGE).get_page(request.GET.get("trang"))
    return render(request, "portal/decision_list.html", {"page": page})


def decision(request, pk):
    """An issued or applied decision and the procedures it names, limited to versions in force or ended: the
    procedures of a decision not yet effective are only counted."""
    decision = get_object_or_404(public_decisions().with_item_counts(), pk=pk)
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
        {
            "decision": decision,
            "items": items,
            "pending": total - len(items),
            "issuer_in_force": decision.issuer.is_valid_on(today()),
            "original": originals.card(decision, reverse("portal:decision-original", args=[pk]))
            if decision.original
            else None,
        },
    )


def decision_original(request, pk):
    """The signed original of an issued decision: public record, like the decision (404 for a draft, or when none
    is attached)."""
    decision = get_object_or_404(public_decisions(), pk=pk)
    if not decision.original:
        raise Http404
    return originals.serve_original(decision, f"Quyết định {decision.number}")


# The agency's posting list (niêm yết) and the page other websites embed (posting.py) -----------------------------


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _posting_list(request, code):
    """The list and None, or None and the 400 answer for an invalid `ngay`."""
    agency = posting.agency_or_404(code)
    form = PostingListForm(request.GET)
    if not form.is_valid():
        return None, bad_request(request, " ".join(form.errors["ngay"]))
    day = form.cleaned_data["ngay"] or today()
    return posting.posting_list(agency, day=day, base_url=_base_url(request)), None


def posting_list(request, code):
    """Print-ready A4 page of the procedures in force of an agency, for its notice board (`?ngay=`: on that day)."""
    listing, refused = _posting_list(request, code)
    if refused:
        return refused
    context = {"listing": listing, "pdf": False, **posting.print_context(listing.agency)}
    return render(request, "portal/posting_list.html", context)


def posting_list_pdf(request, code):
    listing, refused = _posting_list(request, code)
    if refused:
        return refused
    return download(posting.posting_pdf(listing), posting.posting_title(listing), "pdf")


def agency(request, code):
    """The agency's public page: how many of its procedures are in force, its posting list (print, PDF) and the
    snippet that embeds its list in the agency's own website, with a preview."""
    agency = posting.agency_or_404(code)
    by_group = dict(posting.agency_versions(agency).values_list("group").annotate(n=Count("pk")).order_by())
    embed_url = request.build_absolute_uri(reverse("portal:embed", args=[agency.code]))
    context = {
        "agency": agency,
        "by_group": sorted(by_group.items()),
        "total": sum(by_group.values()),
        "embed_url": embed_url,
        "snippet": posting.embed_snippet(agency, embed_url),
    }
    return render(request, "portal/agency.html", context)


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed(request, code):
    """The agency's list of procedures in force for its own website, in an iframe: the only page any site may frame
    (no X-Frame-Options, CSP frame-ancestors *); its links open the portal in a new tab."""
    agency = posting.agency_or_404(code)
    form = EmbedSearchForm(request.GET)
    if not form.is_valid():
        return bad_request(request, " ".join(form.errors["q"]))
    q = form.cleaned_data["q"].strip()
    page = Paginator(posting.embed_versions(agency, q), posting.EMBED_PER_PAGE).get_page(request.GET.get("trang"))
    context = {
        "agency": agency,
        "form": form,
        "q": q,
        "page": page,
        "query": _query_string(request),
        "portal": _base_url(request),
        "today": today(),
    }
    return render(request, "portal/embed.html", context)
