from datetime import date

from django.core.exceptions import ValidationError

import pytest

from tinhgon.accounts.models import Membership, Role
from tinhgon.accounts.tests.factories import MembershipFactory
from tinhgon.audit.models import AuditLogEntry
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.services import units_merge
from tinhgon.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
K = Organisation.Kind
D = date(2025, 7, 1)


@pytest.fixture
def province():
    return OrganisationFactory(code="T", kind=K.PROVINCE, valid_from=date(2000, 1, 1))


@pytest.fixture
def districts(province):
    x = OrganisationFactory(code="X", kind=K.DISTRICT, parent=province, valid_from=date(2000, 1, 1))
    y = OrganisationFactory(code="Y", kind=K.DISTRICT, parent=province, valid_from=date(2000, 1, 1))
    return x, y


def test_merge_into_a_new_unit_ends_sources_and_records_lineage(province, districts):
    x, y = districts
    z = units_merge(sources=[x, y], day=D, target_code="Z", target_name="Xã Z")
    x.refresh_from_db()
    y.refresh_from_db()
    assert (x.valid_to, y.valid_to) == (date(2025, 6, 30), date(2025, 6, 30))
    assert x.successor == y.successor == z
    assert set(z.predecessors.all()) == {x, y}
    assert z.valid_from == D and z.parent == province


def test_reports_before_the_merge_still_see_the_sources(province, districts):
    x, y = districts
    z = units_merge(sources=[x, y], day=D, target_code="Z", target_name="Xã Z")
    assert set(Organisation.objects.subtree(province, as_of=date(2025, 6, 30))) == {province, x, y}
    assert set(Organisation.objects.subtree(province, as_of=D)) == {province, z}


def test_children_of_sources_move_to_the_target_from_the_merge_day(province, districts):
    x, y = districts
    commune = OrganisationFactory(kind=K.COMMUNE, parent=x, valid_from=date(2000, 1, 1))
    z = OrganisationFactory(code="Z", kind=K.COMMUNE, parent=province, valid_from=date(2000, 1, 1))
    units_merge(sources=[x, y], target=z, day=D)
    assert set(Organisation.objects.subtree(x, as_of=date(2025, 6, 30))) == {x, commune}
    assert set(Organisation.objects.subtree(z, as_of=D)) == {z, commune}
    commune.refresh_from_db()
    assert commune.parent == z


def test_memberships_are_reassigned_with_one_audit_entry_each(province, districts):
    x, y = districts
    first = MembershipFactory(organisation=x, role=Role.OFFICER)
    second = MembershipFactory(organisation=y, role=Role.UNIT_HEAD)
    z = units_merge(sources=[x, y], day=D, target_code="Z", target_name="Xã Z")
    assert set(Membership.objects.filter(organisation=z)) == {first, second}
    entries = AuditLogEntry.objects.filter(action="accounts.membership.reassigned")
    assert entries.count() == 2
    assert {e.changes["organisation_id"][1] for e in entries} == {z.pk}


def test_a_user_already_holding_the_role_at_the_target_keeps_one_membership(province, districts):
    x, y = districts
    z = OrganisationFactory(code="Z", parent=province)
    old = MembershipFactory(organisation=x, role=Role.OFFICER)
    MembershipFactory(user=old.user, organisation=z, role=Role.OFFICER)
    units_merge(sources=[x], target=z, day=D)
    assert old.user.memberships.active().count() == 1


def test_merge_writes_one_merged_entry_per_source(province, districts):
    x, y = districts
    units_merge(sources=[x, y], day=D, target_code="Z", target_name="Xã Z")
    merged = AuditLogEntry.objects.filter(action="organisations.unit.merged")
    assert sorted(e.object_id for e in merged) == sorted([str(x.pk), str(y.pk)])
    assert merged.first().changes["valid_to"] == [None, "2025-06-30"]


@pytest.mark.parametrize(
    "case",
    ["no_sources", "target_is_source", "source_already_ended", "new_target_without_name", "duplicate_code"],
)
def test_invalid_merges_are_refused_and_change_nothing(province, districts, case):
    x, y = districts
    ended = OrganisationFactory(parent=province, valid_from=date(2000, 1, 1), valid_to=date(2020, 1, 1))
    kwargs = {
        "no_sources": {"sources": [], "target": y},
        "target_is_source": {"sources": [x, y], "target": y},
        "source_already_ended": {"sources": [x, ended], "target_code": "Z", "target_name": "Z"},
        "new_target_without_name": {"sources": [x], "target_code": "Z"},
        "duplicate_code": {"sources": [x], "target_code": "Y", "target_name": "Z"},
    }[case]
    with pytest.raises(ValidationError):
        units_merge(day=D, **kwargs)
    x.refresh_from_db()
    assert x.valid_to is None and x.successor is None
