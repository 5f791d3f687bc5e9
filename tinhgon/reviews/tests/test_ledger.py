from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

import pytest

from tinhgon.core import queries
from tinhgon.core.dates import today
from tinhgon.organisations.services import units_merge
from tinhgon.reviews import services
from tinhgon.reviews.constants import Action, Metric, MilestoneStatus, ReviewStatus
from tinhgon.reviews.ledger import Filters, ledger, ledger_for
from tinhgon.reviews.models import Milestone
from tinhgon.reviews.tests import factories as f

pytestmark = pytest.mark.django_db

D = Decimal


def test_the_five_procedure_portfolio(world, portfolio):
    result = ledger_for(world.units["P-A-1"])
    assert (result.published, result.reviewed, result.simplified) == (5, 5, 3)
    assert result.by_action == {"amend": 2, "abolish": 1, "keep": 2}
    assert (result.cost_before, result.cost_after) == (160_000_000, 97_700_000)
    assert result.simplified_pct == D("60.00") and result.reviewed_pct == D("100.00")
    assert result.cost_saving == 62_300_000 and result.cost_saving_pct == D("38.94")


def test_the_ledger_rolls_up_the_subtree_and_filters(world, portfolio):
    f.reviewed(world, world.units["P-B"], "Của sở B", Action.ABOLISH, 1_000, group="B")
    f.publish(world, world.units["P-X"], "Chưa rà soát")
    province = ledger_for(world.units["P"])
    assert (province.published, province.reviewed, province.simplified) == (7, 6, 4)
    assert ledger_for(world.units["P-A"]).published == 5
    assert ledger_for(world.units["P"], group="B").published == 1
    assert ledger_for(world.units["P"], level="commune").published == 0
    assert ledger_for(world.units["Q"]).published == 0
    assert ledger(Filters(roots=(world.units["P-A"], world.units["P-B"]), as_of=today())).published == 6


def test_as_of_a_date_before_the_approval_nothing_is_cut(world):
    """Every date is the act's legal date: published 30 days ago, checked 20 days ago, approved 10 days ago."""
    ago = lambda days: today() - timedelta(days=days)  # noqa: E731
    procedure = f.publish(world, world.units["P-A"], "T1", on=ago(30))
    review = services.round_add_procedure(round=f.round_for(world, org=world.units["P"]), procedure=procedure)
    f.filled(review, Action.AMEND, before=f.cost_rows(88_800_000), after=f.cost_rows(40_500_000), subjects=1)
    f.advance(review, ReviewStatus.CHECKED, on=ago(20))
    f.approve(world, [review], signed_on=ago(10))
    before = ledger_for(world.units["P"], as_of=ago(11))
    assert (before.reviewed, before.simplified, before.cost_after) == (1, 0, before.cost_before)
    now = ledger_for(world.units["P"])
    assert (now.simplified, now.cost_after) == (1, 40_500_000)
    assert ledger_for(world.units["P"], as_of=ago(21)).reviewed == 0
    assert ledger_for(world.units["P"], as_of=ago(31)).published == 0


@override_settings(TINHGON_LEDGER_SIMPLIFIED_BASE="reviewed")
def test_the_simplified_denominator_is_a_setting(world):
    f.reviewed(world, world.units["P-A"], "T1", Action.ABOLISH, 1_000)
    f.publish(world, world.units["P-A"], "Chưa rà soát")
    assert ledger_for(world.units["P"]).simplified_pct == D("100.00")
    with override_settings(TINHGON_LEDGER_SIMPLIFIED_BASE="published"):
        assert ledger_for(world.units["P"]).simplified_pct == D("50.00")


def test_a_merged_unit_stays_in_the_province_and_moves_to_its_successor(world):
    f.reviewed(world, world.units["P-X"], "Của xã cũ", Action.ABOLISH, 1_000)
    successor = units_merge(sources=[world.units["P-X"]], target_code="P-Y", target_name="Xã mới", day=today())
    assert ledger_for(world.units["P"]).simplified == 1
    assert ledger_for(successor).published == 1  # procedures are reassigned to the successor on merge


def test_milestones_national_defaults_and_overrides(world, portfolio):
    checks = {(c.milestone.metric, c.milestone.due_on): c for c in ledger_for(world.units["P-A-1"]).milestones}
    assert checks[(Metric.COST_SAVING, date(2025, 1, 1))].status == MilestoneStatus.MET_LATE  # reached today
    Milestone.objects.create(
        metric=Metric.COST_SAVING, target=50, due_on=date(2025, 11, 1), organisation=world.units["P"]
    )
    checks = [c for c in ledger_for(world.units["P-A-1"]).milestones if c.milestone.metric == Metric.COST_SAVING]
    assert [(c.milestone.target, c.status) for c in checks] == [(50, MilestoneStatus.MISSED)]
    assert [c.milestone.metric for c in ledger_for(world.units["Q"]).milestones].count(Metric.COST_SAVING) == 1


def test_query_count_does_not_grow(world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            ledger_for(world.units["P"])
        return len(queries)

    f.reviewed(world, world.units["P-A"], "T1", Action.AMEND, 88_800_000, 40_500_000)
    small = count()
    for n in range(4):
        f.reviewed(world, world.units["P-B"], f"Thêm {n}", Action.ABOLISH, 1_000, group="B")
    assert count() == small <= 9  # 4 for the figures, 2 for the milestones that apply, 3 for when they were reached


def test_a_scope_too_large_for_a_list_of_ids_gives_the_same_figures(world, portfolio, monkeypatch):
    """Past the number of ids sent as values (core.queries.ids_or_subquery), the procedures in scope are a subquery
    again: the same ledger and the same dates its milestones were reached."""
    as_list = ledger_for(world.units["P"])
    monkeypatch.setattr(queries, "ID_LIST_LIMIT", 2)
    as_subquery = ledger_for(world.units["P"])
    assert as_subquery.as_data() == as_list.as_data() and as_list.published == 5
