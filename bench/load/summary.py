"""The figures of one locust run as a Markdown table: requests per second, p50/p95/p99 and errors per request
name and in all, whether the bar of issue 15 holds (0 errors, p95 < 500 ms overall), and where the CPU went when
the run left its snapshots (bench/load/cpu.py: FILES.before and FILES.after).
    python bench/load/summary.py bench/results/load-national-200_stats.csv 200 national [FILES]"""

import csv
import sys
from pathlib import Path

import cpu

BAR_P95_MS = 500


def main(path: str, users: str, profile: str, cpu_files: str = "") -> int:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    lines = [
        f"### {users} người dùng đồng thời, hồ sơ dữ liệu `{profile}`",
        "",
        "| Yêu cầu | Số yêu cầu | Lỗi | Yêu cầu/giây | p50 (ms) | p95 (ms) | p99 (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    total = None
    for row in rows:
        cells = [row["Name"], row["Request Count"], row["Failure Count"], f"{float(row['Requests/s']):.1f}"]
        cells += [row["50%"], row["95%"], row["99%"]]
        if row["Name"] == "Aggregated":
            total = row
            cells[0] = "**Tổng**"
        lines.append("| " + " | ".join(cells) + " |")
    ok = total is not None and int(total["Failure Count"]) == 0 and float(total["95%"]) < BAR_P95_MS
    lines += ["", f"Ngưỡng (0 lỗi, p95 < {BAR_P95_MS} ms): {'đạt' if ok else 'KHÔNG ĐẠT'}", ""]
    before, after = Path(f"{cpu_files}.before"), Path(f"{cpu_files}.after")
    if cpu_files and before.exists() and after.exists() and total is not None:
        lines += ["CPU trong lúc chạy (cả máy, mọi thành phần cùng chia hai lõi):", ""]
        lines += cpu.table(str(before), str(after), int(total["Request Count"])) + [""]
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
