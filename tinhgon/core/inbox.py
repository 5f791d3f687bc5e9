"""The to-do list ("Việc cần làm"): what waits for the user, in the role they act for, across the apps.

Each domain app contributes a source, registered when the app is ready (`@inbox.source` in its `inbox.py`): a
function of the user's policy and today's date that returns the items waiting for them, built on its models'
visibility rules and on the rule that lets the user act (who may check a submission sees the submissions to check).
core cannot import the apps above it (docs/architecture.md), so they register with it.

The home page and `GET /api/v1/inbox/` show the same list."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from tinhgon.core.dates import today
from tinhgon.core.queries import ids_or_subquery

# Most items one source lists: a to-do list longer than that is read from the source's own page.
PER_SOURCE = 50


@dataclass(frozen=True)
class Item:
    kind: str  # "<app>.<what>", e.g. "procedures.returned"
    label: str  # what to do, in Vietnamese: "Thủ tục bị trả lại"
    title: str
    url: str
    organisation: str  # the unit the item belongs to, by name
    since: date | None = None  # waiting since
    due: date | None = None
    note: str = ""  # the reason of a return, the text of a request

    def overdue_on(self, day: date) -> bool:
        return self.due is not None and self.due < day


Source = Callable[..., Iterable[Item]]
SOURCES: list[Source] = []


def source(function: Source) -> Source:
    """Register a source: `function(policy, on) -> Iterable[Item]`."""
    if function not in SOURCES:
        SOURCES.append(function)
    return function


def items_for(policy, on: date | None = None) -> list[Item]:
    """Everything waiting for the user, the most pressing first: by deadline (none last), then oldest first."""
    day = on or today()
    if policy.user is None:
        return []
    found = [item for make in SOURCES for item in make(policy, day)]
    return sorted(found, key=lambda i: (i.due is None, i.due or day, i.since or day, i.title))


def day_of(moment: date | datetime | None) -> date | None:
    """The local date of a timestamp (or a date as it is)."""
    if moment is None or not isinstance(moment, datetime):
        return moment
    return timezone.localdate(moment)


def units_of(scopes: list):
    """Every unit of the scopes (querysets of units), read once, as ids_or_subquery gives them. A source's one
    query ORs each state with the units where the user may act on it; ANDed with all of them as a list, it starts
    from their rows through the index instead of hashing every row of the country (the busiest inbox on the
    national data set: docs/performance.md)."""
    every = scopes[0]
    for scope in scopes[1:]:
        every = every | scope
    return ids_or_subquery(list(every.values_list("pk", flat=True)), every)
