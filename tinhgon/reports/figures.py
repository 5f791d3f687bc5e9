"""The figures of a periodic report, computed from the data as of the period's cut-off (domain.md §8: published
procedures by group, level, field and change; review and simplification results; implementation; tasks; indicators).

Everything is plain JSON (numbers, strings; percentages as strings with two decimals) so a submitted report can
freeze it as it was. A fixed number of queries, whatever the size of the subtree.
"""

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count

from tinhgon.organisations.models import Organisation
from tinhgon.plans.constants import StatusClass
from tinhgon.plans.models import Assignment, Indicator, IndicatorValue, ReformArea, Task
from tinhgon.plans.progress import combined_status
from tinhgon.procedures.constants import DecisionStatus
from tinhgon.procedures.models import DecisionItem, ProcedureVersion
from tinhgon.reports.periods import Kind, ReportPeriod
from tinhgon.reviews.constants import ImplementationStatus
from tinhgon.reviews.ledger import Filters, ledger
from tinhgon.reviews.models import ImplementationItem


def _pct(value: Decimal) -> str:
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
    decided = dict(
        DecisionItem.objects.filter(
            decision__status__in=[DecisionStatus.ISSUED, DecisionStatus.APPLIED],
            decision__effective_on__gte=p.start,
            decision__effective_on__lte=p.end,
            version__procedure__owner__in=units,
        )
        .values_list("change")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "in_force": sum(by_group.values()),
        "by_group": by_group,
        "by_level": by_level,
        "by_field": by_field,
        "decided": {change: decided.get(change, 0) for change in ("new", "amended", "replaced", "abolished")},
    }


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
        "implementation_overdue": overdue.count(),
    }


def tasks_figures(units, p: ReportPeriod) -> dict:
    """Assignments of units in scope due within the period, classed as of its last day."""
    due = Assignment.objects.within(units).filter(due_on__gte=p.start, due_on__lte=p.end)
    classes = Counter(a.status_class(p.end) for a in due.only("due_on", "completed_on", "progress", "report"))
    counts = {status: classes.get(status, 0) for status in StatusClass.values}
    total = sum(counts.values())
    done_on_time = counts[StatusClass.DONE_ON_TIME]
    return {"due": total, **counts, "on_time_pct": _pct(Decimal(done_on_time * 100) / total if total else Decimal(0))}


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


def _task_counts(classes: list[str]) -> dict:
    """Tasks by what a report says of them: done (of which late), in progress (not yet due included), overdue."""
    counts = Counter(classes)
    return {
        "total": len(classes),
        "done": counts[StatusClass.DONE_ON_TIME] + counts[StatusClass.DONE_LATE],
        "done_late": counts[StatusClass.DONE_LATE],
        "in_progress": counts[StatusClass.IN_PROGRESS] + counts[StatusClass.NOT_DUE],
        "overdue": counts[StatusClass.OVERDUE],
    }


def areas_figures(units, p: ReportPeriod, indicators: list[tuple[str, dict]]) -> list[dict]:
    """Kết quả thực hiện các nhiệm vụ cải cách hành chính, by reform area in the areas' order: the tasks of the
    plans issued within the organisation's subtree for the report's year, each classed as of the cut-off like on
    the plan page (tinhgon/plans/progress.py: the worst of its assignments'), and the organisation's indicators
    (`indicators`: indicators_figures' rows with their area's code). Every area in use is listed, even with
    nothing in it, as a report goes through them all; what has no area comes last under "Chưa phân lĩnh vực",
    only when there is some. Three queries, whatever the number of tasks."""
    year_start, year_end = date(p.year, 1, 1), date(p.year, 12, 31)
    tasks = Task.objects.filter(
        plan__issuer__in=units, plan__period_start__lte=year_end, plan__period_end__gte=year_start
    )
    classes = defaultdict(list)  # task id → its assignments' status classes
    area_of = dict(tasks.values_list("pk", "area__code"))
    fields = ("task_id", "due_on", "completed_on", "progress", "report")
    for a in Assignment.objects.filter(task__in=tasks).only(*fields):
        classes[a.task_id].append(a.status_class(p.end))
    by_area = defaultdict(list)  # area code ("" for none) → the tasks' status classes
    for task_id, code in area_of.items():
        by_area[code or ""].append(combined_status(classes.get(task_id, [])))
    indicators_by_area = defaultdict(list)
    for code, indicator in indicators:
        indicators_by_area[code].append(indicator)
    out = []
    for area in ReformArea.objects.order_by("order", "name"):
        if area.is_active or by_area.get(area.code) or indicators_by_area.get(area.code):
            out.append(_area_row(area.code, area.name, by_area, indicators_by_area))
    if by_area.get("") or indicators_by_area.get(""):
        out.append(_area_row("", UNCLASSIFIED, by_area, indicators_by_area))
    return out


def _area_row(code: str, name: str, by_area: dict, indicators_by_area: dict) -> dict:
    return {
        "code": code,
        "name": name,
        "tasks": _task_counts(by_area.get(code, [])),
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
