"""The half-year and annual CCHC report by reform area ("Kết quả thực hiện các nhiệm vụ cải cách hành chính"): each
area with its tasks' progress and its indicators, the "Chưa phân lĩnh vực" group only when needed, the report's
organisation's subtree only, on the page and in the .docx and .xlsx, in a constant number of queries."""

import io
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from docx import Document
from openpyxl import load_workbook

from tinhgon.accounts.permissions import Policy
from tinhgon.plans import services as plan_services
from tinhgon.plans.models import Indicator, ReformArea
from tinhgon.plans.tests import factories as pf
from tinhgon.reports import services
from tinhgon.reports.documents import report_docx, report_xlsx
from tinhgon.reports.models import Report
from tinhgon.reports.periods import Kind, period

pytestmark = pytest.mark.django_db

YEAR = 2026
CUT_OFF = period(Kind.ANNUAL, YEAR).end


def area(code: str) -> ReformArea:
    return ReformArea.objects.get(code=code)


def done(task, on: date):
    plan_services.assignment_report(assignment=task.assignments.get(), progress=100, completed_on=on)


def annual(world, code="P-A", kind=Kind.ANNUAL, number=1):
    return services.report_create(organisation=world.units[code], kind=kind, year=YEAR, number=number)


@pytest.fixture
def built(world):
    return with_areas(world)


def with_areas(world):
    """P-A's 2026 plan: two procedure tasks (one done, one overdue at the cut-off), a civil-service task not yet due
    and one without an area; its division's plan: an institutional task, done. Elsewhere (P-A's 2025 plan, sibling
    P-B, province Q's Q-A) procedure tasks that P-A's report must not count. P-A's indicators: one on procedures,
    one without an area."""
    a = world.units["P-A"]
    plan = pf.plan(a, year=YEAR)
    first = pf.task(plan, a, code="1", area=area("thu-tuc-hanh-chinh"), deadline=CUT_OFF - timedelta(days=60))
    done(first, CUT_OFF - timedelta(days=70))
    pf.task(plan, a, code="2", area=area("thu-tuc-hanh-chinh"), deadline=CUT_OFF - timedelta(days=30))
    pf.task(plan, a, code="3", area=area("che-do-cong-vu"), deadline=date(YEAR, 12, 31))
    pf.task(plan, a, code="4", deadline=date(YEAR, 12, 31))
    division = pf.plan(world.units["P-A-1"], year=YEAR)
    done(pf.task(division, world.units["P-A-1"], area=area("the-che"), deadline=date(YEAR, 6, 30)), date(YEAR, 6, 1))
    for unit, year in ((a, YEAR - 1), (world.units["P-B"], YEAR), (world.units["Q-A"], YEAR)):
        pf.task(pf.plan(unit, year=year), unit, area=area("thu-tuc-hanh-chinh"), deadline=date(year, 3, 31))
    Indicator.objects.create(name="Tỷ lệ hồ sơ đúng hạn", target=100, organisation=a, area=area("thu-tuc-hanh-chinh"))
    Indicator.objects.create(name="Số sáng kiến được công nhận", target=7, organisation=a)
    Indicator.objects.create(name="Chỉ tiêu của sở B", target=1, organisation=world.units["P-B"], area=area("the-che"))
    return world


def by_code(report) -> dict:
    return {row["code"]: row for row in report.figures["areas"]}


def test_the_areas_are_listed_in_their_order_with_the_unclassified_group_last(built):
    names = [row["name"] for row in annual(built).figures["areas"]]
    assert names == [*ReformArea.objects.values_list("name", flat=True), "Chưa phân lĩnh vực"]


def test_each_area_counts_its_tasks_done_not_yet_due_and_overdue_at_the_cut_off(built):
    areas = by_code(annual(built))
    tasks = areas["thu-tuc-hanh-chinh"]["tasks"]
    assert {k: tasks[k] for k in ("due", "done", "done_late", "not_due", "overdue", "regular")} == {
        "due": 2,
        "done": 1,
        "done_late": 0,
        "not_due": 0,
        "overdue": 1,
        "regular": 0,
    }
    assert (tasks["done_pct"], tasks["overdue_pct"]) == ("50.00", "50.00")
    assert areas["che-do-cong-vu"]["tasks"]["not_due"] == 1
    assert areas["tai-chinh-cong"]["tasks"]["due"] == 0


def test_the_plans_of_the_organisations_divisions_are_counted(built):
    assert by_code(annual(built))["the-che"]["tasks"]["done"] == 1


def test_each_area_lists_its_indicators(built):
    areas = by_code(annual(built))
    assert [i["name"] for i in areas["thu-tuc-hanh-chinh"]["indicators"]] == ["Tỷ lệ hồ sơ đúng hạn"]
    assert areas["the-che"]["indicators"] == []  # P-B's indicator is not P-A's


def test_tasks_and_indicators_without_an_area_go_under_chua_phan_linh_vuc(built):
    unclassified = by_code(annual(built))[""]
    assert unclassified["name"] == "Chưa phân lĩnh vực"
    assert unclassified["tasks"]["due"] == 1
    assert [i["name"] for i in unclassified["indicators"]] == ["Số sáng kiến được công nhận"]


def test_the_unclassified_group_is_absent_when_everything_has_an_area(built):
    assert "" not in by_code(annual(built, "P-B"))


def test_other_provinces_siblings_and_other_years_are_never_counted(built):
    assert by_code(annual(built))["thu-tuc-hanh-chinh"]["tasks"]["due"] == 2
    assert by_code(annual(built, "Q-A"))["thu-tuc-hanh-chinh"]["tasks"]["due"] == 1
    assert sum(row["tasks"]["due"] for row in annual(built, "P").figures["areas"]) == 6  # P-A, P-A-1 and P-B


def test_the_half_year_report_is_by_area_too_and_the_quarterly_is_not(built):
    assert "areas" in annual(built, kind=Kind.HALF_YEAR, number=2).figures
    assert "areas" not in annual(built, kind=Kind.QUARTERLY, number=4).figures


def test_the_report_page_shows_the_section_by_area(built, login):
    report = annual(built)
    text = login(built.leader_a).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Kết quả thực hiện các nhiệm vụ cải cách hành chính" in text
    assert "1. Công tác chỉ đạo, điều hành" in text and "8. Chưa phân lĩnh vực" in text
    assert 'id="area-row-thu-tuc-hanh-chinh"' in text


def test_the_docx_has_the_area_headings_and_figures(built):
    report = annual(built)
    doc = Document(io.BytesIO(report_docx(report, Policy(built.leader_a, list(built.leader_a.memberships_in_force())))))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "6. Kết quả thực hiện các nhiệm vụ cải cách hành chính" in paragraphs
    assert "6.1. Công tác chỉ đạo, điều hành" in paragraphs and "6.8. Chưa phân lĩnh vực" in paragraphs
    expected = (
        "Tổng số 2 nhiệm vụ có thời hạn: đã hoàn thành 1 (50,00%); chưa đến hạn 0; chưa hoàn thành, quá hạn 1 (50,00%)."
    )
    assert expected in paragraphs
    rows = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert ["03", "Cải cách thủ tục hành chính", "2", "1", "0", "1", "0"] in rows


def test_the_xlsx_has_a_sheet_by_area(built):
    report = annual(built)
    data = report_xlsx(report, Policy(built.leader_a, list(built.leader_a.memberships_in_force())))
    sheet = load_workbook(io.BytesIO(data))["Lĩnh vực CCHC"]
    rows = [list(row)[:6] for row in sheet.iter_rows(values_only=True)]  # the sheet is as wide as its widest table
    assert [3, "Cải cách thủ tục hành chính", 2, 1, 0, 1] in rows


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def _compute(report):
    fresh = Report.objects.select_related("organisation").get(pk=report.pk)
    return _queries(fresh.compute)


def test_the_figures_and_the_report_page_take_as_many_queries_with_more_tasks(built, login):
    report = annual(built)
    client = login(built.leader_a)
    url = reverse("reports:detail", args=[report.pk])
    few = (_compute(report), _queries(lambda: client.get(url)))
    plan = pf.plan(built.units["P-A"], year=YEAR, title="Kế hoạch thứ hai")
    for n in range(8):
        code = ["the-che", "tai-chinh-cong", "chinh-quyen-so", ""][n % 4]
        pf.task(plan, built.units["P-A"], code=str(n + 1), area=area(code) if code else None, deadline=CUT_OFF)
    services.report_refresh(report=report)
    report.refresh_from_db()
    assert sum(row["tasks"]["due"] for row in report.figures["areas"]) == 13
    assert (_compute(report), _queries(lambda: client.get(url))) == few
