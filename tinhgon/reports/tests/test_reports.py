from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tinhgon.accounts.permissions import Policy
from tinhgon.audit.models import AuditLogEntry
from tinhgon.audit.transitions import TransitionRefused
from tinhgon.core.dates import today
from tinhgon.core.locking import Stale
from tinhgon.plans import services as plan_services
from tinhgon.plans.models import Indicator
from tinhgon.plans.tests import factories as pf
from tinhgon.reports import services
from tinhgon.reports.models import Report, Status
from tinhgon.reports.periods import Kind, current
from tinhgon.reviews import services as review_services
from tinhgon.reviews.constants import Action, ReviewStatus
from tinhgon.reviews.tests import factories as rf

pytestmark = pytest.mark.django_db


def quarter_now():
    return current(Kind.QUARTERLY, today())


def policy_of(user) -> Policy:
    return Policy(user=user, memberships=list(user.memberships_in_force()))


def quarterly(world, code) -> Report:
    p = quarter_now()
    return services.report_create(organisation=world.units[code], kind=Kind.QUARTERLY, year=p.year, number=p.number)


def test_figures_against_hand_counted_data(world):
    p = quarter_now()
    rf.publish(world, world.units["P-A"], "Thủ tục một", group="A")
    rf.publish(world, world.units["P-A-1"], "Thủ tục hai", group="B", level="commune")
    rf.publish(world, world.units["P-B"], "Thủ tục của sở B")  # outside P-A
    reviewed = rf.publish(world, world.units["P-A"], "Thủ tục ba")
    review = review_services.round_add_procedure(round=rf.round_for(world), procedure=reviewed)
    rf.filled(review, Action.ABOLISH)
    rf.advance(review, ReviewStatus.CHECKED)
    rf.approve(world, [review])

    plan = pf.plan(world.units["P-A"], year=p.end.year)
    on_time = pf.task(plan, world.units["P-A"], code="1", deadline=p.end - timedelta(days=1))
    pf.task(plan, world.units["P-A-1"], code="2", deadline=p.end)  # due, open: in the period, not overdue on its end
    pf.task(plan, world.units["P-A"], code="3", deadline=p.end + timedelta(days=1))  # next period: not counted
    plan_services.assignment_report(assignment=on_time.assignments.get(), progress=100, completed_on=p.start)
    Indicator.objects.create(name="Hài lòng", target=85, organisation=world.units["P-A"])

    report = services.report_create(organisation=world.units["P-A"], kind=Kind.QUARTERLY, year=p.year, number=p.number)
    fig = report.figures
    assert fig["procedures"]["in_force"] == 3 and fig["procedures"]["by_group"] == {"A": 2, "B": 1}
    assert fig["procedures"]["by_level"] == {"province": 2, "commune": 1}
    assert fig["procedures"]["decided"] == {"new": 3, "amended": 0, "replaced": 0, "abolished": 0}
    assert (fig["reviews"]["reviewed"], fig["reviews"]["simplified"], fig["reviews"]["published"]) == (1, 1, 3)
    assert fig["reviews"]["simplified_pct"] == "33.33"
    assert (fig["tasks"]["due"], fig["tasks"]["done_on_time"], fig["tasks"]["not_due"]) == (2, 1, 1)
    assert fig["indicators"] == [
        {
            "name": "Hài lòng",
            "unit": "%",
            "direction": "gte",
            "target": "85.00",
            "value": None,
            "period": "",
            "status": "missed" if today() > p.end else "at_risk",
        }
    ]


def test_submit_freezes_and_locks(world):
    report = quarterly(world, "P-A")
    with pytest.raises(ValidationError, match="kết quả"):
        report.submit()
    services.report_write(
        report=report, results="Hoàn thành kế hoạch quý.", manual_rows=[{"label": "Hội nghị", "value": "2"}]
    )
    report.submit(by=world.leader_a)
    frozen = dict(report.figures)
    rf.publish(world, world.units["P-A"], "Công bố sau khi gửi")
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.figures == frozen and report.submitted_by == world.leader_a
    for action in (
        lambda: services.report_refresh(report=report),
        lambda: services.report_write(report=report, results="Sửa"),
    ):
        with pytest.raises(ValidationError, match="đã khóa"):
            action()


def test_a_second_submit_is_refused_and_writes_one_audit_entry(world):
    report = services.report_write(report=quarterly(world, "P-A"), results="Xong.")
    stale_copy = Report.objects.get(pk=report.pk)
    report.submit()
    with pytest.raises(TransitionRefused, match="đã được thực hiện"):
        stale_copy.submit()
    assert AuditLogEntry.objects.for_object(report).filter(action="reports.report.submitted").count() == 1


def test_submit_needs_the_submit_right_on_the_unit(world):
    report = services.report_write(report=quarterly(world, "P-A"), results="Xong.")
    with pytest.raises(PermissionDenied):
        report.perform("submit", policy_of(world.head_a1))
    assert report.available_transitions(policy_of(world.leader_a)) == {"submit"}
    assert report.available_transitions(policy_of(world.oversight)) == set()
    report.perform("submit", policy_of(world.leader_a), by=world.leader_a)
    assert report.available_transitions(policy_of(world.leader_a)) == set()


def test_submit_from_an_older_copy_is_refused_when_the_version_seen_is_given(world):
    report = quarterly(world, "P-A")
    seen = report.row_version
    services.report_write(report=report, results="Viết sau khi người gửi mở trang.")
    with pytest.raises(Stale):
        report.submit(started_from=seen)
    assert Report.objects.get(pk=report.pk).status == Status.DRAFT


def test_a_second_report_of_the_period_is_refused_with_the_existing_one(world):
    first = quarterly(world, "P-A")
    with pytest.raises(services.ReportExists, match="đã có báo cáo") as refused:
        quarterly(world, "P-A")
    assert refused.value.existing == first


def test_a_report_created_meanwhile_by_another_request_is_refused_not_a_server_error(world, monkeypatch):
    """The other request inserts the period's report after this one checked and before it saves: the unique
    constraint refuses the row inside a savepoint, and the answer names the report that won."""
    p = quarter_now()
    compute, theirs = Report.compute, []

    def meanwhile(report):
        compute(report)
        fields = {"kind": report.kind, "year": report.year, "number": report.number}
        theirs.append(
            Report.objects.create(organisation=report.organisation, start=report.start, end=report.end, **fields)
        )

    monkeypatch.setattr(Report, "compute", meanwhile)
    with pytest.raises(services.ReportExists, match="đã có báo cáo") as refused:
        services.report_create(organisation=world.units["P-A"], kind=Kind.QUARTERLY, year=p.year, number=p.number)
    assert refused.value.existing == theirs[0]


def test_refresh_and_write_decide_on_the_stored_report_not_the_callers_copy(world):
    report = services.report_write(report=quarterly(world, "P-A"), results="Xong.")
    copy = Report.objects.get(pk=report.pk)  # a page opened before the submit
    report.submit()
    with pytest.raises(ValidationError, match="đã khóa"):
        services.report_refresh(report=copy)
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_refresh_from_an_older_copy_is_refused(world):
    report = quarterly(world, "P-A")
    seen = report.row_version
    services.report_write(report=report, results="Bản một")
    with pytest.raises(Stale):
        services.report_refresh(report=report, started_from=seen)
    fresh = services.report_refresh(report=report, started_from=seen + 1)
    assert fresh.row_version == Report.objects.get(pk=report.pk).row_version == seen + 2


def test_stale_narrative_and_manual_rows(world):
    report = services.report_create(organisation=world.units["P-A"], kind=Kind.ANNUAL, year=today().year)
    loaded = report.row_version
    services.report_write(report=report, results="Bản một")
    with pytest.raises(ValidationError, match="người khác cập nhật"):
        services.report_write(report=report, results="Bản hai", started_from=loaded)
    with pytest.raises(ValidationError, match="chưa có giá trị"):
        services.report_write(report=report, manual_rows=[{"label": "Số cuộc kiểm tra", "value": ""}])


def test_parent_aggregates_accepted_children_and_lists_missing(world):
    p = quarter_now()
    rf.publish(world, world.units["P-A"], "Của sở A")
    rf.publish(world, world.units["P-B"], "Của sở B")
    rf.publish(world, world.units["P-B"], "Của sở B hai")
    for code in ("P-A", "P-B"):
        child = services.report_create(
            organisation=world.units[code], kind=Kind.QUARTERLY, year=p.year, number=p.number
        )
        services.report_write(report=child, results="Đã thực hiện.")
        child.submit()
        child.accept()
    province = services.report_create(organisation=world.units["P"], kind=Kind.QUARTERLY, year=p.year, number=p.number)
    with CaptureQueriesContext(connection) as queries:
        rows = services.children(province, policy_of(world.focal_p))
    assert len(queries) <= 3
    status = {r.organisation.code: r.report is not None for r in rows}
    assert status == {"P-A": True, "P-B": True, "P-VP": False, "P-X": False}
    totals = services.aggregate(rows)
    assert totals["procedures"]["in_force"] == 3 and totals["reviews"]["published"] == 3


def test_the_children_and_their_reports_are_those_the_user_may_see(world):
    child = services.report_write(report=quarterly(world, "P-A"), results="Đã thực hiện.")
    child.submit()
    province = quarterly(world, "P")
    assert [r.report for r in services.children(province, policy_of(world.focal_p)) if r.report] == [child]
    assert services.children(province, policy_of(world.outsider_admin)) == []


def test_figures_query_count_does_not_grow(world):
    p = quarter_now()

    def count():
        with CaptureQueriesContext(connection) as queries:
            services.report_create(
                organisation=world.units["P"], kind=Kind.AD_HOC, year=p.year, start=p.start, end=p.end
            )
        return len(queries)

    rf.publish(world, world.units["P-A"], "Một")
    small = count()
    for n in range(4):
        rf.publish(world, world.units["P-B"], f"Thêm {n}")
        pf.task(pf.plan(world.units["P-B"], title=f"KH {n}", year=p.end.year), world.units["P-B"], deadline=p.end)
    assert count() == small
