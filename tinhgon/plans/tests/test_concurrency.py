"""Two requests at the same moment, on two PostgreSQL connections: the rows a check reads are locked, so the second
request waits for the first, sees what it did, and is refused with a message instead of doing the thing twice or
failing with a server error. SQLite serialises writers, so these run on PostgreSQL only."""

from datetime import date, timedelta

import pytest

from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.dates import today
from tinhgon.plans import indicators, services
from tinhgon.plans.models import Assignment, ExtensionRequest, Plan, Scorecard, Task
from tinhgon.plans.tests import factories as f
from tinhgon.test import RACE_MARKS, at_once

pytestmark = RACE_MARKS


def entries(action: str) -> int:
    return AuditLogEntry.objects.filter(action=action).count()


@pytest.fixture
def part(world):
    year = today().year
    plan = f.plan(world.units["P-A"], year=year, period_end=max(date(year, 12, 31), today() + timedelta(days=90)))
    task = f.task(plan, world.units["P-A"], executing=[world.units["P-A-1"]], deadline=today() + timedelta(days=10))
    return task.assignments.get(organisation=world.units["P-A-1"])


def _ask(part):
    return services.extension_request(assignment=part, new_due_on=part.due_on + timedelta(days=20), reason="Chờ")


def test_two_simultaneous_approvals_move_the_deadline_once(part):
    asked = _ask(part)
    copies = [ExtensionRequest.objects.get(pk=asked.pk) for _ in range(2)]
    outcomes = at_once(*(lambda c=c: c.approve() for c in copies))
    assert outcomes == ["TransitionRefused", "done"]
    assert (entries("plans.extension.approved"), entries("plans.assignment.extended")) == (1, 1)


def test_an_approval_and_a_refusal_at_once_decide_once(part):
    asked = _ask(part)
    one, other = (ExtensionRequest.objects.get(pk=asked.pk) for _ in range(2))
    outcomes = at_once(one.approve, lambda: other.refuse("Không đủ căn cứ"))
    assert outcomes == ["TransitionRefused", "done"]
    assert entries("plans.extension.approved") + entries("plans.extension.refused") == 1


def test_two_simultaneous_extension_requests_make_one(part):
    copies = [Assignment.objects.get(pk=part.pk) for _ in range(2)]
    outcomes = at_once(*(lambda c=c: _ask(c) for c in copies))
    assert outcomes == ["ValidationError", "done"]
    assert ExtensionRequest.objects.filter(assignment=part).count() == 1


def test_two_tasks_with_one_code_saved_at_once_make_one(world, part):
    plan = part.task.plan

    def add():
        services.task_save(task=Task(plan=Plan.objects.get(pk=plan.pk), code="9", title="Việc", lead=plan.issuer))

    outcomes = at_once(add, add)
    assert outcomes == ["ValidationError", "done"]
    assert plan.tasks.filter(code="9").count() == 1


def test_a_report_and_a_deletion_of_its_task_at_once_keep_one_of_them(part):
    """Either the task is deleted and the report refused (the task is gone), or the report is saved and the
    deletion refused (work was recorded): never both, never a server error."""
    task = Task.objects.get(pk=part.task_id)
    copy = Assignment.objects.get(pk=part.pk)
    outcomes = at_once(
        lambda: services.task_delete(task=task),
        lambda: services.assignment_report(assignment=copy, progress=50, started_from=copy.row_version),
    )
    assert outcomes == ["ValidationError", "done"]
    deleted = not Task.objects.filter(pk=task.pk).exists()
    assert deleted != Assignment.objects.filter(pk=part.pk, progress=50).exists()


def test_two_plans_linked_to_each_other_at_once_make_no_loop(world):
    a = f.plan(world.units["P"], title="A")
    b = f.plan(world.units["P-A"], title="B")

    def link(child_pk, parent_pk):
        child = Plan.objects.get(pk=child_pk)
        child.parent_plan_id = parent_pk
        services.plan_save(plan=child)

    outcomes = at_once(lambda: link(a.pk, b.pk), lambda: link(b.pk, a.pk))
    assert outcomes == ["ValidationError", "done"]
    assert Plan.objects.filter(parent_plan__isnull=False).count() == 1


def test_two_copies_of_a_scorecard_at_once_make_one(world):
    card = Scorecard.objects.create(organisation=world.units["P-A"], year=2026, title="Chỉ số CCHC")
    copies = [Scorecard.objects.get(pk=card.pk) for _ in range(2)]
    outcomes = at_once(*(lambda c=c: indicators.scorecard_copy(source=c, year=2027) for c in copies))
    assert outcomes == ["ValidationError", "done"]
    assert Scorecard.objects.filter(year=2027).count() == 1
