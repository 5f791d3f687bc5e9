"""The load test's report (bench/load/summary.py) and its CPU accounting (bench/load/cpu.py); the load test itself
is not run by the tests (`make load`)."""

import json
import sys
from pathlib import Path

import pytest

LOAD = Path(__file__).resolve().parents[3] / "bench" / "load"
HEADER = "Type,Name,Request Count,Failure Count,Requests/s,50%,95%,99%\n"


@pytest.fixture(scope="module")
def load_scripts():
    sys.path.insert(0, str(LOAD))
    try:
        import cpu
        import summary

        yield cpu, summary
    finally:
        sys.path.remove(str(LOAD))


def stats(tmp_path, p95: int, failures: int = 0) -> str:
    path = tmp_path / "run_stats.csv"
    path.write_text(
        HEADER
        + f"GET,portal search,900,{failures},7.5,3,{p95},600\n"
        + f",Aggregated,1000,{failures},8.3,4,{p95},650\n",
        encoding="utf-8",
    )
    return str(path)


def snapshots(tmp_path, before: dict, after: dict) -> str:
    (tmp_path / "cpu.before").write_text(json.dumps(before))
    (tmp_path / "cpu.after").write_text(json.dumps(after))
    return str(tmp_path / "cpu")


def test_a_run_under_the_bar_passes(load_scripts, tmp_path, capsys):
    _, summary = load_scripts
    assert summary.main(stats(tmp_path, p95=480), "200", "national") == 0
    assert "Ngưỡng (0 lỗi, p95 < 500 ms): đạt" in capsys.readouterr().out


def test_a_run_over_the_p95_bar_fails(load_scripts, tmp_path, capsys):
    _, summary = load_scripts
    assert summary.main(stats(tmp_path, p95=520), "200", "national") == 1
    assert "KHÔNG ĐẠT" in capsys.readouterr().out


def test_a_run_with_one_error_fails(load_scripts, tmp_path):
    _, summary = load_scripts
    assert summary.main(stats(tmp_path, p95=100, failures=1), "200", "national") == 1


def test_the_database_is_given_what_the_machine_burnt_beyond_the_other_parts(load_scripts, tmp_path, capsys):
    cpu, summary = load_scripts
    ticks = cpu.TICKS
    before = {"busy": 0, "locust": 0, "nginx": 0, "gunicorn": 0}
    after = {"busy": 100 * ticks, "locust": 5 * ticks, "nginx": 5 * ticks, "gunicorn": 60 * ticks}
    summary.main(stats(tmp_path, p95=100), "200", "national", snapshots(tmp_path, before, after))
    out = capsys.readouterr().out
    assert "| cơ sở dữ liệu (PostgreSQL, phần còn lại) | 30.0 | 30.0 |" in out  # 30 s over 1,000 requests
    assert "| ứng dụng (gunicorn) | 60.0 | 60.0 |" in out
    assert "| **Cả máy** | 100.0 | 100.0 |" in out


def test_a_run_without_snapshots_reports_no_cpu(load_scripts, tmp_path, capsys):
    _, summary = load_scripts
    summary.main(stats(tmp_path, p95=100), "200", "national", str(tmp_path / "missing"))
    assert "CPU" not in capsys.readouterr().out


def test_a_snapshot_counts_the_machine_and_each_part(load_scripts, tmp_path):
    cpu, _ = load_scripts
    cpu.snapshot(str(tmp_path / "now"))
    taken = json.loads((tmp_path / "now").read_text())
    assert set(taken) == {"busy", "locust", "nginx", "gunicorn"}
    assert taken["busy"] > 0 and all(value >= 0 for value in taken.values())
