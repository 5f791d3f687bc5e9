"""Two connections at the same moment on PostgreSQL (SQLite serialises writers): a report of a period is created
once, submitted once (one audit entry), and no edit overwrites another or reopens a submitted report."""

from tinhgon.audit.models import AuditLogEntry
from tinhgon.audit.transitions import TransitionRefused
from tinhgon.core.dates import today
from tinhgon.core.locking import Stale
from tinhgon.reports import services
from tinhgon.reports.models import Report, Status
from tinhgon.reports.periods import Kind, current
from tinhgon.test import RACE_MARKS, at_once

pytestmark = RACE_MARKS


def create(world):
    p = current(Kind.QUARTERLY, today())
    return services.report_create(organisation=world.units["P-A"], kind=Kind.QUARTERLY, year=p.year, number=p.number)


def test_two_simultaneous_creations_of_a_period_make_one_report(world):
    assert at_once(lambda: create(world), lambda: create(world), slowed=Report) == ["ReportExists", "done"]
    assert Report.objects.count() == 1
    assert AuditLogEntry.objects.filter(action="reports.report.created").count() == 1


def test_two_simultaneous_submits_submit_once(world):
    report = services.report_write(report=create(world), results="Đã thực hiện.")

    def submit():
        Report.objects.get(pk=report.pk).submit()

    assert at_once(submit, submit, slowed=Report) == [TransitionRefused.__name__, "done"]
    assert AuditLogEntry.objects.for_object(report).filter(action="reports.report.submitted").count() == 1


def test_two_simultaneous_writes_from_the_same_version_save_one(world):
    report = create(world)
    seen = report.row_version

    def write(text):
        return lambda: services.report_write(report=report, started_from=seen, results=text)

    assert at_once(write("Bản của A"), write("Bản của B"), slowed=Report) == [Stale.__name__, "done"]
    stored = Report.objects.get(pk=report.pk)
    assert stored.results in {"Bản của A", "Bản của B"} and stored.row_version == seen + 1


def test_a_refresh_racing_a_submit_never_reopens_the_report(world):
    report = services.report_write(report=create(world), results="Đã thực hiện.")

    def submit():
        Report.objects.get(pk=report.pk).submit()

    def refresh():
        services.report_refresh(report=Report.objects.get(pk=report.pk))

    assert at_once(submit, refresh, slowed=Report)[-1] == "done"
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED
