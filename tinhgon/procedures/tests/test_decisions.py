import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

import pytest

from tinhgon.core.dates import today
from tinhgon.procedures.constants import Change, DecisionStatus, Status
from tinhgon.procedures.models import ProcedureVersion
from tinhgon.procedures.services import (
    decision_add_item,
    decision_issue,
    decisions_apply_due,
    version_start_next,
)
from tinhgon.procedures.tests.factories import complete_components, make_procedure

pytestmark = pytest.mark.django_db


def checked_next_version(procedure, **overrides):
    draft = version_start_next(procedure=procedure)
    from tinhgon.procedures.services import version_update

    version_update(version=draft, components=complete_components(**overrides))
    draft.submit()
    draft.control()
    return draft


def test_new_procedure_is_published_on_an_effective_date_of_today(world, decision):
    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED)
    d = decision()
    decision_add_item(decision=d, version=procedure.latest_version(), change=Change.NEW)
    decision_issue(decision=d)
    version = procedure.latest_version()
    d.refresh_from_db()
    assert d.status == DecisionStatus.APPLIED
    assert (version.status, version.effective_from) == (Status.PUBLISHED, today())


def test_a_future_decision_waits_for_the_scheduled_job(world, decision):
    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED)
    later = today() + timedelta(days=10)
    d = decision(effective_on=later)
    decision_add_item(decision=d, version=procedure.latest_version(), change=Change.NEW)
    decision_issue(decision=d)
    assert procedure.latest_version().status == Status.SCHEDULED
    assert ProcedureVersion.objects.published().count() == 0
    assert decisions_apply_due(on=later - timedelta(days=1)) == []
    assert decisions_apply_due(on=later) == [d]
    assert procedure.latest_version().status == Status.PUBLISHED


def test_the_command_applies_due_decisions(world, decision, capsys):
    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED)
    d = decision(effective_on=today() + timedelta(days=1))
    decision_add_item(decision=d, version=procedure.latest_version(), change=Change.NEW)
    decision_issue(decision=d)
    call_command("apply_publication_decisions")
    assert "Không có quyết định" in capsys.readouterr().out
    d.refresh_from_db()
    d.effective_on = today()
    d.save()
    call_command("apply_publication_decisions")
    assert d.number in capsys.readouterr().out


def test_amendment_ends_the_previous_version_and_its_decision_item(world, decision, published):
    procedure = published(world.units["P-A"])
    first = procedure.published_version()
    first_item = first.decision_items.get()
    second = checked_next_version(procedure, name="Thủ tục đã sửa đổi")
    d = decision(number="2/QĐ-UBND", effective_on=today() + timedelta(days=3))
    item = decision_add_item(decision=d, version=second, change=Change.AMENDED)
    decision_issue(decision=d)
    decisions_apply_due(on=d.effective_on)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.effective_to) == (Status.AMENDED, d.effective_on - timedelta(days=1))
    assert (second.status, second.effective_from) == (Status.PUBLISHED, d.effective_on)
    assert list(item.ends.all()) == [first_item]
    assert list(ProcedureVersion.objects.published()) == [second]


def test_abolition_ends_the_published_version(world, decision, published):
    procedure = published(world.units["P-A"])
    version = procedure.published_version()
    d = decision(number="3/QĐ-UBND")
    decision_add_item(decision=d, version=version, change=Change.ABOLISHED)
    decision_issue(decision=d)
    version.refresh_from_db()
    assert version.status == Status.ABOLISHED and version.effective_to == today() - timedelta(days=1)
    with pytest.raises(ValidationError):
        version_start_next(procedure=procedure)


def test_replacement_ends_the_replaced_procedure(world, decision, published):
    old = published(world.units["P-A"])
    new = make_procedure(world.units["P-A"], status=Status.CHECKED, components=complete_components(name="Mới"))
    d = decision(number="4/QĐ-UBND")
    decision_add_item(decision=d, version=new.latest_version(), change=Change.REPLACED, replaces=old)
    decision_issue(decision=d)
    assert old.latest_version().status == Status.REPLACED
    assert new.latest_version().status == Status.PUBLISHED


@pytest.fixture
def publishes_and_abolishes(world, decision, published):
    """Decision 101/QĐ-BNV, issued: it publishes a new procedure of P-B and abolishes one of P-A."""
    old = published(world.units["P-A"])
    new = make_procedure(world.units["P-B"], status=Status.CHECKED)
    d = decision(number="101/QĐ-BNV")
    decision_add_item(decision=d, version=new.latest_version(), change=Change.NEW)
    decision_add_item(decision=d, version=old.published_version(), change=Change.ABOLISHED)
    decision_issue(decision=d)
    return d, old, new


def test_one_decision_publishes_and_abolishes(world, publishes_and_abolishes):
    d, old, new = publishes_and_abolishes
    assert new.latest_version().status == Status.PUBLISHED
    assert old.latest_version().status == Status.ABOLISHED


@pytest.mark.parametrize(
    "case, message",
    [
        ("draft_version", "không thể đưa vào quyết định"),
        ("new_but_published", "đã được công bố"),
        ("amend_unpublished", "chưa có phiên bản đang hiệu lực"),
        ("replace_without_target", "Cần chọn thủ tục"),
        ("outside_issuer", "không thuộc phạm vi"),
    ],
)
def test_items_are_guarded(world, decision, published, case, message):
    d = decision(issuer=world.units["P-A"] if case == "outside_issuer" else None)
    if case == "draft_version":
        version, change = make_procedure(world.units["P-A"]).latest_version(), Change.NEW
    elif case == "new_but_published":
        procedure = published(world.units["P-A"])
        version, change = checked_next_version(procedure), Change.NEW
    elif case == "amend_unpublished":
        version, change = make_procedure(world.units["P-A"], status=Status.CHECKED).latest_version(), Change.AMENDED
    elif case == "replace_without_target":
        version, change = make_procedure(world.units["P-A"], status=Status.CHECKED).latest_version(), Change.REPLACED
    else:
        version, change = make_procedure(world.units["P-B"], status=Status.CHECKED).latest_version(), Change.NEW
    with pytest.raises(ValidationError, match=message):
        decision_add_item(decision=d, version=version, change=change)


def test_issue_needs_items_and_a_signature(world, decision):
    d = decision(signer="")
    with pytest.raises(ValidationError) as error:
        decision_issue(decision=d)
    assert "chưa có thủ tục" in " ".join(error.value.messages)
    assert "người ký" in " ".join(error.value.messages)


def test_an_issued_decision_cannot_be_changed(world, decision, published):
    procedure = published(world.units["P-A"])
    d = procedure.published_version().decision_items.get().decision
    other = make_procedure(world.units["P-A"], status=Status.CHECKED)
    with pytest.raises(ValidationError, match="đã ban hành"):
        decision_add_item(decision=d, version=other.latest_version(), change=Change.NEW)


def test_the_decision_list_counts_each_decisions_items_by_change(world, publishes_and_abolishes, login):
    page = login(world.focal_p).get(reverse("procedures:decisions")).content.decode()
    row = page.split("101/QĐ-BNV", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "0", "0", "1"]  # new, amended, replaced, abolished


def test_the_decision_list_shows_fifty_decisions_a_page_newest_first(world, decision, login):
    for n in range(51):
        decision(number=f"{n + 1}/QĐ-UBND", effective_on=today() - timedelta(days=n))
    client = login(world.focal_p)
    first = client.get(reverse("procedures:decisions")).content.decode()
    last = client.get(reverse("procedures:decisions"), {"trang": 2}).content.decode()
    assert ">1/QĐ-UBND<" in first and ">50/QĐ-UBND<" in first and ">51/QĐ-UBND<" not in first
    assert ">51/QĐ-UBND<" in last and ">1/QĐ-UBND<" not in last
    assert "51 quyết định · trang 2/2" in last
