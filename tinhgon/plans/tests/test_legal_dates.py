"""Task completions and extension decisions carry the day they happened (core.dates.legal_date), and figures as of a
past day read those days: a part completed after the day was still open on it."""

import io
from datetime import date, timedelta

from django.core.exceptions import ValidationError

import pytest
from openpyxl import Workbook

from tinhgon.core.dates import today
from tinhgon.plans import services
from tinhgon.plans.constants import PlanStatus, StatusClass
from tinhgon.plans.excel_import import import_tasks
from tinhgon.plans.models import Assignment, Plan
from tinhgon.plans.tests import factories as f

pytestmark = pytest.mark.django_db

ASSIGNMENTS = "/api/v1/assignments/"


@pytest.fixture
def part(world):
    """P-A-1's part of a task of P-A's 2023 plan (issued 05/01/2023), due 30/06/2023."""
    plan = f.plan(world.units["P-A"], year=2023, title="Kế hoạch cải cách hành chính năm 2023")
    task = f.task(plan, world.units["P-A"], executing=[world.units["P-A-1"]], deadline=date(2023, 6, 30))
    return task.assignments.get(organisation=world.units["P-A-1"])


def test_a_part_is_completed_on_the_past_day_given(part):
    services.assignment_report(assignment=part, progress=100, report="Đã ban hành", completed_on=date(2023, 6, 28))
    part.refresh_from_db()
    assert (part.completed_on, part.status_class()) == (date(2023, 6, 28), StatusClass.DONE_ON_TIME)


def test_a_completion_before_the_plan_was_issued_is_refused(part):
    with pytest.raises(ValidationError) as refused:
        services.assignment_report(assignment=part, progress=100, completed_on=date(2023, 1, 4))
    assert refused.value.message_dict["completed_on"] == [
        "Ngày hoàn thành (04/01/2023) không thể trước ngày ban hành kế hoạch 12/KH-UBND (05/01/2023)."
    ]


def test_a_completion_in_the_future_is_refused(part):
    with pytest.raises(ValidationError, match="không thể sau ngày hôm nay"):
        services.assignment_report(assignment=part, progress=100, completed_on=today() + timedelta(days=1))


def test_a_completion_before_the_unit_existed_is_refused(world, part):
    unit = part.organisation
    unit.valid_from = date(2023, 3, 1)
    with pytest.raises(ValidationError, match=r"trước ngày Đơn vị P-A-1 bắt đầu hoạt động \(01/03/2023\)"):
        services.assignment_report(assignment=part, progress=100, completed_on=date(2023, 2, 28))


def test_a_completion_kept_as_it_was_is_not_judged_again(part):
    """A report edited later keeps the day entered then, even if a rule came after it."""
    Assignment.objects.filter(pk=part.pk).update(completed_on=date(2023, 1, 2), progress=100)
    part.refresh_from_db()
    services.assignment_report(assignment=part, progress=100, report="Bổ sung", completed_on=date(2023, 1, 2))
    part.refresh_from_db()
    assert part.report == "Bổ sung"


def test_a_part_completed_after_a_day_was_overdue_on_that_day(part):
    services.assignment_report(assignment=part, progress=100, completed_on=date(2023, 7, 10))
    Plan.objects.filter(pk=part.task.plan_id).update(status=PlanStatus.OPEN)  # a past plan is entered closed
    part.refresh_from_db()
    assert part.status_class(date(2023, 7, 5)) == StatusClass.OVERDUE
    assert part.status_class(date(2023, 7, 10)) == StatusClass.DONE_LATE
    mine = Assignment.objects.filter(pk=part.pk)
    assert mine.overdue(date(2023, 7, 5)).exists() and not mine.overdue(date(2023, 7, 10)).exists()
    assert mine.of_status(StatusClass.OVERDUE, date(2023, 7, 5)).exists()
    assert mine.of_status(StatusClass.DONE_LATE, date(2023, 7, 10)).exists()
    assert not mine.of_status(StatusClass.DONE_LATE, date(2023, 7, 5)).exists()


# Extension decisions -----------------------------------------------------------------------------------------------


@pytest.fixture
def asked(part):
    services.extension_request(assignment=part, new_due_on=date(2023, 7, 31), reason="Chờ ý kiến các sở")
    return part


def test_the_api_records_an_extension_decided_on_a_past_day(api, world, asked):
    url = f"{ASSIGNMENTS}{asked.pk}/extension/approve/"
    response = api(world.focal_a).post(url, {"note": "Đồng ý", "on": "2023-06-25"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["decided_on"]) == ("approved", "2023-06-25")


def test_an_extension_decided_without_a_day_is_decided_today(world, asked):
    extension = asked.extension_requests.get()
    extension.refuse("Không đủ căn cứ", by=world.focal_a)
    extension.refresh_from_db()
    assert extension.decided_on == today()


def test_an_extension_decision_before_the_plan_was_issued_is_refused(api, world, asked):
    url = f"{ASSIGNMENTS}{asked.pk}/extension/refuse/"
    response = api(world.focal_a).post(url, {"note": "Không", "on": "2022-12-31"}, format="json")
    assert response.status_code == 400
    assert response.json()["on"] == [
        "Ngày quyết định gia hạn (31/12/2022) không thể trước ngày ban hành kế hoạch (05/01/2023)."
    ]
    assert asked.extension_requests.get().status == "pending"


# History in bulk: the task import's completion column --------------------------------------------------------------


def workbook(*rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(["STT", "Nhiệm vụ", "Chủ trì", "Thực hiện", "Thời gian", "Ngày hoàn thành"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


@pytest.fixture
def last_year(world):
    year = today().year - 1
    return f.plan(world.units["P-A"], year=year, title=f"Kế hoạch cải cách hành chính năm {year}")


def test_the_task_import_enters_each_unit_completed_on_the_day_of_its_row(world, last_year):
    year = last_year.period_start.year
    done = workbook(["1", "Rà soát thủ tục nội bộ", "Đơn vị P-A", "Đơn vị P-A-1", f"30/06/{year}", f"28/06/{year}"])
    result = import_tasks(done, plan=last_year)
    assert result.ok, [str(e) for e in result.errors]
    parts = Assignment.objects.filter(task__plan=last_year)
    assert sorted(parts.values_list("completed_on", flat=True)) == [date(year, 6, 28)] * 2
    assert {a.status_class() for a in parts} == {StatusClass.DONE_ON_TIME}


def test_the_task_import_refuses_a_completion_before_the_plan_was_issued(world, last_year):
    year = last_year.period_start.year
    early = workbook(["1", "Rà soát thủ tục nội bộ", "Đơn vị P-A", "", f"30/06/{year}", f"04/01/{year}"])
    result = import_tasks(early, plan=last_year)
    [error] = [str(e) for e in result.errors]
    assert error.startswith("Dòng 2, cột ") and error.endswith(
        f"(Ngày hoàn thành): Ngày hoàn thành (04/01/{year}) không thể trước ngày ban hành kế hoạch (05/01/{year})."
    )
    assert not last_year.tasks.exists()
