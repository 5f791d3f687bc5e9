"""Ordinary procedures (thủ tục hành chính cho người dân, doanh nghiệp, group O) are held in the registry beside
internal ones but stay out of the 20 %/20 % ledger of QĐ 1085/QĐ-TTg: its figures, milestones, K1 and review
rounds count internal procedures only (docs/decisions/0009-procedure-kinds.md)."""

from datetime import timedelta

from django.core.exceptions import ValidationError

import pytest

from tinhgon.core.dates import today
from tinhgon.plans.indicators import publication_coverage
from tinhgon.procedures.constants import Group
from tinhgon.reports.dashboard import progress_series
from tinhgon.reviews import services
from tinhgon.reviews.constants import Action, ReviewStatus
from tinhgon.reviews.ledger import ledger_for
from tinhgon.reviews.milestones import History
from tinhgon.reviews.tests import factories as f

pytestmark = pytest.mark.django_db

ORDINARY = "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lữ hành nội địa"


def figures(world):
    """Every figure of the plan the ledger page, the milestones and the dashboard show for the province."""
    result = ledger_for(world.units["P"])
    plain = (
        result.inventoried,
        result.published,
        result.reviewed,
        result.submitted,
        result.approved,
        result.simplified,
        result.cost_before,
        result.cost_after,
        result.by_action,
        result.implemented,
    )
    milestones = [(c.milestone.metric, c.milestone.due_on, c.value, c.status, c.reached_on) for c in result.milestones]
    coverage = publication_coverage(world.units["P"], today())
    return plain, milestones, coverage, progress_series(world.units["P"], today())


@pytest.fixture
def internal(world):
    ago = today() - timedelta(days=40)
    return [
        f.reviewed(world, world.units["P-A-1"], "T1", Action.AMEND, 88_800_000, 40_500_000),
        f.reviewed(world, world.units["P-B"], "T2", Action.ABOLISH, 12_000_000, group="B"),
        f.publish(world, world.units["P-X"], "Chưa rà soát", on=ago),
    ]


def test_an_ordinary_procedure_changes_none_of_the_ledger_figures(world, internal):
    before = figures(world)
    f.publish(world, world.units["P-A-1"], ORDINARY, group=Group.ORDINARY, on=today() - timedelta(days=30))
    assert figures(world) == before


def test_the_milestone_history_counts_internal_procedures_only(world, internal):
    before = History(ledger_for(world.units["P"]).filters).on(today())
    f.publish(world, world.units["P-A-1"], ORDINARY, group=Group.ORDINARY)
    assert History(ledger_for(world.units["P"]).filters).on(today()) == before


def test_adding_every_published_procedure_to_a_round_leaves_ordinary_ones_out(world):
    f.publish(world, world.units["P-A"], "Nội bộ")
    f.publish(world, world.units["P-A"], ORDINARY, group=Group.ORDINARY)
    added = services.round_add_all_published(round=f.round_for(world, org=world.units["P"]))
    assert [r.version.name for r in added] == ["Nội bộ"]


def test_an_ordinary_procedure_cannot_be_put_in_a_review_round(world):
    procedure = f.publish(world, world.units["P-A"], ORDINARY, group=Group.ORDINARY)
    with pytest.raises(ValidationError, match="người dân, doanh nghiệp"):
        services.round_add_procedure(round=f.round_for(world, org=world.units["P"]), procedure=procedure)


def test_a_reviewed_internal_procedure_still_counts_beside_ordinary_ones(world):
    f.publish(world, world.units["P-A"], ORDINARY, group=Group.ORDINARY)
    review = f.reviewed(world, world.units["P-A"], "T1", Action.KEEP, 1_000, approved=False)
    assert review.status == ReviewStatus.CHECKED
    assert (ledger_for(world.units["P"]).published, ledger_for(world.units["P"]).reviewed) == (1, 1)
