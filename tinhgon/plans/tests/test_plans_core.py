from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.dates import today
from tinhgon.plans import indicators, progress, services
from tinhgon.plans.constants import AssignmentRole, ExecutingRule, IndicatorStatus, Period, Recurrence, Source
from tinhgon.plans.constants import StatusClass as S
from tinhgon.plans.models import Assignment, Indicator, Scorecard, ScoreCriterion, validate_bands
from tinhgon.plans.periods import instance_due_dates, spans
from tinhgon.plans.tests import factories as f

pytestmark = pytest.mark.django_db
D = Decimal


def test_status_classes_at_the_boundaries():
    due = date(2026, 3, 31)
    a = Assignment(due_on=due)
    assert a.status_class(due) == S.NOT_DUE  # due today is not overdue
    assert a.status_class(due + timedelta(days=1)) == S.OVERDUE
    a.progress = 40
    assert a.status_class(due) == S.IN_PROGRESS
    a.completed_on = due
    assert a.status_class(due + timedelta(days=30)) == S.DONE_ON_TIME
    a.completed_on = due + timedelta(days=1)  # done the day after
    assert a.status_class(due + timedelta(days=1)) == S.DONE_LATE
    assert Assignment(due_on=None).status_class(due) == S.NOT_DUE


def test_the_cascade_reads_each_assignment_as_the_model_does(world):
    """plans.progress reads assignments as values (Part): the same status class and "reported" as the model."""
    plan = f.plan(world.units["P"])
    due = plan.period_start + timedelta(days=10)
    task = f.task(plan, world.units["P-A"], deadline=due)
    late = due + timedelta(days=2)
    cases = [(None, 0, ""), (None, 30, ""), (None, 0, "Đã triển khai"), (due, 100, ""), (late, 100, "")]
    for completed_on, done, report in cases:
        a = Assignment.objects.get(task=task, organisation=world.units["P-A"])
        a.completed_on, a.progress, a.report = completed_on, done, report
        a.save()
        (part,) = [p for p in progress_parts(plan) if p.organisation_id == a.organisation_id]
        for day in (due - timedelta(days=1), due, due + timedelta(days=1), due + timedelta(days=5)):
            assert part.status_class(day) == a.status_class(day), (completed_on, done, report, day)
        assert progress.reported(part) == progress.reported(a)


def progress_parts(plan):
    return [p for parts in progress.cascade_parts([plan.pk]).values() for p in parts]


def test_recurrence_instances():
    monthly = instance_due_dates(Recurrence.MONTHLY, date(2026, 1, 1), date(2026, 12, 31), day=15)
    assert len(monthly) == 12 and monthly[0].end == date(2026, 1, 15) and monthly[1].label == "tháng 02/2026"
    quarters = instance_due_dates(Recurrence.QUARTERLY, date(2026, 2, 10), date(2026, 12, 20))
    assert [q.end for q in quarters] == [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 20)]
    assert [s.label for s in spans(Period.HALF_YEARLY, date(2026, 1, 1), date(2026, 12, 31))] == [
        "6 tháng đầu năm 2026",
        "6 tháng cuối năm 2026",
    ]
    assert instance_due_dates(Recurrence.MONTHLY, date(2026, 1, 1), date(2026, 2, 28), day=31)[1].end == date(
        2026, 2, 28
    )


def test_a_task_expands_into_assignments_by_list_rule_and_recurrence(world):
    plan = f.plan(world.units["P"])
    task = f.task(
        plan,
        world.units["P-VP"],
        coordinating=[world.units["P-A"]],
        executing=[world.units["P-X"]],
        executing_rule=ExecutingRule.DEPARTMENTS,
        deadline=date(2026, 6, 30),
    )
    roles = {(a.organisation.code, a.role) for a in task.assignments.all()}
    assert roles == {
        ("P-VP", AssignmentRole.LEAD),
        ("P-A", AssignmentRole.COORDINATING),  # coordinating wins over the rule's executing role
        ("P-X", AssignmentRole.EXECUTING),
        ("P-B", AssignmentRole.EXECUTING),
    }
    monthly = f.task(plan, world.units["P-A"], code="2", recurrence=Recurrence.MONTHLY, recurrence_day=20)
    assert monthly.assignments.count() == 12 and monthly.assignments.first().due_on == date(2026, 1, 20)
    assert AuditLogEntry.objects.filter(action="plans.assignment.created").count() == 16


def test_reports_are_kept_when_a_unit_drops_out(world):
    task = f.task(f.plan(world.units["P"]), world.units["P-A"], executing=[world.units["P-B"], world.units["P-X"]])
    reported = task.assignments.get(organisation=world.units["P-B"])
    services.assignment_report(assignment=reported, progress=30, report="Đã dự thảo")
    services.task_save(task=task, executing=[])
    assert set(task.assignments.values_list("organisation__code", flat=True)) == {"P-A", "P-B"}


def test_progress_rolls_up_to_tasks_plans_and_parent_plans(world):
    province = f.plan(world.units["P"])
    t1 = f.task(province, world.units["P-A"], code="1", executing=[world.units["P-B"]], deadline=date(2026, 6, 30))
    t2 = f.task(province, world.units["P-B"], code="2", deadline=date(2026, 6, 30), weight=3)
    services.assignment_report(assignment=t1.assignments.get(role=AssignmentRole.LEAD), progress=60)
    services.assignment_report(assignment=t1.assignments.get(role=AssignmentRole.EXECUTING), progress=30)
    department = f.plan(world.units["P-B"], title="Kế hoạch của sở B", parent_task=t2)
    d1 = f.task(department, world.units["P-B"], code="1", deadline=date(2026, 5, 31))
    services.assignment_report(assignment=d1.assignments.get(), progress=80)

    result = progress.cascade(province, on=date(2026, 4, 1))
    assert result.task_figures[t1.pk].progress == D("50.0")  # (60×2 + 30×1) / 3
    assert result.plan_progress[department.pk] == D("80.0")
    assert result.task_figures[t2.pk].progress == D("80.0")  # P-B's own plan implements its task
    assert result.plan_progress[province.pk] == D("72.5")  # (50×1 + 80×3) / 4
    assert department.parent_plan_id == province.pk  # implementing a task implements its plan
    assert result.task_figures[t1.pk].status == S.IN_PROGRESS
    assert progress.cascade(province, on=date(2026, 7, 1)).task_figures[t1.pk].status == S.OVERDUE


def test_task_status_combines_its_assignments():
    assert progress.combined_status([S.DONE_ON_TIME, S.OVERDUE, S.IN_PROGRESS]) == S.OVERDUE
    assert progress.combined_status([S.DONE_ON_TIME, S.DONE_LATE]) == S.DONE_LATE
    assert progress.combined_status([S.DONE_ON_TIME, S.NOT_DUE]) == S.NOT_DUE
    assert progress.combined_status([S.DONE_ON_TIME]) == S.DONE_ON_TIME


def test_report_completion_and_guards(world):
    task = f.task(f.plan(world.units["P"]), world.units["P-A"], deadline=today())
    a = task.assignments.get()
    with pytest.raises(ValidationError):
        services.assignment_report(assignment=a, progress=120)
    with pytest.raises(ValidationError, match="sau ngày hôm nay"):
        services.assignment_report(assignment=a, progress=50, completed_on=today() + timedelta(days=1))
    loaded = a.row_version
    services.assignment_report(assignment=a, progress=100, report="Xong")
    assert a.completed_on == today() and a.status_class() == S.DONE_ON_TIME
    with pytest.raises(ValidationError, match="người khác cập nhật"):
        services.assignment_report(assignment=a, progress=90, started_from=loaded)


def test_extension_flow(world):
    task = f.task(f.plan(world.units["P"]), world.units["P-A"], deadline=date(2026, 3, 31))
    a = task.assignments.get()
    with pytest.raises(ValidationError, match="sau thời hạn hiện tại"):
        services.extension_request(assignment=a, new_due_on=date(2026, 3, 1), reason="x")
    request = services.extension_request(assignment=a, new_due_on=date(2026, 4, 30), reason="Chờ ý kiến Bộ")
    with pytest.raises(ValidationError, match="đang chờ"):
        services.extension_request(assignment=a, new_due_on=date(2026, 5, 30), reason="Lần hai")
    with pytest.raises(ValidationError, match="lý do"):
        request.refuse("")
    request.approve(by=world.chair_p)
    a.refresh_from_db()
    assert (a.due_on, a.original_due_on) == (date(2026, 4, 30), date(2026, 3, 31))
    assert a.status_class(date(2026, 4, 15)) == S.NOT_DUE
    services.task_save(task=task)  # re-saving the task keeps the extended deadline
    a.refresh_from_db()
    assert a.due_on == date(2026, 4, 30)
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {"plans.extension.requested", "plans.extension.approved", "plans.assignment.extended"} <= actions


def test_plans_cannot_implement_themselves(world):
    a = f.plan(world.units["P"])
    b = f.plan(world.units["P-A"], parent_plan=a)
    a.parent_plan = b
    with pytest.raises(ValidationError, match="vòng lặp"):
        services.plan_save(plan=a)


def test_manual_and_computed_indicators(world):
    manual = Indicator.objects.create(
        name="Tỷ lệ hài lòng", target=85, organisation=world.units["P-A"], period=Period.YEARLY
    )
    span = indicators.periods_of(manual)[0]
    value = indicators.indicator_value_enter(indicator=manual, span=span, value="86,5", by=world.focal_a)
    assert value.value == D("86.5") and value.entered_by == world.focal_a and value.status == IndicatorStatus.MET
    with pytest.raises(ValidationError, match="0 đến 100"):
        indicators.indicator_value_enter(indicator=manual, span=span, value=120)
    late = Indicator(name="Hồ sơ trễ hạn", target=5, direction="lte", organisation=world.units["P-A"])
    assert late.status_of(D(7), date(2020, 12, 31)) == IndicatorStatus.MISSED
    assert late.status_of(D(7), today() + timedelta(days=10)) == IndicatorStatus.AT_RISK

    on_time = Indicator.objects.create(
        name="Nhiệm vụ đúng hạn",
        target=100,
        organisation=world.units["P"],
        period=Period.YEARLY,
        source=Source.ON_TIME_TASK_RATE,
    )
    plan = f.plan(world.units["P"], year=today().year)
    done = f.task(plan, world.units["P-A"], code="1", deadline=today() - timedelta(days=2)).assignments.get()
    f.task(plan, world.units["P-B"], code="2", deadline=today() - timedelta(days=1))
    services.assignment_report(assignment=done, progress=100, completed_on=today() - timedelta(days=3))
    (row,) = indicators.indicator_refresh(on_time, year=today().year)
    assert row.value == D("50.00") and row.computed
    with pytest.raises(ValidationError, match="tự động"):
        indicators.indicator_value_enter(indicator=on_time, span=span, value=1)


def test_scorecard_totals_bands_and_copy(world):
    card = Scorecard.objects.create(organisation=world.units["P-A"], year=2025, title="Chỉ số CCHC", bands=[])
    root = ScoreCriterion.objects.create(scorecard=card, code="1", title="Cải cách TTHC", max_points=10)
    leaf_a = ScoreCriterion.objects.create(scorecard=card, parent=root, code="1.1", title="Công bố", max_points=4)
    leaf_b = ScoreCriterion.objects.create(scorecard=card, parent=root, code="1.2", title="Rà soát", max_points=6)
    indicators.criterion_score(criterion=leaf_a, self_score=D(4), evidence="QĐ 680")
    indicators.criterion_score(criterion=leaf_b, self_score=D(5))
    with pytest.raises(ValidationError, match="0 đến 6"):
        indicators.criterion_score(criterion=leaf_b, self_score=D(7))
    with pytest.raises(ValidationError, match="thành phần"):
        indicators.criterion_score(criterion=root, self_score=D(1))
    totals = indicators.scorecard_totals(card)
    assert (totals["max_points"], totals["self_score"], totals["appraised_score"]) == (10, 9, None)
    assert totals["band"] == "Xuất sắc"  # 9 of 10
    indicators.criterion_score(criterion=leaf_b, appraised_score=D(3))
    copy = indicators.scorecard_copy(source=card, year=2026)
    assert copy.criteria.count() == 3 and not copy.criteria.exclude(self_score=None).exists()
    assert copy.criteria.get(code="1.2").parent.code == "1"


def test_bands_rate_the_share_of_the_maximum_points():
    card = Scorecard(bands=[])
    assert card.band(D(90), out_of=D(100)) == "Xuất sắc" and card.band(D("89.99"), out_of=D(100)) == "Tốt"
    assert card.band(D("16.50"), out_of=D(20)) == "Tốt"  # 82,5 %, issue 13: rated "Yếu" on absolute points
    assert card.band(D(9), out_of=D(20)) == "Yếu" and card.band(D(0), out_of=D(0)) == ""


@pytest.mark.parametrize(
    "bands", [{"90": "Xuất sắc"}, [[120, "Xuất sắc"]], [[90, ""]], [["90", "A"]], [[90, "A"], [90, "B"]]]
)
def test_bands_of_another_shape_are_refused_in_vietnamese(bands):
    with pytest.raises(ValidationError, match="Xếp loại|cùng tỷ lệ"):
        validate_bands(bands)


def test_task_and_plan_guards(world):
    plan = f.plan(world.units["P"])
    f.task(plan, world.units["P-A"], code="1", deadline=date(2026, 3, 1))
    with pytest.raises(ValidationError, match="đã có nhiệm vụ số 1"):
        f.task(plan, world.units["P-B"], code="1")
    with pytest.raises(ValidationError, match="ngoài thời gian"):
        f.task(plan, world.units["P-B"], code="2", deadline=date(2027, 1, 5))
    other = f.task(f.plan(world.units["P"], title="Kế hoạch khác"), world.units["P-A"], code="9")
    with pytest.raises(ValidationError, match="không thuộc kế hoạch cấp trên"):
        f.plan(world.units["P-A"], parent_plan=plan, parent_task=other)
    assert progress.weighted_mean([]) == D("0.0") and str(progress.weighted_mean([])) == "0.0"


def test_rules_count_departments_in_the_province_and_divisions_under_the_issuer(world):
    department_plan = f.plan(world.units["P-A"])
    task = f.task(department_plan, world.units["P-A"], executing_rule=ExecutingRule.DEPARTMENTS)
    assert set(task.assignments.values_list("organisation__code", flat=True)) == {"P-A", "P-B"}  # P-A as lead
    divisions = f.task(department_plan, world.units["P-A"], code="2", executing_rule=ExecutingRule.DIVISIONS)
    assert set(divisions.assignments.values_list("organisation__code", flat=True)) == {"P-A", "P-A-1"}
    communes = f.task(f.plan(world.units["P"]), world.units["P-VP"], executing_rule=ExecutingRule.COMMUNES)
    assert set(communes.assignments.values_list("organisation__code", flat=True)) == {"P-VP", "P-X"}
