"""Periodic reports: create with computed figures, refresh, write the narrative, submit (freeze), aggregate."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tinhgon.audit import context as audit
from tinhgon.core.locking import STALE, refuse_stale
from tinhgon.organisations.models import Organisation
from tinhgon.reports import figures
from tinhgon.reports.models import Report, Status
from tinhgon.reports.periods import Kind, period

NARRATIVE = ["results", "difficulties", "proposals", "document_number", "signer", "signer_title", "recipients"]


def stale(report: Report, started_from: int | None) -> None:
    refuse_stale(report, started_from, STALE.replace("Nội dung", "Báo cáo", 1))


def _require_draft(report: Report) -> None:
    if report.is_locked:
        raise ValidationError("Báo cáo đã gửi cấp trên nên đã khóa, không sửa được.")


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
    try:
        p = period(kind, year, number, start, end)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    if kind != Kind.AD_HOC and Report.objects.filter(organisation=organisation, kind=kind, year=year, number=number):
        raise ValidationError(f"{organisation} đã có báo cáo {p.label}.")
    report = Report(
        organisation=organisation, kind=kind, year=p.year, number=p.number, start=p.start, end=p.end, created_by=by
    )
    _compute(report)
    with audit.action("reports.report.created"):
        report.save()
    return report


def _compute(report: Report) -> None:
    report.figures = figures.compute(report.organisation, report.period)
    report.computed_at = timezone.now()


@transaction.atomic
def report_refresh(report: Report) -> Report:
    """Recompute the figures of a draft from the data as it is now (still as of the period's cut-off)."""
    _require_draft(report)
    _compute(report)
    with audit.action("reports.report.refreshed"):
        report.row_version += 1
        report.save()
    return report


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
    """Save the narrative sections and the rows entered by hand (clearly marked as such in every output)."""
    _require_draft(report)
    stale(report, started_from)
    for key, value in narrative.items():
        if key not in NARRATIVE:
            raise ValidationError(f"Không có mục “{key}” trong báo cáo.")
        setattr(report, key, (value or "").strip())
    if manual_rows is not None:
        report.manual_rows = _clean_rows(manual_rows)
    with audit.action("reports.report.updated"):
        report.row_version += 1
        report.save()
    return report


@transaction.atomic
def report_submit(*, report: Report, by=None) -> Report:
    """Send to the parent organisation: the figures are computed one last time and frozen with the text."""
    _require_draft(report)
    if not report.results.strip():
        raise ValidationError("Cần viết phần kết quả đạt được trước khi gửi báo cáo.")
    _compute(report)
    with audit.action("reports.report.submitted"):
        report.status = Status.SUBMITTED
        report.submitted_by, report.submitted_at = by, timezone.now()
        report.row_version += 1
        report.save()
    return report


@dataclass
class ChildReport:
    organisation: Organisation
    report: Report | None  # the submitted report of the same period, None when missing


def children(report: Report) -> list[ChildReport]:
    """The units directly under the organisation at the end of the period, each with its submitted report of the
    same period (or None: not submitted yet). Two queries."""
    units = list(report.organisation.children_on(report.end).order_by("name"))
    submitted = {
        r.organisation_id: r
        for r in Report.objects.filter(
            organisation__in=units,
            kind=report.kind,
            year=report.year,
            number=report.number,
            status=Status.SUBMITTED,
        )
    }
    return [ChildReport(u, submitted.get(u.pk)) for u in units]


SUMMED = {
    "procedures": ["in_force"],
    "reviews": ["published", "reviewed", "simplified", "cost_before", "cost_after", "cost_saving", "implemented"],
    "tasks": ["due", "not_due", "in_progress", "overdue", "done_on_time", "done_late"],
}


def aggregate(rows: list[ChildReport]) -> dict:
    """Totals of the submitted children's frozen figures (what they reported, not what the data says today)."""
    totals = {section: dict.fromkeys(keys, 0) for section, keys in SUMMED.items()}
    for row in rows:
        if row.report is None:
            continue
        for section, keys in SUMMED.items():
            for key in keys:
                totals[section][key] += int(row.report.figures.get(section, {}).get(key, 0) or 0)
    return totals
