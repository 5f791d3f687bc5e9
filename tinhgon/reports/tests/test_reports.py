from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tinhgon.core.dates import today
from tinhgon.plans import services as plan_services
from tinhgon.plans.models import Indicator
from tinhgon.plans.tests import factories as pf
from tinhgon.reports import services
from tinhgon.reports.models import Status
from tinhgon.reports.periods import Kind, current
from tinhgon.reviews import services as review_services
from tinhgon.reviews.constants import Action, ReviewStatus
from tinhgon.reviews.tests import factories as rf

pytestmark = pytest.mark.django_db


def quarter_now():
    return current(Kind.QUARTERLY, today())


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
    p = quarter_now()
    report = services.report_create(organisation=world.units["P-A"], kind=Kind.QUARTERLY, year=p.year, number=p.number)
    with pytest.raises(ValidationError, match="kết quả"):
        services.report_submit(report=report)
    services.report_write(
        report=report, results="Hoàn thành kế hoạch quý.", manual_rows=[{"label": "Hội nghị", "value": "2"}]
    )
    services.report_submit(report=report, by=world.leader_a)
    frozen = dict(report.figures)
    rf.publish(world, world.units["P-A"], "Công bố sau khi gửi")
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.figures == frozen
    for action in (
        lambda: services.report_refresh(report),
        lambda: services.report_write(report=report, results="Sửa"),
        lambda: services.report_submit(report=report),
    ):
        with pytest.raises(ValidationError, match="đã khóa"):
            action()
    with pytest.raises(ValidationError, match="đã có báo cáo"):
        services.report_create(organisation=world.units["P-A"], kind=Kind.QUARTERLY, year=p.year, number=p.number)


def test_stale_narrative_and_manual_rows(world):
    report = services.report_create(organisation=world.units["P-A"], kind=Kind.ANNUAL, year=today().year)
    loaded = report.row_version
    services.report_write(report=report, results="Bản một")
    with pytest.raises(ValidationError, match="người khác cập nhật"):
        services.report_write(report=report, results="Bản hai", started_from=loaded)
    with pytest.raises(ValidationError, match="chưa có giá trị"):
        services.report_write(report=report, manual_rows=[{"label": "Số cuộc kiểm tra", "value": ""}])


def test_parent_aggregates_submitted_children_and_lists_missing(world):
    p = quarter_now()
    rf.publish(world, world.units["P-A"], "Của sở A")
    rf.publish(world, world.units["P-B"], "Của sở B")
    rf.publish(world, world.units["P-B"], "Của sở B hai")
    for code in ("P-A", "P-B"):
        child = services.report_create(
            organisation=world.units[code], kind=Kind.QUARTERLY, year=p.year, number=p.number
        )
        services.report_write(report=child, results="Đã thực hiện.")
        services.report_submit(report=child)
    province = services.report_create(organisation=world.units["P"], kind=Kind.QUARTERLY, year=p.year, number=p.number)
    with CaptureQueriesContext(connection) as queries:
        rows = services.children(province)
    assert len(queries) <= 3
    status = {r.organisation.code: r.report is not None for r in rows}
    assert status == {"P-A": True, "P-B": True, "P-VP": False, "P-X": False}
    totals = services.aggregate(rows)
    assert totals["procedures"]["in_force"] == 3 and totals["reviews"]["published"] == 3


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
