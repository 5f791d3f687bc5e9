"""Fixtures of the portal tests: a published catalogue, and one procedure in every state the public never sees."""

from datetime import timedelta
from types import SimpleNamespace

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tinhgon.core.dates import today
from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.models import PublicationDecision
from tinhgon.procedures.search import forget_trigram_samples
from tinhgon.procedures.services import decision_add_item, decision_issue, version_start_next, version_update
from tinhgon.procedures.tests.factories import complete_components, field, make_procedure
from tinhgon.test import DECISION_GROUNDS

_numbers = iter(range(5000, 99999))


def count_queries(client, url: str) -> int:
    """The queries of one GET, from a cold start: the search's trigram sample (two queries, taken once per process
    and period) is dropped first, so a count does not depend on what ran before it."""
    forget_trigram_samples()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def issue(world, versions_changes, effective_on=None, issuer=None, **extra) -> PublicationDecision:
    """One issued decision (of P unless `issuer` is given) over [(version, change), ...]; applied at once when
    effective today or earlier."""
    d = PublicationDecision.objects.create(
        number=f"{next(_numbers)}/QĐ-UBND",
        issuer=issuer or world.units["P"],
        signed_on=today(),
        signer="Nguyễn Văn A",
        effective_on=effective_on or today(),
        **extra,
        **DECISION_GROUNDS,
    )
    for version, change in versions_changes:
        decision_add_item(decision=d, version=version, change=change)
    decision_issue(decision=d)
    d.refresh_from_db()
    return d


@pytest.fixture
def publish_many(world):
    """Publish procedures named `names` (owner P-A unless given) with one decision; returns the procedures."""

    def _publish(names, owner=None, field_code="thi-dua-khen-thuong", **fields):
        owner = owner or world.units["P-A"]
        procedures = [
            make_procedure(
                owner, status=Status.CHECKED, components=complete_components(name, field=field(field_code), **fields)
            )
            for name in names
        ]
        issue(world, [(p.latest_version(), Change.NEW) for p in procedures])
        return procedures

    return _publish


@pytest.fixture
def hidden(world, publish_many):
    """One procedure in each state the public must never see, all named "... bảo mật <state>", plus one
    published "... bảo mật công khai" as the control. Returns a namespace of procedures by state."""
    owner = world.units["P-A"]

    def make(state, status=Status.DRAFT):
        return make_procedure(owner, status=status, components=complete_components(f"Thủ tục kiểm tra bảo mật {state}"))

    ns = SimpleNamespace()
    ns.draft = make("dự thảo")
    ns.submitted = make("đã trình", Status.SUBMITTED)
    ns.checked = make("đã kiểm soát", Status.CHECKED)
    ns.returned = make("bị trả lại", Status.SUBMITTED)
    ns.returned.latest_version().send_back("Thiếu căn cứ pháp lý")
    ns.scheduled = make("chờ hiệu lực", Status.CHECKED)
    ns.pending_decision = issue(
        world, [(ns.scheduled.latest_version(), Change.NEW)], effective_on=today() + timedelta(days=10)
    )
    (ns.abolished,) = publish_many(["Thủ tục kiểm tra bảo mật đã bãi bỏ"])
    ns.abolishing_decision = issue(world, [(ns.abolished.latest_version(), Change.ABOLISHED)])
    ns.template = make("danh mục mẫu", Status.CHECKED)
    ns.template.is_template = True
    ns.template.save()
    for version in ns.template.versions.all():  # published through save(), as a careless path would
        version.status, version.effective_from = Status.PUBLISHED, today()
        version.save()
    ns.draft_decision = PublicationDecision.objects.create(
        number="999/QĐ-DT", issuer=world.units["P"], effective_on=today(), title="Quyết định dự thảo bảo mật"
    )
    decision_add_item(decision=ns.draft_decision, version=ns.checked.latest_version(), change=Change.NEW)
    (ns.public,) = publish_many(["Thủ tục kiểm tra bảo mật công khai"])
    for p in vars(ns).values():
        if hasattr(p, "latest_version"):
            p.refresh_from_db()
    assert ns.scheduled.latest_version().status == Status.SCHEDULED
    assert ns.abolished.latest_version().status == Status.ABOLISHED
    assert ns.returned.latest_version().status == Status.RETURNED
    return ns


def publish_draft(world, procedure):
    """Submit, check and publish (effective today) the draft first version of `procedure`."""
    version = procedure.latest_version()
    version.submit()
    version.control()
    return issue(world, [(version, Change.NEW)])


def amend(world, procedure, **fields):
    """Publish version 2 of `procedure` with `fields` changed; version 1 becomes 'amended'."""
    version = version_start_next(procedure=procedure)
    components = complete_components(**{"name": version.name, **fields})
    version = version_update(version=version, components=components)
    version.submit()
    version.control()
    return issue(world, [(version, Change.AMENDED)])


HIDDEN_STATES = ["draft", "submitted", "checked", "returned", "scheduled", "abolished", "template"]
