"""Compliance-cost arithmetic of the standard cost model (domain.md §6; TT 02/2017/TT-VPCP Art 27).

The rule, also written in docs/compliance-cost.md and checked with hypothesis:

- hourly rate = monthly income ÷ working days per month ÷ hours per day, kept exact (a Fraction-like Decimal
  quotient is never rounded before use: the work cost is hours × income ÷ (days × hours per day));
- cost of one execution = Σ rows (hours × hourly rate + outsourced service + fees + other costs), rounded once to
  whole VND, half up;
- annual cost = cost of one execution × executions per year × subjects per year, rounded to whole VND, half up;
- saving = before − after; percentage = saving ÷ before × 100, rounded to two decimals by the one rule of shares
  (core.formatting.share: half up by default, setting TINHGON_SHARE_ROUNDING; 0 when before is 0).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

from tinhgon.core.formatting import share

# Enough digits that no quotient of realistic figures (incomes in the tens of millions, fractions of hours) is
# rounded before the single rounding to VND.
EXACT = Context(prec=50)
VND = Decimal("1")
CENT = Decimal("0.01")


def vnd(value: Decimal) -> int:
    """Whole VND, half up."""
    return int(Decimal(value).quantize(VND, rounding=ROUND_HALF_UP))


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """part ÷ whole × 100, two decimals by the one rounding rule of shares (core.formatting.share: half up unless
    TINHGON_SHARE_ROUNDING says otherwise); 0 when whole is 0."""
    return share(part, whole)


@dataclass(frozen=True)
class Rate:
    monthly_income: Decimal
    working_days_per_month: Decimal
    hours_per_day: Decimal

    @property
    def hourly(self) -> Decimal:
        """The exact hourly rate (for display, quantize it; for sums, use `work_cost`)."""
        return EXACT.divide(Decimal(self.monthly_income), self._hours_per_month)

    @property
    def _hours_per_month(self) -> Decimal:
        return EXACT.multiply(Decimal(self.working_days_per_month), Decimal(self.hours_per_day))

    def work_cost(self, hours: Decimal) -> Decimal:
        return EXACT.divide(EXACT.multiply(Decimal(hours), Decimal(self.monthly_income)), self._hours_per_month)


@dataclass(frozen=True)
class Activity:
    hours: Decimal = Decimal(0)
    outsourced_cost: int = 0
    fees: int = 0
    other_costs: int = 0

    def exact_cost(self, rate: Rate) -> Decimal:
        return rate.work_cost(self.hours) + self.outsourced_cost + self.fees + self.other_costs


def cost_per_execution(rate: Rate, activities: Iterable[Activity]) -> int:
    return vnd(sum((a.exact_cost(rate) for a in activities), Decimal(0)))


def annual_cost(per_execution: int, executions_per_year: Decimal, subjects_per_year: int) -> int:
    return vnd(Decimal(per_execution) * Decimal(executions_per_year) * Decimal(subjects_per_year))


@dataclass(frozen=True)
class Benefit:
    before: int
    after: int

    @property
    def saving(self) -> int:
        return self.before - self.after

    @property
    def saving_pct(self) -> Decimal:
        return percent(self.saving, self.before)


@dataclass(frozen=True)
class TimeCut:
    """Thời hạn giải quyết before and after, in working days: days cut and their share of before."""

    before: Decimal
    after: Decimal

    @property
    def days(self) -> Decimal:
        return Decimal(self.before) - Decimal(self.after)

    @property
    def pct(self) -> Decimal:
        return percent(self.days, self.before)
