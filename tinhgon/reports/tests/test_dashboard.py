"""The data behind the dashboards: blocks per role, numbers against hand-counted fixtures, constant query counts."""

import json
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tinhgon.accounts.permissions import Policy
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.tests.factories import OrganisationFactory
from tinhgon.plans.tests import factories as pf
from tinhgon.procedures.constants import Status
from tinhgon.reports.dashboard import dashboard_data, month_ends
from tinhgon.reviews import services as review_services
from tinhgon.reviews.constants import Action, ReviewStatus
from tinhgon.reviews.ledger import ledger_for
from tinhgon.reviews.tests import factories as rf
from tinhgon.test import SINCE

pytestmark = pytest.mark.django_db


def policy_of(user):
    return Policy(user=user, memberships=list(user.memberships_in_force()))


def reviewed(world, owner, name, action=None):
    procedure = rf.publish(world, owner, name)
    review = review_services.round_add_procedure(round=rf.round_for(world), procedure=procedure)
    rf.filled(review, action or Action.KEEP)
    rf.advance(review, ReviewStatus.CHECKED)
    return review


def test_views_by_role_are_json(world):
    as_of = today()
    views = {
        "officer_a1": ("P-A-1", "officer"),
        "head_a1": ("P-A-1", "agency"),
        "focal_a": ("P-A", "agency"),
        "leader_a": ("P-A", "agency"),
        "oversight": ("P", "oversight"),
    }
    for username, (code, view) in views.items():
        data = dashboard_data(world.units[code], as_of, policy_of(world.users[username]))
        assert data["view"] == view, username
        json.dumps(data)  # plain JSON
    officer = dashboard_data(world.units["P-A-1"], as_of, policy_of(world.officer_a1))
    assert {"my_drafts", "my_reviews", "my_assignments", "returned"} <= set(officer)
    focal = dashboard_data(world.units["P-A"], as_of, policy_of(world.focal_a))
    assert {"ledger", "overdue", "indicators", "waiting"} <= set(focal)
    assert "versions_to_check" in focal["waiting"] and "versions_to_submit" not in focal["waiting"]
    head = dashboard_data(world.units["P-A-1"], as_of, policy_of(world.head_a1))
    assert "versions_to_submit" in head["waiting"]
    province = dashboard_data(world.units["P"], as_of, policy_of(world.oversight))
    assert {"ranking", "progress", "heatmap", "indicators", "ledger"} <= set(province)
    assert len(province["progress"]) == 12 and province["progress"][-1]["date"] == as_of.isoformat()


def test_officer_blocks_count_my_things(world):
    from tinhgon.procedures.tests.factories import make_procedure

    mine = make_procedure(world.units["P-A-1"])
    mine.versions.update(created_by=world.officer_a1)
    other = make_procedure(world.units["P-A-1"])
    other.versions.update(created_by=world.head_a1)
    returned = make_procedure(world.units["P-A-1"])
    returned.versions.update(created_by=world.officer_a1, status=Status.RETURNED)
    procedure = rf.publish(world, world.units["P-A-1"], "Thủ tục rà soát")
    review = review_services.round_add_procedure(
        round=rf.round_for(world), procedure=procedure, responsible=world.units["P-A-1"]
    )
    plan = pf.plan(world.units["P-A"], year=today().year)
    pf.task(plan, world.units["P-A-1"], code="1", deadline=today() + timedelta(days=3))
    pf.task(plan, world.units["P-A"], code="2", deadline=today() + timedelta(days=3))  # not my unit

    data = dashboard_data(world.units["P-A-1"], today(), policy_of(world.officer_a1))
    assert data["my_drafts"]["count"] == 2  # draft + returned, mine only
    assert [r["id"] for r in data["my_reviews"]["rows"]] == [review.pk]
    assert data["my_assignments"]["count"] == 1
    assert [r["procedure_id"] for r in data["returned"]["versions"]] == [returned.pk]


def test_agency_numbers_against_hand_count(world):
    reviewed(world, world.units["P-A"], "Một", Action.ABOLISH)
    reviewed(world, world.units["P-A-1"], "Hai")
    rf.publish(world, world.units["P-A"], "Ba")
    rf.publish(world, world.units["P-B"], "Của sở B")
    plan = pf.plan(world.units["P-A"], year=today().year)
    pf.task(plan, world.units["P-A"], code="1", deadline=today() - timedelta(days=2))  # overdue
    pf.task(plan, world.units["P-A-1"], code="2", deadline=today() - timedelta(days=40))  # overdue
    pf.task(plan, world.units["P-A"], code="3", deadline=today())  # due today: not overdue
    pf.task(plan, world.units["P-B"], code="4", deadline=today() - timedelta(days=2))  # outside P-A

    data = dashboard_data(world.units["P-A"], today(), policy_of(world.focal_a))
    ledger = data["ledger"]
    assert (ledger["published"], ledger["reviewed"], ledger["reviewed_pct"]) == (3, 2, "66.67")
    assert ledger["urls"]["reviewed"].startswith("/ra-soat/so-theo-doi/thu-tuc/?metric=reviewed&org=P-A")
    assert data["overdue"]["tasks"]["count"] == 2
    assert data["overdue"]["tasks"]["url"] == "/ke-hoach/tre-han/?org=P-A"


def test_oversight_ranking_matches_ledger_per_unit(world):
    rf.parameters()
    reviewed(world, world.units["P-A"], "Một", Action.ABOLISH)
    rf.approve(world, [reviewed(world, world.units["P-A-1"], "Hai", Action.ABOLISH)])
    rf.publish(world, world.units["P-B"], "Của sở B")
    plan = pf.plan(world.units["P"], year=today().year)
    pf.task(plan, world.units["P-B"], code="1", deadline=today() - timedelta(days=2))
    pf.task(plan, world.units["P-A-1"], code="2", deadline=today() - timedelta(days=5))

    data = dashboard_data(world.units["P"], today(), policy_of(world.oversight))
    rows = {r["code"]: r for r in data["ranking"]}
    assert set(rows) == {"P-VP", "P-A", "P-B", "P-X"}
    for code in ("P-A", "P-B"):
        expected = ledger_for(world.units[code], today())
        row = rows[code]
        assert (row["published"], row["reviewed"], row["simplified"]) == (
            expected.published,
            expected.reviewed,
            expected.simplified,
        )
        assert row["cost_saving"] == expected.cost_saving
    assert (rows["P-A"]["overdue"], rows["P-B"]["overdue"], rows["P-X"]["overdue"]) == (1, 1, 0)
    assert data["ranking"][0]["code"] == "P-A"  # highest reviewed %
    assert rows["P-A"]["url"].startswith("/bao-cao/bang-dieu-khien/?org=P-A")
    heat = data["heatmap"]
    assert sum(n for _, _, n in heat["data"]) == 2 and heat["months"][-1] == today().strftime("%m/%Y")


def _grow(world, n):
    for i in range(n):
        unit = OrganisationFactory(
            code=f"P-N{i}",
            name=f"Sở mới {i}",
            kind=Organisation.Kind.DEPARTMENT,
            parent=world.units["P"],
            valid_from=SINCE,
        )
        rf.publish(world, unit, f"Thủ tục {i}")
        plan = pf.plan(unit, year=today().year, number=f"{i}/KH")
        pf.task(plan, unit, code="1", deadline=today() - timedelta(days=3 + i))


def test_oversight_query_count_does_not_depend_on_units(world):
    _grow(world, 1)  # 5 children, then 12
    with CaptureQueriesContext(connection) as few:
        small = dashboard_data(world.units["P"], today(), policy_of(world.oversight))
    _grow_more = 7
    for i in range(_grow_more):
        unit = OrganisationFactory(
            code=f"P-M{i}", name=f"Xã {i}", kind=Organisation.Kind.COMMUNE, parent=world.units["P"], valid_from=SINCE
        )
        rf.publish(world, unit, f"Thủ tục xã {i}")
    with CaptureQueriesContext(connection) as many:
        big = dashboard_data(world.units["P"], today(), policy_of(world.oversight))
    assert len(big["ranking"]) == len(small["ranking"]) + _grow_more
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_month_ends():
    from datetime import date

    ends = month_ends(date(2026, 3, 10))
    assert ends[-1] == date(2026, 3, 10) and ends[-2] == date(2026, 2, 28) and ends[0] == date(2025, 4, 30)
