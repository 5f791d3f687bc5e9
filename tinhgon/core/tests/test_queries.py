"""core.queries: count, facets and one page in one query, in the queryset's own order, on both databases."""

from django.db import connection
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Length

import pytest

from tinhgon.core import queries
from tinhgon.core.queries import IdArray, id_set, ids_or_subquery, summarise, summarised_page
from tinhgon.organisations.models import Organisation


@pytest.fixture
def units(world):
    """The test world's organisations, ordered with a descending annotation and ties broken by pk."""
    return Organisation.objects.annotate(name_length=Length("name")).order_by("-name_length", "kind", "pk")


def test_counts_facets_and_a_slice_in_the_querysets_order(units, django_assert_num_queries):
    expected = list(units.values_list("pk", flat=True))
    with django_assert_num_queries(1):
        summary = summarise(units, facets=("kind",), offset=2, limit=3)
    assert summary.total == len(expected) > 5
    assert summary.pks == expected[2:5]
    by_kind = {}
    for kind in units.values_list("kind", flat=True):
        by_kind[(kind,)] = by_kind.get((kind,), 0) + 1
    assert summary.counts == by_kind


def test_every_slice_in_order_and_no_facets(units):
    expected = list(units.values_list("pk", flat=True))
    pages = [summarise(units, offset=offset, limit=4).pks for offset in range(0, len(expected), 4)]
    assert [pk for page in pages for pk in page] == expected
    assert summarise(units, offset=0, limit=1).counts == {}


def test_an_empty_result(units):
    assert summarise(units.none(), facets=("kind",)).total == 0
    summary = summarise(units.filter(name="không có"), facets=("kind",), limit=5)
    assert (summary.total, summary.counts, summary.pks) == (0, {}, [])


def test_an_ordering_by_expression_is_refused(units):
    with pytest.raises(TypeError):
        summarise(units.order_by(F("name").desc()))
    with pytest.raises(TypeError):
        summarise(units.order_by("?"))


def test_summarised_page_behaves_like_get_page(units, django_assert_num_queries):
    expected = list(units.values_list("pk", flat=True))
    per_page = 3
    last = -(-len(expected) // per_page)
    with django_assert_num_queries(2):  # the summary, then the page's rows by primary key
        page, summary = summarised_page(units, "2", per_page)
    assert [o.pk for o in page] == expected[3:6] and page.number == 2
    assert page.paginator.count == len(expected) and page.paginator.num_pages == last
    assert page.has_previous() and page.start_index() == 4
    assert summarised_page(units, "không phải số", per_page)[0].number == 1
    past, _ = summarised_page(units, 999, per_page)
    assert past.number == last and [o.pk for o in past] == expected[(last - 1) * per_page :]
    empty, _ = summarised_page(units.none(), 1, per_page)
    assert list(empty) == [] and empty.paginator.count == 0 and empty.number == 1


def test_the_page_reads_its_rows_from_the_given_queryset(units):
    page, _ = summarised_page(units, 1, 2, fetch=Organisation.objects.annotate(marker=Value("x")))
    assert [o.marker for o in page] == ["x", "x"]


def test_by_default_the_page_keeps_the_querysets_select_related(units, django_assert_num_queries):
    page, _ = summarised_page(units.filter(parent__isnull=False).select_related("parent"), 1, 3)
    with django_assert_num_queries(0):
        assert all(o.parent.code for o in page)


def test_a_page_number_too_large_for_the_database_is_the_last_page(units):
    """Found by the schema fuzzer: page=10**20 made an offset SQLite cannot hold (OverflowError, a server error)."""
    per_page = 3
    page, _ = summarised_page(units, str(10**20), per_page)
    assert page.number == -(-units.count() // per_page)


def test_ids_already_read_filter_as_the_queryset_does(units):
    ids = list(units.values_list("pk", flat=True))[:3]
    as_array = id_set(ids, units)
    assert isinstance(as_array, IdArray if connection.vendor == "postgresql" else list)
    for chosen in (ids_or_subquery(ids, units), as_array):
        assert sorted(Organisation.objects.filter(pk__in=chosen).values_list("pk", flat=True)) == sorted(ids)
    assert not Organisation.objects.filter(pk__in=id_set([], units)).exists()


def test_past_the_limit_the_queryset_is_the_subquery(units, monkeypatch):
    ids = list(units.values_list("pk", flat=True))
    monkeypatch.setattr(queries, "ID_LIST_LIMIT", len(ids) - 1)
    for chosen in (ids_or_subquery(ids, units), id_set(ids, units)):
        assert isinstance(chosen, QuerySet)
        assert sorted(Organisation.objects.filter(pk__in=chosen).values_list("pk", flat=True)) == sorted(ids)
