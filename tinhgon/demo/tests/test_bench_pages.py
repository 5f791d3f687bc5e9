"""The budget logic of the per-page benchmark (bench/pages.py); the benchmark itself is not run by the tests."""

import pytest

from tinhgon.demo.tests import bench_scripts


@pytest.fixture(scope="module")
def pages():
    return bench_scripts.load("pages")


def measure(pages, **kw):
    values = {"name": "x", "kind": "search", "url": "/", "p50_ms": 10, "p95_ms": 20, "floor_ms": 5} | kw
    return pages.Measure(**values)


def test_a_measure_within_every_budget_breaks_none(pages):
    assert pages.broken_budgets(measure(pages, small_queries=0)) == []


def test_a_search_over_its_p95_budget_is_named(pages):
    assert pages.broken_budgets(measure(pages, p95_ms=51)) == ["x: p95 51.0 ms > 50 ms"]


def test_a_page_more_than_three_times_its_sql_floor_and_the_allowance_is_named(pages):
    broken = pages.broken_budgets(measure(pages, p50_ms=36, p95_ms=40, floor_ms=5))
    assert broken == ["x: server 36.0 ms > 3x its SQL floor 5.0 ms + 20 ms"]


def test_a_page_within_the_allowance_over_three_times_its_floor_breaks_nothing(pages):
    """docs/decisions/0010: the 20 ms of a Django page that do not grow with its data are allowed over the ratio."""
    assert pages.broken_budgets(measure(pages, p50_ms=35, p95_ms=40, floor_ms=5)) == []


def test_a_query_count_that_grows_with_the_data_is_named(pages):
    assert "queries on the big data set" in pages.broken_budgets(measure(pages, queries=9, small_queries=8))[0]


def test_an_export_over_its_memory_budget_is_named(pages):
    broken = pages.broken_budgets(measure(pages, kind="export", peak_mb=301, floor_ms=0))
    assert broken == ["x: peak memory 301 MB > 300 MB"]


def test_an_import_slower_than_thirty_seconds_is_named(pages):
    broken = pages.broken_budgets(measure(pages, kind="import", p50_ms=31_000, p95_ms=31_000, floor_ms=0))
    assert broken == ["x: 31.0 s > 30 s"]


def test_the_nearest_rank_percentile_of_twenty_samples(pages):
    assert pages.base.percentile(list(range(1, 21)), 95) == 19


def test_the_floor_replays_reads_with_common_table_expressions_and_no_write(pages):
    assert pages.is_read('SELECT "a" FROM t') and pages.is_read("  with matched AS MATERIALIZED (SELECT 1) SELECT 1")
    assert not pages.is_read('UPDATE "django_session" SET x = 1')
    assert not pages.is_read("WITH moved AS (DELETE FROM t RETURNING *) SELECT 1")
