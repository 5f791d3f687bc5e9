"""Who is told of a hand-off. Two rules, both built on the models' own `permits` (accounts/permissions.py decides):

- **who acts next**: under another rule than the move just made, the people nearest the record's unit (the unit
  itself, then its parent, …) who may start one of the moves the record's new state allows: a procedure submitted
  reaches the focal point of its department, not every focal point up to the province; a report sent up reaches
  the office of the unit above;
- **who took part**: the people who acted on the record before (its audit trail), who still see it: the author of
  a procedure learns that it was checked, returned or published.
The person who made the move is never told of it."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from tinhgon.accounts.models import Membership
from tinhgon.accounts.permissions import RULES, Policy
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.dates import today
from tinhgon.organisations.models import OrganisationLink, valid_on


def policies(user_ids) -> dict[int, Policy]:
    """The policy of each active user among `user_ids`, with all their active memberships (one query)."""
    memberships = (
        Membership.objects.active()
        .filter(user_id__in=set(user_ids), user__is_active=True)
        .select_related("user", "organisation")
        .order_by("id")
    )
    grouped = defaultdict(list)
    for m in memberships:
        grouped[m.user_id].append(m)
    return {user_id: Policy(ms[0].user, ms) for user_id, ms in grouped.items()}


def next_rules(record) -> set[str]:
    """The rules of the moves a person may start from the record's current state."""
    moves = record.transitions().values()
    return {t.permission for t in moves if t.permission and t.starts_from(getattr(record, t.field))}


def nearest_allowed(record, rules: set[str], unit_id: int | None) -> list:
    """The users nearest `unit_id` (itself first, then upwards) who may apply one of `rules` to the record."""
    if not rules or unit_id is None:
        return []
    depth = dict(
        OrganisationLink.objects.filter(valid_on(today()), descendant_id=unit_id).values_list("ancestor_id", "depth")
    )
    roles = {role for rule in rules for role in RULES[rule][1]}
    candidates = Membership.objects.active().filter(organisation_id__in=depth, role__in=roles, user__is_active=True)
    found = policies(candidates.values_list("user_id", flat=True))
    distance = defaultdict(lambda: 99)
    for m in candidates.only("user_id", "organisation_id"):
        distance[m.user_id] = min(distance[m.user_id], depth[m.organisation_id])
    allowed = [uid for uid, policy in found.items() if any(record.permits(policy, rule) for rule in rules)]
    if not allowed:
        return []
    closest = min(distance[uid] for uid in allowed)
    return [found[uid].user for uid in sorted(allowed) if distance[uid] == closest]


def next_actors(record, done_rule: str | None = None) -> list:
    """Who may make the record's next move. A move that leaves the same rule's people able to act again (a check
    may still be undone by a return, a closed plan reopened) hands nothing off: `done_rule` is left out."""
    rules = next_rules(record) - {done_rule}
    return nearest_allowed(record, rules, record.audit_scope_organisation_id())


def sees(policy, record) -> bool:
    """The record's own visibility rule (its model's `visible_to`), as every page applies it."""
    return type(record).objects.visible_to(policy).filter(pk=record.pk).exists()


def participants(record, parts=()) -> list:
    """The people who acted on the record (or on one of its `parts`) before and may still see it."""
    by_type = defaultdict(set)
    for obj in [record, *parts]:
        by_type[ContentType.objects.get_for_model(obj)].add(str(obj.pk))
    took_part = Q()
    for content_type, ids in by_type.items():
        took_part |= Q(content_type=content_type, object_id__in=ids)
    entries = AuditLogEntry.objects.filter(took_part, actor__isnull=False)
    found = policies(entries.values_list("actor_id", flat=True).distinct())
    return [policy.user for uid, policy in sorted(found.items()) if sees(policy, record)]
