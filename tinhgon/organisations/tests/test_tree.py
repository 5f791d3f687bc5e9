from datetime import date

import pytest

from tinhgon.organisations.models import Organisation, OrganisationLink
from tinhgon.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
K = Organisation.Kind


def chain(depth: int, since=date(2020, 1, 1)) -> list[Organisation]:
    units = [OrganisationFactory(kind=K.PROVINCE, valid_from=since)]
    for _ in range(depth):
        units.append(OrganisationFactory(parent=units[-1], valid_from=since))
    return units


def test_subtree_includes_every_level_below_and_nothing_beside():
    root, child, grandchild = chain(2)
    stranger = OrganisationFactory()
    subtree = set(Organisation.objects.subtree(root))
    assert subtree == {root, child, grandchild}
    assert stranger not in subtree
    assert set(Organisation.objects.subtree(root, include_self=False)) == {child, grandchild}


def test_subtree_is_one_query_whatever_the_depth(django_assert_num_queries):
    root = chain(6)[0]
    with django_assert_num_queries(1):
        assert len(list(Organisation.objects.subtree(root))) == 7


def test_subtree_as_of_date_respects_validity():
    root = OrganisationFactory(kind=K.PROVINCE, valid_from=date(2000, 1, 1))
    old = OrganisationFactory(parent=root, valid_from=date(2000, 1, 1), valid_to=date(2025, 6, 30))
    new = OrganisationFactory(parent=root, valid_from=date(2025, 7, 1))
    assert set(Organisation.objects.subtree(root, as_of=date(2025, 6, 30))) == {root, old}
    assert set(Organisation.objects.subtree(root, as_of=date(2025, 7, 1))) == {root, new}


def test_moving_a_unit_keeps_the_tree_as_it_was_before_the_move():
    a = OrganisationFactory(kind=K.PROVINCE)
    b = OrganisationFactory(kind=K.PROVINCE)
    unit = OrganisationFactory(parent=a)
    leaf = OrganisationFactory(parent=unit)
    unit.parent, unit.move_on = b, date(2024, 1, 1)
    unit.save()
    before, after = date(2023, 12, 31), date(2024, 1, 1)
    assert set(Organisation.objects.subtree(a, as_of=before)) == {a, unit, leaf}
    assert set(Organisation.objects.subtree(a, as_of=after)) == {a}
    assert set(Organisation.objects.subtree(b, as_of=after)) == {b, unit, leaf}
    assert list(leaf.ancestors(as_of=before)) == [a, unit]
    assert list(leaf.ancestors(as_of=after)) == [b, unit]


def test_ancestors_root_first_and_children_on_a_date():
    root, child, grandchild = chain(2)
    assert list(grandchild.ancestors()) == [root, child]
    assert list(root.children_on()) == [child]


def test_every_unit_links_to_itself():
    unit = OrganisationFactory()
    assert OrganisationLink.objects.filter(ancestor=unit, descendant=unit, depth=0).exists()


def test_search_ignores_diacritics_case_and_matches_codes():
    unit = OrganisationFactory(code="SNV", name="Sở Nội vụ")
    OrganisationFactory(name="Sở Tài chính")
    assert list(Organisation.objects.search("so noi vu")) == [unit]
    assert list(Organisation.objects.search("SỞ NỘI")) == [unit]
    assert list(Organisation.objects.search("snv")) == [unit]


def test_a_unit_cannot_be_placed_under_its_own_descendant():
    from django.core.exceptions import ValidationError

    root, child, grandchild = chain(2)
    child.parent = grandchild
    with pytest.raises(ValidationError):
        child.full_clean()
