"""Progress and status roll-ups, in a few queries for a whole cascade of plans.

The rule (shown on the plan page, docs/glossary.md):
- an assignment's progress is what its unit reports (100 once completed); when that unit issued a plan that
  implements the task, the unit's part is the progress of that plan if it is higher than the reported figure;
- a task's progress is the mean of its assignments weighted by role: lead 2, executing 1, coordinating 0 (they
  support and are not measured), over every dated instance of a recurring task;
- a plan's progress is the mean of its tasks weighted by `Task.weight`, plus each plan that implements the plan as
  a whole (not one task of it) counted like a task of weight 1;
- a task's status class is the worst of its assignments': overdue, else in progress, else not yet due; once all
  are done, done late if any was late, else done on time.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tinhgon.core.dates import today
from tinhgon.plans.constants import AssignmentRole, StatusClass
from tinhgon.plans.models import Assignment, Plan, Task

ROLE_WEIGHTS = {AssignmentRole.LEAD: Decimal(2), AssignmentRole.EXECUTING: Decimal(1), AssignmentRole.COORDINATING: 0}
ONE = Decimal("0.1")
OPEN_ORDER = [StatusClass.OVERDUE, StatusClass.IN_PROGRESS, StatusClass.NOT_DUE]


def weighted_mean(pairs) -> Decimal:
    pairs = [(Decimal(v), Decimal(w)) for v, w in pairs]
    total = sum((w for _, w in pairs), Decimal(0))
    if not total:
        return Decimal("0.0")
    return (sum((v * w for v, w in pairs), Decimal(0)) / total).quantize(ONE, rounding=ROUND_HALF_UP)


def combined_status(classes) -> str:
    classes = list(classes)
    if not classes:
        return StatusClass.NOT_DUE
    for status in OPEN_ORDER:
        if status in classes:
            return status
    return StatusClass.DONE_LATE if StatusClass.DONE_LATE in classes else StatusClass.DONE_ON_TIME


@dataclass
class TaskFigures:
    progress: Decimal
    status: str
    counts: dict = field(default_factory=dict)  # status class → number of assignments

    @property
    def status_label(self) -> str:
        return StatusClass(self.status).label


@dataclass
class Cascade:
    plans: dict  # id → Plan, the roots and every plan implementing them, at any depth
    tasks: dict  # plan id → [Task]
    task_figures: dict  # task id → TaskFigures
    plan_progress: dict  # plan id → Decimal
    below: dict = field(default_factory=dict)  # plan id → the plans that implement it

    def children(self, plan: Plan) -> list[Plan]:
        return self.below.get(plan.pk, [])


def cascade(root: Plan, on: date | None = None) -> Cascade:
    """The root plan and every plan below it, with task and plan figures (see cascade_many)."""
    return cascade_many([root], on)


def cascade_many(roots, on: date | None = None) -> Cascade:
    """The root plans and every plan below them, with task and plan figures. Queries: one per level of depth for
    the plans, then one for the tasks and one for the assignments, whatever the number of roots and rows."""
    day = on or today()
    plans = {root.pk: root for root in roots}
    frontier = list(plans)
    while frontier:
        below = Plan.objects.filter(parent_plan_id__in=frontier).exclude(pk__in=list(plans)).select_related("issuer")
        frontier = []
        for plan in below:
            plans[plan.pk] = plan
            frontier.append(plan.pk)
    tasks = defaultdict(list)
    for task in (
        Task.objects.filter(plan_id__in=list(plans)).select_related("lead").order_by("plan_id", "code_key", "id")
    ):
        tasks[task.plan_id].append(task)
    assignments = defaultdict(list)
    fields = ["task_id", "organisation_id", "role", "due_on", "progress", "report", "completed_on"]
    for a in Assignment.objects.filter(task__plan_id__in=list(plans)).only("id", *fields):
        assignments[a.task_id].append(a)
    result = Cascade(plans=plans, tasks=tasks, task_figures={}, plan_progress={})
    for plan in plans.values():
        result.below.setdefault(plan.parent_plan_id, []).append(plan)
    for plan in sorted(plans.values(), key=lambda p: -_depth(p, plans)):  # deepest first
        _compute(plan, result, assignments, day)
    return result


def _depth(plan: Plan, plans: dict) -> int:
    depth = 0
    while plan.parent_plan_id in plans and depth < len(plans):
        plan, depth = plans[plan.parent_plan_id], depth + 1
    return depth


def _compute(plan: Plan, result: Cascade, assignments: dict, day: date) -> None:
    implementing = defaultdict(dict)  # task id → {issuer id: plan progress}
    whole = []
    for child in result.children(plan):
        progress = result.plan_progress[child.pk]
        if child.parent_task_id:
            implementing[child.parent_task_id][child.issuer_id] = progress
        else:
            whole.append(progress)
    pairs = []
    for task in result.tasks.get(plan.pk, []):
        rows = assignments.get(task.pk, [])
        unit_plans = implementing.get(task.pk, {})
        weighted = [
            (max(Decimal(a.progress), unit_plans.get(a.organisation_id, Decimal(0))), ROLE_WEIGHTS[a.role])
            for a in rows
        ]
        if rows and not any(w for _, w in weighted):  # only coordinating units: plain mean
            weighted = [(v, 1) for v, _ in weighted]
        classes = [a.status_class(day) for a in rows]
        counts = {s: classes.count(s) for s in StatusClass.values if s in classes}
        figures = TaskFigures(weighted_mean(weighted), combined_status(classes), counts)
        result.task_figures[task.pk] = figures
        pairs.append((figures.progress, task.weight))
    pairs += [(p, 1) for p in whole]
    result.plan_progress[plan.pk] = weighted_mean(pairs)
