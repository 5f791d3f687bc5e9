"""The data behind the dashboards (/bao-cao/bang-dieu-khien/ and the API): pure functions of an organisation, a date
and a policy, returning plain JSON-able figures (numbers, strings, ISO dates, links to the records they count).

Three views, chosen by the strongest role of the policy:
- "officer": my drafts, my reviews, my assignments by deadline, what was returned to me;
- "agency" (unit head, focal point, agency leader): milestones and the target ledger, overdue work, indicators,
  what waits for my action;
- "oversight" (province office, administrators): every unit directly under the organisation side by side, the
  reviewed % at each month end of the last 12 months, overdue work by unit and month, cost saving, indicators.

The unit is found with `dashboard_unit` (404 outside the user's reports.view scope), and the per-user blocks count
only units of the user's scope (`scope_units`). The oversight blocks are the unit's and are shared by everyone who
may see that unit, as a snapshot (DashboardSnapshot), served only through `DashboardSnapshot.objects.visible_to`.

Query counts do not depend on the number of units: per-unit figures are grouped by owner in one query each and
folded onto the units through the closure table (one query).
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.db.models import BigIntegerField, Count, DateField, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest, TruncMonth
from django.utils import timezone

from tinhgon.accounts.models import Role
from tinhgon.accounts.permissions import ROLE_PRIORITY
from tinhgon.core import formatting
from tinhgon.core.visibility import get_visible
from tinhgon.organisations.models import Organisation, OrganisationLink
from tinhgon.plans import progress
from tinhgon.plans.constants import ExtensionStatus
from tinhgon.plans.models import Assignment, ExtensionRequest, Indicator, IndicatorValue, Plan
from tinhgon.procedures.constants import Status
from tinhgon.procedures.models import Procedure, ProcedureVersion
from tinhgon.reviews import ledger as ledger_module
from tinhgon.reviews.constants import REVIEWED, SIMPLIFYING, ImplementationStatus, ReviewStatus
from tinhgon.reviews.costs import percent
from tinhgon.reviews.models import ImplementationItem, Review

VIEW = "reports.view"
LIST_LIMIT = 20
MONTHS = 12
# The oversight page of a unit with many direct children (a province: ~3,000 departments, units and communes) shows
# the first and last of the ranking and the heat map of the units with most overdue work; ?all=1 shows everything.
RANKING_TOP = 30
RANKING_BOTTOM = 10
HEATMAP_UNITS = 30
RANKING_SUMS = ("published", "reviewed", "simplified", "cost_before", "cost_after", "overdue")

VIEW_OF_ROLE = {
    Role.OFFICER: "officer",
    Role.UNIT_HEAD: "agency",
    Role.FOCAL_POINT: "agency",
    Role.AGENCY_LEADER: "agency",
    Role.OVERSIGHT: "oversight",
    Role.ADMIN: "oversight",
}
VIEW_LABELS = {
    "officer": "Công việc của tôi",
    "agency": "Tiến độ của cơ quan",
    "oversight": "Theo dõi các cơ quan, đơn vị trực thuộc",
}


def _pct(value) -> str:
    return f"{Decimal(value):.2f}"


def _d(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _vn(day: date) -> str:
    return formatting.day(day)


def _url(path: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{path}?{urlencode(params)}" if params else path


def acting_role(policy) -> str:
    """The strongest role of the policy (on the web: the acting membership's)."""
    if getattr(policy, "is_superuser", False) and not policy.memberships:
        return Role.ADMIN
    roles = [m.role for m in policy.memberships]
    for role in ROLE_PRIORITY:
        if role in roles:
            return role
    return Role.OFFICER


def dashboard_unit(policy, code: str = "", acting=None) -> Organisation:
    """The unit a dashboard is about: the one named by `code`, else the acting membership's, else (a superuser
    acting for no unit) the first root unit. 404 unless the user may see that unit's dashboard."""
    units = Organisation.objects.filter(pk__in=policy.organisations(VIEW).values("pk"))
    if code:
        return get_visible(policy, units, code=code)
    if acting is not None:
        return get_visible(policy, units, pk=acting.organisation_id)
    roots = units.visible_to(policy).filter(parent__isnull=True).order_by("pk")
    return get_visible(policy, units, pk=roots.values_list("pk", flat=True).first())


def scope_units(org: Organisation, policy):
    """The units under `org` (history included) that the user may see: what the per-user blocks count. A unit
    that joined `org` after it left the user's subtree stays out."""
    return Organisation.objects.ever_under([org]).filter(pk__in=policy.organisations(VIEW).values("pk"))


def _ledger_url(metric: str, org: Organisation, as_of: date) -> str:
    return _url("/ra-soat/so-theo-doi/thu-tuc/", metric=metric, org=org.code, as_of=_vn(as_of))


def dashboard_data(org: Organisation, as_of: date, policy, *, all: bool = False) -> dict:
    """The figures of the view of the policy's strongest role. For the oversight view, `all` keeps every child
    unit in the ranking and the heat map (the page's ?all=1); by default they are cut to one screen (see
    oversight_blocks), with the number of units left out and a total row over all of them."""
    role = acting_role(policy)
    view = VIEW_OF_ROLE.get(role, "officer")
    data = {
        "organisation": {"id": org.pk, "code": org.code, "name": org.name},
        "as_of": as_of.isoformat(),
        "computed_at": timezone.localtime().isoformat(timespec="minutes"),
        "role": str(role),
        "view": view,
        "view_label": VIEW_LABELS[view],
    }
    if view == "officer":
        data.update(officer_blocks(org, as_of, policy))
    elif view == "agency":
        data.update(agency_blocks(org, as_of, policy, role))
    else:
        blocks, computed_at = oversight_snapshot(org, as_of, policy, full=all)
        data.update(blocks)
        data["computed_at"] = timezone.localtime(computed_at).isoformat(timespec="minutes")
    return data


def snapshot_minutes() -> int:
    return int(getattr(settings, "TINHGON_DASHBOARD_SNAPSHOT_MINUTES", 10))


def oversight_snapshot(org: Organisation, as_of: date, policy, *, full: bool = False):
    """The oversight blocks of a unit the user sees, from a snapshot younger than snapshot_minutes() (0 turns
    snapshots off), else computed now and stored. Returns (blocks, computed_at)."""
    from tinhgon.reports.models import DashboardSnapshot

    minutes = snapshot_minutes()
    if minutes <= 0:
        return oversight_blocks(org, as_of, full=full), timezone.now()
    fresh = DashboardSnapshot.objects.visible_to(policy).filter(
        organisation=org, as_of=as_of, full=full, computed_at__gt=timezone.now() - timedelta(minutes=minutes)
    )
    snapshot = fresh.first()
    if snapshot is not None:
        return snapshot.data, snapshot.computed_at
    return store_snapshot(org, as_of, full=full)


def store_snapshot(org: Organisation, as_of: date, *, full: bool = False):
    """Compute the oversight blocks of `org` now and store them (the worker keeps the provinces' warm).
    Returns (blocks, computed_at)."""
    from tinhgon.reports.models import DashboardSnapshot

    now = timezone.now()
    blocks = oversight_blocks(org, as_of, full=full)
    DashboardSnapshot.objects.update_or_create(
        organisation=org, as_of=as_of, full=full, defaults={"data": blocks, "computed_at": now}
    )
    return blocks, now


# Officer ----------------------------------------------------------------------------------------------------------


def _version_row(v) -> dict:
    return {
        "id": v.pk,
        "procedure_id": v.procedure_id,
        "code": v.procedure.code,
        "name": v.name,
        "status": v.status,
        "status_label": Status(v.status).label,
        "url": f"/thu-tuc/{v.procedure_id}/",
    }


def _review_row(r) -> dict:
    return {
        "id": r.pk,
        "code": r.procedure.code,
        "name": r.version.name,
        "status": r.status,
        "status_label": ReviewStatus(r.status).label,
        "deadline": _d(r.deadline),
        "url": f"/ra-soat/phieu/{r.pk}/",
    }


def _assignment_row(a, as_of: date) -> dict:
    status = a.status_class(as_of)
    return {
        "id": a.pk,
        "task": a.task.title,
        "code": a.task.code,
        "unit": a.organisation.name,
        "due_on": _d(a.due_on),
        "status": status,
        "status_label": a.status_label(as_of),
        "progress": a.progress,
        "url": f"/ke-hoach/phan-cong/{a.pk}/",
    }


def officer_blocks(org: Organisation, as_of: date, policy) -> dict:
    user = policy.user
    user_id = getattr(user, "pk", None)
    units = scope_units(org, policy)
    versions = ProcedureVersion.objects.select_related("procedure").filter(
        procedure__owner__in=units, procedure__is_template=False, created_by_id=user_id
    )
    drafts = versions.filter(status__in=[Status.DRAFT, Status.RETURNED]).order_by("-pk")
    reviews = (
        Review.objects.select_related("procedure", "version")
        .filter(Q(reviewer_id=user_id) | Q(responsible=org))
        .filter(Q(procedure__owner__in=units) | Q(responsible__in=units))
        .exclude(status__in=list(REVIEWED))
        .order_by("deadline", "pk")
    )
    assignments = (
        Assignment.objects.open()
        .filter(organisation=org)
        .select_related("task", "organisation")
        .order_by("due_on", "pk")
    )
    returned_versions = versions.filter(status=Status.RETURNED).order_by("-pk")
    returned_reviews = reviews.filter(status=ReviewStatus.RETURNED)
    return {
        "my_drafts": {
            "count": drafts.count(),
            "rows": [_version_row(v) for v in drafts[:LIST_LIMIT]],
            "url": _url("/thu-tuc/", status=Status.DRAFT, owner=org.code),
        },
        "my_reviews": {"count": reviews.count(), "rows": [_review_row(r) for r in reviews[:LIST_LIMIT]]},
        "my_assignments": {
            "count": assignments.count(),
            "rows": [_assignment_row(a, as_of) for a in assignments[:LIST_LIMIT]],
            "url": "/ke-hoach/cua-toi/",
        },
        "returned": {
            "versions": [_version_row(v) for v in returned_versions[:LIST_LIMIT]],
            "reviews": [_review_row(r) for r in returned_reviews[:LIST_LIMIT]],
            "url": _url("/thu-tuc/", status=Status.RETURNED, owner=org.code),
        },
    }


# Agency -----------------------------------------------------------------------------------------------------------


def ledger_block(org: Organisation, as_of: date) -> dict:
    result = ledger_module.ledger_for(org, as_of)
    return {
        "published": result.published,
        "reviewed": result.reviewed,
        "reviewed_pct": _pct(result.reviewed_pct),
        "simplified": result.simplified,
        "simplified_pct": _pct(result.simplified_pct),
        "approved": result.approved,
        "implemented": result.implemented,
        "implemented_pct": _pct(result.implemented_pct),
        "cost_before": result.cost_before,
        "cost_after": result.cost_after,
        "cost_saving": result.cost_saving,
        "cost_saving_pct": _pct(result.cost_saving_pct),
        "time_cut": result.time_cut,
        "time_cut_pct": _pct(result.time_cut_pct),
        # Each count in the ledger's words (reviews.ledger.COUNTS), for the cards' labels and their tooltips.
        "labels": {key: count.label for key, count in ledger_module.COUNTS.items()},
        "definitions": {key: count.definition for key, count in ledger_module.COUNTS.items()},
        "urls": {
            metric: _ledger_url(metric, org, as_of)
            for metric in ("published", "reviewed", "simplified", "approved", "implemented")
        },
        "milestones": [
            {
                "metric": m.milestone.metric,
                "label": m.milestone.get_metric_display(),
                "target": _pct(m.milestone.target),
                "due_on": _d(m.milestone.due_on),
                "value": _pct(m.value),
                "status": m.status,
                "status_label": m.status_label,
            }
            for m in result.milestones
        ],
    }


def indicators_block(org: Organisation, as_of: date) -> list[dict]:
    """The organisation's indicators with their latest value up to the date (two queries)."""
    latest = {}
    for v in IndicatorValue.objects.filter(indicator__organisation=org, period_start__lte=as_of).order_by(
        "indicator_id", "period_start"
    ):
        latest[v.indicator_id] = v
    out = []
    for indicator in Indicator.objects.filter(organisation=org).order_by("name"):
        v = latest.get(indicator.pk)
        status = indicator.status_of(v.value if v else None, v.period_end if v else as_of, on=as_of)
        out.append(
            {
                "id": indicator.pk,
                "name": indicator.name,
                "unit": indicator.unit,
                "target": f"{indicator.target:.2f}",
                "value": f"{v.value:.2f}" if v else None,
                "period": v.period_label if v else "",
                "status": status,
                "url": f"/ke-hoach/chi-tieu/{indicator.pk}/",
            }
        )
    return out


def overdue_block(org: Organisation, units, as_of: date) -> dict:
    tasks = (
        Assignment.objects.overdue(as_of).within(units).select_related("task", "organisation").order_by("due_on", "pk")
    )
    items = (
        ImplementationItem.objects.filter(proposal__review__procedure__owner__in=units, due_on__lt=as_of)
        .exclude(status=ImplementationStatus.DONE, issued_on__lte=as_of)  # done after the day: overdue on it
        .order_by("due_on", "pk")
    )
    return {
        "tasks": {
            "count": tasks.count(),
            "rows": [_assignment_row(a, as_of) for a in tasks[:LIST_LIMIT]],
            "url": _url("/ke-hoach/tre-han/", org=org.code),
        },
        "implementation": {
            "count": items.count(),
            "rows": [{"id": i.pk, "title": str(i), "due_on": _d(i.due_on)} for i in items[:LIST_LIMIT]],
            "url": "/ra-soat/thuc-thi/",
        },
    }


def waiting_block(org: Organisation, units, role: str) -> dict:
    """What waits for the acting role: to check (focal point), to submit (unit head, agency leader), extension
    requests to decide (whoever issues plans)."""
    out = {}
    versions = ProcedureVersion.objects.select_related("procedure").filter(
        procedure__owner__in=units, procedure__is_template=False
    )
    reviews = Review.objects.select_related("procedure", "version").filter(
        Q(procedure__owner__in=units) | Q(responsible__in=units)
    )
    if role == Role.FOCAL_POINT:
        to_check = versions.filter(status=Status.SUBMITTED).order_by("pk")
        reviews_to_check = reviews.filter(status=ReviewStatus.SUBMITTED).order_by("deadline", "pk")
        out["versions_to_check"] = {
            "count": to_check.count(),
            "rows": [_version_row(v) for v in to_check[:LIST_LIMIT]],
            "url": _url("/thu-tuc/", status=Status.SUBMITTED, owner=org.code),
        }
        out["reviews_to_check"] = {
            "count": reviews_to_check.count(),
            "rows": [_review_row(r) for r in reviews_to_check[:LIST_LIMIT]],
        }
    if role in (Role.UNIT_HEAD, Role.AGENCY_LEADER):
        to_submit = versions.filter(status=Status.DRAFT).order_by("pk")
        reviews_to_submit = reviews.filter(status__in=[ReviewStatus.DRAFT, ReviewStatus.RETURNED]).order_by(
            "deadline", "pk"
        )
        out["versions_to_submit"] = {
            "count": to_submit.count(),
            "rows": [_version_row(v) for v in to_submit[:LIST_LIMIT]],
            "url": _url("/thu-tuc/", status=Status.DRAFT, owner=org.code),
        }
        out["reviews_to_submit"] = {
            "count": reviews_to_submit.count(),
            "rows": [_review_row(r) for r in reviews_to_submit[:LIST_LIMIT]],
        }
    # The plans first (a unit issues a few): joined from the requests, PostgreSQL read every assignment of the
    # country to find a commune's three pending requests (130 ms).
    plans = list(Plan.objects.filter(issuer__in=units).values_list("pk", flat=True))
    extensions = (
        ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING, assignment__task__plan_id__in=plans)
        .select_related("assignment__task", "assignment__organisation")
        .order_by("created_at")
    )
    out["extensions"] = {
        "count": extensions.count(),
        "rows": [
            {
                "id": e.pk,
                "task": e.assignment.task.title,
                "unit": e.assignment.organisation.name,
                "requested_due_on": _d(e.requested_due_on),
                "url": f"/ke-hoach/phan-cong/{e.assignment_id}/",
            }
            for e in extensions[:LIST_LIMIT]
        ],
    }
    return out


def tasks_block(units, as_of: date) -> dict:
    """The year's tasks of the units up to `as_of`, tallied as the periodic report tallies them (the same function,
    reports.figures.tasks_figures, over 01/01 to 31/12 with the cut-off `as_of`): due, completed on time and late,
    not completed past the deadline, not yet due, with their shares, and the regular tasks apart."""
    from tinhgon.reports.figures import tasks_figures
    from tinhgon.reports.periods import Kind, period

    year = period(Kind.AD_HOC, as_of.year, 1, date(as_of.year, 1, 1), date(as_of.year, 12, 31))
    figures = tasks_figures(units, year, as_of=as_of)
    return {
        "start": _d(year.start),
        "end": _d(year.end),
        "figures": figures,
        "rows": progress.tally_rows(figures),
        "note": progress.share_note(figures),
    }


def agency_blocks(org: Organisation, as_of: date, policy, role: str) -> dict:
    units = scope_units(org, policy)
    return {
        "ledger": ledger_block(org, as_of),
        "tasks": tasks_block(units, as_of),
        "overdue": overdue_block(org, units, as_of),
        "indicators": indicators_block(org, as_of),
        "waiting": waiting_block(org, units, role),
    }


# Oversight --------------------------------------------------------------------------------------------------------


def month_ends(as_of: date, n: int = MONTHS) -> list[date]:
    """The last day of each of the `n` months ending with the month of `as_of` (that one cut at `as_of`)."""
    ends = [as_of]
    first = as_of.replace(day=1)
    for _ in range(n - 1):
        end = first - timedelta(days=1)
        ends.append(end)
        first = end.replace(day=1)
    return ends[::-1]


def progress_series(org: Organisation, as_of: date) -> list[dict]:
    """Reviewed % of the organisation's subtree at each month end, in two grouped queries whatever the units and
    months. Both figures are running totals: a procedure counts as published from its first effective_from (the
    ledger's "a version in force on or before the date") and as reviewed from the later of that day and the first
    checked_on of its reviewed forms (the ledger's "latest checked review on or before the date" exists from then
    on). So: count procedures by the month of each of those days, then add up month by month."""
    ends = month_ends(as_of)
    units = Organisation.objects.ever_under([org])
    first_version = (
        ProcedureVersion.objects.internal()
        .filter(procedure=OuterRef("pk"), effective_from__isnull=False)
        .order_by()
        .values("procedure")
        .annotate(day=Min("effective_from"))
        .values("day")
    )
    first_check = (
        Review.objects.filter(procedure=OuterRef("pk"), status__in=list(REVIEWED), checked_on__isnull=False)
        .order_by()
        .values("procedure")
        .annotate(day=Min("checked_on"))
        .values("day")
    )
    procedures = (
        Procedure.objects.filter(owner__in=units, is_template=False)
        .annotate(first=Subquery(first_version, output_field=DateField()))
        .filter(first__lte=as_of)
    )
    published = procedures.annotate(month=TruncMonth("first")).values_list("month").annotate(n=Count("pk"))
    reviewed = (
        procedures.annotate(checked=Subquery(first_check, output_field=DateField()))
        .filter(checked__lte=as_of)
        .annotate(month=TruncMonth(Greatest("first", "checked", output_field=DateField())))
        .values_list("month")
        .annotate(n=Count("pk"))
    )

    def running(rows) -> list[int]:
        by_month: dict[date, int] = defaultdict(int)
        for month, n in rows.order_by():
            month = month.date() if isinstance(month, datetime) else month
            by_month[month.replace(day=1)] += n
        return [sum(n for month, n in by_month.items() if month <= end) for end in ends]

    out = []
    for day, n_published, n_reviewed in zip(ends, running(published), running(reviewed), strict=True):
        out.append(
            {
                "date": day.isoformat(),
                "label": day.strftime("%m/%Y"),
                "published": n_published,
                "reviewed": n_reviewed,
                "reviewed_pct": _pct(percent(n_reviewed, n_published)),
            }
        )
    return out


def _unit_of(children: list[Organisation]) -> dict[int, int]:
    """descendant id → the child it is (or was) under: one query on the closure table."""
    links = OrganisationLink.objects.filter(ancestor__in=children).order_by("depth")
    mapping: dict[int, int] = {}
    for descendant, ancestor in links.values_list("descendant_id", "ancestor_id"):
        mapping.setdefault(descendant, ancestor)
    return mapping


def _overdue_by_month(
    children: list[Organisation], as_of: date, unit_of: dict[int, int]
) -> dict[tuple[int, date], int]:
    """Open assignments past their deadline, (child id, month of the deadline) → count: one grouped query, shared by
    the ranking (its "overdue" column) and the heat map."""
    units = Organisation.objects.ever_under(children)
    rows = (
        Assignment.objects.overdue(as_of)
        .within(units)
        .annotate(month=TruncMonth("due_on"))
        .values_list("organisation", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[tuple[int, date | None], int] = defaultdict(int)
    for unit, month, n in rows:
        child = unit_of.get(unit)
        if child is None:
            continue
        if month is not None:
            month = (month.date() if isinstance(month, datetime) else month).replace(day=1)
        out[(child, month)] += n
    return out


def _rank_key(s) -> tuple:
    return (-s["reviewed_pct"], -s["simplified_pct"], s["overdue"], s["name"])


def ranking(
    org: Organisation,
    children: list[Organisation],
    as_of: date,
    unit_of: dict[int, int] | None = None,
    overdue: dict[tuple[int, date], int] | None = None,
    full: bool = True,
) -> dict:
    """Per child unit: published, reviewed, simplified, cost before/after/saving and overdue assignments, in a
    constant number of grouped queries (by owner, folded onto the children). Every child is counted and ranked; the
    rows are built for all of them when `full`, else for the first TOP and the last BOTTOM only (with a total row
    over all of them either way): {"rows", "total", "count", "hidden"}."""
    if unit_of is None:
        unit_of = _unit_of(children)
    if overdue is None:
        overdue = _overdue_by_month(children, as_of, unit_of)
    filters = ledger_module.Filters(roots=(org,), as_of=as_of)
    stats = {c.pk: defaultdict(int) for c in children}

    def add(owner_id, key, n):
        child = unit_of.get(owner_id)
        if child is not None:
            stats[child][key] += int(n or 0)

    for owner, n in ledger_module.in_scope(filters).values_list("owner").annotate(n=Count("pk")).order_by():
        add(owner, "published", n)
    approved = ledger_module.approved_q(filters)
    changing = approved & Q(proposal__action__in=list(SIMPLIFYING))
    before, after = ledger_module.cost_expressions(filters)
    rows = (
        ledger_module.latest_checked(filters)
        .values("procedure__owner")
        .annotate(
            n=Count("pk"),
            n_simplified=Count("pk", filter=changing),
            cost_before=Coalesce(Sum(before), 0, output_field=BigIntegerField()),
            cost_after=Coalesce(Sum(after), 0, output_field=BigIntegerField()),
        )
        .order_by()
    )
    for row in rows:
        owner = row["procedure__owner"]
        add(owner, "reviewed", row["n"])
        add(owner, "simplified", row["n_simplified"])
        add(owner, "cost_before", row["cost_before"])
        add(owner, "cost_after", row["cost_after"])
    for (child, _), n in overdue.items():
        if child in stats:
            stats[child]["overdue"] += n

    for child in children:
        s = stats[child.pk]
        s["child"] = child
        s["name"] = child.name
        s["reviewed_pct"] = percent(s["reviewed"], s["published"])
        s["simplified_pct"] = percent(s["simplified"], s["published"])
    ordered = sorted(stats.values(), key=_rank_key)
    for n, s in enumerate(ordered, start=1):
        s["rank"] = n
    if full or len(ordered) <= RANKING_TOP + RANKING_BOTTOM:
        shown = ordered
    else:
        shown = ordered[:RANKING_TOP] + ordered[-RANKING_BOTTOM:]

    day = quote_plus(_vn(as_of))
    out = []
    for s in shown:
        child = s["child"]
        code = quote_plus(child.code)
        ledger_link = f"/ra-soat/so-theo-doi/thu-tuc/?metric={{}}&org={code}&as_of={day}"
        saving = s["cost_before"] - s["cost_after"]
        out.append(
            {
                "id": child.pk,
                "code": child.code,
                "name": child.name,
                "kind": child.get_kind_display(),
                "published": s["published"],
                "reviewed": s["reviewed"],
                "reviewed_pct": _pct(s["reviewed_pct"]),
                "simplified": s["simplified"],
                "simplified_pct": _pct(s["simplified_pct"]),
                "cost_before": s["cost_before"],
                "cost_after": s["cost_after"],
                "cost_saving": saving,
                "cost_saving_pct": _pct(percent(saving, s["cost_before"])),
                "overdue": s["overdue"],
                "rank": s["rank"],
                "url": f"/bao-cao/bang-dieu-khien/?org={code}&as_of={day}",
                "urls": {
                    "published": ledger_link.format("published"),
                    "reviewed": ledger_link.format("reviewed"),
                    "simplified": ledger_link.format("simplified"),
                    "overdue": f"/ke-hoach/tre-han/?org={code}",
                },
            }
        )
    if len(shown) < len(ordered):
        out[RANKING_TOP]["gap_before"] = len(ordered) - len(shown)
    totals = {key: sum(s[key] for s in ordered) for key in RANKING_SUMS}
    saving = totals["cost_before"] - totals["cost_after"]
    totals.update(
        {
            "reviewed_pct": _pct(percent(totals["reviewed"], totals["published"])),
            "simplified_pct": _pct(percent(totals["simplified"], totals["published"])),
            "cost_saving": saving,
            "cost_saving_pct": _pct(percent(saving, totals["cost_before"])),
        }
    )
    return {"rows": out, "total": totals, "count": len(ordered), "hidden": len(ordered) - len(shown)}


def heatmap(
    org: Organisation,
    children: list[Organisation],
    as_of: date,
    unit_of: dict[int, int] | None = None,
    overdue: dict[tuple[int, date], int] | None = None,
    full: bool = True,
) -> dict:
    """Open assignments past their deadline, by child unit and month of the deadline (the last 12 months; older
    ones in the first column "earlier"). All children (by name) when `full`, else the HEATMAP_UNITS with the most
    overdue work (most first)."""
    if unit_of is None:
        unit_of = _unit_of(children)
    if overdue is None:
        overdue = _overdue_by_month(children, as_of, unit_of)
    ends = month_ends(as_of)
    months = [d.replace(day=1) for d in ends]
    labels = [f"Trước {months[0]:%m/%Y}", *(m.strftime("%m/%Y") for m in months)]
    index = {m: n + 1 for n, m in enumerate(months)}
    shown = children
    if not full and len(children) > HEATMAP_UNITS:
        totals: dict[int, int] = defaultdict(int)
        for (child, month), n in overdue.items():
            if month is not None:
                totals[child] += n
        shown = sorted((c for c in children if totals[c.pk]), key=lambda c: (-totals[c.pk], c.name))[:HEATMAP_UNITS]
    order = {c.pk: n for n, c in enumerate(shown)}
    cells: dict[tuple[int, int], int] = defaultdict(int)
    for (child, month), n in overdue.items():
        if month is None or child not in order:
            continue
        cells[(order[child], index.get(month, 0))] += n
    data = [[x, y, n] for (y, x), n in sorted(cells.items())]
    return {
        "months": labels,
        "units": [c.name for c in shown],
        "codes": [c.code for c in shown],
        "data": data,
        "max": max((n for _, _, n in data), default=0),
        "count": len(children),
        "hidden": len(children) - len(shown),
    }


def oversight_blocks(org: Organisation, as_of: date, full: bool = False) -> dict:
    """The oversight view. The closure links of the children and the overdue assignments by unit and month are
    loaded once and shared by the ranking and the heat map. Unless `full`, the ranking shows its first RANKING_TOP
    and last RANKING_BOTTOM rows (plus the total) and the heat map the HEATMAP_UNITS units with most overdue work:
    a province with thousands of direct children stays one screen (and 300 ms)."""
    children = list(org.children_on(as_of).order_by("name"))
    unit_of = _unit_of(children)
    overdue = _overdue_by_month(children, as_of, unit_of)
    ranked = ranking(org, children, as_of, unit_of, overdue, full=full)
    return {
        "ledger": ledger_block(org, as_of),
        "tasks": tasks_block(Organisation.objects.ever_under([org]), as_of),
        "ranking": ranked["rows"],
        "ranking_total": ranked["total"],
        "ranking_count": ranked["count"],
        "ranking_hidden": ranked["hidden"],
        "progress": progress_series(org, as_of),
        "heatmap": heatmap(org, children, as_of, unit_of, overdue, full=full),
        "indicators": indicators_block(org, as_of),
        "all": full,
    }
