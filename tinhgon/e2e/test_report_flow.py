"""A department office generates its quarterly report, writes the narrative and submits it; the province office
opens the province report of the same quarter and sees the department as submitted, with the chart drawn."""

import pytest
from playwright.sync_api import expect

from tinhgon.accounts.tests.factories import PASSWORD
from tinhgon.core.dates import today
from tinhgon.core.text import fold_vn
from tinhgon.e2e.units import choose_unit
from tinhgon.reports.periods import Kind, current
from tinhgon.reviews.tests import factories as f
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
    expect(page.get_by_role("navigation", name="Các phân hệ")).to_contain_text("Báo cáo, thống kê")


def create_quarterly(page, unit):
    p = current(Kind.QUARTERLY, today())
    form = page.locator("#report-create")
    typed = fold_vn(unit.name)  # typed without diacritics, as on an office keyboard without Unikey
    choose_unit(form, "organisation", typed, f"{unit.name} — {unit.parent.name}" if unit.parent_id else unit.name)
    form.get_by_label("Loại báo cáo").select_option(Kind.QUARTERLY)
    form.locator("input[name=year]").fill(str(p.year))
    form.locator("input[name=number]").fill(str(p.number))
    form.get_by_role("button", name="Lập báo cáo").click()
    expect(page.locator("h1")).to_contain_text(p.label)


def test_department_submits_and_province_sees_it_in_its_aggregate(offline_page, live_server):
    world = build_world()
    f.publish(world, world.units["P-A"], "Thủ tục của sở A")
    page = offline_page

    log_in(page, live_server, "focal_a")
    page.get_by_role("link", name="Báo cáo, thống kê").click()
    expect(page.locator("#agency-dashboard")).to_be_visible()
    page.get_by_role("link", name="Báo cáo định kỳ").click()
    create_quarterly(page, world.units["P-A"])
    expect(page.locator("#fig-published")).to_contain_text("1")
    form = page.locator("#narrative-form")
    form.get_by_label("Kết quả đạt được").fill("Đã công bố 01 thủ tục nội bộ, hoàn thành kế hoạch quý.")
    form.locator("input[name=signer]").fill("Trần Thị B")
    form.get_by_role("button", name="Lưu nội dung").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu nội dung")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#submit").click()
    expect(page.locator("#locked")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("hoàn thành kế hoạch quý")

    log_in(page, live_server, "focal_p")
    page.goto(f"{live_server.url}/bao-cao/")
    create_quarterly(page, world.units["P"])
    row = page.locator("#children tr[data-code='P-A']")
    expect(row.locator(".child-submitted")).to_be_visible()
    expect(page.locator("#children tr[data-code='P-B'] .child-missing")).to_have_text("Chưa gửi")
    expect(page.locator("#children-chart svg")).to_be_visible()


def test_a_division_sends_its_report_the_office_returns_it_and_accepts_it_sent_again(
    offline_page, live_server, screenshot
):
    """Issue 13: the phòng → Văn phòng Sở hand-off without e-mail. The division head sends the division's report; the
    department office returns it with a reason; the head finds it in the to-do list with the reason, fixes and sends
    it again; the office accepts it into the department's aggregate."""
    world = build_world()
    division = world.units["P-A-1"].name
    reason = "Thiếu số liệu phản ánh, kiến nghị trong quý; đề nghị bổ sung."
    page = offline_page

    log_in(page, live_server, "head_a1")
    page.goto(f"{live_server.url}/bao-cao/")
    create_quarterly(page, world.units["P-A-1"])
    page.locator("#narrative-form").get_by_label("Kết quả đạt được").fill("Phòng đã hoàn thành các nhiệm vụ quý.")
    page.locator("#narrative-form").get_by_role("button", name="Lưu nội dung").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#submit").click()
    expect(page.locator("#locked")).to_contain_text("chờ cấp trên tiếp nhận")
    report_url = page.url

    log_in(page, live_server, "focal_a")
    waiting = page.locator("#todo tr[data-kind='reports.to_receive']")
    expect(waiting).to_contain_text(division)
    waiting.get_by_role("link").click()
    screenshot(page, "report-waiting-to-be-received")
    page.locator("#return-reason-input").fill(reason)
    page.locator("#return").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã trả lại báo cáo")

    log_in(page, live_server, "head_a1")
    returned = page.locator("#todo tr[data-kind='reports.returned']")
    expect(returned).to_contain_text(reason)
    screenshot(page, "home-returned-report")
    returned.get_by_role("link").click()
    expect(page.locator("#return-reason")).to_contain_text(reason)
    form = page.locator("#narrative-form")
    form.get_by_label("Kết quả đạt được").fill("Phòng đã hoàn thành các nhiệm vụ quý; tiếp nhận 02 phản ánh.")
    form.get_by_role("button", name="Lưu nội dung").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Gửi lại").click()
    expect(page.locator("#locked")).to_be_visible()

    log_in(page, live_server, "focal_a")
    page.goto(report_url)
    page.locator("#accept").click()
    expect(page.locator("#locked")).to_contain_text("Cấp trên đã tiếp nhận")
    page.goto(f"{live_server.url}/bao-cao/")
    create_quarterly(page, world.units["P-A"])
    expect(page.locator("#children tr[data-code='P-A-1'] .child-accepted")).to_be_visible()
