import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tinhgon.accounts.tests.factories import PASSWORD
from tinhgon.core.dates import today
from tinhgon.plans.tests import factories as f
from tinhgon.test import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    # The page's own background requests end first: their answers carry the session cookie being cleared.
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("navigation", name="Các phân hệ")).to_contain_text("Kế hoạch, nhiệm vụ")


def test_a_division_officer_updates_progress_and_the_department_leader_sees_the_roll_up(offline_page, live_server):
    world = build_world()
    year = today().year  # the plan runs past the deadline below, in December too
    end = max(date(year, 12, 31), today() + timedelta(days=90))
    plan = f.plan(world.units["P-A"], title="Kế hoạch CCHC của Sở A", year=year, period_end=end)
    task = f.task(
        plan,
        world.units["P-A"],
        title="Đơn giản hóa thủ tục nội bộ",
        executing=[world.units["P-A-1"]],
        deadline=today() + timedelta(days=30),
    )
    page = offline_page
    plan_url = f"{live_server.url}/ke-hoach/{plan.pk}/"

    log_in(page, live_server, "leader_a")
    page.goto(plan_url)
    expect(page.locator(f"#task-{task.pk} .task-progress")).to_contain_text(re.compile(r"^\s*0([.,]0)?%\s*$"))

    # The division officer reports 100% from "my assignments".
    log_in(page, live_server, "officer_a1")
    page.get_by_role("link", name="Kế hoạch, nhiệm vụ").click()
    page.locator("#plan-nav").get_by_role("link", name="Nhiệm vụ của tôi").click()
    page.locator("#my-assignments").get_by_role("link", name=re.compile("Đơn giản hóa thủ tục nội bộ")).click()
    form = page.locator("#report-form")
    form.get_by_label("Tiến độ (%)").fill("100")
    form.get_by_label("Kết quả thực hiện").fill("Đã ban hành quy trình rút gọn")
    form.get_by_role("button", name="Lưu báo cáo").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã cập nhật tiến độ")
    expect(page.locator("#assignment-status")).to_have_text("Hoàn thành đúng hạn")

    # The department leader sees the task and the plan move: executing 1 of (lead 2 + executing 1) → 33.3%.
    log_in(page, live_server, "leader_a")
    page.goto(plan_url)
    expect(page.locator(f"#task-{task.pk} .task-progress")).to_contain_text(re.compile(r"33[.,]3%"))
    expect(page.locator("#plan-progress")).to_have_text(re.compile(r"33[.,]3%"))
    page.locator(f"#task-{task.pk}").get_by_role("link", name=re.compile("Đơn giản hóa")).click()
    expect(page.locator("#assignments")).to_contain_text("Đã ban hành quy trình rút gọn")


def test_a_leader_finds_a_division_by_name_without_diacritics_in_the_overdue_filter(
    offline_page, live_server, screenshot
):
    """Issue 13: unit filters were typed codes ("VLG-SNV"); now a name is searched among the units one may see."""
    world = build_world()
    world.units["P-A-1"].name = "Phòng Đào tạo"
    world.units["P-A-1"].save()
    page = offline_page
    log_in(page, live_server, "leader_a")
    page.goto(f"{live_server.url}/ke-hoach/tre-han/")
    filters = page.locator("#overdue-filter")
    filters.locator(".ts-control").click()
    filters.locator(".ts-control input").fill("dao tao")
    option = filters.locator(".ts-dropdown .option").filter(has_text="Phòng Đào tạo — Đơn vị P-A")
    expect(option).to_be_visible()
    screenshot(page, "overdue-unit-search")
    option.click()
    page.locator("#overdue-filter").get_by_role("button", name="Xem").click()
    expect(page.locator("h1")).to_contain_text("Phòng Đào tạo")
    assert "org=P-A-1" in page.url
