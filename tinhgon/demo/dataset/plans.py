"""Reform plans cascading province → department → division for last year and this year: the province's yearly plan
assigns each task to a lead department and to departments and communes; each department's plan implements one of
the province's tasks (parent plan and task) and assigns its tasks to its divisions. Assignments are those
`plans.services.task_save` makes (one per unit involved), reported on in every status class (done on time, done
late, overdue, in progress, not yet due), a few with extension requests; indicators with their quarterly values."""

import calendar
from datetime import date, timedelta
from decimal import Decimal

from tinhgon.core.text import natural_key
from tinhgon.plans.constants import AssignmentRole, ExtensionStatus, PlanKind, PlanStatus
from tinhgon.plans.models import Assignment, ExtensionRequest, Indicator, IndicatorValue, Plan, ReformArea, Task
from tinhgon.plans.periods import spans

from . import vocabulary as vocab


def build(ctx, tree) -> None:
    rng = ctx.rng(tree.province.code, "plans")
    areas = list(ReformArea.objects.order_by("order", "pk"))
    today = ctx.today
    tasks, task_units, plans = [], [], []
    current_plan = None
    for y in (today.year - 1, today.year):
        past = y < today.year
        province_plan = Plan(
            issuer=tree.province,
            number=f"{rng.randint(5, 60)}/KH-UBND",
            issued_on=date(y, 1, rng.randint(5, 25)),
            title=f"Kế hoạch cải cách hành chính năm {y} của {tree.province.name.replace('Ủy ban nhân dân ', '')}",
            kind=PlanKind.REFORM_ANNUAL,
            period_start=date(y, 1, 1),
            period_end=date(y, 12, 31),
            objectives="Đẩy mạnh cải cách thủ tục hành chính, nâng cao chất lượng phục vụ người dân, doanh nghiệp.",
            status=PlanStatus.CLOSED if past else PlanStatus.OPEN,
            closed_on=date(y + 1, 1, 31) if past else None,
            row_version=1,
        )
        Plan.objects.bulk_create([province_plan])
        plans.append(province_plan)
        current_plan = province_plan
        candidates = [*tree.departments, *tree.communes]
        led_by = {}
        for k in range(1, ctx.profile.province_tasks + 1):
            lead = tree.departments[(k - 1) % len(tree.departments)]
            executing = [
                u for u in rng.sample(candidates, min(len(candidates), ctx.profile.executing_per_task + 1)) if u != lead
            ]
            executing = executing[: ctx.profile.executing_per_task]
            task = _task(rng, province_plan, k, lead, y, areas)
            tasks.append(task)
            task_units.append((task, lead, executing))
            led_by.setdefault(lead.pk, task)
        Task.objects.bulk_create([t for t, _, _ in task_units[-ctx.profile.province_tasks :]], batch_size=1000)
        for d in tree.departments:
            parent_task = led_by.get(d.pk) or rng.choice(tasks[-ctx.profile.province_tasks :])
            dept_plan = Plan(
                issuer=d,
                number=f"{rng.randint(5, 200)}/KH-{d.short_name}",
                issued_on=province_plan.issued_on + timedelta(days=rng.randint(7, 30)),
                title=f"Kế hoạch thực hiện nhiệm vụ cải cách hành chính năm {y} của {d.name}",
                kind=PlanKind.PROCEDURE_REFORM,
                period_start=date(y, 1, 1),
                period_end=date(y, 12, 31),
                status=province_plan.status,
                closed_on=province_plan.closed_on,
                parent_plan=province_plan,
                parent_task=parent_task,
                row_version=1,
            )
            plans.append(dept_plan)
        Plan.objects.bulk_create(plans[-len(tree.departments) :], batch_size=1000)
        dept_tasks = []
        for dept_plan, d in zip(plans[-len(tree.departments) :], tree.departments, strict=True):
            divisions = tree.divisions[d.pk]
            for k in range(1, ctx.profile.department_tasks + 1):
                lead = divisions[(k - 1) % len(divisions)]
                task = _task(rng, dept_plan, k, lead, y, areas)
                dept_tasks.append(task)
                task_units.append((task, lead, [u for u in divisions if u != lead]))
        Task.objects.bulk_create(dept_tasks, batch_size=1000)
    through = Task.executing.through
    through.objects.bulk_create(
        [through(task_id=t.pk, organisation_id=u.pk) for t, _, units in task_units for u in units], batch_size=10000
    )
    assignments, extensions = _assignments(rng, today, task_units)
    _indicators(ctx, rng, tree, current_plan, areas)
    ctx.count("plans", len(plans))
    ctx.count("tasks", len(task_units))
    ctx.count("assignments", assignments)
    ctx.count("extension requests", extensions)


def _task(rng, plan, k, lead, year, areas) -> Task:
    month = rng.randint(3, 12)
    code = str(k)
    return Task(
        plan=plan,
        code=code,
        code_key=natural_key(code),
        order=k,
        title=f"{rng.choice(vocab.TASKS)} ({lead.name})",
        area=rng.choice(areas) if areas else None,
        lead=lead,
        deadline=date(year, month, calendar.monthrange(year, month)[1] if rng.random() < 0.5 else 15),
        product=rng.choice(("Báo cáo kết quả", "Kế hoạch triển khai", "Quyết định ban hành", "Văn bản hướng dẫn")),
        row_version=1,
    )


def _assignments(rng, today, task_units) -> tuple[int, int]:
    """Every assignment `task_save` makes (the lead, then the executing units), reported on as the day requires.
    Returns the numbers of assignments and extension requests written."""
    batch, extensions, written, requested = [], [], 0, 0
    for i, (task, lead, executing) in enumerate(task_units):
        for org, role in [(lead, AssignmentRole.LEAD), *[(u, AssignmentRole.EXECUTING) for u in executing]]:
            batch.append(_assignment(rng, today, task, org, role, extensions))
        if len(batch) >= 5000 or i == len(task_units) - 1:
            Assignment.objects.bulk_create(batch, batch_size=5000)
            for e in extensions:
                e.assignment_id = e.assignment.pk
            ExtensionRequest.objects.bulk_create(extensions, batch_size=5000)
            written, requested = written + len(batch), requested + len(extensions)
            batch, extensions = [], []
    return written, requested


def _assignment(rng, today, task, org, role, extensions) -> Assignment:
    due = task.deadline
    a = Assignment(task=task, organisation=org, role=role, due_on=due, original_due_on=due, row_version=1)
    roll = rng.random()
    if due < today:
        if roll < 0.6:  # done on time
            a.completed_on = max(task.plan.period_start, due - timedelta(days=rng.randint(0, 20)))
        elif roll < 0.78:  # done late
            a.completed_on = min(today, due + timedelta(days=rng.randint(1, 40)))
        else:  # overdue
            a.progress = rng.choice((0, 0, 20, 50, 80))
            if rng.random() < 0.15:
                extensions.append(_extension(rng, a, today))
    elif roll < 0.1:
        a.completed_on = min(today, due - timedelta(days=rng.randint(1, 30)))
    elif roll < 0.5:  # in progress
        a.progress = rng.randint(1, 9) * 10
    if a.completed_on:
        a.progress = 100
        a.report = f"Đã hoàn thành: {task.product.lower()}."
    elif a.progress:
        a.report = f"Đang triển khai, đạt khoảng {a.progress}%."
    return a


def _extension(rng, a, today) -> ExtensionRequest:
    return ExtensionRequest(
        assignment=a,
        requested_due_on=today + timedelta(days=rng.randint(15, 60)),
        reason="Nhiệm vụ phụ thuộc văn bản hướng dẫn của cơ quan cấp trên chưa ban hành.",
        status=ExtensionStatus.PENDING,
        row_version=1,
    )


def _indicators(ctx, rng, tree, plan, areas) -> None:
    today = ctx.today
    indicators = []
    n_province = min(len(vocab.INDICATORS), max(2, ctx.profile.departments // 3))
    for name, unit, direction, target in vocab.INDICATORS[:n_province]:
        indicators.append((tree.province, name, unit, direction, target))
    for d in tree.departments:
        for name, unit, direction, target in rng.sample(vocab.INDICATORS, 2):
            indicators.append((d, name, unit, direction, target))
    rows = [
        Indicator(
            name=name,
            unit=unit,
            direction=direction,
            target=Decimal(target),
            period="quarterly",
            organisation=org,
            plan=plan if org == tree.province else None,
            area=rng.choice(areas) if areas else None,
            row_version=1,
        )
        for org, name, unit, direction, target in indicators
    ]
    Indicator.objects.bulk_create(rows, batch_size=1000)
    quarters = [s for s in spans("quarterly", date(today.year - 1, 1, 1), today) if s.end < today]
    values = []
    for indicator in rows:
        for span in quarters:
            spread = Decimal(rng.randint(-15, 10)) if indicator.unit == "%" else Decimal(rng.randint(-8, 8))
            value = (
                max(Decimal(0), min(Decimal(100), indicator.target + spread))
                if indicator.unit == "%"
                else max(Decimal(0), indicator.target + spread)
            )
            values.append(
                IndicatorValue(
                    indicator=indicator,
                    period_start=span.start,
                    period_end=span.end,
                    period_label=span.label,
                    value=value,
                )
            )
    IndicatorValue.objects.bulk_create(values, batch_size=5000)
    ctx.count("indicators", len(rows))
    ctx.count("indicator values", len(values))
