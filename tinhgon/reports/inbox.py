"""What waits in the periodic reports (core/inbox.py): the user's own unit's reports being written or returned, to
finish and send; for the office of a unit, its units' reports sent up and waiting to be accepted or returned."""

from django.urls import reverse

from tinhgon.core import inbox
from tinhgon.reports.models import RECEIVE, Report, Status


def _item(report: Report, kind: str, label: str, since, note: str = "") -> inbox.Item:
    return inbox.Item(
        kind=kind,
        label=label,
        title=str(report),
        url=reverse("reports:detail", args=[report.pk]),
        organisation=report.organisation.name,
        since=inbox.day_of(since),
        note=note,
    )


@inbox.source
def reports_to_send(policy, on):
    own = (
        Report.objects.filter(status__in=[Status.DRAFT, Status.RETURNED])
        .filter(organisation_id__in=policy.own_units("reports.write"))
        .select_related("organisation")
        .order_by("end", "id")[: inbox.PER_SOURCE]
    )
    for report in own:
        if report.status == Status.RETURNED:
            yield _item(
                report, "reports.returned", "Báo cáo bị cấp trên trả lại", report.received_at, report.return_reason
            )
        else:
            yield _item(report, "reports.to_send", "Báo cáo định kỳ đang soạn, chưa gửi", report.created_at)


@inbox.source
def reports_to_receive(policy, on):
    """Reports sent to a unit the user receives for (its office: focal point or leader), not those of units further
    down, which their own department receives."""
    waiting = (
        Report.objects.filter(status=Status.SUBMITTED, organisation__parent_id__in=policy.own_units(RECEIVE))
        .select_related("organisation")
        .order_by("submitted_at", "id")[: inbox.PER_SOURCE]
    )
    for report in waiting:
        yield _item(report, "reports.to_receive", "Báo cáo cấp dưới gửi lên, chờ tiếp nhận", report.submitted_at)
