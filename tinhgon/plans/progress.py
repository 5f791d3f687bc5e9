"""Progress and status roll-ups, in a few queries for a whole cascade of plans.

The rule (shown on the plan page, docs/glossary.md):
- an assignment's progress is what its unit reports (100 once completed); when that unit issued a plan that
  implements the task, the unit's part is the progress of that plan if it is higher than the reported figure;
- a task's progress is the mean of its assignments weighted by role: lead 2, executing 1, coordinating 0 (they
  support and are not measured), over every dated instance of a recurring task;
- a plan's progress is the mean of its dated tasks weighted by `Task.weight`, plus each plan that implements the
  plan as a whole (not one task of it) counted like a task of weight 1; regular tasks ("thường xuyên": no deadline,
  no recurrence) are never due and stay out of it: a plan whose dated tasks are 9 of 10 done is at 90 % whatever
  its regular tasks;
- a task's status class is the worst of its assignments': overdue, else in progress, else not yet due; once all
  are done, done late if any was late, else done on time.

`TaskTally` counts tasks as ministries' reports do (due, completed on time and late, not completed past the
deadline, not yet due, each with its share; regular tasks apart). One object per figure: the plan page, the plan API,
the periodic report (reports/figures.py), its documents and the dashboard all read a tally's `as_json()`.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, ExpressionWrapper, Q

from tinhgon.core import formatting
from tinhgon.core.dates import today
from tinhgon.plans.constants import AssignmentRole, StatusClass
from tinhgon.plans.models import REGULAR, Assignment, Plan, Task, status_class_of

ROLE_WEIGHTS = {AssignmentRole.LEAD: Decimal(2), AssignmentRole.EXECUTING: Decimal(1), AssignmentRole.COORDINATING: 0}
ONE = Decimal("0.1")  # progress is shown to one decimal
OPEN_ORDER = [StatusClass.OVERDUE, StatusClass.IN_PROGRESS, StatusClass.NOT_DUE]


def weighted_mean(pairs) -> Decimal:
    pairs = [(Decimal(v), Decimal(w)) for v, w in pairs]
    total = sum((w for _, w in pairs), Decimal(0))
    if not total:
        return Decimal("0.0")
    return formatting.rounded(sum((v * w for v, w in pairs), Decimal(0)) / total, 1)


def combined_status(classes) -> str:
    classes = list(classes)
    if not classes:
        return StatusClass.NOT_DUE
    for status in OPEN_ORDER:
        if status in classes:
            return status
    return StatusClass.DONE_LATE if StatusClass.DONE_LATE in classes else StatusClass.DONE_ON_TIME


# The rows every page and document prints of a tally: (key, label, key of its share or None).
TALLY_ROWS = [
    ("due", "Nhiệm vụ có thời hạn", None),
    ("done", "Đã hoàn thành", "done_pct"),
    ("done_on_time", "- Hoàn thành đúng hạn", "done_on_time_pct"),
    ("done_late", "- Hoàn thành quá hạn", "done_late_pct"),
    ("overdue", "Chưa hoàn thành, đã quá hạn", "overdue_pct"),
    ("not_due", "Chưa đến hạn", "not_due_pct"),
    ("regular", "Nhiệm vụ thường xuyên (không tính tỷ lệ)", None),
    ("regular_reported", "- Đã báo cáo kết quả", None),
]
SHARE_BASIS = (
    "Tỷ lệ hoàn thành và quá hạn tính trên số nhiệm vụ đã đến hạn hoặc đã hoàn thành; tỷ lệ chưa đến hạn tính trên "
    "tổng số nhiệm vụ có thời hạn. Nhiệm vụ thường xuyên (không có thời hạn) được thống kê riêng, không tính vào "
    "tiến độ và tỷ lệ hoàn thành."
)


@dataclass(frozen=True)
class TaskTally:
    """Tasks as a ministry's task report counts them (báo cáo kết quả thực hiện nhiệm vụ; e.g. Báo cáo
    1270/BC-TCTTTg: "16.051 nhiệm vụ đến hạn đã hoàn thành, đạt 98,62% (đúng hạn: 14.068, quá hạn: 1983); chưa
    hoàn thành: 5.863 (trong hạn: 5.640, quá hạn: 223)"):

    - `due`: the dated tasks counted (a plan's; or those due within a report's period);
    - `done` = `done_on_time` + `done_late`; `overdue`: not completed, past the deadline at the cut-off;
      `not_due`: not completed, deadline not passed (`in_progress` of them reported on);
    - shares of done, on time, late and overdue are of `reached` = done + overdue (the tasks whose deadline came
      or that were done); the share of not yet due is of `due`; all by core.formatting.share (one rounding rule);
    - `regular`: regular tasks ("thường xuyên"), never due, counted apart; `regular_reported`: those with a report.
    """

    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    in_progress: int = 0
    not_started: int = 0
    regular: int = 0
    regular_reported: int = 0

    @classmethod
    def of(cls, classes, regular: int = 0, regular_reported: int = 0) -> "TaskTally":
        """From the status classes (StatusClass) of the dated tasks counted."""
        n = Counter(classes)
        return cls(
            done_on_time=n[StatusClass.DONE_ON_TIME],
            done_late=n[StatusClass.DONE_LATE],
            overdue=n[StatusClass.OVERDUE],
            in_progress=n[StatusClass.IN_PROGRESS],
            not_started=n[StatusClass.NOT_DUE],
            regular=regular,
            regular_reported=regular_reported,
        )

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def not_due(self) -> int:
        return self.in_progress + self.not_started

    @property
    def reached(self) -> int:
        return self.done + self.overdue

    @property
    def due(self) -> int:
        return self.reached + self.not_due

    def as_json(self) -> dict:
        """Plain JSON (shares as strings with two decimals, as reports freeze them), with the rounding rule the
        shares were computed under."""
        reached = self.reached

        def pct(n: int, whole: int) -> str:
            return f"{formatting.share(n, whole):.2f}"

        return {
            "due": self.due,
            "done": self.done,
            "done_on_time": self.done_on_time,
            "done_late": self.done_late,
            "overdue": self.overdue,
            "not_due": self.not_due,
            "in_progress": self.in_progress,
            "reached": reached,
            "regular": self.regular,
            "regular_reported": self.regular_reported,
            "done_pct": pct(self.done, reached),
            "done_on_time_pct": pct(self.done_on_time, reached),
            "done_late_pct": pct(self.done_late, reached),
            "overdue_pct": pct(self.overdue, reached),
            "not_due_pct": pct(self.not_due, self.due),
            "on_time_pct": pct(self.done_on_time, reached),
            "rounding": formatting.share_rounding(),
        }


def tally_rows(figures: dict) -> list[dict]:
    """A tally's JSON as the rows pages and documents print: key, label, count, share (None where there is none).
    Reads what a frozen report holds, old ones (without some keys) included."""
    out = []
    for key, label, pct_key in TALLY_ROWS:
        pct = figures.get(pct_key) if pct_key else None
        out.append({"key": key, "label": label, "n": int(figures.get(key, 0) or 0), "pct": pct})
    return out


def share_note(figures: dict) -> str:
    """What the shares are of and how they were rounded (the rule frozen with them, else today's)."""
    name = figures.get("rounding") or formatting.share_rounding()
    rule = formatting.SHARE_ROUNDINGS.get(name, formatting.SHARE_ROUNDINGS["half_up"])[1]
    return f"{SHARE_BASIS} Tỷ lệ làm tròn đến {formatting.SHARE_PLACES} chữ số thập phân, {rule}."


def class_on(assignment: Assignment, day: date) -> str:
    """An assignment's status class as it stood on `day`: a completion dated after it does not count yet."""
    if assignment.completed_on and assignment.completed_on > day:
        if assignment.due_on is not None and assignment.due_on < day:
            return StatusClass.OVERDUE
        return StatusClass.IN_PROGRESS
    return assignment.status_class(day)


def reported(assignment) -> bool:
    """An Assignment or a Part its unit has reported on."""
    return bool(assignment.completed_on or assignment.progress or assignment.report)


def cascade_parts(plan_ids: list) -> dict[int, list["Part"]]:
    """The assignments of the plans' tasks as Parts, by task id, in one query."""
    rows = (
        Assignment.objects.filter(task__plan_id__in=plan_ids)
        .annotate(reported=ExpressionWrapper(~Q(report=""), output_field=BooleanField()))
        .order_by()
        .values_list(*(f.name for f in fields(Part)))
    )
    parts = defaultdict(list)
    for row in rows:
        part = Part(*row)
        parts[part.task_id].append(part)
    return parts


@dataclass(frozen=True, slots=True)
class Part:
    """What the figures read of an assignment, as values: a plan's cascade holds thousands (7,600 under a province's
    plan at national scale), and building them as model instances was most of the plan page's time."""

    task_id: int
    organisation_id: int
    role: str
    period_label: str
    due_on: date | None
    progress: int
    completed_on: date | None
    reported: bool  # a report was written (its text is not read)

    @property
    def report(self) -> bool:
        return self.reported

    def status_class(self, day: date) -> str:
        return status_class_of(self.completed_on, self.due_on, self.progress, self.reported, day)


@dataclass(frozen=True, slots=True)
class TaskFacts:
    """What the figures read of a task, as values, for a page that shows only the plans' figures (the plan list:
    a province's plans and the hundreds of tasks of their sub-plans on every request)."""

    pk: int
    plan_id: int
    weight: Decimal
    is_regular: bool


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
    tallies: dict = field(default_factory=dict)  # plan id → TaskTally of its own tasks

    def children(self, plan: Plan) -> list[Plan]:
        return self.below.get(plan.pk, [])


def cascade(root: Plan, on: date | None = None) -> Cascade:
    """The root plan and every plan below it, with task and plan figures (see cascade_many)."""
    return cascade_many([root], on)


def cascade_many(roots, on: date | None = None, *, progress_only: bool = False) -> Cascade:
    """The root plans and every plan below them, with task and plan figures. Queries: one per level of depth for
    the plans, then one for the tasks and one for the assignments, whatever the number of roots and rows.
    `progress_only`: the plans' progress alone (`plan_progress`; no task figures or tallies), the tasks read as
    TaskFacts: what a list of plans shows."""
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
    for task in _tasks(list(plans), progress_only):
        tasks[task.plan_id].append(task)
    assignments = cascade_parts(list(plans))
    result = Cascade(plans=plans, tasks=tasks, task_figures={}, plan_progress={})
    for plan in plans.values():
        result.below.setdefault(plan.parent_plan_id, []).append(plan)
    for plan in sorted(plans.values(), key=lambda p: -_depth(p, plans)):  # deepest first
        _compute(plan, result, assignments, day, progress_only)
    return result


def _tasks(plan_ids: list, progress_only: bool):
    tasks = Task.objects.filter(plan_id__in=plan_ids).order_by("plan_id", "code_key", "id")
    if not progress_only:
        return tasks.select_related("lead")
    facts = tasks.annotate(regular=ExpressionWrapper(REGULAR, output_field=BooleanField()))
    return (TaskFacts(*row) for row in facts.values_list("pk", "plan_id", "weight", "regular"))


def _depth(plan: Plan, plans: dict) -> int:
    depth = 0
    while plan.parent_plan_id in plans and depth < len(plans):
        plan, depth = plans[plan.parent_plan_id], depth + 1
    return depth


def _compute(plan: Plan, result: Cascade, assignments: dict, day: date, progress_only: bool = False) -> None:
    """The figures of the plan's tasks and of the plan (its sub-plans computed first). `progress_only`: the plan's
    progress alone, without status classes or tallies (a list of plans shows nothing else)."""
    implementing = defaultdict(dict)  # task id → {issuer id: plan progress}
    whole = []
    for child in result.children(plan):
        progress = result.plan_progress[child.pk]
        if child.parent_task_id:
            implementing[child.parent_task_id][child.issuer_id] = progress
        else:
            whole.append(progress)
    pairs, instances, regular, regular_reported = [], [], 0, 0
    for task in result.tasks.get(plan.pk, []):
        rows = assignments.get(task.pk, [])
        unit_plans = implementing.get(task.pk, {})
        weighted = [
            (max(Decimal(a.progress), unit_plans.get(a.organisation_id, Decimal(0))), ROLE_WEIGHTS[a.role])
            for a in rows
        ]
        if rows and not any(w for _, w in weighted):  # only coordinating units: plain mean
            weighted = [(v, 1) for v, _ in weighted]
        if progress_only:
            pairs += [] if task.is_regular else [(weighted_mean(weighted), task.weight)]
            continue
        classes = [a.status_class(day) for a in rows]
        tally = Counter(classes)
        counts = {s: tally[s] for s in StatusClass.values if s in tally}
        figures = TaskFigures(weighted_mean(weighted), combined_status(classes), counts)
        result.task_figures[task.pk] = figures
        if task.is_regular:
            regular += 1
            regular_reported += any(reported(a) for a in rows)
            continue
        pairs.append((figures.progress, task.weight))
        by_instance = defaultdict(list)  # one dated instance of the task per period label
        for a, status in zip(rows, classes, strict=True):
            by_instance[a.period_label].append(status)
        instances += [combined_status(c) for c in by_instance.values()] or [StatusClass.NOT_DUE]
    pairs += [(p, 1) for p in whole]
    result.plan_progress[plan.pk] = weighted_mean(pairs)
    if not progress_only:
        result.tallies[plan.pk] = TaskTally.of(instances, regular, regular_reported)
