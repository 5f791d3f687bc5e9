import pytest

from tinhgon.accounts.management.commands.permissions_matrix import DOC, render_doc
from tinhgon.accounts.permissions import RULES, Policy
from tinhgon.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def policy(user):
    return Policy(user=user, memberships=list(user.memberships_in_force()))


def test_docs_matrix_is_generated_from_the_rules():
    current = DOC.read_text(encoding="utf-8")
    assert render_doc(current) == current, "docs/permissions.md is stale: run `manage.py permissions_matrix`"


def test_every_action_has_a_label_and_known_roles():
    from tinhgon.accounts.models import Role

    for code, (label, scopes) in RULES.items():
        assert label and set(scopes) <= set(Role.values), code


def test_oversight_reads_everything_below_but_nothing_beside(world):
    p = policy(world.oversight)
    for code in ["P", "P-VP", "P-A", "P-A-1", "P-B", "P-X"]:
        assert p.allows("organisations.view", world.units[code])
    assert not p.allows("organisations.view", world.units["Q-A"])
    assert not p.allows("organisations.change", world.units["P-A"])


def test_subtree_scope_covers_units_merged_away(world):
    from datetime import date

    from tinhgon.organisations.services import units_merge

    old = OrganisationFactory(parent=world.units["P"], valid_from=date(2000, 1, 1))
    units_merge(sources=[old], target=world.units["P-B"], day=date(2025, 7, 1))
    assert policy(world.oversight).allows("organisations.view", old)


def test_unit_scope_is_that_unit_only(world):
    p = policy(world.head_a1)
    assert p.allows("memberships.view", world.units["P-A-1"])
    assert not p.allows("memberships.view", world.units["P-A"])


def test_admin_of_another_province_cannot_touch_this_one(world):
    p = policy(world.outsider_admin)
    assert p.allows("organisations.change", world.units["Q-A"])
    assert not p.allows("organisations.change", world.units["P-A"])
    assert not p.allows("organisations.view", world.units["P"])


def test_scoped_organisations_queryset_matches_allows(world):
    p = policy(world.leader_a)
    visible = set(p.organisations("organisations.view"))
    assert visible == {world.units["P-A"], world.units["P-A-1"]}
    assert all(p.allows("organisations.view", unit) for unit in visible)


def test_roots_need_a_superuser(world):
    assert not policy(world.admin).allows("organisations.add", None)
    world.admin.is_superuser = True
    assert policy(world.admin).allows("organisations.add", None)


def test_officer_has_no_management_rights(world):
    p = policy(world.officer_a1)
    for action in [
        "organisations.add",
        "organisations.change",
        "organisations.merge",
        "users.add",
        "memberships.manage",
        "audit.view",
        "users.view",
    ]:
        assert not p.can_anywhere(action), action
