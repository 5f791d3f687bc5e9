"""Two connections at the same moment on PostgreSQL (SQLite serialises writers): a report of a period is created
once, submitted once (one audit entry), and no edit overwrites another or reopens a submitted report."""

import threading

from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.db.models.signals import pre_save

import pytest

from tinhgon.audit.models import AuditLogEntry
from tinhgon.audit.transitions import TransitionRefused
from tinhgon.core.dates import today
from tinhgon.core.locking import Stale
from tinhgon.reports import services
from tinhgon.reports.models import Report, Status
from tinhgon.reports.periods import Kind, current

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def slow_save(sender, instance, **kwargs):
    """Widen the window in which two unlocked checks would both pass."""
    if sender is Report:
        threading.Event().wait(0.2)


def at_once(*calls) -> list[str]:
    """Run the calls in two threads released together; each outcome is "done" or the refusal's class name."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("done")
        except ValidationError as error:
            outcomes.append(type(error).__name__)
        finally:
            close_old_connections()
            connection.close()

    pre_save.connect(slow_save)
    try:
        threads = [threading.Thread(target=run, args=(call,)) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        pre_save.disconnect(slow_save)
    return sorted(outcomes)


def create(world):
    p = current(Kind.QUARTERLY, today())
    return services.report_create(organisation=world.units["P-A"], kind=Kind.QUARTERLY, year=p.year, number=p.number)


def test_two_simultaneous_creations_of_a_period_make_one_report(world):
    assert at_once(lambda: create(world), lambda: create(world)) == ["ReportExists", "done"]
    assert Report.objects.count() == 1
    assert AuditLogEntry.objects.filter(action="reports.report.created").count() == 1


def test_two_simultaneous_submits_submit_once(world):
    report = services.report_write(report=create(world), results="Đã thực hiện.")

    def submit():
        Report.objects.get(pk=report.pk).submit()

    assert at_once(submit, submit) == [TransitionRefused.__name__, "done"]
    assert AuditLogEntry.objects.for_object(report).filter(action="reports.report.submitted").count() == 1


def test_two_simultaneous_writes_from_the_same_version_save_one(world):
    report = create(world)
    seen = report.row_version

    def write(text):
        return lambda: services.report_write(report=report, started_from=seen, results=text)

    assert at_once(write("Bản của A"), write("Bản của B")) == [Stale.__name__, "done"]
    stored = Report.objects.get(pk=report.pk)
    assert stored.results in {"Bản của A", "Bản của B"} and stored.row_version == seen + 1


def test_a_refresh_racing_a_submit_never_reopens_the_report(world):
    report = services.report_write(report=create(world), results="Đã thực hiện.")

    def submit():
        Report.objects.get(pk=report.pk).submit()

    def refresh():
        services.report_refresh(report=Report.objects.get(pk=report.pk))

    assert at_once(submit, refresh)[-1] == "done"
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED
