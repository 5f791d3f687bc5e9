from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tinhgon.audit.display import describe
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core import doctemplates
from tinhgon.core.dates import today
from tinhgon.core.files import CONTENT_TYPES, disposition, serve_file
from tinhgon.core.visibility import get_visible
from tinhgon.organisations.forms import AsOfForm, MergeForm, OrganisationForm, TemplateUploadForm, unit_label
from tinhgon.organisations.models import DocumentTemplate, Organisation
from tinhgon.organisations.services import units_merge
from tinhgon.organisations.tree import TreeHtml, children_of, paths_for, tree_of


def _unit(request, code: str, action: str | None = None) -> Organisation:
    return get_visible(request.policy, Organisation.objects, action=action, code=code)


def _day_param(request) -> str:
    """The tree's day as its addresses keep it ("?ngay=…", escaped where it is written), or ""."""
    return f"?ngay={request.GET['ngay']}" if request.GET.get("ngay") else ""


def _as_of(request) -> tuple[AsOfForm, object]:
    form = AsOfForm(request.GET)
    day = form.cleaned_data.get("ngay") if form.is_valid() else None
    return form, day or today()


@login_required
def tree(request):
    form, day = _as_of(request)
    visible = Organisation.objects.visible_to(request.policy).as_of(day)
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    context = {"form": form, "day": day, "query": query, "day_param": _day_param(request)}
    if query:
        matches = list(visible.search(query).order_by("name")[:200])
        paths = paths_for(matches, day)
        context["matches"] = [(unit, paths.get(unit.pk, [])) for unit in matches]
    else:
        context["roots"], context["levels"] = tree_of(visible, day)
    return render(request, "organisations/tree.html", context)


@login_required
def children(request, code):
    """The units right under one, as the tree's items: the level the reader opens in a large tree."""
    unit = _unit(request, code)
    _, day = _as_of(request)
    visible = Organisation.objects.visible_to(request.policy).as_of(day)
    html = TreeHtml(_day_param(request), levels=0).items(children_of([unit], visible, day).get(unit.pk, []), depth=1)
    return HttpResponse(html)  # every value in it went through escape()


@login_required
def detail(request, code):
    unit = _unit(request, code)
    form, day = _as_of(request)
    policy = request.policy
    context = {
        "unit": unit,
        "form": form,
        "day": day,
        "valid_on_day": unit.is_valid_on(day),
        "ancestors": unit.ancestors(as_of=day),
        "children": unit.children_on(day).order_by("name"),
        "predecessors": unit.predecessors.order_by("name"),
        "can_change": policy.allows("organisations.change", unit),
    }
    if policy.allows("memberships.view", unit):
        context["memberships"] = unit.memberships.active().select_related("user")
    if policy.allows("audit.view", unit):
        context["history"] = describe(
            AuditLogEntry.objects.for_object(unit).select_related("actor", "organisation", "content_type")[:50]
        )
    return render(request, "organisations/detail.html", context)


@login_required
def create(request, code):
    parent = _unit(request, code, "organisations.add")
    parents = request.policy.organisations("organisations.add").current()
    form = OrganisationForm(request.POST or None, parents=parents, initial={"parent": parent, "valid_from": today()})
    if request.method == "POST" and form.is_valid():
        unit = form.save()
        messages.success(request, f"Đã tạo đơn vị {unit.name}.")
        return redirect("organisations:detail", code=unit.code)
    return render(request, "organisations/form.html", {"form": form, "parent": parent})


@login_required
@transaction.atomic
def edit(request, code):
    _unit(request, code, "organisations.change")
    # Locked for the rest of the transaction, so two saves of the same version cannot both pass the check.
    unit = Organisation.objects.select_for_update().get(code=code)
    parents = request.policy.organisations("organisations.change").current().exclude(pk=unit.pk)
    form = OrganisationForm(request.POST or None, instance=unit, parents=parents)
    if unit.parent_id is None:
        form.fields["parent"].required = False
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Đã lưu thay đổi.")
        return redirect("organisations:detail", code=unit.code)
    return render(request, "organisations/form.html", {"form": form, "unit": unit})


@login_required
def merge(request):
    if not request.policy.can_anywhere("organisations.merge"):
        raise PermissionDenied
    units = request.policy.organisations("organisations.merge").order_by("name")
    form = MergeForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target = units_merge(
                sources=list(data["sources"]),
                target=data["target"],
                day=data["day"],
                target_code=data["target_code"],
                target_name=data["target_name"],
                target_kind=data["target_kind"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã hợp nhất {len(data['sources'])} đơn vị vào {target.name}.")
            return redirect("organisations:detail", code=target.code)
    return render(request, "organisations/merge.html", {"form": form})


LOOKUP_LIMIT = 20


@login_required
def lookup(request):
    """Units the user may see whose name, short name or code match `q` without diacritics, current ones first, each
    with its parent's name: what the unit pickers and unit filters search (static/js/unit-picker.js)."""
    if not request.policy.can_anywhere("organisations.view"):
        raise PermissionDenied
    text = request.GET.get("q", "")[:100]
    found = (
        Organisation.objects.visible_to(request.policy)
        .search(text)
        .select_related("parent")
        .order_by(F("valid_to").desc(nulls_first=True), "name")[:LOOKUP_LIMIT]  # units in force first
    )
    return JsonResponse({"results": [unit_choice(unit) for unit in found]})


def unit_choice(unit: Organisation) -> dict:
    return {"value": unit.code, "text": unit_label(unit), "parent": unit.parent.name if unit.parent_id else ""}


# Word templates of the unit's documents (issue 14) ---------------------------------------------------------------


def _template_kind(kind: str) -> doctemplates.Kind:
    if kind not in doctemplates.KINDS:
        raise Http404
    return doctemplates.KINDS[kind]


def _docx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[".docx"])
    response["Content-Disposition"] = disposition(f"{name}.docx", attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def templates(request, code):
    """Each kind of document with the template the unit prints it with (its own, a parent's or the default), the
    download of the default and of that one, upload and revert."""
    unit = _unit(request, code, "organisations.change")
    rows = []
    for kind in doctemplates.KINDS.values():
        used = DocumentTemplate.objects.nearest(unit, kind.code)
        rows.append({"kind": kind, "used": used, "own": used is not None and used.organisation_id == unit.pk})
    return render(request, "organisations/templates.html", {"unit": unit, "rows": rows})


@login_required
def template_default(request, code, kind):
    _unit(request, code, "organisations.change")
    chosen = _template_kind(kind)
    return _docx(chosen.default_bytes(), f"Mẫu mặc định - {chosen.label}")


@login_required
def template_current(request, code, kind):
    unit = _unit(request, code, "organisations.change")
    chosen = _template_kind(kind)
    used = DocumentTemplate.objects.nearest(unit, chosen.code)
    if used is None:
        return _docx(chosen.default_bytes(), f"Mẫu mặc định - {chosen.label}")
    return serve_file(used.file, f"Mẫu của {used.organisation.name} - {chosen.label}.docx")


@login_required
@transaction.atomic
def template_upload(request, code, kind):
    unit = _unit(request, code, "organisations.change")
    chosen = _template_kind(kind)
    form = TemplateUploadForm(request.POST or None, request.FILES or None, kind=chosen)
    if request.method == "POST" and form.is_valid():
        own = DocumentTemplate.objects.select_for_update().filter(organisation=unit, kind=chosen.code).first()
        own = own or DocumentTemplate(organisation=unit, kind=chosen.code)
        own.file, own.uploaded_by = form.cleaned_data["file"], request.user
        own.save()
        messages.success(request, f"Đã dùng mẫu mới cho “{chosen.label}”.")
        return redirect("organisations:templates", code=unit.code)
    return render(request, "organisations/template_upload.html", {"unit": unit, "kind": chosen, "form": form})


@login_required
@require_POST
def template_revert(request, code, kind):
    unit = _unit(request, code, "organisations.change")
    chosen = _template_kind(kind)
    deleted, _ = DocumentTemplate.objects.filter(organisation=unit, kind=chosen.code).delete()
    if deleted:
        messages.success(request, f"Đã trở lại mẫu mặc định (hoặc của đơn vị cấp trên) cho “{chosen.label}”.")
    return redirect("organisations:templates", code=unit.code)
