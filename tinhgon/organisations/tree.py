"""Build the organisation tree of a date from two queries, for pages that show it whole."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from tinhgon.core.queries import id_set
from tinhgon.organisations.models import Organisation, OrganisationLink, valid_on


@dataclass
class Node:
    unit: Organisation
    children: list["Node"] = field(default_factory=list)


def build_tree(units, day: date) -> list[Node]:
    """Nest `units` (already filtered to what the viewer may see, valid on `day`) by their parent on `day`.
    A unit whose parent is not among `units` becomes a root."""
    by_id = {u.pk: Node(u) for u in units}
    # The ids as one array parameter on PostgreSQL: the nation's 10,600 sent one by one were 100 ms of the query.
    below = id_set(list(by_id), units) if isinstance(units, QuerySet) else list(by_id)
    links = OrganisationLink.objects.filter(valid_on(day), depth=1, descendant_id__in=below)
    parent_of = dict(links.values_list("descendant_id", "ancestor_id"))
    children = defaultdict(list)
    roots = []
    for node in by_id.values():
        parent_id = parent_of.get(node.unit.pk)
        (children[parent_id] if parent_id in by_id else roots).append(node)
    for parent_id, kids in children.items():
        by_id[parent_id].children = sorted(kids, key=_order)
    return sorted(roots, key=_order)


KIND_ORDER = {kind: i for i, kind in enumerate(Organisation.Kind.values)}


def _order(node: Node):
    return (KIND_ORDER.get(node.unit.kind, 99), node.unit.name)


def paths_for(units, day: date) -> dict[int, list[Organisation]]:
    """For each unit, its ancestors on `day`, root first: one query for any number of units."""
    ids = [u.pk for u in units]
    links = (
        OrganisationLink.objects.filter(valid_on(day), descendant_id__in=ids, depth__gt=0)
        .select_related("ancestor")
        .order_by("-depth")
    )
    paths = defaultdict(list)
    for link in links:
        paths[link.descendant_id].append(link.ancestor)
    return paths
