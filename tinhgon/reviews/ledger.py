"""The target ledger (sổ theo dõi chỉ tiêu 20%/20%, domain.md §6.3, §7, §9.1) for an organisation subtree as of a
date, in a fixed number of queries whatever the size of the subtree.

Definitions (shown on the ledger page; the open ones are settings):
- in scope: procedures owned by a unit that is or was under the chosen roots, with a version in force on or before
  the date that matches the group/field/level filters ("published", K1 denominator);
- reviewed: in scope, with a review form checked by the focal point on or before the date (K3);
- the review of a procedure is its latest such form; its proposal is approved when an issued approval decision
  signed on or before the date includes it;
- simplified: approved proposals to abolish, replace or amend (K4 numerator); the denominator is
  TINHGON_LEDGER_SIMPLIFIED_BASE: "published" (default, domain.md §6.3) or "reviewed";
- cost before: Σ annual cost of the current sheets of the reviews; cost after: the proposed sheet for approved
  amend/replace proposals, 0 for approved abolitions, else unchanged (K5);
- implemented: approved abolish/replace/amend proposals implemented on or before the date (K6).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import BigIntegerField, Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.models import Procedure, ProcedureVersion
from tinhgon.reviews.constants import (
    REVIEWED,
    SIMPLIFYING,
    Action,
    ApprovalStatus,
    Metric,
    MilestoneStatus,
    Scenario,
)
from tinhgon.reviews.costs import percent
from tinhgon.reviews.models import CostSheet, Milestone, Review

AT_RISK_DAYS = 90


def setting(name: str, default):
    return getattr(settings, name, default)


@dataclass(frozen=True)
class Filters:
    roots: tuple  # Organisation instances or ids
    as_of: date
    group: str = ""
    field: str = ""  # field code
    level: str = ""


@dataclass
class MilestoneCheck:
    milestone: Milestone
    value: Decimal
    status: str

    @property
    def status_label(self) -> str:
        return MilestoneStatus(self.status).label


@dataclass
class Ledger:
    filters: Filters
    published: int = 0
    reviewed: int = 0
    simplified: int = 0
    approved: int = 0
    implemented: int = 0
    by_action: dict = field(default_factory=dict)
    approved_by_action: dict = field(default_factory=dict)
    cost_before: int = 0
    cost_after: int = 0
    milestones: list[MilestoneCheck] = field(default_factory=list)

    @property
    def reviewed_pct(self) -> Decimal:
        return percent(self.reviewed, self.published)

    @property
    def simplified_base(self) -> int:
        base = setting("TINHGON_LEDGER_SIMPLIFIED_BASE", "published")
        return self.reviewed if base == "reviewed" else self.published

    @property
    def simplified_pct(self) -> Decimal:
        return percent(self.simplified, self.simplified_base)

    @property
    def cost_saving(self) -> int:
        return self.cost_before - self.cost_after

    @property
    def cost_saving_pct(self) -> Decimal:
        return percent(self.cost_saving, self.cost_before)

    @property
    def implemented_pct(self) -> Decimal:
        return percent(self.implemented, self.approved_changing)

    approved_changing: int = 0

    def value(self, metric: str) -> Decimal:
        return getattr(self, metric)


def in_scope(filters: Filters):
    """Procedures in scope (see the module docstring)."""
    units = Organisation.objects.ever_under(list(filters.roots))
    versions = ProcedureVersion.objects.filter(procedure=OuterRef("pk"), effective_from__lte=filters.as_of)
    if filters.group:
        versions = versions.filter(group=filters.group)
    if filters.field:
        versions = versions.filter(field__code=filters.field)
    if filters.level:
        versions = versions.filter(level=filters.level)
    return Procedure.objects.filter(owner__in=units, is_template=False).filter(Exists(versions))


def reviews(filters: Filters):
    """The latest review of each procedure in scope checked on or before the date, annotated with its approval
    state and its sheets' annual costs."""
    checked = Review.objects.filter(status__in=REVIEWED, checked_on__lte=filters.as_of)
    latest = checked.filter(procedure=OuterRef("procedure")).order_by("-checked_on", "-pk").values("pk")[:1]
    sheet = CostSheet.objects.filter(review=OuterRef("pk"))
    approved = Q(
        approval__status=ApprovalStatus.ISSUED,
        approval__signed_on__lte=filters.as_of,
    )
    return (
        checked.filter(procedure__in=in_scope(filters), pk=Subquery(latest))
        .annotate(
            is_approved=Case(When(approved, then=Value(1)), default=Value(0), output_field=IntegerField()),
            before=Coalesce(
                Subquery(sheet.filter(scenario=Scenario.CURRENT).values("annual_cost")[:1]),
                Value(0),
                output_field=BigIntegerField(),
            ),
            proposed=Subquery(sheet.filter(scenario=Scenario.PROPOSED).values("annual_cost")[:1]),
        )
        .annotate(
            after=Case(
                When(approved & Q(proposal__action=Action.ABOLISH), then=Value(0, output_field=BigIntegerField())),
                When(
                    approved & Q(proposal__action__in=[Action.AMEND, Action.REPLACE], proposed__isnull=False),
                    then="proposed",
                ),
                default="before",
                output_field=BigIntegerField(),
            )
        )
    )


def ledger(filters: Filters) -> Ledger:
    """Five aggregate queries (plus one for milestones), whatever the number of units and procedures."""
    result = Ledger(filters=filters, published=in_scope(filters).count())
    rows = reviews(filters)
    approved = Q(is_approved=1)
    changing = approved & Q(proposal__action__in=list(SIMPLIFYING))
    totals = rows.aggregate(
        reviewed=Count("pk"),
        approved=Count("pk", filter=approved),
        simplified=Count("pk", filter=changing),
        implemented=Count("pk", filter=changing & Q(proposal__implemented_on__lte=filters.as_of)),
        cost_before=Coalesce(Sum("before"), 0, output_field=BigIntegerField()),
        cost_after=Coalesce(Sum("after"), 0, output_field=BigIntegerField()),
    )
    result.reviewed = totals["reviewed"]
    result.approved = totals["approved"]
    result.simplified = result.approved_changing = totals["simplified"]
    result.implemented = totals["implemented"]
    result.cost_before, result.cost_after = int(totals["cost_before"]), int(totals["cost_after"])
    for row in (
        rows.values("proposal__action").annotate(n=Count("pk"), n_approved=Count("pk", filter=approved)).order_by()
    ):
        action = row["proposal__action"] or ""
        result.by_action[action] = row["n"]
        result.approved_by_action[action] = row["n_approved"]
    result.milestones = milestone_checks(result)
    return result


def milestones_for(roots) -> list[Milestone]:
    """The milestones that apply to the first root: per metric and due date, the override of the nearest unit on
    its line (itself first), else the national default."""
    root = roots[0] if roots else None
    line = []
    if isinstance(root, Organisation):
        line = [root.pk, *root.ancestors().values_list("pk", flat=True)[::-1]]
    candidates = Milestone.objects.filter(Q(organisation__isnull=True) | Q(organisation__in=line))
    rank = {pk: n for n, pk in enumerate(line)}
    chosen: dict[str, list[Milestone]] = {}
    for m in sorted(candidates, key=lambda m: rank.get(m.organisation_id, len(line))):
        if m.metric not in chosen:  # the nearest level that defines a metric defines all its milestones
            chosen[m.metric] = [
                c for c in candidates if c.metric == m.metric and c.organisation_id == m.organisation_id
            ]
    return sorted((m for ms in chosen.values() for m in ms), key=lambda m: (Metric.values.index(m.metric), m.due_on))


def milestone_status(value: Decimal, milestone: Milestone, as_of: date) -> str:
    """met when reached; missed when the date has passed; at risk within AT_RISK_DAYS (setting
    TINHGON_MILESTONE_AT_RISK_DAYS) of the date; else on track."""
    if value >= milestone.target:
        return MilestoneStatus.MET
    if as_of > milestone.due_on:
        return MilestoneStatus.MISSED
    window = timedelta(days=setting("TINHGON_MILESTONE_AT_RISK_DAYS", AT_RISK_DAYS))
    return MilestoneStatus.AT_RISK if milestone.due_on - as_of <= window else MilestoneStatus.ON_TRACK


def milestone_checks(result: Ledger) -> list[MilestoneCheck]:
    checks = []
    for m in milestones_for(list(result.filters.roots)):
        value = result.value(m.metric)
        checks.append(MilestoneCheck(m, value, milestone_status(value, m, result.filters.as_of)))
    return checks


def ledger_for(org: Organisation, as_of: date | None = None, **filters) -> Ledger:
    return ledger(Filters(roots=(org,), as_of=as_of or today(), **filters))
