from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tinhgon.accounts.models import Role
from tinhgon.accounts.tests.factories import MembershipFactory, UserFactory
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.dates import today
from tinhgon.reports import dashboard as dashboard_module
from tinhgon.reports import services
from tinhgon.reports.models import Report
from tinhgon.reports.periods import Kind, current, period
from tinhgon.reports.tests.factories import grow_departments
from tinhgon.reviews.tests import factories as rf
from tinhgon.test import download_names

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports/"
DASHBOARD = "/api/v1/dashboard/"


def quarter():
    return current(Kind.QUARTERLY, today())


def report_of(world, code, kind=Kind.QUARTERLY, **fields) -> Report:
    p = quarter()
    fields = {"year": p.year, "number": p.number, **fields} if kind == Kind.QUARTERLY else fields
    return services.report_create(organisation=world.units[code], kind=kind, **fields)


def submitted(world, code) -> Report:
    report = services.report_write(report=report_of(world, code), results="Đã hoàn thành các nhiệm vụ trong quý.")
    return report.submit()


def version(report) -> int:
    return Report.objects.get(pk=report.pk).row_version


@pytest.fixture
def focal_b(world):
    """The focal point of P-B, a sibling of P-A."""
    user = UserFactory(username="focal_b")
    MembershipFactory(user=user, organisation=world.units["P-B"], role=Role.FOCAL_POINT)
    return user


def url(report, suffix=""):
    return f"{REPORTS}{report.pk}/{suffix}"


# Create, list, read -----------------------------------------------------------------------------------------------


def test_reports_are_created_by_writers_with_the_cut_off_period_and_figures(api, world):
    rf.publish(world, world.units["P-A"], "Thủ tục của sở A")
    rf.publish(world, world.units["P-A-1"], "Thủ tục của phòng")
    p = quarter()
    body = {"org": "P-A", "kind": "quarterly", "year": p.year, "number": p.number}
    created = api(world.focal_a).post(REPORTS, body, format="json")
    assert created.status_code == 201, created.json()
    report = created.json()
    assert (report["start"], report["end"]) == (p.start.isoformat(), p.end.isoformat())
    assert report["status"] == "draft" and report["org"] == "P-A" and report["label"] == p.label
    assert report["figures"]["procedures"]["in_force"] == 2 and report["row_version"] == 1
    assert set(report["figures"]) == {"procedures", "reviews", "tasks", "indicators"}
    again = api(world.focal_a).post(REPORTS, body, format="json")
    assert again.status_code == 409 and "đã có báo cáo" in again.json()["detail"]
    assert again.json()["report"] == report["id"]
    assert api(world.oversight).post(REPORTS, {**body, "org": "P"}, format="json").status_code == 403  # wrong role
    assert api(world.outsider).post(REPORTS, body, format="json").status_code == 404
    assert api(world.officer_a1).post(REPORTS, body, format="json").status_code == 404  # P-A is above its unit
    assert api(world.focal_a).post(REPORTS, {**body, "org": "KHONG-CO"}, format="json").status_code == 404
    half = api(world.officer_a1).post(REPORTS, {**body, "org": "P-A-1", "kind": "half_year", "number": 1})
    assert half.status_code == 201 and half.json()["start"] == period(Kind.HALF_YEAR, p.year, 1).start.isoformat()


def test_period_rules_are_checked(api, world):
    client = api(world.focal_p)
    ad_hoc = {"org": "P", "kind": "ad_hoc", "start": "2026-03-01", "end": "2026-04-10"}
    made = client.post(REPORTS, ad_hoc, format="json")
    assert made.status_code == 201, made.json()
    assert (made.json()["start"], made.json()["end"], made.json()["year"]) == ("2026-03-01", "2026-04-10", 2026)
    assert client.post(REPORTS, ad_hoc, format="json").status_code == 201  # ad hoc reports may repeat
    assert "end" in client.post(REPORTS, {"org": "P", "kind": "ad_hoc", "start": "2026-03-01"}, format="json").json()
    backwards = client.post(REPORTS, {**ad_hoc, "start": "2026-05-01"}, format="json")
    assert backwards.status_code == 400 and "hợp lệ" in backwards.json()["non_field_errors"][0]
    fixed = {"org": "P", "kind": "monthly", "year": 2026, "number": 3}
    assert "start" in client.post(REPORTS, {**fixed, "start": "2026-03-01"}, format="json").json()
    assert client.post(REPORTS, {**fixed, "number": 13}, format="json").status_code == 400
    assert (
        "Kỳ báo cáo" in client.post(REPORTS, {**fixed, "kind": "quarterly", "number": 5}).json()["non_field_errors"][0]
    )
    assert "kind" in client.post(REPORTS, {**fixed, "kind": "weekly"}, format="json").json()
    monthly = client.post(REPORTS, fixed, format="json").json()
    assert (monthly["start"], monthly["end"]) == (
        period(Kind.MONTHLY, 2026, 3).start.isoformat(),
        period(Kind.MONTHLY, 2026, 3).end.isoformat(),
    )


def test_reports_are_listed_and_read_within_scope(api, world):
    province, dept = report_of(world, "P"), report_of(world, "P-A")
    report_of(world, "P-A", kind=Kind.ANNUAL, year=today().year)
    assert api(world.focal_p).get(REPORTS).json()["count"] == 3
    assert api(world.focal_p).get(REPORTS, {"org": "P-A", "kind": "quarterly"}).json()["count"] == 1
    assert api(world.focal_p).get(REPORTS, {"status": "submitted"}).json()["count"] == 0
    assert api(world.focal_p).get(REPORTS, {"org": "KHONG-CO"}).json()["count"] == 0
    assert api(world.focal_a).get(REPORTS).json()["count"] == 2
    assert api(world.focal_a).get(url(dept)).json()["org_name"] == world.units["P-A"].name
    assert api(world.focal_a).get(url(province)).status_code == 404  # wrong scope: the province is above P-A
    assert api(world.outsider).get(REPORTS).json()["count"] == 0
    assert api(world.outsider).get(url(dept)).status_code == 404
    assert api().get(REPORTS).status_code == 401


def test_report_list_takes_a_constant_number_of_queries(api, world):
    client = api(world.focal_p)
    report_of(world, "P")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(REPORTS).status_code == 200
        return len(queries)

    few = count()
    for code in ("P-A", "P-B", "P-X", "P-VP"):
        submitted(world, code)
    assert count() == few


# Narrative, refresh, submit ---------------------------------------------------------------------------------------


def test_narrative_is_written_with_an_optimistic_lock(api, world):
    report = report_of(world, "P-A")
    body = {
        "results": "Rà soát 12 thủ tục nội bộ.",
        "difficulties": "Thiếu nhân lực.",
        "proposals": "Bổ sung biên chế.",
        "manual_rows": [{"section": "II", "label": "Số cuộc kiểm tra", "value": "3"}, {"label": "", "value": ""}],
        "row_version": 1,
    }
    saved = api(world.officer_a1, acting="P-A-1").patch(url(report), body, format="json")
    assert saved.status_code == 404  # wrong scope: P-A-1's officer does not see P-A's report
    saved = api(world.focal_a).patch(url(report), body, format="json")
    assert saved.status_code == 200, saved.json()
    data = saved.json()
    assert data["results"] == "Rà soát 12 thủ tục nội bộ." and data["row_version"] == 2
    assert data["manual_rows"] == [{"section": "II", "label": "Số cuộc kiểm tra", "value": "3", "note": ""}]
    stale = api(world.leader_a).patch(url(report), {"results": "Bản khác", "row_version": 1}, format="json")
    assert stale.status_code == 409
    assert "người khác cập nhật" in stale.json()["detail"] and stale.json()["row_version"] == 2
    assert any("results" in change["fields"] for change in stale.json()["changes"])  # what changed since
    kept = api(world.leader_a).patch(url(report), {"signer": "Lê Văn A", "row_version": 2}, format="json").json()
    assert kept["results"] == "Rà soát 12 thủ tục nội bộ." and kept["signer"] == "Lê Văn A"  # unsent fields kept
    empty = api(world.focal_a).patch(
        url(report), {"manual_rows": [{"label": "Hội nghị", "value": ""}], "row_version": 3}, format="json"
    )
    assert empty.status_code == 400 and "chưa có giá trị" in empty.json()["non_field_errors"][0]
    province = report_of(world, "P")
    assert api(world.oversight).patch(url(province), {"results": "x"}, format="json").status_code == 403  # wrong role
    assert api(world.outsider).patch(url(report), {"results": "x"}, format="json").status_code == 404
    assert api(world.focal_a).put(url(report), {"results": "x"}, format="json").status_code == 405


def test_a_write_without_the_version_read_is_refused_with_428(api, world):
    report = report_of(world, "P-A")
    response = api(world.focal_a).patch(url(report), {"results": "Ghi đè mù"}, format="json")
    assert response.status_code == 428 and "row_version" in response.json()["detail"]
    assert Report.objects.get(pk=report.pk).results == ""


def test_the_etag_of_a_read_is_the_precondition_of_a_write(api, world):
    report = report_of(world, "P-A")
    client = api(world.focal_a)
    etag = client.get(url(report))["ETag"]
    assert etag == f'"{version(report)}"'
    saved = client.patch(url(report), {"results": "Theo ETag"}, format="json", HTTP_IF_MATCH=etag)
    assert saved.status_code == 200, saved.json()
    assert client.patch(url(report), {"results": "Lần hai"}, format="json", HTTP_IF_MATCH=etag).status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        [{"results": "một danh sách"}],
        {"results": ["không phải chuỗi"], "row_version": 1},
        {"manual_rows": "không phải danh sách", "row_version": 1},
        {"manual_rows": [["nhãn", "giá trị"]], "row_version": 1},
        {"results": "x", "row_version": "mot"},
    ],
)
def test_wrong_json_shapes_are_a_400(api, world, body):
    report = report_of(world, "P-A")
    response = api(world.focal_a).patch(url(report), body, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400, response.json()


def test_refresh_recomputes_a_draft(api, world):
    report = report_of(world, "P-A")
    assert report.figures["procedures"]["in_force"] == 0
    rf.publish(world, world.units["P-A"], "Công bố sau khi lập báo cáo")
    assert api(world.focal_a).post(url(report, "refresh/")).status_code == 428
    refreshed = api(world.focal_a).post(url(report, "refresh/"), {"row_version": 1}, format="json")
    assert refreshed.status_code == 200, refreshed.json()
    assert refreshed.json()["figures"]["procedures"]["in_force"] == 1 and refreshed.json()["row_version"] == 2
    assert api(world.focal_a).post(url(report, "refresh/"), {"row_version": 1}, format="json").status_code == 409
    province = report_of(world, "P")
    assert api(world.oversight).post(url(province, "refresh/")).status_code == 403  # wrong role
    assert api(world.outsider).post(url(report, "refresh/")).status_code == 404


def test_submit_freezes_the_report(api, world):
    report = report_of(world, "P-A")
    assert api(world.officer_a1).post(url(report, "submit/")).status_code == 404  # wrong scope
    mine = report_of(world, "P-A-1")
    services.report_write(report=mine, results="Xong.")
    assert api(world.officer_a1).post(url(mine, "submit/")).status_code == 403  # wrong role: the head submits
    assert api(world.outsider).post(url(report, "submit/")).status_code == 404
    empty = api(world.focal_a).post(url(report, "submit/"))
    assert empty.status_code == 400 and "kết quả" in empty.json()["non_field_errors"][0]
    api(world.focal_a).patch(url(report), {"results": "Hoàn thành kế hoạch quý.", "row_version": 1}, format="json")
    sent = api(world.leader_a).post(url(report, "submit/"))
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == "submitted" and sent.json()["submitted_by"] == "leader_a"
    assert sent.json()["submitted_at"]
    current = sent.json()["row_version"]
    for response in (
        api(world.focal_a).patch(url(report), {"results": "Sửa", "row_version": current}, format="json"),
        api(world.focal_a).post(url(report, "refresh/"), {"row_version": current}, format="json"),
    ):
        assert response.status_code == 400 and "đã khóa" in response.json()["non_field_errors"][0]


def test_a_second_submit_answers_409_and_submits_once(api, world):
    report = services.report_write(report=report_of(world, "P-A"), results="Xong.")
    assert api(world.leader_a).post(url(report, "submit/")).status_code == 200
    again = api(world.leader_a).post(url(report, "submit/"))
    assert again.status_code == 409 and "đã được thực hiện" in again.json()["detail"]
    assert AuditLogEntry.objects.for_object(report).filter(action="reports.report.submitted").count() == 1


def test_submit_with_the_version_read_refuses_a_report_changed_since(api, world):
    report = services.report_write(report=report_of(world, "P-A"), results="Xong.")
    read = version(report)
    services.report_write(report=report, results="Sửa sau khi lãnh đạo đọc.")
    stale = api(world.leader_a).post(url(report, "submit/"), {"row_version": read}, format="json")
    assert stale.status_code == 409 and stale.json()["row_version"] == read + 1
    assert api(world.leader_a).post(url(report, "submit/"), [1, 2], format="json").status_code == 400
    assert Report.objects.get(pk=report.pk).status == "draft"


def test_a_sibling_unit_gets_404_everywhere(api, world, focal_b):
    report = report_of(world, "P-A")
    client = api(focal_b)
    for suffix in ("", "children/", "docx/", "xlsx/", "pdf/"):
        assert client.get(url(report, suffix)).status_code == 404, suffix
    assert client.patch(url(report), {"results": "x", "row_version": 1}, format="json").status_code == 404
    for suffix in ("refresh/", "submit/"):
        assert client.post(url(report, suffix), {"row_version": 1}, format="json").status_code == 404, suffix
    assert client.get(REPORTS).json()["count"] == 0
    assert client.get(DASHBOARD, {"org": "P-A"}).status_code == 404
    body = {"org": "P-A", "kind": "annual", "year": today().year}
    assert client.post(REPORTS, body, format="json").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"year": "x"},
        {"year": "0"},
        {"number": "99999999999999999999"},
        {"kind": "weekly"},
        {"status": "gone"},
    ],
)
def test_hostile_list_filters_answer_400(api, world, params):
    report_of(world, "P-A")
    response = api(world.focal_p).get(REPORTS, params)
    assert response.status_code == 400 and set(response.json()) == set(params)


# Children ---------------------------------------------------------------------------------------------------------


def test_children_shows_who_submitted_and_the_totals(api, world):
    rf.publish(world, world.units["P-A"], "Của sở A")
    rf.publish(world, world.units["P-B"], "Của sở B")
    rf.publish(world, world.units["P-B"], "Của sở B hai")
    submitted(world, "P-A").accept(), submitted(world, "P-B").accept()
    report_of(world, "P-X")  # a draft does not count
    province = report_of(world, "P")
    response = api(world.focal_p).get(url(province, "children/"))
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["submitted"] == data["accepted"] == 2 and sorted(data["missing"]) == ["P-VP", "P-X"]
    rows = {row["org"]: row for row in data["children"]}
    assert rows["P-A"]["submitted"] and rows["P-A"]["report"] and not rows["P-X"]["submitted"]
    assert rows["P-A"]["status"] == "accepted" and rows["P-VP"]["status"] is None
    assert data["aggregate"]["procedures"]["in_force"] == 3 and data["aggregate"]["reviews"]["published"] == 3
    assert api(world.focal_a).get(url(province, "children/")).status_code == 404  # wrong scope
    assert api(world.outsider).get(url(province, "children/")).status_code == 404


# Documents --------------------------------------------------------------------------------------------------------

DOCUMENTS = [
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
    ("pdf", "application/pdf", b"%PDF"),
]


@pytest.mark.parametrize(("ext", "content_type", "magic"), DOCUMENTS)
def test_documents_are_files_of_the_right_type(api, world, ext, content_type, magic):
    report = report_of(world, "P-A")
    services.report_write(report=report, results="Đã hoàn thành.")
    response = api(world.focal_a).get(url(report, f"{ext}/"))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert download_names(response)[0] == f"Báo cáo {report.period.label.replace('/', '-')} - Đơn vị P-A.{ext}"
    assert response.content.startswith(magic)
    assert api(world.officer_a1).get(url(report, f"{ext}/")).status_code == 404  # wrong scope
    assert api(world.outsider).get(url(report, f"{ext}/")).status_code == 404


# Dashboard --------------------------------------------------------------------------------------------------------


def test_dashboard_gives_the_figures_of_a_visible_unit(api, world):
    rf.publish(world, world.units["P-A"], "Thủ tục một")
    response = api(world.focal_p).get(DASHBOARD, {"org": "P", "as_of": today().isoformat()})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["organisation"]["code"] == "P" and data["as_of"] == today().isoformat()
    assert api(world.focal_p).get(DASHBOARD).status_code == 200  # the acting unit by default
    assert api(world.officer_a1).get(DASHBOARD, {"org": "P-A-1"}).status_code == 200
    assert api(world.officer_a1).get(DASHBOARD, {"org": "P"}).status_code == 404  # wrong scope
    assert api(world.outsider_admin).get(DASHBOARD, {"org": "P"}).status_code == 404  # another province's admin
    assert api(world.outsider).get(DASHBOARD, {"org": "P"}).status_code == 404
    assert api(world.focal_p).get(DASHBOARD, {"org": "NOPE"}).status_code == 404
    bad = api(world.focal_p).get(DASHBOARD, {"org": "P", "as_of": "hôm qua"})
    assert bad.status_code == 400 and "as_of" in bad.json()
    assert api().get(DASHBOARD, {"org": "P"}).status_code == 401


@pytest.fixture
def many_children(world, monkeypatch):
    """P with 4 + 4 departments, each with a procedure and an overdue task, and the one-screen cut made tiny: the
    ranking keeps 2 + 1 rows of 8, the heat map 2 units."""
    grow_departments(world, 4)
    monkeypatch.setattr(dashboard_module, "RANKING_TOP", 2)
    monkeypatch.setattr(dashboard_module, "RANKING_BOTTOM", 1)
    monkeypatch.setattr(dashboard_module, "HEATMAP_UNITS", 2)
    return world


def _oversight_figures(data) -> dict:
    heat = data["heatmap"]
    return {
        "ranking": data["ranking"],
        "ranking_total": data["ranking_total"],
        "ranking_count": data["ranking_count"],
        "ranking_hidden": data["ranking_hidden"],
        "progress": data["progress"],
        "heatmap": {key: heat[key] for key in ("months", "units", "codes", "data", "max", "count", "hidden")},
        "all": data["all"],
    }


@pytest.mark.parametrize("value", ["1", "true", "True"])
def test_dashboard_all_gives_every_child_unit_as_the_page_does(api, client, many_children, value):
    world = many_children
    response = api(world.oversight).get(DASHBOARD, {"org": "P", "all": value})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["view"] == "oversight" and data["all"] is True
    assert len(data["ranking"]) == data["ranking_count"] == 8 and data["ranking_hidden"] == 0
    assert len(data["heatmap"]["units"]) == 8 and data["heatmap"]["hidden"] == 0
    client.force_login(world.oversight)
    page = client.get("/bao-cao/bang-dieu-khien/", {"org": "P", "all": "1"})
    assert page.status_code == 200
    assert _oversight_figures(data) == _oversight_figures(page.context["d"])


def test_dashboard_without_all_is_cut_to_one_screen_as_the_page(api, client, many_children):
    world = many_children
    client.force_login(world.oversight)
    page = client.get("/bao-cao/bang-dieu-khien/", {"org": "P"})
    for params in ({"org": "P"}, {"org": "P", "all": "0"}, {"org": "P", "all": "false"}, {"org": "P", "all": ""}):
        data = api(world.oversight).get(DASHBOARD, params).json()
        assert data["all"] is False and len(data["ranking"]) == 3 and data["ranking_hidden"] == 5
        assert data["heatmap"]["hidden"] == 6
        assert _oversight_figures(data) == _oversight_figures(page.context["d"])
    everything = api(world.oversight).get(DASHBOARD, {"org": "P", "all": "1"}).json()
    assert data["ranking_total"] == everything["ranking_total"]  # the total row is over every unit either way


def test_dashboard_all_needs_the_same_rights_as_the_dashboard(api, client, many_children):
    world = many_children
    for user in (world.outsider, world.outsider_admin, world.officer_a1):  # P is outside their scope: 404
        assert api(user).get(DASHBOARD, {"org": "P", "all": "1"}).status_code == 404
        client.force_login(user)
        assert client.get("/bao-cao/bang-dieu-khien/", {"org": "P", "all": "1"}).status_code == 404
    # Views other than oversight have no cut: `all` changes nothing, as on the page.
    officer = api(world.officer_a1).get(DASHBOARD, {"org": "P-A-1", "all": "1"}).json()
    assert officer["view"] == "officer" and "ranking" not in officer
    agency = api(world.focal_p).get(DASHBOARD, {"org": "P", "all": "1"}).json()
    assert agency["view"] == "agency" and "ranking" not in agency
    assert api().get(DASHBOARD, {"org": "P", "all": "1"}).status_code == 401


@pytest.mark.parametrize("value", ["yes", "2", "tất cả"])
def test_dashboard_all_refuses_other_values_in_vietnamese(api, many_children, value):
    response = api(many_children.oversight).get(DASHBOARD, {"org": "P", "all": value})
    assert response.status_code == 400
    assert response.json() == {"all": ["Giá trị của all phải là 1 hoặc true (0 hoặc false: không)."]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"as_of": "2026-02-31"}, "as_of"),
        ({"as_of": "31/02/2026"}, "as_of"),
        ({"as_of": "0001-01-01"}, "as_of"),
        ({"as_of": "9999-12-31"}, "as_of"),
        ({"org": "P" * 500}, "org"),
    ],
)
def test_hostile_dashboard_parameters_answer_400(api, world, params, field):
    response = api(world.focal_p).get(DASHBOARD, params)
    assert response.status_code == 400 and list(response.json()) == [field]


@pytest.mark.parametrize("path", [REPORTS, DASHBOARD])
def test_a_nul_character_in_a_parameter_answers_400(api, world, path):
    assert api(world.focal_p).get(path, {"org": "P\x00"}).status_code == 400
