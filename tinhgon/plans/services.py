"""Plan and task work: creating plans and tasks, expanding a task into the assignments of every unit involved,
progress reports, evidence, extension requests and comments. Each function is one user action, atomic and
audited, and locks the rows it checks so that two simultaneous requests cannot both pass a check that only one
should (two tasks with one code, a report on a task being deleted, two pending extension requests). Deciding an
extension is a transition of the request (ExtensionRequest.approve / refuse)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from tinhgon.audit import context as audit
from tinhgon.core.dates import legal_date, today
from tinhgon.core.locking import STALE, refuse_stale  # noqa: F401 - STALE is the message pages show
from tinhgon.core.uploads import checked
from tinhgon.organisations.models import Organisation
from tinhgon.plans.constants import AssignmentRole, ExecutingRule, ExtensionStatus, PlanStatus, Recurrence
from tinhgon.plans.models import (
    Assignment,
    Comment,
    Evidence,
    ExtensionRequest,
    Plan,
    PlanAttachment,
    Task,
)
from tinhgon.plans.periods import instance_due_dates

GONE = "Nhiệm vụ này vừa bị xóa (có thể do người khác thao tác). Hãy tải lại trang."


def _save(instance, verb: str) -> None:
    with audit.action(f"plans.{instance.audit_name or type(instance).__name__.lower()}.{verb}"):
        instance.save()


def _locked(model, pk):
    """The stored row, locked until the end of the transaction; refused in Vietnamese when it is gone (deleted by
    someone else since the page was loaded)."""
    try:
        return model._base_manager.select_for_update().get(pk=pk)
    except model.DoesNotExist:
        raise ValidationError(GONE) from None


@transaction.atomic
def plan_save(*, plan: Plan, started_from: int | None = None, by=None) -> Plan:
    """Issue or edit a plan. The plans above the chosen parent are locked while the chain is checked, so two
    simultaneous edits cannot each miss the other's new link and close a loop."""
    if plan.period_end < plan.period_start:
        raise ValidationError({"period_end": "Ngày kết thúc phải sau ngày bắt đầu."})
    if plan.parent_task_id and plan.parent_plan_id is None:
        plan.parent_plan_id = plan.parent_task.plan_id
    if plan.parent_task_id and plan.parent_task.plan_id != plan.parent_plan_id:
        raise ValidationError({"parent_task": "Nhiệm vụ cấp trên không thuộc kế hoạch cấp trên đã chọn."})
    if plan.pk and plan.parent_plan_id and plan.pk in _lock_chain(plan):
        raise ValidationError({"parent_plan": "Kế hoạch không thể thực hiện chính nó (vòng lặp)."})
    refuse_stale(plan, started_from)
    created = plan.pk is None
    if created and by is not None:
        plan.created_by = by
    if created and plan.period_end < today():  # entered for the record: its late parts are history, not alerts
        plan.status, plan.closed_on = PlanStatus.CLOSED, today()
    _save(plan, "created" if created else "updated")
    return plan


def _ancestor_ids(plan_id: int | None) -> set[int]:
    """The plan and every plan above it (one query per level: cascades are a few levels deep)."""
    seen = set()
    while plan_id is not None and plan_id not in seen:
        seen.add(plan_id)
        plan_id = Plan.objects.filter(pk=plan_id).values_list("parent_plan_id", flat=True).first()
    return seen


def _lock_chain(plan: Plan) -> set[int]:
    """Lock the plan and the plans above its new parent (in id order: no deadlock between two saves), then read
    the chain again under the locks."""
    ids = {plan.pk} | _ancestor_ids(plan.parent_plan_id)
    list(Plan.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    return _ancestor_ids(plan.parent_plan_id)


def executing_units(task: Task) -> list[Organisation]:
    """The executing units of a task: its list, plus the units its rule names, valid on the plan's start date (or
    today when later). Departments and communes are counted in the issuer's province ("các sở, ban, ngành của
    tỉnh", whoever issued the plan); divisions under the issuer itself. The issuer is never its own executor."""
    units = list(task.executing.all())
    if task.executing_rule:
        day = max(task.plan.period_start, today())
        below = rule_units(issuer=task.plan.issuer, rule=task.executing_rule, day=day)
        units += [u for u in below if u not in units]
    return units


def rule_units(*, issuer: Organisation, rule: str, day: date):
    """The units an executing rule names for a plan of `issuer` on `day`, by name (see executing_units)."""
    root = issuer if rule == ExecutingRule.DIVISIONS else _province_of(issuer, day)
    below = Organisation.objects.subtree(root, as_of=day).filter(kind__in=RULE_KINDS[rule])
    return below.exclude(pk=issuer.pk).order_by("name")


def _province_of(unit: Organisation, day: date) -> Organisation:
    if unit.kind == Organisation.Kind.PROVINCE:
        return unit
    provinces = [a for a in unit.ancestors(as_of=day) if a.kind == Organisation.Kind.PROVINCE]
    return provinces[-1] if provinces else unit


RULE_KINDS = {
    ExecutingRule.DEPARTMENTS: [Organisation.Kind.DEPARTMENT],
    ExecutingRule.COMMUNES: [Organisation.Kind.COMMUNE],
    ExecutingRule.DEPARTMENTS_AND_COMMUNES: [Organisation.Kind.DEPARTMENT, Organisation.Kind.COMMUNE],
    ExecutingRule.DIVISIONS: [Organisation.Kind.DEPARTMENT_UNIT],
}


def _wanted_assignments(task: Task) -> list[tuple[int, str, str, date | None]]:
    """(organisation id, role, period label, due date) for every unit and every dated instance of the task."""
    plan = task.plan
    if task.recurrence != Recurrence.NONE:
        instances = [
            (s.label, s.end)
            for s in instance_due_dates(task.recurrence, plan.period_start, plan.period_end, task.recurrence_day)
        ]
    else:
        instances = [("", task.deadline)]
    roles = [(task.lead_id, AssignmentRole.LEAD)]
    roles += [(u.pk, AssignmentRole.COORDINATING) for u in task.coordinating.all() if u.pk != task.lead_id]
    roles += [(u.pk, AssignmentRole.EXECUTING) for u in executing_units(task) if u.pk != task.lead_id]
    seen, wanted = set(), []
    for org_id, role in roles:
        if org_id in seen:
            continue
        seen.add(org_id)
        wanted += [(org_id, role, label, due) for label, due in instances]
    return wanted


@transaction.atomic
def task_save(*, task: Task, coordinating=(), executing=(), started_from: int | None = None, by=None) -> Task:
    """Save a task and bring its assignments in line: one per unit involved (per dated instance when recurring).
    Assignments already reported on are kept when their unit drops out, so no report is ever lost. The plan's row
    is locked first: two tasks saved at once with one code are told apart, and the plan's period cannot change
    under the deadline check."""
    plan = task.plan = _locked(Plan, task.plan_id)
    refuse_stale(task, started_from)
    task.clean()  # the parent task it implements belongs to the parent plan
    outside = task.deadline and not plan.period_start <= task.deadline <= plan.period_end
    if task.recurrence == Recurrence.NONE and outside:
        raise ValidationError({"deadline": "Thời hạn nằm ngoài thời gian của kế hoạch."})
    if Task.objects.filter(plan=plan, code=task.code).exclude(pk=task.pk).exists():
        raise ValidationError({"code": f"Kế hoạch đã có nhiệm vụ số {task.code}."})
    created = task.pk is None
    if created and not task.order:
        task.order = plan.tasks.count() + 1
    _save(task, "created" if created else "updated")
    task.coordinating.set(coordinating)
    task.executing.set(executing)
    _sync_assignments(task)
    return task


def _sync_assignments(task: Task) -> None:
    wanted = {(o, label): (role, due) for o, role, label, due in _wanted_assignments(task)}
    existing = {(a.organisation_id, a.period_label): a for a in task.assignments.select_for_update()}
    for key, assignment in existing.items():
        if key in wanted:
            role, due = wanted[key]
            if (assignment.role, assignment.original_due_on) != (role, due):
                moved = assignment.due_on == assignment.original_due_on  # not extended: follows the task
                assignment.role, assignment.original_due_on = role, due
                assignment.due_on = due if moved else assignment.due_on
                _save(assignment, "updated")
        elif not (assignment.progress or assignment.report or assignment.completed_on):
            with audit.action("plans.assignment.deleted"):
                assignment.delete()
    for (org_id, label), (role, due) in wanted.items():
        if (org_id, label) not in existing:
            with audit.action("plans.assignment.created"):
                Assignment.objects.create(
                    task=task, organisation_id=org_id, role=role, period_label=label, due_on=due, original_due_on=due
                )


@transaction.atomic
def assignment_report(
    *,
    assignment: Assignment,
    progress: int,
    report: str = "",
    completed_on: date | None = None,
    started_from: int | None = None,
) -> Assignment:
    """A unit's progress report: an edit of the assignment under the optimistic lock (`started_from`, the
    row_version the user saw). Completing sets progress to 100; 100% without a date completes today."""
    _locked(Assignment, assignment.pk)
    refuse_stale(assignment, started_from)
    if not 0 <= int(progress) <= 100:
        raise ValidationError({"progress": "Tiến độ phải từ 0 đến 100%."})
    if int(progress) == 100 and completed_on is None:
        completed_on = today()
    if completed_on and completed_on != assignment.completed_on:  # a date kept as it was is not judged again
        plan = assignment.task.plan
        completed_on = legal_date(
            completed_on,
            what="Ngày hoàn thành",
            unit=assignment.organisation,
            after=[(plan.issued_on, f"ngày ban hành kế hoạch {plan.number or plan.title}".strip())],
            field="completed_on",
        )
    assignment.progress = 100 if completed_on else int(progress)
    assignment.report = (report or "").strip()
    assignment.completed_on = completed_on
    _save(assignment, "reported")
    return assignment


@transaction.atomic
def evidence_add(*, assignment: Assignment, title: str, file, by=None) -> Evidence:
    """Store one evidence file of a unit's report (the one place an evidence upload is saved)."""
    _locked(Assignment, assignment.pk)
    return Evidence.objects.create(assignment=assignment, title=title, file=checked(file), uploaded_by=by)


@transaction.atomic
def attachment_add(*, plan: Plan, title: str, file) -> PlanAttachment:
    """Store one document of a plan (the one place a plan attachment upload is saved)."""
    _locked(Plan, plan.pk)
    return PlanAttachment.objects.create(plan=plan, title=title, file=checked(file))


@transaction.atomic
def extension_request(*, assignment: Assignment, new_due_on: date, reason: str, by=None) -> ExtensionRequest:
    """Ask the plan's issuer for a later deadline. The assignment's row is locked while the pending requests are
    counted: two simultaneous requests make one."""
    assignment = _locked(Assignment, assignment.pk)
    if assignment.completed_on:
        raise ValidationError("Nhiệm vụ đã hoàn thành, không cần gia hạn.")
    if assignment.due_on and new_due_on <= assignment.due_on:
        raise ValidationError({"requested_due_on": "Thời hạn đề nghị phải sau thời hạn hiện tại."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Cần nêu lý do đề nghị gia hạn."})
    if assignment.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError("Đã có một đề nghị gia hạn đang chờ xem xét.")
    with audit.action("plans.extension.requested"):
        return ExtensionRequest.objects.create(
            assignment=assignment, requested_due_on=new_due_on, reason=reason.strip(), requested_by=by
        )


@transaction.atomic
def comment_add(*, task: Task, author, text: str, assignment: Assignment | None = None) -> Comment:
    if not (text or "").strip():
        raise ValidationError({"text": "Ý kiến trống."})
    _locked(Task, task.pk)  # not onto a task being deleted
    return Comment.objects.create(task=task, assignment=assignment, author=author, text=text.strip())


def task_delete_problems(task: Task) -> list[str]:
    """Why `task_delete` would refuse to delete this task (empty when it may be): a task that units have worked on,
    discussed or that a lower plan implements is part of the record; only one entered by mistake is deleted."""
    assignments = task.assignments.all()
    problems = []
    if assignments.exclude(progress=0, report="", completed_on=None).exists():
        problems.append("Đơn vị đã báo cáo tiến độ hoặc kết quả thực hiện nhiệm vụ này.")
    if Assignment.objects.filter(task=task, evidence__isnull=False).exists():
        problems.append("Nhiệm vụ đã có minh chứng.")
    if ExtensionRequest.objects.filter(assignment__task=task).exists():
        problems.append("Nhiệm vụ đã có đề nghị gia hạn.")
    if task.comments.exists():
        problems.append("Nhiệm vụ đã có ý kiến trao đổi.")
    plans = ", ".join(str(plan) for plan in task.implementing_plans.all())
    if plans:
        problems.append(f"Kế hoạch cấp dưới thực hiện nhiệm vụ này: {plans}.")
    return problems


@transaction.atomic
def task_delete(*, task: Task) -> None:
    """Delete a task entered by mistake, with its assignments (one audit entry each, under `plans.task.deleted`).
    Refused, with the reasons, once anything was recorded on it (`task_delete_problems`). The task and its
    assignments are locked before the check: a report, evidence or comment arriving meanwhile waits, then finds
    the task gone (or the deletion, run second, finds the report)."""
    _locked(Task, task.pk)
    list(Assignment.objects.select_for_update().filter(task=task).values_list("pk", flat=True))
    problems = task_delete_problems(task)
    if problems:
        raise ValidationError(problems)
    with audit.action("plans.task.deleted"):
        task.delete()
