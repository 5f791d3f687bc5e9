"""Builders for plan tests."""

from datetime import date, timedelta

from tinhgon.core.dates import today
from tinhgon.plans import services
from tinhgon.plans.constants import PlanKind
from tinhgon.plans.models import Plan, Task


def plan(issuer, title="Kế hoạch cải cách thủ tục hành chính năm 2026", year=2026, **fields) -> Plan:
    """Issued on 05/01 of its year, or a month before today when that is earlier: what the tests complete or decide
    "a few days ago" is never before the plan was issued (core.dates.legal_date), whatever day they run."""
    values = {
        "number": "12/KH-UBND",
        "issued_on": min(date(year, 1, 5), today() - timedelta(days=30)),
        "kind": PlanKind.PROCEDURE_REFORM,
        "period_start": date(year, 1, 1),
        "period_end": date(year, 12, 31),
        **fields,
    }
    return services.plan_save(plan=Plan(issuer=issuer, title=title, **values))


def task(plan: Plan, lead, code="1", title="Rà soát, đơn giản hóa thủ tục nội bộ", coordinating=(), executing=(), **f):
    return services.task_save(
        task=Task(plan=plan, lead=lead, code=code, title=title, **f), coordinating=coordinating, executing=executing
    )
