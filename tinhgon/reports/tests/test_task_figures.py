"""The periodic report's task figures (issue 12 item 6): computed once (reports.figures.tasks_figures →
plans.progress.TaskTally) and read alike by the report page, its Word and Excel files, the API and the dashboard;
replayed from a real task report."""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.test import override_settings
from django.utils import timezone

import pytest
from docx import Document
from openpyxl import load_workbook

from tinhgon.accounts.permissions import Policy
from tinhgon.core.dates import today
from tinhgon.plans import progress
from tinhgon.plans import services as plan_services
from tinhgon.plans.constants import AssignmentRole
from tinhgon.plans.models import Assignment
from tinhgon.plans.tests import factories as pf
from tinhgon.reports import services
from tinhgon.reports.documents import report_docx, report_xlsx
from tinhgon.reports.periods import Kind

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports/"
DASHBOARD = "/api/v1/dashboard/"
END = today() - timedelta(days=10)
START = END - timedelta(days=110)


def policy_of(user) -> Policy:
    return Policy(user=user, memberships=list(user.memberships_in_force()))


def report_with_tasks(world):
    """P-A's report for an ad hoc period that ended 10 days ago. Dated tasks due in it: 3 done on time, 1 done late,
    2 past their deadline at the cut-off (one never done, one done only after the cut-off), 2 due on the last day
    (one reported on, one not); a task due after the period (not counted); 2 regular tasks, one reported on in the
    period."""
    unit = world.units["P-A"]
    plan = pf.plan(unit, period_start=START - timedelta(days=30), period_end=END + timedelta(days=200))
    code = iter(range(1, 100))

    def task(deadline=None, completed_on=None, **report):
        t = pf.task(plan, unit, code=str(next(code)), deadline=deadline)
        if completed_on or report:
            a = t.assignments.get()
            plan_services.assignment_report(
                assignment=a, completed_on=completed_on, **{"progress": 100 if completed_on else 0, **report}
            )
        return t

    for _ in range(3):
        task(END - timedelta(days=20), completed_on=END - timedelta(days=30))
    task(START + timedelta(days=10), completed_on=START + timedelta(days=20))
    task(START + timedelta(days=5))
    task(START + timedelta(days=5), completed_on=today())  # after the cut-off: overdue as of it
    task(END, progress=30, report="Đang dự thảo")
    task(END)
    task(END + timedelta(days=1))  # the next period
    reported = task(progress=50, report="Đã niêm yết công khai")
    task()
    in_period = timezone.make_aware(datetime.combine(END - timedelta(days=3), time(10)))
    Assignment.objects.filter(task=reported).update(updated_at=in_period)
    return services.report_create(organisation=unit, kind=Kind.AD_HOC, year=END.year, start=START, end=END)


@pytest.fixture
def report(world):
    return report_with_tasks(world)


def test_the_report_counts_the_tasks_due_in_the_period_by_what_happened_by_the_cut_off(report):
    t = report.figures["tasks"]
    assert (t["due"], t["done"], t["done_on_time"], t["done_late"]) == (8, 4, 3, 1)
    assert (t["overdue"], t["not_due"], t["in_progress"], t["reached"]) == (2, 2, 1, 6)


def test_the_report_gives_each_count_its_share(report):
    t = report.figures["tasks"]
    assert (t["done_pct"], t["done_on_time_pct"], t["done_late_pct"]) == ("66.67", "50.00", "16.67")
    assert (t["overdue_pct"], t["not_due_pct"], t["rounding"]) == ("33.33", "25.00", "half_up")


def test_the_report_counts_regular_tasks_apart_with_those_reported_on_in_the_period(report):
    assert (report.figures["tasks"]["regular"], report.figures["tasks"]["regular_reported"]) == (2, 1)


def _tally(t: dict) -> dict:
    return {r["key"]: (r["n"], r["pct"]) for r in progress.tally_rows(t)}


def test_the_page_the_word_file_the_workbook_and_the_api_give_the_same_task_figures(report, world, login, api):
    expected = _tally(report.figures["tasks"])
    page = login(world.leader_a).get(f"/bao-cao/{report.pk}/")
    assert page.status_code == 200
    assert {r["key"]: (r["n"], r["pct"]) for r in page.context["tables"]["tasks"]} == expected
    assert "Tỷ lệ làm tròn đến 2 chữ số thập phân, làm tròn nửa lên" in page.content.decode()

    response = api(world.leader_a).get(f"{REPORTS}{report.pk}/")
    assert response.status_code == 200, response.json()
    assert _tally(response.json()["figures"]["tasks"]) == expected

    labels = {label: key for key, label, _ in progress.TALLY_ROWS}
    doc = Document(io.BytesIO(report_docx(report, policy_of(world.leader_a))))
    rows = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    printed = {labels[r[1]]: r[2:] for r in rows if len(r) == 4 and r[1] in labels}
    for key, (n, pct) in expected.items():
        assert printed[key] == [str(n), f"{pct.replace('.', ',')}%" if pct is not None else ""], key
    assert any("làm tròn nửa lên" in p.text for p in doc.paragraphs)

    wb = load_workbook(io.BytesIO(report_xlsx(report, policy_of(world.leader_a))))
    cells = {labels[r[1]]: r[2:4] for r in wb["Nhiệm vụ"].iter_rows(values_only=True) if r[1] in labels}
    for key, (n, pct) in expected.items():
        assert cells[key][0] == n, key
        assert cells[key][1] == (pytest.approx(float(Decimal(pct) / 100)) if pct is not None else None), key


def test_the_dashboard_tallies_the_year_to_date_with_the_report_function(world, api):
    unit = world.units["P-A"]
    plan = pf.plan(unit, year=2025)
    pf.task(plan, unit, code="1", deadline=date(2025, 3, 31))
    pf.task(plan, unit, code="2", deadline=date(2025, 11, 30))
    pf.task(plan, unit, code="3")
    data = api(world.focal_a).get(DASHBOARD, {"org": "P-A", "as_of": "2025-06-30"}).json()
    tasks = data["tasks"]["figures"]
    assert (tasks["due"], tasks["overdue"], tasks["not_due"], tasks["regular"]) == (2, 1, 1, 1)
    assert (tasks["overdue_pct"], tasks["not_due_pct"]) == ("100.00", "50.00")
    assert "Tỷ lệ làm tròn" in data["tasks"]["note"]


# A real report, replayed ---------------------------------------------------------------------------------------------


def test_the_2017_government_task_report_is_reproduced(world, api):
    """Báo cáo số 1270/BC-TCTTTg ngày 27/12/2017 của Tổ công tác của Thủ tướng Chính phủ (Văn phòng Chính phủ),
    "Kết quả thực hiện các nhiệm vụ của Chính phủ, Thủ tướng Chính phủ giao và kết quả kiểm tra của Tổ công tác của
    Thủ tướng năm 2017", mục I.1.a (https://thuvienphapluat.vn/van-ban/Bo-may-hanh-chinh/
    Bao-cao-1270-BC-TCTTTg-2017-ket-qua-thuc-hien-nhiem-vu-cua-Chinh-phu-Thu-tuong-Chinh-phu-giao-371983.aspx):
    "Từ ngày 01/01/2017 đến 25/12/2017, có tổng số 21.914 nhiệm vụ … có 16.051 nhiệm vụ đến hạn đã hoàn thành, đạt
    98,62% (đúng hạn: 14.068, quá hạn: 1983); chưa hoàn thành: 5.863 (trong hạn: 5.640, quá hạn: 223), số nhiệm vụ
    quá hạn … chỉ chiếm 1,38%".

    The tasks are entered as the report counts them (its deadlines are not published: the 5.640 still in time are
    due after the cut-off, within the year) and read back through the dashboard API as of 25/12/2017. The counts
    are the report's. Its 98,62% is 16.051 ÷ 16.274 = 98,6297…% cut down, not rounded (half up gives 98,63%):
    TINHGON_SHARE_ROUNDING = "down" reproduces it. Its 1,38% is not a share of its own but 100% − 98,62%; the
    share of 223 in 16.274 is 1,37% under every rule, which is what we print."""
    unit = world.units["P-A"]
    plan = pf.plan(unit, year=2017)
    counts = [  # (deadline, completed on, how many)
        (date(2017, 11, 30), date(2017, 11, 20), 14068),  # done on time
        (date(2017, 9, 30), date(2017, 10, 15), 1983),  # done late
        (date(2017, 10, 31), None, 223),  # not done, past the deadline
        (date(2017, 12, 31), None, 5640),  # not done, in time
    ]
    tasks = [pf.task(plan, unit, code=str(n), deadline=deadline) for n, (deadline, _, _) in enumerate(counts, 1)]
    Assignment.objects.filter(task__plan=plan).delete()
    Assignment.objects.bulk_create(
        [
            Assignment(
                task=task,
                organisation=unit,
                role=AssignmentRole.LEAD,
                due_on=deadline,
                completed_on=completed_on,
                progress=100 if completed_on else 0,
            )
            for task, (deadline, completed_on, n) in zip(tasks, counts, strict=True)
            for _ in range(n)
        ],
        batch_size=2000,
    )

    def figures():
        response = api(world.focal_a).get(DASHBOARD, {"org": "P-A", "as_of": "2017-12-25"})
        assert response.status_code == 200, response.json()
        return response.json()["tasks"]["figures"]

    t = figures()
    assert t["due"] == 21914
    assert (t["done"], t["done_on_time"], t["done_late"]) == (16051, 14068, 1983)
    assert (t["overdue"] + t["not_due"], t["not_due"], t["overdue"]) == (5863, 5640, 223)
    assert (t["done_pct"], t["overdue_pct"]) == ("98.63", "1.37")  # half up, the default
    with override_settings(TINHGON_SHARE_ROUNDING="down"):
        cut = figures()
    assert cut["done_pct"] == "98.62" and cut["rounding"] == "down"  # the report's figure
    assert Decimal(100) - Decimal(cut["done_pct"]) == Decimal("1.38")  # the report's "chiếm 1,38%"


def test_the_dashboard_page_shows_the_api_tally_and_the_rounding_rule(world, login, api):
    unit = world.units["P-A"]
    pf.task(pf.plan(unit, year=2025), unit, code="1", deadline=date(2025, 3, 31))
    page = login(world.focal_a).get("/bao-cao/bang-dieu-khien/", {"org": "P-A", "as_of": "30/06/2025"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="task-tally"' in html and "Tỷ lệ làm tròn đến 2 chữ số thập phân" in html
    data = api(world.focal_a).get(DASHBOARD, {"org": "P-A", "as_of": "2025-06-30"}).json()
    assert page.context["d"]["tasks"]["figures"] == data["tasks"]["figures"]
    assert data["tasks"]["figures"]["overdue"] == 1


def test_the_aggregate_of_accepted_reports_sums_the_tasks_and_computes_their_shares_once(world):
    from tinhgon.reports.models import Report, Status
    from tinhgon.reports.services import ChildReport, aggregate

    new = {"due": 5, "done_on_time": 2, "done_late": 1, "overdue": 1, "not_due": 1, "in_progress": 0, "regular": 3}
    old = {"due": 4, "done_on_time": 1, "done_late": 0, "overdue": 1, "not_due": 1, "in_progress": 1}  # before tallies
    rows = [
        ChildReport(world.units[code], Report(status=Status.ACCEPTED, figures={"tasks": tasks}))
        for code, tasks in (("P-A", new), ("P-B", old))
    ]
    t = aggregate(rows)["tasks"]
    assert (t["due"], t["done"], t["overdue"], t["not_due"], t["regular"]) == (9, 4, 2, 3, 3)
    assert (t["done_pct"], t["overdue_pct"], t["not_due_pct"]) == ("66.67", "33.33", "33.33")
