"""What waits in the reviews (core/inbox.py): forms to fill or fix (the unit's, or the user's own when a form was
given to them by name), forms to check or assess, approval decisions to issue."""

from django.db.models import Q
from django.urls import reverse

from tinhgon.core import inbox
from tinhgon.core.queries import ids_or_subquery
from tinhgon.procedures.models import Procedure
from tinhgon.reviews.constants import ApprovalStatus, ReviewStatus
from tinhgon.reviews.models import ApprovalDecision, Review

WAITING = {  # status -> (rule that lets the user move it on, kind, what to do)
    ReviewStatus.RETURNED: ("reviews.edit", "reviews.returned", "Phiếu rà soát bị trả lại, cần sửa"),
    ReviewStatus.DRAFT: ("reviews.edit", "reviews.to_fill", "Phiếu rà soát cần thực hiện"),
    ReviewStatus.SUBMITTED: ("reviews.check", "reviews.to_check", "Phiếu rà soát đã trình, chờ kiểm soát"),
    ReviewStatus.CHECKED: ("reviews.check", "reviews.to_assess", "Phiếu rà soát chờ đánh giá độc lập"),
}


@inbox.source
def waiting_reviews(policy, on):
    """One query for every state: each state's forms within the units where the user may move them on (and two
    for the forms of those units: core.inbox.units_of, then their procedures, so that both sides of "responsible
    or owner" are read through an index)."""
    wanted, scopes = Q(), []
    for status, (rule, _, _) in WAITING.items():
        units = policy.organisations(rule)
        if rule == "reviews.edit":  # forms to fill or fix wait for the reviewers, not for who checks them
            units = units.exclude(pk__in=policy.organisations("reviews.check"))
        unit_level = Q(responsible__in=units) | Q(procedure__owner__in=units)
        if rule == "reviews.edit":  # a form given to a named officer waits for them (assigned_to_me), not the unit
            unit_level &= Q(assignee__isnull=True)
        wanted |= Q(status=status) & unit_level
        scopes.append(units)
    units = inbox.units_of(scopes)
    owned = Procedure.objects.filter(owner__in=units)
    among = Q(responsible__in=units) | Q(procedure__in=ids_or_subquery(list(owned.values_list("pk", flat=True)), owned))
    reviews = (
        Review.objects.filter(wanted, among)
        .select_related("procedure__owner", "responsible", "version")
        .order_by("deadline", "id")[: inbox.PER_SOURCE]
    )
    for review in reviews:
        _, kind, label = WAITING[review.status]
        yield inbox.Item(
            kind=kind,
            label=label,
            title=f"{review.version.name} ({review.procedure.code})",
            url=reverse("reviews:review", args=[review.pk]),
            organisation=(review.responsible or review.procedure.owner).name,
            since=review.checked_on or review.submitted_on or inbox.day_of(review.created_at),
            due=review.deadline,
            note=review.return_comment if review.status == ReviewStatus.RETURNED else "",
        )


ASSIGNED = {  # status of a form given to the user by name -> what to do
    ReviewStatus.DRAFT: "Phiếu rà soát được giao cho bạn",
    ReviewStatus.RETURNED: "Phiếu rà soát được giao cho bạn bị trả lại, cần sửa",
}


@inbox.source
def assigned_to_me(policy, on):
    """Forms given to the user by name that they still have to fill in or fix, due by the form's deadline (else the
    plan's), among the forms they see in the role they act for."""
    reviews = (
        Review.objects.visible_to(policy)
        .filter(assignee=policy.user, status__in=list(ASSIGNED))
        .select_related("procedure__owner", "responsible", "version", "round")
        .order_by("deadline", "id")[: inbox.PER_SOURCE]
    )
    for review in reviews:
        yield inbox.Item(
            kind="reviews.assigned_to_me",
            label=ASSIGNED[review.status],
            title=f"{review.version.name} ({review.procedure.code})",
            url=reverse("reviews:review", args=[review.pk]),
            organisation=review.responsible.name,
            since=inbox.day_of(review.created_at),
            due=review.deadline or review.round.deadline,
            note=review.return_comment if review.status == ReviewStatus.RETURNED else "",
        )


@inbox.source
def approvals_to_issue(policy, on):
    drafts = (
        ApprovalDecision.objects.filter(status=ApprovalStatus.DRAFT, issuer__in=policy.organisations("reviews.approve"))
        .select_related("issuer")
        .order_by("created_at")[: inbox.PER_SOURCE]
    )
    for decision in drafts:
        yield inbox.Item(
            kind="reviews.approval_to_issue",
            label="Dự thảo quyết định phê duyệt phương án chờ ban hành",
            title=f"{decision.number}: {decision.title}",
            url=reverse("reviews:approval", args=[decision.pk]),
            organisation=decision.issuer.name,
            since=inbox.day_of(decision.created_at),
        )
