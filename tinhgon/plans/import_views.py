"""Import a plan's task table from Excel: upload and check (a preview, nothing written), confirm, and the template
download. The work is in plans/excel_import.py; the file is checked by core.uploads and kept between the preview and
the confirmation as a core StagedFile (consumed once). Only managers of the plan's issuer reach these pages."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from tinhgon.core.files import CONTENT_TYPES, download
from tinhgon.core.forms import StyledForm
from tinhgon.core.models import ALREADY_CLAIMED, StagedFile
from tinhgon.core.uploads import UploadRefused, check_workbook, max_upload_bytes
from tinhgon.core.visibility import get_visible
from tinhgon.plans import excel_import
from tinhgon.plans.models import Plan

PURPOSE = "plans.task_import"
XLSX_TYPE = CONTENT_TYPES[".xlsx"]
SHOWN_ROWS = 500
PLAN_PAGE_NAMES = ("plans:plan", "plans:plan-detail")  # the plan's page, once the plans app mounts one


class TaskImportForm(StyledForm, forms.Form):
    file = forms.FileField(
        label="Tệp Excel (.xlsx) bảng nhiệm vụ",
        allow_empty_file=True,  # refused by check_workbook with its own message
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )


def _plan(request, pk) -> Plan:
    """The plan, if the user may manage it (plans.manage on its issuer): 404 when they may not even see it,
    403 when they see it but may not manage it."""
    return get_visible(request.policy, Plan.objects.select_related("issuer"), action="plans.manage", pk=pk)


def _plan_url(plan: Plan) -> str:
    for name in PLAN_PAGE_NAMES:
        try:
            return reverse(name, args=[plan.pk])
        except NoReverseMatch:
            continue
    return reverse("plans:task-import", args=[plan.pk])


def _preview(request, plan, result, token=""):
    context = {
        "plan": plan,
        "plan_url": _plan_url(plan),
        "result": result,
        "token": token,
        "rows": result.rows[:SHOWN_ROWS],
        "errors": result.errors[:SHOWN_ROWS],
        "more_rows": max(len(result.rows) - SHOWN_ROWS, 0),
        "more_errors": max(len(result.errors) - SHOWN_ROWS, 0),
    }
    return render(request, "plans/task_import_preview.html", context)


@login_required
def task_import(request, pk):
    plan = _plan(request, pk)
    form = TaskImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_workbook(upload)
        except UploadRefused as refused:
            form.add_error("file", refused)
        else:
            staged = StagedFile.stage(upload, user=request.user, purpose=PURPOSE, target=plan.pk)
            result = excel_import.import_tasks(staged.path, plan=plan, by=request.user, dry_run=True)
            if not result.ok:
                staged.discard()
                return _preview(request, plan, result)
            return _preview(request, plan, result, staged.token)
    context = {"plan": plan, "plan_url": _plan_url(plan), "form": form, "max_mb": max_upload_bytes() // 1024 // 1024}
    return render(request, "plans/task_import.html", context)


@require_POST
@login_required
def task_import_confirm(request, pk):
    plan = _plan(request, pk)
    staged = StagedFile.objects.claim(request.POST.get("token", ""), user=request.user, purpose=PURPOSE, target=plan.pk)
    if staged is None:  # confirmed already (a double click, another tab), or abandoned for more than a day
        messages.error(request, ALREADY_CLAIMED)
        return redirect(_plan_url(plan))
    try:
        result = excel_import.import_tasks(staged.path, plan=plan, by=request.user)
    finally:
        staged.discard()
    if not result.ok:  # the plan or the units changed since the preview
        return _preview(request, plan, result)
    messages.success(request, f"Đã nhập bảng nhiệm vụ vào kế hoạch {plan}: {result.summary().removeprefix('Đã ')}")
    return redirect(_plan_url(plan))


@require_GET
@login_required
def task_import_template(request):
    if not request.policy.can_anywhere("plans.manage"):
        raise PermissionDenied
    return download(excel_import.build_template(), "Mẫu nhập nhiệm vụ", "xlsx")
