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
