"""The agency's posting list (danh mục niêm yết) of the internal procedures in force, for its notice board (print page
and PDF), and the compact list other websites embed (trang nhúng).

An agency's procedures are those owned by the agency or a unit under it on the day asked (the closure table,
`Organisation.objects.subtree`). Today's list is the portal's (`public_versions()`: published, not a template); an
earlier day's list is what the registry says was in force then (`ProcedureVersion.objects.in_force_on`), which
includes versions since amended, replaced or abolished. A day after today cannot be answered: a decision not yet
effective has not set its versions' dates. Every list runs a fixed number of queries whatever its length.
"""

import base64
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

import qrcode
from qrcode.image.svg import SvgPathImage

from tinhgon.core.dates import today
from tinhgon.core.text import fold_vn
from tinhgon.organisations.models import Organisation
from tinhgon.portal.queries import PUBLIC_DECISION_STATES, public_versions
from tinhgon.procedures.constants import Change, Group
from tinhgon.procedures.models import DecisionItem, ProcedureVersion, PublicationDecision

EMBED_PER_PAGE = 50
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]

# The columns the lists print: a version row has 40 columns, and each loaded object of an audited model also takes
# a snapshot of its columns.
LISTED_COLUMNS = (
    *("name", "group", "level", "effective_from", "processing_time_value", "processing_time_unit", "search_text"),
    *("processing_time_text", "processing_time_min", "processing_time_variants"),
    *("procedure", "procedure__code", "field", "field__code", "field__name"),
)


def agency_or_404(code: str) -> Organisation:
    """The unit in force today with this code (its parent loaded for the heading); 404 for an unknown or ended one."""
    return get_object_or_404(Organisation.objects.current().select_related("parent"), code=code)


def agency_versions(agency: Organisation, day: date | None = None):
    """The versions in force on `day` (default today) of the procedures owned by `agency` or a unit under it then."""
    day = day or today()
    units = Organisation.objects.subtree(agency, as_of=day)
    return (
        public_versions(day)
        .filter(procedure__owner__in=units)
        .select_related("procedure", "field")
        .only(*LISTED_COLUMNS)
    )


def embed_versions(agency: Organisation, q: str = ""):
    """Today's list of the agency for the embedded page, in alphabetical order (the folded text starts with the
    name), narrowed to the versions whose folded name, code or field contain every word of `q`."""
    versions = agency_versions(agency)
    for word in fold_vn(q).split():
        versions = versions.filter(search_text__contains=word)
    return versions.order_by("search_text", "pk")


# The posting list ----------------------------------------------------------------------------------------------


@dataclass
class Row:
    stt: int
    version: ProcedureVersion
    decision: PublicationDecision | None  # the issued decision that published this version, if the registry has it
    url: str  # the portal's page of the procedure, absolute; "" when the procedure is no longer in force

    @property
    def url_parts(self) -> tuple[str, str]:
        """The address cut before its last segment (the procedure's code), where a printed address may wrap."""
        head, _, tail = self.url.rstrip("/").rpartition("/")
        return f"{head}/", f"{tail}/"


@dataclass
class FieldBlock:
    number: str  # I, II, … within its group
    name: str
    rows: list[Row]


@dataclass
class GroupBlock:
    code: str
    heading: str  # "A. Thủ tục hành chính nội bộ giữa các cơ quan hành chính nhà nước"
    fields: list[FieldBlock] = field(default_factory=list)


@dataclass
class PostingList:
    agency: Organisation
    day: date
    groups: list[GroupBlock]
    total: int
    by_group: dict[str, int]
    search_url: str  # the portal's search narrowed to the agency (the QR code leads there)
    qr: str  # data: URI of the QR code of search_url (SVG)

    @property
    def is_today(self) -> bool:
        return self.day >= today()


def group_heading(code: str) -> str:
    return f"{code}. {Group(code).heading}"


def posting_list(agency: Organisation, *, day: date | None = None, base_url: str) -> PostingList:
    """The agency's list grouped by group (A, B), then by field, STT running on through the whole list; `base_url`
    (scheme and host, no trailing slash) makes the printed addresses absolute. Three queries."""
    day = day or today()
    publishing = (
        DecisionItem.objects.filter(version=OuterRef("pk"), decision__status__in=PUBLIC_DECISION_STATES)
        .exclude(change=Change.ABOLISHED)
        .order_by("decision__effective_on", "decision_id")
        .values("decision_id")[:1]
    )
    versions = agency_versions(agency, day).annotate(published_by=Subquery(publishing))
    if day < today():  # an earlier version: linked only if its procedure is still in force (under a later version)
        versions = versions.annotate(in_force=Exists(public_versions().filter(procedure=OuterRef("procedure"))))
    versions = sorted(versions, key=lambda v: (v.group, fold_vn(v.field.name), v.search_text, v.procedure.code))
    decisions = PublicationDecision.objects.only("number", "signed_on", "effective_on").in_bulk(
        {v.published_by for v in versions if v.published_by}
    )
    groups, stt = [], 0
    for code, in_group in groupby(versions, key=lambda v: v.group):
        block = GroupBlock(code, group_heading(code))
        for n, (field_name, in_field) in enumerate(groupby(in_group, key=lambda v: v.field.name)):
            rows = []
            for version in in_field:
                stt += 1
                linked = getattr(version, "in_force", True)
                url = base_url + reverse("portal:procedure", args=[version.procedure.code]) if linked else ""
                rows.append(Row(stt, version, decisions.get(version.published_by), url))
            block.fields.append(FieldBlock(ROMAN[n] if n < len(ROMAN) else str(n + 1), field_name, rows))
        groups.append(block)
    search_url = f"{base_url}{reverse('portal:search')}?co_quan={agency.code}"
    return PostingList(
        agency=agency,
        day=day,
        groups=groups,
        total=stt,
        by_group=dict(Counter(v.group for v in versions)),
        search_url=search_url,
        qr=qr_data_uri(search_url),
    )


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (img-src allows data:), drawn here: no image service."""
    svg = qrcode.make(text, image_factory=SvgPathImage, box_size=10, border=1).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def print_context(agency: Organisation) -> dict:
    """What the print page and the PDF show besides the list: the issuing-body block (the parent in capitals, the
    agency in bold capitals, NĐ 30/2020), the agency's name in capitals for the title, the day printed."""
    from tinhgon.core import word
    from tinhgon.procedures.documents import header_lines

    return {
        "header_lines": header_lines(agency),
        "agency_upper": word.nfc(agency.name).upper(),
        "printed_on": today(),
    }


def posting_pdf(listing: PostingList) -> bytes:
    """The print page rendered by WeasyPrint: the same template, without the screen toolbar."""
    from tinhgon.core.pdf import write_pdf

    html = render_to_string(
        "portal/posting_list.html", {"listing": listing, "pdf": True, **print_context(listing.agency)}
    )
    return write_pdf(html)


def posting_title(listing: PostingList) -> str:
    """'Danh mục niêm yết TTHC nội bộ - Sở Nội vụ - 04-12-2026' (core.files makes it a file name)."""
    return f"Danh mục niêm yết TTHC nội bộ - {listing.agency.name} - {listing.day:%d-%m-%Y}"


def embed_snippet(agency: Organisation, embed_url: str) -> str:
    """The HTML an agency pastes into its own website."""
    title = escape(f"Thủ tục hành chính nội bộ đang có hiệu lực - {agency.name}")
    return (
        f'<iframe src="{escape(embed_url)}" title="{title}" width="100%" height="600" '
        'style="border:1px solid #dadfe5" loading="lazy"></iframe>'
    )
