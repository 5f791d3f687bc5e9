"""What waits in quality management (core/inbox.py): findings of internal audits past their correction date, for
the unit that corrects them (the process owner) and the managers of the audited agency; processes whose review date
has come, for their owner unit and the managers of the unit or of the agency that announced them; and the monthly
766 scores a unit has entered but not published, for who publishes them. Each is one query, and none for a user
whose roles have nothing to do there."""

from django.db.models import Q
from django.urls import reverse

from tinhgon.core import inbox
from tinhgon.core.formatting import number
from tinhgon.quality.constants import ScoreStatus
from tinhgon.quality.models import ENTER, MANAGE, PUBLISH, AuditFinding, QualityProcess, ServiceIndexScore


@inbox.source
def findings_late(policy, on):
    owners, managers = policy.own_units(ENTER), policy.own_units(MANAGE)
    if not (owners or managers):
        return
    mine = (
        Q(process__organisation_id__in=owners)
        | Q(process__isnull=True, audit__organisation_id__in=owners)
        | Q(audit__organisation_id__in=managers)
    )
    late = (
        AuditFinding.objects.late(on)
        .filter(mine)
        .select_related("audit", "process__organisation", "audit__organisation")
        .order_by("due_on", "id")[: inbox.PER_SOURCE]
    )
    for finding in late:
        owner = finding.process.organisation if finding.process_id else finding.audit.organisation
        about = (
            f"{finding.process.code} {finding.process.name}" if finding.process_id else "Hệ thống quản lý chất lượng"
        )
        yield inbox.Item(
            kind="quality.finding_late",
            label=f"{finding.get_category_display()} quá hạn khắc phục",
            title=f"{about}: {finding.description[:120]}",
            url=reverse("quality:finding", args=[finding.pk]),
            organisation=owner.name,
            since=finding.audit.conducted_on,
            due=finding.due_on,
            note=finding.audit.title,
        )


@inbox.source
def processes_to_review(policy, on):
    managers = policy.own_units(MANAGE)
    units = [*policy.own_units(ENTER), *managers]
    if not units:
        return
    due = (
        QualityProcess.objects.review_due(on)
        .filter(Q(organisation_id__in=units) | Q(announcement__organisation_id__in=managers))
        .select_related("organisation")
        .order_by("next_review_on", "code_key", "id")[: inbox.PER_SOURCE]
    )
    for process in due:
        late = process.next_review_on < on
        yield inbox.Item(
            kind="quality.review_due",
            label="Quy trình ISO quá hạn rà soát" if late else "Quy trình ISO đến hạn rà soát",
            title=f"{process.code} {process.name} (lần ban hành {process.edition})",
            url=reverse("quality:process", args=[process.pk]),
            organisation=process.organisation.name,
            due=process.next_review_on,
        )


@inbox.source
def scores_to_publish(policy, on):
    units = policy.own_units(PUBLISH)
    if not units:
        return
    drafts = (
        ServiceIndexScore.objects.filter(status=ScoreStatus.DRAFT, organisation_id__in=units)
        .select_related("organisation")
        .order_by("month", "id")[: inbox.PER_SOURCE]
    )
    for score in drafts:
        yield inbox.Item(
            kind="quality.score_to_publish",
            label="Điểm Bộ chỉ số 766 đã nhập, chờ công khai",
            title=f"Bộ chỉ số 766 tháng {score.month_label}: {number(score.total, 2)} điểm",
            url=reverse("quality:score", args=[score.pk]),
            organisation=score.organisation.name,
            since=inbox.day_of(score.entered_at),
        )
