"""The audit trail shown in Vietnamese (audit/display.py): actions as phrases, fields by their labels, foreign keys
by name, choices by label, dates as dd/mm/yyyy; and every audited field has a Vietnamese label to show."""

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tinhgon.audit.display import action_label, describe, object_names
from tinhgon.audit.models import AuditedModel, AuditLogEntry
from tinhgon.procedures.constants import Status
from tinhgon.procedures.tests.factories import make_procedure

pytestmark = pytest.mark.django_db


def test_an_action_code_reads_as_a_vietnamese_phrase():
    names = object_names()
    assert action_label("procedures.version.checked", names) == "Kiểm soát phiên bản thủ tục"
    assert action_label("organisations.unit.merged", names).startswith("Hợp nhất ")


def test_a_transition_is_named_by_its_own_label():
    assert action_label("reports.report.submitted", object_names()).startswith("Gửi ")


def test_a_decimal_is_shown_with_a_vietnamese_comma():
    from tinhgon.audit.display import shown
    from tinhgon.plans.models import Task

    assert shown(Task._meta.get_field("weight"), "1.50", {}) == "1,5"


def test_an_unknown_code_is_shown_as_it_is():
    assert action_label("something.else.happened", object_names()) == "something.else.happened"


def test_a_change_shows_labels_names_and_choices(world):
    version = make_procedure(world.units["P-A"], status=Status.SUBMITTED).latest_version()
    entry = AuditLogEntry.objects.for_object(version).get(action="procedures.version.submitted")
    (described,) = describe([entry])
    assert described.action_label == "Trình phiên bản thủ tục"
    assert ("Trạng thái", "Dự thảo", "Đã trình") in described.display_rows


def test_a_foreign_key_is_shown_by_the_name_it_points_to(world):
    procedure = make_procedure(world.units["P-A"])
    entry = AuditLogEntry.objects.for_object(procedure).get(action="procedures.procedure.created")
    rows = {label: new for label, _, new in describe([entry])[0].display_rows}
    assert world.units["P-A"].name in rows.values()


def test_a_page_of_entries_is_described_in_a_fixed_number_of_queries(world):
    def described_queries(procedures) -> int:
        entries = AuditLogEntry.objects.filter(object_id__in=[str(p.pk) for p in procedures])
        entries = list(entries.filter(action="procedures.procedure.created").select_related("content_type"))
        with CaptureQueriesContext(connection) as queries:
            describe(entries)
        return len(queries)

    procedures = [make_procedure(world.units["P-A"]) for _ in range(4)]
    assert described_queries(procedures[:1]) == described_queries(procedures)  # one per kind of object named


def test_the_audit_page_shows_phrases_not_codes(world, login):
    make_procedure(world.units["P-A"], status=Status.SUBMITTED)
    page = login(world.leader_a).get("/nhat-ky/").content.decode()
    assert "Trình phiên bản thủ tục" in page and "procedures.version.submitted" not in page


def test_every_audited_field_has_a_vietnamese_label():
    unlabelled = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if issubclass(model, AuditedModel)
        for field in model._meta.concrete_fields
        if not field.primary_key
        and field.attname not in model.audit_exclude
        and str(field.verbose_name) == field.name.replace("_", " ")
    ]
    assert unlabelled == []
