"""Approval and implementation as transitions (tinhgon/audit/transitions.py): issuing a decision approves its forms
and creates their implementation items once; items start and complete; a second click does nothing; on PostgreSQL,
two simultaneous requests move once."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from tinhgon.audit.models import AuditLogEntry
from tinhgon.audit.transitions import TransitionRefused
from tinhgon.core.dates import today
from tinhgon.procedures.constants import Change
from tinhgon.procedures.models import PublicationDecision
from tinhgon.procedures.services import decision_add_item, decision_issue
from tinhgon.reviews import services
from tinhgon.reviews.constants import Action, ApprovalStatus, ImplementationStatus, ReviewStatus
from tinhgon.reviews.models import ApprovalDecision, ImplementationItem, Review
from tinhgon.reviews.tests import factories as f
from tinhgon.test import DECISION_GROUNDS, at_once, race

pytestmark = pytest.mark.django_db


def checked(world, name="Thủ tục xét tặng Bằng khen", legal_acts="Quyết định sửa đổi\nSửa đổi Quy chế"):
    f.parameters()
    procedure = f.publish(world, world.units["P-A-1"], name)
    review = services.round_add_procedure(round=f.round_for(world), procedure=procedure)
    f.filled(review, Action.AMEND, after=f.WORKED_AFTER, legal_acts=legal_acts)
    return f.advance(review, ReviewStatus.CHECKED)


def draft_with(world, *reviews, **fields) -> ApprovalDecision:
    fields = {"number": "9/QĐ-UBND", "issuer": world.units["P"], "signed_on": today(), "signer": "A", **fields}
    decision = ApprovalDecision.objects.create(**{**DECISION_GROUNDS, **fields})
    for review in reviews:
        services.approval_add(decision=decision, review=review)
    return decision


@pytest.fixture
def item(world):
    review = checked(world, legal_acts="Quyết định sửa đổi")
    f.approve(world, [review])
    return ImplementationItem.objects.get()


# Approval ---------------------------------------------------------------------------------------------------------


def test_issuing_approves_each_form_and_creates_its_implementation_items(world):
    review = checked(world)
    decision = draft_with(world, review)
    decision.issue()
    review.refresh_from_db()
    assert decision.status == ApprovalStatus.ISSUED and review.status == ReviewStatus.APPROVED
    assert list(review.proposal.implementation_items.values_list("act", flat=True)) == [
        "Quyết định sửa đổi",
        "Sửa đổi Quy chế",
    ]


def test_issuing_writes_one_entry_per_object_under_its_code(world):
    review = checked(world)
    decision = draft_with(world, review)
    decision.issue()
    assert AuditLogEntry.objects.for_object(decision).filter(action="reviews.approval.issued").count() == 1
    assert AuditLogEntry.objects.for_object(review).filter(action="reviews.review.approved").count() == 1


def test_a_second_issue_is_refused_and_creates_nothing(world):
    review = checked(world)
    decision = draft_with(world, review)
    copy = ApprovalDecision.objects.get(pk=decision.pk)
    decision.issue()
    with pytest.raises(TransitionRefused):
        copy.issue()
    assert ImplementationItem.objects.count() == 2


def test_a_second_approval_of_a_form_is_refused_and_creates_nothing(world):
    review = checked(world)
    decision = draft_with(world, review)
    decision.issue()
    with pytest.raises(TransitionRefused):
        Review.objects.get(pk=review.pk).approve(decision)
    assert ImplementationItem.objects.count() == 2


def test_issuing_refuses_while_something_stops_it(world):
    decision = draft_with(world, checked(world), signer="")
    with pytest.raises(ValidationError, match="người ký"):
        decision.issue()
    assert ApprovalDecision.objects.get(pk=decision.pk).status == ApprovalStatus.DRAFT


def test_a_form_cannot_be_added_to_an_issued_decision(world):
    decision = draft_with(world, checked(world))
    decision.issue()
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.approval_add(decision=decision, review=checked(world, "Thủ tục khác"))


def test_a_form_held_by_a_draft_cannot_join_another(world):
    review = checked(world)
    draft_with(world, review)
    with pytest.raises(ValidationError, match="đã thuộc quyết định"):
        draft_with(world, review, number="10/QĐ-UBND")


def test_publication_marks_the_proposal_implemented_once_under_its_code(world):
    review = checked(world)
    f.approve(world, [review])
    draft = review.proposal.draft_version
    draft.submit()
    draft.control()
    publication = PublicationDecision.objects.create(
        number="500/QĐ-UBND",
        issuer=world.units["P"],
        signed_on=today(),
        signer="A",
        effective_on=today(),
        **DECISION_GROUNDS,
    )
    decision_add_item(decision=publication, version=draft, change=Change.AMENDED)
    decision_issue(decision=publication)
    review.proposal.refresh_from_db()
    entries = AuditLogEntry.objects.for_object(review.proposal).filter(action="reviews.proposal.implemented")
    assert review.proposal.implemented_on == today() and entries.count() == 1


# Implementation ---------------------------------------------------------------------------------------------------


def test_an_item_starts(item):
    item.start()
    assert item.status == ImplementationStatus.IN_PROGRESS
    assert AuditLogEntry.objects.for_object(item).filter(action="reviews.implementation.started").count() == 1


def test_completing_needs_the_reference_of_the_act_issued(item):
    with pytest.raises(ValidationError, match="số, ký hiệu"):
        item.complete("  ")
    assert ImplementationItem.objects.get(pk=item.pk).status == ImplementationStatus.NOT_STARTED


def test_completing_dates_the_act_today_by_default(item):
    item.complete("12/QĐ-UBND")
    assert (item.status, item.issued_reference, item.issued_on) == (ImplementationStatus.DONE, "12/QĐ-UBND", today())


def test_an_act_cannot_be_issued_in_the_future(item):
    with pytest.raises(ValidationError, match="sau ngày hôm nay"):
        item.complete("12/QĐ-UBND", today() + timedelta(days=1))


def test_a_done_item_cannot_be_completed_again(item):
    item.complete("12/QĐ-UBND")
    with pytest.raises(TransitionRefused):
        ImplementationItem.objects.get(pk=item.pk).complete("13/QĐ-UBND")


def test_the_implementation_page_offers_the_next_states_only(world, item, login):
    item.start()
    form = login(world.officer_a1).get(reverse("reviews:implementation")).context["rows"][0]["form"]
    assert [value for value, _ in form.fields["status"].choices] == [ImplementationStatus.DONE]


def test_the_implementation_page_starts_an_item(world, item, login):
    url = reverse("reviews:implementation-update", args=[item.pk])
    response = login(world.officer_a1).post(url, {f"item-{item.pk}-status": ImplementationStatus.IN_PROGRESS})
    item.refresh_from_db()
    assert response.status_code == 302 and item.status == ImplementationStatus.IN_PROGRESS


def test_the_implementation_page_keeps_what_was_typed_when_refused(world, item, login):
    url = reverse("reviews:implementation-update", args=[item.pk])
    later = (today() + timedelta(days=3)).strftime("%d/%m/%Y")
    data = {
        f"item-{item.pk}-status": "done",
        f"item-{item.pk}-issued_reference": "77/QĐ",
        f"item-{item.pk}-issued_on": later,
    }
    response = login(world.officer_a1).post(url, data)
    assert response.status_code == 200 and "sau ngày hôm nay" in response.content.decode()
    assert 'value="77/QĐ"' in response.content.decode()


# The review form's buttons ----------------------------------------------------------------------------------------


def test_the_form_shows_the_submit_button_to_whoever_may_submit(world, login):
    review = checked(world)
    review.send_back("Bổ sung")
    url = reverse("reviews:review", args=[review.pk])
    assert 'id="submit"' in login(world.head_a1).get(url).content.decode()
    assert 'id="submit"' not in login(world.officer_a1).get(url).content.decode()


def test_a_double_click_on_check_moves_once(world, login):
    review = checked(world)
    review.send_back("Bổ sung")
    review.submit()
    client = login(world.focal_a)
    client.post(reverse("reviews:check", args=[review.pk]))
    response = client.post(reverse("reviews:check", args=[review.pk]), follow=True)
    assert "đã được thực hiện" in response.content.decode()
    assert AuditLogEntry.objects.for_object(review).filter(action="reviews.review.checked").count() == 2


# Two requests at once (PostgreSQL) --------------------------------------------------------------------------------


@race
def test_two_simultaneous_issues_create_the_implementation_items_once(world):
    decision = draft_with(world, checked(world))
    copies = [ApprovalDecision.objects.get(pk=decision.pk) for _ in range(2)]
    assert at_once(copies[0].issue, copies[1].issue) == ["TransitionRefused", "done"]
    assert ImplementationItem.objects.count() == 2
    assert AuditLogEntry.objects.for_object(decision).filter(action="reviews.approval.issued").count() == 1


@race
def test_one_form_added_to_two_drafts_at_once_joins_one(world):
    review = checked(world)
    first, second = draft_with(world), draft_with(world, number="10/QĐ-UBND")
    outcomes = at_once(
        lambda: services.approval_add(decision=first, review=review),
        lambda: services.approval_add(decision=second, review=review),
    )
    assert (
        outcomes[-1] == "done"
        and len(outcomes) == 2
        and outcomes[0] != "done"
        and Review.objects.get(pk=review.pk).approval_id in {first.pk, second.pk}
    )


@race
def test_an_addition_during_the_issue_is_approved_or_refused_never_left_behind(world):
    decision = draft_with(world, checked(world))
    late = checked(world, "Thủ tục thêm sau")
    at_once(
        ApprovalDecision.objects.get(pk=decision.pk).issue,
        lambda: services.approval_add(decision=decision, review=late),
    )
    late.refresh_from_db()
    assert (late.approval_id is None) or (late.status == ReviewStatus.APPROVED)
