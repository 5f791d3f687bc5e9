"""The data behind the dashboards: blocks per role, numbers against hand-counted fixtures, constant query counts."""

import io
import json
from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from tinhgon.accounts.models import Role
from tinhgon.accounts.permissions import Policy
from tinhgon.accounts.tests.factories import MembershipFactory, UserFactory
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.tests.factories import OrganisationFactory
from tinhgon.plans.tests import factories as pf
from tinhgon.procedures.constants import Status
from tinhgon.reports.dashboard import dashboard_data, month_ends
from tinhgon.reports.tests.factories import grow_departments
from tinhgon.reviews import services as review_services
from tinhgon.reviews.constants import Action, ReviewStatus
from tinhgon.reviews.ledger import ledger_for
from tinhgon.reviews.tests import factories as rf
from tinhgon.test import SINCE, joined_after_leaving

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
    assert [(r["id"], r["name"]) for r in data["my_reviews"]["rows"]] == [(review.pk, "Thủ tục rà soát")]
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


def test_oversight_query_count_does_not_depend_on_units(world):
    grow_departments(world, 1)  # 5 children, then 12
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


def _progress_by_counts(org, as_of):
    """The former progress_series: two counts per month end through the ledger's own querysets (the reference)."""
    from tinhgon.reviews import ledger as ledger_module

    out = []
    for day in month_ends(as_of):
        filters = ledger_module.Filters(roots=(org,), as_of=day)
        out.append(
            (day.isoformat(), ledger_module.in_scope(filters).count(), ledger_module.latest_checked(filters).count())
        )
    return out


def test_progress_series_matches_counts_per_month_end(world):
    from tinhgon.procedures.models import ProcedureVersion
    from tinhgon.reports.dashboard import progress_series
    from tinhgon.reviews.models import Review

    as_of = today()
    ends = month_ends(as_of)
    units = [world.units[code] for code in ("P-A", "P-A-1")]  # the review round is P-A's
    for i in range(14):
        review = reviewed(world, units[i % len(units)], f"Thủ tục {i}")
        published = ends[0] - timedelta(days=40) + timedelta(days=29 * i)  # before the window, in it, after as_of
        ProcedureVersion.objects.filter(procedure=review.procedure).update(effective_from=published)
        checked = published + timedelta(days=(-20, 0, 15, 70)[i % 4])  # checked before publication too
        Review.objects.filter(pk=review.pk).update(checked_on=checked)
        if i % 5 == 0:  # a second, later form
            second = reviewed(world, units[i % len(units)], f"Thủ tục {i} (lần 2)")
            Review.objects.filter(pk=second.pk).update(
                procedure=review.procedure, checked_on=checked + timedelta(days=45)
            )
        if i % 6 == 1:  # checked, then returned: not reviewed
            Review.objects.filter(pk=review.pk).update(status=ReviewStatus.RETURNED)
    rf.publish(world, world.units["P-A"], "Chưa rà soát")
    for n, code in enumerate(("P-B", "P-X")):
        other = rf.publish(world, world.units[code], f"Của {code}")
        ProcedureVersion.objects.filter(procedure=other).update(effective_from=ends[3 + n])
    assert ProcedureVersion.objects.filter(effective_from__gt=as_of).exists()

    expected = _progress_by_counts(world.units["P"], as_of)
    got = progress_series(world.units["P"], as_of)
    assert [(p["date"], p["published"], p["reviewed"]) for p in got] == expected
    assert expected[0][1] > 0 and expected[-1][2] > expected[0][2]  # the fixture moves over the year
    for code in ("P-A", "P-A-1", "P-B"):  # sub-units
        assert [(p["date"], p["published"], p["reviewed"]) for p in progress_series(world.units[code], as_of)] == (
            _progress_by_counts(world.units[code], as_of)
        )


def test_oversight_cuts_many_children_to_one_screen(world):
    from tinhgon.reports import dashboard as dashboard_module

    grow_departments(world, 12)  # 4 + 12 children, cut to 3 + 2 rows and a heat map of 4 units
    reviewed(world, world.units["P-A"], "Một")
    plan = pf.plan(world.units["P"], year=today().year)
    pf.task(plan, world.units["P-B"], code="9", deadline=today() - timedelta(days=2))
    policy = policy_of(world.oversight)
    top, bottom, heat = dashboard_module.RANKING_TOP, dashboard_module.RANKING_BOTTOM, dashboard_module.HEATMAP_UNITS
    full = dashboard_data(world.units["P"], today(), policy, all=True)
    try:
        dashboard_module.RANKING_TOP, dashboard_module.RANKING_BOTTOM, dashboard_module.HEATMAP_UNITS = 3, 2, 4
        cut = dashboard_data(world.units["P"], today(), policy)
    finally:
        dashboard_module.RANKING_TOP, dashboard_module.RANKING_BOTTOM, dashboard_module.HEATMAP_UNITS = (
            top,
            bottom,
            heat,
        )
    assert len(full["ranking"]) == full["ranking_count"] == cut["ranking_count"] == 16
    assert full["ranking_hidden"] == 0 and cut["ranking_hidden"] == 11
    assert [r["code"] for r in cut["ranking"]] == [r["code"] for r in full["ranking"][:3] + full["ranking"][-2:]]
    assert [r["rank"] for r in cut["ranking"]] == [1, 2, 3, 15, 16]
    assert cut["ranking"][3]["gap_before"] == 11 and cut["ranking"][0]["code"] == "P-A"
    assert cut["ranking"][0] == full["ranking"][0]
    assert cut["ranking_total"] == full["ranking_total"]
    total = cut["ranking_total"]
    assert total["published"] == sum(r["published"] for r in full["ranking"]) == 13
    assert total["overdue"] == sum(r["overdue"] for r in full["ranking"]) == 13
    assert (total["reviewed"], total["reviewed_pct"]) == (1, "7.69")
    assert len(full["heatmap"]["units"]) == 16 and full["heatmap"]["hidden"] == 0
    heat_cut = cut["heatmap"]
    assert len(heat_cut["units"]) == 4 and heat_cut["hidden"] == 12 and heat_cut["count"] == 16
    # the most overdue first: P-N11 has one overdue task as every grown unit, P-B one; ties by name
    assert sum(n for _, _, n in heat_cut["data"]) == 4
    assert {y for _, y, _ in heat_cut["data"]} == {0, 1, 2, 3}


def test_oversight_page_cuts_and_links_to_all(client, world):
    from tinhgon.reports import dashboard as dashboard_module

    grow_departments(world, 2)
    client.force_login(world.oversight)
    top = dashboard_module.RANKING_TOP
    try:
        dashboard_module.RANKING_TOP = 2
        dashboard_module.RANKING_BOTTOM = 1
        response = client.get("/bao-cao/bang-dieu-khien/", {"org": "P"})
    finally:
        dashboard_module.RANKING_TOP, dashboard_module.RANKING_BOTTOM = top, 10
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="ranking-total"' in html and "Tổng cộng (6 đơn vị)" in html
    assert "… 3 đơn vị khác …" in html and "Xem toàn bộ 6 đơn vị" in html and "all=1" in html


def test_the_oversight_view_is_served_from_a_fresh_snapshot_and_says_when(world, settings):
    from tinhgon.reports.models import DashboardSnapshot

    settings.TINHGON_DASHBOARD_SNAPSHOT_MINUTES = 10
    policy = Policy(user=world.oversight, memberships=list(world.oversight.memberships.all()))
    first = dashboard_data(world.units["P"], today(), policy)
    rf.publish(world, world.units["P-A"], "Công bố sau khi tính")
    assert dashboard_data(world.units["P"], today(), policy) == first  # the snapshot, with its time
    DashboardSnapshot.objects.update(computed_at=timezone.now() - timedelta(minutes=11))
    later = dashboard_data(world.units["P"], today(), policy)
    assert later != first and later["computed_at"] >= first["computed_at"]  # too old: computed again
    call_command("refresh_dashboard_snapshots", "--org", "P", stdout=io.StringIO())
    assert DashboardSnapshot.objects.get(
        organisation=world.units["P"], full=False
    ).computed_at > timezone.now() - timedelta(minutes=1)


def test_the_dashboard_unit_is_one_the_user_may_see(world):
    from django.http import Http404

    from tinhgon.reports.dashboard import dashboard_unit

    assert dashboard_unit(policy_of(world.focal_p), "P-A") == world.units["P-A"]
    acting = world.focal_a.memberships.get()
    assert dashboard_unit(policy_of(world.focal_a), "", acting) == world.units["P-A"]
    for user, code in ((world.outsider_admin, "P"), (world.officer_a1, "P-A"), (world.focal_p, "KHONG-CO")):
        with pytest.raises(Http404):
            dashboard_unit(policy_of(user), code)


def test_per_user_blocks_leave_out_units_that_joined_after_leaving_the_users_subtree(world):
    """P-B moved to Q ten days ago; a commune created under it since was never under P: P's focal point still sees
    P-B (it was under P), but the commune's figures are not theirs to count."""
    from tinhgon.reports.dashboard import dashboard_data, scope_units

    joined = joined_after_leaving(world)
    moved = world.units["P-B"]
    plan = pf.plan(moved, year=today().year)
    pf.task(plan, joined, code="1", deadline=today() - timedelta(days=2))
    policy = policy_of(world.focal_p)
    assert set(scope_units(moved, policy)) == {moved}
    assert joined in Organisation.objects.ever_under([moved])
    assert dashboard_data(moved, today(), policy)["overdue"]["tasks"]["count"] == 0
    focal_q = UserFactory(username="focal_q")
    MembershipFactory(user=focal_q, organisation=world.units["Q"], role=Role.FOCAL_POINT)
    assert dashboard_data(moved, today(), policy_of(focal_q))["overdue"]["tasks"]["count"] == 1


def test_a_stored_snapshot_is_served_only_to_who_sees_its_unit(world, settings):
    from tinhgon.reports.dashboard import oversight_snapshot, store_snapshot
    from tinhgon.reports.models import DashboardSnapshot

    settings.TINHGON_DASHBOARD_SNAPSHOT_MINUTES = 10
    _, stored_at = store_snapshot(world.units["P"], today())
    assert DashboardSnapshot.objects.visible_to(policy_of(world.oversight)).count() == 1
    assert DashboardSnapshot.objects.visible_to(policy_of(world.outsider_admin)).count() == 0
    assert oversight_snapshot(world.units["P"], today(), policy_of(world.oversight))[1] == stored_at


def test_the_dashboard_labels_the_ledger_counts_with_their_one_definition(client, world):
    from decimal import Decimal

    from tinhgon.reviews.ledger import COUNTS

    reviewed(world, world.units["P-A"], "Thủ tục rà soát")
    client.force_login(world.leader_a)
    html = client.get("/bao-cao/bang-dieu-khien/", {"org": "P-A"}).content.decode()
    for key in ("published", "reviewed", "simplified", "cost", "time_cut", "time_cut_pct"):
        assert COUNTS[key].definition in html, key
    data = dashboard_data(world.units["P-A"], today(), policy_of(world.leader_a))
    assert data["ledger"]["definitions"]["simplified"] == COUNTS["simplified"].definition
    assert data["ledger"]["time_cut"] == 0 and Decimal(data["ledger"]["time_cut_pct"]) == 0
    json.dumps(data, default=str)  # the API serves it as JSON
