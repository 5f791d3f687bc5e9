"""Performance benchmark of "who is late below me" (the overdue page of the plans module, and the reminders digest).

Builds a province of 3,000 units (and a small one of 100) with 50,000 assignments (and 1,000) in a throwaway
database (var/bench-overdue.sqlite3, or the PostgreSQL database `tinhgon_bench_overdue` when DATABASE_URL points
at PostgreSQL). Times the query the overdue page uses, materialised and grouped by unit in Python, the overdue page
itself when /ke-hoach/tre-han/ resolves, and the reminders digest of a province leader; checks that the query count
does not depend on the data size, prints a table, writes var/bench-overdue-results.json and exits non-zero when a
budget or a check fails.

    .venv/bin/python bench/bench_overdue.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_overdue.py
    .venv/bin/python bench/bench_overdue.py --explain --keep     # print query plans, keep the bench database

See bench/README.md, section "Overdue".
"""

import argparse
import json
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as base  # noqa: E402  (bench/run.py: throwaway database, tree builders, measurement)

ROOT = base.ROOT
VAR = base.VAR
RESULTS_PATH = VAR / "bench-overdue-results.json"
OVERDUE_PAGE = "/ke-hoach/tre-han/"

base.SQLITE_PATH = VAR / "bench-overdue.sqlite3"
base.BENCH_DB = "tinhgon_bench_overdue"

# The page and the digest are what users wait for. Loading every overdue row of a province as model instances
# ("overdue_big", ~10,000 rows) is shown for information: it is why the page counts per unit in SQL and loads only
# the rows of the units it shows.
BUDGETS = {"overdue_page": 300, "digest_leader": 300}
BIG_ASSIGNMENTS = 50_000
SMALL_ASSIGNMENTS = 1_000

BIG = base.Shape(
    "TRE",
    "Trà Em",
    departments=20,
    units_per_department=8,
    current_total=3000,
    legacy_districts=10,
    communes_per_district=10,
)
SMALL = base.Shape(
    "NHO",
    "Núi Hồng",
    departments=3,
    units_per_department=8,
    current_total=100,
    legacy_districts=2,
    communes_per_district=5,
)


def build_assignments(province, n: int, day: date, rng: random.Random) -> dict:
    """One yearly plan of the province with n/25 tasks; `n` assignments spread over the province's units (current
    and legacy) with due dates over the past year and the next quarter: 55% done (on time or late), 20% overdue, the
    rest open and not yet due."""
    from tinhgon.organisations.models import Organisation
    from tinhgon.plans.constants import AssignmentRole, PlanKind
    from tinhgon.plans.models import Assignment, Plan, Task

    plan = Plan.objects.create(
        issuer=province,
        title=f"Kế hoạch cải cách hành chính {province.name}",
        kind=PlanKind.REFORM_ANNUAL,
        period_start=day - timedelta(days=365),
        period_end=day + timedelta(days=120),
    )
    tasks = Task.objects.bulk_create(
        [
            Task(plan=plan, code=str(i + 1), order=i + 1, title=f"Nhiệm vụ cải cách số {i + 1}", lead=province)
            for i in range(max(1, n // 25))
        ],
        batch_size=1000,
    )
    units = list(Organisation.objects.ever_under([province]).values_list("id", flat=True))
    rows, counts = [], {"done": 0, "overdue": 0, "open": 0}
    for _ in range(n):
        roll = rng.random()
        if roll < 0.55:
            due = day - timedelta(days=rng.randint(1, 365))
            completed = due + timedelta(days=rng.randint(-10, 15))
            completed = min(completed, day)
            counts["done"] += 1
        elif roll < 0.75:
            due, completed = day - timedelta(days=rng.randint(1, 300)), None
            counts["overdue"] += 1
        else:
            due, completed = day + timedelta(days=rng.randint(0, 120)), None
            counts["open"] += 1
        rows.append(
            Assignment(
                task=rng.choice(tasks),
                organisation_id=rng.choice(units),
                role=AssignmentRole.EXECUTING,
                due_on=due,
                original_due_on=due,
                completed_on=completed,
                progress=100 if completed else rng.choice([0, 0, 30, 60]),
            )
        )
    Assignment.objects.bulk_create(rows, batch_size=2000)
    return counts


def overdue_below(province, day):
    """The overdue page's query, materialised and grouped by unit in Python."""
    from tinhgon.organisations.models import Organisation
    from tinhgon.plans.models import Assignment

    rows = (
        Assignment.objects.overdue(day)
        .within(Organisation.objects.ever_under([province]))
        .select_related("task__plan", "organisation")
    )
    groups: dict[int, list] = {}
    for a in rows:
        groups.setdefault(a.organisation_id, []).append(a)
    return groups


def page_exists() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(OVERDUE_PAGE)
    except Resolver404:
        return False
    return True


def run(args, vendor: str) -> int:
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    load_before = list(os.getloadavg())
    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    from tinhgon.accounts.models import Membership, Role, User
    from tinhgon.core.dates import today
    from tinhgon.plans import reminders
    from tinhgon.plans.models import Assignment

    day = today()
    start = time.perf_counter()
    big, _, big_units = base.build_province(BIG)
    small, _, small_units = base.build_province(SMALL)
    big_counts = build_assignments(big, BIG_ASSIGNMENTS, day, random.Random("overdue-big"))
    small_counts = build_assignments(small, SMALL_ASSIGNMENTS, day, random.Random("overdue-small"))
    build_s = time.perf_counter() - start
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    checks: list[tuple[str, bool, str]] = []

    def check(label, ok, detail=""):
        checks.append((label, bool(ok), detail))

    def person(username, unit, role):
        user = User.objects.create_user(
            username=username, full_name=f"Lãnh đạo {unit.code}", email=f"{username}@x.test"
        )
        Membership.objects.create(user=user, organisation=unit, role=role)
        return user

    leader_big = person("bench-leader", big, Role.AGENCY_LEADER)
    leader_small = person("bench-leader-small", small, Role.AGENCY_LEADER)
    r = args.repeat
    results = [
        base.measure(
            "overdue_big",
            f"overdue below {big.code} ({BIG_ASSIGNMENTS:,} assignments), grouped",
            lambda: overdue_below(big, day),
            repeat=r,
        ),
        base.measure(
            "overdue_small",
            f"overdue below {small.code} ({SMALL_ASSIGNMENTS:,} assignments), grouped",
            lambda: overdue_below(small, day),
            repeat=r,
        ),
        base.measure(
            "digest_leader",
            f"reminders.digests(leader of {big.code})",
            lambda: reminders.digests(users=[leader_big], on=day, base_url=""),
            repeat=max(5, r // 2),
        ),
        base.measure(
            "digest_leader_small",
            f"reminders.digests(leader of {small.code})",
            lambda: reminders.digests(users=[leader_small], on=day, base_url=""),
            repeat=max(5, r // 2),
        ),
    ]
    by_name = {res.name: res for res in results}

    page_note = ""
    if page_exists():

        def oversight(username, unit):
            user = person(username, unit, Role.OVERSIGHT)
            client = Client()
            client.force_login(user)
            return client

        big_client, small_client = oversight("bench-overdue", big), oversight("bench-overdue-small", small)

        def page(client, code):
            response = client.get(f"{OVERDUE_PAGE}?org={code}")
            if response.status_code != 200:
                raise RuntimeError(f"{OVERDUE_PAGE}?org={code} answered {response.status_code}")
            return response

        results.append(
            base.measure(
                "overdue_page",
                f"GET {OVERDUE_PAGE}?org={big.code}",
                lambda: page(big_client, big.code),
                repeat=max(5, r // 2),
            )
        )
        results.append(
            base.measure(
                "overdue_page_small",
                f"GET {OVERDUE_PAGE}?org={small.code}",
                lambda: page(small_client, small.code),
                repeat=max(5, r // 2),
            )
        )
        by_name = {res.name: res for res in results}
        n_big, n_small = by_name["overdue_page"].queries, by_name["overdue_page_small"].queries
        check(
            "overdue page: same query count for 50,000 and 1,000 assignments", n_big == n_small, f"{n_big} vs {n_small}"
        )
    else:
        page_note = f"{OVERDUE_PAGE} does not resolve yet: page not measured"

    for res in results:
        res.budget_ms = BUDGETS.get(res.name)

    q = {name: by_name[name].queries for name in ("overdue_big", "overdue_small")}
    check("overdue query: exactly 1 query, whatever the size", set(q.values()) == {1}, str(q))
    d = {name: by_name[name].queries for name in ("digest_leader", "digest_leader_small")}
    check("digest: same query count for 50,000 and 1,000 assignments", len(set(d.values())) == 1, str(d))
    groups = overdue_below(big, day)
    found = sum(len(v) for v in groups.values())
    check(
        "overdue rows = overdue assignments built",
        found == big_counts["overdue"] == Assignment.objects.overdue(day).filter(task__plan__issuer=big).count(),
        f"{found} rows in {len(groups)} units",
    )

    plans = {}
    failed = any(res.status == "FAIL" for res in results)
    if args.explain or failed:
        for name in ("overdue_big",):
            for n, (sql, ms) in enumerate(by_name[name].sql, start=1):
                plans[f"{name} query {n} ({ms:.1f} ms)"] = f"{sql}\n--\n{explain_sql(sql, vendor)}"

    passed = not failed and all(ok for _, ok, _ in checks)
    report = {
        "database": {
            "vendor": vendor,
            "version": base._database_version(vendor),
            "name": connection.settings_dict["NAME"],
        },
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_before": load_before,
            "load_average_after": list(os.getloadavg()),
        },
        "settings": {"DEBUG": settings.DEBUG, "gc_collect_before_each_call": base.COLLECT_BEFORE_EACH_CALL},
        "django": django.get_version(),
        "commit": base._git_commit(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "data": {
            "units_big": big_units,
            "units_small": small_units,
            "assignments_big": big_counts,
            "assignments_small": small_counts,
            "build_seconds": round(build_s, 2),
        },
        "note": page_note,
        "results": [
            {
                "name": res.name,
                "label": res.label,
                "repeat": res.repeat,
                "p50_ms": round(res.p50_ms, 2),
                "p95_ms": round(res.p95_ms, 2),
                "max_ms": round(res.max_ms, 2),
                "queries": res.queries,
                "budget_p95_ms": res.budget_ms,
                "status": res.status,
                "samples_ms": [round(x, 2) for x in res.samples],
                "sql": [{"ms": round(ms, 2), "sql": sql[:2000]} for sql, ms in res.sql],
            }
            for res in results
        ],
        "checks": [{"check": label, "ok": ok, "value": detail} for label, ok, detail in checks],
        "plans": plans,
        "passed": passed,
    }
    VAR.mkdir(exist_ok=True)
    RESULTS_PATH.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_report(report, results, checks, plans, args.sql)
    return 0 if passed else 1


def explain_sql(sql: str, vendor: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS)" if vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {sql}")
        rows = cursor.fetchall()
    return "\n".join(" | ".join(str(c) for c in row) for row in rows)


def print_report(report, results, checks, plans, show_sql: bool) -> None:
    db, data = report["database"], report["data"]
    print(
        f"tinhgon overdue bench · {db['vendor']} {db['version']} · {report['machine']['cpus']} CPUs · "
        f"{data['units_big']:,} + {data['units_small']:,} units, assignments {data['assignments_big']} + "
        f"{data['assignments_small']} (built in {data['build_seconds']} s) · "
        f"load average before {report['machine']['load_average_before'][0]:.2f}"
    )
    base.print_table(results, width=56, show_sql=show_sql)
    if report["note"]:
        print(f"NOTE  {report['note']}")
    base.print_checks(checks, plans)
    print(f"\n{'PASS' if report['passed'] else 'FAIL'} · results in {RESULTS_PATH.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed repetitions per measure (default 30)")
    parser.add_argument("--explain", action="store_true", help="print the query plan of the overdue query")
    parser.add_argument("--sql", action="store_true", help="print each query of the counted call with its time")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--no-gc-collect", action="store_true", help="no gc.collect() before each timed call")
    args = parser.parse_args()
    base.COLLECT_BEFORE_EACH_CALL = not args.no_gc_collect

    os.environ["DJANGO_SETTINGS_MODULE"] = "tinhgon.settings"
    sys.path.insert(0, str(ROOT))
    vendor, drop = base.prepare_database()

    import django

    django.setup()
    try:
        return run(args, vendor)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop()


if __name__ == "__main__":
    sys.exit(main())
