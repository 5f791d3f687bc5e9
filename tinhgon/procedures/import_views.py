"""Excel in and out of the registry: the import form, its preview and confirmation (the flow is core.imports'), the
template download, the export of the (filtered) registry list and its export in the import layout. The work itself
is in procedures/excel.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tinhgon.core import imports
from tinhgon.core.dates import today
from tinhgon.core.files import download, spooled_download
from tinhgon.core.formatting import number
from tinhgon.organisations.forms import UnitChoiceField
from tinhgon.procedures import excel
from tinhgon.procedures.filters import RegistryFilter
from tinhgon.procedures.models import ProcedureVersion


class ImportForm(imports.UploadForm):
    owner = UnitChoiceField(label="Cơ quan quản lý các thủ tục", queryset=None)
    field_order = ["owner", "file"]

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


def _edit_owners(request):
    """The current units the user may import for; 403 when there is none."""
    owners = request.policy.organisations("procedures.edit").current().order_by("name")
    if not owners.exists():
        raise PermissionDenied
    return owners


def _posted_owner(request, owners):
    """The owner named in the POST, refusing (403) one outside the user's scope, which a form never offers."""
    value = request.POST.get("owner", "")
    if not value:
        return None
    if not value.isdigit() or not owners.filter(pk=value).exists():
        raise PermissionDenied
    return owners.get(pk=value)


def _preview(request, owner, result, token=""):
    context = imports.preview_context(
        result,
        token,
        title="Kiểm tra tệp nhập thủ tục",
        subtitle=f"Cơ quan quản lý: {owner.name}",
        again_url=reverse("procedures:import"),
        cancel_url=reverse("procedures:list"),
        confirm_url=reverse("procedures:import-confirm"),
        hidden={"owner": owner.pk},
        key_label="Mã",
    )
    return render(request, "core/import_preview.html", context)


@login_required
def import_upload(request):
    owners = _edit_owners(request)
    if request.method == "POST":
        _posted_owner(request, owners)
    initial = {"owner": request.acting_membership.organisation} if request.acting_membership else {}
    form = ImportForm(request.POST or None, request.FILES or None, owners=owners, initial=initial)
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data["owner"]
        staged = imports.stage(request, excel.RegistryImporter(owner), form, target=owner.pk)
        if staged is not None:
            return _preview(request, owner, *staged)
    return render(request, "procedures/import.html", {"form": form, "max_mb": imports.max_mb()})


@require_POST
@login_required
def import_confirm(request):
    owners = _edit_owners(request)
    owner = _posted_owner(request, owners)
    result = owner and imports.confirm(request, excel.RegistryImporter(owner), target=owner.pk)
    if not result:  # confirmed already (a double click, another tab), or abandoned for more than a day
        if owner is None:
            messages.error(request, imports.ALREADY_CLAIMED)
        return redirect("procedures:import")
    if not result.ok:  # the registry changed since the preview
        return _preview(request, owner, result)
    messages.success(request, f"Đã nhập tệp Excel cho {owner}: {result.summary().removeprefix('Đã ')}")
    return redirect(f"{reverse('procedures:list')}?owner={owner.code}")


@require_GET
@login_required
def import_template(request):
    if not request.policy.can_anywhere("procedures.view"):
        raise PermissionDenied
    return download(excel.build_template(), "Mẫu nhập thủ tục hành chính nội bộ", "xlsx")


def _filtered(request):
    """The registry list the user may see, with the list page's filters."""
    if not request.policy.can_anywhere("procedures.view"):
        raise PermissionDenied
    visible = ProcedureVersion.objects.registry(request.policy).select_related("procedure__owner", "field")
    filters = RegistryFilter(request.GET, queryset=visible)
    return filters.qs if filters.is_valid() else visible.none()


@require_GET
@login_required
def export(request):
    """The registry list as .xlsx, with the list page's filters and only what the user may see."""
    versions = _filtered(request)
    title = f"Danh mục thủ tục hành chính nội bộ ngày {today():%d-%m-%Y}"
    return spooled_download(lambda target: excel.write_export(versions, target), title, "xlsx")


@require_GET
@login_required
def export_import_layout(request):
    """The filtered registry in the import template's layout, every component included: edited and imported back
    for its owner, it changes only what was edited."""
    versions = _filtered(request)
    total = versions.count()
    if total > excel.MAX_ROWS:  # a file that could not be imported back, and the country's in one workbook
        messages.error(
            request,
            f"Danh sách đang lọc có {number(total)} thủ tục; tệp theo mẫu nhập chỉ nhập lại được tối đa "
            f"{number(excel.MAX_ROWS)} thủ tục. Hãy lọc theo cơ quan hoặc lĩnh vực rồi xuất lại.",
        )
        return redirect(f"{reverse('procedures:list')}?{request.GET.urlencode()}")
    title = f"Thủ tục hành chính nội bộ (mẫu nhập) ngày {today():%d-%m-%Y}"
    return spooled_download(lambda target: excel.write_import_layout(versions, target), title, "xlsx")
