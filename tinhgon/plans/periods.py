"""Calendar periods: the instances of a recurring task and the periods of indicators."""

import calendar
from dataclasses import dataclass
from datetime import date

from tinhgon.core.formatting import period_name
from tinhgon.plans.constants import Period, Recurrence

MONTHS = {
    Recurrence.MONTHLY: 1,
    Recurrence.QUARTERLY: 3,
    Recurrence.HALF_YEARLY: 6,
    Recurrence.YEARLY: 12,
    Period.MONTHLY: 1,
    Period.QUARTERLY: 3,
    Period.HALF_YEARLY: 6,
    Period.YEARLY: 12,
}


@dataclass(frozen=True)
class Span:
    start: date
    end: date
    label: str


def _label(kind: str, start: date) -> str:
    """The period's own name (core.formatting.period_name), the same words a report uses: 'quý III/2026'."""
    months = MONTHS[kind]
    return period_name(months, start.year, (start.month - 1) // months + 1)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def spans(kind: str, start: date, end: date) -> list[Span]:
    """Calendar periods of `kind` (month, quarter, half-year, year) that overlap [start, end], in order."""
    step = MONTHS[kind]
    month = ((start.month - 1) // step) * step + 1
    year, out = start.year, []
    while date(year, month, 1) <= end:
        last_month = month + step - 1
        first = date(year, month, 1)
        out.append(Span(first, _month_end(year, last_month), _label(kind, first)))
        month += step
        if month > 12:
            year, month = year + 1, 1
    return out


def instance_due_dates(recurrence: str, start: date, end: date, day: int | None = None) -> list[Span]:
    """The dated instances of a recurring task inside [start, end]: each period's last day, or day `day` of the
    period's last month ("báo cáo trước ngày 15 tháng cuối quý"), never after `end`."""
    out = []
    for span in spans(recurrence, start, end):
        due = span.end
        if day:
            due = date(span.end.year, span.end.month, min(day, span.end.day))
        due = min(due, end)
        if due >= start:
            out.append(Span(span.start, due, span.label))
    return out
