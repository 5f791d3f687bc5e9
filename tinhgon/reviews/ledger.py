"""The target ledger (sổ theo dõi chỉ tiêu 20%/20%, domain.md §6.3, §7, §9.1) for an organisation subtree as of a
date, in a fixed number of queries whatever the size of the subtree.

Definitions (shown on the ledger page; the open ones are settings):
- in scope: procedures owned by a unit that is or was under the chosen roots, with a version in force on or before
  the date that matches the group/field/level filters ("published", K1 denominator);
- reviewed: in scope, with a review form checked by the focal point on or before the date (K3);
- the review of a procedure is its latest such form; its proposal is approved when an issued approval decision
  signed on or before the date includes it;
- simplified: approved proposals to abolish, replace or amend (K4 numerator), not re-engineering without legal
  change; the denominator is TINHGON_LEDGER_SIMPLIFIED_BASE: "published" (default, domain.md §6.3) or "reviewed";
- cost before: Σ annual cost of the current sheets of the reviews; cost after: the proposed sheet for approved
  amend/replace/re-engineer proposals, 0 for approved abolitions, else unchanged (K5);
- time cut: approved amend/replace/re-engineer proposals whose time after is shorter than before (working days);
  their average cut is Σ days cut ÷ Σ days before;
- implemented: approved abolish/replace/amend proposals implemented on or before the date (K6);
- inventoried: procedures of the scope recorded on or before the date, or published by then (K1 denominator), and
  submitted: procedures whose form with an option was sent on by the date and not sent back (reviews.milestones).
Milestones are judged by the day their figure first reached the target (reviews.milestones.History).
Asked by a user (Filters.policy), every figure counts only what they may see: the procedures of the units in their
reviews.view scope, whose review forms are then visible to them (Review.visible_to).
"""

from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tinhgon.core.dates import today
from tinhgon.core.queries import id_set
from tinhgon.core.visibility import get_visible
from tinhgon.organisations.models import Organisation, OrganisationLink
from tinhgon.procedures.models import Procedure, ProcedureVersion
from tinhgon.reviews.constants import (
    COSTED,
    REVIEWED,
    SIMPLIFYING,
    Action,
    ApprovalStatus,
    Metric,
    MilestoneStatus,
    Scenario,
)
from tinhgon.reviews.costs import percent
from tinhgon.reviews.models import VIEW, LedgerSnapshot, Milestone, Review


@dataclass(frozen=True)
class LedgerCount:
    """One figure of the ledger: the words every page and document labels it with, and what it counts."""

    label: str
    definition: str

    def __str__(self):
        return f"{self.label}: {self.definition}"


# What each figure of the ledger counts: one text each, shown on the ledger page and in its Excel export, on the
# dashboard, in the periodic report, in the API's field descriptions (tests/test_ledger_definitions.py).
COUNTS = {
    "inventoried": LedgerCount(
        "Thủ tục đã thống kê",
        "thủ tục của đơn vị được chọn và các đơn vị trực thuộc ghi nhận vào hoặc trước ngày xem, hoặc đã công bố "
        "trước đó.",
    ),
    "published": LedgerCount(
        "Thủ tục thuộc phạm vi rà soát (đã công bố, kể cả đã bãi bỏ)",
        "thủ tục của đơn vị được chọn và các đơn vị trực thuộc (kể cả đơn vị đã sáp nhập), có phiên bản có hiệu lực "
        "vào hoặc trước ngày xem, đúng bộ lọc nhóm, lĩnh vực, cấp; kể cả thủ tục đã bãi bỏ, thay thế.",
    ),
    "submitted": LedgerCount(
        "Thủ tục đã trình phương án",
        "thủ tục có phiếu rà soát kèm phương án đã trình vào hoặc trước ngày xem và không bị trả lại.",
    ),
    "reviewed": LedgerCount(
        "Thủ tục đã rà soát",
        "thủ tục có phiếu rà soát được đầu mối kiểm soát TTHC kiểm soát vào hoặc trước ngày xem (mỗi thủ tục tính "
        "theo phiếu mới nhất).",
    ),
    "approved": LedgerCount(
        "Thủ tục có phương án được phê duyệt",
        "thủ tục có phương án (mọi hình thức, kể cả giữ nguyên) thuộc quyết định phê duyệt đã ban hành, ký vào hoặc "
        "trước ngày xem.",
    ),
    "simplified": LedgerCount(
        "Thủ tục được cắt giảm, đơn giản hóa",
        "thủ tục có phương án bãi bỏ, thay thế hoặc sửa đổi, bổ sung đã được phê duyệt; không tính phương án giữ "
        "nguyên và phương án tái cấu trúc quy trình (không sửa đổi văn bản); tỷ lệ tính trên số thủ tục đã công bố "
        "(hoặc đã rà soát, theo cấu hình TINHGON_LEDGER_SIMPLIFIED_BASE).",
    ),
    "cost": LedgerCount(
        "Chi phí tuân thủ (đồng/năm)",
        "trước: tổng chi phí một năm theo bảng tính hiện tại của các phiếu đã rà soát; sau: theo bảng tính sau đơn "
        "giản hóa của phương án sửa đổi, thay thế hoặc tái cấu trúc quy trình đã phê duyệt, bằng 0 nếu bãi bỏ, "
        "không đổi trong trường hợp khác; tiết kiệm = trước − sau, tỷ lệ trên chi phí trước.",
    ),
    "implemented": LedgerCount(
        "Phương án cắt giảm đã thực thi",
        "phương án bãi bỏ, thay thế, sửa đổi đã phê duyệt được thực thi (thủ tục sửa đổi đã công bố, hoặc đã bãi bỏ) "
        "vào hoặc trước ngày xem, trên số phương án đó đã phê duyệt.",
    ),
    "time_cut": LedgerCount(
        "Thủ tục có cắt giảm thời hạn giải quyết",
        "thủ tục có phương án sửa đổi, thay thế hoặc tái cấu trúc quy trình đã phê duyệt ghi thời hạn giải quyết sau "
        "ngắn hơn trước (đều tính bằng ngày làm việc).",
    ),
    "time_cut_pct": LedgerCount(
        "Tỷ lệ cắt giảm thời hạn giải quyết bình quân",
        "tổng số ngày làm việc cắt giảm chia cho tổng thời hạn trước đơn giản hóa của các thủ tục có cắt giảm thời "
        "hạn giải quyết.",
    ),
}

# The figures a ledger page links to the list of (reviews.views.ledger_procedures, ?metric=).
METRIC_LABELS = {
    "published": COUNTS["published"].label,
    "reviewed": COUNTS["reviewed"].label,
    "approved": COUNTS["approved"].label,
    "simplified": COUNTS["simplified"].label,
    "implemented": COUNTS["implemented"].label,
    "time_cut": COUNTS["time_cut"].label,
    **{f"action_{value}": f"Phương án “{label}”" for value, label in Action.choices},
}

# What each milestone metric counts, shown beside it on the ledger page, in its Excel export and on the milestones page.
METRIC_DEFINITIONS = {
    Metric.PUBLISHED: "Số thủ tục trong phạm vi đã công bố (có phiên bản có hiệu lực) vào hoặc trước ngày xem, trên số "
    "thủ tục đã thống kê (ghi nhận vào hoặc trước ngày xem, hoặc đã công bố trước đó).",
    Metric.REVIEWED: "Số thủ tục có phiếu rà soát được đầu mối kiểm soát TTHC kiểm soát vào hoặc trước ngày xem, trên "
    "số thủ tục đã công bố.",
    Metric.SUBMITTED: "Số thủ tục có phiếu rà soát kèm phương án đơn giản hóa đã trình vào hoặc trước ngày xem (không "
    "bị trả lại), trên số thủ tục đã công bố.",
    Metric.APPROVED: "Số thủ tục có phương án (kể cả giữ nguyên) thuộc quyết định phê duyệt đã ban hành, ký vào hoặc "
    "trước ngày xem, trên số thủ tục đã công bố: chỉ tiêu “phương án đơn giản hóa cho ≥ 50% thủ tục” của các kế hoạch.",
    Metric.SIMPLIFIED: "Số thủ tục có phương án bãi bỏ, thay thế, sửa đổi bổ sung đã được phê duyệt (không tính tái "
    "cấu trúc quy trình không sửa đổi văn bản), trên số thủ tục đã công bố (hoặc đã rà soát, theo cấu hình "
    "TINHGON_LEDGER_SIMPLIFIED_BASE).",
    Metric.COST_SAVING: "Chi phí tuân thủ một năm cắt giảm theo các phương án đã phê duyệt (kể cả tái cấu trúc quy "
    "trình), trên tổng chi phí trước đơn giản hóa của các thủ tục đã rà soát.",
    Metric.IMPLEMENTED: "Số phương án cắt giảm đã phê duyệt được thực thi (thủ tục sửa đổi đã công bố, hoặc đã bãi bỏ) "
    "vào hoặc trước ngày xem, trên số phương án cắt giảm đã phê duyệt.",
}

# The definitions above, as shown to users on the ledger page and in its Excel export.
DEFINITIONS = [
    *(str(count) for count in COUNTS.values()),
    *(f"{label}: {METRIC_DEFINITIONS[metric]}" for metric, label in Metric.choices),
    "Mốc được đánh giá theo ngày chỉ tiêu lần đầu đạt mức (tính từ ngày công bố, ngày kiểm soát phiếu, ngày ký quyết "
    "định phê duyệt, ngày thực thi): Đạt đúng hạn khi đạt vào hoặc trước thời hạn; Đạt nhưng chậm khi đạt sau thời "
    "hạn; Không đạt khi đã qua thời hạn mà chưa đạt; Có nguy cơ chậm khi chưa đạt và còn không quá 90 ngày đến thời "
    "hạn (cấu hình TINHGON_MILESTONE_AT_RISK_DAYS); còn lại là Chưa đến hạn. Đơn vị chưa tự đặt mốc cho một chỉ tiêu "
    "thì áp dụng mốc của đơn vị cấp trên gần nhất, nếu không có thì mốc toàn quốc (QĐ 1085/QĐ-TTg).",
]


def setting(name: str, default):
    return getattr(settings, name, default)


@dataclass(frozen=True)
class Filters:
    roots: tuple  # Organisation instances or ids
    as_of: date
    group: str = ""
    field: str = ""  # field code
    level: str = ""
    policy: object = None  # the user asking (accounts.permissions.Policy): only what they may see is counted


@dataclass
class MilestoneCheck:
    milestone: Milestone
    value: Decimal
    status: str
    reached_on: date | None = None  # the first day the value was at or above the target (None: not yet)
    inherited: bool = False  # set by a unit above (or national), not by the unit whose ledger it is

    @property
    def status_label(self) -> str:
        return MilestoneStatus(self.status).label

    @property
    def definition(self) -> str:
        return METRIC_DEFINITIONS[self.milestone.metric]


@dataclass
class Ledger:
    filters: Filters
    published: int = 0
    inventoried: int = 0
    submitted: int = 0
    reviewed: int = 0
    simplified: int = 0
    approved: int = 0
    approved_changing: int = 0  # approved abolish/replace/amend proposals: the K6 denominator
    implemented: int = 0
    by_action: dict = field(default_factory=dict)
    approved_by_action: dict = field(default_factory=dict)
    cost_before: int = 0
    cost_after: int = 0
    time_cut: int = 0  # procedures whose approved option shortens the time limit
    time_before: Decimal = Decimal(0)  # Σ working days before, over those procedures
    time_after: Decimal = Decimal(0)  # Σ working days after, over those procedures
    milestones: list[MilestoneCheck] = field(default_factory=list)
    computed_at: datetime | None = None  # when served from a snapshot (shared_ledger); None: computed for this request

    @property
    def published_pct(self) -> Decimal:
        return percent(self.published, self.inventoried)

    @property
    def reviewed_pct(self) -> Decimal:
        return percent(self.reviewed, self.published)

    @property
    def submitted_pct(self) -> Decimal:
        return percent(self.submitted, self.published)

    @property
    def approved_pct(self) -> Decimal:
        return percent(self.approved, self.published)

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

    @property
    def time_cut_days(self) -> Decimal:
        return self.time_before - self.time_after

    @property
    def time_cut_pct(self) -> Decimal:
        """The average cut of the procedures with a time cut (COUNTS["time_cut_pct"])."""
        return percent(self.time_cut_days, self.time_before)

    def value(self, metric: str) -> Decimal:
        return getattr(self, metric)

    def as_data(self) -> dict:
        """The figures as JSON (a LedgerSnapshot), milestones by id."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in NOT_STORED}
        data.update({name: str(data[name]) for name in DECIMALS})
        data["milestones"] = [
            [c.milestone.pk, str(c.value), c.status, c.reached_on and c.reached_on.isoformat(), c.inherited]
            for c in self.milestones
        ]
        return data

    @classmethod
    def from_data(cls, filters: "Filters", data: dict, computed_at: datetime) -> "Ledger | None":
        """The Ledger stored by as_data; None when one of its milestones has since been deleted (recompute)."""
        rows = data["milestones"]
        milestones = Milestone.objects.select_related("organisation").in_bulk([row[0] for row in rows])
        if len(milestones) != len(rows):
            return None
        counts = {name: value for name, value in data.items() if name != "milestones"}
        counts.update({name: Decimal(counts[name]) for name in DECIMALS})
        checks = [
            MilestoneCheck(milestones[pk], Decimal(value), status, reached_on and date.fromisoformat(reached_on), inh)
            for pk, value, status, reached_on, inh in rows
        ]
        return cls(filters=filters, milestones=checks, computed_at=computed_at, **counts)


NOT_STORED = ("filters", "milestones", "computed_at")
DECIMALS = ("time_before", "time_after")


def in_scope(filters: Filters):
    """Procedures in scope (see the module docstring)."""
    units = Organisation.objects.ever_under(list(filters.roots))
    versions = ProcedureVersion.objects.internal().filter(procedure=OuterRef("pk"), effective_from__lte=filters.as_of)
    if filters.group:
        versions = versions.filter(group=filters.group)
    if filters.field:
        versions = versions.filter(field__code=filters.field)
    if filters.level:
        versions = versions.filter(level=filters.level)
    procedures = Procedure.objects.internal().filter(owner__in=units, is_template=False).filter(Exists(versions))
    policy = filters.policy
    if policy is not None and not policy.is_superuser:
        procedures = procedures.filter(owner__in=policy.organisations(VIEW))
    return procedures


def approved_q(filters: Filters) -> Q:
    return Q(approval__status=ApprovalStatus.ISSUED, approval__signed_on__lte=filters.as_of)


def cost_expressions(filters: Filters):
    """Expressions of the annual cost before and after, over the `current` and `proposed` sheet joins."""
    approved = approved_q(filters)
    before = Coalesce(F("current__annual_cost"), Value(0), output_field=BigIntegerField())
    after = Case(
        When(approved & Q(proposal__action=Action.ABOLISH), then=Value(0)),
        When(
            approved & Q(proposal__action__in=list(COSTED), proposed__annual_cost__isnull=False),
            then=F("proposed__annual_cost"),
        ),
        default=before,
        output_field=BigIntegerField(),
    )
    return before, after


def time_cut_q(filters: Filters) -> Q:
    """Reviews whose approved option shortens thời hạn giải quyết (COUNTS["time_cut"])."""
    return approved_q(filters) & Q(
        proposal__action__in=list(COSTED), proposal__time_after__lt=F("proposal__time_before")
    )


def latest_checked(filters: Filters, procedures=None):
    """The latest review of each procedure in scope checked on or before the date, with its two sheets joined.
    "Latest" is an anti-join (no newer checked review of the same procedure), which the planners of both databases
    turn into one pass, where a correlated `pk = (SELECT …)` was planned as nested loops (bench/bench_ledger.py).
    `procedures`: the procedures in scope if already read (core.queries.id_set), else they are a subquery; the newer
    reviews are looked for among theirs too, so that PostgreSQL does not hash every checked form of the country."""
    procedures = in_scope(filters) if procedures is None else procedures
    checked = Review.objects.filter(status__in=REVIEWED, checked_on__lte=filters.as_of, procedure__in=procedures)
    newer = checked.filter(procedure=OuterRef("procedure")).filter(
        Q(checked_on__gt=OuterRef("checked_on")) | Q(checked_on=OuterRef("checked_on"), pk__gt=OuterRef("pk"))
    )
    return checked.filter(~Exists(newer)).annotate(
        current=FilteredRelation("cost_sheets", condition=Q(cost_sheets__scenario=Scenario.CURRENT)),
        proposed=FilteredRelation("cost_sheets", condition=Q(cost_sheets__scenario=Scenario.PROPOSED)),
    )


def reviews(filters: Filters):
    """The reviews behind the ledger, one per procedure, annotated with `is_approved`, `before` and `after`."""
    before, after = cost_expressions(filters)
    approved = Case(When(approved_q(filters), then=Value(1)), default=Value(0), output_field=IntegerField())
    return latest_checked(filters).annotate(is_approved=approved, before=before, after=after)


def ledger(filters: Filters) -> Ledger:
    """Four aggregate queries (plus those of the milestones), whatever the number of units and procedures."""
    from tinhgon.reviews import milestones as history  # it imports this module's Ledger

    # When the user sees all of the root, their scope would repeat it: a second "owner in the subtree" condition that
    # PostgreSQL takes for an independent one and so expects 89 procedures of a province's 2,127, hashing every
    # review of the country instead of starting from them (docs/performance.md). It is left out of the counting.
    counted = replace(filters, policy=None) if counts_everything(filters) else filters
    scope = in_scope(counted)
    ids = list(scope.values_list("pk", flat=True))
    procedures = id_set(ids, scope)
    result = Ledger(
        filters=filters,
        published=len(ids),
        inventoried=history.inventoried(counted).count(),
        submitted=history.submitted(counted, procedures).values("procedure_id").distinct().count(),
    )
    approved = approved_q(counted)
    changing = approved & Q(proposal__action__in=list(SIMPLIFYING))
    timed = time_cut_q(counted)
    before, after = cost_expressions(counted)
    rows = (
        latest_checked(counted, procedures)
        .values("proposal__action")
        .annotate(
            n=Count("pk"),
            n_approved=Count("pk", filter=approved),
            n_simplified=Count("pk", filter=changing),
            n_implemented=Count("pk", filter=changing & Q(proposal__implemented_on__lte=counted.as_of)),
            cost_before=Coalesce(Sum(before), 0, output_field=BigIntegerField()),
            cost_after=Coalesce(Sum(after), 0, output_field=BigIntegerField()),
            n_time_cut=Count("pk", filter=timed),
            time_before=Sum("proposal__time_before", filter=timed),
            time_after=Sum("proposal__time_after", filter=timed),
        )
        .order_by()
    )
    for row in rows:
        action = row["proposal__action"] or ""
        result.by_action[action] = row["n"]
        result.approved_by_action[action] = row["n_approved"]
        result.reviewed += row["n"]
        result.approved += row["n_approved"]
        result.simplified += row["n_simplified"]
        result.implemented += row["n_implemented"]
        result.cost_before += int(row["cost_before"])
        result.cost_after += int(row["cost_after"])
        result.time_cut += row["n_time_cut"]
        result.time_before += row["time_before"] or 0
        result.time_after += row["time_after"] or 0
    result.approved_changing = result.simplified
    result.milestones = milestone_checks(result, counted)
    return result


def snapshot_minutes() -> int:
    return int(setting("TINHGON_LEDGER_SNAPSHOT_MINUTES", 10))


def snapshot_units() -> int:
    return int(setting("TINHGON_LEDGER_SNAPSHOT_UNITS", 5000))


def counts_everything(filters: Filters) -> bool:
    """Whether the user asking sees every unit that is or was under the root, so that the policy leaves nothing out
    (the rule LedgerSnapshot.objects.visible_to applies to a stored snapshot)."""
    policy = filters.policy
    if policy is None or policy.is_superuser:
        return True
    units = Organisation.objects.ever_under(list(filters.roots))
    return not units.exclude(pk__in=policy.organisations(VIEW)).exists()


def shared_ledger(filters: Filters) -> Ledger:
    """The ledger of the page and the API. A unit with snapshot_units() units or more under it, ever (the nation's
    21,000, not a province's 750), is counted over every procedure, review and option of the country: 3.5 s at
    national scale (docs/performance.md). Its figures are kept for snapshot_minutes() as a LedgerSnapshot, shared by
    everyone who may see the whole unit, and the page says when they were computed; `refresh_ledger_snapshots`
    (the worker) keeps today's warm. A user who sees only part of it, and every smaller unit, get the ledger counted
    now."""
    (root,) = filters.roots
    minutes = snapshot_minutes()
    if minutes <= 0 or OrganisationLink.objects.filter(ancestor=root).count() < snapshot_units():
        return ledger(filters)
    key = snapshot_key(filters)
    fresh = LedgerSnapshot.objects.visible_to(filters.policy).filter(
        **key, computed_at__gt=timezone.now() - timedelta(minutes=minutes)
    )
    snapshot = fresh.first()
    if snapshot is not None:
        stored = Ledger.from_data(filters, snapshot.data, snapshot.computed_at)
        if stored is not None:
            return stored
    if not counts_everything(filters):
        return ledger(filters)
    return replace(store_snapshot(filters), filters=filters)


def snapshot_key(filters: Filters) -> dict:
    (root,) = filters.roots
    return {
        "organisation": root,
        "as_of": filters.as_of,
        "group": filters.group,
        "field": filters.field,
        "level": filters.level,
    }


def store_snapshot(filters: Filters) -> Ledger:
    """Count the whole unit's ledger now (no policy: the snapshot is served only to who sees all of it) and store it."""
    result = ledger(replace(filters, policy=None))
    result.computed_at = timezone.now()
    LedgerSnapshot.objects.update_or_create(
        **snapshot_key(filters), defaults={"data": result.as_data(), "computed_at": result.computed_at}
    )
    return result


def milestones_for(roots) -> list[Milestone]:
    """The milestones that apply to a single root: per metric, those of the nearest unit on its line that set some
    (itself first), else the national defaults. Several roots together are measured against the national ones."""
    return [m for m, _ in applicable_milestones(roots)]


def applicable_milestones(roots) -> list[tuple[Milestone, bool]]:
    """milestones_for, each with whether it is inherited (set by a unit above, or national), in two queries."""
    root = roots[0] if len(roots) == 1 else None  # several roots (e.g. 34 provinces): the national defaults
    line = []
    if isinstance(root, Organisation):
        line = [root.pk, *root.ancestors().values_list("pk", flat=True)[::-1]]
    candidates = list(
        Milestone.objects.filter(Q(organisation__isnull=True) | Q(organisation__in=line)).select_related("organisation")
    )
    rank = {pk: n for n, pk in enumerate(line)}
    chosen: dict[str, list[Milestone]] = {}
    for m in sorted(candidates, key=lambda m: rank.get(m.organisation_id, len(line))):
        if m.metric not in chosen:  # the nearest level that defines a metric defines all its milestones
            chosen[m.metric] = [
                c for c in candidates if c.metric == m.metric and c.organisation_id == m.organisation_id
            ]
    ordered = sorted((m for ms in chosen.values() for m in ms), key=lambda m: (Metric.values.index(m.metric), m.due_on))
    own = line[0] if line else None
    return [(m, m.organisation_id is None or m.organisation_id != own) for m in ordered]


def milestone_checks(result: Ledger, filters: Filters) -> list[MilestoneCheck]:
    """Each milestone with today's value and the status judged by the day it was reached (reviews.milestones), the
    history counted with `filters` as the figures were."""
    from tinhgon.reviews import milestones as history

    applicable = applicable_milestones(list(filters.roots))
    if not applicable:
        return []
    past = history.History(filters)
    checks = []
    for m, inherited in applicable:
        reached_on = past.reached_on(m.metric, m.target)
        status = history.judge(reached_on, m.due_on, filters.as_of)
        checks.append(MilestoneCheck(m, result.value(m.metric), status, reached_on, inherited))
    return checks


def ledger_for(org: Organisation, as_of: date | None = None, **filters) -> Ledger:
    return ledger(Filters(roots=(org,), as_of=as_of or today(), **filters))


def filters_for(policy, acting, *, org: str = "", as_of=None, group="", field=None, level="") -> Filters:
    """The ledger a user asks for (page, workbook and API alike): of the unit coded `org`, else of the unit they act
    for (a superuser acting for none: the first root); 404 when they may not see it."""
    units = Organisation.objects.select_related("parent")
    if org:
        root = get_visible(policy, units, code=org.strip())
    else:
        fallback = acting.organisation if acting else units.filter(parent__isnull=True).order_by("pk").first()
        root = get_visible(policy, units, pk=fallback.pk if fallback else None)
    return Filters(
        roots=(root,),
        as_of=as_of or today(),
        group=group or "",
        field=field.code if field else "",
        level=level or "",
        policy=policy,
    )
