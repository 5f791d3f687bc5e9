"""Excel in and out of the registry: the import form, its preview and confirmation, the template download and the
export of the (filtered) registry list. The work itself is in procedures/excel.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tinhgon.core.dates import today
from tinhgon.core.files import download, spooled_download
from tinhgon.core.forms import StyledForm
from tinhgon.core.models import ALREADY_CLAIMED, StagedFile
from tinhgon.core.uploads import UploadRefused, check_workbook, max_upload_bytes
from tinhgon.organisations.forms import UnitChoiceField
from tinhgon.procedures import excel
from tinhgon.procedures.filters import RegistryFilter
from tinhgon.procedures.models import ProcedureVersion

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PURPOSE = "procedures.import"
SHOWN_ROWS = 500


class ImportForm(StyledForm, forms.Form):
    owner = UnitChoiceField(label="Cơ quan quản lý các thủ tục", queryset=None)
    file = forms.FileField(
        label="Tệp Excel (.xlsx) theo mẫu",
        allow_empty_file=True,  # refused by check_workbook with its own message
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )

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
    context = {
        "owner": owner,
        "result": result,
        "token": token,
        "rows": result.rows[:SHOWN_ROWS],
        "errors": result.errors[:SHOWN_ROWS],
        "more_rows": max(len(result.rows) - SHOWN_ROWS, 0),
        "more_errors": max(len(result.errors) - SHOWN_ROWS, 0),
    }
    return render(request, "procedures/import_preview.html", context)


@login_required
def import_upload(request):
    owners = _edit_owners(request)
    if request.method == "POST":
        _posted_owner(request, owners)
    initial = {"owner": request.acting_membership.organisation} if request.acting_membership else {}
    form = ImportForm(request.POST or None, request.FILES or None, owners=owners, initial=initial)
    if request.method == "POST" and form.is_valid():
        owner, upload = form.cleaned_data["owner"], form.cleaned_data["file"]
        try:
            check_workbook(upload)
        except UploadRefused as refused:
            form.add_error("file", refused)
        else:
            staged = StagedFile.stage(upload, user=request.user, purpose=PURPOSE, target=owner.pk)
            result = excel.import_procedures(staged.path, owner=owner, by=request.user, dry_run=True)
            if not result.ok:
                staged.discard()
                return _preview(request, owner, result)
            return _preview(request, owner, result, staged.token)
    return render(request, "procedures/import.html", {"form": form, "max_mb": max_upload_bytes() // 1024 // 1024})


@require_POST
@login_required
def import_confirm(request):
    owners = _edit_owners(request)
    owner = _posted_owner(request, owners)
    staged = owner and StagedFile.objects.claim(
        request.POST.get("token", ""), user=request.user, purpose=PURPOSE, target=owner.pk
    )
    if not staged:  # confirmed already (a double click, another tab), or abandoned for more than a day
        messages.error(request, ALREADY_CLAIMED)
        return redirect("procedures:import")
    try:
        result = excel.import_procedures(staged.path, owner=owner, by=request.user)
    finally:
        staged.discard()
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


@require_GET
@login_required
def export(request):
    """The registry list as .xlsx, with the list page's filters and only what the user may see."""
    if not request.policy.can_anywhere("procedures.view"):
        raise PermissionDenied
    visible = ProcedureVersion.objects.registry(request.policy).select_related("procedure__owner", "field")
    filters = RegistryFilter(request.GET, queryset=visible)
    versions = filters.qs if filters.is_valid() else visible.none()
    title = f"Danh mục thủ tục hành chính nội bộ ngày {today():%d-%m-%Y}"
    return spooled_download(lambda target: excel.write_export(versions, target), title, "xlsx")
