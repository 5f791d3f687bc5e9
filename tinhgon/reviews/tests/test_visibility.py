"""One visibility rule per model (tinhgon/reviews/models.py `visible_to`, `permits`) and the pages and downloads
built on it: what a unit's own people, a sibling unit (P-B) and an unrelated province (Q) see of P-A's review work."""

from datetime import timedelta

from django.urls import reverse

import pytest

from tinhgon.accounts.models import Role
from tinhgon.accounts.permissions import Policy
from tinhgon.accounts.tests.factories import MembershipFactory, UserFactory
from tinhgon.core.dates import today
from tinhgon.reviews import ledger as ledger_module
from tinhgon.reviews import services
from tinhgon.reviews.constants import Action, ReviewStatus
from tinhgon.reviews.models import (
    ApprovalDecision,
    CostParameterSet,
    CostSheet,
    ImplementationItem,
    Proposal,
    Review,
    ReviewRound,
)
from tinhgon.reviews.tests import factories as f
from tinhgon.test import DECISION_GROUNDS

pytestmark = pytest.mark.django_db


def policy_of(user) -> Policy:
    return Policy(user=user, memberships=list(user.memberships_in_force()))


def visible(model, user, obj) -> bool:
    return model.objects.visible_to(policy_of(user)).filter(pk=obj.pk).exists()


@pytest.fixture
def sibling(world):
    """A focal point of P-B, the sister department of P-A."""
    user = UserFactory(username="focal_b")
    MembershipFactory(user=user, organisation=world.units["P-B"], role=Role.FOCAL_POINT)
    return user


@pytest.fixture
def review(world):
    f.parameters()
    procedure = f.publish(world, world.units["P-A-1"])
    return services.round_add_procedure(round=f.round_for(world), procedure=procedure)


@pytest.fixture
def approved(world, review):
    f.advance(f.filled(review, Action.AMEND, after=f.WORKED_AFTER, legal_acts="Quyết định sửa đổi"), "checked")
    return f.approve(world, [review], issuer=world.units["P"])


def text(response) -> str:
    return response.content.decode()


# The rules --------------------------------------------------------------------------------------------------------


def test_a_review_is_visible_over_its_procedures_owner(world, review):
    assert visible(Review, world.officer_a1, review)


def test_a_review_is_visible_over_its_plans_organisation(world):
    procedure = f.publish(world, world.units["P-B"])
    plan = f.round_for(world, org=world.units["P"])
    review = services.round_add_procedure(round=plan, procedure=procedure, responsible=world.units["P-B"])
    assert visible(Review, world.focal_p, review) and not visible(Review, world.focal_a, review)


def test_a_review_is_visible_over_its_responsible_unit(world):
    procedure = f.publish(world, world.units["P-B"])
    plan = f.round_for(world, org=world.units["P"])
    review = services.round_add_procedure(round=plan, procedure=procedure, responsible=world.units["P-A"])
    assert visible(Review, world.focal_a, review)


def test_the_rule_finds_the_same_forms_for_a_whole_tree_and_for_a_few_units(world, review, sibling, monkeypatch):
    """Review.visible_to shapes its query by the scope's size (ORed conditions for a whole tree, a union of ids for
    a few units): both shapes must give every user the same forms."""
    other = f.publish(world, world.units["P-B"])
    plan = f.round_for(world, org=world.units["P"])
    services.round_add_procedure(round=plan, procedure=other, responsible=world.units["P-A"])
    users = [world.officer_a1, world.focal_a, world.focal_p, world.oversight, sibling, world.outsider_admin]
    seen = {}
    for whole in (True, False):
        monkeypatch.setattr(Policy, "sees_whole_tree", lambda self, action, whole=whole: whole)
        seen[whole] = [set(Review.objects.visible_to(policy_of(u)).values_list("pk", flat=True)) for u in users]
    assert seen[True] == seen[False]
    assert [len(forms) for forms in seen[True]] == [1, 2, 2, 2, 1, 0]


def test_the_oversight_of_the_one_root_reads_without_the_rule_what_the_rule_gives(world, review, monkeypatch):
    """Policy.sees_everything: when the user's tree is every unit there is (a national deployment's nation), the
    rules of forms, plans and assignments read every row without their conditions; they must be the rows the
    conditions give."""
    from tinhgon.organisations.models import Organisation
    from tinhgon.organisations.tests.factories import OrganisationFactory
    from tinhgon.plans.models import Assignment, Plan
    from tinhgon.plans.tests import factories as plan_factories
    from tinhgon.procedures.models import Procedure, ProcedureVersion

    nation = OrganisationFactory(code="VN", name="Văn phòng Chính phủ", kind=Organisation.Kind.MINISTRY)
    for code in ("P", "Q"):
        unit = world.units[code]
        unit.parent, unit.move_on = nation, today() - timedelta(days=1)
        unit.save()
    f.filled(review, Action.KEEP)  # its cost sheets
    plan = plan_factories.plan(world.units["Q"], title="Kế hoạch của Q")
    plan_factories.task(plan, world.units["Q-A"])
    national = UserFactory(username="national")
    MembershipFactory(user=national, organisation=nation, role=Role.OVERSIGHT)
    assert policy_of(national).sees_everything("reviews.view")
    assert not policy_of(world.oversight).sees_everything("reviews.view")  # P's tree is not the whole
    models = {
        Review: "reviews.view",
        Plan: "plans.view",
        Assignment: "plans.view",
        Procedure: "procedures.view",
        CostSheet: "reviews.view",
        ProcedureVersion: "procedures.view",
    }
    read = {model: set(model.objects.visible_to(policy_of(national)).values_list("pk", flat=True)) for model in models}
    monkeypatch.setattr(Policy, "sees_everything", lambda self, action: False)
    ruled = {model: set(model.objects.visible_to(policy_of(national)).values_list("pk", flat=True)) for model in models}
    assert read == ruled and all(read.values())


def test_a_new_unit_with_no_parent_outside_the_one_root_ends_seeing_everything(world):
    from tinhgon.organisations.tests.factories import OrganisationFactory

    nation = OrganisationFactory(code="VN", name="Văn phòng Chính phủ", kind="ministry")
    world.units["P"].parent, world.units["P"].move_on = nation, today() - timedelta(days=1)
    world.units["P"].save()
    national = UserFactory(username="national")
    MembershipFactory(user=national, organisation=nation, role=Role.OVERSIGHT)
    assert not policy_of(national).sees_everything("reviews.view")  # Q has no parent and is outside
    world.units["Q"].parent, world.units["Q"].move_on = nation, today() - timedelta(days=1)
    world.units["Q"].save()
    assert policy_of(national).sees_everything("reviews.view")
    OrganisationFactory(code="BO-MOI", name="Bộ mới", kind="ministry")
    assert not policy_of(national).sees_everything("reviews.view")


def test_a_root_units_oversight_sees_a_whole_tree_and_a_department_does_not(world):
    assert policy_of(world.oversight).sees_whole_tree("reviews.view")
    assert not policy_of(world.focal_a).sees_whole_tree("reviews.view")


def test_a_sibling_and_an_outsider_do_not_see_a_review(world, review, sibling):
    assert not visible(Review, sibling, review) and not visible(Review, world.outsider_admin, review)


def test_a_plan_is_visible_through_a_form_it_holds(world, review):
    assert visible(ReviewRound, world.officer_a1, review.round)  # the plan is P-A's, the form P-A-1's


def test_a_plan_of_another_unit_holding_nothing_visible_is_hidden(world, review, sibling):
    assert not visible(ReviewRound, sibling, review.round)


def test_cost_sheets_and_proposals_follow_their_review(world, review, sibling):
    f.filled(review, Action.KEEP)
    sheet, proposal = CostSheet.objects.get(review=review), Proposal.objects.get(review=review)
    assert visible(CostSheet, world.officer_a1, sheet) and visible(Proposal, world.officer_a1, proposal)
    assert not visible(CostSheet, sibling, sheet) and not visible(Proposal, sibling, proposal)


def test_a_standalone_sheet_follows_its_procedures_owner(world, sibling):
    procedure = f.publish(world, world.units["P-A-1"])
    sheet = services.sheet_save(
        procedure=procedure, scenario="current", rows=f.WORKED_BEFORE, parameters=f.parameters()
    )
    assert visible(CostSheet, world.officer_a1, sheet) and not visible(CostSheet, sibling, sheet)


def test_a_sheet_permits_what_its_review_permits(world, review):
    f.filled(review, Action.KEEP)
    sheet = CostSheet.objects.get(review=review)
    assert sheet.permits(policy_of(world.officer_a1), "reviews.edit")
    assert not sheet.permits(policy_of(world.leader_a), "reviews.edit")


def test_parameter_sets_shared_own_and_above_are_visible(world):
    shared, province = f.parameters(), f.parameters(organisation=world.units["P"], name="Tỉnh P")
    assert visible(CostParameterSet, world.officer_a1, shared) and visible(CostParameterSet, world.officer_a1, province)


def test_parameter_sets_of_another_province_are_hidden(world):
    other = f.parameters(organisation=world.units["Q"], name="Tỉnh Q")
    assert not visible(CostParameterSet, world.officer_a1, other)


def test_a_shared_parameter_set_is_changed_by_superusers_only(world):
    assert not f.parameters().permits(policy_of(world.focal_p), "reviews.parameters")


def test_an_approval_decision_is_visible_through_a_form_it_holds(world, approved, sibling):
    assert visible(ApprovalDecision, world.officer_a1, approved)  # issued by P, holding P-A-1's form
    assert not visible(ApprovalDecision, sibling, approved)


def test_implementation_items_are_visible_to_their_owner_and_through_the_proposal(world, approved, sibling):
    item = ImplementationItem.objects.get()
    assert visible(ImplementationItem, world.officer_a1, item) and not visible(ImplementationItem, sibling, item)


def test_implementation_is_allowed_on_the_items_owner(world, approved):
    item = ImplementationItem.objects.get()  # owner: the procedure's owner, P-A-1
    assert item.permits(policy_of(world.officer_a1), "reviews.implement")
    assert not item.permits(policy_of(world.oversight), "reviews.implement")


def test_the_ledger_counts_only_what_its_reader_may_see(world, approved):
    outsider = policy_of(world.outsider_admin)
    filters = ledger_module.Filters(roots=(world.units["P"],), as_of=today(), policy=outsider)
    assert ledger_module.ledger(filters).published == 0
    assert ledger_module.ledger_for(world.units["P"]).published == 1


# Pages ------------------------------------------------------------------------------------------------------------


def test_a_sibling_gets_404_on_the_pages_and_downloads_of_a_form(world, approved, sibling, login):
    review = approved.reviews.get()
    client = login(sibling)
    for url in [
        reverse("reviews:round", args=[review.round_id]),
        reverse("reviews:review", args=[review.pk]),
        reverse("reviews:review-docx", args=[review.pk]),
        reverse("reviews:approval", args=[approved.pk]),
        reverse("reviews:approval-docx", args=[approved.pk]),
        f"{reverse('reviews:proposals-xlsx')}?round={review.round_id}",
    ]:
        assert client.get(url).status_code == 404, url


def test_a_sibling_gets_404_on_the_workflow_of_a_form(world, review, sibling, login):
    client = login(sibling)
    for name in ["submit", "check", "return", "assess", "hint", "sheet-current"]:
        assert client.post(reverse(f"reviews:{name}", args=[review.pk])).status_code == 404, name


def test_a_sibling_gets_404_on_an_implementation_item(world, approved, sibling, login):
    item = ImplementationItem.objects.get()
    url = reverse("reviews:implementation-update", args=[item.pk])
    assert login(sibling).post(url, {f"item-{item.pk}-status": "done"}).status_code == 404


def test_lists_show_a_sibling_nothing_of_another_unit(world, approved, sibling, login):
    client = login(sibling)
    review = approved.reviews.get()
    for name in ["rounds", "approvals", "implementation"]:
        body = text(client.get(reverse(f"reviews:{name}")))
        assert review.round.title not in body and approved.number not in body, name


def test_the_ledger_of_a_sibling_unit_is_404(world, login):
    assert login(world.focal_a).get(reverse("reviews:ledger") + "?org=P-B").status_code == 404


def test_the_plans_page_counts_only_the_forms_its_reader_may_see(world, review, login):
    other = f.publish(world, world.units["P-A"], "Thủ tục của sở")
    services.round_add_procedure(round=review.round, procedure=other)
    page = login(world.officer_a1).get(reverse("reviews:rounds"))
    (row,) = page.context["rounds"]
    assert (row.n_reviews, review.round.reviews.count()) == (1, 2)


def test_a_draft_decision_shows_someone_who_sees_it_through_their_form_that_form_only(world, login):
    mine = _checked(world, world.units["P-A-1"], "Thủ tục của phòng")
    theirs = _checked(world, world.units["P-B"], "Thủ tục của sở B")
    decision = ApprovalDecision.objects.create(number="3/QĐ-UBND", issuer=world.units["P"], **DECISION_GROUNDS)
    for review in (mine, theirs):
        services.approval_add(decision=decision, review=review)
    page = text(login(world.officer_a1).get(reverse("reviews:approval", args=[decision.pk])))
    assert mine.procedure.code in page and theirs.procedure.code not in page
    assert 'id="docx"' not in page and 'id="partial"' in page


def test_the_word_file_of_a_draft_decision_is_for_readers_of_its_issuer(world, login):
    mine = _checked(world, world.units["P-A-1"], "Thủ tục của phòng")
    decision = ApprovalDecision.objects.create(number="4/QĐ-UBND", issuer=world.units["P"], **DECISION_GROUNDS)
    services.approval_add(decision=decision, review=mine)
    url = reverse("reviews:approval-docx", args=[decision.pk])
    assert login(world.officer_a1).get(url).status_code == 403
    assert login(world.focal_p).get(url).status_code == 200


def test_the_word_file_of_an_issued_decision_is_for_everyone_who_sees_it(world, approved, login):
    assert login(world.officer_a1).get(reverse("reviews:approval-docx", args=[approved.pk])).status_code == 200


def test_the_approval_list_counts_only_the_forms_its_reader_may_see(world, login):
    mine = _checked(world, world.units["P-A-1"], "Thủ tục của phòng")
    theirs = _checked(world, world.units["P-B"], "Thủ tục của sở B")
    decision = ApprovalDecision.objects.create(number="5/QĐ-UBND", issuer=world.units["P"], **DECISION_GROUNDS)
    for review in (mine, theirs):
        services.approval_add(decision=decision, review=review)
    (row,) = login(world.officer_a1).get(reverse("reviews:approvals")).context["decisions"]
    assert row.n_reviews == 1


def test_the_cost_sheet_offers_only_visible_parameter_sets(world, review, login):
    f.parameters(organisation=world.units["Q"], name="Bộ tham số của tỉnh Q")
    services.sheet_start_current(review)
    page = text(login(world.officer_a1).get(reverse("reviews:review", args=[review.pk])))
    assert "Bộ tham số của tỉnh Q" not in page


def _checked(world, owner, name):
    procedure = f.publish(world, owner, name, group="B")
    plan = f.round_for(world, org=world.units["P"], deadline=today() + timedelta(days=30))
    review = services.round_add_procedure(round=plan, procedure=procedure)
    return f.advance(f.filled(review, Action.KEEP), ReviewStatus.CHECKED)
