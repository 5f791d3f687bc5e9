from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

import pytest

from tinhgon.audit import context as audit
from tinhgon.audit.models import AuditLogEntry
from tinhgon.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_create_update_delete_each_write_one_entry_with_old_and_new_values(world):
    with audit.acting(user=world.admin, organisation=world.units["P"], ip="10.0.0.7"):
        unit = OrganisationFactory(code="NEW", name="Phòng Mới", parent=world.units["P-A"])
        unit.name = "Phòng Đổi Tên"
        unit.save()
        unit.save()  # nothing changed: no entry
        entries = list(AuditLogEntry.objects.for_object(unit).order_by("id"))
    assert [e.action for e in entries] == ["organisations.unit.created", "organisations.unit.updated"]
    created, updated = entries
    assert created.changes["name"] == [None, "Phòng Mới"]
    assert updated.changes == {"name": ["Phòng Mới", "Phòng Đổi Tên"]}
    assert (updated.actor, updated.organisation, updated.ip_address) == (world.admin, world.units["P"], "10.0.0.7")
    assert updated.scope_organisation_id == unit.pk


def test_deletion_is_recorded(world):
    membership = world.officer_a1.memberships.get()
    pk = membership.pk
    membership.delete()
    entry = AuditLogEntry.objects.get(action="accounts.membership.deleted")
    assert entry.object_id == str(pk) and entry.changes["role"] == ["officer", None]


def test_password_hashes_never_reach_the_trail(world):
    world.officer_a1.set_password("Mot-mat-khau-moi-2026")
    world.officer_a1.save()
    assert not AuditLogEntry.objects.filter(changes__has_key="password").exists()


def test_entries_cannot_be_edited_or_deleted_through_the_app(world):
    entry = AuditLogEntry.objects.first()
    entry.action = "forged"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditLogEntry.objects.all().update(action="forged")
    with pytest.raises(PermissionDenied):
        AuditLogEntry.objects.all().delete()


def test_database_refuses_raw_updates_on_postgresql(world):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only (see audit migration 0002)")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditlogentry SET action = 'forged'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditlogentry")


def test_request_context_gives_user_acting_org_and_forwarded_ip(world, settings):
    settings.TINHGON_TRUSTED_PROXIES = 2  # a load balancer, then nginx (core/proxies.py)
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1")
    request.user = world.focal_a
    request.acting_membership = world.focal_a.memberships.get()
    with audit.bound_request(request):
        actor = audit.current_actor()
    assert (actor.user, actor.organisation, actor.ip) == (world.focal_a, world.units["P-A"], "203.0.113.9")


def test_action_block_names_the_transition(world):
    unit = world.units["P-B"]
    with audit.action("organisations.unit.renamed"):
        unit.name = "Sở B mới"
        unit.save()
    assert AuditLogEntry.objects.for_object(unit).first().action == "organisations.unit.renamed"


def test_plain_fast_paths_write_what_the_json_encoder_writes():
    import json
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from django.core.serializers.json import DjangoJSONEncoder

    from tinhgon.audit.models import _plain

    for value in [date(2026, 1, 5), Decimal("1.50"), Decimal("-0"), Decimal("1E+3"), "đ", 7, 2.5, True, None]:
        assert _plain(value) == json.loads(json.dumps(value, cls=DjangoJSONEncoder)), value
    assert _plain(datetime(2026, 1, 5, 8, 30, tzinfo=UTC)) == "2026-01-05T08:30:00Z"  # not a date: the encoder's
    assert _plain([date(2026, 1, 5)]) == ["2026-01-05"]


def test_the_snapshot_of_a_loaded_object_is_taken_only_when_read_and_equals_its_values(world):
    from tinhgon.procedures.models import ProcedureForm, ProcedureVersion
    from tinhgon.procedures.tests.factories import complete_components, make_procedure

    procedure = make_procedure(world.units["P-A"], components=complete_components("Thủ tục thử ảnh chụp nhật ký"))
    draft = procedure.latest_version()
    ProcedureForm.objects.create(version=draft, name="Mẫu không có tệp", file="")  # an empty file: None when read
    version = ProcedureVersion.objects.get(pk=draft.pk)
    assert "_audit_snapshot_value" not in version.__dict__  # loading alone computes nothing
    assert version._audit_snapshot == version.audit_values()  # dates, decimals, JSON: as the eager snapshot was
    form = ProcedureForm.objects.get(version=draft)
    assert form._audit_snapshot == form.audit_values() and form._audit_snapshot["file"] is None

    channels = list(version.channels)
    version.channels.append("post" if "post" not in channels else "online")  # changed in place, not reassigned
    with audit.acting(user=world.admin):
        version.save()
    entry = AuditLogEntry.objects.for_object(version).latest("id")
    assert entry.changes["channels"][0] == channels  # the loaded list, not the mutated one
    form.name = "Mẫu đổi tên"
    form.save()
    assert AuditLogEntry.objects.for_object(form).latest("id").changes == {"name": ["Mẫu không có tệp", "Mẫu đổi tên"]}


def test_a_new_object_has_no_snapshot_until_saved(world):
    unit = OrganisationFactory.build(code="CHUA-LUU", parent=world.units["P"])
    assert getattr(unit, "_audit_snapshot", {}) == {}
    unit.save()
    assert unit._audit_snapshot == unit.audit_values()
