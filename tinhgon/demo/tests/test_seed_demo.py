from datetime import date
from io import StringIO

from django.apps import apps
from django.core.management import call_command

import pytest

from tinhgon.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def row_counts():
    # Unmanaged models are tables Django does not own (SearchEntryText: SQLite's FTS5 table, absent on PostgreSQL).
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed}


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


def test_demo_plans_cascade_with_assignments_in_every_status_indicators_and_a_scorecard():
    from tinhgon.plans.constants import ExtensionStatus, PlanKind, Recurrence, Source, StatusClass
    from tinhgon.plans.indicators import scorecard_totals
    from tinhgon.plans.models import Assignment, ExtensionRequest, Indicator, IndicatorValue, Plan, Scorecard

    call_command("seed_demo", stdout=StringIO())
    province = Organisation.objects.get(code="VLG")
    plan = Plan.objects.get(issuer=province, title__startswith="Kế hoạch kiểm soát thủ tục hành chính")
    assert plan.kind == PlanKind.PROCEDURE_REFORM and plan.tasks.count() == 10
    assert {t.lead.code for t in plan.tasks.select_related("lead")} >= {"VLG-VP", "VLG-SKHCN"}
    assert plan.tasks.exclude(executing_rule="").filter(executing_rule="departments_and_communes").exists()
    monthly = plan.tasks.get(recurrence=Recurrence.MONTHLY)
    assert monthly.title == "Báo cáo tình hình, kết quả kiểm soát TTHC hằng tháng" and monthly.recurrence_day == 20
    assert {a.due_on.day for a in monthly.assignments.all()} == {20}
    communes = Organisation.objects.subtree(province).filter(kind="commune")
    assert set(communes.values_list("pk", flat=True)) <= set(monthly.assignments.values_list("organisation", flat=True))

    snv_plans = Plan.objects.filter(issuer__code="VLG-SNV")
    assert snv_plans.count() == 2 and all(p.parent_plan_id == plan.pk for p in snv_plans)
    assert {p.parent_task.code for p in snv_plans} == {"2", "3"}

    statuses = {a.status_class() for a in Assignment.objects.all()}
    assert set(StatusClass.values) <= statuses
    assert ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).count() == 1

    reform = snv_plans.get(kind=PlanKind.REFORM_ANNUAL)
    targets = {i.name: i for i in Indicator.objects.filter(plan=reform)}
    assert len(targets) == 5
    assert {i.source for i in targets.values()} == {Source.MANUAL, Source.ON_TIME_TASK_RATE}
    assert targets["Mức độ hài lòng của người dân, doanh nghiệp"].target == 85
    assert IndicatorValue.objects.filter(indicator__plan=reform, computed=False).count() >= 4
    assert IndicatorValue.objects.filter(indicator__source=Source.ON_TIME_TASK_RATE, computed=True).exists()

    card = Scorecard.objects.get(organisation__code="VLG-SNV", title="Chỉ số cải cách hành chính")
    totals = scorecard_totals(card)
    assert totals["max_points"] == 20 and 0 < totals["self_score"] < 20 and totals["band"]


def test_demo_quarterly_reports_are_sent_and_the_province_aggregates_them_with_one_missing():
    from tinhgon.accounts.models import User
    from tinhgon.accounts.permissions import Policy
    from tinhgon.audit.models import AuditLogEntry
    from tinhgon.demo.reports import LATE, previous_quarter
    from tinhgon.reports import services
    from tinhgon.reports.models import Report, Status

    call_command("seed_demo", stdout=StringIO())
    p = previous_quarter()
    quarter = Report.objects.filter(kind="quarterly", year=p.year, number=p.number)
    assert all((r.start, r.end) == (p.start, p.end) for r in quarter)
    sent = quarter.filter(status__in=[Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED]).select_related(
        "organisation"
    )
    assert quarter.filter(status=Status.SUBMITTED).count() == quarter.filter(status=Status.RETURNED).count() == 1
    assert {r.organisation.kind for r in sent} >= {"department", "commune", "provincial_office"}
    assert sent.filter(organisation__kind="department").count() >= 5
    assert sent.filter(organisation__kind="commune").count() >= 5
    assert all(r.results and r.difficulties and r.proposals and r.manual_rows and r.submitted_at for r in sent)
    province = quarter.get(organisation__code="VLG")
    assert province.status == Status.DRAFT and province.results
    vanphong = User.objects.get(username="vanphong")
    rows = services.children(province, Policy(user=vanphong, memberships=list(vanphong.memberships_in_force())))
    assert [r.organisation.code for r in rows if r.report is None] == [LATE]
    assert sum(1 for r in rows if r.accepted) == len(rows) - 3  # the late one, the one waiting, the one returned
    totals = services.aggregate(rows)
    assert totals["procedures"]["in_force"] > 0 and totals["reviews"]["published"] > 0
    assert AuditLogEntry.objects.filter(action="reports.report.submitted").count() == sent.count()


def test_demo_quality_register_audit_and_service_index():
    from tinhgon.accounts.models import User
    from tinhgon.accounts.permissions import Policy
    from tinhgon.core import inbox
    from tinhgon.quality.constants import FindingCategory, ProcessStatus, ScoreStatus
    from tinhgon.quality.models import ConformityAnnouncement, InternalAudit, QualityProcess, ServiceIndexScore

    call_command("seed_demo", stdout=StringIO())
    agency = Organisation.objects.get(code="VLG-SNV")
    assert ConformityAnnouncement.objects.filter(organisation=agency).count() == 1
    processes = QualityProcess.objects.filter(organisation__in=Organisation.objects.subtree(agency))
    assert processes.filter(status=ProcessStatus.IN_FORCE).count() == 6
    assert processes.filter(status=ProcessStatus.SUPERSEDED).count() == 1
    assert processes.filter(status=ProcessStatus.ABOLISHED).count() == 1
    assert processes.review_due().exists() and processes.filter(procedures__isnull=False).exists()
    audit = InternalAudit.objects.get(organisation=agency)
    assert {f.category for f in audit.findings.all()} == set(FindingCategory.values)
    assert audit.findings.late().count() == 1 and audit.findings.filter(closed_on__isnull=False).count() == 1
    scores = ServiceIndexScore.objects.all()
    assert scores.count() == 15 and set(scores.values_list("status", flat=True)) == {ScoreStatus.PUBLISHED}
    assert all(0 < s.total <= 100 for s in scores)
    officer = User.objects.get(username="chuyenvien.tdkt")
    policy = Policy(user=officer, memberships=list(officer.memberships_in_force()))
    assert "quality.finding_late" in {item.kind for item in inbox.items_for(policy)}
