"""Report periods and their data cut-off dates (domain.md §8; NĐ 09/2019 as applied to internal procedures, [I]).

With the default cut-off day 15 (setting TINHGON_REPORT_CUTOFF_DAY), a period runs from the 15th of the month
before it to the 14th of its last month: month M = 15/(M-1) – 14/M; quarter 1 = 15/12 of the year before – 14/03;
half-year 1 = 15/12 – 14/06, half-year 2 = 15/06 – 14/12; year = 15/12 of the year before – 14/12. With the
setting at 1, periods are calendar months, quarters, half-years and years.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models

from tinhgon.core.formatting import period_name, span_name


class Kind(models.TextChoices):
    MONTHLY = "monthly", "Báo cáo tháng"
    QUARTERLY = "quarterly", "Báo cáo quý"
    HALF_YEAR = "half_year", "Báo cáo 6 tháng"
    ANNUAL = "annual", "Báo cáo năm"
    AD_HOC = "ad_hoc", "Báo cáo đột xuất"


# kind → (number of months in the period, largest `number`)
SHAPE = {Kind.MONTHLY: (1, 12), Kind.QUARTERLY: (3, 4), Kind.HALF_YEAR: (6, 2), Kind.ANNUAL: (12, 1)}


@dataclass(frozen=True)
class ReportPeriod:
    kind: str
    year: int
    number: int
    start: date
    end: date

    @property
    def label(self) -> str:
        """The period's own name: 'quý III/2026', '6 tháng đầu năm 2026', 'từ 01/10/2026 đến 15/11/2026'."""
        if self.kind in SHAPE:
            return period_name(SHAPE[self.kind][0], self.year, self.number)
        return span_name(self.start, self.end)

    @property
    def title(self) -> str:
        """What the report is called, built from the period's name so no word repeats: 'Báo cáo quý IV/2026',
        'Báo cáo năm 2026', 'Báo cáo đột xuất từ 01/10/2026 đến 15/11/2026'."""
        if self.kind == Kind.AD_HOC:
            return f"Báo cáo đột xuất {self.label}"
        return f"Báo cáo {self.label}"


def cutoff_day() -> int:
    return int(getattr(settings, "TINHGON_REPORT_CUTOFF_DAY", 15))


def _month_start(year: int, month: int) -> tuple[int, int]:
    """(year, month) normalised, month possibly ≤ 0 or > 12."""
    year += (month - 1) // 12
    return year, (month - 1) % 12 + 1


def period(kind: str, year: int, number: int = 1, start: date | None = None, end: date | None = None) -> ReportPeriod:
    """The period of a report. Ad-hoc reports take the given dates."""
    if kind == Kind.AD_HOC:
        if not (start and end) or end < start:
            raise ValueError("Báo cáo đột xuất cần ngày bắt đầu và ngày kết thúc hợp lệ.")
        return ReportPeriod(kind, year or end.year, number or 1, start, end)
    months, largest = SHAPE[kind]
    if not 1 <= number <= largest:
        raise ValueError(f"Kỳ báo cáo không hợp lệ: số {number}.")
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    day = cutoff_day()
    if day <= 1:
        first = date(year, first_month, 1)
        y, m = _month_start(year, last_month + 1)
        return ReportPeriod(kind, year, number, first, date(y, m, 1) - timedelta(days=1))
    y, m = _month_start(year, first_month - 1)
    return ReportPeriod(kind, year, number, date(y, m, day), date(year, last_month, day - 1))


def current(kind: str, on: date) -> ReportPeriod:
    """The period of `kind` that contains `on`."""
    months, largest = SHAPE[kind]
    for year in (on.year, on.year + 1):
        for number in range(1, largest + 1):
            p = period(kind, year, number)
            if p.start <= on <= p.end:
                return p
    raise ValueError("Không xác định được kỳ báo cáo.")
