"""Import a plan's task table from Excel: upload and check (a preview with each change, nothing written), confirm,
the template download and the plan's current task table to edit and import back. The flow is core.imports'; the
rows are plans/excel_import.py's. Only managers of the plan's issuer reach these pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from tinhgon.core import imports
from tinhgon.core.files import download
from tinhgon.core.visibility import get_visible
from tinhgon.plans import excel_import
from tinhgon.plans.models import Plan

PLAN_PAGE_NAMES = ("plans:plan", "plans:plan-detail")  # the plan's page, once the plans app mounts one


class TaskImportForm(imports.UploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Tệp Excel (.xlsx) bảng nhiệm vụ"


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
    context = imports.preview_context(
        result,
        token,
        title="Kiểm tra tệp nhập nhiệm vụ",
        subtitle=f"Kế hoạch: {plan} · {plan.period_start:%d/%m/%Y} – {plan.period_end:%d/%m/%Y}",
        again_url=reverse("plans:task-import", args=[plan.pk]),
        cancel_url=_plan_url(plan),
        confirm_url=reverse("plans:task-import-confirm", args=[plan.pk]),
        hidden={},
        key_label="STT",
    )
    return render(request, "core/import_preview.html", context)


@login_required
def task_import(request, pk):
    plan = _plan(request, pk)
    form = TaskImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        staged = imports.stage(request, excel_import.TaskImporter(plan), form, target=plan.pk)
        if staged is not None:
            return _preview(request, plan, *staged)
    context = {"plan": plan, "plan_url": _plan_url(plan), "form": form, "max_mb": imports.max_mb()}
    return render(request, "plans/task_import.html", context)


@require_POST
@login_required
def task_import_confirm(request, pk):
    plan = _plan(request, pk)
    result = imports.confirm(request, excel_import.TaskImporter(plan), target=plan.pk)
    if result is None:  # confirmed already (a double click, another tab), or abandoned for more than a day
        return redirect(_plan_url(plan))
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


@require_GET
@login_required
def task_table(request, pk):
    """The plan's tasks in the import layout, each with its key (“Mã nhiệm vụ”), to edit and import back."""
    plan = _plan(request, pk)
    return download(excel_import.build_workbook(plan), f"Bảng nhiệm vụ - {plan}", "xlsx")
