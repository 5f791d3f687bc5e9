"""Plan, task and assignment pages (/ke-hoach/): plans and their cascade, tasks, the units' reports and their files,
extension decisions, my assignments and who is late below me. Indicators and scorecards are in indicator_views.

Every page finds its object with core.visibility.get_visible over the model's rule (`visible_to`): 404 outside it,
403 when seen but not the user's to change (`permits`); lists are `Model.objects.visible_to(policy)` narrowed by
the FilterSets of plans/filters.py, shared with the API. A ValidationError is shown in Vietnamese on the form,
with what the user typed kept."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tinhgon.accounts.models import Role
from tinhgon.core.dates import today
from tinhgon.core.files import serve_file
from tinhgon.core.paging import PAGE, query_without_page
from tinhgon.core.visibility import get_visible, require_somewhere
from tinhgon.organisations.models import Organisation
from tinhgon.plans import progress, services
from tinhgon.plans.constants import StatusClass
from tinhgon.plans.filters import OverdueFilter, PlanFilter
from tinhgon.plans.forms import (
    AttachmentForm,
    CommentForm,
    EvidenceForm,
    ExtensionDecisionForm,
    ExtensionForm,
    PlanForm,
    ReportForm,
    TaskForm,
    show_error,
)
from tinhgon.plans.models import (
    MANAGE,
    VIEW,
    Assignment,
    Evidence,
    ExtensionRequest,
    Plan,
    PlanAttachment,
    Task,
)

REPORT = "plans.report"
STATUS_BADGES = {
    StatusClass.NOT_DUE: "bg-secondary-lt",
    StatusClass.IN_PROGRESS: "bg-blue-lt",
    StatusClass.OVERDUE: "bg-red",
    StatusClass.DONE_ON_TIME: "bg-green",
    StatusClass.DONE_LATE: "bg-orange",
}
# Units per page of "who is late below me": fifty units and their rows (about 160 at the national profile) read and
# printed in 110 ms less than two hundred, and still a screenful or two for a province.
UNITS_PER_PAGE = 50
OVERDUE_FIELDS = [
    "id",
    "due_on",
    "progress",
    "organisation_id",
    "task__plan_id",
    "organisation__code",
    "organisation__name",
    "organisation__short_name",
    "task__code",
    "task__title",
    "task__plan__title",
]


def _visible_plan_ids(policy, ids) -> set[int]:
    """Which of these plans the user may see: links to a parent or child plan are shown only then (a cascade
    crosses units: a department's plan implements a provincial one the department may not read)."""
    return Plan.objects.visible_to(policy).ids_among(ids)


def _units_for(plan_issuer: Organisation):
    """Current units of the issuer's province (its top unit), for the unit pickers of a task."""
    top = plan_issuer.ancestors().first() or plan_issuer
    return Organisation.objects.subtree(top).order_by("kind", "name")


def _badge(status: str) -> str:
    return STATUS_BADGES.get(status, "")


# Plan progress for a list ---------------------------------------------------------------------------------------


def plans_progress(plans, on: date | None = None) -> dict:
    """Progress of many plans at once (progress.cascade_many: sub-plans included, a fixed number of queries)."""
    plans = list(plans)
    return progress.cascade_many(plans, on, progress_only=True).plan_progress if plans else {}


# Plans ------------------------------------------------------------------------------------------------------------


def _plan_form(request, data=None, files=None, instance=None, initial=None):
    policy = request.policy
    plans = Plan.objects.visible_to(policy).order_by("-period_start", "title")
    tasks = Task.objects.visible_to(policy).select_related("plan").order_by("plan_id", "code_key", "id")
    if instance is not None and instance.pk:
        plans = plans.exclude(pk=instance.pk)
        tasks = tasks.exclude(plan=instance)
    issuers = policy.organisations(MANAGE).current().order_by("name")
    return PlanForm(data, files, instance=instance, initial=initial, issuers=issuers, plans=plans, tasks=tasks)


def _new_plan_form(request, filters):
    """The "issue a plan" form of the list page, for managers; a link from a plan or task page fills the parent."""
    if not request.policy.can_anywhere(MANAGE):
        return None
    initial = {"period_start": date(today().year, 1, 1), "period_end": date(today().year, 12, 31)}
    if request.acting_membership is not None:
        initial["issuer"] = request.acting_membership.organisation
    if filters.is_valid():
        initial.update({k: v for k, v in filters.form.cleaned_data.items() if k.startswith("parent_") and v})
    return _plan_form(request, request.POST or None, initial=initial)


@login_required
def plan_list(request):
    require_somewhere(request.policy, VIEW)
    plans = Plan.objects.visible_to(request.policy).select_related("issuer", "parent_plan", "parent_task")
    filters = PlanFilter(request.GET, queryset=plans)
    found = filters.qs if filters.is_valid() else plans.none()
    page = Paginator(found.order_by("-period_start", "-id"), 50).get_page(request.GET.get(PAGE))
    figures = plans_progress(page.object_list)
    parents = _visible_plan_ids(request.policy, [p.parent_plan_id for p in page.object_list])
    rows = [
        {"plan": p, "progress": figures.get(p.pk, Decimal(0)), "parent_shown": p.parent_plan_id in parents}
        for p in page.object_list
    ]
    form = _new_plan_form(request, filters)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            plan = form.save(commit=False)
            if not plan.permits(request.policy, MANAGE):
                raise PermissionDenied
            try:
                services.plan_save(plan=plan, by=request.user)
            except ValidationError as error:
                show_error(form, error)
            else:
                messages.success(request, f"Đã ban hành kế hoạch “{plan.title}”.")
                return redirect("plans:plan", pk=plan.pk)
    context = {
        "rows": rows,
        "page": page,
        "filters": filters.form,
        "form": form,
        "query": query_without_page(request),
    }
    return render(request, "plans/plan_list.html", context)


@login_required
def plan_detail(request, pk):
    plans = Plan.objects.select_related("issuer", "parent_plan__issuer", "parent_task__plan", "created_by")
    plan = get_visible(request.policy, plans, pk=pk)
    can_manage = plan.permits(request.policy, MANAGE)
    attachment_form = None
    if can_manage:
        attachment_form = AttachmentForm(request.POST or None, request.FILES or None, prefix="attachment")
    if request.method == "POST":
        if attachment_form is None:
            raise PermissionDenied
        if attachment_form.is_valid():
            services.attachment_add(plan=plan, **attachment_form.cleaned_data)
            messages.success(request, "Đã thêm tài liệu.")
            return redirect("plans:plan", pk=pk)
    figures = progress.cascade(plan)
    shown = _visible_plan_ids(request.policy, [*figures.plans, plan.parent_plan_id])
    context = {
        "plan": plan,
        "parent_shown": plan.parent_plan_id in shown,
        "progress": figures.plan_progress[plan.pk],
        "tally": progress.tally_rows(tally := figures.tallies[plan.pk].as_json()),
        "share_note": progress.share_note(tally),
        **_task_rows(figures, plan, shown),
        "children": [(c, figures.plan_progress[c.pk]) for c in figures.children(plan) if c.pk in shown],
        "attachments": plan.attachments.all(),
        "can_manage": can_manage,
        "attachment_form": attachment_form,
        "moves": plan.available_transitions(request.policy),
    }
    return render(request, "plans/plan_detail.html", context)


@require_POST
@login_required
def plan_follow(request, pk):
    """Close a plan's follow-up (no more overdue items, reminders or to-dos from it) or reopen it. Who may not
    manage the plan is refused before the form is read."""
    plan = get_visible(request.policy, Plan.objects.select_related("issuer"), action=MANAGE, pk=pk)
    move = request.POST.get("move", "")
    if move not in ("close", "reopen"):
        messages.error(request, "Thao tác không hợp lệ.")
        return redirect("plans:plan", pk=pk)
    try:
        plan.perform(move, request.policy)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Kế hoạch: {plan.get_status_display().lower()}.")
    return redirect("plans:plan", pk=pk)


def _task_rows(figures, plan: Plan, shown: set[int]) -> dict:
    """The plan page's task table (with the lower plans the user may see that implement each task) and the
    number of assignments in each status class."""
    tasks = figures.tasks.get(plan.pk, [])
    units = Task.unit_names([task.pk for task in tasks])
    implementing = defaultdict(list)
    for child in figures.plans.values():
        if child.parent_task_id and child.pk in shown:
            implementing[child.parent_task_id].append(child)
    rows, counts = [], defaultdict(int)
    for task in tasks:
        f = figures.task_figures[task.pk]
        for status, n in f.counts.items():
            counts[status] += n
        row = {"task": task, "figures": f, "badge": _badge(f.status), "implementing": implementing[task.pk]}
        rows.append(row | units[task.pk])
    by_status = [(value, label, counts.get(value, 0), _badge(value)) for value, label in StatusClass.choices]
    return {"rows": rows, "by_status": by_status}


@login_required
def plan_edit(request, pk):
    plan = get_visible(request.policy, Plan.objects.select_related("issuer"), action=MANAGE, pk=pk)
    form = _plan_form(request, request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        if not edited.permits(request.policy, MANAGE):  # moved to an issuer the user does not manage
            raise PermissionDenied
        try:
            services.plan_save(plan=edited, started_from=form.cleaned_data["row_version"], by=request.user)
        except ValidationError as error:
            show_error(form, error)
        else:
            messages.success(request, "Đã lưu kế hoạch.")
            return redirect("plans:plan", pk=pk)
    return render(request, "plans/plan_form.html", {"plan": plan, "form": form})


@login_required
def attachment_file(request, pk):
    attachment = get_visible(request.policy, PlanAttachment.objects, pk=pk)
    return serve_file(attachment.file)


# Tasks ------------------------------------------------------------------------------------------------------------


def _task_form_page(request, plan: Plan, task: Task):
    parent_tasks = plan.parent_plan.tasks.all() if plan.parent_plan_id else None
    units = _units_for(plan.issuer).current()
    form = TaskForm(request.POST or None, instance=task, units=units, parent_tasks=parent_tasks)
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        edited.plan = plan
        try:
            services.task_save(
                task=edited,
                coordinating=form.cleaned_data["coordinating"],
                executing=form.cleaned_data["executing"],
                started_from=form.cleaned_data["row_version"],
                by=request.user,
            )
        except ValidationError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Đã lưu nhiệm vụ {edited.code}.")
            return redirect("plans:task", pk=edited.pk)
    return render(request, "plans/task_form.html", {"plan": plan, "task": task, "form": form})


def _tasks():
    return Task.objects.select_related("plan__issuer", "lead", "area")


@login_required
def task_add(request, pk):
    plan = get_visible(request.policy, Plan.objects.select_related("issuer"), action=MANAGE, pk=pk)
    return _task_form_page(request, plan, Task(plan=plan))


@login_required
def task_edit(request, pk):
    task = get_visible(request.policy, _tasks(), action=MANAGE, pk=pk)
    return _task_form_page(request, task.plan, task)


@login_required
def task_delete(request, pk):
    """GET: the task, what deleting it removes and what stops it; POST: delete it (a task entered by mistake)."""
    task = get_visible(request.policy, _tasks(), action=MANAGE, pk=pk)
    plan = task.plan
    if request.method == "POST":
        try:
            services.task_delete(task=task)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("plans:task-delete", pk=pk)
        messages.success(request, f"Đã xóa nhiệm vụ {task.code}: {task.title}.")
        return redirect("plans:plan", pk=plan.pk)
    context = {
        "task": task,
        "plan": plan,
        "assignments": task.assignments.count(),
        "problems": services.task_delete_problems(task),
    }
    return render(request, "plans/task_delete.html", context)


@login_required
def task_detail(request, pk):
    """The task with the units' parts the user may see (their own, or all of them for the plan's issuer and the
    task's lead), the extension requests about those parts and the discussion."""
    policy = request.policy
    task = get_visible(policy, _tasks(), pk=pk)
    comment_form = CommentForm(request.POST or None, prefix="comment")  # whoever sees the task may discuss it
    if request.method == "POST" and comment_form.is_valid():
        try:
            services.comment_add(task=task, author=request.user, text=comment_form.cleaned_data["text"])
        except ValidationError as error:
            show_error(comment_form, error)
        else:
            messages.success(request, "Đã gửi ý kiến.")
            return redirect("plans:task", pk=pk)
    figures = progress.cascade(task.plan).task_figures.get(task.pk)
    context = {
        "task": task,
        "plan": task.plan,
        "rows": _assignment_rows(task, policy),
        "figures": figures,
        "badge": _badge(figures.status) if figures else "",
        "coordinating": task.coordinating.all(),
        "executing": task.executing.all(),
        "implementing": task.implementing_plans.visible_to(policy).select_related("issuer"),
        "implements": _implemented(task, policy),
        "implemented_by": Task.objects.visible_to(policy).filter(implements=task).select_related("plan__issuer"),
        "comments": task.comments.visible_to(policy).select_related("author"),
        "comment_form": comment_form,
        "extensions": _extensions(task, policy),
        "decision_form": ExtensionDecisionForm(prefix="decide"),
        "can_manage": task.permits(policy, MANAGE),
    }
    return render(request, "plans/task_detail.html", context)


def _implemented(task: Task, policy) -> tuple[Task | None, bool]:
    """The parent plan's task this one implements, and whether the user may open it (the parent plan may be
    beyond their scope: its name is still shown, as the child plan's page shows its parent plan's)."""
    if task.implements_id is None:
        return None, False
    return task.implements, Task.objects.visible_to(policy).filter(pk=task.implements_id).exists()


def _assignment_rows(task: Task, policy) -> list[dict]:
    on = today()
    assignments = (
        task.assignments.visible_to(policy)
        .select_related("organisation")
        .prefetch_related("evidence")
        .order_by("due_on", "role", "id")
    )
    rows = []
    for a in assignments:
        status = a.status_class(on)
        rows.append({"a": a, "status": status, "badge": _badge(status), "label": StatusClass(status).label})
    return rows


def _extensions(task: Task, policy) -> list[ExtensionRequest]:
    """The extension requests the user may see, each with the decisions they may take on it now."""
    extensions = list(
        ExtensionRequest.objects.visible_to(policy)
        .filter(assignment__task=task)
        .select_related("assignment__organisation", "assignment__task__plan__issuer", "requested_by", "decided_by")
    )
    for extension in extensions:
        extension.actions = extension.available_transitions(policy)
    return extensions


@login_required
@require_POST
def extension_decide(request, pk):
    """Approve or refuse an extension request (transitions of ExtensionRequest, on the plan's issuer)."""
    extensions = ExtensionRequest.objects.select_related("assignment__task__plan__issuer")
    extension = get_visible(request.policy, extensions, action=MANAGE, pk=pk)
    form = ExtensionDecisionForm(request.POST, prefix="decide")
    if not form.is_valid():
        messages.error(request, "Chọn đồng ý hoặc không đồng ý gia hạn.")
        return redirect("plans:task", pk=extension.assignment.task_id)
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    try:
        extension.perform(decision, request.policy, note, by=request.user, on=form.cleaned_data["on"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Đã xem xét đề nghị gia hạn: {extension.get_status_display()}.")
    return redirect("plans:task", pk=extension.assignment.task_id)


# The assignment's report --------------------------------------------------------------------------------------------


@login_required
def assignment_detail(request, pk):
    assignments = Assignment.objects.select_related("task__plan__issuer", "task__lead", "organisation")
    assignment = get_visible(request.policy, assignments, pk=pk)
    can_report = assignment.permits(request.policy, REPORT)
    section = request.POST.get("section")
    forms = _report_forms(request, assignment, section)
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        done = _handle_report_post(request, assignment, section, forms)
        if done:
            messages.success(request, done)
            return redirect("plans:assignment", pk=pk)
    status = assignment.status_class()
    context = {
        "a": assignment,
        "task": assignment.task,
        "status": StatusClass(status).label,
        "badge": _badge(status),
        "can_report": can_report,
        **forms,
        "evidence": assignment.evidence.select_related("uploaded_by"),
        "extensions": assignment.extension_requests.select_related("requested_by", "decided_by"),
    }
    return render(request, "plans/assignment_detail.html", context)


def _report_forms(request, assignment: Assignment, section: str | None) -> dict:
    initial = {
        "progress": assignment.progress,
        "report": assignment.report,
        "completed_on": assignment.completed_on,
        "row_version": assignment.row_version,
    }
    sent = request.POST if request.method == "POST" else None
    return {
        "report_form": ReportForm(sent if section == "report" else None, prefix="report", initial=initial),
        "evidence_form": EvidenceForm(
            sent if section == "evidence" else None, request.FILES if section == "evidence" else None, prefix="evidence"
        ),
        "extension_form": ExtensionForm(sent if section == "extension" else None, prefix="extension"),
    }


def _handle_report_post(request, assignment: Assignment, section: str | None, forms: dict) -> str:
    """Run the section posted; the success message, or "" when the form shows errors."""
    if section == "report" and forms["report_form"].is_valid():
        data = forms["report_form"].cleaned_data
        return _try(
            forms["report_form"],
            "Đã cập nhật tiến độ.",
            services.assignment_report,
            assignment=assignment,
            progress=data["progress"],
            report=data["report"],
            completed_on=data["completed_on"],
            started_from=data["row_version"],
        )
    if section == "evidence" and forms["evidence_form"].is_valid():
        data = forms["evidence_form"].cleaned_data
        return _try(
            forms["evidence_form"],
            "Đã thêm minh chứng.",
            services.evidence_add,
            assignment=assignment,
            title=data["title"],
            file=data["file"],
            by=request.user,
        )
    if section == "extension" and forms["extension_form"].is_valid():
        data = forms["extension_form"].cleaned_data
        return _try(
            forms["extension_form"],
            "Đã gửi đề nghị gia hạn.",
            services.extension_request,
            assignment=assignment,
            new_due_on=data["requested_due_on"],
            reason=data["reason"],
            by=request.user,
        )
    return ""


def _try(form, success: str, service, **kwargs) -> str:
    try:
        service(**kwargs)
    except ValidationError as error:
        show_error(form, error)
        return ""
    return success


@login_required
def evidence_file(request, pk):
    evidence = get_visible(request.policy, Evidence.objects, pk=pk)
    return serve_file(evidence.file)


# My assignments, who is late ----------------------------------------------------------------------------------------


@login_required
def my_assignments(request):
    require_somewhere(request.policy, VIEW)
    membership = request.acting_membership
    org = membership.organisation if membership else None
    if membership is None:
        units = Organisation.objects.none()
    elif membership.role in (Role.UNIT_HEAD, Role.AGENCY_LEADER):
        units = Organisation.objects.ever_under([org])
    else:
        units = Organisation.objects.filter(pk=org.pk)
    on = today()
    assignments = (
        Assignment.objects.visible_to(request.policy)
        .open()
        .within(units)
        .select_related("task__plan", "organisation")
        .order_by("due_on", "id")[:500]
    )
    rows = []
    for a in assignments:
        status = a.status_class(on)
        rows.append(
            {
                "a": a,
                "label": StatusClass(status).label,
                "badge": _badge(status),
                "overdue": status == StatusClass.OVERDUE,
            }
        )
    return render(request, "plans/my_assignments.html", {"rows": rows, "org": org})


def default_unit_code(request) -> str:
    """The unit a "below me" page is about when none is named: the acting one (a superuser: the first root)."""
    membership = request.acting_membership
    if membership is not None:
        return membership.organisation.code
    if request.user.is_superuser:
        root = Organisation.objects.filter(parent__isnull=True).order_by("name").first()
        return root.code if root else ""
    return ""


@login_required
def overdue(request):
    """Overdue assignments of the whole subtree, grouped by unit, in two queries whatever the size: the count per
    unit (grouped in SQL, paginated), then the rows of the units on this page only, read as plain values. `?org=`
    names a unit the user may see (404 otherwise)."""
    require_somewhere(request.policy, VIEW)
    data = request.GET.copy()
    data["org"] = data.get("org") or default_unit_code(request)
    org = get_visible(request.policy, Organisation.objects, code=data["org"])
    on = today()
    filters = OverdueFilter(data, queryset=Assignment.objects.visible_to(request.policy).overdue(on))
    if not filters.is_valid():
        raise Http404
    groups, page, units = _overdue_groups(filters.qs, request.GET.get(PAGE), on)
    context = {
        "org": org,
        "page": page,
        "groups": groups,
        "total": sum(u["count"] for u in units),
        "n_units": len(units),
        "unit_filter": filters.form["org"],
        "query": query_without_page(request),
    }
    return render(request, "plans/overdue.html", context)


def _overdue_groups(overdue_rows, page_number, on: date):
    units = list(overdue_rows.late_units().order_by("name", "organisation_id"))
    page = Paginator(units, UNITS_PER_PAGE).get_page(page_number)
    groups, by_unit = [], {}
    for unit in page.object_list:
        group = {
            "unit": {"code": unit["code"], "name": unit["name"], "short_name": unit["short_name"]},
            "count": unit["count"],
            "rows": [],
        }
        by_unit[unit["organisation_id"]] = group
        groups.append(group)
    rows = (
        overdue_rows.filter(organisation_id__in=list(by_unit))
        .order_by("organisation__name", "organisation_id", "due_on", "id")
        .values(*OVERDUE_FIELDS, "organisation__parent__name")
    )
    for row in rows:
        row["days"] = (on - row["due_on"]).days
        group = by_unit[row["organisation_id"]]
        # Units are named with the unit above them: "Phòng Tổ chức cán bộ" is in every department, "Ban Quản lý các
        # khu công nghiệp" in most provinces.
        group["unit"]["parent"] = row["organisation__parent__name"] or ""
        group["rows"].append(row)
    return groups, page, units
