"""The ledger of a very large unit (the nation) is served from a snapshot (reviews.ledger.shared_ledger, issue 15):
the same figures as counted now, kept a few minutes, shared only with who sees the whole unit, and said to be so."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

import pytest

from tinhgon.accounts.models import Role
from tinhgon.accounts.permissions import Policy
from tinhgon.accounts.tests.factories import MembershipFactory, UserFactory
from tinhgon.core.dates import today
from tinhgon.reviews.ledger import Filters, ledger, shared_ledger
from tinhgon.reviews.models import LedgerSnapshot
from tinhgon.reviews.tests import factories as f
from tinhgon.test import joined_after_leaving

pytestmark = pytest.mark.django_db


def policy_of(user) -> Policy:
    return Policy(user=user, memberships=list(user.memberships_in_force()))


def asked(world, user, code: str, **filters) -> Filters:
    return Filters(roots=(world.units[code],), as_of=today(), policy=policy_of(user), **filters)


@pytest.fixture
def large(settings):
    """Every unit with a unit under it (itself counts) is "very large", and snapshots last ten minutes."""
    settings.TINHGON_LEDGER_SNAPSHOT_MINUTES = 10
    settings.TINHGON_LEDGER_SNAPSHOT_UNITS = 1


def test_the_snapshot_holds_the_figures_counted_now(world, portfolio, large):
    live = ledger(asked(world, world.oversight, "P"))
    served = shared_ledger(asked(world, world.oversight, "P"))
    again = shared_ledger(asked(world, world.oversight, "P"))  # read back from the database
    for result in (served, again):
        assert result.as_data() == live.as_data()
        assert [(c.milestone, c.value, c.status, c.reached_on) for c in result.milestones] == [
            (c.milestone, c.value, c.status, c.reached_on) for c in live.milestones
        ]
    assert again.computed_at == served.computed_at is not None and live.computed_at is None


def test_a_fresh_snapshot_is_served_and_an_old_one_counted_again(world, portfolio, large):
    first = shared_ledger(asked(world, world.oversight, "P"))
    f.publish(world, world.units["P-B"], "Công bố sau khi tính")
    assert shared_ledger(asked(world, world.oversight, "P")).published == first.published
    LedgerSnapshot.objects.update(computed_at=timezone.now() - timedelta(minutes=11))
    later = shared_ledger(asked(world, world.oversight, "P"))
    assert later.published == first.published + 1 and later.computed_at > first.computed_at


def test_each_set_of_filters_has_its_own_snapshot(world, portfolio, large):
    shared_ledger(asked(world, world.oversight, "P"))
    assert shared_ledger(asked(world, world.oversight, "P", group="B")).published == 0
    assert LedgerSnapshot.objects.count() == 2


def test_a_unit_below_the_size_is_always_counted_now(world, portfolio, settings):
    settings.TINHGON_LEDGER_SNAPSHOT_MINUTES = 10
    settings.TINHGON_LEDGER_SNAPSHOT_UNITS = 5000
    assert shared_ledger(asked(world, world.oversight, "P")).computed_at is None
    assert not LedgerSnapshot.objects.exists()


def test_snapshots_are_off_when_their_minutes_are_zero(world, portfolio, settings):
    settings.TINHGON_LEDGER_SNAPSHOT_MINUTES = 0
    settings.TINHGON_LEDGER_SNAPSHOT_UNITS = 1
    assert shared_ledger(asked(world, world.oversight, "P")).computed_at is None
    assert not LedgerSnapshot.objects.exists()


@pytest.fixture
def focal_q(world):
    """Q's focal point, who sees all of P-B and of the commune joined under it since it left P (tinhgon.test)."""
    joined = joined_after_leaving(world)
    f.publish(world, joined, "Thủ tục của xã mới", issuer=world.units["Q"])
    user = UserFactory(username="focal_q")
    MembershipFactory(user=user, organisation=world.units["Q"], role=Role.FOCAL_POINT)
    return user


def test_who_sees_part_of_the_unit_is_never_served_its_snapshot(world, large, focal_q):
    whole = shared_ledger(asked(world, focal_q, "P-B"))
    assert whole.published == 1 and whole.computed_at is not None
    part = shared_ledger(asked(world, world.focal_p, "P-B"))
    assert part.published == 0 and part.computed_at is None
    assert LedgerSnapshot.objects.count() == 1  # a partial ledger is never stored


def test_the_snapshots_rule_of_visibility(world, large, focal_q):
    shared_ledger(asked(world, focal_q, "P-B"))
    shared_ledger(asked(world, world.oversight, "P"))
    codes = lambda user: {s.organisation.code for s in LedgerSnapshot.objects.visible_to(policy_of(user))}  # noqa: E731
    assert codes(world.oversight) == {"P"}  # P-B's holds the commune, never under P
    assert codes(focal_q) == {"P-B"}
    assert codes(world.outsider) == set()
    assert codes(world.focal_a) == set()  # P-A's focal point sees part of P only


def test_the_page_and_the_api_say_when_the_figures_were_computed(client, api, world, portfolio, large):
    client.force_login(world.oversight)
    first = client.get("/ra-soat/so-theo-doi/", {"org": "P"})
    assert first.status_code == 200 and 'id="computed-at"' in first.content.decode()
    body = api(world.oversight).get("/api/v1/ledger/", {"org": "P"}).json()
    assert body["computed_at"] is not None and body["published"] == first.context["ledger"].published


def test_the_page_of_a_smaller_unit_says_nothing_of_a_snapshot(client, world, portfolio):
    client.force_login(world.oversight)
    assert 'id="computed-at"' not in client.get("/ra-soat/so-theo-doi/", {"org": "P"}).content.decode()


def test_the_worker_refreshes_the_very_large_units(world, portfolio, large, settings):
    settings.TINHGON_LEDGER_SNAPSHOT_UNITS = 5  # P (and its 6 units) is large; its departments are not
    out = io.StringIO()
    call_command("refresh_ledger_snapshots", stdout=out)
    assert set(LedgerSnapshot.objects.values_list("organisation__code", flat=True)) == {"P"}
    assert "P: đã tính lại" in out.getvalue()
    call_command("refresh_ledger_snapshots", "--org", "P-A", stdout=out)
    assert LedgerSnapshot.objects.filter(organisation__code="P-A").exists()
