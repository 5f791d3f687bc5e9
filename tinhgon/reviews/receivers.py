from django.dispatch import receiver

from tinhgon.procedures.signals import decision_applied


@receiver(decision_applied, dispatch_uid="reviews.implement_on_publication")
def implement_on_publication(sender, decision, versions, **kwargs):
    from tinhgon.reviews.services import proposals_mark_implemented

    proposals_mark_implemented(versions)
