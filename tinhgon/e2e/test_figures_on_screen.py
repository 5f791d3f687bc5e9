"""On screen, a share reads the same on the agency dashboard and on the ledger (18,97%, not 18.97%), and the
oversight dashboard's charts label their axes with Vietnamese separators. Screenshots at 1366 × 768 are kept
under var/screenshots/ (conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

from tinhgon.e2e.test_report_flow import log_in
from tinhgon.reviews import services as review_services
from tinhgon.reviews.constants import Action, ReviewStatus
from tinhgon.reviews.tests import factories as f
from tinhgon.test import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def one_of_three_reviewed(world):
    """P-A publishes three procedures and has one of them reviewed: 33,33%."""
    reviewed = f.publish(world, world.units["P-A"], "Cấp giấy phép nội bộ")
    f.publish(world, world.units["P-A"], "Phê duyệt kế hoạch nội bộ")
    f.publish(world, world.units["P-A"], "Thẩm định hồ sơ nội bộ")
    review = review_services.round_add_procedure(round=f.round_for(world), procedure=reviewed)
    f.filled(review, Action.AMEND, after=f.WORKED_AFTER)
    f.advance(review, ReviewStatus.CHECKED)


def test_a_share_reads_the_same_on_the_dashboard_and_on_the_ledger(offline_page, live_server, screenshot):
    world = build_world()
    one_of_three_reviewed(world)
    page = offline_page
    log_in(page, live_server, "focal_a")
    page.goto(f"{live_server.url}/bao-cao/bang-dieu-khien/")
    expect(page.locator("#reviewed-pct")).to_have_text("(33,33%)")
    screenshot(page, "figures-dashboard")
    page.goto(f"{live_server.url}/ra-soat/so-theo-doi/?org=P-A")
    expect(page.locator("#reviewed-pct")).to_have_text("(33,33%)")
    screenshot(page, "figures-ledger")


def test_the_oversight_charts_write_shares_with_a_decimal_comma(offline_page, live_server, screenshot):
    world = build_world()
    one_of_three_reviewed(world)
    page = offline_page
    log_in(page, live_server, "oversight")
    page.goto(f"{live_server.url}/bao-cao/bang-dieu-khien/")
    page.locator("#ranking-chart").scroll_into_view_if_needed()
    expect(page.locator("#ranking-chart svg")).to_be_visible()
    labels = page.locator("#ranking-chart svg text, #progress-chart svg text").all_text_contents()
    assert any(label.endswith("%") for label in labels), labels
    assert not [label for label in labels if re.search(r"\d\.\d+%|\d,\d{3}", label)], labels
    screenshot(page, "figures-oversight")
