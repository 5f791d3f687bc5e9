"""Quality management in the browser (issue 13 item 7): the department's focal point opens the register of ISO 9001
processes from the navigation and finds the flagged ones, enters the month's QĐ 766 scores (a score above a group's
maximum is refused on the form) and publishes them; an anonymous visitor then reads them on the portal with the
chart drawn."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tinhgon.accounts.tests.factories import PASSWORD
from tinhgon.core.dates import today
from tinhgon.quality.tests import factories as f
from tinhgon.test import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("navigation", name="Các phân hệ")).to_be_visible()


def previous_month(day):
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def test_the_register_then_a_month_of_scores_entered_published_and_read_on_the_portal(
    offline_page, live_server, screenshot
):
    world = build_world()
    announced = f.announcement(world.units["P-A"], number="86/QĐ-SNV")
    own = f.process(world.units["P-A"], code="QT-01", name="Kiểm soát tài liệu", announcement=announced)
    late = f.process(world.units["P-A-1"], code="QT-02", name="Kiểm soát hồ sơ", review_in=-5, announcement=announced)
    f.process(world.units["P-A-1"], code="QT-03", name="Thẩm định hồ sơ khen thưởng", announcement=announced)
    audit = f.internal_audit(world.units["P-A"], [own, late])
    f.finding(audit, late, description="Chưa lập danh mục hồ sơ năm")
    before = previous_month(previous_month(today()))
    f.score(world.units["P-B"], before, each=Decimal("16.5"), publish=True)
    f.score(world.units["P-A"], before, each=Decimal(15), publish=True)
    page = offline_page

    log_in(page, live_server, "focal_a")
    page.get_by_role("navigation", name="Các phân hệ").get_by_role("link", name="Chất lượng, ISO").click()
    rows = page.locator("#processes tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator(f"#process-{late.pk} .review-due")).to_be_visible()
    expect(page.locator(f"#process-{late.pk} .late-findings")).to_have_text("1 quá hạn")
    expect(rows.first).to_contain_text("QT-01")  # in the order of the codes
    screenshot(page, "quality-register")

    page.locator("#quality-nav").get_by_role("link", name="Nhập điểm 766 tháng").click()
    form = page.locator("#score-form")
    for label, value in (
        ("Công khai, minh bạch", "19"),
        ("Tiến độ, kết quả giải quyết", "18,5"),
        ("Số hóa hồ sơ", "20"),
        ("Cung cấp dịch vụ trực tuyến", "21"),
        ("Mức độ hài lòng", "17"),
    ):
        form.get_by_label(re.compile(rf"^{label} \(tối đa")).fill(value)
    form.get_by_role("button", name="Lưu điểm").click()
    expect(page.locator("#score-form")).to_contain_text("Điểm “Công khai, minh bạch” tối đa 18 điểm.")
    screenshot(page, "quality-score-entry-refused")
    page.locator("#score-form").get_by_label(re.compile(r"^Công khai, minh bạch")).fill("17")
    page.locator("#score-form").get_by_role("button", name="Lưu điểm").click()
    expect(page.locator(".alert-success")).to_contain_text("93,5 điểm")
    expect(page.locator("#score-total")).to_have_text("93,5")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#score-publish").click()
    expect(page.locator("#score-status")).to_contain_text("Đã công khai")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/cong-khai/chi-so-766/")
    expect(page.locator("h1")).to_contain_text(f"tháng {previous_month(today()):%m/%Y}")
    expect(page.locator("#month-scores tbody tr")).to_have_count(1)
    expect(page.locator("#month-scores")).to_contain_text("93,5")
    expect(page.locator("#ranking-chart svg")).to_be_visible()
    if before.year == today().year:  # the year's table holds both units (in January, the earlier month is last year)
        expect(page.locator("#year-scores tbody tr")).to_have_count(2)
    screenshot(page, "public-index-766")
    page.locator("#thang").select_option(f"{before:%Y-%m}")
    expect(page.locator("#month-scores tbody tr")).to_have_count(2)
    expect(page.locator("#month-scores tbody tr").first).to_contain_text("Đơn vị P-B")
    screenshot(page, "public-index-766-earlier-month")
