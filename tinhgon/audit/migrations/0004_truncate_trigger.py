"""On PostgreSQL, refuse TRUNCATE of the audit table too: the row triggers of 0002 do not fire on it. Django's test
framework empties the database with TRUNCATE after transactional tests, so a session may allow it by setting
`tinhgon.allow_audit_truncate` to 'on' (conftest.py does, for the test connections). Anyone who can run SQL as the
application can set it as well: the protection against a compromised application account is the database privileges
of docs/deploy.md (the application's role does not own the table and may not UPDATE, DELETE or TRUNCATE it)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_entry_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('tinhgon.allow_audit_truncate', true), '') <> 'on' THEN
    RAISE EXCEPTION 'audit_auditlogentry is append-only: TRUNCATE refused';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditlogentry
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditlogentry;
DROP FUNCTION IF EXISTS audit_entry_no_truncate();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_object_version")]
    operations = [migrations.RunPython(forward, backward)]
