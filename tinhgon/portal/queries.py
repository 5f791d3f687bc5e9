"""What the public may see, the filters shared by the portal pages and the public API, and the portal's search."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Q

from tinhgon.core.dates import today
from tinhgon.core.queries import summarised_page
from tinhgon.organisations.models import Organisation, OrganisationLink, valid_on
from tinhgon.procedures.constants import ENDED, KIND_GROUPS, PUBLIC, DecisionStatus, Status
from tinhgon.procedures.models import Field, ProcedureVersion, PublicationDecision, SearchEntry, VersionLevel
from tinhgon.procedures.search import MODE_EXACT, query_words, search_plan

PER_PAGE = 20
AGENCIES_SHOWN = 20  # the agency picker's suggestions for what was typed (portal:agencies)

PUBLIC_DECISION_STATES = [DecisionStatus.ISSUED, DecisionStatus.APPLIED]
# Versions a decision page may name: in force (or applied during a transition), or ended by a later decision. Never
# drafts, submitted, checked, returned or scheduled (not yet effective) ones.
NAMEABLE_VERSION_STATES = [Status.PUBLISHED, Status.TRANSITIONAL, *ENDED]


def public_versions(day: date | None = None):
    """Versions in force today, outside the template catalogue: the only ones the portal lists and searches, with
    those abolished but still applied during a transition (Status.TRANSITIONAL). On an earlier `day`, those the
    registry says were in force or applied then (published since, ended by a later decision, or abolished and still
    applied until the end of the transition; never a scheduled one whose decision has not been applied)."""
    if day is None or day >= today():
        return ProcedureVersion.objects.published()
    return ProcedureVersion.objects.in_force_on(day).filter(procedure__is_template=False, status__in=SHOWN_STATES)


def public_decisions():
    """Publication decisions the public may read: issued (waiting for their effective date) or applied, never a
    draft. The portal's lists, pages and signed originals all read them through this."""
    return PublicationDecision.objects.filter(status__in=PUBLIC_DECISION_STATES).select_related("issuer")


def agencies_matching(text: str, published):
    """The agencies in existence today whose name, short name or code contain every word of `text` (folded: no
    diacritics, đ = d) and that own one of the `published` versions or are above a unit that does (choosing a unit
    includes its subtree), by name, with their parent, at most AGENCIES_SHOWN: one query, whatever the size of the
    country. The words are matched first (a scan of the folded names), then each candidate walks its subtree's links
    until a unit owns a version (index lookups), rather than working out the 8,000 agencies of the national profile
    for every keystroke. Written as "a link below the unit to an owner", not "a version whose owner is in the unit's
    subtree": PostgreSQL planned the latter as every published version against every candidate (600 ms for "xa" on
    the province profile, 3–6 ms now)."""
    owns = Exists(published.filter(procedure__owner=OuterRef("descendant")))
    owning = Exists(OrganisationLink.objects.filter(valid_on(today()), ancestor=OuterRef("pk")).filter(owns))
    found = Organisation.objects.current().search(text).filter(owning).select_related("parent")
    return list(found.order_by("name", "code")[:AGENCIES_SHOWN])


# The states of a version the portal may have shown on a past day (public_versions).
SHOWN_STATES = [*sorted(PUBLIC), *sorted(ENDED)]


def public_entries():
    """The search's copies of the versions in force (`SearchEntry`: one per version of `public_versions()`)."""
    return SearchEntry.objects.all()


def filter_entries(
    entries, *, owner: str = "", field: str = "", group: str = "", level: str = "", kind: str = "", versions=False
):
    """`owner`: an organisation code, with every unit that is or was under it; `field`: a field code or name;
    `kind`: internal (groups A, B) or ordinary (an unknown kind matches nothing, as an unknown group does).
    `entries` are search entries, or versions (`versions=True`)."""
    owner_path, version_key = ("procedure__owner", "pk") if versions else ("owner", "version_id")
    if kind:
        entries = entries.filter(group__in=KIND_GROUPS.get(kind, ()))
    if owner:
        root = Organisation.objects.filter(code=owner.strip())
        entries = entries.filter(**{f"{owner_path}__in": Organisation.objects.ever_under(root)})
    if field:
        meant = Field.objects.resolve(field)  # a code, a name, or a name it had before a rename or merge
        entries = entries.filter(field=meant) if meant else entries.none()
    if group:
        entries = entries.filter(group=group)
    if level:  # the primary level or any other level the version is performed at
        others = VersionLevel.objects.filter(version_id=OuterRef(version_key), level=level)
        entries = entries.filter(Q(level=level) | Exists(others))
    return entries


# The page's 20 versions, read by primary key (an entry's key is its version's), with the columns that the portal's
# result list and the public API's summary show: a version row has 40 columns, and each loaded object of an audited
# model also takes a snapshot of its columns.
PAGE_ROWS = ProcedureVersion.objects.select_related("procedure__owner", "field").only(
    *("name", "number", "status", "group", "level", "effective_from", "effective_to", "procedure", "field"),
    *("procedure__code", "procedure__owner", "procedure__owner__code", "procedure__owner__name"),
    *("field__code", "field__name"),
)


@dataclass(frozen=True)
class Results:
    page: Page
    mode: str | None  # search.MODE_EXACT or MODE_FUZZY; None when browsing without a query
    corrected: str  # the folded query searched instead of the one typed (unknown words corrected), or ""
    by_field: list[tuple[Field, int]]  # most results first
    by_group: list[tuple[str, int]]


def versions_on(day: date, q: str = "", *, owner="", field="", group="", level=""):
    """The versions of `public_versions(day)` matching every word of `q` (folded, anywhere in name, codes and
    field) and the filters: the past day's list. The search entries copy only today's versions, so a past day is
    read from the versions themselves, without the typo-tolerant stages."""
    versions = filter_entries(public_versions(day), owner=owner, field=field, group=group, level=level, versions=True)
    for word in query_words(q):
        versions = versions.filter(search_text__contains=word)
    return versions


def search_public(q: str, *, owner="", field="", group="", level="", page=1, day: date | None = None) -> Results:
    """Page `page` of the versions in force matching `q` (all of them, by owner, field and name, when `q` is empty),
    with the number of results by field and by group: the count, the facets and the page in one pass over the
    search entries (`core.queries`), plus one query for the page's versions and one for the facets' fields. The
    stages of the search (`search.search_plan`: exact, corrected, typo-tolerant) are read in order until one finds
    something, with no EXISTS to choose between them. A past `day`: the versions shown that day (versions_on)."""
    if day is not None and day < today():
        found = versions_on(day, q, owner=owner, field=field, group=group, level=level)
        ordered = found.order_by("procedure__owner__search_text", "field__code", "search_text", "pk")
        return _results(*_summarised(ordered, page), mode=MODE_EXACT if query_words(q) else None)
    entries = filter_entries(public_entries(), owner=owner, field=field, group=group, level=level)
    if not query_words(q):
        # Folded columns sort as Vietnamese readers expect ("Tài chính" before "Thi đua"), on any database collation.
        browsed = entries.order_by("owner__search_text", "field__code", "search_text", "pk")
        return _results(*_summarised(browsed, page), mode=None)
    for stage in search_plan(entries, q):
        found, summary = _summarised(stage.entries, page)
        if summary.total or stage.final:
            return _results(found, summary, mode=stage.mode, corrected=stage.corrected)
    raise AssertionError("search_plan always ends with a final stage")  # pragma: no cover


def _summarised(entries, page):
    return summarised_page(entries, page, PER_PAGE, facets=("field_id", "group"), fetch=PAGE_ROWS)


def _results(found, summary, mode, corrected="") -> Results:
    by_field, by_group = Counter(), Counter()
    for (field_id, group_code), n in summary.counts.items():
        by_field[field_id] += n
        by_group[group_code] += n
    fields = Field.objects.in_bulk(by_field)
    return Results(
        page=found,
        mode=mode,
        corrected=corrected,
        by_field=sorted(((fields[pk], n) for pk, n in by_field.items()), key=lambda item: (-item[1], item[0].name)),
        by_group=sorted(by_group.items()),
    )
