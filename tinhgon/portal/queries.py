"""What the public may see, and the filters shared by the portal pages and the public API."""

from django.db.models import Q

from tinhgon.organisations.models import Organisation
from tinhgon.procedures.constants import ENDED, DecisionStatus, Status
from tinhgon.procedures.models import ProcedureVersion

PUBLIC_DECISION_STATES = [DecisionStatus.ISSUED, DecisionStatus.APPLIED]
# Versions a decision page may name: in force, or ended by a later decision. Never drafts, submitted, checked,
# returned or scheduled (not yet effective) ones.
NAMEABLE_VERSION_STATES = [Status.PUBLISHED, *ENDED]


def public_versions():
    """Versions in force today, outside the template catalogue: the only ones the portal lists and searches."""
    return ProcedureVersion.objects.published()


def filter_versions(versions, *, owner: str = "", field: str = "", group: str = "", level: str = ""):
    """`owner`: an organisation code, with every unit that is or was under it; `field`: a field code or name."""
    if owner:
        root = Organisation.objects.filter(code=owner.strip())
        versions = versions.filter(procedure__owner__in=Organisation.objects.ever_under(root))
    if field:
        versions = versions.filter(Q(field__code=field.strip()) | Q(field__name__iexact=field.strip()))
    if group:
        versions = versions.filter(group=group)
    if level:
        versions = versions.filter(level=level)
    return versions
