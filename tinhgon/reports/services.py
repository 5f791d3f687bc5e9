"""Periodic reports: create with computed figures, refresh, write the narrative, aggregate the children's reports.
Sending up, returning and accepting are the transitions `Report.submit`, `send_back` and `accept` (models.py)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tinhgon.audit import context as audit
from tinhgon.core.locking import STALE, refuse_stale
from tinhgon.organisations.models import Organisation
from tinhgon.plans.progress import TaskTally
from tinhgon.reports.models import Report, Status
from tinhgon.reports.periods import Kind, period

NARRATIVE = ["results", "difficulties", "proposals", "document_number", "signer", "signer_title", "recipients"]
STALE_REPORT = STALE.replace("Nội dung", "Báo cáo", 1)
LOCKED = "Báo cáo đã gửi cấp trên nên đã khóa, không sửa được."


class ReportExists(ValidationError):
    """The unit already has its report of the period (perhaps created a moment ago by a second click or a
    colleague): `existing` is that report, for a link (page) or its id (API, 409)."""

    def __init__(self, existing: Report):
        super().__init__(f"{existing.organisation} đã có báo cáo {existing.period.label}.", code="exists")
        self.existing = existing


@transaction.atomic
def report_create(
    *,
    organisation: Organisation,
    kind: str,
    year: int,
    number: int = 1,
    start: date | None = None,
    end: date | None = None,
    by=None,
) -> Report:
    """Create the report of a period with its figures (audit: reports.report.created). One per unit and period
    except ad hoc reports: a second one, even created at the same instant, raises ReportExists."""
    try:
        p = period(kind, year, number, start, end)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    report = Report(
        organisation=organisation, kind=kind, year=p.year, number=p.number, start=p.start, end=p.end, created_by=by
    )
    _refuse_existing(report)
    report.compute()
    try:
        # A savepoint: when a parallel request inserted the same period meanwhile, the unique constraint refuses
        # this row and the transaction stays usable to find theirs.
        with transaction.atomic(), audit.action("reports.report.created"):
            report.save()
    except IntegrityError:
        _refuse_existing(report)
        raise
    return report


def _refuse_existing(report: Report) -> None:
    if report.kind == Kind.AD_HOC:
        return
    same = Report.objects.select_related("organisation").filter(
        organisation=report.organisation, kind=report.kind, year=report.year, number=report.number
    )
    existing = same.first()
    if existing is not None:
        raise ReportExists(existing)


def _stored_draft(report: Report, started_from: int | None) -> Report:
    """The stored report, locked: an edit is decided on what is stored (a colleague may have submitted it since
    the caller loaded it), refused when made from an older copy or when the report is locked."""
    stored = Report.objects.select_for_update().select_related("organisation").get(pk=report.pk)
    refuse_stale(stored, started_from, STALE_REPORT)
    if stored.is_locked:
        raise ValidationError(LOCKED, code="locked")
    return stored


@transaction.atomic
def report_refresh(*, report: Report, started_from: int | None = None) -> Report:
    """Recompute the figures of a draft from the data as it is now (still as of the period's cut-off). Returns
    the saved report (audit: reports.report.refreshed)."""
    stored = _stored_draft(report, started_from)
    stored.compute()
    with audit.action("reports.report.refreshed"):
        stored.save()
    return stored


def _clean_rows(rows) -> list[dict]:
    clean = []
    for n, row in enumerate(rows or [], start=1):
        label = str(row.get("label", "")).strip()
        if not label:
            continue
        if not str(row.get("value", "")).strip():
            raise ValidationError(f"Dòng nhập tay {n} (“{label}”): chưa có giá trị.")
        clean.append({k: str(row.get(k, "")).strip() for k in ("section", "label", "value", "note")})
    return clean


@transaction.atomic
def report_write(*, report: Report, started_from: int | None = None, manual_rows=None, **narrative) -> Report:
    """Save the narrative sections and the rows entered by hand (clearly marked as such in every output). Returns
    the saved report (audit: reports.report.updated)."""
    stored = _stored_draft(report, started_from)
    for key, value in narrative.items():
        if key not in NARRATIVE:
            raise ValidationError(f"Không có mục “{key}” trong báo cáo.")
        setattr(stored, key, (value or "").strip())
    if manual_rows is not None:
        stored.manual_rows = _clean_rows(manual_rows)
    with audit.action("reports.report.updated"):
        stored.save()
    return stored


@dataclass
class ChildReport:
    organisation: Organisation
    report: Report | None  # the report of the same period sent up (waiting, returned or accepted), None when not

    @property
    def accepted(self) -> bool:
        return self.report is not None and self.report.status == Status.ACCEPTED


def children(report: Report, policy) -> list[ChildReport]:
    """The units directly under the organisation at the end of the period, each with its report of the same
    period once sent up (waiting to be received, returned or accepted; None while it is a draft or missing), both
    as the user may see them. Two queries."""
    units = list(report.organisation.children_on(report.end).visible_to(policy).order_by("name"))
    sent = {
        r.organisation_id: r
        for r in Report.objects.visible_to(policy)
        .filter(organisation__in=units, kind=report.kind, year=report.year, number=report.number)
        .exclude(status=Status.DRAFT)
        .order_by("pk")
    }
    return [ChildReport(u, sent.get(u.pk)) for u in units]


SUMMED = {
    "procedures": ["in_force"],
    "reviews": ["published", "reviewed", "simplified", "cost_before", "cost_after", "cost_saving", "implemented"],
    "tasks": ["due", "not_due", "in_progress", "overdue", "done_on_time", "done_late", "regular", "regular_reported"],
}


def aggregate(rows: list[ChildReport]) -> dict:
    """Totals of the accepted children's frozen figures (what they reported and the office took in, not what the
    data says today): a report waiting to be received or returned for fixing is not counted."""
    totals = {section: dict.fromkeys(keys, 0) for section, keys in SUMMED.items()}
    for row in rows:
        if not row.accepted:
            continue
        for section, keys in SUMMED.items():
            for key in keys:
                totals[section][key] += int(row.report.figures.get(section, {}).get(key, 0) or 0)
    t = totals["tasks"]  # the summed tasks with their shares, as one tally computes them
    totals["tasks"] = TaskTally(
        done_on_time=t["done_on_time"],
        done_late=t["done_late"],
        overdue=t["overdue"],
        in_progress=t["in_progress"],
        # from the summed due, so a report frozen before tallies (whose not_due left out in_progress) adds up too
        not_started=max(t["due"] - t["done_on_time"] - t["done_late"] - t["overdue"] - t["in_progress"], 0),
        regular=t["regular"],
        regular_reported=t["regular_reported"],
    ).as_json()
    return totals
