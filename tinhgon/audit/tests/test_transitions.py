"""The one transition mechanism (audit/transitions.py), tried on the registry's workflow: one audit entry per move,
refusals that change nothing, stale copies, permissions, and two simultaneous requests on PostgreSQL."""

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from tinhgon.accounts.permissions import Policy
from tinhgon.audit.models import AuditLogEntry
from tinhgon.audit.transitions import TransitionRefused, transitioned
from tinhgon.core.locking import Stale
from tinhgon.procedures.constants import Status
from tinhgon.procedures.models import ProcedureVersion
from tinhgon.procedures.tests.factories import make_procedure
from tinhgon.test import at_once, race

pytestmark = pytest.mark.django_db


def policy_of(user) -> Policy:
    return Policy(user=user, memberships=list(user.memberships_in_force()))


def entries(version, action: str) -> int:
    return AuditLogEntry.objects.for_object(version).filter(action=action).count()


@pytest.fixture
def draft(world):
    return make_procedure(world.units["P-A"]).latest_version()


def test_a_transition_writes_exactly_one_audit_entry_under_its_code(draft):
    draft.submit()
    assert entries(draft, "procedures.version.submitted") == 1
    assert AuditLogEntry.objects.for_object(draft).filter(action="procedures.version.updated").count() == 0


def test_a_transition_bumps_the_row_version(draft):
    before = draft.row_version
    draft.submit()
    draft.refresh_from_db()
    assert draft.row_version == before + 1 and draft.status == Status.SUBMITTED


def test_the_audit_entry_records_the_version_it_produced(draft):
    draft.submit()
    entry = AuditLogEntry.objects.for_object(draft).get(action="procedures.version.submitted")
    assert entry.object_version == draft.row_version
    assert entry.changes["status"] == [Status.DRAFT, Status.SUBMITTED]


def test_a_second_submit_is_refused_and_changes_nothing(draft):
    stale_copy = ProcedureVersion.objects.get(pk=draft.pk)
    draft.submit()
    with pytest.raises(TransitionRefused, match="đã được thực hiện"):
        stale_copy.submit()
    assert entries(draft, "procedures.version.submitted") == 1


def test_the_state_is_decided_on_the_stored_row_not_the_callers_copy(draft):
    """A copy loaded before someone else's move is reloaded: a check on a version sent back meanwhile is refused."""
    copy = ProcedureVersion.objects.get(pk=draft.pk)
    draft.submit()
    copy.status = Status.SUBMITTED  # what a form rendered before the move would believe
    draft.send_back("Bổ sung căn cứ")
    with pytest.raises(TransitionRefused, match="Bị trả lại"):
        copy.control()


def test_a_refusal_from_the_body_rolls_everything_back(draft):
    draft.submit()
    draft.control()
    with pytest.raises(ValidationError, match="Cần ghi rõ lý do"):
        draft.send_back("   ")
    draft.refresh_from_db()
    assert draft.status == Status.CHECKED and entries(draft, "procedures.version.returned") == 0


def test_a_stale_copy_is_refused_when_the_version_seen_is_given(draft):
    seen = draft.row_version
    ProcedureVersion.objects.get(pk=draft.pk).save()  # someone saved in between
    with pytest.raises(Stale):
        draft.submit(started_from=seen)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_signal_is_sent_after_the_move(draft):
    seen = []

    def receiver(sender, instance, transition, source, **kwargs):
        seen.append((sender, ProcedureVersion.objects.get(pk=instance.pk).status, transition.name, source))

    transitioned.connect(receiver)
    try:
        draft.submit()
    finally:
        transitioned.disconnect(receiver)
    assert seen == [(ProcedureVersion, Status.SUBMITTED, "submit", Status.DRAFT)]


def test_available_transitions_follow_state_and_role(world, draft):
    assert draft.available_transitions(policy_of(world.leader_a)) == {"submit"}
    assert draft.available_transitions(policy_of(world.focal_a)) == set()
    assert draft.available_transitions(policy_of(world.outsider)) == set()
    draft.submit()
    assert draft.available_transitions(policy_of(world.focal_a)) == {"control", "send_back"}


def test_perform_refuses_a_user_without_the_permission(world, draft):
    with pytest.raises(PermissionDenied):
        draft.perform("submit", policy_of(world.officer_a1))
    with pytest.raises(PermissionDenied):
        draft.perform("publish", policy_of(world.admin))  # a move only the system makes
    assert draft.status == Status.DRAFT


@race
def test_two_simultaneous_submits_move_once(world):
    """Two connections load the same draft and submit it at the same moment: the row lock makes the second wait
    for the first, find the new state and do nothing."""
    draft = make_procedure(world.units["P-A"]).latest_version()
    copies = [ProcedureVersion.objects.get(pk=draft.pk) for _ in range(2)]
    assert at_once(copies[0].submit, copies[1].submit, slowed=ProcedureVersion) == ["TransitionRefused", "done"]
    assert entries(draft, "procedures.version.submitted") == 1
