"""Periodic reports of every period of last year and this year that has begun: monthly, quarterly, half-yearly and
yearly reports of the province and its departments, quarterly reports of its communes (periods from
`reports.periods.period`, with the cut-off day of the settings). Periods that ended a month ago or more were sent
and accepted; the last one is sent, returned or still a draft. Figures are left to be computed on demand, as for a
report created through `reports.services.report_create`."""

from datetime import UTC, datetime, time, timedelta

from tinhgon.reports.models import Report, Status
from tinhgon.reports.periods import SHAPE, Kind, period

from .accounts import person_name


def build(ctx, tree) -> None:
    rng = ctx.rng(tree.province.code, "reports")
    today = ctx.today
    periods = [
        period(kind, year, number)
        for year in (today.year - 1, today.year)
        for kind, (_months, largest) in SHAPE.items()
        for number in range(1, largest + 1)
    ]
    periods = [p for p in periods if p.start <= today]
    writers = [(tree.province, list(periods)), *[(d, periods) for d in tree.departments]]
    writers += [(c, [p for p in periods if p.kind == Kind.QUARTERLY]) for c in tree.communes]
    reports = []
    for org, own in writers:
        for p in own:
            due = p.end + timedelta(days=5)
            if today - due >= timedelta(days=30):
                status = Status.ACCEPTED if rng.random() < 0.95 else Status.SUBMITTED
            elif p.end < today:
                status = rng.choice(
                    (Status.DRAFT, Status.SUBMITTED, Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED)
                )
            else:
                status = Status.DRAFT
            sent = status != Status.DRAFT
            sent_at = datetime.combine(min(today, due + timedelta(days=rng.randint(-4, 6))), time(10), tzinfo=UTC)
            reports.append(
                Report(
                    organisation=org,
                    kind=p.kind,
                    year=p.year,
                    number=p.number,
                    start=p.start,
                    end=p.end,
                    status=status,
                    results=f"Kết quả thực hiện công tác kiểm soát thủ tục hành chính {p.label}." if sent else "",
                    document_number=f"{rng.randint(10, 999)}/BC-{org.short_name or 'UBND'}" if sent else "",
                    signer=person_name(rng) if sent else "",
                    submitted_at=sent_at if sent else None,
                    received_at=sent_at + timedelta(days=2) if status in (Status.ACCEPTED, Status.RETURNED) else None,
                    return_reason="Đề nghị bổ sung số liệu" if status == Status.RETURNED else "",
                    row_version=1,
                )
            )
    Report.objects.bulk_create(reports, batch_size=2000)
    ctx.count("reports", len(reports))
