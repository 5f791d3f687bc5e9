"""Builders for plan tests."""

from datetime import date

from tinhgon.plans import services
from tinhgon.plans.constants import PlanKind
from tinhgon.plans.models import Plan, Task


def plan(issuer, title="Kế hoạch cải cách thủ tục hành chính năm 2026", year=2026, **fields) -> Plan:
    values = {
        "number": "12/KH-UBND",
        "issued_on": date(year, 1, 5),
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
