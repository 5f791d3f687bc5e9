import pytest
from playwright.sync_api import expect

from tinhgon.accounts.tests.factories import PASSWORD
from tinhgon.core.dates import today
from tinhgon.e2e.units import choose_unit
from tinhgon.reviews import services
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
    expect(page.get_by_role("navigation", name="Các phân hệ")).to_contain_text("Rà soát, đơn giản hóa")


def test_review_answer_cost_propose_submit_check_approve_and_ledger(offline_page, live_server):
    world = build_world()
    f.parameters()
    procedure = f.publish(world, world.units["P-A-1"])
    review = services.round_add_procedure(round=f.round_for(world), procedure=procedure)
    page = offline_page
    form_url = f"{live_server.url}/ra-soat/phieu/{review.pk}/"

    # The officer fills the form: answers, current cost, proposal, proposed cost.
    log_in(page, live_server, "officer_a1")
    page.get_by_role("link", name="Rà soát, đơn giản hóa").click()
    page.get_by_role("link", name=review.round.title).click()
    page.locator("#reviews a").first.click()
    expect(page.locator("h1")).to_contain_text("Phiếu rà soát")
    page.locator("#questions input[type=radio][value='1']").evaluate_all("els => els.forEach(e => e.checked = true)")
    page.get_by_role("button", name="Lưu câu trả lời").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu câu trả lời")

    page.get_by_role("button", name="Tạo bảng chi phí hiện tại").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã tạo bảng chi phí hiện tại")
    sheet = page.locator("#sheet-current")
    sheet.locator("input[name='sheet-current-rows-0-hours']").fill("8")
    sheet.locator("input[name='sheet-current-rows-1-other_costs']").fill("40000")  # postage of "Nộp hồ sơ"
    sheet.get_by_role("button", name="Lưu bảng chi phí").click()
    expect(page.locator("#totals-current")).to_contain_text("440.000")  # 8 h × 50.000 + 40.000

    proposal = page.locator("#proposal-form")
    proposal.get_by_label("Phương án", exact=True).select_option(label="Sửa đổi, bổ sung")
    proposal.get_by_label("Lý do").fill("Cho phép nộp hồ sơ trực tuyến")
    proposal.locator(".formset-add").click()
    proposal.locator("select[name='changes-0-kind']").select_option("add_online")
    page.get_by_role("button", name="Lưu phương án").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu phương án")
    expect(page.locator("#compare-link")).to_be_visible()

    page.get_by_role("button", name="Tính chi phí sau đơn giản hóa").click()
    expect(page.locator("#totals-proposed")).to_be_visible()
    expect(page.locator("#benefit")).to_contain_text("Cắt giảm")

    # The unit head submits, the focal point checks.
    log_in(page, live_server, "head_a1")
    page.goto(form_url)
    page.locator("#submit").click()
    expect(page.locator("#review-status")).to_have_text("Đã trình")
    log_in(page, live_server, "focal_a")
    page.goto(form_url)
    page.locator("#check").click()
    expect(page.locator("#review-status")).to_have_text("Đã kiểm soát")

    # Group A: the province approves.
    log_in(page, live_server, "focal_p")
    page.goto(f"{live_server.url}/ra-soat/phe-duyet/")
    form = page.locator("#approval-form")
    form.get_by_label("Số, ký hiệu").fill("15/QĐ-UBND")
    choose_unit(form, "issuer", "don vi p", world.units["P"].name)
    form.get_by_label("Ngày ký").fill(today().strftime("%d/%m/%Y"))
    form.get_by_label("Người ký", exact=True).fill("Nguyễn Văn A")
    form.get_by_label("Tờ trình đề nghị").fill("Tờ trình số 6692/TTr-SNV ngày 25/10/2026")
    form.get_by_role("button", name="Tạo dự thảo").click()
    page.locator(f"#add-reviews input[value='{review.pk}']").check()
    page.get_by_role("button", name="Thêm vào quyết định").click()
    expect(page.locator("#included")).to_contain_text(procedure.code)
    page.locator("#issue").click()
    expect(page.locator("#confirm-total")).to_have_text("1")  # the confirmation page: what issuing will do
    page.locator("#confirm-issue").click()
    expect(page.locator("#approval-status")).to_have_text("Đã ban hành")

    # The ledger shows the approved simplification and the cut cost.
    page.goto(f"{live_server.url}/ra-soat/so-theo-doi/?org=P-A")
    expect(page.locator("#simplified")).to_have_text("1")
    expect(page.locator("#reviewed")).to_have_text("1")
    expect(page.locator("#cost-before")).to_have_text("52.800.000")  # 440.000 × 120
    expect(page.locator("#cost-after")).to_have_text("48.000.000")  # online: no postage
    expect(page.locator("#cost-saving-pct")).to_have_text("9,09%")
    page.locator("#simplified").click()
    expect(page.locator("#ledger-procedures")).to_contain_text(procedure.code)

    # The unit records the act it issued: the implementation item is done.
    log_in(page, live_server, "officer_a1")
    page.goto(f"{live_server.url}/ra-soat/thuc-thi/")
    row = page.locator("#items tbody tr").first
    row.locator("select").select_option(label="Đã thực thi")
    row.locator("input[name$='issued_reference']").fill("99/QĐ-UBND")
    row.get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã cập nhật nhiệm vụ")
    expect(page.locator("#items")).to_contain_text("Đã ban hành: 99/QĐ-UBND")
