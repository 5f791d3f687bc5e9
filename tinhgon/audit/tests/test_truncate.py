"""On PostgreSQL the database itself refuses to rewrite or empty the audit trail (migrations 0002 and 0004); the
test connections allow TRUNCATE (conftest.py) for Django's flush after browser tests, so each test turns it off."""

from django.db import DatabaseError, connection, transaction

import pytest

from tinhgon.audit.models import AuditLogEntry
from tinhgon.audit.services import log_event

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL only"),
]


@pytest.fixture
def entry():
    entry = log_event("tests.something.happened")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL tinhgon.allow_audit_truncate = 'off'")  # until the end of this test
        # The entry's deferred foreign key checks would make PostgreSQL refuse a TRUNCATE for another reason.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return entry


def refusal(sql: str) -> str:
    """The database's error for `sql`, or "" when it ran (rolled back with the test either way)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as error:
        return str(error)
    return ""


def test_truncate_is_refused(entry):
    assert "append-only: TRUNCATE refused" in refusal("TRUNCATE audit_auditlogentry")
    assert "append-only: TRUNCATE refused" in refusal("TRUNCATE audit_auditlogentry CASCADE")
    assert AuditLogEntry.objects.filter(pk=entry.pk).exists()


def test_update_is_refused(entry):
    assert "append-only" in refusal("UPDATE audit_auditlogentry SET action = 'forged'")
    assert AuditLogEntry.objects.get(pk=entry.pk).action == "tests.something.happened"


def test_delete_is_refused(entry):
    assert "append-only" in refusal("DELETE FROM audit_auditlogentry")
    assert AuditLogEntry.objects.filter(pk=entry.pk).exists()


def test_a_session_that_allows_it_may_truncate(entry):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL tinhgon.allow_audit_truncate = 'on'")
    assert refusal("TRUNCATE audit_auditlogentry CASCADE") == ""
    assert not AuditLogEntry.objects.exists()
