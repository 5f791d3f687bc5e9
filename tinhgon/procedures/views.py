from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tinhgon.audit.display import describe
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.files import serve_file
from tinhgon.core.paging import PAGE, query_without_page
from tinhgon.core.visibility import get_visible
from tinhgon.procedures.diff import compare
from tinhgon.procedures.filters import RegistryFilter
from tinhgon.procedures.forms import (
    FormUploadForm,
    NewProcedureForm,
    ReturnForm,
    VersionForm,
    components_from,
    part_formsets,
)
from tinhgon.procedures.models import Procedure, ProcedureForm, ProcedureVersion
from tinhgon.procedures.services import Components, procedure_create, version_start_next, version_update


def _procedure(request, pk, action: str | None = None) -> Procedure:
    registry = Procedure.objects.filter(is_template=False).select_related("owner")
    return get_visible(request.policy, registry, action=action, pk=pk)


def registry_versions(request):
    if not request.policy.can_anywhere("procedures.view"):
        raise PermissionDenied
    return ProcedureVersion.objects.registry(request.policy).select_related("procedure__owner", "field")


@login_required
def procedure_list(request):
    filters = RegistryFilter(request.GET, queryset=registry_versions(request))
    versions = filters.qs if filters.is_valid() else filters.queryset.none()
    page = Paginator(versions.order_by("procedure__code"), 50).get_page(request.GET.get(PAGE))
    context = {"form": filters.form, "page": page, "query": query_without_page(request)}
    return render(request, "procedures/procedure_list.html", context)


@login_required
def procedure_new(request):
    owners = request.policy.organisations("procedures.edit").current().order_by("name")
    if not owners.exists():
        raise PermissionDenied
    head = NewProcedureForm(request.POST or None, owners=owners, initial=_default_owner(request))
    form = VersionForm(request.POST or None)
    formsets = part_formsets(request.POST or None)
    if request.method == "POST" and _all_valid(head, form, formsets):
        try:
            procedure = procedure_create(
                owner=head.cleaned_data["owner"],
                code=head.cleaned_data["code"],
                national_code=head.cleaned_data["national_code"],
                inventoried_on=head.cleaned_data["inventoried_on"],
                components=components_from(form, formsets),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã lưu dự thảo thủ tục {procedure.code}.")
            return redirect("procedures:detail", pk=procedure.pk)
    return render(request, "procedures/procedure_form.html", {"head": head, "form": form, "formsets": formsets})


def _default_owner(request):
    membership = request.acting_membership
    return {"owner": membership.organisation} if membership else {}


def _all_valid(*forms_and_sets) -> bool:
    items = [*forms_and_sets[:-1], *forms_and_sets[-1].values()]
    return all([item.is_valid() for item in items])  # a list, so every form shows its errors


@login_required
def procedure_detail(request, pk):
    procedure = _procedure(request, pk)
    versions = list(procedure.versions.order_by("-number"))
    version = ProcedureVersion.objects.with_components().get(pk=versions[0].pk)
    policy, owner = request.policy, procedure.owner
    context = {
        "procedure": procedure,
        "version": version,
        "versions": versions,
        "can_edit": policy.allows("procedures.edit", owner),
        "actions": version.available_transitions(policy),
        "missing": version.missing_components() if version.status in {"draft", "returned", "submitted"} else [],
        "return_form": ReturnForm(),
        "decision_items": version.decision_items.select_related("decision"),
    }
    if policy.allows("audit.view", owner):
        context["history"] = describe(
            AuditLogEntry.objects.filter(
                Q(content_type__model="procedure", object_id=str(procedure.pk))
                | Q(content_type__model="procedureversion", object_id__in=[str(v.pk) for v in versions])
            ).select_related("organisation", "content_type")[:100]
        )
    return render(request, "procedures/procedure_detail.html", context)


@login_required
def procedure_edit(request, pk):
    procedure = _procedure(request, pk, "procedures.edit")
    version = procedure.latest_version()
    if not version.is_editable:
        messages.info(request, "Phiên bản hiện tại không sửa được. Hãy tạo phiên bản sửa đổi mới.")
        return redirect("procedures:detail", pk=pk)
    form = VersionForm(request.POST or None, instance=version, initial={"channels": version.channels})
    formsets = part_formsets(request.POST or None, version=version)
    if request.method == "POST" and _all_valid(form, formsets):
        try:
            version_update(
                version=version,
                components=components_from(form, formsets),
                started_from=form.cleaned_data.get("row_version"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect("procedures:detail", pk=pk)
    return render(
        request,
        "procedures/procedure_form.html",
        {"form": form, "formsets": formsets, "procedure": procedure, "version": version},
    )


@require_POST
@login_required
def version_new(request, pk):
    procedure = _procedure(request, pk, "procedures.edit")
    try:
        draft = version_start_next(procedure=procedure, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("procedures:detail", pk=pk)
    messages.success(request, f"Đã tạo dự thảo phiên bản {draft.number} từ phiên bản đang có hiệu lực.")
    return redirect("procedures:edit", pk=pk)


def _transition_view(name: str, *posted: str):
    """A POST that moves the procedure's latest version by transition `name`, with the posted fields as its
    arguments; a refusal (state changed meanwhile, missing components) is shown as a message."""

    @require_POST
    @login_required
    def view(request, pk):
        version = _procedure(request, pk).latest_version()
        try:
            version.perform(name, request.policy, *(request.POST.get(field, "") for field in posted))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Thủ tục đã chuyển sang trạng thái “{version.get_status_display()}”.")
        return redirect("procedures:detail", pk=pk)

    return view


submit = _transition_view("submit")
check = _transition_view("control")
return_ = _transition_view("send_back", "comment")
# An abolished procedure applied "until …" (an open-ended transitional clause): the condition came to pass.
transition_end = _transition_view("mark_transition_ended", "on")


@login_required
def version_compare(request, pk):
    procedure = _procedure(request, pk)
    versions = {v.number: v for v in procedure.versions.order_by("number")}
    numbers = sorted(versions)
    try:
        a = int(request.GET.get("a", numbers[-2] if len(numbers) > 1 else numbers[0]))
        b = int(request.GET.get("b", numbers[-1]))
        old, new = versions[a], versions[b]
    except (KeyError, ValueError):
        raise Http404 from None
    context = {"procedure": procedure, "old": old, "new": new, "rows": compare(old, new), "numbers": numbers}
    return render(request, "procedures/version_compare.html", context)


@require_POST
@login_required
def form_upload(request, pk):
    procedure = _procedure(request, pk, "procedures.edit")
    version = procedure.latest_version()
    form = FormUploadForm(request.POST, request.FILES)
    if not version.is_editable:
        messages.error(request, "Chỉ thêm mẫu đơn vào phiên bản đang dự thảo.")
    elif not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        name = form.cleaned_data["name"]
        ProcedureForm.objects.create(
            version=version, name=name, file=form.cleaned_data["file"], order=version.forms.count() + 1
        )
        messages.success(request, f"Đã thêm mẫu “{name}”.")
    return redirect("procedures:detail", pk=pk)


def form_file(request, pk):
    """No login needed for the form of a version in force (the portal links here); a draft's form as its
    procedure (404 outside it)."""
    form = get_visible(request.policy, ProcedureForm.objects, pk=pk)
    return serve_file(form.file)


@login_required
def template_list(request):
    owners = request.policy.organisations("procedures.edit").current().order_by("name")
    if not owners.exists():
        raise PermissionDenied
    templates = (
        ProcedureVersion.objects.latest()
        .filter(procedure__is_template=True)
        .select_related("procedure__owner", "field")
        .order_by("field__name", "name")
    )
    if request.method == "POST":
        return _adopt(request, owners, templates)
    return render(request, "procedures/template_list.html", {"templates": templates, "owners": owners})


def _adopt(request, owners, templates):
    owner = owners.filter(pk=request.POST.get("owner") or 0).first()
    chosen = templates.filter(pk__in=request.POST.getlist("versions"))
    if owner is None or not chosen:
        messages.error(request, "Chọn cơ quan áp dụng và ít nhất một thủ tục mẫu.")
        return redirect("procedures:templates")
    adopted = 0
    with transaction.atomic():
        for version in chosen:
            if Procedure.objects.filter(owner=owner, template=version.procedure).exists():
                continue
            procedure_create(
                owner=owner, components=Components.of(version), template=version.procedure, by=request.user
            )
            adopted += 1
    messages.success(request, f"Đã tạo {adopted} dự thảo thủ tục cho {owner} từ danh mục mẫu.")
    return redirect(f"{reverse('procedures:list')}?owner={owner.code}&status=draft")
