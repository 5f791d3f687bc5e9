from datetime import date

from django.test import override_settings

import pytest

from tinhgon.reports.periods import Kind, current, period


@pytest.mark.parametrize(
    ("kind", "year", "number", "start", "end"),
    [
        (Kind.MONTHLY, 2026, 1, date(2025, 12, 15), date(2026, 1, 14)),  # crosses the year boundary
        (Kind.MONTHLY, 2026, 12, date(2026, 11, 15), date(2026, 12, 14)),
        (Kind.MONTHLY, 2024, 3, date(2024, 2, 15), date(2024, 3, 14)),
        (Kind.QUARTERLY, 2026, 1, date(2025, 12, 15), date(2026, 3, 14)),
        (Kind.QUARTERLY, 2026, 4, date(2026, 9, 15), date(2026, 12, 14)),
        (Kind.HALF_YEAR, 2026, 1, date(2025, 12, 15), date(2026, 6, 14)),
        (Kind.HALF_YEAR, 2026, 2, date(2026, 6, 15), date(2026, 12, 14)),
        (Kind.ANNUAL, 2026, 1, date(2025, 12, 15), date(2026, 12, 14)),
    ],
)
def test_cut_off_periods(kind, year, number, start, end):
    p = period(kind, year, number)
    assert (p.start, p.end) == (start, end)


@override_settings(TINHGON_REPORT_CUTOFF_DAY=1)
def test_calendar_periods_when_configured():
    assert (period(Kind.QUARTERLY, 2026, 4).start, period(Kind.QUARTERLY, 2026, 4).end) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
    )
    assert period(Kind.MONTHLY, 2024, 2).end == date(2024, 2, 29)
    assert period(Kind.ANNUAL, 2026).start == date(2026, 1, 1)


def test_labels_current_and_bad_input():
    assert period(Kind.QUARTERLY, 2026, 2).label == "quý II/2026"
    assert period(Kind.HALF_YEAR, 2026, 1).label == "6 tháng đầu năm 2026"
    assert current(Kind.QUARTERLY, date(2026, 12, 20)) == period(Kind.QUARTERLY, 2027, 1)  # after the cut-off
    assert current(Kind.MONTHLY, date(2026, 11, 23)).number == 12
    assert (
        period(Kind.AD_HOC, 2026, start=date(2026, 5, 1), end=date(2026, 5, 31)).label == "từ 01/05/2026 đến 31/05/2026"
    )
    with pytest.raises(ValueError):
        period(Kind.QUARTERLY, 2026, 5)
    with pytest.raises(ValueError):
        period(Kind.AD_HOC, 2026, start=date(2026, 5, 31), end=date(2026, 5, 1))


@pytest.mark.parametrize(
    ("kind", "number", "title"),
    [
        (Kind.MONTHLY, 11, "Báo cáo tháng 11/2026"),
        (Kind.QUARTERLY, 4, "Báo cáo quý IV/2026"),
        (Kind.HALF_YEAR, 1, "Báo cáo 6 tháng đầu năm 2026"),
        (Kind.ANNUAL, 1, "Báo cáo năm 2026"),
    ],
)
def test_a_report_title_is_built_from_the_period_name_without_repeated_words(kind, number, title):
    assert period(kind, 2026, number).title == title


def test_an_ad_hoc_report_title_names_its_dates():
    p = period(Kind.AD_HOC, 2026, start=date(2026, 10, 1), end=date(2026, 11, 15))
    assert p.title == "Báo cáo đột xuất từ 01/10/2026 đến 15/11/2026"
