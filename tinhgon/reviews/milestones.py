"""When a target was reached: the history of the ledger's figures from the dated facts, and the status of a target
judged by that date (issue 12, "targets as plans word them").

A plan says "≥ 50 % of the procedures with an approved option by 01/01/2024": whether a unit met it is a question
about the day its share first reached 50 %, not about today's share. The ledger (reviews.ledger) answers "what were
the figures on day D"; this module answers "on which day did a figure first reach X", for every figure at once, in
three queries whatever the number of days, units and procedures:
1. the procedures of the scope with the day each was inventoried (recorded, or published if that is earlier) and
   the day its first matching version came into force;
2. their checked review forms, each with its checking date, the signing date of the issued decision approving it,
   its option, its implementation date and its two annual costs;
3. the first day each procedure's option was submitted (a form with an option sent on, and not sent back since).
Each procedure's state is then worked out at each of its own dates with the ledger's rules (its latest checked
form counts, an approval counts from its signing day…), its changes summed by day, and the figures of every day
are the running totals: the same figures reviews.ledger.ledger gives for that day (tests/test_milestones.py checks
this), so a milestone's value and its "reached on" never disagree.

Status (MilestoneStatus, the same for indicators with a deadline, plans.models.Indicator):
- met on time: reached on or before the deadline;
- met late: reached after the deadline (by the day of the figures);
- missed: the deadline has passed and it is not reached;
- at risk: not reached and the deadline is within TINHGON_MILESTONE_AT_RISK_DAYS days (90);
- not yet due: not reached and the deadline further away.
"""

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import DateField, Exists, FilteredRelation, Min, OuterRef, Q, Subquery

from tinhgon.core.queries import id_set
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.models import Procedure, ProcedureVersion
from tinhgon.reviews.constants import (
    COSTED,
    EDITABLE,
    REVIEWED,
    SIMPLIFYING,
    Action,
    ApprovalStatus,
    MilestoneStatus,
    Scenario,
)
from tinhgon.reviews.models import VIEW, Review

AT_RISK_DAYS = 90


def at_risk_window() -> timedelta:
    return timedelta(days=getattr(settings, "TINHGON_MILESTONE_AT_RISK_DAYS", AT_RISK_DAYS))


def judge(reached_on: date | None, due_on: date, as_of: date) -> str:
    """The status of a target due on `due_on`, first reached on `reached_on` (None: not reached by `as_of`)."""
    if reached_on is not None and reached_on <= as_of:
        return MilestoneStatus.MET_ON_TIME if reached_on <= due_on else MilestoneStatus.MET_LATE
    if as_of > due_on:
        return MilestoneStatus.MISSED
    return MilestoneStatus.AT_RISK if due_on - as_of <= at_risk_window() else MilestoneStatus.NOT_DUE


# The facts ---------------------------------------------------------------------------------------------------------


def matching_versions(filters):
    """Versions of the procedure (OuterRef) that match the ledger's group/field/level filters, at any date: internal
    ones only (an ordinary procedure is outside the 20 %/20 % targets)."""
    versions = ProcedureVersion.objects.internal().filter(procedure=OuterRef("pk"))
    if filters.group:
        versions = versions.filter(group=filters.group)
    if filters.field:
        versions = versions.filter(field__code=filters.field)
    if filters.level:
        versions = versions.filter(level=filters.level)
    return versions


def inventoried(filters):
    """Procedures inventoried (thống kê) by the date: owned by a unit that is or was under the roots, matching the
    filters, inventoried (Procedure.inventoried_on, the legal date) on or before the date or already published by then
    (the K1 denominator)."""
    units = Organisation.objects.ever_under(list(filters.roots))
    versions = matching_versions(filters)
    in_force = versions.filter(effective_from__lte=filters.as_of)
    procedures = Procedure.objects.internal().filter(owner__in=units, is_template=False).filter(Exists(versions))
    procedures = procedures.filter(Q(inventoried_on__lte=filters.as_of) | Exists(in_force))
    policy = filters.policy
    if policy is not None and not policy.is_superuser:
        procedures = procedures.filter(owner__in=policy.organisations(VIEW))
    return procedures


def submitted(filters, procedures):
    """Forms of `procedures` with an option, sent on (trình) on or before the date and not sent back since."""
    return Review.objects.filter(
        procedure__in=procedures,
        proposal__isnull=False,
        submitted_on__isnull=False,
        submitted_on__lte=filters.as_of,
    ).exclude(status__in=EDITABLE)


@dataclass
class ReviewFact:
    pk: int
    checked_on: date
    approved_on: date | None  # the signing day of the issued decision approving it
    action: str
    implemented_on: date | None
    before: int
    proposed: int | None
    time_before: Decimal | None = None
    time_after: Decimal | None = None


@dataclass
class ProcedureFacts:
    inventoried_on: date
    published_on: date | None = None
    submitted_on: date | None = None
    reviews: list[ReviewFact] = field(default_factory=list)

    def days(self) -> set[date]:
        out = {self.inventoried_on, self.published_on, self.submitted_on}
        for r in self.reviews:
            out.update((r.checked_on, r.approved_on, r.implemented_on))
        out.discard(None)
        return out

    def state(self, day: date) -> "Figures":
        """The procedure's contribution to the ledger of `day` (reviews.ledger's rules)."""
        out = Figures(inventoried=int(self.inventoried_on <= day))
        if self.published_on is None or self.published_on > day:
            return out
        out.published = 1
        out.submitted = int(self.submitted_on is not None and self.submitted_on <= day)
        checked = [r for r in self.reviews if r.checked_on <= day]
        if not checked:
            return out
        latest = max(checked, key=lambda r: (r.checked_on, r.pk))
        approved = latest.approved_on is not None and latest.approved_on <= day
        simplified = approved and latest.action in SIMPLIFYING
        out.reviewed = 1
        out.approved = int(approved)
        out.simplified = int(simplified)
        out.implemented = int(simplified and latest.implemented_on is not None and latest.implemented_on <= day)
        out.cost_before = latest.before
        out.cost_after = latest.before
        if approved and latest.action == Action.ABOLISH:
            out.cost_after = 0
        elif approved and latest.action in COSTED and latest.proposed is not None:
            out.cost_after = latest.proposed
        timed = latest.time_before is not None and latest.time_after is not None
        if approved and latest.action in COSTED and timed and latest.time_after < latest.time_before:
            out.time_cut, out.time_before, out.time_after = 1, latest.time_before, latest.time_after
        return out


@dataclass
class Figures:
    """The ledger's counts on one day (what reviews.ledger.Ledger holds)."""

    inventoried: int = 0
    published: int = 0
    submitted: int = 0
    reviewed: int = 0
    approved: int = 0
    simplified: int = 0
    implemented: int = 0
    cost_before: int = 0
    cost_after: int = 0
    time_cut: int = 0
    time_before: Decimal = Decimal(0)
    time_after: Decimal = Decimal(0)

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(*(getattr(self, name) + getattr(other, name) for name in FIGURES))

    def __sub__(self, other: "Figures") -> "Figures":
        return Figures(*(getattr(self, name) - getattr(other, name) for name in FIGURES))


FIGURES = tuple(f.name for f in fields(Figures))  # read once: dataclasses.fields() was half of History's time


def facts(filters) -> dict[int, ProcedureFacts]:
    """The dated facts of the procedures in scope on `filters.as_of`, in three queries."""
    published_on = Subquery(
        matching_versions(filters)
        .filter(effective_from__lte=filters.as_of)
        .order_by()
        .values("procedure")
        .annotate(first=Min("effective_from"))
        .values("first")[:1],
        output_field=DateField(),
    )
    rows = (
        inventoried(filters)
        .annotate(published_on=published_on)
        .order_by()  # Procedure's default order (by code) would sort them for nothing
        .values_list("pk", "inventoried_on", "published_on")
    )
    out = {}
    for pk, inventoried_on, first in rows:
        start = min(inventoried_on, first) if first else inventoried_on
        out[pk] = ProcedureFacts(inventoried_on=start, published_on=first)
    from tinhgon.reviews.ledger import in_scope  # the ledger imports this module for its milestones

    # The forms of the procedures just read (inventoried ⊇ in scope; the forms of a procedure not yet published
    # count in no figure, ProcedureFacts.state), as the ids just read (core.queries.id_set: a province's forms read
    # in 38 ms instead of 118 at national scale).
    procedures = id_set(list(out), in_scope(filters))
    checked = (
        Review.objects.filter(procedure__in=procedures, status__in=REVIEWED, checked_on__lte=filters.as_of)
        .order_by()  # Review's default order joins the round and the procedure and sorts: the facts need no order
        .annotate(
            current=FilteredRelation("cost_sheets", condition=Q(cost_sheets__scenario=Scenario.CURRENT)),
            proposed=FilteredRelation("cost_sheets", condition=Q(cost_sheets__scenario=Scenario.PROPOSED)),
        )
        .values_list(
            "procedure_id",
            "pk",
            "checked_on",
            "approval__status",
            "approval__signed_on",
            "proposal__action",
            "proposal__implemented_on",
            "current__annual_cost",
            "proposed__annual_cost",
            "proposal__time_before",
            "proposal__time_after",
        )
    )
    for procedure, pk, checked_on, status, signed_on, action, implemented_on, before, proposed, *times in checked:
        approved_on = signed_on if status == ApprovalStatus.ISSUED else None
        out[procedure].reviews.append(
            ReviewFact(pk, checked_on, approved_on, action or "", implemented_on, before or 0, proposed, *times)
        )
    firsts = submitted(filters, procedures).values("procedure_id").annotate(first=Min("submitted_on")).order_by()
    for row in firsts:
        if row["procedure_id"] in out:
            out[row["procedure_id"]].submitted_on = row["first"]
    return out


# The history of the figures ------------------------------------------------------------------------------------------


class History:
    """The ledger's figures on every day something changed, up to `filters.as_of` (from `facts`)."""

    def __init__(self, filters, procedure_facts: dict[int, ProcedureFacts] | None = None):
        self.filters = filters
        changes: dict[date, Figures] = defaultdict(Figures)
        for f in (facts(filters) if procedure_facts is None else procedure_facts).values():
            previous = Figures()
            for day in sorted(d for d in f.days() if d <= filters.as_of):
                now = f.state(day)
                changes[day] = changes[day] + (now - previous)
                previous = now
        self.days: list[tuple[date, Figures]] = []
        total = Figures()
        for day in sorted(changes):
            total = total + changes[day]
            self.days.append((day, total))

    def on(self, day: date) -> Figures:
        """The figures of `day` (the last change on or before it)."""
        out = Figures()
        for changed_on, figures in self.days:
            if changed_on > day:
                break
            out = figures
        return out

    def ledger(self, figures: Figures):
        """The figures as a Ledger, whose properties are the metrics' shares."""
        from tinhgon.reviews.ledger import Ledger  # the ledger imports this module for its milestones

        counts = {f.name: getattr(figures, f.name) for f in fields(figures)}
        return Ledger(filters=self.filters, approved_changing=figures.simplified, **counts)

    def ledger_on(self, day: date):
        return self.ledger(self.on(day))

    def reached_on(self, metric: str, target: Decimal) -> date | None:
        """The first day on which `metric` (a Metric value, a Ledger property) was at or above `target`."""
        for day, figures in self.days:
            if self.ledger(figures).value(metric) >= target:
                return day
        return None
