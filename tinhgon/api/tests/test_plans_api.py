from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tinhgon.core.dates import today
from tinhgon.plans import services
from tinhgon.plans.constants import Source
from tinhgon.plans.models import Assignment, Indicator
from tinhgon.plans.tests import factories as f

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/plans/"
TASKS = "/api/v1/tasks/"
ASSIGNMENTS = "/api/v1/assignments/"
OVERDUE = "/api/v1/overdue/"
INDICATORS = "/api/v1/indicators/"


def window(**fields):
    """A plan period around today, so that deadlines before and after today both fit in it."""
    return {"period_start": today() - timedelta(days=365), "period_end": today() + timedelta(days=365), **fields}


def plan_of(world, code="P", **fields):
    return f.plan(world.units[code], **window(**fields))


def task_for(plan, lead, code="1", **fields):
    return f.task(plan, lead, code=code, **fields)


def assignment(task, code, world):
    return task.assignments.get(organisation=world.units[code])


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, response.json()
    return len(captured)


# Plans ------------------------------------------------------------------------------------------------------------


def test_plans_are_issued_by_managers_of_the_issuer(api, world):
    body = {
        "number": "15/KH-UBND",
        "issued_on": "2026-01-05",
        "issuer": "P",
        "title": "Kế hoạch cải cách hành chính năm 2026",
        "kind": "reform_annual",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
    }
    created = api(world.focal_p).post(PLANS, body, format="json")
    assert created.status_code == 201, created.json()
    plan = created.json()
    assert plan["issuer"] == "P" and plan["kind"] == "reform_annual"
    assert plan["progress"] == "0.0" and plan["child_plans"] == []
    assert api(world.officer_a1).post(PLANS, body, format="json").status_code == 403  # wrong role
    assert api(world.head_a1).post(PLANS, body, format="json").status_code == 403  # unit head: own unit only
    assert api(world.outsider).post(PLANS, body, format="json").status_code == 403
    child = {**body, "issuer": "P-A", "title": "Kế hoạch của sở", "parent_plan": plan["id"]}
    assert api(world.focal_p).post(PLANS, child, format="json").status_code == 201
    own = {**body, "issuer": "P-A-1", "title": "Kế hoạch của phòng"}
    assert api(world.head_a1).post(PLANS, own, format="json").status_code == 201  # its own unit
    hidden = api(world.head_a1).post(PLANS, {**own, "parent_plan": plan["id"]}, format="json")
    assert hidden.status_code == 400 and "parent_plan" in hidden.json()  # P's plan assigns nothing to P-A-1
    assert api(world.focal_p).get(f"{PLANS}{plan['id']}/").json()["child_plans"] != []
    backwards = api(world.focal_p).post(PLANS, {**body, "period_end": "2025-12-31"}, format="json")
    assert backwards.status_code == 400 and "sau ngày bắt đầu" in backwards.json()["period_end"][0]
    bad_kind = api(world.focal_p).post(PLANS, {**body, "kind": "x"}, format="json")
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()


def test_a_plan_under_an_invisible_parent_is_refused(api, world):
    theirs = f.plan(world.units["Q"])
    body = {"issuer": "Q-A", "title": "X", "period_start": "2026-01-01", "period_end": "2026-12-31"}
    response = api(world.focal_p).post(PLANS, {**body, "issuer": "P", "parent_plan": theirs.pk}, format="json")
    assert response.status_code == 400 and "parent_plan" in response.json()


def test_plans_are_listed_within_scope_with_progress(api, world):
    province = plan_of(world)
    task = task_for(province, world.units["P-VP"], executing=[world.units["P-A-1"]], deadline=today())
    plan_of(world, "P-B", title="Kế hoạch sở B")
    services.assignment_report(assignment=assignment(task, "P-A-1", world), progress=60)
    assert api(world.focal_p).get(PLANS).json()["count"] == 2
    listed = api(world.officer_a1).get(PLANS).json()  # sees P's plan through its assignment only
    assert [p["id"] for p in listed["results"]] == [province.pk]
    assert listed["results"][0]["progress"] == "20.0"  # lead 0 × 2, executing 60 × 1
    assert api(world.outsider).get(PLANS).json()["count"] == 0
    assert api(world.outsider).get(f"{PLANS}{province.pk}/").status_code == 404
    assert api(world.focal_p).get(PLANS, {"issuer": "P-B"}).json()["count"] == 1


def test_plan_list_takes_a_constant_number_of_queries(api, world):
    client = api(world.focal_p)
    first = plan_of(world)
    task_for(first, world.units["P-A"], deadline=today())
    few = queries(lambda: client.get(PLANS))
    for n in range(4):
        more = plan_of(world, title=f"Kế hoạch {n}", parent_plan=first)
        task_for(more, world.units["P-B"], executing=[world.units["P-X"]], deadline=today())
    assert queries(lambda: client.get(PLANS)) <= few + 1  # one more level of depth below the first plan


# Tasks ------------------------------------------------------------------------------------------------------------


def test_tasks_are_set_by_managers_of_the_plan_issuer(api, world):
    plan = plan_of(world)
    body = {
        "plan": plan.pk,
        "code": "1",
        "title": "Rà soát thủ tục nội bộ",
        "lead": "P-VP",
        "coordinating": ["P-A"],
        "executing": ["P-B", "P-X"],
        "deadline": str(today() + timedelta(days=30)),
        "product": "Báo cáo",
    }
    created = api(world.focal_p).post(TASKS, body, format="json")
    assert created.status_code == 201, created.json()
    task = created.json()
    assert task["status_class"] == "not_due" and task["progress"] == "0.0" and len(task["assignments"]) == 4
    assert sorted(task["executing"]) == ["P-B", "P-X"] and task["coordinating"] == ["P-A"]
    assert api(world.oversight).post(TASKS, {**body, "code": "2"}, format="json").status_code == 403  # wrong role
    assert api(world.outsider).post(TASKS, {**body, "code": "2"}, format="json").status_code == 403  # no manager
    unseen = api(world.outsider_admin).post(TASKS, {**body, "code": "2"}, format="json")
    assert unseen.status_code == 400 and "plan" in unseen.json()  # P's plan is not among those Q's admin sees
    again = api(world.focal_p).post(TASKS, body, format="json")
    assert again.status_code == 400 and "đã có nhiệm vụ số 1" in again.json()["code"][0]
    recurring = {**body, "code": "3", "deadline": None, "recurrence": "quarterly", "recurrence_day": 15}
    response = api(world.focal_p).post(TASKS, recurring, format="json")
    assert response.status_code == 201, response.json()
    assert len(response.json()["assignments"]) % 4 == 0 and len(response.json()["assignments"]) >= 8
    early = {**body, "code": "4", "deadline": str(plan.period_start - timedelta(days=1))}
    assert "deadline" in api(world.focal_p).post(TASKS, early, format="json").json()


def test_a_task_is_deleted_by_managers_until_work_is_recorded_on_it(api, world):
    plan = plan_of(world)
    task = task_for(plan, world.units["P-VP"], executing=[world.units["P-B"]], deadline=today() + timedelta(days=9))
    url = f"{TASKS}{task.pk}/"
    assert api(world.oversight).delete(url).status_code == 403  # wrong role
    assert api(world.outsider).delete(url).status_code == 404
    services.comment_add(task=task, author=world.focal_p, text="Giao nhầm đơn vị?")
    refused = api(world.focal_p).delete(url)
    assert refused.status_code == 400 and "Nhiệm vụ đã có ý kiến trao đổi." in str(refused.json())
    task.comments.all().delete()
    assert api(world.focal_p).delete(url).status_code == 204
    assert not plan.tasks.exists() and not Assignment.objects.filter(task_id=task.pk).exists()


def test_task_status_and_progress_follow_assignments_and_implementing_plans(api, world):
    plan = plan_of(world)
    late = task_for(plan, world.units["P-A"], code="1", deadline=today() - timedelta(days=1))
    done = task_for(plan, world.units["P-B"], code="2", deadline=today())
    services.assignment_report(assignment=assignment(done, "P-B", world), progress=100, completed_on=today())
    cascaded = task_for(plan, world.units["P-A"], code="3", deadline=today() + timedelta(days=10))
    below = plan_of(world, "P-A", title="Kế hoạch của sở A", parent_task=cascaded)
    part = task_for(below, world.units["P-A-1"], deadline=today() + timedelta(days=5))
    services.assignment_report(assignment=assignment(part, "P-A-1", world), progress=50)
    rows = {t["code"]: t for t in api(world.focal_p).get(TASKS, {"plan": plan.pk}).json()["results"]}
    assert rows["1"]["status_class"] == "overdue"
    assert rows["2"]["status_class"] == "done_on_time" and rows["2"]["progress"] == "100.0"
    assert rows["3"]["progress"] == "50.0"  # P-A's own plan for the task is half done
    assert api(world.focal_p).get(f"{TASKS}{cascaded.pk}/").json()["progress"] == "50.0"
    assert api(world.outsider).get(TASKS).json()["count"] == 0
    assert api(world.outsider).get(f"{TASKS}{late.pk}/").status_code == 404
    # P-A-1 reads its department's plan, and the provincial plan in which P-A leads tasks (issue 13)
    seen = {t["id"] for t in api(world.officer_a1).get(TASKS).json()["results"]}
    assert seen == {part.pk, late.pk, done.pk, cascaded.pk}


def test_task_list_takes_a_constant_number_of_queries(api, world):
    client = api(world.focal_p)
    plan = plan_of(world)
    task_for(plan, world.units["P-A"], code="0", executing=[world.units["P-B"]], deadline=today())
    few = queries(lambda: client.get(TASKS))
    for n in range(1, 6):
        other = plan_of(world, title=f"Kế hoạch {n}")
        task_for(other, world.units["P-A"], code=str(n), executing=[world.units["P-X"]], deadline=today())
    assert queries(lambda: client.get(TASKS)) == few


# Assignments ------------------------------------------------------------------------------------------------------


def test_a_unit_reports_progress_with_an_optimistic_lock(api, world):
    task = task_for(plan_of(world), world.units["P-A"], executing=[world.units["P-A-1"]], deadline=today())
    mine = assignment(task, "P-A-1", world)
    url = f"{ASSIGNMENTS}{mine.pk}/"
    seen = mine.row_version
    saved = api(world.officer_a1).patch(url, {"progress": 40, "report": "Đã rà soát 4/10", "row_version": seen})
    assert saved.status_code == 200, saved.json()
    assert saved.json()["status_class"] == "in_progress" and saved.json()["row_version"] == seen + 1
    stale = api(world.head_a1).patch(url, {"progress": 50, "row_version": seen}, format="json")
    assert stale.status_code == 409
    assert "người khác cập nhật" in stale.json()["detail"] and stale.json()["row_version"] == seen + 1
    done = api(world.head_a1).patch(url, {"completed_on": str(today()), "row_version": seen + 1}, format="json")
    assert done.json()["progress"] == 100 and done.json()["status_class"] == "done_on_time"
    assert done.json()["report"] == "Đã rà soát 4/10"  # kept when not sent
    tomorrow = {"completed_on": str(today() + timedelta(days=1)), "row_version": seen + 2}
    future = api(world.head_a1).patch(url, tomorrow, format="json")
    assert future.status_code == 400 and "completed_on" in future.json()
    assert api(world.oversight).patch(url, {"progress": 10}, format="json").status_code == 403  # wrong role
    lead = assignment(task, "P-A", world)
    assert api(world.officer_a1).patch(f"{ASSIGNMENTS}{lead.pk}/", {"progress": 10}).status_code == 404
    assert api(world.outsider).patch(url, {"progress": 10}, format="json").status_code == 404


def test_assignments_are_listed_within_scope_and_filtered(api, world):
    plan = plan_of(world)
    late = task_for(plan, world.units["P-A"], code="1", executing=[world.units["P-A-1"]], deadline=today() - D1)
    soon = task_for(plan, world.units["P-B"], code="2", executing=[world.units["P-A-1"]], deadline=today() + D1)
    services.assignment_report(assignment=assignment(soon, "P-B", world), progress=30)
    client = api(world.focal_p)
    assert client.get(ASSIGNMENTS).json()["count"] == 4
    assert client.get(ASSIGNMENTS, {"task": late.pk}).json()["count"] == 2
    assert client.get(ASSIGNMENTS, {"task": "x"}).status_code == 400
    assert client.get(ASSIGNMENTS, {"organisation": "P-A-1"}).json()["count"] == 2
    by_status = {s: client.get(ASSIGNMENTS, {"status_class": s}).json()["count"] for s in ("overdue", "in_progress")}
    assert by_status == {"overdue": 2, "in_progress": 1}
    assert client.get(ASSIGNMENTS, {"status_class": "not_due"}).json()["results"][0]["organisation"] == "P-A-1"
    assert api(world.officer_a1).get(ASSIGNMENTS).json()["count"] == 2
    assert api(world.outsider).get(ASSIGNMENTS).json()["count"] == 0


def test_a_unit_asks_for_an_extension(api, world):
    task = task_for(plan_of(world), world.units["P-A-1"], deadline=today())
    mine = assignment(task, "P-A-1", world)
    url = f"{ASSIGNMENTS}{mine.pk}/extension/"
    body = {"requested_due_on": str(today() + timedelta(days=30)), "reason": "Chờ ý kiến của Sở Tư pháp"}
    assert api(world.oversight).post(url, body, format="json").status_code == 403  # wrong role
    assert api(world.outsider).post(url, body, format="json").status_code == 404
    created = api(world.officer_a1).post(url, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "pending" and created.json()["requested_by"] == "officer_a1"
    again = api(world.officer_a1).post(url, body, format="json")
    assert again.status_code == 400 and "đang chờ xem xét" in str(again.json())
    earlier = api(world.head_a1).post(url, {**body, "requested_due_on": str(today())}, format="json")
    assert earlier.status_code == 400


D1 = timedelta(days=1)


# Overdue ----------------------------------------------------------------------------------------------------------


def test_overdue_assignments_are_grouped_by_unit_in_constant_queries(api, world):
    plan = plan_of(world)
    task_for(plan, world.units["P-A"], code="1", executing=[world.units["P-A-1"]], deadline=today() - D1)
    task_for(plan, world.units["P-A"], code="2", deadline=today() - timedelta(days=10))
    task_for(plan, world.units["P-B"], code="3", deadline=today())  # due today: not overdue
    client = api(world.focal_p)
    answer = client.get(OVERDUE, {"org": "P"}).json()
    groups = answer["results"]
    assert answer["count"] == 2  # units
    assert [(g["organisation"], g["count"]) for g in groups] == [("P-A", 2), ("P-A-1", 1)]
    assert groups[0]["assignments"][0]["status_class"] == "overdue"
    assert [g["organisation"] for g in client.get(OVERDUE, {"org": "P-A-1"}).json()["results"]] == ["P-A-1"]
    assert [g["organisation"] for g in api(world.officer_a1).get(OVERDUE).json()["results"]] == ["P-A-1"]  # acting
    few = queries(lambda: client.get(OVERDUE, {"org": "P"}))
    for n in range(4, 8):
        task_for(plan, world.units["P-X"], code=str(n), executing=[world.units["P-B"]], deadline=today() - D1)
    assert queries(lambda: client.get(OVERDUE, {"org": "P"})) == few
    most_first = [(g["organisation"], g["count"]) for g in client.get(OVERDUE, {"org": "P"}).json()["results"]]
    assert most_first == [("P-B", 4), ("P-X", 4), ("P-A", 2), ("P-A-1", 1)]
    assert api(world.officer_a1).get(OVERDUE, {"org": "P"}).status_code == 404  # above the officer's unit
    assert api(world.outsider).get(OVERDUE, {"org": "P"}).status_code == 404
    assert client.get(OVERDUE, {"org": "nope"}).status_code == 404


# Indicators -------------------------------------------------------------------------------------------------------


INDICATOR = {
    "name": "Tỷ lệ thủ tục nội bộ được đơn giản hóa",
    "unit": "%",
    "direction": "gte",
    "target": "80",
    "period": "yearly",
    "organisation": "P",
    "source": "manual",
}


def test_indicators_are_set_by_managers_and_listed_within_scope(api, world):
    created = api(world.focal_p).post(INDICATORS, INDICATOR, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["organisation"] == "P" and created.json()["target"] == "80.00"
    assert api(world.officer_a1).post(INDICATORS, INDICATOR, format="json").status_code == 403  # wrong role
    assert api(world.outsider).post(INDICATORS, INDICATOR, format="json").status_code == 403
    assert api(world.focal_p).post(INDICATORS, {**INDICATOR, "source": "x"}, format="json").status_code == 400
    assert api(world.oversight).get(INDICATORS).json()["count"] == 1
    assert api(world.outsider).get(INDICATORS).json()["count"] == 0
    assert api(world.outsider).get(f"{INDICATORS}{created.json()['id']}/").status_code == 404


def test_manual_indicator_values_are_entered_for_one_period(api, world):
    indicator = Indicator.objects.create(
        name="Tỷ lệ", target=80, organisation=world.units["P-A-1"], period="half_yearly", source=Source.MANUAL
    )
    url = f"{INDICATORS}{indicator.pk}/values/"
    year = today().year
    first_half = {"period_start": f"{year}-01-01", "value": "85", "note": "Theo báo cáo quý"}
    assert api(world.oversight).post(url, first_half, format="json").status_code == 403  # wrong role
    assert api(world.outsider).post(url, first_half, format="json").status_code == 404
    entered = api(world.officer_a1).post(url, first_half, format="json")
    assert entered.status_code == 201, entered.json()
    assert entered.json()["status"] == "met" and entered.json()["period_label"] == f"6 tháng đầu năm {year}"
    assert entered.json()["entered_by"] == "officer_a1"
    low = api(world.officer_a1).post(url, {**first_half, "value": "50"}, format="json").json()
    assert low["status"] == ("missed" if today() > date(year, 6, 30) else "at_risk")
    odd = api(world.officer_a1).post(url, {**first_half, "period_start": f"{year}-02-01"}, format="json")
    assert odd.status_code == 400 and "ngày đầu một kỳ" in odd.json()["period_start"][0]
    too_much = api(world.officer_a1).post(url, {**first_half, "value": "120"}, format="json")
    assert too_much.status_code == 400 and "value" in too_much.json()
    values = api(world.oversight).get(url).json()
    assert [v["value"] for v in values] == ["50.00"]
    assert api(world.outsider).get(url).status_code == 404


def test_computed_indicator_values_are_refreshed(api, world):
    indicator = Indicator.objects.create(
        name="Tỷ lệ nhiệm vụ đúng hạn", target=90, organisation=world.units["P"], source=Source.ON_TIME_TASK_RATE
    )
    task = task_for(plan_of(world), world.units["P-A"], deadline=today() - D1)
    Assignment.objects.filter(task=task).update(completed_on=today() - timedelta(days=2), progress=100)
    url = f"{INDICATORS}{indicator.pk}/values/"
    assert api(world.officer_a1).post(url).status_code == 404  # P's indicator is above the officer's unit
    assert api(world.oversight).post(url).status_code == 403
    refreshed = api(world.focal_p).post(url)
    assert refreshed.status_code == 200, refreshed.json()
    assert refreshed.json()[-1]["value"] == "100.00" and refreshed.json()[-1]["computed"] is True
    assert refreshed.json()[-1]["status"] == "met"


# Visibility: one rule with the pages -------------------------------------------------------------------------------


@pytest.fixture
def shared(world):
    """A provincial plan whose task is executed by P-A-1 and P-B (P-B has reported)."""
    plan = plan_of(world, title="Kế hoạch tỉnh")
    task = task_for(plan, world.units["P-VP"], executing=[world.units["P-A-1"], world.units["P-B"]], deadline=today())
    services.assignment_report(assignment=assignment(task, "P-B", world), progress=40, report="Báo cáo của sở B")
    return plan, task


def test_a_unit_does_not_read_a_sibling_units_part_of_a_shared_plan(api, world, shared):
    _, task = shared
    theirs = assignment(task, "P-B", world)
    client = api(world.officer_a1)
    assert client.get(f"{ASSIGNMENTS}{theirs.pk}/").status_code == 404
    assert [a["organisation"] for a in client.get(ASSIGNMENTS, {"task": task.pk}).json()["results"]] == ["P-A-1"]


def test_a_task_lists_only_the_parts_the_user_may_see(api, world, shared):
    _, task = shared
    mine = assignment(task, "P-A-1", world)
    assert api(world.officer_a1).get(f"{TASKS}{task.pk}/").json()["assignments"] == [mine.pk]
    assert len(api(world.focal_p).get(f"{TASKS}{task.pk}/").json()["assignments"]) == 3


def test_a_plan_lists_only_the_lower_plans_the_user_may_see(api, world, shared):
    plan, _ = shared
    hidden = plan_of(world, "P-B", title="Kế hoạch của sở B", parent_plan=plan)
    assert api(world.officer_a1).get(f"{PLANS}{plan.pk}/").json()["child_plans"] == []
    assert api(world.focal_p).get(f"{PLANS}{plan.pk}/").json()["child_plans"] == [hidden.pk]


def test_a_sibling_may_not_delete_a_task_of_a_plan_it_takes_part_in(api, world, shared):
    _, task = shared
    assert api(world.leader_a).delete(f"{TASKS}{task.pk}/").status_code == 403
    assert api(world.outsider_admin).delete(f"{TASKS}{task.pk}/").status_code == 404


# Preconditions ------------------------------------------------------------------------------------------------------


def test_a_progress_report_without_the_version_read_is_refused_428(api, world, shared):
    _, task = shared
    url = f"{ASSIGNMENTS}{assignment(task, 'P-A-1', world).pk}/"
    response = api(world.officer_a1).patch(url, {"progress": 10}, format="json")
    assert response.status_code == 428 and "row_version" in response.json()["detail"]


def test_a_progress_report_may_carry_the_etag_in_if_match(api, world, shared):
    _, task = shared
    url = f"{ASSIGNMENTS}{assignment(task, 'P-A-1', world).pk}/"
    client = api(world.officer_a1)
    etag = client.get(url)["ETag"]
    saved = client.patch(url, {"progress": 10}, format="json", HTTP_IF_MATCH=etag)
    assert saved.status_code == 200 and saved["ETag"] != etag


def test_a_stale_report_answers_409_with_what_changed(api, world, shared):
    _, task = shared
    theirs = assignment(task, "P-B", world)
    url = f"{ASSIGNMENTS}{theirs.pk}/"
    response = api(world.focal_p).patch(url, {"progress": 90, "row_version": theirs.row_version - 1}, format="json")
    assert response.status_code == 409
    assert [c["action"] for c in response.json()["changes"]] == ["plans.assignment.reported"]


# Extension decisions --------------------------------------------------------------------------------------------------


@pytest.fixture
def asked(world):
    task = task_for(plan_of(world, "P-A"), world.units["P-A"], executing=[world.units["P-A-1"]], deadline=today())
    part = assignment(task, "P-A-1", world)
    services.extension_request(assignment=part, new_due_on=today() + timedelta(days=20), reason="Chờ")
    return part


def test_the_issuer_approves_an_extension_and_the_deadline_moves(api, world, asked):
    response = api(world.focal_a).post(f"{ASSIGNMENTS}{asked.pk}/extension/approve/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert Assignment.objects.get(pk=asked.pk).due_on == today() + timedelta(days=20)


def test_a_second_decision_answers_409(api, world, asked):
    client = api(world.focal_a)
    client.post(f"{ASSIGNMENTS}{asked.pk}/extension/approve/", {}, format="json")
    again = client.post(f"{ASSIGNMENTS}{asked.pk}/extension/refuse/", {"note": "Không"}, format="json")
    assert again.status_code == 409


def test_a_refusal_needs_a_note(api, world, asked):
    response = api(world.focal_a).post(f"{ASSIGNMENTS}{asked.pk}/extension/refuse/", {"note": ""}, format="json")
    assert response.status_code == 400 and "decision_note" in response.json()


def test_the_asking_unit_may_not_decide(api, world, asked):
    url = f"{ASSIGNMENTS}{asked.pk}/extension/approve/"
    assert api(world.officer_a1).post(url, {}, format="json").status_code == 403
    assert api(world.outsider_admin).post(url, {}, format="json").status_code == 404


def test_deciding_without_a_request_is_404(api, world, shared):
    _, task = shared
    url = f"{ASSIGNMENTS}{assignment(task, 'P-B', world).pk}/extension/approve/"
    assert api(world.focal_p).post(url, {}, format="json").status_code == 404


# Hostile input ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, params",
    [
        (PLANS, {"year": "0"}),
        (PLANS, {"year": "abc"}),
        (PLANS, {"issuer": "NOPE"}),
        (PLANS, {"parent_plan": "1.5"}),
        (TASKS, {"plan": "abc"}),
        (ASSIGNMENTS, {"status_class": "late"}),
        (ASSIGNMENTS, {"plan": "99999999999999999999"}),
        (INDICATORS, {"plan": "-1"}),
        (INDICATORS, {"source": "x"}),
    ],
)
def test_malformed_list_parameters_answer_400(api, world, url, params):
    assert api(world.focal_p).get(url, params).status_code == 400


def test_an_unknown_lead_code_is_an_empty_list(api, world, shared):
    assert api(world.focal_p).get(TASKS, {"lead": "NOPE"}).json()["count"] == 0


def test_a_list_where_an_extension_request_is_expected_answers_400(api, world, asked):
    response = api(world.officer_a1).post(f"{ASSIGNMENTS}{asked.pk}/extension/", [1, 2], format="json")
    assert response.status_code == 400


def test_a_list_where_a_decision_is_expected_answers_400(api, world, asked):
    response = api(world.focal_a).post(f"{ASSIGNMENTS}{asked.pk}/extension/refuse/", [1, 2], format="json")
    assert response.status_code == 400


def test_a_number_where_a_note_is_expected_answers_400(api, world, asked):
    url = f"{ASSIGNMENTS}{asked.pk}/extension/refuse/"
    assert api(world.focal_a).post(url, {"note": {"x": 1}}, format="json").status_code == 400


def test_a_list_body_for_an_indicator_value_answers_400(api, world):
    indicator = Indicator.objects.create(name="Tỷ lệ", target=80, organisation=world.units["P-A-1"])
    url = f"{INDICATORS}{indicator.pk}/values/"
    assert api(world.officer_a1).post(url, [{"value": 1}], format="json").status_code == 400


def test_the_overdue_unit_must_be_one_the_user_may_see(api, world):
    assert api(world.leader_a).get(OVERDUE, {"org": "P-B"}).status_code == 404
    assert api(world.leader_a).get(OVERDUE, {"org": "P-A-1"}).status_code == 200


def test_closing_a_plan_stops_its_overdue_items_and_a_second_close_is_409(api, world):
    plan = plan_of(world)
    task_for(plan, world.units["P-A"], deadline=today() - timedelta(days=2))
    client = api(world.focal_p)
    assert client.get(OVERDUE, {"org": "P"}).json()["count"] == 1
    closed = client.post(f"{PLANS}{plan.pk}/close/")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.get(OVERDUE, {"org": "P"}).json()["count"] == 0
    assert client.post(f"{PLANS}{plan.pk}/close/").status_code == 409
    assert client.post(f"{PLANS}{plan.pk}/reopen/").json()["closed_on"] is None


def test_only_the_plans_managers_close_it_through_the_api(api, world):
    plan = plan_of(world)
    assert api(world.officer_a1).post(f"{PLANS}{plan.pk}/close/").status_code in (403, 404)
    assert api(world.outsider).post(f"{PLANS}{plan.pk}/close/").status_code == 404
