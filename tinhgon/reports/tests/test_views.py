"""The /bao-cao/ pages: permissions (right role, wrong role 403, outsider and sibling 404), the dashboard blocks per
role, the report round trip create → write → submit → locked, double submits and duplicate creations, stale writes
with the input kept, hostile parameters (400 with the form's message), the parent's aggregate."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from tinhgon.accounts.models import Role
from tinhgon.accounts.tests.factories import MembershipFactory, UserFactory
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.tests.factories import OrganisationFactory
from tinhgon.reports import services
from tinhgon.reports.models import Report, Status
from tinhgon.reports.periods import Kind, current
from tinhgon.reviews import services as review_services
from tinhgon.reviews.constants import Action, ReviewStatus
from tinhgon.reviews.tests import factories as rf
from tinhgon.test import SINCE

pytestmark = pytest.mark.django_db

DASHBOARD = "/bao-cao/bang-dieu-khien/"


def text(response) -> str:
    return response.content.decode()


def quarter():
    return current(Kind.QUARTERLY, today())


def quarterly(world, code):
    p = quarter()
    return services.report_create(organisation=world.units[code], kind=Kind.QUARTERLY, year=p.year, number=p.number)


@pytest.fixture
def focal_b(world):
    """The focal point of P-B, a sibling of P-A."""
    user = UserFactory(username="focal_b")
    MembershipFactory(user=user, organisation=world.units["P-B"], role=Role.FOCAL_POINT)
    return user


def written(world, code):
    return services.report_write(report=quarterly(world, code), results="Đã thực hiện.")


def narrative(report, **overrides):
    data = {
        "started_from": report.row_version,
        "results": "Hoàn thành kế hoạch quý.",
        "difficulties": "",
        "proposals": "",
        "document_number": "12/BC-SNV",
        "signer": "Nguyễn Văn A",
        "signer_title": "Giám đốc",
        "recipients": "UBND tỉnh",
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "0",
        "rows-0-section": "Khác",
        "rows-0-label": "Hội nghị tập huấn",
        "rows-0-value": "2",
        "rows-0-note": "",
    }
    return {**data, **overrides}


def test_nav_entry_and_dashboard_per_role(world, login):
    client = login(world.officer_a1)
    home = text(client.get("/"))
    assert f'href="{DASHBOARD}"' in home and "Báo cáo, thống kê" in home
    page = text(client.get(DASHBOARD))
    assert 'id="officer-dashboard"' in page and "Số liệu tính lúc" in page
    page = text(login(world.focal_a).get(DASHBOARD))
    assert 'id="agency-dashboard"' in page and 'id="milestones"' in page and 'id="versions-to-check"' in page
    page = text(login(world.head_a1).get(DASHBOARD))
    assert 'id="agency-dashboard"' in page and 'id="versions-to-submit"' in page
    page = text(login(world.oversight).get(DASHBOARD))
    assert 'id="oversight-dashboard"' in page and 'id="ranking"' in page and 'id="heatmap"' in page
    assert 'id="chart-progress"' in page and "echarts.min.js" in page and "<details" in page
    assert f"{DASHBOARD}?org=P-A&amp;as_of=" in page  # drill-down
    drill = login(world.oversight).get(DASHBOARD, {"org": "P-A", "as_of": "01/01/2026"})
    assert drill.status_code == 200 and "Đơn vị P-A" in text(drill) and "01/01/2026" in text(drill)


def test_every_row_block_renders_with_rows_in_it(world, login):
    """Rows of procedures (named) and of tasks (titled) share one partial: each kind must render, not only the
    empty blocks (a filter argument naming a missing key made the page a 500)."""
    from datetime import timedelta

    from tinhgon.plans.tests import factories as pf
    from tinhgon.procedures.tests.factories import complete_components, make_procedure

    draft = make_procedure(world.units["P-A-1"], components=complete_components("Thủ tục dự thảo của tôi"))
    draft.versions.update(created_by=world.officer_a1)
    make_procedure(world.units["P-A-1"], status="submitted", components=complete_components("Thủ tục đã trình"))
    plan = pf.plan(world.units["P-A"], year=today().year)
    pf.task(plan, world.units["P-A-1"], code="1", title="Nhiệm vụ sắp đến hạn", deadline=today() + timedelta(days=3))
    pf.task(plan, world.units["P-A-1"], code="2", title="Nhiệm vụ đã quá hạn", deadline=today() - timedelta(days=3))

    officer = login(world.officer_a1).get(DASHBOARD)
    assert officer.status_code == 200
    assert "Thủ tục dự thảo của tôi" in text(officer) and "Nhiệm vụ sắp đến hạn" in text(officer)
    focal = login(world.focal_a).get(DASHBOARD)
    assert focal.status_code == 200
    assert "Thủ tục đã trình" in text(focal) and "Nhiệm vụ đã quá hạn" in text(focal)


def test_dashboard_numbers_link_to_their_records(world, login):
    rf.publish(world, world.units["P-A"], "Một")
    rf.publish(world, world.units["P-A-1"], "Hai")
    page = text(login(world.focal_a).get(DASHBOARD))
    assert "/ra-soat/so-theo-doi/thu-tuc/?metric=published&amp;org=P-A&amp;as_of=" in page
    assert '<a href="/ra-soat/so-theo-doi/thu-tuc/?metric=published&amp;org=P-A' in page
    assert 'id="published">2</a>' in page
    assert 'href="/ke-hoach/tre-han/?org=P-A"' in page


def test_outsider_404_and_wrong_role_403(world, login):
    report = quarterly(world, "P-A")
    outsider = login(world.outsider)
    assert outsider.get(DASHBOARD, {"org": "P-A"}).status_code == 404
    assert outsider.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert outsider.post(reverse("reports:submit", args=[report.pk])).status_code == 404
    assert report.pk not in [r.pk for r in login(world.outsider).get("/bao-cao/").context["page"]]
    # a division cannot see its department's report nor its dashboard
    officer = login(world.officer_a1)
    assert officer.get(DASHBOARD, {"org": "P-A"}).status_code == 404
    assert officer.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    # the oversight office reads but does not write; an officer writes the division's report, its head sends it
    oversight = login(world.oversight)
    assert oversight.get(reverse("reports:detail", args=[report.pk])).status_code == 200
    assert oversight.post(reverse("reports:detail", args=[report.pk]), narrative(report)).status_code == 403
    p = quarter()
    create = {"organisation": world.units["P"].pk, "kind": Kind.QUARTERLY, "year": p.year, "number": p.number}
    assert oversight.post("/bao-cao/", create).status_code == 403
    a1 = services.report_create(organisation=world.units["P-A-1"], kind=Kind.ANNUAL, year=today().year)
    officer = login(world.officer_a1)
    assert officer.post(reverse("reports:submit", args=[a1.pk])).status_code == 403
    assert officer.post(reverse("reports:refresh", args=[a1.pk])).status_code == 302


def test_create_write_submit_locked(world, login):
    client = login(world.focal_a)
    p = quarter()
    page = client.get("/bao-cao/")
    assert page.status_code == 200 and 'id="report-create"' in text(page)
    created = client.post(
        "/bao-cao/", {"organisation": world.units["P-A"].pk, "kind": Kind.QUARTERLY, "year": p.year, "number": p.number}
    )
    report = Report.objects.get(organisation=world.units["P-A"])
    assert created.status_code == 302 and created["Location"] == reverse("reports:detail", args=[report.pk])
    again = client.post(
        "/bao-cao/", {"organisation": world.units["P-A"].pk, "kind": Kind.QUARTERLY, "year": p.year, "number": p.number}
    )
    assert "đã có báo cáo" in text(again)

    detail = text(client.get(created["Location"]))
    assert p.start.strftime("%d/%m/%Y") in detail and p.end.strftime("%d/%m/%Y") in detail
    assert 'id="narrative-form"' in detail and f"/bao-cao/{report.pk}/docx/" in detail
    saved = client.post(created["Location"], narrative(report))
    assert saved.status_code == 302, text(saved)
    report.refresh_from_db()
    assert report.results == "Hoàn thành kế hoạch quý." and report.manual_rows[0]["label"] == "Hội nghị tập huấn"
    assert client.post(reverse("reports:refresh", args=[report.pk])).status_code == 302

    assert client.post(reverse("reports:submit", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.submitted_by == world.focal_a
    locked = text(client.get(created["Location"]))
    assert 'id="locked"' in locked and 'id="narrative-form"' not in locked and 'id="submit"' not in locked
    assert "Hội nghị tập huấn" in locked
    refused = client.post(created["Location"], narrative(report, results="Sửa sau khi gửi"), follow=True)
    assert "đã khóa" in text(refused)
    report.refresh_from_db()
    assert report.results == "Hoàn thành kế hoạch quý."


def test_submit_without_results_is_refused_in_vietnamese(world, login):
    report = quarterly(world, "P-A")
    response = login(world.focal_a).post(reverse("reports:submit", args=[report.pk]), follow=True)
    assert "Cần viết phần kết quả" in text(response)
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_stale_write_refused_with_input_kept(world, login):
    report = quarterly(world, "P-A")
    opened = report.row_version
    services.report_write(report=report, results="Bản của người khác")
    response = login(world.focal_a).post(
        reverse("reports:detail", args=[report.pk]),
        narrative(report, started_from=opened, results="Bản của tôi, chưa lưu"),
    )
    assert response.status_code == 400
    page = text(response)
    assert "người khác cập nhật" in page and "Bản của tôi, chưa lưu" in page and "Hội nghị tập huấn" in page
    report.refresh_from_db()
    assert report.results == "Bản của người khác"


def test_parent_aggregate_shows_missing_child(world, login):
    rf.publish(world, world.units["P-A"], "Của sở A")
    rf.publish(world, world.units["P-B"], "Của sở B")
    written(world, "P-A").submit().accept()
    province = quarterly(world, "P")
    page = text(login(world.focal_p).get(reverse("reports:detail", args=[province.pk])))
    assert 'id="children"' in page and 'id="chart-children"' in page
    assert page.count("child-accepted") == 1 and page.count("child-missing") == 3  # P-B, P-VP, P-X
    assert 'data-code="P-B"' in page and "Chưa gửi" in page
    assert "3 đơn vị chưa gửi" in page
    aggregate = page.split('id="aggregate"')[1].split("</tr>")[0]
    assert '<td class="text-end">1</td>' in aggregate  # only P-A's frozen figures


def test_oversight_dashboard_queries_constant(world, login):
    def grow(n, prefix):
        for i in range(n):
            unit = OrganisationFactory(
                code=f"{prefix}{i}", name=f"Đơn vị {prefix}{i}", kind=Organisation.Kind.COMMUNE,
                parent=world.units["P"], valid_from=SINCE,
            )  # fmt: skip
            rf.publish(world, unit, f"Thủ tục {prefix}{i}")

    grow(1, "F")  # with no procedure at all the ledger reads no forms (an empty list of ids runs no query)
    client = login(world.oversight)
    client.get(DASHBOARD)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(DASHBOARD).status_code == 200
    grow(5, "N")  # 5 → 10 children
    with CaptureQueriesContext(connection) as many:
        response = client.get(DASHBOARD)
    assert len(response.context["d"]["ranking"]) == 10
    assert len(many) == len(few)


def test_a_sibling_unit_sees_nothing_of_the_report(world, login, focal_b):
    report = quarterly(world, "P-A")
    client = login(focal_b)
    for name in ("reports:detail", "reports:docx", "reports:xlsx", "reports:pdf"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404, name
    for name in ("reports:refresh", "reports:submit", "reports:detail"):
        assert client.post(reverse(name, args=[report.pk])).status_code == 404, name
    assert client.get(DASHBOARD, {"org": "P-A"}).status_code == 404
    assert report.pk not in [r.pk for r in client.get("/bao-cao/").context["page"]]


def test_the_list_is_filtered_by_the_shared_filterset(world, login):
    department, province = quarterly(world, "P-A"), quarterly(world, "P")
    client = login(world.focal_p)
    assert [r.pk for r in client.get("/bao-cao/", {"org": "P-A"}).context["page"]] == [department.pk]
    assert [r.pk for r in client.get("/bao-cao/", {"status": "draft", "org": "P"}).context["page"]] == [province.pk]
    assert list(client.get("/bao-cao/", {"org": "KHONG-CO"}).context["page"]) == []


@pytest.mark.parametrize(
    "params",
    [
        {"year": "0"},
        {"year": "99999999999999999999"},
        {"number": "-1"},
        {"kind": "weekly"},
        {"org": "x" * 500},
    ],
)
def test_hostile_list_filters_are_a_form_error_not_a_server_error(world, login, params):
    quarterly(world, "P-A")
    response = login(world.focal_a).get("/bao-cao/", params)
    assert response.status_code == 400
    assert list(response.context["page"]) == [] and "is-invalid" in text(response)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_of": "31/02/2026"}, "Nhập một ngày hợp lệ"),
        ({"as_of": "01/01/0001"}, "Ngày phải trong khoảng"),
        ({"as_of": "01/01/1900"}, "Ngày phải trong khoảng"),
        ({"all": "yes"}, "phải là 1 hoặc true"),
        ({"org": "P" * 100}, "tối đa 40"),
    ],
)
def test_hostile_dashboard_parameters_are_a_form_error(world, login, params, message):
    response = login(world.focal_a).get(DASHBOARD, params)
    assert response.status_code == 400
    assert message in text(response) and 'id="agency-dashboard"' in text(response)  # the acting unit, today


def test_the_dashboard_of_an_unknown_unit_is_404(world, login):
    assert login(world.focal_p).get(DASHBOARD, {"org": "KHONG-CO"}).status_code == 404


def test_a_second_click_on_submit_is_refused_in_vietnamese_and_submits_once(world, login):
    report = written(world, "P-A")
    client = login(world.focal_a)
    seen = {"started_from": Report.objects.get(pk=report.pk).row_version}
    assert client.post(reverse("reports:submit", args=[report.pk]), seen).status_code == 302
    again = client.post(reverse("reports:submit", args=[report.pk]), seen, follow=True)
    assert "người khác cập nhật" in text(again)  # the page the second click came from is older than the submit
    without_version = client.post(reverse("reports:submit", args=[report.pk]), follow=True)
    assert "việc gửi đã được thực hiện" in text(without_version)
    assert AuditLogEntry.objects.for_object(report).filter(action="reports.report.submitted").count() == 1


def test_submit_from_a_page_older_than_the_text_is_refused(world, login):
    report = written(world, "P-A")
    opened = Report.objects.get(pk=report.pk).row_version
    services.report_write(report=report, results="Sửa sau khi người gửi mở trang.")
    response = login(world.focal_a).post(
        reverse("reports:submit", args=[report.pk]), {"started_from": opened}, follow=True
    )
    assert "người khác cập nhật" in text(response)
    assert Report.objects.get(pk=report.pk).status == Status.DRAFT


def test_the_detail_offers_submit_only_to_who_may_submit(world, login):
    report = written(world, "P-A")
    assert 'id="submit"' in text(login(world.focal_a).get(reverse("reports:detail", args=[report.pk])))
    assert 'id="submit"' not in text(login(world.oversight).get(reverse("reports:detail", args=[report.pk])))
    page = text(login(world.focal_a).get(reverse("reports:detail", args=[report.pk])))
    assert f'name="started_from" value="{Report.objects.get(pk=report.pk).row_version}"' in page


def test_creating_the_report_of_a_period_twice_points_to_the_existing_one(world, login):
    existing = quarterly(world, "P-A")
    p = quarter()
    body = {"organisation": world.units["P-A"].pk, "kind": Kind.QUARTERLY, "year": p.year, "number": p.number}
    response = login(world.focal_a).post("/bao-cao/", body)
    assert response.status_code == 409
    assert "đã có báo cáo" in text(response)
    assert f'href="{reverse("reports:detail", args=[existing.pk])}" id="existing-report"' in text(response)
    assert Report.objects.count() == 1


def test_a_stale_refresh_is_refused_and_changes_nothing(world, login):
    report = quarterly(world, "P-A")
    opened = report.row_version
    services.report_write(report=report, results="Bản của người khác")
    response = login(world.focal_a).post(
        reverse("reports:refresh", args=[report.pk]), {"started_from": opened}, follow=True
    )
    assert "người khác cập nhật" in text(response)
    assert Report.objects.get(pk=report.pk).row_version == opened + 1


@pytest.mark.parametrize("url", ["/bao-cao/", DASHBOARD])
def test_a_nul_character_in_a_parameter_is_a_400(world, login, url):
    assert login(world.focal_a).get(url, {"org": "P-A\x00"}).status_code == 400


def _share(page: str, element_id: str) -> str:
    return page.split(f'id="{element_id}">')[1].split("<")[0]


def test_the_dashboard_writes_a_share_as_the_ledger_does(world, login):
    reviewed = rf.publish(world, world.units["P-A"], "Đã rà soát")
    rf.publish(world, world.units["P-A"], "Chưa rà soát một")
    rf.publish(world, world.units["P-A"], "Chưa rà soát hai")
    review = review_services.round_add_procedure(round=rf.round_for(world), procedure=reviewed)
    rf.filled(review, Action.AMEND, after=rf.WORKED_AFTER)
    rf.advance(review, ReviewStatus.CHECKED)
    client = login(world.focal_a)
    dashboard = text(client.get(DASHBOARD))
    ledger = text(client.get(reverse("reviews:ledger"), {"org": "P-A"}))
    assert _share(dashboard, "reviewed-pct") == _share(ledger, "reviewed-pct") == "(33,33%)"
    assert "33.33" not in dashboard


def test_the_report_aggregate_chart_says_its_second_axis_is_money(world, login):
    province = quarterly(world, "P")
    response = login(world.focal_p).get(reverse("reports:detail", args=[province.pk]))
    chart = response.context["children_chart"]
    assert chart["formats"] == ["number", "money"] and chart["axes"] == ["thủ tục", "đồng/năm"]


def test_the_oversight_charts_say_their_values_are_shares(world, login):
    charts = login(world.oversight).get(DASHBOARD).context["charts"]
    assert charts["progress"]["format"] == charts["ranking"]["format"] == "percent"
