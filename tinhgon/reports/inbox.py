"""What waits in the periodic reports (core/inbox.py): the user's own unit's reports being written, to finish and
send."""

from django.urls import reverse

from tinhgon.core import inbox
from tinhgon.reports.models import Report, Status


@inbox.source
def reports_to_send(policy, on):
    drafts = (
        Report.objects.filter(status=Status.DRAFT, organisation_id__in=policy.own_units("reports.write"))
        .select_related("organisation")
        .order_by("end", "id")[: inbox.PER_SOURCE]
    )
    for report in drafts:
        yield inbox.Item(
            kind="reports.to_send",
            label="Báo cáo định kỳ đang soạn, chưa gửi",
            title=str(report),
            url=reverse("reports:detail", args=[report.pk]),
            organisation=report.organisation.name,
            since=inbox.day_of(report.created_at),
        )
