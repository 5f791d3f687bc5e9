"""Performance benchmark of the organisation tree (`make bench`).

Builds a province of 3,500 units in a throwaway database (var/bench.sqlite3, or the PostgreSQL database
`tinhgon_bench` when DATABASE_URL points at PostgreSQL), times the tree queries, the tree page and the API list,
prints a table, writes var/bench-results.json and exits non-zero when a budget or a query-count check fails.

    .venv/bin/python bench/run.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --explain --keep     # print query plans, keep the bench database

See bench/README.md.
"""

import argparse
import gc
import json
import math
import os
import platform
import random
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
SQLITE_PATH = VAR / "bench.sqlite3"
RESULTS_PATH = VAR / "bench-results.json"
BENCH_DB = "tinhgon_bench"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}

OLD_SINCE = date(2008, 1, 1)  # units that span both eras, legacy districts and their communes
LEGACY_UNTIL = date(2025, 6, 30)  # last day of the district level
REFORM_DAY = date(2025, 7, 1)  # the new communes

# Budgets on p95, in milliseconds.
BUDGETS = {
    "subtree_today": 50,
    "subtree_legacy": 50,
    "ancestors": 10,
    "search": 50,
    "tree_page": 1500,
    "api_list": 300,
}
TREE_PAGE_MAX_QUERIES = 10


# --------------------------------------------------------------------------------------------------------------
# Throwaway database
# --------------------------------------------------------------------------------------------------------------


def prepare_database() -> tuple[str, object]:
    """Point DATABASE_URL at a fresh bench database, before Django reads its settings. Returns the vendor and a
    function that drops the database at the end."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if not url or parts.scheme.startswith("sqlite"):
        VAR.mkdir(exist_ok=True)
        _remove_sqlite()
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
        return "sqlite", _remove_sqlite
    if parts.scheme not in POSTGRES_SCHEMES:
        sys.exit(f"bench: unsupported DATABASE_URL scheme {parts.scheme!r} (SQLite or PostgreSQL only)")

    import psycopg

    # libpq knows postgres:// and postgresql://, not django-environ's pgsql://.
    admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))

    def admin(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql)

    admin(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    admin(f"CREATE DATABASE {BENCH_DB}")
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    return "postgresql", lambda: admin(f"DROP DATABASE IF EXISTS {BENCH_DB}")


def _remove_sqlite() -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------------------------
# Tree data
# --------------------------------------------------------------------------------------------------------------

DEPARTMENTS = [
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ",
    "Thanh tra tỉnh",
    "Ban Quản lý các khu công nghiệp",
    "Ban Quản lý khu kinh tế",
]
DEPARTMENT_UNITS = [
    "Văn phòng",
    "Thanh tra",
    "Phòng Tổ chức cán bộ",
    "Phòng Kế hoạch - Tài chính",
    "Phòng Pháp chế",
    "Phòng Nghiệp vụ",
    "Chi cục Quản lý chuyên ngành",
    "Trung tâm Dịch vụ công",
]
SYLLABLES_1 = [
    "An",
    "Bình",
    "Phước",
    "Long",
    "Tân",
    "Hòa",
    "Thạnh",
    "Mỹ",
    "Phú",
    "Vĩnh",
    "Đông",
    "Tây",
    "Nhơn",
    "Thới",
    "Hưng",
    "Lộc",
    "Trung",
    "Đức",
    "Hiệp",
    "Quới",
]
SYLLABLES_2 = [
    "Hậu",
    "Lợi",
    "Thuận",
    "Thành",
    "Hội",
    "Khánh",
    "Điền",
    "Mỹ",
    "Hưng",
    "An",
    "Phú",
    "Xuân",
    "Định",
    "Tường",
    "Lạc",
    "Ninh",
    "Phước",
    "Đông",
]


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    departments: int
    units_per_department: int
    current_total: int  # province + office + departments + their units + new communes
    legacy_districts: int  # extra, beyond current_total
    communes_per_district: int


BIG = Shape(
    "CLG",
    "Cửu Long",
    departments=30,
    units_per_department=8,
    current_total=3500,
    legacy_districts=40,
    communes_per_district=20,
)
SMALL = Shape(
    "NHO",
    "Núi Hồng",
    departments=3,
    units_per_department=8,
    current_total=100,
    legacy_districts=4,
    communes_per_district=5,
)


def commune_name(rng: random.Random) -> str:
    prefix = rng.choices(["Xã", "Phường", "Đặc khu"], weights=[80, 18, 2])[0]
    return f"{prefix} {rng.choice(SYLLABLES_1)} {rng.choice(SYLLABLES_2)}"


def search_text(name: str, short_name: str, code: str) -> str:
    from tinhgon.core.text import fold_vn

    return fold_vn(f"{name} {short_name} {code}")  # as Organisation.save() fills it


def new_unit(code, name, kind, parent=None, since=OLD_SINCE, until=None, short_name="", **extra):
    """An unsaved unit for bulk_create, with the derived columns save() would have filled."""
    from tinhgon.organisations.models import Organisation

    return Organisation(
        code=code,
        name=name,
        short_name=short_name,
        kind=kind,
        parent=parent,
        valid_from=since,
        valid_to=until,
        search_text=search_text(name, short_name, code),
        row_version=1,
        **extra,
    )


def build_province(shape: Shape):
    """Bulk-create `shape` (Organisation rows level by level, then every closure link). Returns the province, a
    department unit (the deepest current level) and the number of rows created."""
    from tinhgon.organisations.models import Organisation, OrganisationLink

    kind = Organisation.Kind
    rng = random.Random(shape.code)
    created: list[Organisation] = []

    def create(rows):
        Organisation.objects.bulk_create(rows, batch_size=500)
        created.extend(rows)
        return rows

    p = shape.code
    (province,) = create(
        [new_unit(p, f"Ủy ban nhân dân tỉnh {shape.name}", kind.PROVINCE, short_name=f"UBND tỉnh {shape.name}")]
    )
    office = new_unit(
        f"{p}-VP",
        "Văn phòng Ủy ban nhân dân tỉnh",
        kind.PROVINCIAL_OFFICE,
        province,
        short_name="VP UBND tỉnh",
        is_tthc_focal_unit=True,
    )
    departments = [
        new_unit(f"{p}-S{i:02d}", _department_name(i), kind.DEPARTMENT, province) for i in range(shape.departments)
    ]
    create([office, *departments])

    n_communes = shape.current_total - 2 - shape.departments * (1 + shape.units_per_department)
    department_units = [
        new_unit(f"{d.code}-P{j}", f"{DEPARTMENT_UNITS[j % len(DEPARTMENT_UNITS)]} - {d.name}", kind.DEPARTMENT_UNIT, d)
        for d in departments
        for j in range(shape.units_per_department)
    ]
    communes = [
        new_unit(f"{p}-X{i:04d}", commune_name(rng), kind.COMMUNE, province, since=REFORM_DAY)
        for i in range(n_communes)
    ]
    districts = [
        new_unit(
            f"{p}-H{i:02d}",
            f"Ủy ban nhân dân huyện {rng.choice(SYLLABLES_1)} {rng.choice(SYLLABLES_2)}",
            kind.DISTRICT,
            province,
            until=LEGACY_UNTIL,
        )
        for i in range(shape.legacy_districts)
    ]
    create(department_units + communes + districts)
    legacy_communes = [
        new_unit(
            f"{d.code}-X{j:02d}",
            commune_name(rng),
            kind.COMMUNE,
            d,
            until=LEGACY_UNTIL,
            successor=communes[(i * shape.communes_per_district + j) // 3 % len(communes)],
        )
        for i, d in enumerate(districts)
        for j in range(shape.communes_per_district)
    ]
    create(legacy_communes)

    OrganisationLink.objects.bulk_create(closure_links(created), batch_size=1000)
    return province, department_units[-1], len(created)


def build_from_profile(profile: str, seed: int):
    """Generate the data set of `profile` (tinhgon.demo.dataset) and measure on its first province. Returns the
    province, its last division, the number of units generated, and the numbers of units the subtree queries must
    find today and on LEGACY_UNTIL, worked out from the parent column alone (not from the closure links they
    check)."""
    from tinhgon.core.dates import today
    from tinhgon.demo.dataset import generate
    from tinhgon.demo.dataset.vocabulary import PROVINCES
    from tinhgon.organisations.models import Organisation

    generate(profile, seed=seed, progress=lambda stage, done, total: print(f"[{done}/{total}] {stage}", flush=True))
    province = Organisation.objects.get(code=PROVINCES[0][0])
    units = list(Organisation.objects.values("pk", "parent_id", "kind", "code", "valid_from", "valid_to"))
    by_pk = {u["pk"]: u for u in units}

    def under_on(unit, day) -> bool:
        while unit is not None:
            if not (unit["valid_from"] <= day and (unit["valid_to"] is None or unit["valid_to"] >= day)):
                return False
            if unit["pk"] == province.pk:
                return True
            unit = by_pk.get(unit["parent_id"])
        return False

    expected_today = sum(under_on(u, today()) for u in units)
    expected_legacy = sum(under_on(u, LEGACY_UNTIL) for u in units)
    deep = Organisation.objects.filter(code__startswith=f"{province.code}-", kind="department_unit").order_by("code")
    return province, deep.last(), len(units), expected_today, expected_legacy


def _department_name(i: int) -> str:
    if i < len(DEPARTMENTS):
        return DEPARTMENTS[i]
    return f"Ban Quản lý dự án đầu tư xây dựng khu vực {i - len(DEPARTMENTS) + 1}"


def closure_links(units):
    """Every (ancestor, descendant, depth) link of `units`, self links included, valid while the descendant is
    (each unit here lies inside its parent's validity)."""
    from tinhgon.organisations.models import OrganisationLink

    parent_of = {u.pk: u.parent_id for u in units}
    links = []
    for u in units:
        ancestor, depth = u.pk, 0
        while ancestor is not None:
            links.append(
                OrganisationLink(
                    ancestor_id=ancestor, descendant_id=u.pk, depth=depth, valid_from=u.valid_from, valid_to=u.valid_to
                )
            )
            ancestor, depth = parent_of.get(ancestor), depth + 1
    return links


def check_links_match_save_path() -> bool:
    """The links and search text built here are the ones Organisation.save() writes: checked on a three-level
    chain, rolled back."""
    from django.db import transaction

    from tinhgon.organisations.models import Organisation, OrganisationLink

    with transaction.atomic():
        root = Organisation(code="CHK", name="Kiểm tra", kind=Organisation.Kind.PROVINCE, valid_from=OLD_SINCE)
        root.save()
        child = Organisation(code="CHK-1", name="Kiểm tra 1", kind="department", parent=root, valid_from=OLD_SINCE)
        child.save()
        leaf = Organisation(
            code="CHK-1-1", name="Kiểm tra 2", kind="department_unit", parent=child, valid_from=REFORM_DAY
        )
        leaf.save()
        fields = ("ancestor_id", "descendant_id", "depth", "valid_from", "valid_to")
        saved = set(OrganisationLink.objects.filter(descendant__code__startswith="CHK").values_list(*fields))
        built = {tuple(getattr(link, f) for f in fields) for link in closure_links([root, child, leaf])}
        same_search = all(u.search_text == search_text(u.name, u.short_name, u.code) for u in (root, child, leaf))
        transaction.set_rollback(True)
    return saved == built and same_search


# --------------------------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    label: str
    repeat: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    queries: int
    samples: list[float]
    sql: list[tuple[str, float]]  # (statement, ms) of the counted call
    budget_ms: float | None

    @property
    def status(self) -> str:
        if self.budget_ms is None:
            return "info"
        return "PASS" if self.p95_ms < self.budget_ms else "FAIL"


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


COLLECT_BEFORE_EACH_CALL = True


def measure(name: str, label: str, fn, *, repeat: int, warmup: int = 3) -> Result:
    """Warm up, count the queries of one call, then time `repeat` calls. Each timed call starts after a full
    garbage collection (not timed), so that a generation-2 collection made due by earlier calls is not billed to
    one random sample (--no-gc-collect times with the collector as it comes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        fn()
    with CaptureQueriesContext(connection) as captured:
        fn()
    # captured_queries slices connection.queries lazily, and the next request resets that log: copy it now.
    queries = [(q["sql"], float(q["time"]) * 1000) for q in captured.captured_queries]
    samples = []
    for _ in range(repeat):
        if COLLECT_BEFORE_EACH_CALL:
            gc.collect()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return Result(
        name=name,
        label=label,
        repeat=repeat,
        p50_ms=percentile(samples, 50),
        p95_ms=percentile(samples, 95),
        max_ms=max(samples),
        queries=len(queries),
        samples=samples,
        sql=queries,
        budget_ms=BUDGETS.get(name),
    )


@contextmanager
def without_audit_snapshot():
    """Diagnostic only, in this process: load models with Django's plain from_db, without what AuditedModel.from_db
    keeps of every loaded row for its audit snapshot (the loaded values; the snapshot itself is only worked out
    when something reads it, a save or a delete)."""
    from django.db import models

    from tinhgon.audit.models import AuditedModel

    original = AuditedModel.__dict__["from_db"]
    AuditedModel.from_db = classmethod(models.Model.from_db.__func__)
    try:
        yield
    finally:
        AuditedModel.from_db = original


def explain(queryset, vendor: str) -> str:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    prefix = "EXPLAIN (ANALYZE, BUFFERS)" if vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {sql}", params)
        rows = cursor.fetchall()
    return "\n".join(" | ".join(str(c) for c in row) for row in rows)


def run(args, vendor: str) -> int:
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    load_before = list(os.getloadavg())
    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    from rest_framework.authtoken.models import Token

    from tinhgon.accounts.models import Membership, Role, User
    from tinhgon.core.dates import today
    from tinhgon.organisations.models import Organisation, OrganisationLink

    start = time.perf_counter()
    if args.profile:
        province, deep_unit, big_rows, expected_today, expected_legacy = build_from_profile(args.profile, args.seed)
    else:
        province, deep_unit, big_rows = build_province(BIG)
        expected_today = BIG.current_total
        expected_legacy = (
            2
            + BIG.departments * (1 + BIG.units_per_department)
            + BIG.legacy_districts * (1 + BIG.communes_per_district)
        )
    small_province, _, small_rows = build_province(SMALL)
    build_s = time.perf_counter() - start
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would have them on a live database

    def oversight(username, unit):
        user = User.objects.create_user(username=username, full_name=f"Giám sát {unit.code}")
        Membership.objects.create(user=user, organisation=unit, role=Role.OVERSIGHT)
        return user

    big_user, small_user = oversight("bench-oversight", province), oversight("bench-oversight-small", small_province)
    token = Token.objects.create(user=big_user)
    big_client, small_client = Client(), Client()
    api_client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")  # token only, no session, like an API consumer
    big_client.force_login(big_user)
    small_client.force_login(small_user)

    day = today()
    checks: list[tuple[str, bool, str]] = []

    def check(label, ok, detail=""):
        checks.append((label, bool(ok), detail))

    check("bulk-built closure links equal the save() path", check_links_match_save_path())
    current = Organisation.objects.subtree(province, as_of=day).count()
    legacy = Organisation.objects.subtree(province, as_of=LEGACY_UNTIL).count()
    legacy_expected = expected_legacy
    check(f"subtree today has {expected_today} units", current == expected_today, str(current))
    check(f"subtree on {LEGACY_UNTIL} has {legacy_expected} units", legacy == legacy_expected, str(legacy))
    children_expected = Organisation.objects.filter(parent=province, valid_to__isnull=True).count()

    def subtree_today():
        return list(Organisation.objects.subtree(province, as_of=day))

    def subtree_legacy():
        return list(Organisation.objects.subtree(province, as_of=LEGACY_UNTIL))

    def ancestors():
        return list(deep_unit.ancestors())

    def search():
        return list(Organisation.objects.search("xa phuoc")[:50])

    def tree_page(client=big_client):
        response = client.get("/to-chuc/")
        if response.status_code != 200:
            raise RuntimeError(f"{response.request['PATH_INFO']} answered {response.status_code}")
        return response

    def api_list():
        response = api_client.get(f"/api/v1/organisations/?parent={province.code}")
        if response.status_code != 200:
            raise RuntimeError(f"{response.request['PATH_INFO']} answered {response.status_code}")
        return response

    r = args.repeat
    results = [
        measure("subtree_today", f"subtree(province, as_of={day})", subtree_today, repeat=r),
        measure("subtree_legacy", f"subtree(province, as_of={LEGACY_UNTIL})", subtree_legacy, repeat=r),
        measure("ancestors", "ancestors() of a department unit", ancestors, repeat=r * 5),
        measure("search", 'search("xa phuoc")[:50]', search, repeat=r * 2),
        measure("tree_page", f"GET /to-chuc/ (oversight, {expected_today:,} nodes)", tree_page, repeat=max(5, r // 3)),
        measure("api_list", f"GET /api/v1/organisations/?parent={province.code}", api_list, repeat=r),
    ]
    by_name = {res.name: res for res in results}

    # Diagnostics, no budget: where the subtree time goes.
    columns = [f.attname for f in Organisation._meta.concrete_fields]
    results.append(
        measure(
            "subtree_today_rows",
            "  same query, tuples only (no model instances)",
            lambda: list(Organisation.objects.subtree(province, as_of=day).values_list(*columns)),
            repeat=r,
        )
    )
    with without_audit_snapshot():
        results.append(
            measure(
                "subtree_today_no_snapshot",
                "  same, Django's plain from_db",
                subtree_today,
                repeat=r,
            )
        )
    loaded = subtree_today()
    results.append(
        measure(
            "audit_snapshot_3500",
            f"  audit_values() of {expected_today:,} units (paid on save)",
            lambda: [u.audit_values() for u in loaded],
            repeat=r,
        )
    )
    results.append(
        measure(
            "tree_page_small",
            "GET /to-chuc/ (oversight, 100 nodes)",
            lambda: tree_page(small_client),
            repeat=max(5, r // 3),
        )
    )

    for name in ("subtree_today", "subtree_legacy", "ancestors"):
        check(f"{name}: exactly 1 query", by_name[name].queries == 1, str(by_name[name].queries))
    page, small_page = by_name["tree_page"].queries, results[-1].queries
    check(f"tree page: <= {TREE_PAGE_MAX_QUERIES} queries", page <= TREE_PAGE_MAX_QUERIES, str(page))
    check(
        f"tree page: same query count for {expected_today:,} and 100 units",
        page == small_page,
        f"{page} vs {small_page}",
    )
    body = tree_page().content.decode()
    nodes = body.count("org-kind")
    check(f"tree page renders {expected_today} nodes", nodes == expected_today, str(nodes))
    api = api_list().json()
    check(
        f"API ?parent= counts the {children_expected} current children",
        api.get("count") == children_expected and len(api.get("results", [])) == min(50, children_expected),
        str(api.get("count")),
    )

    plans = {}
    if args.explain or by_name["subtree_today"].status == "FAIL" or by_name["subtree_legacy"].status == "FAIL":
        plans["subtree_today"] = explain(Organisation.objects.subtree(province, as_of=day), vendor)
        plans["ancestors"] = explain(deep_unit.ancestors(), vendor)
        plans["search"] = explain(Organisation.objects.search("xa phuoc")[:50], vendor)

    passed = all(res.status != "FAIL" for res in results) and all(ok for _, ok, _ in checks)
    db_version = _database_version(vendor)
    report = {
        "database": {"vendor": vendor, "version": db_version, "name": connection.settings_dict["NAME"]},
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_before": load_before,
            "load_average_after": list(os.getloadavg()),
        },
        "settings": {"DEBUG": settings.DEBUG, "gc_collect_before_each_call": COLLECT_BEFORE_EACH_CALL},
        "django": django.get_version(),
        "commit": _git_commit(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "data": {
            "organisations": Organisation.objects.count(),
            "links": OrganisationLink.objects.count(),
            "big_province_rows": big_rows,
            "small_province_rows": small_rows,
            "profile": args.profile or None,
            "seed": args.seed if args.profile else None,
            "build_seconds": round(build_s, 2),
        },
        "results": [
            {
                "name": res.name,
                "label": res.label.strip(),
                "repeat": res.repeat,
                "p50_ms": round(res.p50_ms, 2),
                "p95_ms": round(res.p95_ms, 2),
                "max_ms": round(res.max_ms, 2),
                "queries": res.queries,
                "budget_p95_ms": res.budget_ms,
                "status": res.status,
                "samples_ms": [round(x, 2) for x in res.samples],
                "sql": [{"ms": round(ms, 2), "sql": sql[:300]} for sql, ms in res.sql],
            }
            for res in results
        ],
        "checks": [{"check": label, "ok": ok, "value": detail} for label, ok, detail in checks],
        "plans": plans,
        "passed": passed,
    }
    VAR.mkdir(exist_ok=True)
    RESULTS_PATH.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_report(report, results, checks, plans)
    return 0 if passed else 1


def print_table(results, *, width: int, show_sql: bool = False) -> None:
    """The results table every bench prints: one line per measure, with its budget and verdict."""
    columns = f"{'n':>4} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'queries':>7} {'budget':>8}  result"
    header = f"{'measure':<{width}} {columns}"
    print(header)
    print("-" * len(header))
    for res in results:
        budget = f"<{res.budget_ms:g}" if res.budget_ms is not None else ""
        print(
            f"{res.label:<{width}} {res.repeat:>4} {res.p50_ms:>9.2f} {res.p95_ms:>9.2f} {res.max_ms:>9.2f} "
            f"{res.queries:>7} {budget:>8}  {res.status}"
        )
        if show_sql:
            for sql, ms in res.sql:
                print(f"    {ms:8.2f} ms  {sql[:160]}")
    print()


def print_checks(checks, plans) -> None:
    for label, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}" + (f" ({detail})" if detail else ""))
    for name, plan in plans.items():
        print(f"\nPlan of {name}:\n{plan}")


def print_report(report, results, checks, plans) -> None:
    db, data = report["database"], report["data"]
    print(
        f"tinhgon bench · {db['vendor']} {db['version']} · {report['machine']['cpus']} CPUs · "
        f"{data['organisations']} units, {data['links']} links (built in {data['build_seconds']} s) · "
        f"load average before {report['machine']['load_average_before'][0]:.2f}"
    )
    print_table(results, width=50)
    print_checks(checks, plans)
    print(f"\n{'PASS' if report['passed'] else 'FAIL'} · results in {RESULTS_PATH.relative_to(ROOT)}")


def _database_version(vendor: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if vendor == "postgresql" else "SELECT sqlite_version()")
        return cursor.fetchone()[0]


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return ""
    return out.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="timed repetitions per measure (default 50)")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--no-gc-collect", action="store_true", help="no gc.collect() before each timed call")
    parser.add_argument(
        "--profile",
        choices=("small", "province", "national"),
        help="measure on the data set of `manage.py generate_dataset --profile P` (its first province) instead of "
        "the bench's own 3,500-unit province",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data set (with --profile)")
    args = parser.parse_args()
    global COLLECT_BEFORE_EACH_CALL
    COLLECT_BEFORE_EACH_CALL = not args.no_gc_collect

    os.environ["DJANGO_SETTINGS_MODULE"] = "tinhgon.settings"
    sys.path.insert(0, str(ROOT))
    vendor, drop = prepare_database()

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
