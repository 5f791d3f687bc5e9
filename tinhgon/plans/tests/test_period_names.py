"""Plans name their periods as reports do (core.formatting.period_name): 'quý III/2026', never 'Quý 3/2026'."""

from datetime import date
from importlib import import_module

from django.apps import apps

import pytest

from tinhgon.plans import services
from tinhgon.plans.constants import Period, Recurrence
from tinhgon.plans.models import Assignment
from tinhgon.plans.periods import instance_due_dates, spans
from tinhgon.plans.tests import factories as f
from tinhgon.reports.periods import Kind, period

pytestmark = pytest.mark.django_db
names = import_module("tinhgon.plans.migrations.0009_period_names")


def test_a_quarter_of_a_plan_is_named_with_a_roman_numeral_like_the_report_of_that_quarter():
    quarters = spans(Period.QUARTERLY, date(2026, 1, 1), date(2026, 12, 31))
    assert [q.label for q in quarters] == [period(Kind.QUARTERLY, 2026, n).label for n in range(1, 5)]
    assert quarters[2].label == "quý III/2026"


def test_a_recurring_task_names_its_instances_month_half_and_year_in_lower_case():
    assert instance_due_dates(Recurrence.MONTHLY, date(2026, 11, 1), date(2026, 11, 30))[0].label == "tháng 11/2026"
    assert spans(Period.HALF_YEARLY, date(2026, 7, 1), date(2026, 7, 1))[0].label == "6 tháng cuối năm 2026"
    assert spans(Period.YEARLY, date(2026, 7, 1), date(2026, 7, 1))[0].label == "năm 2026"


@pytest.mark.parametrize(
    ("old", "new"),
    [("Quý 3/2026", "quý III/2026"), ("Tháng 06/2026", "tháng 06/2026"), ("Năm 2026", "năm 2026"), ("", "")],
)
def test_the_migration_renames_a_stored_label_and_back(old, new):
    assert names._new(old) == new and names._old(new) == old


def test_an_assignment_renamed_by_the_migration_is_kept_when_its_task_is_saved_again(world):
    plan = f.plan(world.units["P"])
    task = f.task(plan, world.units["P-A"], recurrence=Recurrence.QUARTERLY)
    Assignment.objects.filter(task=task, period_label="quý I/2026").update(period_label="Quý 1/2026")
    names.forward(apps, None)
    before = set(Assignment.objects.filter(task=task).values_list("pk", "period_label"))
    services.task_save(task=task, coordinating=(), executing=())
    assert set(Assignment.objects.filter(task=task).values_list("pk", "period_label")) == before
    assert "quý I/2026" in {label for _, label in before}
