from datetime import date
from io import StringIO

from django.apps import apps
from django.core.management import call_command

import pytest

from tinhgon.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def row_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    first = row_counts()
    call_command("seed_demo", stdout=StringIO())
    assert row_counts() == first


def test_demo_province_has_the_required_shape():
    call_command("seed_demo", stdout=StringIO())
    province = Organisation.objects.get(code="VLG")
    current = Organisation.objects.subtree(province)
    assert current.filter(kind="department").count() >= 12
    assert current.filter(kind="commune").count() >= 20
    assert current.filter(kind="provincial_office", is_tthc_focal_unit=True).exists()
    before = Organisation.objects.subtree(province, as_of=date(2025, 6, 30))
    assert before.filter(kind="district").count() == 2
    assert not current.filter(kind="district").exists()
    assert Organisation.objects.get(code="VLG-LONGHO").predecessors.count() == 3


def test_demo_registry_has_procedures_in_every_status_and_decisions():
    from django.db.models import Count

    from tinhgon.procedures.constants import Change, Status
    from tinhgon.procedures.models import DecisionItem, Procedure, ProcedureVersion

    call_command("seed_demo", stdout=StringIO())
    assert Procedure.objects.filter(is_template=False).count() >= 60
    statuses = set(ProcedureVersion.objects.values_list("status", flat=True).annotate(n=Count("id")))
    assert set(Status.values) - {Status.REPLACED} <= statuses
    changes = set(DecisionItem.objects.values_list("change", flat=True))
    assert {Change.NEW, Change.AMENDED, Change.ABOLISHED} <= changes
    assert Procedure.objects.filter(template__isnull=False).count() >= 10
