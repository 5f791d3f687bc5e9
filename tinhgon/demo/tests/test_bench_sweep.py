"""The verdicts of the sweep of the pages without arguments (bench/sweep.py); the sweep itself is not run by the
tests."""

import pytest

from tinhgon.demo.tests import bench_scripts


@pytest.fixture(scope="module")
def sweep():
    return bench_scripts.load("sweep")


def row(**kw):
    return {
        "name": "x",
        "url": "/x/",
        "persona": "nation",
        "status": 200,
        "download": False,
        "queries": 5,
        "sql_ms": 1.0,
        "p50_ms": 10.0,
    } | kw


def test_a_page_over_the_list_budget_fails(sweep):
    assert sweep.over_budget(row(p50_ms=151), 150) and not sweep.over_budget(row(p50_ms=150), 150)


def test_a_download_has_no_time_budget(sweep):
    assert not sweep.over_budget(row(download=True, p50_ms=31_000), 150)


def test_a_server_error_fails_whatever_its_time(sweep):
    assert sweep.over_budget(row(status=500, p50_ms=0), 150)


def test_the_report_lists_the_slow_pages_slowest_first(sweep):
    text = sweep.markdown([row(url="/a/", p50_ms=200), row(url="/b/", p50_ms=900), row(url="/c/")], 150, "t")
    assert text.split("## Over 150 ms or failing (2)")[1].split()[:3] == ["-", "/b/", "as"]
    assert "| `/c/` | nation | 200 | 10.0 | 5 | 1.0 |" in text
