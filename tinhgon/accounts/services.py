from django.db import transaction

from tinhgon.accounts.models import Membership
from tinhgon.audit import context as audit


@transaction.atomic
def memberships_reassign(*, sources, target) -> int:
    """Move the active memberships of `sources` to `target`, one audited change each. A user who already holds
    the same role at the target keeps that one and the duplicate is closed instead. Returns how many moved."""
    moved = 0
    with audit.action("accounts.membership.reassigned"):
        for membership in Membership.objects.active().filter(organisation__in=sources).select_related("user"):
            duplicate = Membership.objects.filter(user=membership.user, organisation=target, role=membership.role)
            if duplicate.exists():
                membership.is_active = False
            else:
                membership.organisation = target
                moved += 1
            membership.save()
    return moved
