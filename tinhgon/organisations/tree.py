"""Build the organisation tree of a date from two queries, and write it as HTML: whole when it is small, two levels
and the rest a level at a time as the reader opens it when it is large (the nation's 10,600 units were 1.6 MB)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.html import escape

from tinhgon.core.queries import id_set
from tinhgon.organisations.models import Organisation, OrganisationLink, valid_on


@dataclass
class Node:
    unit: Organisation
    children: list["Node"] = field(default_factory=list)
    child_count: int | None = None  # the number of children when they were counted, not read (`children_of`)

    @property
    def size(self) -> int:
        return len(self.children) if self.child_count is None else self.child_count


def build_tree(units: list[Organisation], day: date, source: QuerySet) -> list[Node]:
    """Nest `units` (read from `source`, filtered to what the viewer may see, valid on `day`) by their parent on
    `day`. A unit whose parent is not among `units` becomes a root."""
    by_id = {u.pk: Node(u) for u in units}
    # The ids as one array parameter on PostgreSQL (sent one by one, 10,600 were 100 ms of the query), as `source`
    # when too many for parameters.
    below = id_set(list(by_id), source)
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


COLUMNS = ("id", "code", "name", "kind")


def tree_of(visible, day: date) -> tuple[list[Node], int | None]:
    """The tree page's roots and how many levels below them to write (None: all). The whole tree when `visible`
    (what the viewer may see, valid on `day`) holds at most TINHGON_TREE_WHOLE_UNITS units (two queries); else the
    roots and their children, each child with the number of its own (three queries): the nation's page read its
    10,600 units to write two levels."""
    limit = getattr(settings, "TINHGON_TREE_WHOLE_UNITS", 500)
    units = list(visible.only(*COLUMNS)[: limit + 1])
    if len(units) <= limit:
        return build_tree(units, day, visible), None
    links = OrganisationLink.objects.filter(valid_on(day), depth=1)
    roots = visible.exclude(id__in=links.filter(ancestor__in=visible).values("descendant_id")).only(*COLUMNS)
    nodes = [Node(u) for u in roots]
    below = children_of([node.unit for node in nodes], visible, day)
    for node in nodes:
        node.children = below.get(node.unit.pk, [])
    return sorted(nodes, key=_order), 1


def children_of(parents: list[Organisation], visible, day: date) -> dict[int, list[Node]]:
    """The units right under each of `parents` on `day` among `visible` (what the viewer may see, valid on `day`),
    each with the number of its own such children, by parent id: one query, for the levels a tree writes or opens."""
    links = OrganisationLink.objects.filter(valid_on(day), depth=1)
    below = links.filter(ancestor=OuterRef("pk"), descendant__in=visible).values("ancestor")
    counted = below.annotate(n=Count("descendant")).values("n")
    under = links.filter(ancestor__in=[p.pk for p in parents])
    parent_of = under.filter(descendant=OuterRef("pk")).values("ancestor")[:1]
    units = visible.filter(id__in=under.values("descendant_id")).annotate(
        parent_id_on_day=Subquery(parent_of), child_count=Subquery(counted)
    )
    found = defaultdict(list)
    for unit in units.only(*COLUMNS):
        found[unit.parent_id_on_day].append(Node(unit, child_count=unit.child_count or 0))
    return {parent_id: sorted(nodes, key=_order) for parent_id, nodes in found.items()}


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


# Tree HTML, written in Python as strings with each value escaped once: the nation's tree holds 10,600 units, and a
# reverse() and three format_html() for each took 3 s of its 4 (a recursive template include per unit is slower).
KIND_LABELS = dict(Organisation.Kind.choices)
CODE = "__unit__"  # placeholder in an address, replaced by each unit's code
SAFE = "!$&'()*+,;=~:@"  # what reverse() leaves unquoted in a path segment (RFC 3986 sub-delimiters and ~:@)


@dataclass(frozen=True)
class TreeHtml:
    """Writes nodes as nested <details> lists. A node whose children are not written (past `levels`) opens with
    htmx, which reads them from `organisations:children`; without script its list links to the unit's page, which
    lists them too."""

    day_param: str = ""  # "?ngay=dd/mm/yyyy" when the tree is of another day, kept in every address
    levels: int | None = None  # levels written below the nodes given; None: all

    def items(self, nodes: list[Node], depth: int = 0) -> str:
        out = []
        detail, children = (reverse(f"organisations:{name}", args=[CODE]) for name in ("detail", "children"))
        for node in nodes:
            self._item(node, out, detail, children, escape(self.day_param), depth)
        return "".join(out)

    def _item(self, node: Node, out: list, detail: str, children: str, day: str, depth: int) -> None:
        unit = node.unit
        code = quote(unit.code, safe=SAFE)
        href = escape(detail.replace(CODE, code))
        kind = escape(KIND_LABELS.get(unit.kind, unit.kind))
        link = (
            f'<a href="{href}{day}">{escape(unit.name)}</a> <span class="badge bg-secondary-lt org-kind">{kind}</span>'
        )
        if not node.size:
            out.append(f"<li>{link}</li>")
            return
        summary = f'<summary>{link} <span class="text-secondary">({node.size})</span></summary>'
        if node.children and (self.levels is None or depth < self.levels):
            opened = " open" if depth < 1 else ""
            out.append(f"<li><details{opened}>{summary}<ul>")
            for child in node.children:
                self._item(child, out, detail, children, day, depth + 1)
            out.append("</ul></details></li>")
            return
        lazy = escape(children.replace(CODE, code))
        out.append(
            f'<li><details hx-get="{lazy}{day}" hx-trigger="toggle once" hx-target="find ul">{summary}'
            f'<ul><li><a href="{href}{day}">Xem {node.size} đơn vị trực thuộc</a></li></ul></details></li>'
        )
