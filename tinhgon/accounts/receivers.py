from django.dispatch import receiver

from tinhgon.accounts.services import memberships_reassign
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.signals import units_merged


@receiver(units_merged, sender=Organisation)
def reassign_memberships(sender, sources, target, day, **kwargs):
    memberships_reassign(sources=sources, target=target)
