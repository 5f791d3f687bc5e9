"""What waits in the registry (core/inbox.py): drafts to submit, returned versions to fix, submissions to check,
draft publication decisions to issue."""

from django.db.models import Q
from django.urls import reverse

from tinhgon.core import inbox
from tinhgon.procedures.constants import DecisionStatus, Status
from tinhgon.procedures.models import ProcedureVersion, PublicationDecision

WAITING = {  # status -> (rule that lets the user move it on, kind, what to do)
    # Returned versions wait for their drafters, not for the focal point who returned them (who may edit too).
    Status.RETURNED: ("procedures.edit", "procedures.returned", "Thủ tục bị trả lại, cần sửa"),
    Status.DRAFT: ("procedures.submit", "procedures.to_submit", "Dự thảo thủ tục chờ trình"),
    Status.SUBMITTED: ("procedures.check", "procedures.to_check", "Thủ tục đã trình, chờ kiểm soát"),
}


@inbox.source
def waiting_versions(policy, on):
    """One query for every state: each state's versions within the units where the user may move them on (and
    one for those units: core.inbox.units_of)."""
    wanted, scopes = Q(), []
    for status, (rule, _, _) in WAITING.items():
        owners = policy.organisations(rule)
        if status == Status.RETURNED:
            owners = owners.exclude(pk__in=policy.organisations("procedures.check"))
        wanted |= Q(status=status, procedure__owner__in=owners)
        scopes.append(owners)
    versions = (
        ProcedureVersion.objects.latest()
        .filter(wanted, procedure__is_template=False, procedure__owner__in=inbox.units_of(scopes))
        .select_related("procedure__owner")
        .order_by("updated_at")[: inbox.PER_SOURCE]
    )
    for version in versions:
        _, kind, label = WAITING[version.status]
        yield inbox.Item(
            kind=kind,
            label=label,
            title=f"{version.name} ({version.procedure.code})",
            url=reverse("procedures:detail", args=[version.procedure_id]),
            organisation=version.procedure.owner.name,
            since=inbox.day_of(version.updated_at),
            note=version.review_comment if version.status == Status.RETURNED else "",
        )


@inbox.source
def decisions_to_issue(policy, on):
    drafts = (
        PublicationDecision.objects.filter(
            status=DecisionStatus.DRAFT, issuer__in=policy.organisations("decisions.manage")
        )
        .select_related("issuer")
        .order_by("effective_on")[: inbox.PER_SOURCE]
    )
    for decision in drafts:
        yield inbox.Item(
            kind="procedures.decision_to_issue",
            label="Dự thảo quyết định công bố chờ ban hành",
            title=f"{decision.number}: {decision.title}",
            url=reverse("procedures:decision", args=[decision.pk]),
            organisation=decision.issuer.name,
            since=inbox.day_of(decision.created_at),
            due=decision.effective_on,
        )
