from django.dispatch import receiver

from tinhgon.audit import context as audit
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.signals import units_merged
from tinhgon.procedures.models import Procedure


@receiver(units_merged, sender=Organisation)
def reassign_procedures(sender, sources, target, day, **kwargs):
    """The merged units' procedures now belong to the target; one audit entry each. Their published versions
    stay as they are until a decision re-publishes them under the new owner (domain.md §2)."""
    with audit.action("procedures.procedure.reassigned"):
        for procedure in Procedure.objects.filter(owner__in=sources):
            procedure.owner = target
            procedure.save()
