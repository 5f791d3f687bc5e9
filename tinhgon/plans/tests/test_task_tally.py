"""Task reports as ministries write them (issue 12 item 6): regular tasks ("thường xuyên") are counted apart and
stay out of plan progress; dated tasks are tallied as due, completed on time and late, not completed past the
deadline and not yet due, each with its share; every share is rounded by the one setting TINHGON_SHARE_ROUNDING."""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.core import checks
from django.test import override_settings

import pytest

from tinhgon.core import formatting
from tinhgon.core.checks import check_share_rounding
from tinhgon.core.dates import today
from tinhgon.plans import progress, services
from tinhgon.plans.constants import Recurrence, StatusClass
from tinhgon.plans.models import Task
from tinhgon.plans.progress import TaskTally
from tinhgon.plans.tests import factories as f

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/plans/"


def window() -> dict:
    """A plan period around today, so that deadlines before and after today both fit in it."""
    return {"period_start": today() - timedelta(days=365), "period_end": today() + timedelta(days=365)}


def done(task: Task, on: date) -> None:
    services.assignment_report(assignment=task.assignments.get(), progress=100, completed_on=on)


def nine_of_ten_and_twenty_regular(world):
    """A plan of P-A: 10 dated tasks due last month, 9 of them done on time, and 20 regular tasks never done."""
    unit = world.units["P-A"]
    plan = f.plan(unit, **window())
    due = today() - timedelta(days=30)
    for n in range(1, 11):
        task = f.task(plan, unit, code=str(n), deadline=due)
        if n <= 9:
            done(task, due - timedelta(days=1))
    for n in range(11, 31):
        f.task(plan, unit, code=str(n), title=f"Nhiệm vụ thường xuyên {n}")
    return plan


# Regular tasks ----------------------------------------------------------------------------------------------------


def test_a_task_without_deadline_or_recurrence_is_regular(world):
    plan = f.plan(world.units["P-A"], **window())
    regular = f.task(plan, world.units["P-A"], code="1")
    dated = f.task(plan, world.units["P-A"], code="2", deadline=today())
    recurring = f.task(plan, world.units["P-A"], code="3", recurrence=Recurrence.QUARTERLY)
    assert (regular.is_regular, dated.is_regular, recurring.is_regular) == (True, False, False)
    assert list(plan.tasks.regular()) == [regular]
    assert set(plan.tasks.dated()) == {dated, recurring}


def test_a_plan_with_9_of_10_dated_tasks_done_and_20_regular_tasks_is_90_percent_done(world):
    plan = nine_of_ten_and_twenty_regular(world)
    figures = progress.cascade(plan)
    assert figures.plan_progress[plan.pk] == Decimal("90.0")
    tally = figures.tallies[plan.pk].as_json()
    assert (tally["due"], tally["done"], tally["overdue"], tally["regular"]) == (10, 9, 1, 20)
    assert (tally["done_pct"], tally["overdue_pct"]) == ("90.00", "10.00")


def test_regular_tasks_reported_on_are_counted_apart(world):
    plan = f.plan(world.units["P-A"], **window())
    reported = f.task(plan, world.units["P-A"], code="1")
    f.task(plan, world.units["P-A"], code="2")
    services.assignment_report(assignment=reported.assignments.get(), progress=40, report="Đã tổ chức tập huấn")
    tally = progress.cascade(plan).tallies[plan.pk]
    assert (tally.regular, tally.regular_reported, tally.due) == (2, 1, 0)
    assert progress.cascade(plan).plan_progress[plan.pk] == Decimal("0.0")  # nothing dated to measure


def test_each_dated_instance_of_a_recurring_task_is_counted(world):
    plan = f.plan(world.units["P-A"], period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))
    f.task(plan, world.units["P-A"], code="1", recurrence=Recurrence.QUARTERLY)
    tally = progress.cascade(plan, on=date(2025, 8, 1)).tallies[plan.pk]
    assert (tally.due, tally.overdue, tally.not_due) == (4, 2, 2)  # Q1, Q2 past due on 01/8; Q3, Q4 not yet


# The tally ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def tally() -> TaskTally:
    classes = [StatusClass.DONE_ON_TIME] * 3 + [StatusClass.DONE_LATE] + [StatusClass.OVERDUE] * 2
    classes += [StatusClass.IN_PROGRESS, StatusClass.NOT_DUE]
    return TaskTally.of(classes, regular=4, regular_reported=1)


def test_the_tally_counts_due_tasks_by_what_a_report_says_of_them(tally):
    j = tally.as_json()
    assert (j["due"], j["done"], j["done_on_time"], j["done_late"]) == (8, 4, 3, 1)
    assert (j["overdue"], j["not_due"], j["in_progress"], j["reached"]) == (2, 2, 1, 6)
    assert (j["regular"], j["regular_reported"]) == (4, 1)


def test_completed_and_overdue_shares_are_of_the_tasks_due_or_done(tally):
    j = tally.as_json()
    assert (j["done_pct"], j["done_on_time_pct"], j["done_late_pct"]) == ("66.67", "50.00", "16.67")
    assert j["overdue_pct"] == "33.33"


def test_the_not_yet_due_share_is_of_every_dated_task(tally):
    assert tally.as_json()["not_due_pct"] == "25.00"


def test_a_tally_of_nothing_has_zero_shares():
    j = TaskTally().as_json()
    assert (j["due"], j["done_pct"], j["not_due_pct"]) == (0, "0.00", "0.00")


def test_the_rows_pages_and_documents_print_carry_each_count_with_its_share(tally):
    rows = {r["key"]: (r["n"], r["pct"]) for r in progress.tally_rows(tally.as_json())}
    assert rows["due"] == (8, None) and rows["done_late"] == (1, "16.67") and rows["regular"] == (4, None)


def test_rows_of_a_report_frozen_before_tallies_read_as_zero_where_missing():
    rows = {r["key"]: r["n"] for r in progress.tally_rows({"due": 2, "done_on_time": 1})}
    assert (rows["due"], rows["done_on_time"], rows["regular"]) == (2, 1, 0)


# One rounding rule ------------------------------------------------------------------------------------------------


def test_shares_are_rounded_half_up_by_default():
    assert formatting.share(2, 3) == Decimal("66.67") and formatting.share(1, 800) == Decimal("0.13")


@override_settings(TINHGON_SHARE_ROUNDING="half_even")
def test_shares_can_be_rounded_half_even():
    assert formatting.share(1, 800) == Decimal("0.12") and formatting.share(3, 800) == Decimal("0.38")


@override_settings(TINHGON_SHARE_ROUNDING="down")
def test_shares_can_be_cut_down():
    assert formatting.share(2, 3) == Decimal("66.66") and formatting.share(16051, 16274) == Decimal("98.62")


@override_settings(TINHGON_SHARE_ROUNDING="down")
def test_every_share_follows_the_setting_the_ledger_and_costs_included():
    from tinhgon.reviews.costs import percent

    assert percent(2, 3) == Decimal("66.66")
    assert TaskTally.of([StatusClass.DONE_ON_TIME] * 2 + [StatusClass.OVERDUE]).as_json()["done_pct"] == "66.66"


def test_the_rule_is_stated_in_vietnamese():
    assert formatting.share_rule() == (
        "Tỷ lệ làm tròn đến 2 chữ số thập phân, làm tròn nửa lên (từ 5 trở lên làm tròn lên)."
    )
    with override_settings(TINHGON_SHARE_ROUNDING="down"):
        assert "cắt bỏ phần thập phân thừa" in formatting.share_rule()


def test_a_frozen_tally_states_the_rule_it_was_rounded_by():
    with override_settings(TINHGON_SHARE_ROUNDING="down"):
        frozen = TaskTally.of([StatusClass.DONE_ON_TIME]).as_json()
    assert frozen["rounding"] == "down" and "cắt bỏ phần thập phân thừa" in progress.share_note(frozen)


@override_settings(TINHGON_SHARE_ROUNDING="bankers")
def test_an_unknown_rounding_rule_fails_the_system_check():
    errors = check_share_rounding(None)
    assert [e.id for e in errors] == ["tinhgon.E010"] and all(e.level == checks.ERROR for e in errors)


# The page and the API read the same tally ---------------------------------------------------------------------------


def test_the_plan_page_shows_the_tally_and_the_rounding_rule(world, login):
    plan = nine_of_ten_and_twenty_regular(world)
    page = login(world.focal_a).get(f"/ke-hoach/{plan.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<span id="plan-progress">90[.,]0%</span>', html)
    assert "Tỷ lệ làm tròn đến 2 chữ số thập phân, làm tròn nửa lên" in html
    rows = {r["key"]: (r["n"], r["pct"]) for r in page.context["tally"]}
    assert rows["done"] == (9, "90.00") and rows["overdue"] == (1, "10.00") and rows["regular"] == (20, None)
    assert 'id="tally-done"' in html and "90,00%" in html


def test_the_plan_api_gives_the_figures_of_the_plan_page(world, login, api):
    plan = nine_of_ten_and_twenty_regular(world)
    page = login(world.focal_a).get(f"/ke-hoach/{plan.pk}/")
    response = api(world.focal_a).get(f"{PLANS}{plan.pk}/")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["progress"] == "90.0"
    shown = {r["key"]: (r["n"], r["pct"]) for r in page.context["tally"]}
    assert {r["key"]: (r["n"], r["pct"]) for r in progress.tally_rows(data["tasks"])} == shown
    listed = api(world.focal_a).get(PLANS, {"issuer": "P-A"}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert next(p["tasks"] for p in rows if p["id"] == plan.pk) == data["tasks"]
