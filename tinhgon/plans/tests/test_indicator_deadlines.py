"""Indicators have a deadline and are judged as milestones are (issue 12, item 2): met on time, met late, missed, at
risk, not yet due, by the first day their target was met; on the list, the detail page and in the API."""

import importlib
from datetime import date, timedelta

from django.apps import apps

import pytest

from tinhgon.core.dates import today
from tinhgon.plans.constants import Direction, Source
from tinhgon.plans.models import Indicator, IndicatorValue, ReformArea
from tinhgon.plans.tests import factories as f
from tinhgon.reviews.constants import MilestoneStatus as S

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/indicators/"


def indicator(world, deadline, target=80, **fields):
    return Indicator.objects.create(
        name="Tỷ lệ hồ sơ giải quyết đúng hạn",
        target=target,
        organisation=world.units["P"],
        deadline=deadline,
        **fields,
    )


def value(indicator, start: date, end: date, amount):
    return IndicatorValue.objects.create(
        indicator=indicator, period_start=start, period_end=end, period_label=f"{start:%m/%Y}", value=amount
    )


def half_years(indicator, *amounts, year=2024):
    """Values of consecutive half-years from January of `year`."""
    out = []
    for n, amount in enumerate(amounts):
        first = date(year + n // 2, 1 if n % 2 == 0 else 7, 1)
        last = date(first.year, 6, 30) if first.month == 1 else date(first.year, 12, 31)
        out.append(value(indicator, first, last, amount))
    return out


def test_an_indicator_met_by_its_deadline_is_met_on_time(world):
    target = indicator(world, date(2024, 12, 31))
    values = half_years(target, 60, 85, 70)
    assert (target.reached_on(values), target.deadline_status(values)) == (date(2024, 12, 31), S.MET_ON_TIME)


def test_an_indicator_met_after_its_deadline_is_met_late(world):
    target = indicator(world, date(2024, 6, 30))
    values = half_years(target, 60, 70, 90)
    assert (target.reached_on(values), target.deadline_status(values)) == (date(2025, 6, 30), S.MET_LATE)


def test_an_indicator_not_met_by_a_past_deadline_is_missed(world):
    target = indicator(world, date(2024, 12, 31))
    assert target.deadline_status(half_years(target, 60, 70)) == S.MISSED


def test_an_indicator_not_met_near_its_deadline_is_at_risk(world):
    target = indicator(world, today() + timedelta(days=30))
    assert target.deadline_status([]) == S.AT_RISK


def test_an_indicator_not_met_with_its_deadline_far_away_is_not_yet_due(world):
    target = indicator(world, today() + timedelta(days=200))
    assert target.deadline_status([]) == S.NOT_DUE


def test_an_at_most_indicator_is_reached_when_the_value_falls_to_the_target(world):
    target = indicator(world, date(2024, 12, 31), target=5, direction=Direction.AT_MOST)
    values = half_years(target, 9, 4)
    assert (target.reached_on(values), target.deadline_status(values)) == (date(2024, 12, 31), S.MET_ON_TIME)


def test_a_value_of_the_running_period_counts_from_the_day_it_was_entered(world):
    target = indicator(world, date(today().year, 12, 31))
    values = [value(target, date(today().year, 1, 1), date(today().year, 12, 31), 95)]
    assert target.reached_on(values) == today()
    assert target.deadline_status(values) == S.MET_ON_TIME


def test_without_a_deadline_an_indicator_is_due_at_the_end_of_its_plan(world):
    plan = f.plan(world.units["P"], year=2025)
    assert Indicator.objects.create(name="x", target=1, organisation=world.units["P"], plan=plan).deadline == date(
        2025, 12, 31
    )
    assert Indicator.objects.create(name="y", target=1, organisation=world.units["P"]).deadline == date(
        today().year, 12, 31
    )


def test_the_list_shows_each_indicators_deadline_and_its_status(world, client):
    target = indicator(world, date(2024, 6, 30))
    half_years(target, 60, 90)
    client.force_login(world.oversight)
    page = client.get("/ke-hoach/chi-tieu/").content.decode()
    assert "30/06/2024" in page and "Đạt ngày 31/12/2024" in page and "deadline-met_late" in page


def test_the_detail_page_says_when_the_target_was_met(world, client):
    target = indicator(world, date(2024, 12, 31))
    half_years(target, 85)
    client.force_login(world.oversight)
    page = client.get(f"/ke-hoach/chi-tieu/{target.pk}/").content.decode()
    assert "Đạt mục tiêu ngày 30/06/2024" in page and "deadline-met_on_time" in page


def test_an_indicator_is_set_with_its_deadline_and_area_through_the_api(api, world):
    body = {"name": "Tỷ lệ văn bản QPPL được rà soát", "target": "100", "organisation": "P", "deadline": "2024-12-31"}
    created = api(world.focal_p).post(INDICATORS, {**body, "area": "the-che"}, format="json")
    assert created.status_code == 201, created.json()
    assert (created.json()["deadline"], created.json()["area"]) == ("2024-12-31", "the-che")
    assert (created.json()["deadline_status"], created.json()["reached_on"]) == ("missed", None)


def test_the_api_lists_indicators_with_their_deadline_status_by_area(api, world):
    reached = indicator(world, date(2024, 12, 31), area=ReformArea.objects.get(code="thu-tuc-hanh-chinh"))
    half_years(reached, 85)
    indicator(world, date(2024, 12, 31), area=ReformArea.objects.get(code="tai-chinh-cong"))
    rows = api(world.oversight).get(INDICATORS, {"area": "thu-tuc-hanh-chinh"}).json()["results"]
    assert [(r["id"], r["reached_on"], r["deadline_status"]) for r in rows] == [
        (reached.pk, "2024-06-30", "met_on_time")
    ]


def test_existing_indicators_get_a_deadline_and_the_area_their_source_says():
    """Migration 0011: the end of the plan's period or of the latest value's year; K1-K6 are procedure reform, K7
    the direction of the reform."""
    migration = importlib.import_module("tinhgon.plans.migrations.0011_indicator_deadlines_and_areas_of_existing_rows")
    from tinhgon.organisations.models import Organisation

    org = Organisation.objects.filter(parent__isnull=True).first() or Organisation.objects.create(code="M", name="M")
    computed = Indicator.objects.create(name="K3", target=100, organisation=org, source=Source.REVIEW_COVERAGE)
    tasks = Indicator.objects.create(name="K7", target=90, organisation=org, source=Source.ON_TIME_TASK_RATE)
    value(tasks, date(2023, 1, 1), date(2023, 12, 31), 80)
    Indicator.objects.filter(pk__in=[computed.pk, tasks.pk]).update(deadline=None)
    migration.forward(apps, None)
    computed.refresh_from_db()
    tasks.refresh_from_db()
    assert (computed.deadline, computed.area.code) == (date(today().year, 12, 31), "thu-tuc-hanh-chinh")
    assert (tasks.deadline, tasks.area.code) == (date(2023, 12, 31), "chi-dao-dieu-hanh")
