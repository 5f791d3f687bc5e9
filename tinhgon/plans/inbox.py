"""What waits in the plans (core/inbox.py): extension requests to decide, and the assignments of the user's own
unit overdue or due within `TINHGON_INBOX_DUE_DAYS` days (a leader's list is not every division's)."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from tinhgon.core import inbox
from tinhgon.plans.constants import ExtensionStatus
from tinhgon.plans.models import MANAGE, Assignment, ExtensionRequest

REPORT = "plans.report"


@inbox.source
def extensions_to_decide(policy, on):
    pending = (
        ExtensionRequest.objects.filter(
            status=ExtensionStatus.PENDING, assignment__task__plan__issuer__in=policy.organisations(MANAGE)
        )
        .select_related("assignment__organisation", "assignment__task")
        .order_by("created_at")[: inbox.PER_SOURCE]
    )
    for request in pending:
        part = request.assignment
        yield inbox.Item(
            kind="plans.extension_to_decide",
            label=f"Đề nghị gia hạn đến {request.requested_due_on:%d/%m/%Y}, chờ quyết định",
            title=f"{part.task.code}. {part.task.title}",
            url=reverse("plans:task", args=[part.task_id]),
            organisation=part.organisation.name,
            since=inbox.day_of(request.created_at),
            due=part.due_on,
            note=request.reason,
        )


@inbox.source
def assignments_due(policy, on):
    horizon = on + timedelta(days=settings.TINHGON_INBOX_DUE_DAYS)
    parts = (
        Assignment.objects.followed()
        .filter(due_on__lte=horizon, organisation_id__in=policy.own_units(REPORT))
        .select_related("organisation", "task")
        .order_by("due_on", "id")[: inbox.PER_SOURCE]
    )
    for part in parts:
        late = part.due_on < on
        yield inbox.Item(
            kind="plans.overdue" if late else "plans.due_soon",
            label="Nhiệm vụ quá hạn, chưa hoàn thành" if late else "Nhiệm vụ sắp đến hạn",
            title=f"{part.task.code}. {part.task.title}",
            url=reverse("plans:assignment", args=[part.pk]),
            organisation=part.organisation.name,
            due=part.due_on,
        )
