"""The /ke-hoach/ pages: permissions (right role, outsider 404, wrong role 403), the report round trip, stale saves,
extensions through the pages, the overdue and plan pages in a constant number of queries, indicators, scorecards."""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.tests.factories import OrganisationFactory
from tinhgon.plans import services
from tinhgon.plans.constants import ExecutingRule, ExtensionStatus, Source
from tinhgon.plans.models import Assignment, Evidence, ExtensionRequest, Indicator, Plan, Scorecard, ScoreCriterion
from tinhgon.plans.tests import factories as f
from tinhgon.plans.views import plans_progress
from tinhgon.test import SINCE

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"  # small, but a PDF the upload check accepts


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def setup(world):
    """A department plan (P-A) of this year with task 1 led by P-A, executed by P-A-1, due in 30 days (the plan
    runs 60 days past the deadline, so that the fixture holds in December too)."""
    year = today().year
    end = max(date(year, 12, 31), today() + timedelta(days=90))
    plan = f.plan(world.units["P-A"], title="Kế hoạch CCHC của Sở A", year=year, number="5/KH-SA", period_end=end)
    task = f.task(plan, world.units["P-A"], executing=[world.units["P-A-1"]], deadline=today() + timedelta(days=30))
    mine = task.assignments.get(organisation=world.units["P-A-1"])
    return plan, task, mine


def test_nav_entry_and_every_page_for_the_leader(world, setup, login):
    plan, task, mine = setup
    indicator = Indicator.objects.create(name="Tỷ lệ hồ sơ đúng hạn", target=95, organisation=world.units["P-A"])
    card = Scorecard.objects.create(organisation=world.units["P-A"], year=2025, title="Chỉ số CCHC")
    client = login(world.leader_a)
    home = client.get("/")
    assert 'href="/ke-hoach/"' in text(home) and "Kế hoạch, nhiệm vụ" in text(home)
    urls = [
        reverse("plans:plans"),
        reverse("plans:plan", args=[plan.pk]),
        reverse("plans:plan-edit", args=[plan.pk]),
        reverse("plans:task-add", args=[plan.pk]),
        reverse("plans:task", args=[task.pk]),
        reverse("plans:task-edit", args=[task.pk]),
        reverse("plans:task-delete", args=[task.pk]),
        reverse("plans:assignment", args=[mine.pk]),
        reverse("plans:mine"),
        reverse("plans:overdue"),
        reverse("plans:indicators"),
        reverse("plans:indicator", args=[indicator.pk]),
        reverse("plans:scorecards"),
        reverse("plans:scorecard", args=[card.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    page = text(client.get(reverse("plans:plan", args=[plan.pk])))
    assert task.title in page and "Nhập nhiệm vụ từ Excel" in page and f"/ke-hoach/{plan.pk}/nhap-excel/" in page
    assert "chủ trì 2, thực hiện 1, phối hợp 0" in page


def test_tasks_are_listed_in_the_order_their_numbers_are_read(world, login):
    """Issue 13: tasks entered as 1, 3, 2, 10, 1.2, 1.1 were listed in that order."""
    plan = f.plan(world.units["P-A"], title="Kế hoạch thứ tự")
    for code in ("1", "3", "2", "10", "1.2", "1.1"):
        f.task(plan, world.units["P-A"], code=code, title=f"Nhiệm vụ số {code}")
    page = text(login(world.focal_a).get(reverse("plans:plan", args=[plan.pk])))
    positions = [page.index(f"Nhiệm vụ số {code}<") for code in ("1", "1.1", "1.2", "2", "3", "10")]
    assert positions == sorted(positions)


def test_the_plan_page_names_each_tasks_units_in_name_order_then_its_rule(world, login):
    plan = f.plan(world.units["P"], title="Kế hoạch có đơn vị phối hợp")
    units = world.units
    f.task(
        plan,
        units["P-VP"],
        code="1",
        coordinating=[units["P-B"], units["P-A"]],
        executing=[units["P-X"]],
        executing_rule=ExecutingRule.DEPARTMENTS,
    )
    bare = f.task(plan, units["P-VP"], code="2")
    page = text(login(world.chair_p).get(reverse("plans:plan", args=[plan.pk])))
    assert '<td class="small">Đơn vị P-A; Đơn vị P-B</td>' in page
    assert f'<td class="small">Đơn vị P-X; {ExecutingRule.DEPARTMENTS.label}</td>' in page
    bare_row = page[page.index(f'<tr id="task-{bare.pk}">') :]
    units_cells = re.findall(r'<td class="small">([^<]*)</td>', bare_row)[1:3]  # after the lead: the two lists
    assert units_cells == ["—", "—"]


def test_units_are_named_in_full_not_by_their_abbreviation(world, setup, login):
    plan, _, _ = setup
    Organisation.objects.filter(pk=world.units["P-A-1"].pk).update(short_name="PA1")
    client = login(world.leader_a)
    pages = text(client.get(reverse("plans:plans"))) + text(client.get(reverse("plans:plan", args=[plan.pk])))
    assert world.units["P-A-1"].name in pages and ">PA1<" not in pages


def test_outsider_gets_404(world, setup, login):
    plan, task, mine = setup
    indicator = Indicator.objects.create(name="Chỉ tiêu", target=95, organisation=world.units["P-A"])
    card = Scorecard.objects.create(organisation=world.units["P-A"], year=2025, title="Chỉ số CCHC")
    extension = services.extension_request(assignment=mine, new_due_on=today() + timedelta(days=60), reason="Bận")
    client = login(world.outsider)
    for url in [
        reverse("plans:plan", args=[plan.pk]),
        reverse("plans:plan-edit", args=[plan.pk]),
        reverse("plans:task", args=[task.pk]),
        reverse("plans:task-delete", args=[task.pk]),
        reverse("plans:assignment", args=[mine.pk]),
        reverse("plans:overdue") + "?org=P-A",
        reverse("plans:indicator", args=[indicator.pk]),
        reverse("plans:scorecard", args=[card.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("plans:extension-decide", args=[extension.pk])).status_code == 404
    assert client.post(reverse("plans:assignment", args=[mine.pk]), {"section": "report"}).status_code == 404
    assert client.post(reverse("plans:task-delete", args=[task.pk])).status_code == 404
    for url in [
        reverse("plans:plans"),
        reverse("plans:mine"),
        reverse("plans:indicators"),
        reverse("plans:scorecards"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert plan.title not in text(response) and "Chỉ số CCHC" not in text(response)


def test_wrong_roles_are_refused(world, setup, login):
    plan, task, mine = setup
    extension = services.extension_request(assignment=mine, new_due_on=today() + timedelta(days=60), reason="Bận")
    officer = login(world.officer_a1)
    assert officer.get(reverse("plans:plan", args=[plan.pk])).status_code == 200  # assigned: may read
    assert officer.get(reverse("plans:task-add", args=[plan.pk])).status_code == 403
    assert officer.get(reverse("plans:plan-edit", args=[plan.pk])).status_code == 403
    assert officer.get(reverse("plans:task-edit", args=[task.pk])).status_code == 403
    assert officer.post(reverse("plans:task-delete", args=[task.pk])).status_code == 403
    assert officer.post(reverse("plans:plans"), {"title": "x"}).status_code == 403
    assert officer.post(reverse("plans:plan", args=[plan.pk]), {}).status_code == 403
    assert officer.post(reverse("plans:extension-decide", args=[extension.pk]), {}).status_code == 403
    card = Scorecard.objects.create(organisation=world.units["P-A-1"], year=2025, title="Chỉ số CCHC")
    leaf = ScoreCriterion.objects.create(scorecard=card, code="1", title="Tiêu chí", max_points=10)
    post = {"criterion": leaf.pk, "appraised_score": "5"}
    assert officer.post(reverse("plans:scorecard-appraise", args=[card.pk]), post).status_code == 403
    assert officer.post(reverse("plans:scorecard-copy", args=[card.pk]), {"copy-year": "2026"}).status_code == 403
    oversight = login(world.oversight)
    report = {"section": "report", "report-progress": "50", "report-row_version": str(mine.row_version)}
    assert oversight.post(reverse("plans:assignment", args=[mine.pk]), report).status_code == 403
    assert oversight.post(reverse("plans:indicators"), {"name": "x"}).status_code == 403
    lead = task.assignments.get(organisation=world.units["P-A"])
    head = login(world.head_a1)  # P-A-1's head does not even see P-A's own part of the task
    assert head.post(reverse("plans:assignment", args=[lead.pk]), report).status_code == 404


def test_create_a_plan_implementing_a_parent_task_then_a_task(world, setup, login):
    parent, parent_task, _ = setup
    client = login(world.head_a1)
    year = today().year
    response = client.post(
        reverse("plans:plans"),
        {
            "title": "Kế hoạch của phòng",
            "issuer": world.units["P-A-1"].pk,
            "kind": "other",
            "period_start": f"01/01/{year}",
            "period_end": f"31/12/{year}",
            "parent_task": parent_task.pk,
        },
    )
    child = Plan.objects.get(title="Kế hoạch của phòng")
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan", args=[child.pk])
    assert child.parent_plan_id == parent.pk and child.created_by == world.head_a1
    response = client.post(
        reverse("plans:task-add", args=[child.pk]),
        {"code": "1", "title": "Rà soát", "lead": world.units["P-A-1"].pk, "weight": "1", "deadline": "01/01/1990"},
    )
    assert "Thời hạn nằm" in text(response) and "invalid-feedback" in text(response)  # the service's error, input kept
    assert 'value="Rà soát"' in text(response) or "Rà soát</textarea>" in text(response)
    response = client.post(
        reverse("plans:task-add", args=[child.pk]),
        {"code": "1", "title": "Rà soát", "lead": world.units["P-A-1"].pk, "weight": "1", "deadline": f"30/06/{year}"},
    )
    assert response.status_code == 302
    leader = login(world.leader_a)
    page = text(leader.get(reverse("plans:plan", args=[parent.pk])))
    assert "Kế hoạch của phòng" in page  # the cascade, seen from the parent
    assert "Theo danh sách" not in page
    # Outside the issuer's province, units are not offered.
    form = text(leader.get(reverse("plans:task-add", args=[parent.pk])))
    assert world.units["P-A-1"].name in form and world.units["Q-A"].name not in form


def test_report_round_trip_with_evidence(world, setup, login):
    plan, task, mine = setup
    client = login(world.officer_a1)
    assert f'href="{reverse("plans:assignment", args=[mine.pk])}"' in text(client.get(reverse("plans:mine")))
    url = reverse("plans:assignment", args=[mine.pk])
    seen = mine.row_version
    response = client.post(
        url, {"section": "report", "report-progress": "60", "report-report": "Đã dự thảo", "report-row_version": seen}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.progress, mine.report, mine.row_version) == (60, "Đã dự thảo", seen + 1)
    upload = SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"section": "evidence", "evidence-title": "Báo cáo", "evidence-file": upload})
    assert response.status_code == 302 and Evidence.objects.get(assignment=mine).uploaded_by == world.officer_a1
    page = text(client.get(reverse("plans:task", args=[task.pk])))
    assert "Đã dự thảo" in page and "Báo cáo" in page
    response = client.post(
        url, {"section": "report", "report-progress": "120", "report-report": "x", "report-row_version": seen + 1}
    )
    assert response.status_code == 200 and "invalid-feedback" in text(response)


def test_stale_report_is_refused_and_input_kept(world, setup, login):
    _, _, mine = setup
    seen = mine.row_version
    services.assignment_report(assignment=mine, progress=10, report="Người khác", started_from=seen)
    client = login(world.officer_a1)
    response = client.post(
        reverse("plans:assignment", args=[mine.pk]),
        {"section": "report", "report-progress": "70", "report-report": "Bản của tôi", "report-row_version": seen},
    )
    assert response.status_code == 200
    assert services.STALE in text(response) and "Bản của tôi" in text(response) and 'value="70"' in text(response)
    mine.refresh_from_db()
    assert mine.report == "Người khác"


def test_extension_requested_and_approved_through_the_pages(world, setup, login):
    _, task, mine = setup
    officer = login(world.officer_a1)
    new_due = mine.due_on + timedelta(days=20)
    response = officer.post(
        reverse("plans:assignment", args=[mine.pk]),
        {"section": "extension", "extension-requested_due_on": new_due.strftime("%d/%m/%Y"), "extension-reason": "Chờ"},
    )
    assert response.status_code == 302
    extension = ExtensionRequest.objects.get(assignment=mine)
    leader = login(world.focal_a)
    page = text(leader.get(reverse("plans:task", args=[task.pk])))
    assert reverse("plans:extension-decide", args=[extension.pk]) in page
    response = leader.post(reverse("plans:extension-decide", args=[extension.pk]), {"decide-decision": "refuse"})
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING  # refusing needs a reason
    response = leader.post(reverse("plans:extension-decide", args=[extension.pk]), {"decide-decision": "approve"})
    assert response.status_code == 302
    extension.refresh_from_db()
    mine.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED and mine.due_on == new_due


def test_a_task_entered_by_mistake_is_deleted_after_confirmation(world, setup, login):
    plan, task, _ = setup
    client = login(world.leader_a)
    url = reverse("plans:task-delete", args=[task.pk])
    assert f'href="{url}"' in text(client.get(reverse("plans:task", args=[task.pk])))
    page = text(client.get(url))
    assert task.title in page and "2 lượt phân công" in page and 'id="confirm-delete"' in page
    assert Plan.objects.get(pk=plan.pk).tasks.filter(pk=task.pk).exists()  # GET deletes nothing
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("plans:plan", args=[plan.pk])
    assert f"Đã xóa nhiệm vụ {task.code}" in text(response)
    assert not plan.tasks.exists() and not Assignment.objects.filter(task_id=task.pk).exists()
    assert AuditLogEntry.objects.filter(action="plans.task.deleted").count() >= 1


def test_a_task_with_recorded_work_is_not_deleted(world, setup, login):
    _, task, mine = setup
    services.comment_add(task=task, author=world.officer_a1, text="Đề nghị hướng dẫn")
    mine.progress = 40
    mine.save()
    client = login(world.leader_a)
    url = reverse("plans:task-delete", args=[task.pk])
    page = text(client.get(url))
    assert "Không xóa được nhiệm vụ này" in page and 'id="confirm-delete"' not in page
    assert "báo cáo tiến độ" in page and "ý kiến trao đổi" in page
    response = client.post(url, follow=True)
    assert "Nhiệm vụ đã có ý kiến trao đổi." in text(response)
    assert Assignment.objects.filter(task=task).count() == 2


def test_comments_on_a_task(world, setup, login):
    _, task, _ = setup
    client = login(world.officer_a1)
    url = reverse("plans:task", args=[task.pk])
    assert client.post(url, {"section": "comment", "comment-text": "Đề nghị Sở hướng dẫn"}).status_code == 302
    assert "Đề nghị Sở hướng dẫn" in text(client.get(url))


def _overdue_world(world, n: int, plan=None, start: int = 0):
    plan = plan or f.plan(world.units["P"], title="Kế hoạch tỉnh", period_end=today() + timedelta(days=30))
    units = [world.units["P-A-1"], world.units["P-B"], world.units["P-X"]]
    for i in range(start, start + n):
        due = plan.period_start + timedelta(days=i)
        task = f.task(plan, world.units["P-VP"], code=str(i + 1), deadline=due)
        Assignment.objects.create(task=task, organisation=units[i % 3], role="executing", due_on=due)
    return plan


def test_overdue_page_groups_units_in_constant_queries(world, login):
    plan = _overdue_world(world, 3)
    client = login(world.focal_p)
    url = reverse("plans:overdue")
    few = _count(client, url)
    page = text(client.get(url))
    assert page.count('class="card mb-3 overdue-unit"') == 4  # P-VP leads every task, plus three units
    assert "6 phân công quá hạn tại 4 đơn vị" in page
    _overdue_world(world, 27, plan=plan, start=3)
    assert _count(client, url) == few
    assert "60 phân công quá hạn tại 4 đơn vị" in text(client.get(url))


def test_overdue_units_are_named_with_the_unit_above_and_narrow_to_themselves(world, login):
    _overdue_world(world, 3)
    page = text(login(world.focal_p).get(reverse("plans:overdue")))
    assert 'href="?org=P-A-1"' in page and "· Đơn vị P-A" in page  # the division, named with its department


def test_overdue_counts_are_written_the_vietnamese_way(world, login):
    task = _overdue_world(world, 1).tasks.get()
    Assignment.objects.bulk_create(
        Assignment(task=task, organisation=world.units["P-B"], role="executing", due_on=task.deadline)
        for _ in range(1000)
    )
    page = text(login(world.focal_p).get(reverse("plans:overdue")))
    assert "1.002 phân công quá hạn tại 3 đơn vị" in page


def test_overdue_units_come_a_page_at_a_time_keeping_the_unit_chosen(world, login, monkeypatch):
    from tinhgon.plans import views

    monkeypatch.setattr(views, "UNITS_PER_PAGE", 2)
    _overdue_world(world, 3)
    client = login(world.focal_p)
    first = text(client.get(reverse("plans:overdue"), {"org": "P"}))
    second = text(client.get(reverse("plans:overdue"), {"org": "P", "trang": 2}))
    assert first.count("overdue-unit") == 2 and second.count("overdue-unit") == 2
    assert 'href="?org=P&amp;trang=2"' in first and "4 đơn vị có nhiệm vụ quá hạn · trang 1/2" in first


def test_overdue_below_a_department_only(world, login):
    _overdue_world(world, 3)
    client = login(world.leader_a)
    page = text(client.get(reverse("plans:overdue")))
    assert 'id="unit-P-A-1"' in page and 'id="unit-P-B"' not in page
    assert client.get(reverse("plans:overdue") + "?org=P").status_code == 404


def test_overdue_page_of_a_department_runs_the_same_queries_for_n_and_3n_late_assignments(world, login):
    """Who is late below a department (bench/pages.py overdue_department): the count per unit and the rows of the
    page's units, whatever their number. (A page with nothing late runs one query fewer: no rows to read.)"""
    plan = _overdue_world(world, 6)
    client = login(world.leader_a)
    url = reverse("plans:overdue") + "?org=P-A"
    few = _count(client, url)
    assert "2 phân công quá hạn tại 1 đơn vị" in text(client.get(url))
    _overdue_world(world, 12, plan=plan, start=6)
    assert _count(client, url) == few
    assert "6 phân công quá hạn tại 1 đơn vị" in text(client.get(url))


def test_a_closed_plan_raises_no_overdue_item(world, login):
    plan = _overdue_world(world, 3)
    client = login(world.focal_p)
    assert client.post(reverse("plans:plan-follow", args=[plan.pk]), {"move": "close"}).status_code == 302
    assert "overdue-unit" not in text(client.get(reverse("plans:overdue")))
    client.post(reverse("plans:plan-follow", args=[plan.pk]), {"move": "reopen"})
    assert "overdue-unit" in text(client.get(reverse("plans:overdue")))


def test_closing_twice_is_refused_with_a_message(world, login):
    plan = f.plan(world.units["P-A"], title="Kế hoạch", period_end=today() + timedelta(days=30))
    client = login(world.focal_a)
    client.post(reverse("plans:plan-follow", args=[plan.pk]), {"move": "close"})
    again = text(client.post(reverse("plans:plan-follow", args=[plan.pk]), {"move": "close"}, follow=True))
    assert "Đã kết thúc theo dõi" in again and "alert-danger" in again
    assert AuditLogEntry.objects.for_object(plan).filter(action="plans.plan.closed").count() == 1


def test_only_the_plans_managers_may_close_it(world, login):
    plan = f.plan(world.units["P-A-1"], title="Kế hoạch của phòng", period_end=today() + timedelta(days=30))
    assert (
        login(world.officer_a1).post(reverse("plans:plan-follow", args=[plan.pk]), {"move": "close"}).status_code == 403
    )
    assert (
        login(world.outsider).post(reverse("plans:plan-follow", args=[plan.pk]), {"move": "close"}).status_code == 404
    )


def test_a_plan_entered_after_its_period_is_closed_from_the_start(world):
    plan = f.plan(world.units["P-A"], title="Kế hoạch năm trước", year=today().year - 1)
    assert plan.status == "closed" and plan.closed_on == today()


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_plan_page_and_list_in_constant_queries(world, login):
    plan = f.plan(world.units["P"], title="Kế hoạch tỉnh")
    f.task(plan, world.units["P-VP"], executing=[world.units["P-A"]], coordinating=[world.units["P-B"]])
    f.plan(world.units["P-A"], title="Kế hoạch con 1", parent_plan=plan)  # the same depth in both counts
    client = login(world.focal_p)
    small_plan, small_list = _count(client, reverse("plans:plan", args=[plan.pk])), _count(client, "/ke-hoach/")
    for i in range(2, 12):
        f.task(plan, world.units["P-VP"], code=str(i), executing=[world.units["P-A"], world.units["P-X"]])
        f.plan(world.units["P-A"], title=f"Kế hoạch con {i}", parent_plan=plan)
    assert _count(client, reverse("plans:plan", args=[plan.pk])) == small_plan
    assert _count(client, "/ke-hoach/") == small_list


def test_list_progress_matches_the_cascade(world, setup):
    from tinhgon.plans import progress

    plan, task, mine = setup
    services.assignment_report(assignment=mine, progress=60)
    child = f.plan(world.units["P-A-1"], title="Con", parent_task=task)
    f.task(child, world.units["P-A-1"], deadline=today() + timedelta(days=5))
    services.assignment_report(assignment=child.tasks.get().assignments.get(), progress=90)
    whole = f.plan(world.units["P-A-1"], title="Cả kế hoạch", parent_plan=plan)
    services.assignment_report(
        assignment=f.task(whole, world.units["P-A-1"], deadline=today()).assignments.get(), progress=30
    )
    figures = plans_progress([plan, child])
    assert figures[plan.pk] == progress.cascade(plan).plan_progress[plan.pk] and figures[plan.pk] > 0
    assert figures[child.pk] == Decimal("90.0")


def test_leader_sees_units_below_in_my_assignments(world, setup, login):
    _, task, mine = setup
    lead = task.assignments.get(organisation=world.units["P-A"])
    leader = text(login(world.leader_a).get(reverse("plans:mine")))
    assert f"assignment-{mine.pk}" in leader and f"assignment-{lead.pk}" in leader
    officer = text(login(world.officer_a1).get(reverse("plans:mine")))
    assert f"assignment-{mine.pk}" in officer and f"assignment-{lead.pk}" not in officer


def test_indicators_manual_entry_refresh_and_creation(world, login):
    manual = Indicator.objects.create(name="Hồ sơ trễ", target=5, direction="lte", organisation=world.units["P-A"])
    computed = Indicator.objects.create(
        name="Đúng hạn", target=90, organisation=world.units["P-A"], source=Source.ON_TIME_TASK_RATE
    )
    client = login(world.focal_a)
    period = f"{today().year}-01-01"
    upload = SimpleUploadedFile("mc.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("plans:indicator", args=[manual.pk]),
        {"section": "value", "value-period": period, "value-value": "3", "value-evidence": upload},
    )
    assert response.status_code == 302
    value = manual.values.get()
    assert value.value == 3 and value.entered_by.username == "focal_a" and value.evidence
    assert "Đạt" in text(client.get(reverse("plans:indicators")))
    assert client.post(reverse("plans:indicator", args=[computed.pk]), {"section": "refresh"}).status_code == 302
    assert computed.values.exists()
    response = client.post(
        reverse("plans:indicators"),
        {
            "name": "Chỉ tiêu mới",
            "organisation": world.units["P-A"].pk,
            "unit": "%",
            "direction": "gte",
            "target": "80",
            "period": "yearly",
            "source": "manual",
        },
    )
    assert response.status_code == 302 and Indicator.objects.filter(name="Chỉ tiêu mới").exists()


def test_scorecard_self_score_appraisal_and_copy(world, login):
    card = Scorecard.objects.create(organisation=world.units["P-A"], year=2025, title="Chỉ số CCHC")
    root = ScoreCriterion.objects.create(scorecard=card, code="1", title="Công tác chỉ đạo", max_points=20)
    leaf = ScoreCriterion.objects.create(scorecard=card, parent=root, code="1.1", title="Kế hoạch", max_points=20)
    url = reverse("plans:scorecard", args=[card.pk])
    self_assess = reverse("plans:scorecard-self-assess", args=[card.pk])
    officer = login(world.focal_a)
    page = text(officer.get(url))
    assert f'action="{self_assess}"' in page and reverse("plans:scorecard-appraise", args=[card.pk]) not in page
    post = {"criterion": leaf.pk, "self_score": "18", "evidence": "KH số 5"}
    assert officer.post(self_assess, post).status_code == 302
    post = {"criterion": leaf.pk, "self_score": "25", "evidence": ""}
    assert "Điểm phải từ 0 đến 20" in text(officer.post(self_assess, post, follow=True))
    oversight = login(world.oversight)
    post = {"criterion": leaf.pk, "appraised_score": "19", "note": ""}
    assert oversight.post(reverse("plans:scorecard-appraise", args=[card.pk]), post).status_code == 302
    page = text(oversight.get(url))
    assert '<strong id="band">Xuất sắc</strong>' in page  # 19 of 20 points is 95 % of the maximum
    leaf.refresh_from_db()
    assert (leaf.self_score, leaf.appraised_score) == (18, 19)
    response = login(world.focal_a).post(reverse("plans:scorecard-copy", args=[card.pk]), {"copy-year": "2026"})
    assert response.status_code == 302 and Scorecard.objects.get(year=2026).criteria.count() == 2


def test_task_units_are_current_units_of_the_province(world, login):
    gone = OrganisationFactory(
        code="P-OLD",
        name="Đơn vị đã giải thể",
        kind=Organisation.Kind.DEPARTMENT,
        parent=world.units["P"],
        valid_from=SINCE,
        valid_to=today() - timedelta(days=1),
    )
    plan = f.plan(world.units["P"])
    page = text(login(world.focal_p).get(reverse("plans:task-add", args=[plan.pk])))
    assert world.units["P-X"].name in page and gone.name not in page


def task_post(world, **extra) -> dict:
    return {"code": "9", "title": "Niêm yết thủ tục", "lead": world.units["P-VP"].pk, "weight": "1", **extra}


def test_the_executing_picker_offers_the_plans_rules_before_the_units(world, login):
    plan = f.plan(world.units["P"])
    page = text(login(world.focal_p).get(reverse("plans:task-add", args=[plan.pk])))
    picker = page[page.index('name="executing"') :]
    rules = picker.index('value="rule:departments"'), picker.index('value="rule:communes"')
    assert max(rules) < picker.index(f'value="{world.units["P-X"].pk}"')


def test_choosing_departments_and_communes_in_the_picker_stores_the_combined_rule(world, login):
    plan = f.plan(world.units["P"])
    executing = ["rule:departments", "rule:communes", str(world.units["P-X"].pk)]
    response = login(world.focal_p).post(
        reverse("plans:task-add", args=[plan.pk]), task_post(world, executing=executing)
    )
    task = plan.tasks.get(code="9")
    assert response.status_code == 302 and task.executing_rule == "departments_and_communes"
    assert list(task.executing.all()) == [world.units["P-X"]]


def test_a_rule_and_divisions_together_are_refused_with_the_input_kept(world, login):
    plan = f.plan(world.units["P"])
    response = login(world.focal_p).post(
        reverse("plans:task-add", args=[plan.pk]), task_post(world, executing=["rule:divisions", "rule:communes"])
    )
    assert "Chỉ chọn được một quy tắc" in text(response) and not plan.tasks.filter(code="9").exists()
    assert 'value="rule:communes" selected' in text(response)


def test_a_task_stored_with_a_rule_shows_it_chosen_in_the_picker(world, login):
    plan = f.plan(world.units["P"])
    task = f.task(plan, world.units["P-VP"], executing_rule="departments_and_communes")
    page = text(login(world.focal_p).get(reverse("plans:task-edit", args=[task.pk])))
    assert 'value="rule:departments" selected' in page and 'value="rule:communes" selected' in page
    assert 'value="rule:divisions">' in page


def test_an_unknown_rule_is_refused_without_a_server_error(world, login):
    plan = f.plan(world.units["P"])
    response = login(world.focal_p).post(
        reverse("plans:task-add", args=[plan.pk]), task_post(world, executing=["rule:<script>"])
    )
    assert response.status_code == 200 and "Chỉ chọn được một quy tắc" in text(response)
