"""Plan, task and indicator pages (/ke-hoach/): plans and their cascade, tasks, the units' reports, my assignments,
who is late below me, indicators and scorecards. Views check permissions through `request.policy` and call
tinhgon.plans.services / tinhgon.plans.indicators; a ValidationError is shown in Vietnamese on the form with what
the user typed kept. Something outside the user's reach is a 404; something visible but not theirs to do, a 403."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tinhgon.accounts.models import Role
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.plans import indicators as indicator_services
from tinhgon.plans import progress, services
from tinhgon.plans.constants import ExtensionStatus, IndicatorStatus, Source, StatusClass
from tinhgon.plans.forms import (
    AttachmentForm,
    CommentForm,
    EvidenceForm,
    ExtensionDecisionForm,
    ExtensionForm,
    IndicatorForm,
    IndicatorValueForm,
    PlanFilterForm,
    PlanForm,
    ReportForm,
    ScorecardCopyForm,
    TaskForm,
)
from tinhgon.plans.models import (
    Assignment,
    Evidence,
    ExtensionRequest,
    Indicator,
    IndicatorValue,
    Plan,
    PlanAttachment,
    Scorecard,
    ScoreCriterion,
    Task,
)

STATUS_BADGES = {
    StatusClass.NOT_DUE: "bg-secondary-lt",
    StatusClass.IN_PROGRESS: "bg-blue-lt",
    StatusClass.OVERDUE: "bg-red",
    StatusClass.DONE_ON_TIME: "bg-green",
    StatusClass.DONE_LATE: "bg-orange",
}
INDICATOR_BADGES = {
    IndicatorStatus.MET: "bg-green",
    IndicatorStatus.AT_RISK: "bg-orange",
    IndicatorStatus.MISSED: "bg-red",
}
UNITS_PER_PAGE = 200
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


# Scope ------------------------------------------------------------------------------------------------------------


def _scope(request):
    if not request.policy.can_anywhere("plans.view"):
        raise PermissionDenied
    return request.policy.organisations("plans.view")


def visible_plans(request):
    """Plans issued within the user's scope, or with assignments to units in it."""
    scope = _scope(request)
    assigned = Assignment.objects.filter(organisation__in=scope).values("task__plan_id")
    return Plan.objects.filter(Q(issuer__in=scope) | Q(pk__in=assigned))


def _plan_visible(request, plan: Plan) -> bool:
    if request.policy.allows("plans.view", plan.issuer):
        return True
    return Assignment.objects.filter(task__plan=plan, organisation__in=_scope(request)).exists()


def _get_plan(request, pk, action: str | None = None) -> Plan:
    plan = get_object_or_404(
        Plan.objects.select_related("issuer", "parent_plan__issuer", "parent_task__plan", "created_by"), pk=pk
    )
    if not _plan_visible(request, plan):
        raise Http404
    if action and not request.policy.allows(action, plan.issuer):
        raise PermissionDenied
    return plan


def _get_task(request, pk) -> Task:
    task = get_object_or_404(Task.objects.select_related("plan__issuer", "lead"), pk=pk)
    if not _plan_visible(request, task.plan):
        raise Http404
    return task


def _get_assignment(request, pk, action: str | None = None) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related("task__plan__issuer", "task__lead", "organisation"), pk=pk
    )
    policy = request.policy
    if not policy.allows("plans.view", assignment.organisation) and not _plan_visible(request, assignment.task.plan):
        raise Http404
    if action and not policy.allows(action, assignment.organisation):
        raise PermissionDenied
    return assignment


def _org_from_code(request, code: str | None, action: str = "plans.view") -> Organisation:
    """The unit named by `?org=` (default: the acting one); 404 when outside the user's reach."""
    if code:
        org = Organisation.objects.filter(code=code).first()
    else:
        membership = request.acting_membership
        org = membership.organisation if membership else None
        if org is None and request.user.is_superuser:
            org = Organisation.objects.filter(parent__isnull=True).order_by("name").first()
    if org is None or not request.policy.allows(action, org):
        raise Http404
    return org


def _error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its fields when they exist, else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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
    return progress.cascade_many(plans, on).plan_progress if plans else {}


# Plans ------------------------------------------------------------------------------------------------------------


def _plan_form(request, data=None, files=None, instance=None, initial=None):
    plans = visible_plans(request).order_by("-period_start", "title")
    tasks = Task.objects.filter(plan__in=visible_plans(request)).select_related("plan").order_by("plan_id", "order")
    if instance is not None and instance.pk:
        plans = plans.exclude(pk=instance.pk)
        tasks = tasks.exclude(plan=instance)
    issuers = request.policy.organisations("plans.manage").current().order_by("name")
    return PlanForm(data, files, instance=instance, initial=initial, issuers=issuers, plans=plans, tasks=tasks)


@login_required
def plan_list(request):
    scope = _scope(request)
    issuers = Organisation.objects.filter(id__in=visible_plans(request).values("issuer_id")).order_by("name")
    filters = PlanFilterForm(request.GET or None, issuers=issuers)
    plans = visible_plans(request).select_related("issuer", "parent_plan", "parent_task")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["year"]:
            plans = plans.filter(period_start__year__lte=data["year"], period_end__year__gte=data["year"])
        if data["kind"]:
            plans = plans.filter(kind=data["kind"])
        if data["issuer"]:
            plans = plans.filter(issuer=data["issuer"])
    page = Paginator(plans.order_by("-period_start", "-id"), 50).get_page(request.GET.get("page"))
    figures = plans_progress(page.object_list)
    rows = [{"plan": p, "progress": figures.get(p.pk, Decimal(0))} for p in page.object_list]
    form = None
    if request.policy.can_anywhere("plans.manage"):
        initial = {"period_start": date(today().year, 1, 1), "period_end": date(today().year, 12, 31)}
        if request.acting_membership is not None:
            initial["issuer"] = request.acting_membership.organisation
        for name in ("parent_plan", "parent_task"):
            if _int(request.GET.get(name)):
                initial[name] = _int(request.GET.get(name))
        form = _plan_form(request, request.POST or None, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            plan = form.save(commit=False)
            if not request.policy.allows("plans.manage", plan.issuer):
                raise PermissionDenied
            try:
                services.plan_save(plan=plan, by=request.user)
            except ValidationError as error:
                _error(form, error)
            else:
                messages.success(request, f"Đã ban hành kế hoạch “{plan.title}”.")
                return redirect("plans:plan", pk=plan.pk)
    context = {"rows": rows, "page": page, "filters": filters, "form": form, "scope": scope}
    return render(request, "plans/plan_list.html", context)


@login_required
def plan_detail(request, pk):
    plan = _get_plan(request, pk)
    can_manage = request.policy.allows("plans.manage", plan.issuer)
    attachment_form = None
    if can_manage:
        attachment_form = AttachmentForm(request.POST or None, request.FILES or None, prefix="attachment")
    if request.method == "POST":
        if attachment_form is None:
            raise PermissionDenied
        if attachment_form.is_valid():
            PlanAttachment.objects.create(plan=plan, **attachment_form.cleaned_data)
            messages.success(request, "Đã thêm tài liệu.")
            return redirect("plans:plan", pk=pk)
    figures = progress.cascade(plan)
    tasks = figures.tasks.get(plan.pk, [])
    prefetch_related_objects(tasks, "coordinating", "executing")
    children = figures.children(plan)
    implementing = defaultdict(list)
    for child in figures.plans.values():
        if child.parent_task_id:
            implementing[child.parent_task_id].append(child)
    rows, counts = [], defaultdict(int)
    for task in tasks:
        f = figures.task_figures[task.pk]
        for status, n in f.counts.items():
            counts[status] += n
        rows.append(
            {
                "task": task,
                "figures": f,
                "badge": _badge(f.status),
                "implementing": implementing.get(task.pk, []),
            }
        )
    by_status = [(value, label, counts.get(value, 0), _badge(value)) for value, label in StatusClass.choices]
    context = {
        "plan": plan,
        "progress": figures.plan_progress[plan.pk],
        "rows": rows,
        "children": [(c, figures.plan_progress[c.pk]) for c in children],
        "attachments": plan.attachments.all(),
        "by_status": by_status,
        "can_manage": can_manage,
        "attachment_form": attachment_form,
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_edit(request, pk):
    plan = _get_plan(request, pk, "plans.manage")
    form = _plan_form(request, request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        if not request.policy.allows("plans.manage", edited.issuer):
            raise PermissionDenied
        try:
            services.plan_save(plan=edited, started_from=form.cleaned_data["row_version"], by=request.user)
        except ValidationError as error:
            _error(form, error)
        else:
            messages.success(request, "Đã lưu kế hoạch.")
            return redirect("plans:plan", pk=pk)
    return render(request, "plans/plan_form.html", {"plan": plan, "form": form})


# Tasks ------------------------------------------------------------------------------------------------------------


def _task_form_page(request, plan: Plan, task: Task):
    form = TaskForm(request.POST or None, instance=task, units=_units_for(plan.issuer).current())
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
            _error(form, error)
        else:
            messages.success(request, f"Đã lưu nhiệm vụ {edited.code}.")
            return redirect("plans:task", pk=edited.pk)
    return render(request, "plans/task_form.html", {"plan": plan, "task": task, "form": form})


@login_required
def task_add(request, pk):
    plan = _get_plan(request, pk, "plans.manage")
    return _task_form_page(request, plan, Task(plan=plan))


@login_required
def task_edit(request, pk):
    task = _get_task(request, pk)
    if not request.policy.allows("plans.manage", task.plan.issuer):
        raise PermissionDenied
    return _task_form_page(request, task.plan, task)


@login_required
def task_delete(request, pk):
    """GET: the task, what deleting it removes and what stops it; POST: delete it (a task entered by mistake)."""
    task = _get_task(request, pk)
    plan = task.plan
    if not request.policy.allows("plans.manage", plan.issuer):
        raise PermissionDenied
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
    task = _get_task(request, pk)
    plan = task.plan
    can_manage = request.policy.allows("plans.manage", plan.issuer)
    comment_form = CommentForm(request.POST if request.POST.get("section") == "comment" else None, prefix="comment")
    if request.method == "POST":
        if request.POST.get("section") != "comment":
            raise PermissionDenied
        if comment_form.is_valid():
            try:
                services.comment_add(task=task, author=request.user, text=comment_form.cleaned_data["text"])
            except ValidationError as error:
                _error(comment_form, error)
            else:
                messages.success(request, "Đã gửi ý kiến.")
                return redirect("plans:task", pk=pk)
    on = today()
    assignments = list(
        task.assignments.select_related("organisation").prefetch_related("evidence").order_by("due_on", "role", "id")
    )
    rows = [{"a": a, "status": a.status_class(on), "badge": _badge(a.status_class(on))} for a in assignments]
    for row in rows:
        row["label"] = StatusClass(row["status"]).label
        row["can_report"] = request.policy.allows("plans.report", row["a"].organisation)
    extensions = ExtensionRequest.objects.filter(assignment__task=task).select_related(
        "assignment__organisation", "requested_by", "decided_by"
    )
    figures = progress.cascade(plan).task_figures.get(task.pk)
    context = {
        "task": task,
        "plan": plan,
        "rows": rows,
        "figures": figures,
        "badge": _badge(figures.status) if figures else "",
        "coordinating": task.coordinating.all(),
        "executing": task.executing.all(),
        "implementing": task.implementing_plans.select_related("issuer"),
        "comments": task.comments.select_related("author"),
        "comment_form": comment_form,
        "extensions": extensions,
        "decision_form": ExtensionDecisionForm(prefix="decide") if can_manage else None,
        "can_manage": can_manage,
        "pending": ExtensionStatus.PENDING,
    }
    return render(request, "plans/task_detail.html", context)


@login_required
@require_POST
def extension_decide(request, pk):
    extension = get_object_or_404(
        ExtensionRequest.objects.select_related("assignment__task__plan__issuer", "assignment__organisation"), pk=pk
    )
    task = extension.assignment.task
    if not _plan_visible(request, task.plan):
        raise Http404
    if not request.policy.allows("plans.manage", task.plan.issuer):
        raise PermissionDenied
    form = ExtensionDecisionForm(request.POST, prefix="decide")
    if form.is_valid():
        try:
            services.extension_decide(
                request=extension,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Đã xem xét đề nghị gia hạn: {extension.get_status_display()}.")
    else:
        messages.error(request, "Chọn đồng ý hoặc không đồng ý gia hạn.")
    return redirect("plans:task", pk=task.pk)


# The assignment's report --------------------------------------------------------------------------------------------


@login_required
def assignment_detail(request, pk):
    assignment = _get_assignment(request, pk)
    can_report = request.policy.allows("plans.report", assignment.organisation)
    section = request.POST.get("section")
    report_form = ReportForm(
        request.POST if section == "report" else None,
        prefix="report",
        initial={
            "progress": assignment.progress,
            "report": assignment.report,
            "completed_on": assignment.completed_on,
            "row_version": assignment.row_version,
        },
    )
    evidence_form = EvidenceForm(
        request.POST if section == "evidence" else None,
        request.FILES if section == "evidence" else None,
        prefix="evidence",
    )
    extension_form = ExtensionForm(request.POST if section == "extension" else None, prefix="extension")
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        if section == "report" and report_form.is_valid():
            data = report_form.cleaned_data
            try:
                services.assignment_report(
                    assignment=assignment,
                    progress=data["progress"],
                    report=data["report"],
                    completed_on=data["completed_on"],
                    started_from=data["row_version"],
                )
            except ValidationError as error:
                _error(report_form, error)
            else:
                messages.success(request, "Đã cập nhật tiến độ.")
                return redirect("plans:assignment", pk=pk)
        elif section == "evidence" and evidence_form.is_valid():
            Evidence.objects.create(assignment=assignment, uploaded_by=request.user, **evidence_form.cleaned_data)
            messages.success(request, "Đã thêm minh chứng.")
            return redirect("plans:assignment", pk=pk)
        elif section == "extension" and extension_form.is_valid():
            try:
                services.extension_request(
                    assignment=assignment,
                    new_due_on=extension_form.cleaned_data["requested_due_on"],
                    reason=extension_form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                _error(extension_form, error)
            else:
                messages.success(request, "Đã gửi đề nghị gia hạn.")
                return redirect("plans:assignment", pk=pk)
    status = assignment.status_class()
    context = {
        "a": assignment,
        "task": assignment.task,
        "status": StatusClass(status).label,
        "badge": _badge(status),
        "can_report": can_report,
        "report_form": report_form,
        "evidence_form": evidence_form,
        "extension_form": extension_form,
        "evidence": assignment.evidence.select_related("uploaded_by"),
        "extensions": assignment.extension_requests.select_related("requested_by", "decided_by"),
    }
    return render(request, "plans/assignment_detail.html", context)


# My assignments, who is late ----------------------------------------------------------------------------------------


@login_required
def my_assignments(request):
    _scope(request)
    membership = request.acting_membership
    if membership is None:
        units = Organisation.objects.none()
        org = None
    else:
        org = membership.organisation
        if membership.role in (Role.UNIT_HEAD, Role.AGENCY_LEADER):
            units = Organisation.objects.ever_under([org])
        else:
            units = Organisation.objects.filter(pk=org.pk)
    on = today()
    assignments = (
        Assignment.objects.open()
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


@login_required
def overdue(request):
    """Overdue assignments of the whole subtree, grouped by unit, in two queries whatever the size: the count per
    unit (grouped in SQL, paginated), then the rows of the units on this page only, read as plain values."""
    _scope(request)
    org = _org_from_code(request, request.GET.get("org"))
    on = today()
    overdue_rows = Assignment.objects.overdue(on).within(Organisation.objects.ever_under([org]))
    unit_fields = ["organisation_id", "organisation__code", "organisation__name", "organisation__short_name"]
    units = list(
        overdue_rows.values(*unit_fields).annotate(n=Count("id")).order_by("organisation__name", "organisation_id")
    )
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    groups, by_unit = [], {}
    for unit in page.object_list:
        group = {
            "unit": {
                "code": unit["organisation__code"],
                "name": unit["organisation__name"],
                "short_name": unit["organisation__short_name"],
            },
            "count": unit["n"],
            "rows": [],
        }
        by_unit[unit["organisation_id"]] = group
        groups.append(group)
    rows = (
        overdue_rows.filter(organisation_id__in=list(by_unit))
        .order_by("organisation__name", "organisation_id", "due_on", "id")
        .values(*OVERDUE_FIELDS)
    )
    for row in rows:
        row["days"] = (on - row["due_on"]).days
        by_unit[row["organisation_id"]]["rows"].append(row)
    total = sum(u["n"] for u in units)
    context = {"org": org, "page": page, "groups": groups, "total": total, "n_units": len(units)}
    return render(request, "plans/overdue.html", context)


# Indicators -------------------------------------------------------------------------------------------------------


@login_required
def indicator_list(request):
    scope = _scope(request)
    indicators = list(Indicator.objects.filter(organisation__in=scope).select_related("organisation", "plan"))
    latest = {}
    for value in IndicatorValue.objects.filter(indicator__in=[i.pk for i in indicators]).order_by("period_start"):
        latest[value.indicator_id] = value
    rows = []
    for indicator in indicators:
        value = latest.get(indicator.pk)
        status = indicator.status_of(value.value, value.period_end) if value else None
        rows.append(
            {
                "indicator": indicator,
                "value": value,
                "status": IndicatorStatus(status).label if status else "",
                "badge": INDICATOR_BADGES.get(status, ""),
            }
        )
    form = None
    if request.policy.can_anywhere("indicators.manage"):
        organisations = request.policy.organisations("indicators.manage").current().order_by("name")
        form = IndicatorForm(request.POST or None, organisations=organisations, plans=visible_plans(request))
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            indicator = form.save(commit=False)
            if not request.policy.allows("indicators.manage", indicator.organisation):
                raise PermissionDenied
            indicator.save()
            messages.success(request, f"Đã đặt chỉ tiêu “{indicator.name}”.")
            return redirect("plans:indicator", pk=indicator.pk)
    return render(request, "plans/indicator_list.html", {"rows": rows, "form": form})


@login_required
def indicator_detail(request, pk):
    indicator = get_object_or_404(Indicator.objects.select_related("organisation", "plan"), pk=pk)
    if not request.policy.allows("plans.view", indicator.organisation):
        raise Http404
    can_enter = request.policy.allows("indicators.enter", indicator.organisation)
    manual = indicator.source == Source.MANUAL
    periods = indicator_services.periods_of(indicator)
    section = request.POST.get("section")
    value_form = None
    if manual and can_enter:
        value_form = IndicatorValueForm(
            request.POST if section == "value" else None,
            request.FILES if section == "value" else None,
            periods=periods,
            prefix="value",
        )
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        if section == "refresh" and not manual:
            indicator_services.indicator_refresh(indicator)
            messages.success(request, "Đã cập nhật số liệu.")
            return redirect("plans:indicator", pk=pk)
        if section == "value" and value_form is not None and value_form.is_valid():
            data = value_form.cleaned_data
            span = next(s for s in periods if s.start.isoformat() == data["period"])
            try:
                indicator_services.indicator_value_enter(
                    indicator=indicator,
                    span=span,
                    value=data["value"],
                    note=data["note"],
                    evidence=data["evidence"],
                    by=request.user,
                )
            except ValidationError as error:
                _error(value_form, error)
            else:
                messages.success(request, f"Đã nhập số liệu {span.label}.")
                return redirect("plans:indicator", pk=pk)
    values = []
    for value in indicator.values.select_related("entered_by"):
        value.indicator = indicator
        status = value.status
        values.append({"v": value, "status": IndicatorStatus(status).label, "badge": INDICATOR_BADGES[status]})
    context = {
        "indicator": indicator,
        "values": values,
        "value_form": value_form,
        "can_enter": can_enter,
        "manual": manual,
    }
    return render(request, "plans/indicator_detail.html", context)


# Scorecards -------------------------------------------------------------------------------------------------------


@login_required
def scorecard_list(request):
    scope = _scope(request)
    cards = Scorecard.objects.filter(organisation__in=scope).select_related("organisation")
    return render(request, "plans/scorecard_list.html", {"cards": cards})


def _flatten(nodes, depth=0):
    for node in nodes:
        yield node, depth
        yield from _flatten(node.children, depth + 1)


@login_required
def scorecard_detail(request, pk):
    card = get_object_or_404(Scorecard.objects.select_related("organisation"), pk=pk)
    if not request.policy.allows("plans.view", card.organisation):
        raise Http404
    can_enter = request.policy.allows("indicators.enter", card.organisation)
    can_appraise = request.policy.allows("scorecards.appraise", card.organisation)
    can_manage = request.policy.allows("indicators.manage", card.organisation)
    copy_form = ScorecardCopyForm(
        request.POST if request.POST.get("section") == "copy" else None,
        prefix="copy",
        initial={"year": card.year + 1},
    )
    if request.method == "POST":
        section = request.POST.get("section")
        if section == "copy":
            if not can_manage:
                raise PermissionDenied
            if copy_form.is_valid():
                year = copy_form.cleaned_data["year"]
                if Scorecard.objects.filter(organisation=card.organisation, year=year, title=card.title).exists():
                    copy_form.add_error("year", f"Đã có bộ chỉ số này cho năm {year}.")
                else:
                    copy = indicator_services.scorecard_copy(source=card, year=year)
                    messages.success(request, f"Đã sao chép bộ chỉ số sang năm {year}.")
                    return redirect("plans:scorecard", pk=copy.pk)
        elif section == "score":
            criterion = get_object_or_404(ScoreCriterion, pk=_int(request.POST.get("criterion")), scorecard=card)
            kwargs = {}
            if "self_score" in request.POST:
                if not can_enter:
                    raise PermissionDenied
                kwargs["self_score"] = request.POST.get("self_score") or None
                kwargs["evidence"] = request.POST.get("evidence", "")
            if "appraised_score" in request.POST:
                if not can_appraise:
                    raise PermissionDenied
                kwargs["appraised_score"] = request.POST.get("appraised_score") or None
                kwargs["note"] = request.POST.get("note", "")
            if not kwargs:
                raise PermissionDenied
            try:
                for name in ("self_score", "appraised_score"):
                    if kwargs.get(name) is not None:
                        kwargs[name] = Decimal(str(kwargs[name]).replace(",", "."))
                indicator_services.criterion_score(criterion=criterion, **kwargs)
            except ArithmeticError:
                messages.error(request, "Điểm phải là số.")
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, f"{criterion.code}: {message}")
            else:
                messages.success(request, f"Đã lưu điểm tiêu chí {criterion.code}.")
                return redirect("plans:scorecard", pk=pk)
        else:
            raise PermissionDenied
    tree = indicator_services.scorecard_tree(card)
    context = {
        "card": card,
        "rows": list(_flatten(tree)),
        "totals": indicator_services.scorecard_totals(card),
        "can_enter": can_enter,
        "can_appraise": can_appraise,
        "can_manage": can_manage,
        "copy_form": copy_form,
    }
    return render(request, "plans/scorecard_detail.html", context)
