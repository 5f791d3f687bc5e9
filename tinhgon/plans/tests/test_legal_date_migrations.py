"""The data migrations of the legal dates keep existing records valid: each gets the best date known today
(procedures 0013: Procedure.inventoried_on; plans 0010: ExtensionRequest.decided_on), in the local time zone."""

from datetime import UTC, date, datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

from tinhgon.core.dates import today


def state_at(targets):
    """Migrate back to `targets` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_procedures_get_the_day_they_were_recorded_or_their_first_effective_day_when_earlier():
    apps = state_at([("procedures", "0014_signed_original")])
    Org = apps.get_model("organisations", "Organisation")
    Procedure = apps.get_model("procedures", "Procedure")
    Version = apps.get_model("procedures", "ProcedureVersion")
    org = Org.objects.create(code="X", name="X", kind="department", valid_from=date(2020, 1, 1))
    recorded = Procedure.objects.create(code="X-1", owner=org)
    in_force = Procedure.objects.create(code="X-2", owner=org)
    Procedure.objects.filter(pk=recorded.pk).update(created_at=datetime(2024, 5, 31, 20, 0, tzinfo=UTC))  # 01/6 VN
    field = apps.get_model("procedures", "Field").objects.first()
    Version.objects.create(procedure=in_force, number=1, name="A", field=field, effective_from=date(2023, 2, 1))
    migrate_to_latest()
    from tinhgon.procedures.models import Procedure as Current

    assert Current.objects.get(code="X-1").inventoried_on == date(2024, 6, 1)
    assert Current.objects.get(code="X-2").inventoried_on == date(2023, 2, 1)


@pytest.mark.django_db(transaction=True)
def test_extensions_decided_before_the_field_get_the_day_of_their_decision_entry():
    """plans 0010: the local day of the approval/refusal audit entry, else the day the request was made."""
    apps = state_at(
        [("plans", "0011_indicator_deadlines_and_areas_of_existing_rows"), ("audit", "0004_truncate_trigger")]
    )
    Org = apps.get_model("organisations", "Organisation")
    Plan = apps.get_model("plans", "Plan")
    Task = apps.get_model("plans", "Task")
    Assignment = apps.get_model("plans", "Assignment")
    Extension = apps.get_model("plans", "ExtensionRequest")
    Entry = apps.get_model("audit", "AuditLogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    org = Org.objects.create(code="X", name="X", kind="department", valid_from=date(2020, 1, 1))
    plan = Plan.objects.create(issuer=org, title="P", period_start=date(2024, 1, 1), period_end=date(2024, 12, 31))
    task = Task.objects.create(plan=plan, code="1", title="T", lead=org)
    part = Assignment.objects.create(task=task, organisation=org, role="lead")
    audited = Extension.objects.create(
        assignment=part, requested_due_on=date(2024, 9, 1), reason="r", status="approved"
    )
    plain = Extension.objects.create(assignment=part, requested_due_on=date(2024, 9, 1), reason="r", status="refused")
    pending = Extension.objects.create(assignment=part, requested_due_on=date(2024, 9, 1), reason="r")
    asked_on = datetime(2024, 5, 31, 20, 0, tzinfo=UTC)  # 01/6/2024 in Việt Nam
    Extension.objects.filter(pk__in=[audited.pk, plain.pk]).update(created_at=asked_on)
    kind, _ = ContentType.objects.get_or_create(app_label="plans", model="extensionrequest")
    # recorded now (audit entries cannot be changed, PostgreSQL refuses it): the decision's day is today
    Entry.objects.create(action="plans.extension.approved", content_type=kind, object_id=str(audited.pk))
    migrate_to_latest()
    from tinhgon.plans.models import ExtensionRequest

    assert ExtensionRequest.objects.get(pk=audited.pk).decided_on == today()
    assert ExtensionRequest.objects.get(pk=plain.pk).decided_on == date(2024, 6, 1)
    assert ExtensionRequest.objects.get(pk=pending.pk).decided_on is None
