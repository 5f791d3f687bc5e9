import pytest
from playwright.sync_api import expect

from tinhgon.accounts.models import Membership, Role
from tinhgon.accounts.tests.factories import PASSWORD
from tinhgon.test import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_see_home_and_switch_organisation(offline_page, live_server):
    world = build_world()
    Membership.objects.create(user=world.officer_a1, organisation=world.units["P-X"], role=Role.FOCAL_POINT)
    page = offline_page

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("officer_a1")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    acting = page.locator("#acting")
    expect(acting).to_contain_text(world.officer_a1.full_name)
    expect(acting).to_contain_text("Đơn vị P-X")
    expect(acting).to_contain_text("Công chức đầu mối kiểm soát TTHC")
    expect(page.get_by_role("navigation", name="Quản lý")).to_contain_text("Tổ chức")
    menus = page.locator("#modules .nav-link").evaluate_all("links => links.map(l => l.getBoundingClientRect().top)")
    assert max(menus) - min(menus) < 10, "the menus wrap to a second row at 1366 px"

    page.get_by_label("Làm việc với vai trò").select_option(label="Chuyên viên · Đơn vị P-A-1")
    expect(page.locator(".alert-success")).to_contain_text("Chuyên viên tại Đơn vị P-A-1")
    expect(acting).to_contain_text("Đơn vị P-A-1")
    expect(acting).to_contain_text("Chuyên viên")


def test_the_account_menu_holds_the_api_and_signing_out(offline_page, live_server):
    build_world()
    page = offline_page
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("officer_a1")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("link", name="Tài liệu API")).to_be_hidden()
    page.locator("#account-menu").click()
    expect(page.get_by_role("link", name="Tài liệu API")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()


def test_wrong_password_shows_a_vietnamese_error(offline_page, live_server):
    build_world()
    page = offline_page
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("officer_a1")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator(".alert-danger")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("officer_a1")


def test_organisation_tree_search_without_diacritics(offline_page, live_server):
    world = build_world()
    world.units["P-A"].name = "Sở Nội vụ"
    world.units["P-A"].save()
    page = offline_page
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("oversight")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("navigation", name="Quản lý").get_by_role("link", name="Quản lý").click()
    page.get_by_role("link", name="Tổ chức", exact=True).click()
    expect(page.locator(".org-tree")).to_contain_text("Sở Nội vụ")
    page.get_by_label("Tìm đơn vị").fill("so noi vu")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#matches")).to_contain_text("Sở Nội vụ")
    page.locator("#matches").get_by_role("link", name="Sở Nội vụ").click()
    expect(page.locator("#children")).to_contain_text("Đơn vị P-A-1")
