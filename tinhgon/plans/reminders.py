"""Deadline reminders: the daily e-mail digest, the in-app notifications page and private iCalendar feeds.

Nothing is stored: a digest is computed on the fly from the open assignments, in a fixed number of queries whatever
the number of users (memberships, own assignments, the subtree links of leaders, late counts per unit below them,
the late rows of the units listed).
iCalendar feed URLs carry a token signed with the project's SECRET_KEY (salt "plans.ical"), so no token table is
needed; rotating SECRET_KEY invalidates every feed URL.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from tinhgon.accounts.models import Membership, NotifyBy, Role
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation, OrganisationLink
from tinhgon.plans.models import Assignment

DEFAULT_DAYS = 7
LEADER_ROLES = frozenset({Role.AGENCY_LEADER, Role.UNIT_HEAD, Role.FOCAL_POINT})
BELOW_PER_UNIT = 10  # lines listed per unit under "overdue below you"; the rest are counted
BELOW_UNITS = 30  # units listed under "overdue below you" (those with most late assignments); the rest are counted
ICAL_SALT = "plans.ical"


# --------------------------------------------------------------------------------------------------------------
# Links
# --------------------------------------------------------------------------------------------------------------


def site_url() -> str:
    """The public address of the site, for links in e-mails and feeds (settings.SITE_URL or the SITE_URL variable;
    local development address otherwise)."""
    import os

    return (getattr(settings, "SITE_URL", "") or os.environ.get("SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


_CANDIDATES = (("plans:assignment", "pk"), ("plans:task-detail", "task_id"), ("plans:task", "task_id"))


def assignment_path(assignment: Assignment) -> str:
    """The page of the assignment (or of its task) when the plans pages name one, else the plans home page."""
    for name, attr in _CANDIDATES:
        try:
            return reverse(name, args=[getattr(assignment, attr)])
        except NoReverseMatch:
            continue
    try:
        return reverse("plans:plans")
    except NoReverseMatch:
        return "/ke-hoach/"


# --------------------------------------------------------------------------------------------------------------
# Digest
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Line:
    assignment: Assignment
    days_late: int
    url: str

    @property
    def unit(self) -> Organisation:
        return self.assignment.organisation

    @property
    def task(self):
        return self.assignment.task

    @property
    def plan(self):
        return self.assignment.task.plan

    @property
    def due_on(self) -> date:
        return self.assignment.due_on


@dataclass
class UnitGroup:
    unit: Organisation
    lines: list[Line]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.lines)


@dataclass
class Digest:
    user: object
    day: date
    days: int
    organisations: list[Organisation] = field(default_factory=list)
    overdue: list[Line] = field(default_factory=list)
    due_soon: list[Line] = field(default_factory=list)
    below: list[UnitGroup] = field(default_factory=list)
    is_leader: bool = False
    below_total: int = 0  # late assignments in every unit below, listed or not
    below_units_more: int = 0  # units with late assignments not listed

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_soon or self.below)


def _line(assignment: Assignment, day: date, base: str) -> Line:
    late = (day - assignment.due_on).days if assignment.due_on < day else 0
    return Line(assignment, late, base + assignment_path(assignment))


def digests(
    *, days: int = DEFAULT_DAYS, on: date | None = None, users=None, base_url: str | None = None, assignments=None
):
    """One Digest per active user with active memberships (or per user of `users`), empty ones included. At
    most five queries whatever the number of users: memberships, open assignments of their units due by `on + days`,
    subtree links of the leaders' units, late assignments counted per unit below them, and the rows of the units
    listed (the BELOW_UNITS with most late assignments per leader).

    Every line is about a unit of the user's or, for a leader, a unit below theirs: within what the user may see
    (plans.view covers a member's subtree). A page showing one user's digest passes `assignments`, that user's
    `Assignment.objects.visible_to(policy)`, to draw from; the daily job, for every user at once, draws from all."""
    day = on or today()
    assignments = Assignment.objects.all() if assignments is None else assignments
    base = site_url() if base_url is None else base_url.rstrip("/")
    memberships = Membership.objects.active().filter(user__is_active=True).select_related("user", "organisation")
    if users is not None:
        memberships = memberships.filter(user__in=users)
    memberships = list(memberships.order_by("user_id", "id"))
    if not memberships:
        return []

    org_ids = {m.organisation_id for m in memberships}
    own = (
        assignments.open()
        .filter(organisation_id__in=org_ids, due_on__isnull=False, due_on__lte=day + timedelta(days=days))
        .select_related("task__plan", "organisation")
        .order_by("due_on", "organisation__name", "id")
    )
    own_by_org: dict[int, list[Assignment]] = {}
    for a in own:
        own_by_org.setdefault(a.organisation_id, []).append(a)

    leader_roots = {m.organisation_id for m in memberships if m.role in LEADER_ROLES}
    under: dict[int, set[int]] = {}
    below_counts: dict[int, int] = {}
    if leader_roots:
        for ancestor, descendant in OrganisationLink.objects.filter(ancestor_id__in=leader_roots).values_list(
            "ancestor_id", "descendant_id"
        ):
            under.setdefault(ancestor, set()).add(descendant)
        # Counted in SQL: a province leader may have thousands of late assignments below; only the units listed in
        # a digest (BELOW_UNITS with most late assignments) are loaded.
        below_counts = dict(
            assignments.overdue(day)
            .within(Organisation.objects.ever_under(list(leader_roots)))
            .order_by()
            .values("organisation_id")
            .annotate(n=Count("id"))
            .values_list("organisation_id", "n")
        )

    by_user: dict[int, list[Membership]] = {}
    for m in memberships:
        by_user.setdefault(m.user_id, []).append(m)
    listed_units: dict[int, list[int]] = {}
    for user_id, user_memberships in by_user.items():
        roots = {m.organisation_id for m in user_memberships if m.role in LEADER_ROLES}
        if not roots:
            continue
        own_ids = {m.organisation_id for m in user_memberships}
        reach = set().union(*(under.get(r, set()) for r in roots)) - own_ids
        late_units = [o for o in reach if below_counts.get(o)]
        late_units.sort(key=lambda o: (-below_counts[o], o))
        listed_units[user_id] = late_units
    wanted = {o for units in listed_units.values() for o in units[:BELOW_UNITS]}
    below_by_org: dict[int, list[Assignment]] = {}
    if wanted:
        rows = (
            assignments.overdue(day)
            .filter(organisation_id__in=wanted)
            .select_related("task__plan", "organisation")
            .order_by("organisation_id", "due_on", "id")
        )
        for a in rows:
            below_by_org.setdefault(a.organisation_id, []).append(a)

    out = []
    for user_memberships in by_user.values():
        user = user_memberships[0].user
        orgs = list({m.organisation_id: m.organisation for m in user_memberships}.values())
        digest = Digest(user=user, day=day, days=days, organisations=orgs)
        own_ids = {o.pk for o in orgs}
        seen = set()
        for org in orgs:
            for a in own_by_org.get(org.pk, []):
                if a.pk in seen:
                    continue
                seen.add(a.pk)
                (digest.overdue if a.due_on < day else digest.due_soon).append(_line(a, day, base))
        digest.overdue.sort(key=lambda line: (line.due_on, line.unit.name, line.assignment.pk))
        digest.due_soon.sort(key=lambda line: (line.due_on, line.unit.name, line.assignment.pk))

        units = listed_units.get(user.pk)
        digest.is_leader = units is not None
        for unit_id in (units or [])[:BELOW_UNITS]:
            rows = below_by_org[unit_id]
            lines = [_line(a, day, base) for a in rows[:BELOW_PER_UNIT]]
            digest.below.append(UnitGroup(rows[0].organisation, lines, below_counts[unit_id]))
        digest.below.sort(key=lambda g: (g.unit.name, g.unit.pk))
        digest.below_units_more = len(units or []) - len(digest.below)
        digest.below_total = sum(below_counts[o] for o in units or [])
        out.append(digest)
    return out


# --------------------------------------------------------------------------------------------------------------
# E-mail
# --------------------------------------------------------------------------------------------------------------


def subject(digest: Digest) -> str:
    parts = []
    if digest.overdue:
        parts.append(f"{len(digest.overdue)} quá hạn")
    if digest.due_soon:
        parts.append(f"{len(digest.due_soon)} sắp đến hạn")
    if digest.below:
        parts.append(f"{digest.below_total} quá hạn ở đơn vị cấp dưới")
    return f"[{settings.SITE_NAME}] Nhắc hạn nhiệm vụ ngày {digest.day:%d/%m/%Y}: " + ", ".join(parts)


def _text_line(line: Line, with_unit: bool = True) -> str:
    late = f" — trễ {line.days_late} ngày" if line.days_late else ""
    unit = f"[{line.unit.name}] " if with_unit else ""
    return f"- {unit}{line.task.title}\n  Kế hoạch: {line.plan}\n  Hạn: {line.due_on:%d/%m/%Y}{late}\n  Xem: {line.url}"


def text_body(digest: Digest) -> str:
    name = digest.user.get_full_name() or digest.user.get_username()
    out = [
        f"Kính gửi {name},",
        "",
        f"Hệ thống {settings.SITE_NAME} xin nhắc các nhiệm vụ của đơn vị đồng chí tính đến ngày {digest.day:%d/%m/%Y}.",
    ]
    if digest.overdue:
        out += ["", f"NHIỆM VỤ QUÁ HẠN ({len(digest.overdue)})", *(_text_line(line) for line in digest.overdue)]
    if digest.due_soon:
        out += [
            "",
            f"NHIỆM VỤ ĐẾN HẠN TRONG {digest.days} NGÀY TỚI ({len(digest.due_soon)})",
            *(_text_line(line) for line in digest.due_soon),
        ]
    if digest.below:
        out += ["", f"NHIỆM VỤ QUÁ HẠN Ở CÁC ĐƠN VỊ CẤP DƯỚI ({digest.below_total})"]
        for group in digest.below:
            out += ["", f"* {group.unit.name} ({group.total})", *(_text_line(line, False) for line in group.lines)]
            if group.more:
                out.append(f"  … và {group.more} nhiệm vụ quá hạn khác")
        if digest.below_units_more:
            out += ["", f"… và {digest.below_units_more} đơn vị khác có nhiệm vụ quá hạn."]
    out += [
        "",
        "Thư này được gửi tự động mỗi ngày; không trả lời thư này.",
        f"Xem tất cả thông báo: {site_url()}{_notifications_path()}",
    ]
    return "\n".join(out) + "\n"


def _notifications_path() -> str:
    try:
        return reverse("plans:notifications")
    except NoReverseMatch:
        return "/ke-hoach/thong-bao/"


def _html_rows(lines: list[Line], with_unit: bool = True) -> str:
    rows = []
    for line in lines:
        late = f'<span style="color:#d63939">trễ {line.days_late} ngày</span>' if line.days_late else ""
        unit = f"<td>{escape(line.unit.name)}</td>" if with_unit else ""
        rows.append(
            f'<tr>{unit}<td><a href="{escape(line.url)}">{escape(line.task.title)}</a></td>'
            f"<td>{escape(str(line.plan))}</td><td>{line.due_on:%d/%m/%Y}</td><td>{late}</td></tr>"
        )
    head = "<th>Đơn vị</th>" if with_unit else ""
    return (
        '<table border="1" cellpadding="4" cellspacing="0" style="border-collapse:collapse">'
        f"<tr>{head}<th>Nhiệm vụ</th><th>Kế hoạch</th><th>Thời hạn</th><th>Trễ hạn</th></tr>{''.join(rows)}</table>"
    )


def html_body(digest: Digest) -> str:
    name = escape(digest.user.get_full_name() or digest.user.get_username())
    out = [
        f"<p>Kính gửi {name},</p>",
        f"<p>Hệ thống {escape(settings.SITE_NAME)} xin nhắc các nhiệm vụ của đơn vị đồng chí tính đến ngày "
        f"{digest.day:%d/%m/%Y}.</p>",
    ]
    if digest.overdue:
        out += [f"<h3>Nhiệm vụ quá hạn ({len(digest.overdue)})</h3>", _html_rows(digest.overdue)]
    if digest.due_soon:
        out += [
            f"<h3>Nhiệm vụ đến hạn trong {digest.days} ngày tới ({len(digest.due_soon)})</h3>",
            _html_rows(digest.due_soon),
        ]
    if digest.below:
        out.append(f"<h3>Nhiệm vụ quá hạn ở các đơn vị cấp dưới ({digest.below_total})</h3>")
        for group in digest.below:
            out += [f"<h4>{escape(group.unit.name)} ({group.total})</h4>", _html_rows(group.lines, False)]
            if group.more:
                out.append(f"<p>… và {group.more} nhiệm vụ quá hạn khác</p>")
        if digest.below_units_more:
            out.append(f"<p>… và {digest.below_units_more} đơn vị khác có nhiệm vụ quá hạn.</p>")
    link = escape(f"{site_url()}{_notifications_path()}")
    out.append(
        f'<p style="color:#666">Thư gửi tự động mỗi ngày; không trả lời thư này. <a href="{link}">Xem tất cả '
        "thông báo</a>.</p>"
    )
    return "<html><body>" + "\n".join(out) + "</body></html>"


@dataclass
class Outcome:
    sent: int = 0
    skipped_empty: int = 0
    skipped_no_email: int = 0
    messages: list = field(default_factory=list)


def send_deadline_digests(
    *, days: int = DEFAULT_DAYS, on: date | None = None, dry_run: bool = False, users=None
) -> Outcome:
    """One e-mail per user who has something due or overdue (or, for a leader, overdue below them)."""
    outcome = Outcome()
    for digest in digests(days=days, on=on, users=users):
        if not digest:
            outcome.skipped_empty += 1
            continue
        if not digest.user.email or digest.user.notify_by == NotifyBy.NONE:  # no address, or asked for no mail
            outcome.skipped_no_email += 1
            continue
        message = EmailMultiAlternatives(
            subject=subject(digest), body=text_body(digest), to=[digest.user.email], from_email=None
        )
        message.attach_alternative(html_body(digest), "text/html")
        outcome.messages.append(message)
    if not dry_run and outcome.messages:
        connection = get_connection()
        outcome.sent = connection.send_messages(outcome.messages) or 0
    return outcome


try:  # run by the background worker (python manage.py db_worker) when django-tasks is installed
    from django_tasks import task
except ImportError:  # pragma: no cover
    task = None

if task is not None:

    @task()
    def send_deadline_digests_task(days: int = DEFAULT_DAYS) -> int:
        """Background-worker entry point: `send_deadline_digests_task.enqueue()`; returns the number sent."""
        return send_deadline_digests(days=days).sent


# --------------------------------------------------------------------------------------------------------------
# iCalendar tokens and feeds
# --------------------------------------------------------------------------------------------------------------


def _signer() -> signing.Signer:
    return signing.Signer(salt=ICAL_SALT)  # no timestamp: the same user (and unit) always gets the same URL


def ical_token_for_user(user) -> str:
    return _signer().sign_object({"u": user.pk}, compress=True)


def ical_token_for_org(org: Organisation, user) -> str:
    return _signer().sign_object({"u": user.pk, "o": org.code}, compress=True)


def ical_user_from_token(token: str, org_code: str | None = None):
    """The active user a token was made for (and, for an organisation token, made for that organisation), else
    None."""
    from tinhgon.accounts.models import User

    try:
        data = _signer().unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("o") != org_code:
        return None
    return User.objects.filter(pk=data.get("u"), is_active=True).first()


def calendar(assignments, *, name: str, base: str) -> bytes:
    """One all-day VEVENT per open assignment, at its due date, with a stable UID."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//Nhac han nhiem vu//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for a in assignments:
        link = base + assignment_path(a)
        event = Event()
        event.add("uid", f"assignment-{a.pk}@{settings.SITE_NAME}")
        event.add("dtstamp", a.updated_at)
        event.add("dtstart", a.due_on)
        event.add("dtend", a.due_on + timedelta(days=1))
        event.add("summary", f"{a.task.title} – {a.organisation.name}")
        period = f" ({a.period_label})" if a.period_label else ""
        event.add(
            "description",
            f"Kế hoạch: {a.task.plan}\nNhiệm vụ {a.task.code}{period}, vai trò: {a.get_role_display()}\n"
            f"Thời hạn: {a.due_on:%d/%m/%Y}\n{link}",
        )
        event.add("url", link)
        event.add("categories", [a.get_role_display()])
        cal.add_component(event)
    return cal.to_ical()


def open_assignments(assignments) -> "list[Assignment]":
    """The open, dated assignments of `assignments` (already limited to what the feed's user may see)."""
    return list(
        assignments.open()
        .filter(due_on__isnull=False)
        .select_related("task__plan", "organisation")
        .order_by("due_on", "id")
    )
