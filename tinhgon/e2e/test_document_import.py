"""Tasks entered from a plan's document (issue 16) in a browser: the text of QĐ 258/QĐ-UBND pasted, every task
reviewed beside its highlighted source with the agency not found marked, a missing deadline added, confirmed."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tinhgon.e2e.test_plan_flow import log_in
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.tests.factories import OrganisationFactory
from tinhgon.plans.tests import factories as f
from tinhgon.test import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[1] / "plans/tests/plan_documents/tra-vinh-qd258-2024.txt"  # ../shared/seeds/002


def test_a_plans_tasks_are_reviewed_beside_their_text_and_saved(
    offline_page, live_server, screenshot, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    p = world.units["P"]
    OrganisationFactory(
        code="P-VPUB", name="Văn phòng Ủy ban nhân dân tỉnh", kind=Organisation.Kind.PROVINCIAL_OFFICE, parent=p
    )
    OrganisationFactory(code="P-STP", name="Sở Tư pháp", kind=Organisation.Kind.DEPARTMENT, parent=p)
    plan = f.plan(p, title="Kế hoạch cải cách thủ tục hành chính năm 2024", year=2024)
    text = "\n".join(SEED.read_text(encoding="utf-8").splitlines()[:138])

    page = offline_page
    log_in(page, live_server, world.focal_p.username)
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    page.get_by_role("link", name="Nhập từ văn bản").click()
    page.get_by_label("Hoặc dán nội dung kế hoạch").fill(text)
    page.get_by_role("button", name="Đọc văn bản").click()
    expect(page.locator("#document-header")).to_contain_text("258/QĐ-UBND")
    expect(page.locator(".review-task")).to_have_count(3)
    expect(page.locator("#task-0 mark")).to_contain_text("Chủ động rà soát")
    expect(page.locator("#task-0 .unmatched")).to_contain_text("Ủy ban nhân dân cấp huyện")
    screenshot(page, "document-review")

    # the units are written once in the page, yet every picker offers them all: the reviewer adds one by searching
    page.locator("#id_form-0-executing-ts-control").fill("don vi p-b")
    page.locator("#id_form-0-executing-ts-dropdown .option", has_text="Đơn vị P-B").click()
    expect(page.locator("#task-0 .assumed-deadline")).to_be_visible()  # no time in the document: the plan's last day
    page.locator("#id_form-0-deadline").fill("30/06/2024")
    page.locator("#id_form-2-deadline").fill("")
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator("#review-errors")).to_be_visible()  # task 3 without a deadline: nothing saved
    screenshot(page, "document-review-errors")
    assert plan.tasks.count() == 0
    page.locator("#id_form-2-deadline").fill("31/12/2024")
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã nhập 3 nhiệm vụ")
    assert plan.tasks.count() == 3
    assert list(plan.tasks.get(code="1").executing.values_list("code", flat=True)) == ["P-B"]
