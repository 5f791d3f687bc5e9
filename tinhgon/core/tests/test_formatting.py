"""The one formatter for figures in Vietnamese (core/formatting.py) and its template filters."""

import io
from datetime import date
from decimal import Decimal

from django.template import Context, Template

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from tinhgon.core.formatting import day, money, number, percent, period_name
from tinhgon.core.workbooks import percent_cell, safe_cell

decimals = st.decimals(min_value=-(10**15), max_value=10**15, allow_nan=False, allow_infinity=False, places=4)


def _read_back(text: str) -> Decimal:
    """How a person reads a Vietnamese figure: dots group, the comma is the decimal point."""
    return Decimal(text.replace(".", "").replace(",", "."))


@given(decimals)
def test_a_number_reads_back_as_the_same_value(value):
    assert _read_back(number(value)) == value


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_thousands_are_grouped_by_three_with_dots_and_no_comma(value):
    text = number(value).lstrip("-")
    groups = text.split(".")
    assert "," not in text and all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


@given(decimals)
def test_a_percentage_has_two_decimals_after_a_comma_and_no_space(value):
    text = percent(value)
    assert text.endswith("%") and " " not in text
    assert len(text[:-1].rpartition(",")[2]) == 2 and "." not in text[:-1].rpartition(",")[2]


@given(st.integers(min_value=0, max_value=10**13))
def test_money_is_whole_dong(value):
    assert money(value) == number(value) + " đồng"


def test_the_examples_of_the_house_style():
    assert number(1_234_567) == "1.234.567"
    assert money(549_915_000) == "549.915.000 đồng"
    assert percent(Decimal("18.97")) == "18,97%" and percent("18.97") == "18,97%" and percent(5) == "5,00%"
    assert number(Decimal("1234567.125"), 2) == "1.234.567,13" and number(Decimal("0.50")) == "0,5"
    assert day(date(2026, 3, 5)) == "05/03/2026" and day(None) == ""


def test_a_value_rounded_to_zero_has_no_minus_sign():
    assert number(Decimal("-0.001"), 2) == "0,00"


@pytest.mark.parametrize(
    ("months", "number_", "name"),
    [
        (1, 11, "tháng 11/2026"),
        (1, 6, "tháng 06/2026"),
        (3, 3, "quý III/2026"),
        (3, 4, "quý IV/2026"),
        (6, 1, "6 tháng đầu năm 2026"),
        (6, 2, "6 tháng cuối năm 2026"),
        (12, 1, "năm 2026"),
    ],
)
def test_a_period_is_named_from_the_period_itself(months, number_, name):
    assert period_name(months, 2026, number_) == name


def test_the_template_filters_write_figures_like_the_documents():
    html = Template(
        "{% load vn %}{{ n|number }} · {{ m|money }} · {{ p|percent }} · {{ d|day }} · {{ none|number }}"
    ).render(Context({"n": 10_000_000, "m": 549_915_000, "p": "18.97", "d": date(2026, 12, 31), "none": None}))
    assert html == "10.000.000 · 549.915.000 đồng · 18,97% · 31/12/2026 · "


def test_a_share_is_a_number_formatted_as_a_percentage_in_a_workbook():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.append([percent_cell(ws, Decimal("18.97")), safe_cell(ws, 10_000_000)])
    buffer = io.BytesIO()
    wb.save(buffer)
    share, amount = next(load_workbook(buffer).active.iter_rows())
    assert share.value == pytest.approx(0.1897) and share.number_format == "0.00%"
    assert amount.value == 10_000_000 and amount.number_format == "#,##0"


@pytest.mark.parametrize("typed", ["=SUM(A1)", "+84 912", "-2+3", "@cmd"])
def test_formula_like_text_reads_back_as_typed_without_a_visible_quote_and_is_no_formula(typed):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.append([safe_cell(ws, typed)])
    buffer = io.BytesIO()
    wb.save(buffer)
    cell = load_workbook(buffer).active["A1"]
    assert cell.value == typed and cell.data_type == "s" and cell.quotePrefix
