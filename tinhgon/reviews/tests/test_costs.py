"""The compliance-cost rule (tinhgon/reviews/costs.py, docs/compliance-cost.md): exact Decimal arithmetic, one
rounding to whole VND half up, percentages to two decimals half up; the worked examples of domain.md §6.3."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tinhgon.reviews import costs

RATE = costs.Rate(Decimal("8800000"), Decimal("22"), Decimal("8"))


def test_hourly_rate_of_the_worked_example():
    assert RATE.hourly == Decimal("50000")


def test_worked_example_before_and_after():
    before = [
        costs.Activity(Decimal("8"), other_costs=40_000),  # 4 sets × 20 pages × 500 đ printing
        costs.Activity(Decimal("2"), other_costs=50_000),  # travel
        costs.Activity(Decimal("2")),
        costs.Activity(Decimal("1")),
    ]
    after = [costs.Activity(Decimal(h)) for h in ("6", "0.5", "0", "0.25")]
    per_before, per_after = costs.cost_per_execution(RATE, before), costs.cost_per_execution(RATE, after)
    assert (per_before, per_after) == (740_000, 337_500)
    annual_before, annual_after = costs.annual_cost(per_before, Decimal(1), 120), costs.annual_cost(per_after, 1, 120)
    assert (annual_before, annual_after) == (88_800_000, 40_500_000)
    benefit = costs.Benefit(annual_before, annual_after)
    assert (benefit.saving, benefit.saving_pct) == (48_300_000, Decimal("54.39"))


def test_five_procedure_portfolio():
    portfolio = [(88_800_000, 40_500_000), (12_000_000, 0), (30_000_000, 30_000_000), (20_000_000, 18_000_000)]
    portfolio.append((9_200_000, 9_200_000))
    before, after = sum(b for b, _ in portfolio), sum(a for _, a in portfolio)
    assert (before, after) == (160_000_000, 97_700_000)
    assert costs.Benefit(before, after).saving_pct == Decimal("38.94")
    assert costs.percent(3, 5) == Decimal("60.00")


def test_rounding_is_half_up_once():
    rate = costs.Rate(Decimal("1000000"), Decimal("22"), Decimal("8"))  # 5,681.8181... đ/h
    assert costs.cost_per_execution(rate, [costs.Activity(Decimal("1"))] * 3) == 17_045  # 17,045.45 → 17,045
    assert costs.cost_per_execution(rate, [costs.Activity(Decimal("0.5"))] * 3) == 8_523  # 8,522.727 → 8,523
    assert costs.vnd(Decimal("2.5")) == 3 and costs.vnd(Decimal("3.5")) == 4  # not banker's rounding
    assert costs.percent(1, 8) == Decimal("12.50") and costs.percent(1, 3) == Decimal("33.33")
    assert costs.percent(2, 3) == Decimal("66.67") and costs.percent(1, 0) == Decimal("0.00")
    assert costs.percent(1, 200_000) == Decimal("0.00") and costs.percent(1, 20_000) == Decimal("0.01")


money = st.integers(min_value=0, max_value=50_000_000)
hours = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False)
activities = st.lists(st.builds(costs.Activity, hours, money, money, money), min_size=1, max_size=12)
rates = st.builds(
    costs.Rate,
    st.integers(min_value=1_000_000, max_value=100_000_000).map(Decimal),
    st.sampled_from([Decimal("20"), Decimal("21.5"), Decimal("22"), Decimal("26")]),
    st.sampled_from([Decimal("7.5"), Decimal("8")]),
)


@given(rates, activities)
def test_total_equals_the_sum_of_rows_rounded_once(rate, rows):
    exact = sum((row.exact_cost(rate) for row in rows), Decimal(0))
    total = costs.cost_per_execution(rate, rows)
    assert abs(Decimal(total) - exact) <= Decimal("0.5")
    assert total >= sum(r.outsourced_cost + r.fees + r.other_costs for r in rows)


@given(money, money)
def test_saving_and_percentage(before, after):
    benefit = costs.Benefit(before, after)
    assert benefit.saving == before - after
    if after <= before:
        assert Decimal(0) <= benefit.saving_pct <= Decimal(100)
    if before and after == 0:
        assert benefit.saving_pct == Decimal(100)
    if after == before:
        assert benefit.saving_pct == Decimal(0)
    assert benefit.saving_pct == benefit.saving_pct.quantize(Decimal("0.01"))


@given(st.integers(min_value=0, max_value=10_000_000), st.integers(min_value=0, max_value=100), st.integers(0, 5000))
def test_annual_cost_is_per_execution_times_frequency_times_subjects(per_execution, executions, subjects):
    assert costs.annual_cost(per_execution, Decimal(executions), subjects) == per_execution * executions * subjects
