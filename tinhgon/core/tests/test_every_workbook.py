"""Every workbook the application offers opens ready to read and print (issue 14 item 6): headers frozen and
repeated on every printed page, a filter on the header of a listing, long text wrapped, numbers and dates as numbers
with their format, A4 landscape fitted to the page width. One test walks every .xlsx address (accounts/endpoints.py):
a new workbook is checked as soon as it is listed there."""

import io

from django.urls import reverse

import pytest
from openpyxl import load_workbook

from tinhgon.accounts.endpoints import ENDPOINTS
from tinhgon.plans.tests.factories import plan as make_plan
from tinhgon.procedures.tests.factories import make_procedure

pytestmark = pytest.mark.django_db

# Each workbook address, with what it needs: the object its address names (built in `objects`) and the query.
WORKBOOKS = {
    "procedures:import-template": {},
    "procedures:export": {},
    "reviews:proposals-xlsx": {},
    "reviews:ledger-xlsx": {},
    "plans:plan-xlsx": {"object": "plan"},
    "plans:task-import-template": {},
    "reports:xlsx": {"object": "report"},
    "quality:processes-xlsx": {"query": {"org": "P"}},
    "report-xlsx": {"object": "report"},
}
# Workbooks whose sheets are sections of a report, several short tables each under its own header: a sheet holds one
# filter only, so they have none; every other workbook filters its listing.
SECTIONED = {"reports:xlsx", "report-xlsx"}


def is_listing(sheet) -> bool:
    """Not the help sheet of an import template, nor the hidden lists its drop-downs read."""
    return sheet.sheet_state == "visible" and sheet.title != "Hướng dẫn"


def workbook_names() -> set[str]:
    return {e.name for e in ENDPOINTS if e.name.endswith("xlsx") or e.name.endswith("import-template")}


def test_every_workbook_address_is_walked():
    assert workbook_names() - {"procedures:import-template", "plans:task-import-template"} <= set(WORKBOOKS)
    assert workbook_names() >= set(WORKBOOKS) - {"procedures:export"}


@pytest.fixture
def objects(world, published):
    from tinhgon.reports import services
    from tinhgon.reports.periods import Kind

    published(world.units["P-A"])
    make_procedure(world.units["P-A"])
    report = services.report_create(organisation=world.units["P"], kind=Kind.ANNUAL, year=2026, number=1)
    return {"plan": make_plan(world.units["P"]), "report": report}


def fetch(client, name, spec, objects) -> bytes:
    args = [objects[spec["object"]].pk] if "object" in spec else []
    response = client.get(reverse(name, args=args), spec.get("query", {}))
    assert response.status_code == 200, name
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    assert body[:2] == b"PK", name
    return body


def problems_of(sheet) -> list[str]:
    found = []
    if not sheet.freeze_panes:
        found.append("no frozen header")
    if not sheet.print_title_rows:
        found.append("header not repeated on printed pages")
    if sheet.page_setup.orientation != "landscape" or sheet.page_setup.fitToWidth != 1:
        found.append("not A4 landscape fitted to the width")
    if not sheet.sheet_properties.pageSetUpPr or not sheet.sheet_properties.pageSetUpPr.fitToPage:
        found.append("fit to page off")
    rows = [[cell for cell in row if cell.value is not None] for row in sheet.iter_rows()]
    cells = [cell for row in rows for cell in row]
    # text in a table row (two cells or more) stays in its column; a title or a paragraph alone may run over
    in_tables = [cell for row in rows if len(row) > 1 for cell in row]
    unwrapped = [c.coordinate for c in in_tables if isinstance(c.value, str) and len(c.value) > 40]
    unwrapped = [coordinate for coordinate in unwrapped if not sheet[coordinate].alignment.wrap_text]
    if unwrapped:
        found.append(f"long text not wrapped in {unwrapped[:3]}")
    numbers = [c for c in cells if isinstance(c.value, int | float) and not isinstance(c.value, bool)]
    if any(c.number_format == "General" for c in numbers):
        found.append("a number without a number format")
    return found


@pytest.mark.parametrize("name", sorted(WORKBOOKS))
def test_every_workbook_is_ready_to_read_and_print(name, login, api, world, objects):
    spec = WORKBOOKS[name]
    client = api(world.focal_p) if "-" in name and ":" not in name else login(world.focal_p)
    book = load_workbook(io.BytesIO(fetch(client, name, spec, objects)))
    listings = [sheet for sheet in book.worksheets if is_listing(sheet)]
    assert listings, name
    problems = {sheet.title: found for sheet in listings if (found := problems_of(sheet))}
    assert not problems, f"{name}: {problems}"
    if name not in SECTIONED:
        assert any(sheet.auto_filter.ref for sheet in listings), f"{name}: no filter on its listing"
