"""Targets as plans word them (issue 12, item 2): each milestone metric, the day it was first reached from the dated
facts (version effective dates, review checked_on and submitted_on, approval signed_on, implemented_on), and the
status judged by that day. The facts are dated in the past by writing the dates directly: the forms that let a user
enter them are another change (issue 12, item 1)."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tinhgon.procedures.models import Procedure, ProcedureVersion
from tinhgon.reviews import services
from tinhgon.reviews.constants import Action, Metric, MilestoneStatus, ReviewStatus
from tinhgon.reviews.ledger import Filters, ledger, ledger_for
from tinhgon.reviews.milestones import History, judge
from tinhgon.reviews.models import ApprovalDecision, Milestone, Proposal, Review
from tinhgon.reviews.tests import factories as f

pytestmark = pytest.mark.django_db

D = Decimal
S = MilestoneStatus


def rows(annual: int):
    return [services.RowData("Chi phí thực hiện", D(0), 0, 0, annual)]


def dated(
    world,
    owner,
    name,
    *,
    recorded=date(2023, 1, 10),
    published=date(2023, 3, 20),
    submitted=None,
    checked=None,
    approved=None,
    implemented=None,
    action=Action.KEEP,
    before=10_000_000,
    after=None,
):
    """A procedure of `owner` with its history: recorded (inventoried), published, its form submitted / checked,
    its option approved by a decision signed on `approved`, implemented."""
    procedure = f.publish(world, owner, name)
    ProcedureVersion.objects.filter(procedure=procedure).update(effective_from=published)
    Procedure.objects.filter(pk=procedure.pk).update(inventoried_on=recorded)
    if published is None:
        ProcedureVersion.objects.filter(procedure=procedure).update(effective_from=None)
    if not (submitted or checked):
        return procedure
    review = services.round_add_procedure(round=f.round_for(world, org=world.units["P"]), procedure=procedure)
    f.filled(review, action, before=rows(before), after=rows(after) if after is not None else None, subjects=1)
    f.advance(review, ReviewStatus.CHECKED if checked else ReviewStatus.SUBMITTED)
    Review.objects.filter(pk=review.pk).update(submitted_on=submitted or checked, checked_on=checked)
    if approved:
        decision = f.approve(world, [Review.objects.get(pk=review.pk)])
        ApprovalDecision.objects.filter(pk=decision.pk).update(signed_on=approved)
    if implemented:
        Proposal.objects.filter(review=review).update(implemented_on=implemented)
    return procedure


def milestone(org, metric, target, due_on, **fields):
    return Milestone.objects.create(organisation=org, metric=metric, target=target, due_on=due_on, **fields)


def check_of(result, metric):
    (check,) = [c for c in result.milestones if c.milestone.metric == metric]
    return check


# The status rule --------------------------------------------------------------------------------------------------

DUE = date(2024, 1, 1)


def test_a_target_reached_by_its_deadline_is_met_on_time():
    assert judge(date(2023, 12, 31), DUE, date(2025, 6, 1)) == S.MET_ON_TIME


def test_a_target_reached_on_its_deadline_is_met_on_time():
    assert judge(DUE, DUE, DUE) == S.MET_ON_TIME


def test_a_target_reached_after_its_deadline_is_met_late():
    assert judge(date(2024, 1, 2), DUE, date(2025, 6, 1)) == S.MET_LATE


def test_a_target_not_reached_by_a_past_deadline_is_missed():
    assert judge(None, DUE, date(2024, 1, 2)) == S.MISSED


def test_a_target_not_reached_within_ninety_days_of_its_deadline_is_at_risk():
    assert judge(None, DUE, date(2023, 10, 3)) == S.AT_RISK


def test_a_target_not_reached_with_its_deadline_far_away_is_not_yet_due():
    assert judge(None, DUE, date(2023, 9, 1)) == S.NOT_DUE


def test_a_day_reached_after_the_day_of_the_figures_does_not_count():
    assert judge(date(2024, 6, 1), DUE, date(2023, 6, 1)) == S.NOT_DUE


# Each metric, reached from its dated facts --------------------------------------------------------------------------


def test_publication_coverage_is_reached_when_the_last_inventoried_procedure_is_published(world):
    unit = world.units["P-A"]
    dated(world, unit, "Công bố đợt đầu", published=date(2023, 3, 20))
    dated(world, unit, "Công bố bổ sung", published=date(2024, 3, 25))
    milestone(unit, Metric.PUBLISHED, 100, date(2024, 3, 31))
    check = check_of(ledger_for(unit), Metric.PUBLISHED)
    assert (check.value, check.reached_on, check.status) == (D("100.00"), date(2024, 3, 25), S.MET_ON_TIME)


def test_a_procedure_inventoried_but_not_published_keeps_publication_under_its_target(world):
    unit = world.units["P-A"]
    dated(world, unit, "Đã công bố", published=date(2023, 3, 20))
    dated(world, unit, "Chưa công bố", published=None)
    milestone(unit, Metric.PUBLISHED, 100, date(2023, 4, 1))
    result = ledger_for(unit)
    check = check_of(result, Metric.PUBLISHED)
    assert (result.inventoried, result.published) == (2, 1)
    assert (check.value, check.reached_on, check.status) == (D("50.00"), None, S.MISSED)


def test_review_coverage_is_reached_on_the_day_the_last_form_is_checked(world):
    unit = world.units["P-A"]
    dated(world, unit, "T1", checked=date(2024, 5, 10))
    dated(world, unit, "T2", checked=date(2025, 2, 3))
    milestone(unit, Metric.REVIEWED, 100, date(2025, 1, 1))
    check = check_of(ledger_for(unit), Metric.REVIEWED)
    assert (check.reached_on, check.status) == (date(2025, 2, 3), S.MET_LATE)


def test_options_submitted_count_forms_sent_on_with_an_option(world):
    unit = world.units["P-A"]
    dated(world, unit, "Đã trình", submitted=date(2024, 8, 1))
    dated(world, unit, "Chưa trình")
    milestone(unit, Metric.SUBMITTED, 50, date(2024, 9, 30))
    result = ledger_for(unit)
    check = check_of(result, Metric.SUBMITTED)
    assert (result.submitted, result.reviewed) == (1, 0)
    assert (check.reached_on, check.status) == (date(2024, 8, 1), S.MET_ON_TIME)


def test_the_fifty_percent_target_counts_approved_options_not_checked_forms(world):
    """A province with every form checked and none approved has not met "phương án cho ≥ 50% thủ tục"."""
    unit = world.units["P-A"]
    dated(world, unit, "T1", checked=date(2023, 11, 1))
    dated(world, unit, "T2", checked=date(2023, 11, 2))
    milestone(unit, Metric.APPROVED, 50, date(2024, 1, 1))
    result = ledger_for(unit)
    check = check_of(result, Metric.APPROVED)
    assert result.reviewed_pct == D("100.00")
    assert (check.value, check.reached_on, check.status) == (D("0.00"), None, S.MISSED)


def test_options_approved_are_reached_on_the_signing_day_of_the_decision(world):
    unit = world.units["P-A"]
    dated(world, unit, "T1", checked=date(2023, 11, 1), approved=date(2023, 12, 15))
    dated(world, unit, "T2", checked=date(2023, 11, 2))
    milestone(unit, Metric.APPROVED, 50, date(2024, 1, 1))
    check = check_of(ledger_for(unit), Metric.APPROVED)
    assert (check.reached_on, check.status) == (date(2023, 12, 15), S.MET_ON_TIME)


def test_procedures_cut_count_approved_abolitions_and_amendments_only(world):
    unit = world.units["P-A"]
    dated(world, unit, "Giữ nguyên", checked=date(2024, 3, 1), approved=date(2024, 4, 1))
    dated(world, unit, "Bãi bỏ", checked=date(2024, 3, 1), approved=date(2024, 11, 5), action=Action.ABOLISH)
    milestone(unit, Metric.SIMPLIFIED, 50, date(2024, 10, 31))
    check = check_of(ledger_for(unit), Metric.SIMPLIFIED)
    assert (check.value, check.reached_on, check.status) == (D("50.00"), date(2024, 11, 5), S.MET_LATE)


def test_cost_cut_is_reached_when_the_amendment_is_approved(world):
    unit = world.units["P-A"]
    dated(world, unit, "Giữ", checked=date(2024, 3, 1), before=6_000_000)
    dated(
        world,
        unit,
        "Sửa đổi",
        checked=date(2024, 3, 1),
        approved=date(2024, 9, 1),
        action=Action.AMEND,
        before=4_000_000,
        after=1_000_000,
    )
    milestone(unit, Metric.COST_SAVING, 20, date(2024, 10, 31))
    check = check_of(ledger_for(unit), Metric.COST_SAVING)
    assert (check.value, check.reached_on, check.status) == (D("30.00"), date(2024, 9, 1), S.MET_ON_TIME)


def test_options_implemented_are_reached_on_the_implementation_day(world):
    unit = world.units["P-A"]
    dated(
        world,
        unit,
        "Bãi bỏ",
        checked=date(2024, 3, 1),
        approved=date(2024, 4, 1),
        implemented=date(2025, 8, 1),
        action=Action.ABOLISH,
    )
    milestone(unit, Metric.IMPLEMENTED, 100, date(2025, 6, 30))
    check = check_of(ledger_for(unit), Metric.IMPLEMENTED)
    assert (check.value, check.reached_on, check.status) == (D("100.00"), date(2025, 8, 1), S.MET_LATE)


def test_a_target_not_reached_near_its_deadline_is_at_risk_on_the_ledger_of_that_day(world):
    unit = world.units["P-A"]
    dated(world, unit, "T1", checked=date(2024, 5, 10))
    dated(world, unit, "T2")
    milestone(unit, Metric.REVIEWED, 100, date(2024, 10, 31))
    assert check_of(ledger_for(unit, as_of=date(2024, 9, 1)), Metric.REVIEWED).status == S.AT_RISK
    assert check_of(ledger_for(unit, as_of=date(2024, 6, 1)), Metric.REVIEWED).status == S.NOT_DUE


def test_a_target_once_reached_stays_met_when_a_newer_form_lowers_the_figure(world):
    """The day it was reached decides: a later unapproved form of the same procedure lowers today's share, not the
    judgement of the milestone."""
    unit = world.units["P-A"]
    procedure = dated(world, unit, "T1", checked=date(2023, 11, 1), approved=date(2023, 12, 1))
    newer = services.round_add_procedure(round=f.round_for(world, org=world.units["P"]), procedure=procedure)
    f.filled(newer, Action.KEEP, before=rows(1_000), subjects=1)
    f.advance(newer, ReviewStatus.CHECKED)
    Review.objects.filter(pk=newer.pk).update(checked_on=date(2024, 2, 1))
    milestone(unit, Metric.APPROVED, 100, date(2024, 1, 1))
    check = check_of(ledger_for(unit), Metric.APPROVED)
    assert (check.value, check.reached_on, check.status) == (D("0.00"), date(2023, 12, 1), S.MET_ON_TIME)


# The history is the ledger of each day ------------------------------------------------------------------------------


def test_the_history_gives_the_ledger_of_every_past_day(world):
    unit = world.units["P-A"]
    dated(world, unit, "T1", checked=date(2023, 11, 1), approved=date(2023, 12, 1), action=Action.ABOLISH)
    dated(
        world,
        unit,
        "T2",
        published=date(2023, 6, 1),
        checked=date(2024, 2, 1),
        approved=date(2024, 5, 1),
        implemented=date(2024, 9, 1),
        action=Action.AMEND,
        after=4_000_000,
    )
    dated(world, unit, "T3", submitted=date(2024, 3, 3))
    dated(world, unit, "T4", published=None)
    history = History(Filters(roots=(unit,), as_of=date(2025, 1, 1)))
    names = ["inventoried", "published", "submitted", "reviewed", "approved", "simplified", "implemented"]
    names += ["cost_before", "cost_after"]
    for day in [date(2023, 1, 9), date(2023, 3, 20), date(2023, 11, 15), date(2024, 2, 1), date(2024, 5, 1)]:
        expected = ledger(Filters(roots=(unit,), as_of=day))
        computed = history.ledger_on(day)
        assert [getattr(computed, n) for n in names] == [getattr(expected, n) for n in names], day
    assert history.ledger_on(date(2024, 12, 31)).implemented == 1


def test_when_targets_were_reached_takes_three_queries_however_long_the_history(world):
    unit = world.units["P-A"]

    def count():
        with CaptureQueriesContext(connection) as queries:
            History(Filters(roots=(unit,), as_of=date(2026, 1, 1)))
        return len(queries)

    dated(world, unit, "T0", checked=date(2023, 5, 1), approved=date(2023, 6, 1))
    small = count()
    for n in range(4):
        dated(world, unit, f"T{n + 1}", checked=date(2024, 1, 1 + n), approved=date(2024, 2, 1 + n))
    assert count() == small == 3


# Each organisation's own milestones, inherited until it sets its own -----------------------------------------------


def test_a_unit_inherits_its_parents_milestones_metric_by_metric(world):
    province, department = world.units["P"], world.units["P-A"]
    milestone(province, Metric.APPROVED, 100, date(2024, 10, 31), source="QĐ 258/QĐ-UBND")
    milestone(department, Metric.REVIEWED, 100, date(2024, 9, 30), source="Kế hoạch của sở")
    checks = {c.milestone.metric: c for c in ledger_for(world.units["P-A-1"]).milestones}
    assert checks[Metric.APPROVED].milestone.organisation == province and checks[Metric.APPROVED].inherited
    assert [c.milestone.due_on for c in ledger_for(department).milestones if c.milestone.metric == Metric.REVIEWED] == [
        date(2024, 9, 30)
    ]
    assert checks[Metric.PUBLISHED].milestone.organisation is None  # national (QĐ 1085/QĐ-TTg)
    assert not check_of(ledger_for(department), Metric.REVIEWED).inherited


def test_the_national_milestones_say_what_qd_1085_says():
    """QĐ 1085/QĐ-TTg: 100% published by 01/4/2023; options approved for ≥ 50% by 01/01/2024 (migration 0008)."""
    national = {(m.metric, m.due_on): m.target for m in Milestone.objects.filter(organisation__isnull=True)}
    assert national[(Metric.PUBLISHED, date(2023, 4, 1))] == 100
    assert national[(Metric.APPROVED, date(2024, 1, 1))] == 50
    assert (Metric.REVIEWED, date(2024, 1, 1)) not in national


def test_a_second_milestone_of_one_metric_and_date_is_refused(world):
    milestone(world.units["P-A"], Metric.REVIEWED, 100, date(2024, 9, 30))
    twin = Milestone(organisation=world.units["P-A"], metric=Metric.REVIEWED, target=50, due_on=date(2024, 9, 30))
    with pytest.raises(Exception, match="đã có mốc"):
        services.milestone_save(milestone=twin)
