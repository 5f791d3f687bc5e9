"""Issue 15: the portal's agency filter is searched by typing (portal:agencies) instead of a list of every agency
of the country in the page; a citizen finds a department by its name typed without diacritics."""

import pytest
from playwright.sync_api import expect

from tinhgon.e2e.units import choose_unit
from tinhgon.portal.tests.conftest import issue
from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.tests.factories import complete_components, make_procedure
from tinhgon.test import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_chooses_an_agency_by_typing_its_name_without_diacritics(offline_page, live_server, screenshot):
    world = build_world()
    world.units["P-A"].name = "Sở Tài chính"
    world.units["P-A"].save()
    for owner, name in [(world.units["P-A"], "Thủ tục thẩm định dự toán"), (world.units["P-B"], "Thủ tục khác")]:
        procedure = make_procedure(owner, status=Status.CHECKED, components=complete_components(name=name))
        issue(world, [(procedure.latest_version(), Change.NEW)])
    page = offline_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/cong-khai/")
    expect(page.locator("select[name='co_quan'] option")).to_have_count(1)  # "Tất cả": no list in the page
    page.locator("#id_co_quan-ts-control").fill("so tai")
    expect(
        page.locator("#id_co_quan-ts-control").locator("xpath=..").locator(".item")
    ).to_be_hidden()  # not "Tất cả so tai"
    screenshot(page, "portal-agency-picker-typing")
    choose_unit(page, "co_quan", "so tai", "Sở Tài chính — Đơn vị P")
    screenshot(page, "portal-agency-picker-chosen")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.locator("#agency-links")).to_contain_text("Sở Tài chính")
    expect(page.locator("#results")).to_contain_text("Thủ tục thẩm định dự toán")
    expect(page.locator("#results")).not_to_contain_text("Thủ tục khác")
    assert "co_quan=P-A" in page.url
