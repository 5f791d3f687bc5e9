"""The import preview (issue 14 item 4) in a browser: a plan's task table downloaded, edited (one task renamed and
renumbered, the template's example row pasted in, one new task) and uploaded shows each change as before → after,
says the example row is skipped, and confirming writes it."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tinhgon.e2e.test_plan_flow import log_in
from tinhgon.plans.excel_import import EXAMPLE_MARK, build_workbook
from tinhgon.plans.tests import factories as f
from tinhgon.test import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_task_import_preview_shows_before_and_after(offline_page, live_server, screenshot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    plan = f.plan(world.units["P"], title="Kế hoạch cải cách hành chính năm 2026")
    first = f.task(plan, world.units["P-A"], code="1", title="Rà soát thủ tục hành chính nội bộ")
    f.task(plan, world.units["P-B"], code="2", title="Số hóa hồ sơ, kết quả giải quyết")
    wb = load_workbook(io.BytesIO(build_workbook(plan)))
    ws = wb["Nhiệm vụ"]
    ws["A2"], ws["B2"] = "3", "Rà soát, đơn giản hóa thủ tục hành chính nội bộ năm 2026"
    ws.append(["1", "Dòng ví dụ để quên trong tệp", "Đơn vị P-A", "", "", "30/06/2026", "", EXAMPLE_MARK])
    ws.append(["4", "Tập huấn nghiệp vụ kiểm soát thủ tục", "Đơn vị P-B", "Đơn vị P-A", "", "30/09/2026", "Hội nghị"])
    path = tmp_path / "bang-nhiem-vu.xlsx"
    wb.save(path)

    page = offline_page
    log_in(page, live_server, world.focal_p.username)
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/nhap-excel/")
    page.get_by_label("Tệp Excel (.xlsx) bảng nhiệm vụ").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    rows = page.locator("#import-rows")
    expect(rows).to_contain_text("bỏ qua: dòng ví dụ của mẫu")
    expect(rows.locator("del").first).to_have_text("1")
    expect(rows.locator("ins").first).to_have_text("3")
    screenshot(page, "task-import-preview")

    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator(".alert-success")).to_contain_text("tạo mới 1, cập nhật 1, không thay đổi 1 nhiệm vụ")
    first.refresh_from_db()
    assert (first.code, plan.tasks.count()) == ("3", 3)


def test_the_registry_import_preview_shows_before_and_after(offline_page, live_server, screenshot, tmp_path, settings):
    from tinhgon.procedures.excel import SHEET, write_import_layout
    from tinhgon.procedures.models import ProcedureVersion
    from tinhgon.procedures.tests.test_excel_round_trip import make

    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    owner = world.units["P-A"]
    make(owner, "TT-001")
    make(owner, "TT-002")
    path = tmp_path / "thu-tuc.xlsx"
    write_import_layout(ProcedureVersion.objects.filter(procedure__owner=owner), path)
    wb = load_workbook(path)
    ws = wb[SHEET]
    ws["C2"] = "Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh"
    ws["K2"] = "15 ngày làm việc; trường hợp phải xác minh thực tế: 30 ngày làm việc"
    wb.save(path)

    page = offline_page
    log_in(page, live_server, world.focal_a.username)
    page.goto(f"{live_server.url}/thu-tuc/nhap-excel/")
    page.get_by_label("Tệp Excel (.xlsx) theo mẫu").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    rows = page.locator("#import-rows")
    expect(rows.locator("ins").first).to_have_text("Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh")
    expect(rows).to_contain_text("không thay đổi")
    screenshot(page, "registry-import-preview")
