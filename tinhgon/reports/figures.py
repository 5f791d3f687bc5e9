"""The figures of a periodic report, computed from the data as of the period's cut-off (domain.md §8: published
procedures by group, level, field and change; review and simplification results; implementation; tasks; indicators).

Everything is plain JSON (numbers, strings; percentages as strings with two decimals) so a submitted report can
freeze it as it was. A fixed number of queries, whatever the size of the subtree.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from tinhgon.organisations.models import Organisation
from tinhgon.plans.models import Assignment, Indicator, IndicatorValue, ReformArea, Task
from tinhgon.plans.progress import TaskTally, class_on, combined_status, reported
from tinhgon.procedures.constants import DecisionStatus, Group
from tinhgon.procedures.models import DecisionItem, ProcedureVersion
from tinhgon.reports.periods import Kind, ReportPeriod, current
from tinhgon.reviews.constants import ImplementationStatus
from tinhgon.reviews.ledger import Filters, ledger
from tinhgon.reviews.models import ImplementationItem


def _pct(value: Decimal) -> str:
    """A share (already rounded by core.formatting.share) as a frozen report stores it: '18.97'."""
    return f"{value:.2f}"


def procedures_figures(units, p: ReportPeriod) -> dict:
    in_force = ProcedureVersion.objects.in_force_on(p.end).filter(
        procedure__owner__in=units, procedure__is_template=False
    )
    by_group = dict(in_force.values_list("group").annotate(n=Count("pk")).order_by())
    by_level = dict(in_force.values_list("level").annotate(n=Count("pk")).order_by())
    by_field = [
        {"field": name, "n": n}
        for name, n in in_force.values_list("field__name").annotate(n=Count("pk")).order_by("-n", "field__name")
    ]
    items = DecisionItem.objects.filter(
        decision__status__in=[DecisionStatus.ISSUED, DecisionStatus.APPLIED],
        decision__effective_on__gte=p.start,
        decision__effective_on__lte=p.end,
        version__procedure__owner__in=units,
    )
    decided = dict(items.values_list("change").annotate(n=Count("pk")).order_by())
    return {
        "in_force": sum(by_group.values()),
        "by_group": by_group,
        "by_level": by_level,
        "by_field": by_field,
        "decided": {change: decided.get(change, 0) for change in CHANGES},
        "decided_by_month": decided_by_month(items, p),
    }


CHANGES = ("new", "amended", "replaced", "abolished")


def report_months(p: ReportPeriod) -> list[ReportPeriod]:
    """The report months (periods.current: with the cut-off day, 15/(M-1) – 14/M) that the period covers, the
    first and last cut to the period's own dates (an ad-hoc report may start or end within a month)."""
    months, day = [], p.start
    while day <= p.end:
        month = current(Kind.MONTHLY, day)
        months.append(ReportPeriod(Kind.MONTHLY, month.year, month.number, day, min(month.end, p.end)))
        day = month.end + timedelta(days=1)
    return months


def decided_by_month(items, p: ReportPeriod) -> list[dict]:
    """The monthly statistics the province's reform plan asks for (QĐ 258/QĐ-UBND Trà Vinh, 2024): for each report
    month of the period, the procedures each decision made new, amended, replaced or abolished, counted in the
    month the decision took effect (its effective_on, the legal date) and split by group: internal A, internal B
    and ordinary (O). One query, grouped by day."""
    counts = items.values_list("decision__effective_on", "version__group", "change").annotate(n=Count("pk"))
    rows = [
        {
            "month": month.label,
            "start": month.start.isoformat(),
            "end": month.end.isoformat(),
            "by_group": {group: dict.fromkeys(CHANGES, 0) for group in Group.values},
        }
        for month in report_months(p)
    ]
    for day, group, change, n in counts.order_by():
        row = next(r for r in rows if r["start"] <= day.isoformat() <= r["end"])
        row["by_group"].setdefault(group, dict.fromkeys(CHANGES, 0))[change] += n
    return rows


def monthly_rows(months: list[dict]):
    """The monthly statistics of `decided_by_month` (as frozen in a report) row by row, for the page and the files:
    (the month's name on its first row, else "", the group, the counts in CHANGES order)."""
    for month in months:
        for n, group in enumerate(Group):
            counts = month["by_group"].get(group.value, {})
            yield ("" if n else month["month"]), group, [int(counts.get(change) or 0) for change in CHANGES]


def reviews_figures(org: Organisation, units, p: ReportPeriod) -> dict:
    result = ledger(Filters(roots=(org,), as_of=p.end))
    overdue = ImplementationItem.objects.filter(proposal__review__procedure__owner__in=units, due_on__lt=p.end).exclude(
        status=ImplementationStatus.DONE,
        issued_on__lte=p.end,  # done after the cut-off: still overdue at it
    )
    return {
        "published": result.published,
        "reviewed": result.reviewed,
        "reviewed_pct": _pct(result.reviewed_pct),
        "by_action": result.by_action,
        "approved_by_action": result.approved_by_action,
        "simplified": result.simplified,
        "simplified_pct": _pct(result.simplified_pct),
        "cost_before": result.cost_before,
        "cost_after": result.cost_after,
        "cost_saving": result.cost_saving,
        "cost_saving_pct": _pct(result.cost_saving_pct),
        "implemented": result.implemented,
        "implemented_pct": _pct(result.implemented_pct),
        "time_cut": result.time_cut,
        "time_cut_days": str(result.time_cut_days),
        "time_cut_pct": _pct(result.time_cut_pct),
        "implementation_overdue": overdue.count(),
    }


def tasks_figures(units, p: ReportPeriod, as_of: date | None = None) -> dict:
    """Nhiệm vụ được giao of the units in scope, as ministries' task reports count them (plans/progress.TaskTally):
    the assignments (a unit's part in a task, per dated instance) due within the period, classed as of the cut-off
    (`as_of`, else the period's last day; a completion dated later does not count yet), and apart from them the
    units' parts in regular tasks ("thường xuyên") of plans running in the period, with how many were reported on
    in the period (the unit's report last saved between the period's start and the cut-off: an assignment keeps
    its latest report only). The page, the documents, the API and the dashboard all read this one dict."""
    cut = as_of or p.end
    mine = Assignment.objects.within(units)
    fields = ("due_on", "completed_on", "progress", "report", "updated_at")
    due = mine.filter(due_on__gte=p.start, due_on__lte=p.end).only(*fields)
    regular = mine.filter(
        task__in=Task.objects.regular().filter(plan__period_start__lte=cut, plan__period_end__gte=p.start)
    ).only(*fields)
    regular = list(regular)
    in_period = [a for a in regular if reported(a) and p.start <= timezone.localdate(a.updated_at) <= cut]
    return TaskTally.of([class_on(a, cut) for a in due], len(regular), len(in_period)).as_json()


def indicators_figures(org: Organisation, p: ReportPeriod) -> list[dict]:
    """The organisation's own indicators with their latest value up to the cut-off."""
    return [row for _, row in _indicators(org, p)]


def _indicators(org: Organisation, p: ReportPeriod) -> list[tuple[str, dict]]:
    """indicators_figures' rows, each with its reform area's code ("" for none)."""
    out = []
    values = {}
    for v in IndicatorValue.objects.filter(indicator__organisation=org, period_start__lte=p.end).order_by(
        "indicator_id", "period_start"
    ):
        values[v.indicator_id] = v  # the last one wins
    for indicator in Indicator.objects.filter(organisation=org).select_related("area").order_by("name"):
        v = values.get(indicator.pk)
        out.append(
            (
                indicator.area.code if indicator.area else "",
                {
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "direction": indicator.direction,
                    "target": f"{indicator.target:.2f}",
                    "value": f"{v.value:.2f}" if v else None,
                    "period": v.period_label if v else "",
                    "status": indicator.status_of(v.value if v else None, v.period_end if v else p.end, on=p.end),
                },
            )
        )
    return out


# The half-year and annual CCHC reports are written area by area (lĩnh vực cải cách hành chính, ReformArea).
AREA_KINDS = frozenset({Kind.HALF_YEAR, Kind.ANNUAL})
UNCLASSIFIED = "Chưa phân lĩnh vực"


def areas_figures(units, p: ReportPeriod, indicators: list[tuple[str, dict]]) -> list[dict]:
    """Kết quả thực hiện các nhiệm vụ cải cách hành chính, by reform area in the areas' order: the tasks of the
    plans issued within the organisation's subtree for the report's year, each classed as of the cut-off like on
    the plan page (tinhgon/plans/progress.py: the worst of its assignments'), and the organisation's indicators
    (`indicators`: indicators_figures' rows with their area's code). Tasks are tallied like the report's (TaskTally:
    dated tasks with their shares, regular ones apart). Every area in use is listed, even with
    nothing in it, as a report goes through them all; what has no area comes last under "Chưa phân lĩnh vực",
    only when there is some. Three queries, whatever the number of tasks."""
    year_start, year_end = date(p.year, 1, 1), date(p.year, 12, 31)
    tasks = Task.objects.filter(
        plan__issuer__in=units, plan__period_start__lte=year_end, plan__period_end__gte=year_start
    )
    classes = defaultdict(list)  # task id → its assignments' status classes
    was_reported = set()  # ids of tasks some unit reported on
    area_of = {
        pk: (code, not recurrence and deadline is None)
        for pk, code, recurrence, deadline in tasks.values_list("pk", "area__code", "recurrence", "deadline")
    }
    fields = ("task_id", "due_on", "completed_on", "progress", "report")
    for a in Assignment.objects.filter(task__in=tasks).only(*fields):
        classes[a.task_id].append(class_on(a, p.end))
        if reported(a):
            was_reported.add(a.task_id)
    by_area = defaultdict(lambda: ([], [0, 0]))  # area code ("" for none) → (dated tasks' classes, [regular, reported])
    for task_id, (code, regular) in area_of.items():
        dated, apart = by_area[code or ""]
        if regular:
            apart[0] += 1
            apart[1] += task_id in was_reported
        else:
            dated.append(combined_status(classes.get(task_id, [])))
    indicators_by_area = defaultdict(list)
    for code, indicator in indicators:
        indicators_by_area[code].append(indicator)
    out = []
    for area in ReformArea.objects.order_by("order", "name"):
        if area.is_active or area.code in by_area or indicators_by_area.get(area.code):
            out.append(_area_row(area.code, area.name, by_area, indicators_by_area))
    if "" in by_area or indicators_by_area.get(""):
        out.append(_area_row("", UNCLASSIFIED, by_area, indicators_by_area))
    return out


def area_tasks(t: dict) -> dict:
    """An area's tasks as pages and documents print them, from a tally (TaskTally.as_json) or from a report frozen
    before tallies (total, done, done_late, in_progress meaning every open task not overdue, overdue)."""
    if "due" not in t:
        t = {**t, "due": t.get("total", 0), "not_due": t.get("in_progress", 0), "regular": 0, "regular_reported": 0}
    return {k: int(t.get(k, 0) or 0) for k in ("due", "done", "done_late", "not_due", "overdue", "regular")} | {
        "done_pct": t.get("done_pct"),
        "overdue_pct": t.get("overdue_pct"),
        "regular_reported": int(t.get("regular_reported", 0) or 0),
    }


def _area_row(code: str, name: str, by_area: dict, indicators_by_area: dict) -> dict:
    dated, (regular, regular_reported) = by_area.get(code, ([], [0, 0]))
    return {
        "code": code,
        "name": name,
        "tasks": TaskTally.of(dated, regular, regular_reported).as_json(),
        "indicators": indicators_by_area.get(code, []),
    }


def compute(org: Organisation, p: ReportPeriod) -> dict:
    units = Organisation.objects.ever_under([org])
    indicators = _indicators(org, p)
    figures = {
        "procedures": procedures_figures(units, p),
        "reviews": reviews_figures(org, units, p),
        "tasks": tasks_figures(units, p),
        "indicators": [row for _, row in indicators],
    }
    if p.kind in AREA_KINDS:
        figures["areas"] = areas_figures(units, p, indicators)
    return figures
