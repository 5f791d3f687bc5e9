"""One pass over a large ordered result: its count, its facet counts and one page of it.

A search matching 13,000 of 100,000 procedures used to be scanned three times per page: the Paginator's COUNT, one
aggregate per facet and the ranked page itself (bench/README.md, Search). `summarise()` selects the matching rows
once, narrow (primary key, facet values, sort keys), into a materialised common table expression that both the
GROUP BY and the ORDER BY ... LIMIT read. `summarised_page()` wraps it in a Django `Page`, so templates use it as
they use the Paginator's.
"""

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import BigIntegerField, Expression, F, Q, QuerySet

# Primary keys sent as values rather than a subquery, at most (ids_or_subquery; SQLite's own limit is lower).
ID_LIST_LIMIT = 20_000


@dataclass(frozen=True)
class Summary:
    total: int
    counts: dict[tuple, int]  # facet values (in the order of `facets`) -> number of rows
    pks: list  # primary keys of the requested slice, in the queryset's order


def summarise(queryset: QuerySet, *, facets: Sequence[str] = (), offset: int = 0, limit: int = 20) -> Summary:
    """The number of rows of `queryset` for each combination of the `facets` fields, and the primary keys of its
    rows offset .. offset + limit - 1 in its `order_by()` (field names or annotation names, "-" for descending).
    One query, whatever the size of the result."""
    order = queryset.query.order_by
    if not all(isinstance(term, str) and term != "?" for term in order):
        raise TypeError("summarise() needs an ordering by names, e.g. order_by('-rank', 'name', 'pk')")
    columns = {"row_pk": F("pk")}
    columns |= {f"facet_{i}": F(name) for i, name in enumerate(facets)}
    columns |= {f"order_{i}": F(term.removeprefix("-")) for i, term in enumerate(order)}
    try:
        sql, params = queryset.order_by().values(**columns).query.sql_with_params()
    except EmptyResultSet:  # queryset.none(), or a filter Django knows matches nothing
        return Summary(total=0, counts={}, pks=[])

    facet_list = ", ".join(f"facet_{i}" for i in range(len(facets)))
    ordering = ", ".join(f"order_{i} {'DESC' if term.startswith('-') else 'ASC'}" for i, term in enumerate(order))
    if facets:
        counts = f"SELECT 0, NULL, {facet_list}, COUNT(*) FROM matched GROUP BY {facet_list}"
    else:
        counts = "SELECT 0, NULL, COUNT(*) FROM matched"
    no_facets = "".join(", NULL" for _ in facets)
    # The page's rows come out in the CTE's order: a UNION ALL branch reading a sorted CTE is not re-sorted by
    # either database (tests/test_queries.py checks the order against the queryset's own).
    statement = (
        f"WITH matched AS MATERIALIZED ({sql}), "
        f"page AS (SELECT row_pk FROM matched ORDER BY {ordering or 'row_pk'} LIMIT %s OFFSET %s) "
        f"{counts} UNION ALL SELECT 1, row_pk{no_facets}, NULL FROM page"
    )
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(statement, [*params, limit, offset])
        rows = cursor.fetchall()
    facet_counts = {tuple(row[2:-1]): row[-1] for row in rows if row[0] == 0}
    return Summary(
        total=sum(facet_counts.values()),
        counts=facet_counts if facets else {},
        pks=[row[1] for row in rows if row[0] == 1],
    )


class _KnownSlice(Sequence):
    """What Paginator needs of an object list whose length and requested slice are already known."""

    def __init__(self, total: int, rows: list):
        self.total, self.rows = total, rows

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        return self.rows


# Far past the end of any list: larger page numbers are read as this one (the last page, as for any number past the
# end), so that no offset overflows a database integer (SQLite: 2**63).
MAX_PAGE = 10**9


def summarised_page(
    queryset: QuerySet, number, per_page: int, *, facets: Sequence[str] = (), fetch: QuerySet | None = None
) -> tuple[Page, Summary]:
    """Page `number` of `queryset` as `Paginator.get_page` would give it (a number that is not one: the first page;
    past the end: the last), and the summary it came from. The page's objects are read by primary key (a query of
    per_page rows) from `fetch`, by default the model's manager with the select_related and prefetch_related of
    `queryset` (not its annotations: the page is not read through the query that found it)."""
    try:
        number = min(max(1, int(number)), MAX_PAGE)  # past any end, without an offset that overflows the database
    except (TypeError, ValueError):
        number = 1
    summary = summarise(queryset, facets=facets, offset=(number - 1) * per_page, limit=per_page)
    last = max(1, math.ceil(summary.total / per_page))
    if number > last:
        number = last
        summary = summarise(queryset, facets=facets, offset=(number - 1) * per_page, limit=per_page)
    if fetch is None:
        fetch = queryset.model._default_manager.using(queryset.db).prefetch_related(*queryset._prefetch_related_lookups)
        fetch.query.select_related = queryset.query.select_related
    by_pk = fetch.in_bulk(summary.pks) if summary.pks else {}
    rows = [by_pk[pk] for pk in summary.pks if pk in by_pk]
    paginator = Paginator(_KnownSlice(summary.total, rows), per_page)
    return paginator.page(number), summary


def ids_or_subquery(ids: list, queryset: QuerySet):
    """What to filter with `__in`: `ids` (primary keys already read, of the rows of `queryset` or more) as a list of
    parameters up to ID_LIST_LIMIT (and SQLite's limit, 999), else `queryset` as a subquery. A list is a condition an
    index answers, even ORed with another (the inbox: docs/performance.md); a subquery with EXISTS conditions
    PostgreSQL often expects to give a handful of rows, and then hashes whole tables."""
    limit = min(ID_LIST_LIMIT, connections[queryset.db].features.max_query_params or ID_LIST_LIMIT)
    return ids if len(ids) <= limit else queryset.values("pk")


def id_set(ids: list, queryset: QuerySet):
    """As ids_or_subquery, for ids many rows are matched against (the procedures of a province, against all the
    review forms of the country): on PostgreSQL one array parameter that the planner hashes (IdArray), where a
    list of thousands is checked one by one on every row it meets and costs Django and psycopg more to send than
    PostgreSQL takes to use (the ledger of a province 330 → 170 ms)."""
    if connections[queryset.db].vendor == "postgresql" and len(ids) <= ID_LIST_LIMIT:
        return IdArray(ids)
    return ids_or_subquery(ids, queryset)


class IdArray(Expression):
    """Ids as one array parameter, for `field__in=IdArray(ids)`: `field IN (SELECT unnest(%s::bigint[]))`."""

    def __init__(self, ids):
        super().__init__(output_field=BigIntegerField())
        self.ids = [int(pk) for pk in ids]

    def as_sql(self, compiler, connection):
        return "(SELECT unnest(%s::bigint[]))", [self.ids]


def filter_any(queryset: QuerySet, conditions: list[Q], *, few: bool) -> QuerySet:
    """The rows of `queryset` meeting any of `conditions` (a visibility rule's "owned by, assigned to or listed by a
    unit in the scope"). Most rows passing (`few` false), the conditions ORed: one pass over the rows. Few passing,
    the ids of each condition found from its own index, as one UNION: ORed across joined tables, PostgreSQL reads
    every row of the country to keep a commune's few (Review.visible_to, Assignment.visible_to), where for the
    nation the union gathers every row once per condition."""
    if not few:
        return queryset.filter(reduce(operator.or_, conditions))
    rows = queryset.model._default_manager.order_by()
    first, *rest = (rows.filter(condition).values("pk") for condition in conditions)
    return queryset.filter(pk__in=first.union(*rest))
