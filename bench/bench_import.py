"""Benchmark of the Excel import of the procedure registry (budget: 5,000 rows in under 30 s).

Creates a throwaway SQLite database in a temporary directory (never the development or test database), migrates
it, creates one owner organisation, generates a 5,000-row workbook in the import template's layout (3 steps,
2 dossier items and 2 legal bases per procedure, fields cycling through the seeded list), then times
`excel.import_procedures` (every row created through services.procedures_create_many, one audit entry per created
row) and a re-import of the same file (every row unchanged, nothing written). Prints PASS/FAIL against the budget
and exits non-zero on FAIL.

    .venv/bin/python bench/bench_import.py                 # 5,000 rows, budget 30 s
    .venv/bin/python bench/bench_import.py --rows 500      # a quicker look
    .venv/bin/python bench/bench_import.py --keep          # keep the temporary directory for inspection

DEBUG is off unless DEBUG is set in the environment (production settings do not log every query). The budget is on
wall-clock time; the CPU time of this process and the load average are printed too, since other jobs sharing the
2 vCPUs stretch the wall-clock time.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 30.0


def build_workbook(path: Path, rows: int, fields: list[str]) -> None:
    from openpyxl import Workbook

    from tinhgon.procedures.excel import COLUMNS, SHEET

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.append([c.header for c in COLUMNS])
    levels = ["Cấp tỉnh", "Cấp xã", "Cấp trung ương"]
    for n in range(1, rows + 1):
        values = {
            "code": f"BENCH-{n:05d}",
            "national_code": f"2.{n:06d}",
            "name": f"Thủ tục nội bộ số {n} về {fields[n % len(fields)].lower()}",
            "group": "AB"[n % 2],
            "level": levels[n % len(levels)],
            "field": fields[n % len(fields)],
            "channels": "Trực tiếp, Qua dịch vụ bưu chính" if n % 3 else "Trực tuyến, qua hệ thống điện tử",
            "steps": (
                f"Cơ quan đề nghị | Lập hồ sơ đề nghị số {n}, gửi cơ quan giải quyết | \n"
                "Cơ quan giải quyết | Thẩm định hồ sơ, trình người có thẩm quyền | 10 ngày\n"
                "Người có thẩm quyền | Xem xét, quyết định | 05 ngày"
            ),
            "dossier_items": "Tờ trình đề nghị | 1 | 0 | 0 | không\nBáo cáo, tài liệu kèm theo | 1 | 1 | 0 | có",
            "dossier_sets": 1,
            "forms": f"Tờ khai đề nghị số {n}",
            "processing_time_value": 5 + n % 30,
            "processing_time_unit": "ngày làm việc",
            "performers": "Các sở, ban, ngành; UBND cấp xã",
            "authority": "Chủ tịch UBND tỉnh",
            "performing_body": "Sở Nội vụ",
            "coordinating_bodies": "Các cơ quan liên quan",
            "result": "Quyết định",
            "fees": "Không",
            "conditions": "",
            "legal_bases": (
                "06/2022/QH15 | 15/06/2022 | Quốc hội | Luật Thi đua, khen thưởng | Điều 84\n"
                f"{n}/2024/QĐ-UBND | 01/03/2024 | UBND tỉnh | Quy định số {n} |"
            ),
            "executions_per_year": 1 + n % 12,
            "subjects_per_year": 10 * n,
        }
        ws.append([values[c.key] for c in COLUMNS])
    wb.save(path)


def run(rows: int, workdir: Path) -> int:
    from django.conf import settings
    from django.core.management import call_command

    from tinhgon.audit.models import AuditLogEntry
    from tinhgon.organisations.models import Organisation
    from tinhgon.procedures.excel import import_procedures
    from tinhgon.procedures.models import Field, Procedure, ProcedureVersion

    call_command("migrate", verbosity=0)
    owner = Organisation.objects.create(
        code="BENCH", name="Sở Nội vụ (benchmark)", kind=Organisation.Kind.DEPARTMENT, valid_from=date(2020, 1, 1)
    )
    fields = list(Field.objects.filter(is_active=True).values_list("name", flat=True))
    path = workdir / "bench.xlsx"
    start = time.perf_counter()
    build_workbook(path, rows, fields)
    build_s = time.perf_counter() - start
    print(
        f"bench_import · SQLite · DEBUG={settings.DEBUG} · {rows:,} rows · workbook "
        f"{path.stat().st_size / 1024 / 1024:.1f} MB built in {build_s:.1f} s"
    )

    start, cpu = time.perf_counter(), time.process_time()
    result = import_procedures(path, owner=owner)
    first_s, first_cpu = time.perf_counter() - start, time.process_time() - cpu
    entries = AuditLogEntry.objects.count()
    ok_first = result.ok and result.created == rows and Procedure.objects.count() == rows
    print(f"import (all new):        {first_s:7.2f} s (CPU {first_cpu:.2f} s) · {result.summary()}")
    if not result.ok:
        for error in result.errors[:20]:
            print(f"  {error}")

    start, cpu = time.perf_counter(), time.process_time()
    again = import_procedures(path, owner=owner)
    second_s, second_cpu = time.perf_counter() - start, time.process_time() - cpu
    ok_second = (
        again.ok
        and again.unchanged == rows
        and ProcedureVersion.objects.count() == rows
        and AuditLogEntry.objects.count() == entries
    )
    print(f"re-import (unchanged):   {second_s:7.2f} s (CPU {second_cpu:.2f} s) · {again.summary()}")
    print("load average (1, 5, 15 min): " + ", ".join(f"{n:.2f}" for n in os.getloadavg()))

    checks = [
        (f"all {rows:,} rows created", ok_first),
        ("re-import changes nothing (no new rows, versions or audit entries)", ok_second),
        (f"import under {BUDGET_SECONDS:g} s ({first_s:.2f} s)", first_s < BUDGET_SECONDS),
        (f"re-import under {BUDGET_SECONDS:g} s ({second_s:.2f} s)", second_s < BUDGET_SECONDS),
    ]
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    passed = all(ok for _, ok in checks)
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000, help="rows in the generated workbook (default 5000)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and workbook")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tinhgon-bench-import-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tinhgon.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("DEBUG", "false")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    try:
        return run(args.rows, workdir)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
