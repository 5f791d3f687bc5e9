"""Performance benchmark of the target ledger (sổ theo dõi chỉ tiêu, tinhgon/reviews/ledger.py).

Builds 34 provinces (departments, department units, communes, closure links) with 5,000 published procedures in one
of them and 300 in each other, two review rounds, cost sheets, proposals and approval decisions, in a throwaway
database (var/bench-ledger.sqlite3, or the PostgreSQL database `tinhgon_bench_ledger` when DATABASE_URL points at
PostgreSQL). Times the ledger of the big province and of the 34 provinces together (and the ledger page when the
URL exists), checks that the query count does not depend on the data size, prints a table, writes
var/bench-ledger-results.json and exits non-zero when a budget or a check fails.

    .venv/bin/python bench/bench_ledger.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_ledger.py
    .venv/bin/python bench/bench_ledger.py --explain --keep     # print query plans, keep the bench database

See bench/README.md, section "Ledger".
"""

import argparse
import json
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as base  # noqa: E402  (bench/run.py: throwaway database, tree builders, measurement)

ROOT = base.ROOT
VAR = base.VAR
RESULTS_PATH = VAR / "bench-ledger-results.json"
LEDGER_PAGE = "/ra-soat/so-theo-doi/"

# bench/run.py's throwaway-database helpers read these module globals: give the ledger bench its own names.
base.SQLITE_PATH = VAR / "bench-ledger.sqlite3"
base.BENCH_DB = "tinhgon_bench_ledger"

BUDGETS = {"ledger_big": 300, "ledger_34": 300, "ledger_page": 300}
MAX_QUERIES = 8  # ledger(): count, aggregate, per-action breakdown, milestones (line + candidates)

PUBLISHED_ON = date(2025, 7, 10)
BIG_PROCEDURES = 5000
OTHER_PROCEDURES = 300
PROVINCES = 34

BIG = base.Shape(
    "LED",
    "Long Điền",
    departments=20,
    units_per_department=6,
    current_total=1000,
    legacy_districts=10,
    communes_per_district=10,
)


def other_shape(i: int) -> base.Shape:
    return base.Shape(
        f"T{i:02d}",
        f"Tỉnh số {i:02d}",
        departments=12,
        units_per_department=4,
        current_total=150,
        legacy_districts=3,
        communes_per_district=5,
    )


# --------------------------------------------------------------------------------------------------------------
# Review data
# --------------------------------------------------------------------------------------------------------------


def build_procedures(province, n: int, field, rng: random.Random, counter: list[int]):
    """`n` procedures owned across the province's units, each with version 1 published on PUBLISHED_ON; 10% were
    amended (version 2 in force since 2025-10-15) and 3% abolished. Returns [(procedure, version under review)]."""
    from tinhgon.organisations.models import Organisation
    from tinhgon.procedures.constants import Status
    from tinhgon.procedures.models import Procedure, ProcedureVersion

    owners = list(Organisation.objects.ever_under([province]).exclude(kind=Organisation.Kind.PROVINCE))
    procedures = []
    for _ in range(n):
        counter[0] += 1
        procedures.append(Procedure(code=f"{province.code}-TTNB-{counter[0]:06d}", owner=rng.choice(owners)))
    Procedure.objects.bulk_create(procedures, batch_size=1000)
    amended_on = date(2025, 10, 15)
    versions, reviewed = [], []
    for p in procedures:
        roll = rng.random()
        fields = dict(
            name=f"Thủ tục nội bộ {p.code}",
            group="A" if rng.random() < 0.7 else "B",
            level="province",
            field=field,
            channels=["in_person"],
            executions_per_year=rng.randint(1, 4),
            subjects_per_year=rng.randint(10, 200),
            search_text=f"thu tuc noi bo {p.code.lower()}",
        )
        if roll < 0.10:
            v1 = ProcedureVersion(
                procedure=p,
                number=1,
                status=Status.AMENDED,
                effective_from=PUBLISHED_ON,
                effective_to=amended_on - timedelta(days=1),
                **fields,
            )
            v2 = ProcedureVersion(
                procedure=p, number=2, status=Status.PUBLISHED, is_public=True, effective_from=amended_on, **fields
            )
            versions += [v1, v2]
            reviewed.append((p, v2))
        elif roll < 0.13:
            v1 = ProcedureVersion(
                procedure=p, number=1, status=Status.ABOLISHED, effective_from=PUBLISHED_ON, effective_to=amended_on
            )
            for k, v in fields.items():
                setattr(v1, k, v)
            versions.append(v1)
        else:
            v1 = ProcedureVersion(
                procedure=p, number=1, status=Status.PUBLISHED, is_public=True, effective_from=PUBLISHED_ON, **fields
            )
            versions.append(v1)
            reviewed.append((p, v1))
    ProcedureVersion.objects.bulk_create(versions, batch_size=1000)
    return reviewed


def build_reviews(province, reviewed, question_set, parameters, rng: random.Random, today):
    """A 2023 round over 15% of the procedures (checked, superseded) and a 2024 round over 90% of them in every
    state; a proposal per review, current sheets (and proposed ones for amend/replace), an issued approval decision
    for a third of the reviews and a draft one, 30% of the approved changing proposals implemented."""
    from tinhgon.reviews.constants import Action, ApprovalStatus, ReviewStatus, Scenario
    from tinhgon.reviews.models import ApprovalDecision, CostSheet, Proposal, Review, ReviewRound

    old = ReviewRound.objects.create(title="Kế hoạch rà soát năm 2023", organisation=province, year=2023)
    new = ReviewRound.objects.create(title="Kế hoạch rà soát năm 2024", organisation=province, year=2024)
    issued = ApprovalDecision.objects.create(
        number=f"{rng.randint(100, 9999)}/QĐ-UBND",
        issuer=province,
        signed_on=today - timedelta(days=60),
        signer="Chủ tịch",
        status=ApprovalStatus.ISSUED,
    )
    draft = ApprovalDecision.objects.create(number="", issuer=province, status=ApprovalStatus.DRAFT)
    reviews, plans = [], []
    states = [
        (ReviewStatus.DRAFT, 0.10),
        (ReviewStatus.SUBMITTED, 0.10),
        (ReviewStatus.RETURNED, 0.05),
        (ReviewStatus.CHECKED, 0.25),
        (ReviewStatus.ASSESSED, 0.10),
        (ReviewStatus.APPROVED, 0.40),
    ]
    actions = [Action.ABOLISH, Action.REPLACE, Action.AMEND, Action.AMEND, Action.KEEP, Action.KEEP, Action.KEEP]
    for procedure, version in reviewed:
        common = dict(procedure=procedure, version=version, responsible=procedure.owner, question_set=question_set)
        if rng.random() < 0.15:
            reviews.append(
                Review(
                    round=old,
                    status=ReviewStatus.CHECKED,
                    checked_on=date(2024, 6, 1),
                    submitted_on=date(2024, 5, 20),
                    **common,
                )
            )
            plans.append((Action.KEEP, False))
        if rng.random() < 0.90:
            status = rng.choices([s for s, _ in states], weights=[w for _, w in states])[0]
            checked = status in {ReviewStatus.CHECKED, ReviewStatus.ASSESSED, ReviewStatus.APPROVED}
            reviews.append(
                Review(
                    round=new,
                    status=status,
                    checked_on=today - timedelta(days=rng.randint(61, 300)) if checked else None,
                    submitted_on=today - timedelta(days=320) if status != ReviewStatus.DRAFT else None,
                    approval=issued if status == ReviewStatus.APPROVED else (draft if rng.random() < 0.05 else None),
                    deadline=date(2024, 11, 1),
                    **common,
                )
            )
            plans.append((rng.choice(actions), status == ReviewStatus.APPROVED))
    Review.objects.bulk_create(reviews, batch_size=1000)

    proposals, sheets = [], []
    snapshot = dict(
        parameters=parameters,
        parameters_name=parameters.name,
        monthly_income=parameters.monthly_income,
        working_days_per_month=parameters.working_days_per_month,
        hours_per_day=parameters.hours_per_day,
    )
    for review, (action, approved) in zip(reviews, plans, strict=True):
        implemented = today - timedelta(days=10) if approved and action != Action.KEEP and rng.random() < 0.3 else None
        proposals.append(Proposal(review=review, action=action, reason="Đơn giản hóa", implemented_on=implemented))
        per_execution = rng.randint(200_000, 2_000_000)
        yearly = per_execution * rng.randint(10, 300)
        sheets.append(
            CostSheet(
                procedure=review.procedure,
                review=review,
                scenario=Scenario.CURRENT,
                cost_per_execution=per_execution,
                annual_cost=yearly,
                **snapshot,
            )
        )
        if action in {Action.AMEND, Action.REPLACE}:
            share = Decimal(rng.randint(50, 90)) / 100
            sheets.append(
                CostSheet(
                    procedure=review.procedure,
                    review=review,
                    scenario=Scenario.PROPOSED,
                    cost_per_execution=int(per_execution * share),
                    annual_cost=int(yearly * share),
                    **snapshot,
                )
            )
    Proposal.objects.bulk_create(proposals, batch_size=1000)
    CostSheet.objects.bulk_create(sheets, batch_size=1000)
    return len(reviews), len(sheets)


def build(today):
    from tinhgon.procedures.models import Field
    from tinhgon.reviews.models import CostParameterSet, Milestone, QuestionSet

    field = Field.objects.order_by("id").first() or Field.objects.create(code="bench", name="Lĩnh vực bench")
    question_set = QuestionSet.current()
    parameters = CostParameterSet.objects.create(
        name="Thu nhập bình quân (bench)", year=2024, monthly_income=Decimal(8_800_000)
    )
    provinces, totals = [], {"reviews": 0, "sheets": 0, "procedures": 0}
    counter = [0]
    for i, shape in enumerate([BIG, *[other_shape(n) for n in range(1, PROVINCES)]]):
        province, _, _ = base.build_province(shape)
        rng = random.Random(f"ledger-{shape.code}")
        n = BIG_PROCEDURES if i == 0 else OTHER_PROCEDURES
        reviewed = build_procedures(province, n, field, rng, counter)
        r, s = build_reviews(province, reviewed, question_set, parameters, rng, today)
        totals["procedures"] += n
        totals["reviews"] += r
        totals["sheets"] += s
        provinces.append(province)
    # A provincial override for the big province, so milestones_for() takes its override path.
    Milestone.objects.create(metric="reviewed_pct", target=100, due_on=date(2024, 11, 1), organisation=provinces[0])
    return provinces, totals


# --------------------------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------------------------


def explain_sql(sql: str, vendor: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS)" if vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {sql}")
        rows = cursor.fetchall()
    return "\n".join(" | ".join(str(c) for c in row) for row in rows)


def page_exists() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(LEDGER_PAGE)
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
    from tinhgon.reviews.ledger import Filters, ledger

    day = today()
    start = time.perf_counter()
    provinces, totals = build(day)
    build_s = time.perf_counter() - start
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    big, small = provinces[0], provinces[1]
    checks: list[tuple[str, bool, str]] = []

    def check(label, ok, detail=""):
        checks.append((label, bool(ok), detail))

    big_filters = Filters(roots=(big,), as_of=day)
    all_filters = Filters(roots=tuple(provinces), as_of=day)
    small_filters = Filters(roots=(small,), as_of=day)
    r = args.repeat
    results = [
        base.measure(
            "ledger_big", f"ledger({big.code}: {BIG_PROCEDURES:,} procedures)", lambda: ledger(big_filters), repeat=r
        ),
        base.measure(
            "ledger_34",
            f"ledger({PROVINCES} provinces: {totals['procedures']:,} procedures)",
            lambda: ledger(all_filters),
            repeat=r,
        ),
        base.measure(
            "ledger_small",
            f"ledger({small.code}: {OTHER_PROCEDURES} procedures)",
            lambda: ledger(small_filters),
            repeat=r,
        ),
        base.measure(
            "ledger_group_a",
            f"ledger({big.code}, group=A)",
            lambda: ledger(Filters(roots=(big,), as_of=day, group="A")),
            repeat=r,
        ),
    ]
    by_name = {res.name: res for res in results}

    page_note = ""
    if page_exists():

        def oversight(username, unit):
            user = User.objects.create_user(username=username, full_name=f"Giám sát {unit.code}")
            Membership.objects.create(user=user, organisation=unit, role=Role.OVERSIGHT)
            client = Client()
            client.force_login(user)
            return client

        big_client, small_client = oversight("bench-ledger", big), oversight("bench-ledger-small", small)

        def page(client, code):
            response = client.get(f"{LEDGER_PAGE}?org={code}")
            if response.status_code != 200:
                raise RuntimeError(f"{LEDGER_PAGE}?org={code} answered {response.status_code}")
            return response

        results.append(
            base.measure(
                "ledger_page",
                f"GET {LEDGER_PAGE}?org={big.code}",
                lambda: page(big_client, big.code),
                repeat=max(5, r // 2),
            )
        )
        results.append(
            base.measure(
                "ledger_page_small",
                f"GET {LEDGER_PAGE}?org={small.code}",
                lambda: page(small_client, small.code),
                repeat=max(5, r // 2),
            )
        )
        by_name = {res.name: res for res in results}
        n_big, n_small = by_name["ledger_page"].queries, by_name["ledger_page_small"].queries
        check("ledger page: same query count for 5,000 and 300 procedures", n_big == n_small, f"{n_big} vs {n_small}")
    else:
        page_note = f"{LEDGER_PAGE} does not resolve yet: page not measured"

    for res in results:
        res.budget_ms = BUDGETS.get(res.name)

    q = {name: by_name[name].queries for name in ("ledger_big", "ledger_34", "ledger_small", "ledger_group_a")}
    check(f"ledger: <= {MAX_QUERIES} queries", q["ledger_big"] <= MAX_QUERIES, str(q["ledger_big"]))
    # One province looks up its own milestone overrides (one query more than the 34 provinces together, which are
    # measured against the national milestones): the count depends on the kind of scope, never on the data size.
    single = {k: v for k, v in q.items() if k != "ledger_34"}
    check(
        "ledger: same query count for 300 and 5,000 procedures (one province); 34 provinces not more",
        len(set(single.values())) == 1 and q["ledger_34"] <= q["ledger_big"],
        ", ".join(f"{k}={v}" for k, v in q.items()),
    )
    result = ledger(big_filters)
    everything = ledger(all_filters)
    check(
        "ledger of the big province counts its procedures in force",
        result.published == _expected_published(big, day),
        f"{result.published}",
    )
    check(
        "34-province ledger adds up the provinces",
        everything.reviewed == sum(ledger(Filters(roots=(p,), as_of=day)).reviewed for p in provinces),
        f"{everything.reviewed}",
    )
    check(
        "ledger numbers are plausible",
        0 < result.reviewed < result.published and 0 < result.cost_saving < result.cost_before,
        f"published {result.published}, reviewed {result.reviewed}, simplified {result.simplified}, "
        f"saving {result.cost_saving_pct}%",
    )

    plans = {}
    failed = any(res.status == "FAIL" for res in results)
    if args.explain or failed:
        for name in ("ledger_big", "ledger_34"):
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
        "data": {**totals, "provinces": len(provinces), "build_seconds": round(build_s, 2)},
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


def _expected_published(province, day) -> int:
    from tinhgon.organisations.models import Organisation
    from tinhgon.procedures.models import Procedure

    units = Organisation.objects.ever_under([province])
    return (
        Procedure.objects.filter(owner__in=units, is_template=False, versions__effective_from__lte=day)
        .distinct()
        .count()
    )


def print_report(report, results, checks, plans, show_sql: bool) -> None:
    db, data = report["database"], report["data"]
    print(
        f"tinhgon ledger bench · {db['vendor']} {db['version']} · {report['machine']['cpus']} CPUs · "
        f"{data['provinces']} provinces, {data['procedures']:,} procedures, {data['reviews']:,} reviews, "
        f"{data['sheets']:,} cost sheets (built in {data['build_seconds']} s) · "
        f"load average before {report['machine']['load_average_before'][0]:.2f}"
    )
    base.print_table(results, width=52, show_sql=show_sql)
    if report["note"]:
        print(f"NOTE  {report['note']}")
    base.print_checks(checks, plans)
    print(f"\n{'PASS' if report['passed'] else 'FAIL'} · results in {RESULTS_PATH.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed repetitions per measure (default 30)")
    parser.add_argument("--explain", action="store_true", help="print the query plans of the ledger queries")
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
