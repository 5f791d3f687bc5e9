"""The whole registry flow in the browser (issue 3): an officer drafts a procedure, the unit head submits, the focal
point checks (refusing it first while a mandatory component is missing, and returning it), a publication decision
is issued, and the public portal finds the procedure by a search typed without diacritics. Nobody outside sees it
before the decision is issued.

Each person works in their own browser context, as on their own computer: officer_a1 and head_a1 (unit P-A-1 of
department P-A), focal_p (the TTHC focal point acting for province P, whose subtree holds every department: they
check the procedure and issue the province's publication decision), and an anonymous citizen."""

import pytest
from playwright.sync_api import expect

from tinhgon.accounts.models import Role
from tinhgon.accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory
from tinhgon.core.dates import today
from tinhgon.e2e.units import choose_unit
from tinhgon.test import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Thủ tục xét tặng danh hiệu Lao động tiên tiến"
QUERY = "xet tang danh hieu lao dong tien tien"
CODE = "P-A-1-001"  # generated from the owner's code when "Mã thủ tục" is left empty
RETURN_REASON = "Bổ sung căn cứ pháp lý (Luật Thi đua, khen thưởng 2022)."
DECISION = "680/QĐ-UBND"


@pytest.fixture
def browser_as(new_context, live_server):
    """browser_as("officer_a1") -> a page in a fresh context, logged in through the login form; browser_as(None)
    -> an anonymous one. Every page fails the test on a request leaving the live server (no CDN)."""
    outside = []

    def _open(username):
        page = new_context().new_page()
        page.on(
            "request",
            lambda r: None if r.url.startswith((live_server.url, "data:")) else outside.append(r.url),
        )
        if username:
            page.goto(f"{live_server.url}/dang-nhap/")
            page.get_by_label("Tên đăng nhập").fill(username)
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            expect(page.locator("#account-menu")).to_be_visible()
        return page

    yield _open
    assert not outside, f"requests left the server: {outside}"


def open_procedure(page):
    """From anywhere: the menu "Thủ tục", then the procedure in the registry table."""
    page.get_by_role("navigation", name="Các phân hệ").get_by_role("link", name="Thủ tục", exact=True).click()
    expect(page.get_by_role("heading", name="Danh mục thủ tục hành chính nội bộ")).to_be_visible()
    page.locator("#procedures").get_by_role("link", name=NAME).click()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()


def expect_message(page, text, kind="success"):
    expect(page.locator(f".alert-{kind}")).to_contain_text(text)


def search_portal(page, base):
    page.goto(f"{base}/cong-khai/")
    page.get_by_label("Tìm thủ tục").fill(QUERY)
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.locator("#result-count")).to_contain_text(f"cho “{QUERY}”")


def draft_with_form(page, owner):
    """The officer fills every mandatory component but the legal basis (forgotten: the check must refuse)."""
    page.get_by_role("link", name="Thêm thủ tục").click()
    expect(page.get_by_role("heading", name="Thêm thủ tục hành chính nội bộ")).to_be_visible()
    expect(page.locator("select[name=owner]")).to_have_value(str(owner.pk))
    page.get_by_label("Tên thủ tục", exact=True).fill(NAME)
    page.get_by_label("Nhóm", exact=True).select_option(label="Nhóm B: trong 01 cơ quan hành chính nhà nước")
    page.get_by_label("Cấp thực hiện", exact=True).select_option(label="Cấp tỉnh")
    page.get_by_label("Lĩnh vực", exact=True).select_option(label="Thi đua - Khen thưởng")
    channels = page.get_by_role("group", name="Cách thức thực hiện")  # a fieldset: its legend names the group
    channels.get_by_role("checkbox", name="Trực tiếp").check()
    channels.get_by_role("checkbox", name="Trực tuyến, qua hệ thống điện tử").check()
    page.get_by_label("Thời hạn giải quyết", exact=True).fill("10")
    page.get_by_label("Đơn vị thời hạn").select_option(label="ngày làm việc")
    page.get_by_label("Đối tượng thực hiện", exact=True).fill("Cán bộ, công chức, viên chức, người lao động của Sở")
    page.get_by_label("Cơ quan có thẩm quyền quyết định", exact=True).fill("Giám đốc Sở")
    page.get_by_label("Cơ quan trực tiếp thực hiện", exact=True).fill("Văn phòng Sở")
    page.get_by_label("Kết quả thực hiện", exact=True).fill("Quyết định tặng danh hiệu Lao động tiên tiến")
    page.get_by_label("Phí, lệ phí", exact=True).fill("Không")

    steps = page.get_by_role("group", name="Trình tự thực hiện")
    steps.get_by_label("Chủ thể").fill("Phòng, đơn vị thuộc Sở")
    steps.get_by_label("Nội dung công việc").fill("Họp bình xét, lập hồ sơ đề nghị gửi Văn phòng Sở")
    steps.get_by_role("button", name="+ Thêm dòng").click()
    steps.get_by_label("Chủ thể").nth(1).fill("Hội đồng Thi đua - Khen thưởng Sở")
    steps.get_by_label("Nội dung công việc").nth(1).fill("Thẩm định hồ sơ, trình Giám đốc Sở quyết định")
    steps.get_by_label("Thời gian").nth(1).fill("07 ngày")

    dossier = page.get_by_role("group", name="Thành phần hồ sơ")
    dossier.get_by_label("Tên giấy tờ").fill("Tờ trình đề nghị khen thưởng")
    dossier.get_by_role("button", name="+ Thêm dòng").click()
    dossier.get_by_label("Tên giấy tờ").nth(1).fill("Biên bản họp bình xét thi đua")
    dossier.get_by_label("Bản sao:", exact=True).nth(1).fill("1")
    dossier.get_by_label("Khai thác được từ dữ liệu sẵn có").nth(1).check()

    page.get_by_role("button", name="Lưu dự thảo").click()
    expect_message(page, f"Đã lưu dự thảo thủ tục {CODE}.")
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    expect(page.locator("#status")).to_have_text("Dự thảo")
    expect(page.locator("#missing")).to_contain_text("Còn thiếu 1 thành phần bắt buộc: Căn cứ pháp lý.")
    expect(page.locator("#steps")).to_contain_text("Bước 2. Hội đồng Thi đua - Khen thưởng Sở:")
    expect(page.locator("#dossier")).to_contain_text("2. Biên bản họp bình xét thi đua: 01 bản chính, 01 bản sao")


def test_draft_submit_check_publish_and_find_without_diacritics(browser_as, live_server):
    world = build_world()
    if "focal_p" not in world.users:  # the province's focal point persona, in case tinhgon/test.py lacks it
        MembershipFactory(user=UserFactory(username="focal_p"), organisation=world.units["P"], role=Role.FOCAL_POINT)
    base = live_server.url

    # 1. The officer drafts the procedure from the registry.
    officer = browser_as("officer_a1")
    officer.get_by_role("navigation", name="Các phân hệ").get_by_role("link", name="Thủ tục", exact=True).click()
    draft_with_form(officer, world.units["P-A-1"])
    expect(officer.get_by_role("button", name="Trình")).to_have_count(0)  # officers draft; unit heads submit
    expect(officer.get_by_role("button", name="Kiểm soát đạt")).to_have_count(0)

    citizen = browser_as(None)
    search_portal(citizen, base)
    expect(citizen.locator("#no-results")).to_be_visible()

    # 2. The unit head submits it.
    head = browser_as("head_a1")
    open_procedure(head)
    expect(head.locator("#status")).to_have_text("Dự thảo")
    head.get_by_role("button", name="Trình").click()
    expect_message(head, "Thủ tục đã chuyển sang trạng thái “Đã trình”.")
    expect(head.locator("#status")).to_have_text("Đã trình")
    expect(head.get_by_role("link", name="Sửa dự thảo")).to_have_count(0)

    # 3. The focal point's check is refused while the legal basis is missing; they return the procedure.
    focal = browser_as("focal_p")
    open_procedure(focal)
    focal.get_by_role("button", name="Kiểm soát đạt").click()
    refusal = focal.locator(".alert-danger")
    expect(refusal).to_have_count(1)  # one message with the list, not one box per line
    expect(refusal).to_have_text("Chưa thể kiểm soát: còn thiếu 1 thành phần bắt buộc. Thiếu: Căn cứ pháp lý")
    expect(focal.locator("#status")).to_have_text("Đã trình")
    focal.get_by_label("Lý do trả lại").fill(RETURN_REASON)
    focal.get_by_role("button", name="Trả lại").click()
    expect_message(focal, "Thủ tục đã chuyển sang trạng thái “Bị trả lại”.")

    # 4. The officer reads why, adds the legal basis with "+ Thêm dòng" and saves; the head submits again.
    officer.reload()
    expect(officer.locator("#status")).to_have_text("Bị trả lại")
    expect(officer.locator("#return-comment")).to_contain_text(RETURN_REASON)
    officer.get_by_role("link", name="Sửa dự thảo").click()
    expect(officer.get_by_label("Tên thủ tục", exact=True)).to_have_value(NAME)
    legal = officer.get_by_role("group", name="Căn cứ pháp lý")
    expect(legal.get_by_label("Số, ký hiệu")).to_have_count(0)  # no empty row when editing
    legal.get_by_role("button", name="+ Thêm dòng").click()
    legal.get_by_label("Số, ký hiệu").fill("06/2022/QH15")
    legal.get_by_label("Ngày ban hành").fill("15/06/2022")
    legal.get_by_label("Cơ quan ban hành").fill("Quốc hội")
    legal.get_by_label("Trích yếu").fill("Luật Thi đua, khen thưởng")
    legal.get_by_label("Điều, khoản").fill("Điều 26")
    officer.get_by_role("button", name="Lưu dự thảo").click()
    expect_message(officer, "Đã lưu thay đổi.")
    expect(officer.locator("#missing")).to_have_count(0)
    expect(officer.locator("#legal-bases")).to_contain_text(
        "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15/06/2022 của Quốc hội, Điều 26"
    )
    expect(officer.locator("#steps")).to_contain_text("Thẩm định hồ sơ, trình Giám đốc Sở quyết định")

    head.reload()
    head.get_by_role("button", name="Trình").click()
    expect(head.locator("#status")).to_have_text("Đã trình")

    # 5. The focal point checks it.
    focal.reload()
    focal.get_by_role("button", name="Kiểm soát đạt").click()
    expect_message(focal, "Thủ tục đã chuyển sang trạng thái “Đã kiểm soát”.")
    expect(focal.locator("#status")).to_have_text("Đã kiểm soát")

    # 6. They draft a publication decision effective today and add the procedure as newly issued.
    day = today().strftime("%d/%m/%Y")
    focal.get_by_role("navigation", name="Các phân hệ").get_by_role("link", name="Quyết định công bố").click()
    focal.get_by_role("link", name="Soạn quyết định").click()
    focal.get_by_label("Số, ký hiệu").fill(DECISION)
    focal.get_by_label("Trích yếu").fill("Về việc công bố thủ tục hành chính nội bộ lĩnh vực thi đua, khen thưởng")
    choose_unit(focal, "issuer", "don vi p", "Đơn vị P")
    focal.get_by_label("Ngày ký").fill(day)
    focal.get_by_label("Người ký", exact=True).fill("Trần Thị B")
    # Left blank, the title is the head of the issuer's kind of unit: CHỦ TỊCH for a province (issue 12).
    expect(focal.get_by_label("Chức vụ người ký")).to_have_value("")
    focal.get_by_label("Ngày có hiệu lực").fill(day)
    focal.get_by_label("Tờ trình đề nghị").fill("Tờ trình số 15/TTr-SNV ngày 02/12/2026")  # căn cứ come prefilled
    focal.get_by_role("button", name="Lưu", exact=True).click()
    expect_message(focal, f"Đã tạo dự thảo quyết định {DECISION}. Hãy thêm thủ tục.")
    expect(focal.locator("#decision-status")).to_have_text("Dự thảo")
    expect(focal.locator("#signed-on")).to_have_text(day)  # what was typed after the issuer picker was kept
    expect(focal.locator("#signer")).to_have_text("CHỦ TỊCH Trần Thị B")
    focal.get_by_label("Thủ tục", exact=True).select_option(label=f"{CODE} · {NAME} (Đã kiểm soát)")
    focal.get_by_label("Hình thức").select_option(label="Mới ban hành")
    focal.get_by_role("button", name="Thêm", exact=True).click()
    expect_message(focal, "Đã thêm thủ tục vào quyết định.")
    expect(focal.locator("#items")).to_contain_text(NAME)
    expect(focal.locator("#items")).to_contain_text("Mới ban hành")

    # Checked and in a draft decision: still not public, not even at its address.
    search_portal(citizen, base)
    expect(citizen.locator("#no-results")).to_be_visible()
    assert citizen.goto(f"{base}/cong-khai/thu-tuc/{CODE}/").status == 404

    # 7. The decision is issued after a confirmation that says what will happen; effective today, it applies at once.
    focal.get_by_role("link", name="Ban hành", exact=True).click()
    expect(focal.get_by_role("heading", name=f"Ban hành quyết định số {DECISION}?")).to_be_visible()
    expect(focal.locator("#confirm-total")).to_have_text("1")
    expect(focal.locator("#confirm-effect")).to_contain_text("ngay khi ban hành")
    problems = focal.locator("#issue-problems")  # named in the failure, if the page refuses the issue
    assert problems.count() == 0, problems.inner_text()
    focal.get_by_role("button", name="Xác nhận ban hành").click()
    expect_message(focal, "Quyết định đã ban hành và có hiệu lực; danh mục đã được cập nhật.")
    expect(focal.locator("#decision-status")).to_have_text("Đã có hiệu lực")
    focal.locator("#items").get_by_role("link", name=NAME).click()
    expect(focal.locator("#status")).to_have_text("Đang có hiệu lực")

    # 8. The public portal finds it without diacritics, highlighted, and shows its components.
    search_portal(citizen, base)
    expect(citizen.locator("#result-count")).to_contain_text("Tìm thấy 1 thủ tục")
    result = citizen.locator("#results").get_by_role("link", name=NAME)
    expect(result.locator("mark")).to_have_text("xét tặng danh hiệu Lao động tiên tiến")
    result.click()
    expect(citizen.get_by_role("heading", name=NAME)).to_be_visible()
    expect(citizen.locator("#owner")).to_have_text("Đơn vị P-A-1")
    expect(citizen.locator("#effective-from")).to_have_text(day)
    expect(citizen.locator("#publications")).to_contain_text(f"Quyết định số {DECISION} ngày {day} của Đơn vị P")
    expect(citizen.locator("#steps li")).to_have_count(2)
    expect(citizen.locator("#steps")).to_contain_text("Bước 1 — Phòng, đơn vị thuộc Sở: Họp bình xét")
    expect(citizen.locator("#channels")).to_contain_text("Trực tuyến, qua hệ thống điện tử")
    expect(citizen.locator("#dossier tbody tr")).to_have_count(2)
    expect(citizen.locator("#dossier")).to_contain_text("Có thể khai thác từ dữ liệu sẵn có")
    expect(citizen.locator("#processing-time")).to_have_text("10 ngày làm việc")
    expect(citizen.locator("#bodies")).to_contain_text("Giám đốc Sở")
    expect(citizen.locator("#result")).to_have_text("Quyết định tặng danh hiệu Lao động tiên tiến")
    expect(citizen.locator("#legal-bases")).to_contain_text("Luật Thi đua, khen thưởng số 06/2022/QH15")
