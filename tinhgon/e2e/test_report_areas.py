"""A department leader opens the annual CCHC report and reads it area by area (issue 13, item 6)."""

import pytest
from playwright.sync_api import expect

from tinhgon.e2e.test_report_flow import log_in
from tinhgon.reports import services
from tinhgon.reports.periods import Kind
from tinhgon.reports.tests.test_areas import YEAR, with_areas
from tinhgon.test import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_annual_report_shows_the_tasks_and_indicators_by_reform_area(offline_page, live_server, screenshot):
    world = with_areas(build_world())
    report = services.report_create(organisation=world.units["P-A"], kind=Kind.ANNUAL, year=YEAR, number=1)
    page = offline_page
    log_in(page, live_server, "leader_a")
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    section = page.locator("#areas")
    expect(section).to_contain_text("Kết quả thực hiện các nhiệm vụ cải cách hành chính")
    expect(page.locator("#area-row-thu-tuc-hanh-chinh .area-overdue")).to_have_text("1")
    expect(page.locator("#area-none")).to_contain_text("Số sáng kiến được công nhận")
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(screenshot(page, "report-areas-page").with_name("report-areas-section.png")))
