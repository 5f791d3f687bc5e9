"""Two merges of the same unit at the same moment on two PostgreSQL connections: the sources are locked, so the
second waits, finds the unit already merged and is refused; the unit is ended and reassigned once."""

from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.services import units_merge
from tinhgon.test import RACE_MARKS, at_once

pytestmark = RACE_MARKS


def test_two_simultaneous_merges_of_one_unit_merge_it_once(world):
    source, first, second = world.units["P-B"], world.units["P-A"], world.units["P-X"]

    def merge_into(target):
        return lambda: units_merge(sources=[source], target=target, day=today())

    assert at_once(merge_into(first), merge_into(second), slowed=Organisation) == ["ValidationError", "done"]
    source.refresh_from_db()
    assert source.successor in {first, second}
    assert AuditLogEntry.objects.for_object(source).filter(action="organisations.unit.merged").count() == 1
