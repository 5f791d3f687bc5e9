from datetime import date
from io import StringIO

from django.apps import apps
from django.core.management import call_command

import pytest

from tinhgon.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def row_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    first = row_counts()
    call_command("seed_demo", stdout=StringIO())
    assert row_counts() == first


def test_demo_province_has_the_required_shape():
    call_command("seed_demo", stdout=StringIO())
    province = Organisation.objects.get(code="VLG")
    current = Organisation.objects.subtree(province)
    assert current.filter(kind="department").count() >= 12
    assert current.filter(kind="commune").count() >= 20
    assert current.filter(kind="provincial_office", is_tthc_focal_unit=True).exists()
    before = Organisation.objects.subtree(province, as_of=date(2025, 6, 30))
    assert before.filter(kind="district").count() == 2
    assert not current.filter(kind="district").exists()
    assert Organisation.objects.get(code="VLG-LONGHO").predecessors.count() == 3


def test_demo_registry_has_procedures_in_every_status_and_decisions():
    from django.db.models import Count

    from tinhgon.procedures.constants import Change, Status
    from tinhgon.procedures.models import DecisionItem, Procedure, ProcedureVersion

    call_command("seed_demo", stdout=StringIO())
    assert Procedure.objects.filter(is_template=False).count() >= 60
    statuses = set(ProcedureVersion.objects.values_list("status", flat=True).annotate(n=Count("id")))
    assert set(Status.values) - {Status.REPLACED} <= statuses
    changes = set(DecisionItem.objects.values_list("change", flat=True))
    assert {Change.NEW, Change.AMENDED, Change.ABOLISHED} <= changes
    assert Procedure.objects.filter(template__isnull=False).count() >= 10


def test_demo_review_round_has_every_state_and_the_ledger_is_part_way():
    from decimal import Decimal

    from tinhgon.reviews.constants import Action, ApprovalStatus, ImplementationStatus, ReviewStatus, Scenario
    from tinhgon.reviews.ledger import ledger_for
    from tinhgon.reviews.models import (
        ApprovalDecision,
        CostParameterSet,
        ImplementationItem,
        Milestone,
        Proposal,
        Review,
        ReviewRound,
    )

    call_command("seed_demo", stdout=StringIO())
    province = Organisation.objects.get(code="VLG")
    assert CostParameterSet.objects.filter(organisation__isnull=True, monthly_income=8_800_000).count() == 1
    assert Milestone.objects.filter(organisation=province).count() == 3
    round_ = ReviewRound.objects.get(organisation=province, year=2024)
    reviews = Review.objects.filter(round=round_)
    assert set(reviews.values_list("status", flat=True)) == set(ReviewStatus.values)
    assert {r.procedure.owner.code.split("-")[1] for r in reviews.select_related("procedure__owner")} == {"SNV", "STC"}
    returned = reviews.filter(status=ReviewStatus.RETURNED)
    assert returned.exists() and all(r.return_comment for r in returned)
    assert set(Proposal.objects.values_list("action", flat=True)) == set(Action.values)
    for review in reviews.exclude(status__in=[ReviewStatus.DRAFT]).prefetch_related("cost_sheets"):
        assert review.sheet(Scenario.CURRENT).annual_cost > 0
    decision = ApprovalDecision.objects.get(status=ApprovalStatus.ISSUED)
    assert decision.number == "1234/QĐ-UBND" and decision.issuer == province and decision.signer_title == "Chủ tịch"
    assert decision.reviews.count() >= 4
    assert any(item.is_overdue() for item in ImplementationItem.objects.all())
    implemented = Proposal.objects.filter(implemented_on__isnull=False)
    assert implemented.count() == 1
    assert implemented.get().review.procedure.published_version() == implemented.get().draft_version
    assert ImplementationItem.objects.filter(status=ImplementationStatus.DONE).count() >= 1

    ledger = ledger_for(province)
    assert 0 < ledger.reviewed < ledger.published
    assert 0 < ledger.simplified < ledger.reviewed
    assert 0 < ledger.implemented < ledger.approved_changing
    assert ledger.cost_saving > 0
    for pct in (ledger.reviewed_pct, ledger.simplified_pct, ledger.cost_saving_pct, ledger.implemented_pct):
        assert Decimal(0) < pct < Decimal(100)
    assert len(ledger.milestones) >= 4
    assert any(check.status != "met" for check in ledger.milestones)
    provincial = [c for c in ledger.milestones if c.milestone.organisation_id == province.pk]
    assert len(provincial) == 3
