"""The hand-offs this app hears: every transition (audit.transitions.transitioned), an extension requested and a
comment written (their creation is not a transition), and a review form given to a named officer
(reviews.signals.review_assigned)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from tinhgon.audit import context as audit
from tinhgon.audit.transitions import transitioned
from tinhgon.notifications import recipients, services
from tinhgon.plans.models import MANAGE, Comment, ExtensionRequest
from tinhgon.reviews.signals import review_assigned

REPORT = "plans.report"


@receiver(transitioned)
def on_transition(sender, instance, transition, **kwargs):
    """A system move made inside another move (the versions a decision publishes, the forms an approval approves)
    is told once, by that move, to the people of all its parts: not one notification per procedure."""
    if transition.permission is None and audit.current_action() is not None:
        return
    services.tell_transition(instance, transition)


@receiver(post_save, sender=ExtensionRequest)
def on_extension_requested(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.notifications_create(
            record=instance,
            kind="plans.extension.requested",
            verb="đề nghị gia hạn nhiệm vụ",
            acting=recipients.next_actors(instance),
            informed=[],
            actor=instance.requested_by,
        )


@receiver(post_save, sender=Comment)
def on_comment(sender, instance, created, raw=False, **kwargs):
    """A comment on a unit's part reaches that unit's people; one on the task reaches the plan's managers and the
    lead unit; both reach whoever commented on the task before (and still sees the comment)."""
    if not created or raw:
        return
    task = instance.task
    if instance.assignment_id:
        units = [(instance.assignment, REPORT, instance.assignment.organisation_id)]
    else:
        lead = task.assignments.filter(organisation_id=task.lead_id).order_by("pk").first()
        units = [(task.plan, MANAGE, task.plan.issuer_id), *([(lead, REPORT, task.lead_id)] if lead else [])]
    acting = [user for record, rule, unit in units for user in recipients.nearest_allowed(record, {rule}, unit)]
    before = Comment.objects.filter(task=task).exclude(pk=instance.pk).values_list("author_id", flat=True)
    policies = recipients.policies(before)
    informed = [p.user for p in policies.values() if recipients.sees(p, instance)]
    services.notifications_create(
        record=instance,
        kind="plans.comment.created",
        verb="góp ý về nhiệm vụ",
        acting=acting,
        informed=informed,
        actor=instance.author,
        organisation_id=units[0][2],
    )


@receiver(review_assigned, dispatch_uid="notifications.review_assigned")
def on_review_assigned(sender, review, assignee, by=None, **kwargs):
    """The officer a form is given to acts next on it."""
    services.notifications_create(
        record=review,
        kind="reviews.review.assigned",
        verb="giao phiếu rà soát",
        acting=[assignee],
        informed=[],
        actor=by,
    )
