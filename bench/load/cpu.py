"""Where the machine's CPU went during a load run: the load generator, nginx, the application and the database.

On one machine the load generator shares the cores with the server, so a run's latencies say how this machine
copes, not how much server a given load needs. The CPU each part burnt per request served says that: from it an
operator sizes the app servers and the database for their own traffic (docs/performance.md, docs/deploy.md).

    python bench/load/cpu.py snapshot FILE          before and after a run (JSON: clock ticks per part)
    python bench/load/cpu.py table BEFORE AFTER N   Markdown lines: CPU seconds and ms per request (N requests)

Linux only (/proc). The database's share is what the machine burnt beyond the three others: PostgreSQL's
connections end and start during a run (CONN_MAX_AGE) and a dead process's time cannot be read any more.
"""

import json
import os
import sys
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
PARTS = {"locust": "bộ tạo tải (locust)", "nginx": "nginx", "gunicorn": "ứng dụng (gunicorn)"}


def machine_busy() -> int:
    """Clock ticks the machine spent busy since boot: every column of /proc/stat's cpu line but idle and iowait."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]


def by_part() -> dict[str, int]:
    """Clock ticks (user + system) of the live processes of each part, by the name of their command."""
    ticks = dict.fromkeys(PARTS, 0)
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (proc / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        for part in PARTS:
            if part in command:
                ticks[part] += int(fields[11]) + int(fields[12])  # utime, stime
                break
    return ticks


def snapshot(path: str) -> None:
    Path(path).write_text(json.dumps({"busy": machine_busy(), **by_part()}))


def table(before_path: str, after_path: str, requests: int) -> list[str]:
    before, after = json.loads(Path(before_path).read_text()), json.loads(Path(after_path).read_text())
    spent = {part: (after[part] - before[part]) / TICKS for part in PARTS}
    busy = (after["busy"] - before["busy"]) / TICKS
    spent["postgres"] = max(0.0, busy - sum(spent.values()))
    labels = {**PARTS, "postgres": "cơ sở dữ liệu (PostgreSQL, phần còn lại)"}
    lines = ["| Thành phần | CPU (giây) | ms CPU / yêu cầu |", "|---|---:|---:|"]
    for part, seconds in spent.items():
        lines.append(f"| {labels[part]} | {seconds:.1f} | {1000 * seconds / max(requests, 1):.1f} |")
    lines.append(f"| **Cả máy** | {busy:.1f} | {1000 * busy / max(requests, 1):.1f} |")
    return lines


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        snapshot(sys.argv[2])
    else:
        print("\n".join(table(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
