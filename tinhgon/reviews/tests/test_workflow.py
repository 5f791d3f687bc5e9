from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from tinhgon.accounts.permissions import Policy
from tinhgon.audit.models import AuditLogEntry
from tinhgon.audit.transitions import TransitionRefused
from tinhgon.core.dates import today
from tinhgon.procedures.constants import Change, Channel, Status
from tinhgon.procedures.models import PublicationDecision
from tinhgon.procedures.services import decision_add_item, decision_issue
from tinhgon.reviews import services
from tinhgon.reviews.constants import Action, ReviewStatus, Scenario
from tinhgon.reviews.models import ApprovalDecision, Review
from tinhgon.reviews.tests import factories as f
from tinhgon.test import DECISION_GROUNDS

pytestmark = pytest.mark.django_db


def policy_of(user) -> Policy:
    return Policy(user=user, memberships=list(user.memberships_in_force()))


@pytest.fixture
def review(world):
    f.publish(world, world.units["P-A-1"])
    (review,) = services.round_add_all_published(round=f.round_for(world))
    return review


def test_one_action_puts_every_procedure_in_force_of_the_agency_in_the_plan(world):
    f.publish(world, world.units["P-A"], "Thủ tục một")
    f.publish(world, world.units["P-A-1"], "Thủ tục hai")
    f.publish(world, world.units["P-B"], "Thủ tục của sở khác")
    round_ = f.round_for(world, deadline=today() + timedelta(days=30))
    created = services.round_add_all_published(round=round_)
    assert sorted(r.version.name for r in created) == [
        "Thủ tục hai",
        "Thủ tục một",
    ]
    assert all(r.deadline == round_.deadline and r.answers.count() == r.question_set.questions.count() for r in created)
    assert services.round_add_all_published(round=round_) == []  # nothing twice
    assert AuditLogEntry.objects.filter(action="reviews.review.created").count() == 2


def test_only_published_procedures_can_be_reviewed(world):
    from tinhgon.procedures.tests.factories import make_procedure

    draft = make_procedure(world.units["P-A"])
    with pytest.raises(ValidationError, match="chưa được công bố"):
        services.round_add_procedure(round=f.round_for(world), procedure=draft)


def test_submit_refuses_with_the_list_of_what_is_missing(review):
    with pytest.raises(ValidationError) as refused:
        review.submit()
    messages = refused.value.messages
    assert messages[0].startswith("Chưa thể trình") and "Chưa tính chi phí tuân thủ hiện tại" in messages
    assert any(m.startswith("Chưa trả lời câu 1") for m in messages)
    assert "Chưa có phương án đơn giản hóa (kể cả khi giữ nguyên)" in messages


def test_a_changing_proposal_needs_the_proposed_sheet(review):
    f.filled(review, Action.AMEND)
    with pytest.raises(ValidationError, match="sau đơn giản hóa"):
        review.submit()


def test_submit_dates_the_form_and_locks_it(review):
    f.filled(review)
    review.submit()
    assert review.status == ReviewStatus.SUBMITTED and review.submitted_on == today()
    with pytest.raises(ValidationError, match="không thể sửa"):
        services.review_answer(review=review, answers={})


def test_send_back_needs_a_reason(review):
    f.advance(f.filled(review), ReviewStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="lý do"):
        review.send_back("  ")
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.SUBMITTED


def test_send_back_keeps_the_reason_and_a_new_submit_clears_it(review):
    f.advance(f.filled(review), ReviewStatus.CHECKED)
    review.send_back("Bổ sung lý do câu 3")
    assert review.status == ReviewStatus.RETURNED and review.return_comment == "Bổ sung lý do câu 3"
    assert review.checked_on is None
    review.submit()
    assert review.return_comment == ""


def test_a_second_check_is_refused_as_already_done(review):
    f.advance(f.filled(review), ReviewStatus.CHECKED)
    assert review.checked_on == today()
    with pytest.raises(TransitionRefused, match="đã được thực hiện"):
        review.control()


def test_assess_records_the_assessment(review):
    f.advance(f.filled(review), ReviewStatus.CHECKED)
    review.assess("Đồng ý")
    assert review.status == ReviewStatus.ASSESSED and review.assessment == "Đồng ý"


def test_each_move_writes_one_entry_under_todays_codes(review):
    f.filled(review)
    review.submit()
    review.send_back("Bổ sung")
    review.submit()
    review.control()
    review.assess("Đồng ý")
    codes = list(
        AuditLogEntry.objects.for_object(review)
        .filter(action__startswith="reviews.review.")
        .values_list("action", flat=True)
    )
    for verb, times in (("submitted", 2), ("returned", 1), ("checked", 1), ("assessed", 1)):
        assert codes.count(f"reviews.review.{verb}") == times, verb


def test_only_an_approval_decision_approves(world, review):
    f.advance(f.filled(review), ReviewStatus.CHECKED)
    with pytest.raises(PermissionDenied):
        review.perform("approve", policy_of(world.chair_p), None)


def test_stale_answers_are_refused(review):
    loaded = review.row_version
    f.answer_all(review)
    with pytest.raises(ValidationError, match="người khác cập nhật"):
        services.review_answer(review=review, answers={}, started_from=loaded)


def test_sheets_snapshot_parameters_and_store_totals(review):
    params = f.parameters()
    f.filled(review, Action.AMEND, after=f.WORKED_AFTER, params=params)
    params.monthly_income = 20_000_000
    params.save()
    current = review.sheet(Scenario.CURRENT)
    current.refresh_from_db()
    assert (current.monthly_income, current.hourly_rate) == (8_800_000, 50_000)
    assert (current.cost_per_execution, current.annual_cost) == (740_000, 88_800_000)
    assert [r.cost() for r in current.rows.all()] == [440_000, 150_000, 100_000, 50_000]
    assert str(review.proposal.benefit().saving_pct) == "54.39"


def test_proposed_sheet_starts_from_the_current_one_with_the_changes_applied(review):
    f.filled(review, Action.AMEND, changes=[{"kind": "add_online"}])
    proposed = services.sheet_start_proposed(review)
    rows = {r.activity: r for r in proposed.rows.all()}
    assert rows["Nộp hồ sơ trực tiếp"].hours == 0.5 and rows["Nộp hồ sơ trực tiếp"].other_costs == 0
    assert rows["Chuẩn bị hồ sơ (tờ trình, báo cáo thành tích, biên bản họp)"].hours == 8  # not implied, kept
    assert proposed.annual_cost < review.sheet(Scenario.CURRENT).annual_cost


def test_amending_proposal_carries_a_draft_next_version_with_the_changes(review):
    changes = [
        {"kind": "remove_dossier_item", "target": "Báo cáo thành tích"},
        {"kind": "add_online"},
        {"kind": "cut_time", "before": "20", "after": "15"},
    ]
    proposal = f.filled(review, Action.AMEND, changes=changes).proposal
    draft = proposal.draft_version
    assert draft.number == 2 and draft.status == Status.DRAFT
    assert [d.name for d in draft.dossier_items.all()] == ["Tờ trình đề nghị khen thưởng"]
    assert Channel.ONLINE in draft.channels and draft.processing_time_value == 15
    assert review.version.dossier_items.count() == 2  # the published version is untouched
    services.proposal_save(review=review, action=Action.AMEND, changes=changes[:1], reason="Chỉ bỏ báo cáo")
    review.proposal.refresh_from_db()
    assert review.proposal.draft_version_id == draft.pk  # the same draft is rewritten, not a third version
    with pytest.raises(ValidationError, match="loại thay đổi"):
        services.proposal_save(review=review, action=Action.AMEND, changes=[{"kind": "nope"}], reason="x")


def _checked(world, owner, action=Action.AMEND, group="A", **kw):
    procedure = f.publish(world, owner, f"Thủ tục {action} {group} {owner.code}", group=group)
    review = services.round_add_procedure(round=f.round_for(world), procedure=procedure)
    f.filled(review, action, after=f.WORKED_AFTER if action in {Action.AMEND, Action.REPLACE} else None, **kw)
    return f.advance(review, ReviewStatus.CHECKED)


def test_group_a_is_approved_by_the_province_group_b_by_the_agency(world):
    group_a = _checked(world, world.units["P-A"], group="A")
    group_b = _checked(world, world.units["P-A"], group="B")
    agency = ApprovalDecision.objects.create(
        number="1/QĐ-SA", issuer=world.units["P-A"], signed_on=today(), signer="B", **DECISION_GROUNDS
    )
    with pytest.raises(ValidationError, match="nhóm A"):
        services.approval_add(decision=agency, review=group_a)
    services.approval_add(decision=agency, review=group_b)
    agency.issue()
    f.approve(world, [group_a])
    group_a.refresh_from_db(), group_b.refresh_from_db()
    assert group_a.status == group_b.status == ReviewStatus.APPROVED


def test_approval_refuses_unchecked_reviews_and_other_provinces(world, review):
    f.filled(review)
    with pytest.raises(ValidationError, match="chưa được kiểm soát"):
        f.approve(world, [review])
    f.advance(review, ReviewStatus.CHECKED)
    with pytest.raises(ValidationError, match="không thuộc phạm vi"):
        f.approve(world, [review], issuer=world.units["Q"])


def test_approval_yields_implementation_items_and_publication_implements(world):
    review = _checked(
        world,
        world.units["P-A"],
        changes=[{"kind": "add_online"}],
        legal_acts="Quyết định công bố thủ tục sửa đổi\nSửa đổi Quy chế khen thưởng của tỉnh",
        implementation_deadline=today() - timedelta(days=1),
    )
    f.approve(world, [review])
    items = list(review.proposal.implementation_items.all())
    assert [i.act for i in items] == ["Quyết định công bố thủ tục sửa đổi", "Sửa đổi Quy chế khen thưởng của tỉnh"]
    assert all(i.is_overdue() for i in items)
    items[0].complete("99/QĐ-UBND")
    assert not items[0].is_overdue()

    draft = review.proposal.draft_version
    draft.submit()
    draft.control()
    decision = PublicationDecision.objects.create(
        number="500/QĐ-UBND",
        issuer=world.units["P"],
        signed_on=today(),
        signer="A",
        effective_on=today(),
        **DECISION_GROUNDS,
    )
    decision_add_item(decision=decision, version=draft, change=Change.AMENDED)
    decision_issue(decision=decision)
    review.proposal.refresh_from_db()
    assert review.proposal.implemented_on == today()


def test_abolition_is_implemented_when_the_abolishing_decision_applies(world):
    review = _checked(world, world.units["P-A"], action=Action.ABOLISH)
    f.approve(world, [review])
    decision = PublicationDecision.objects.create(
        number="501/QĐ-UBND",
        issuer=world.units["P"],
        signed_on=today(),
        signer="A",
        effective_on=today(),
        **DECISION_GROUNDS,
    )
    decision_add_item(decision=decision, version=review.version, change=Change.ABOLISHED)
    decision_issue(decision=decision)
    review.proposal.refresh_from_db()
    assert review.proposal.implemented_on == today()
    assert Review.objects.get(pk=review.pk).proposal.benefit().after == 0
