"""Extension requests: asked by the unit (a service, one pending at a time), decided by the plan's issuer through
the transitions ExtensionRequest.approve / refuse (one audit entry each, a double decision refused)."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

import pytest

from tinhgon.accounts.permissions import Policy
from tinhgon.audit.models import AuditLogEntry
from tinhgon.audit.transitions import TransitionRefused
from tinhgon.core.dates import today
from tinhgon.plans import services
from tinhgon.plans.constants import ExtensionStatus
from tinhgon.plans.models import ExtensionRequest
from tinhgon.plans.tests import factories as f

pytestmark = pytest.mark.django_db


def policy_of(user) -> Policy:
    return Policy(user=user, memberships=list(user.memberships_in_force()))


def entries(action: str) -> int:
    return AuditLogEntry.objects.filter(action=action).count()


@pytest.fixture
def asked(world):
    """P-A-1 asks P-A (the plan's issuer) for 20 more days on its part of a task."""
    year = today().year
    plan = f.plan(world.units["P-A"], year=year, period_end=max(date(year, 12, 31), today() + timedelta(days=90)))
    task = f.task(plan, world.units["P-A"], executing=[world.units["P-A-1"]], deadline=today() + timedelta(days=10))
    part = task.assignments.get(organisation=world.units["P-A-1"])
    return services.extension_request(assignment=part, new_due_on=part.due_on + timedelta(days=20), reason="Chờ")


def test_approving_moves_the_deadline_with_one_entry_each(world, asked):
    asked.approve("Đồng ý", by=world.focal_a)
    asked.assignment.refresh_from_db()
    assert asked.assignment.due_on == asked.requested_due_on
    assert asked.assignment.original_due_on == asked.requested_due_on - timedelta(days=20)
    assert (entries("plans.extension.approved"), entries("plans.assignment.extended")) == (1, 1)
    assert asked.decided_by == world.focal_a and asked.decision_note == "Đồng ý"


def test_refusing_keeps_the_deadline(world, asked):
    due = asked.assignment.due_on
    asked.refuse("Không có căn cứ", by=world.focal_a)
    asked.assignment.refresh_from_db()
    assert asked.status == ExtensionStatus.REFUSED and asked.assignment.due_on == due
    assert entries("plans.extension.refused") == 1 and entries("plans.assignment.extended") == 0


def test_refusing_needs_a_reason(asked):
    with pytest.raises(ValidationError, match="lý do"):
        asked.refuse("  ")
    asked.refresh_from_db()
    assert asked.status == ExtensionStatus.PENDING


def test_a_second_decision_is_refused_and_changes_nothing(world, asked):
    copy = ExtensionRequest.objects.get(pk=asked.pk)
    asked.approve()
    with pytest.raises(TransitionRefused):
        copy.refuse("Muộn rồi")
    assert entries("plans.extension.approved") == 1 and entries("plans.extension.refused") == 0


def test_only_the_plans_issuer_decides(world, asked):
    with pytest.raises(PermissionDenied):
        asked.perform("approve", policy_of(world.officer_a1))
    assert asked.available_transitions(policy_of(world.officer_a1)) == set()
    assert asked.available_transitions(policy_of(world.focal_a)) == {"approve", "refuse"}


def test_nothing_is_left_to_decide_once_decided(world, asked):
    asked.approve()
    assert asked.available_transitions(policy_of(world.focal_a)) == set()


def test_a_second_pending_request_is_refused(asked):
    with pytest.raises(ValidationError, match="đang chờ"):
        services.extension_request(assignment=asked.assignment, new_due_on=date(2099, 1, 1), reason="Lần hai")


# The pages ----------------------------------------------------------------------------------------------------------


def decide(client, extension, decision: str, note: str = ""):
    url = reverse("plans:extension-decide", args=[extension.pk])
    return client.post(url, {"decide-decision": decision, "decide-note": note}, follow=True)


def test_the_issuer_approves_on_the_task_page(world, asked, login):
    response = decide(login(world.focal_a), asked, "approve")
    asked.refresh_from_db()
    assert asked.status == ExtensionStatus.APPROVED and "Đồng ý gia hạn" in response.content.decode()


def test_a_double_click_on_approve_decides_once(world, asked, login):
    client = login(world.focal_a)
    decide(client, asked, "approve")
    response = decide(client, asked, "approve")
    assert "đã được thực hiện" in response.content.decode()
    assert entries("plans.extension.approved") == 1 and entries("plans.assignment.extended") == 1


def test_a_refusal_without_a_reason_is_shown_and_nothing_changes(world, asked, login):
    response = decide(login(world.focal_a), asked, "refuse")
    asked.refresh_from_db()
    assert asked.status == ExtensionStatus.PENDING and "Cần nêu lý do" in response.content.decode()


def test_the_decision_form_is_offered_only_to_who_may_decide(world, asked, login):
    task_url = reverse("plans:task", args=[asked.assignment.task_id])
    form_action = reverse("plans:extension-decide", args=[asked.pk])
    assert form_action in login(world.focal_a).get(task_url).content.decode()
    assert form_action not in login(world.officer_a1).get(task_url).content.decode()


def test_the_requesting_unit_may_not_decide(world, asked, login):
    assert decide(login(world.officer_a1), asked, "approve").status_code == 403


def test_an_outsider_gets_404_on_a_decision(world, asked, login):
    assert decide(login(world.outsider_admin), asked, "approve").status_code == 404
