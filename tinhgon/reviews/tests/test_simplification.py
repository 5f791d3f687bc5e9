"""Simplification as practised (issue 12 item 5): re-engineering without legal change, time cut per option and on
the ledger, one definition per count of the ledger."""

from decimal import Decimal

from django.apps import apps
from django.urls import reverse

import pytest

from tinhgon.reviews import services
from tinhgon.reviews.constants import Action, ReviewStatus
from tinhgon.reviews.ledger import COUNTS, DEFINITIONS, ledger_for
from tinhgon.reviews.milestones import History
from tinhgon.reviews.models import Proposal, Review
from tinhgon.reviews.tests import factories as f

pytestmark = pytest.mark.django_db


def approved(world, action, after=None, owner="P-A-1", **proposal) -> Review:
    procedure = f.publish(world, world.units[owner])
    review = services.round_add_procedure(round=f.round_for(world, org=world.units["P"]), procedure=procedure)
    review = f.advance(f.filled(review, action=action, after=after, **proposal), ReviewStatus.CHECKED)
    f.approve(world, [Review.objects.get(pk=review.pk)])
    return Review.objects.get(pk=review.pk)


def test_a_reengineered_option_moves_the_cost_figure_and_not_the_procedure_count(world):
    approved(world, Action.REENGINEER, after=f.WORKED_AFTER)
    result = ledger_for(world.units["P-A-1"])
    assert (result.reviewed, result.approved, result.simplified) == (1, 1, 0)
    assert result.cost_before == 88_800_000 and 0 < result.cost_after < result.cost_before
    assert result.approved_by_action == {Action.REENGINEER: 1}


def test_the_history_of_the_ledger_counts_a_reengineered_option_as_the_ledger_does(world):
    approved(world, Action.REENGINEER, after=f.WORKED_AFTER, time_after=Decimal("12"))
    result = ledger_for(world.units["P-A-1"])
    past = History(result.filters).ledger_on(result.filters.as_of)
    figures = ("simplified", "cost_before", "cost_after", "time_cut", "time_before", "time_after")
    assert [getattr(past, name) for name in figures] == [getattr(result, name) for name in figures]


def test_a_reengineered_option_is_implemented_by_its_process_not_by_a_legal_act(world):
    review = approved(world, Action.REENGINEER, after=f.WORKED_AFTER)
    acts = [item.act for item in review.proposal.implementation_items.all()]
    assert acts == [f"Quy trình nội bộ, quy trình điện tử giải quyết thủ tục {review.procedure.code} sau tái cấu trúc"]


def test_an_option_reads_its_time_before_from_the_version_and_computes_its_cut(world):
    review = approved(world, Action.AMEND, after=f.WORKED_AFTER, time_after=Decimal("12"))
    proposal = review.proposal
    assert proposal.time_before == Decimal("20.00")  # complete_components: 20 ngày làm việc
    cut = proposal.time_cut()
    assert (cut.days, cut.pct) == (Decimal("8.00"), Decimal("40.00"))


def test_calendar_days_before_are_counted_in_working_days(world):
    procedure = f.publish(world, world.units["P-A-1"], processing_time_value=Decimal("14"), processing_time_unit="days")
    review = services.round_add_procedure(round=f.round_for(world), procedure=procedure)
    review = f.filled(review, action=Action.AMEND, after=f.WORKED_AFTER)
    assert review.proposal.time_before == Decimal("10.00")  # 14 calendar days are 10 working days (5/7)


def test_abolished_and_kept_options_have_no_time_cut(world):
    assert approved(world, Action.ABOLISH, time_after=Decimal("0")).proposal.time_cut() is None
    assert approved(world, Action.KEEP, owner="P-A").proposal.time_cut() is None


def test_the_ledger_counts_procedures_with_a_time_cut_and_their_average_cut(world):
    approved(world, Action.AMEND, after=f.WORKED_AFTER, time_after=Decimal("12"))  # 20 → 12
    approved(world, Action.REENGINEER, after=f.WORKED_AFTER, time_after=Decimal("15"), owner="P-A")  # 20 → 15
    approved(world, Action.AMEND, after=f.WORKED_AFTER, time_after=Decimal("20"), owner="P-B")  # not cut
    result = ledger_for(world.units["P"])
    assert (result.time_cut, result.time_before, result.time_after) == (2, Decimal("40"), Decimal("27"))
    assert (result.time_cut_days, result.time_cut_pct) == (Decimal("13"), Decimal("32.50"))
    assert result.simplified == 2  # the re-engineered procedure is not a cut procedure


def test_the_data_migration_fills_the_time_before_from_the_version(world):
    from importlib import import_module

    review = approved(world, Action.AMEND, after=f.WORKED_AFTER)
    Proposal.objects.filter(pk=review.proposal.pk).update(time_before=None)
    import_module("tinhgon.reviews.migrations.0012_fill_option_time_before").fill(apps, None)
    assert Proposal.objects.get(pk=review.proposal.pk).time_before == Decimal("20.00")


def test_the_ledger_page_shows_each_count_with_its_one_definition(client, world):
    approved(world, Action.AMEND, after=f.WORKED_AFTER, time_after=Decimal("12"))
    client.force_login(world.oversight)
    page = client.get(reverse("reviews:ledger"), {"org": "P"}).content.decode()
    for count in COUNTS.values():
        assert count.label in page and count.definition in page
    assert 'id="time-cut">1<' in page and "40,00%" in page
    assert [d for d in DEFINITIONS if d.startswith(COUNTS["simplified"].label)] == [str(COUNTS["simplified"])]


def test_the_procedures_behind_the_time_cut_are_listed(client, world):
    review = approved(world, Action.REENGINEER, after=f.WORKED_AFTER, time_after=Decimal("12"))
    approved(world, Action.AMEND, after=f.WORKED_AFTER, owner="P-A")  # no time after: not listed
    client.force_login(world.oversight)
    page = client.get(reverse("reviews:ledger-procedures"), {"org": "P", "metric": "time_cut"}).content.decode()
    assert review.procedure.code in page and "P-A-001" not in page


def test_the_reviewer_enters_the_time_after_on_the_form_and_sees_the_cut(client, world):
    procedure = f.publish(world, world.units["P-A-1"])
    review = services.round_add_procedure(round=f.round_for(world), procedure=procedure)
    f.filled(review, action=Action.REENGINEER, after=f.WORKED_AFTER)
    proposal = Proposal.objects.get(review=review)
    client.force_login(world.officer_a1)
    data = {
        "section": "proposal",
        "proposal-action": Action.REENGINEER,
        "proposal-reason": "Tái cấu trúc quy trình điện tử",
        "proposal-time_before": "",
        "proposal-time_after": "5",
        "proposal-row_version": proposal.row_version,
        "changes-TOTAL_FORMS": 0,
        "changes-INITIAL_FORMS": 0,
    }
    client.post(reverse("reviews:review", args=[review.pk]), data)
    proposal.refresh_from_db()
    assert (proposal.time_before, proposal.time_after) == (Decimal("20.00"), Decimal("5.00"))
    page = client.get(reverse("reviews:review", args=[review.pk])).content.decode()
    assert 'id="time-cut"' in page and "75,00%" in page


def test_the_approval_page_lists_each_option_with_its_time_cut(client, world):
    review = approved(world, Action.AMEND, after=f.WORKED_AFTER, time_after=Decimal("12"))
    client.force_login(world.chair_p)
    page = client.get(reverse("reviews:approval", args=[review.approval_id])).content.decode()
    assert "giảm 40,00%" in page
