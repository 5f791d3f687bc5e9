"""Two requests at the same moment on two PostgreSQL connections: a publication decision is issued and applied
once, and an Excel import confirmed from two tabs (or a double click) creates its procedures once."""

from django.test import Client

from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.models import StagedFile
from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.models import Procedure, PublicationDecision
from tinhgon.procedures.services import decision_add_item, decision_issue
from tinhgon.procedures.tests.excel_fixtures import good_row, xlsx
from tinhgon.procedures.tests.factories import make_procedure
from tinhgon.test import RACE_MARKS, at_once

pytestmark = RACE_MARKS


def test_two_simultaneous_issues_of_a_decision_publish_once(world, decision):
    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED)
    draft = decision()
    decision_add_item(decision=draft, version=procedure.latest_version(), change=Change.NEW)
    copies = [PublicationDecision.objects.get(pk=draft.pk) for _ in range(2)]

    outcomes = at_once(*(lambda copy=copy: decision_issue(decision=copy) for copy in copies))

    assert outcomes == ["TransitionRefused", "done"]
    assert procedure.latest_version().status == Status.PUBLISHED
    actions = list(AuditLogEntry.objects.for_object(draft).values_list("action", flat=True))
    assert sorted(actions) == [
        "procedures.decision.applied",
        "procedures.decision.created",
        "procedures.decision.issued",
    ]


def test_an_import_confirmed_twice_at_once_creates_its_procedures_once(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = world.units["P-A"]
    tabs = [Client(), Client()]
    for tab in tabs:
        tab.force_login(world.focal_a)
    preview = tabs[0].post("/thu-tuc/nhap-excel/", {"owner": owner.pk, "file": xlsx([good_row(1), good_row(2)])})
    token = preview.context["token"]

    def confirm(tab):
        return lambda: tab.post("/thu-tuc/nhap-excel/xac-nhan/", {"token": token, "owner": owner.pk})

    assert at_once(*(confirm(tab) for tab in tabs), slowed=Procedure) == ["done", "done"]  # both pages answer
    assert Procedure.objects.filter(owner=owner).count() == 2
    assert StagedFile.objects.count() == 0 and not any(tmp_path.rglob("*.xlsx"))
