"""The daily hand-offs without e-mail (issue 13), in the browser as each role does them: a returned procedure
reaches its author's to-do list and bell with the reason; an extension request reaches the department leader's
home page, who decides it there and the division is told."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tinhgon.accounts.tests.factories import PASSWORD
from tinhgon.audit import context as audit
from tinhgon.core.dates import today
from tinhgon.plans import services as plan_services
from tinhgon.plans.tests import factories as plan_factories
from tinhgon.procedures.tests.factories import complete_components, make_procedure
from tinhgon.test import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Bước 2 chưa ghi thời hạn giải quyết; đề nghị bổ sung."


def log_in(page, live_server, username):
    # The page's own background requests end first: their answers carry the session cookie being cleared.
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#todo")).to_be_visible()


def test_a_returned_procedure_reaches_its_author_with_the_reason(offline_page, live_server, screenshot):
    world = build_world()
    with audit.acting(user=world.officer_a1):
        procedure = make_procedure(world.units["P-A-1"], components=complete_components("Thủ tục cấp phát tài sản"))
    with audit.acting(user=world.head_a1):
        procedure.latest_version().submit()
    page = offline_page

    log_in(page, live_server, "focal_a")
    expect(page.locator("#unread-count")).to_have_text("1")
    expect(page.locator("#nav-home #todo-count")).to_have_text("1")  # the submission to check, counted by htmx
    page.locator("#notifications-link").click()
    page.locator("#notifications [data-kind='procedures.version.submitted']").click()
    page.locator("#return-form").get_by_label("Lý do trả lại").fill(REASON)
    page.locator("#return-form").get_by_role("button", name="Trả lại").click()
    expect(page.locator(".alert-success")).to_be_visible()

    log_in(page, live_server, "officer_a1")
    expect(page.locator("#todo")).to_contain_text(REASON)
    expect(page.locator("#unread-count")).to_have_text("2")  # the head submitted the draft, the office returned it
    screenshot(page, "home-officer-returned-procedure")
    page.locator("#notifications-link").click()
    returned = page.locator("#notifications [data-kind='procedures.version.returned']")
    expect(returned).to_contain_text(REASON)
    screenshot(page, "notifications-officer")
    returned.click()
    expect(page.locator("h1")).to_contain_text("Thủ tục cấp phát tài sản")
    expect(page.locator("#unread-count")).to_have_text("1")  # the one opened is read


def test_a_leader_decides_an_extension_from_the_home_page(offline_page, live_server, screenshot):
    world = build_world()
    plan = plan_factories.plan(world.units["P-A"], title="Kế hoạch CCHC", period_end=today() + timedelta(days=200))
    task = plan_factories.task(
        plan, world.units["P-A"], title="Số hóa hồ sơ nội bộ", executing=[world.units["P-A-1"]], deadline=today()
    )
    assignment = task.assignments.get(organisation=world.units["P-A-1"])
    with audit.acting(user=world.head_a1):
        plan_services.extension_request(
            assignment=assignment,
            new_due_on=today() + timedelta(days=30),
            reason="Chờ Sở Thông tin cấp chữ ký số",
            by=world.head_a1,
        )
    page = offline_page

    log_in(page, live_server, "leader_a")
    waiting = page.locator("#todo tr[data-kind='plans.extension_to_decide']")
    expect(waiting).to_contain_text("Chờ Sở Thông tin cấp chữ ký số")
    screenshot(page, "home-leader-extension")
    waiting.get_by_role("link").click()
    decide = page.locator("#extensions form")
    decide.get_by_label("Quyết định", exact=True).select_option("approve")
    decide.get_by_label("Ý kiến").fill("Đồng ý, hoàn thành trong tháng.")
    decide.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.locator("#extensions")).to_contain_text("Ý kiến: Đồng ý, hoàn thành trong tháng.")

    log_in(page, live_server, "head_a1")
    page.locator("#notifications-link").click()
    expect(page.locator("#notifications")).to_contain_text("đồng ý gia hạn")
