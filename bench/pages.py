"""Per-page benchmark on the generated data set (issue 15): every key page and API endpoint, through Django's test
Client as a persona of the data set, in a throwaway database (var/bench-pages.sqlite3, or the PostgreSQL database
`tinhgon_bench_pages` when DATABASE_URL points at PostgreSQL; never the development or test database).

For each measure: p50/p95 server time, query count, time in SQL (a connection execute_wrapper), the page's SQL
alone replayed through a cursor (its floor), for lists the Django admin changelist of the same model as a naive
baseline, and for downloads and the import the tracemalloc peak. Everything runs on two sizes (the `small` profile,
then the big one) and the query counts must not grow with the data. Budgets: bench/budgets.toml.

    .venv/bin/python bench/pages.py --quick          # province profile, fewer samples (about 5 minutes)
    .venv/bin/python bench/pages.py                  # national profile
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pages.py --quick

Writes bench/results/<date>[-<vendor>].json and .md and exits non-zero naming each broken budget.
"""

import argparse
import gc
import json
import os
import platform
import sys
import tempfile
import time
import tomllib
import tracemalloc
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as base  # noqa: E402  (bench/run.py: the throwaway database and the percentile)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
BUDGETS = tomllib.loads((Path(__file__).resolve().parent / "budgets.toml").read_text())
ADMIN_PROCEDURES = "/quan-tri/procedures/procedure/"


@dataclass(frozen=True)
class Page:
    name: str
    persona: str  # a key of the personas built by world(); "anon" for the public portal
    url: str  # with {placeholders} filled from world()
    kind: str  # search, list, page, ledger, dashboard, export
    baseline: str = ""  # the admin changelist to compare a list with


# The table of measures: one row per key page or endpoint; the sign-in page (no query) shows what any page costs on
# the machine that runs the suite (docs/decisions/0010-sql-floor-allowance.md).
PAGES = [
    Page("sign_in", "anon", "/dang-nhap/", "page"),
    Page("portal_search_common", "anon", "/cong-khai/?q={common}", "search", ADMIN_PROCEDURES),
    Page("portal_search_rare", "anon", "/cong-khai/?q={rare}", "search"),
    Page("portal_search_typo", "anon", "/cong-khai/?q={typo}", "search"),
    Page("portal_search_filtered", "anon", "/cong-khai/?q={common}&linh_vuc={field}", "search"),
    Page("portal_procedure", "anon", "/cong-khai/thu-tuc/{procedure_code}/", "page"),
    Page("portal_decisions", "anon", "/cong-khai/quyet-dinh/", "list"),
    Page("registry_list", "dept", "/thu-tuc/", "list", ADMIN_PROCEDURES),
    Page("registry_list_api", "dept", "/api/v1/procedures/", "list"),
    Page("procedure_page", "dept", "/thu-tuc/{procedure_pk}/", "page"),
    Page("ledger_province", "province", "/ra-soat/so-theo-doi/?org={province}", "ledger"),
    Page("ledger_nation", "nation", "/ra-soat/so-theo-doi/?org={nation}", "ledger"),
    Page("ledger_api_province", "province", "/api/v1/ledger/?org={province}", "ledger"),
    Page("dashboard_province", "province", "/bao-cao/bang-dieu-khien/?org={province}", "dashboard"),
    Page("dashboard_nation", "nation", "/bao-cao/bang-dieu-khien/?org={nation}", "dashboard"),
    Page("overdue_department", "late_dept", "/ke-hoach/tre-han/?org={late_department}", "dashboard"),
    Page("overdue_province", "province", "/ke-hoach/tre-han/?org={province}", "dashboard"),
    Page("overdue_nation", "nation", "/ke-hoach/tre-han/?org={nation}", "dashboard"),
    Page("plan_page", "province", "/ke-hoach/{plan}/", "page"),
    Page("inbox_home", "busy", "/", "list"),
    Page("inbox_api", "busy", "/api/v1/inbox/", "list"),
    Page("report_docx", "province", "/bao-cao/{report}/docx/", "export"),
    Page("report_xlsx", "province", "/bao-cao/{report}/xlsx/", "export"),
    Page("report_pdf", "province", "/bao-cao/{report}/pdf/", "export"),
    Page("plan_docx", "province", "/ke-hoach/{plan}/ke-hoach-va-phu-luc.docx", "export"),
    Page("registry_export_xlsx", "province", "/thu-tuc/xuat-excel/", "export"),
]


# --------------------------------------------------------------------------------------------------------------
# Budget logic (unit-tested in tinhgon/demo/tests/test_bench_pages.py)
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Measure:
    name: str
    kind: str
    url: str
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    queries: int = 0
    sql_ms: float = 0.0  # time in SQL of one request (execute_wrapper)
    floor_ms: float = 0.0  # the request's SELECTs replayed through a cursor
    baseline_p50_ms: float | None = None
    peak_mb: float | None = None
    small_queries: int | None = None  # query count on the small profile
    status: int = 200
    broken: list[str] = field(default_factory=list)


def broken_budgets(m: Measure, budgets: dict = BUDGETS) -> list[str]:
    """The budgets `m` breaks, in words (empty: all kept)."""
    out = []
    limit = budgets["p95_ms"].get(m.kind)
    if m.status != 200:
        out.append(f"{m.name}: answered {m.status}")
    if limit is not None and m.p95_ms > limit:
        out.append(f"{m.name}: p95 {m.p95_ms:.1f} ms > {limit} ms")
    ratio, allowance = budgets["floor"]["max_ratio"], budgets["floor"]["allowance_ms"]
    if m.kind != "export" and m.floor_ms > 0 and m.p50_ms > ratio * m.floor_ms + allowance:
        out.append(
            f"{m.name}: server {m.p50_ms:.1f} ms > {ratio:g}x its SQL floor {m.floor_ms:.1f} ms + {allowance:g} ms"
        )
    if m.peak_mb is not None:
        peak = budgets["memory"]["import_peak_mb" if m.kind == "import" else "export_peak_mb"]
        if m.peak_mb > peak:
            out.append(f"{m.name}: peak memory {m.peak_mb:.0f} MB > {peak} MB")
    if m.kind == "import" and m.p50_ms > budgets["import"]["max_seconds"] * 1000:
        out.append(f"{m.name}: {m.p50_ms / 1000:.1f} s > {budgets['import']['max_seconds']} s")
    if m.small_queries is not None and m.queries != m.small_queries:
        out.append(f"{m.name}: {m.queries} queries on the big data set, {m.small_queries} on the small one")
    return out


# --------------------------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------------------------


class SqlLog:
    """execute_wrapper: records each statement, its parameters and its time."""

    def __init__(self):
        self.calls = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.calls.append((sql, params, many, (time.perf_counter() - start) * 1000))


def one_request(client, url):
    from django.db import connection

    log = SqlLog()
    with connection.execute_wrapper(log):
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    return response, log.calls


def is_read(sql: str) -> bool:
    words = sql.lstrip().upper()
    return words.startswith("SELECT") or (
        words.startswith("WITH") and not any(verb in words for verb in ("INSERT ", "UPDATE ", "DELETE "))
    )


def replay(calls) -> float:
    """The floor: the request's reads alone (SELECT, and WITH: the search's one-pass summary is a common table
    expression), through a cursor, rows fetched; writes such as the session's are left out so that the replay
    changes nothing."""
    from django.db import connection

    selects = [(sql, p) for sql, p, many, _ in calls if not many and is_read(sql)]
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in selects:
                cursor.execute(sql, params)
                cursor.fetchall()
        samples.append((time.perf_counter() - start) * 1000)
    return base.percentile(samples, 50)


def timed(client, url, repeat):
    samples = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def measure_page(page: Page, client, url: str, admin_client, repeat: int) -> Measure:
    m = Measure(page.name, page.kind, url)
    response, calls = one_request(client, url)  # warm-up, and the SQL of one request
    m.status = response.status_code
    response, calls = one_request(client, url)
    m.queries, m.sql_ms = len(calls), sum(c[3] for c in calls)
    m.floor_ms = replay(calls)
    samples = timed(client, url, repeat if page.kind != "export" else max(3, repeat // 5))
    m.p50_ms, m.p95_ms = base.percentile(samples, 50), base.percentile(samples, 95)
    if page.baseline:
        m.baseline_p50_ms = base.percentile(timed(admin_client, page.baseline, max(3, repeat // 3)), 50)
    if page.kind == "export":
        m.peak_mb = peak_mb(lambda: one_request(client, url))
    return m


def peak_mb(fn) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def measure_import(world: dict, rows: int) -> Measure:
    """The 5,000-row import of bench_import.py, into a department of the data set: timed as it runs, then the
    re-import of the same file (every row read and compared) under tracemalloc for the peak."""
    import bench_import

    from tinhgon.procedures.excel import import_procedures
    from tinhgon.procedures.models import Field

    m = Measure("import_5000", "import", f"import_procedures({rows} rows)")
    fields = list(Field.objects.filter(is_active=True).values_list("name", flat=True))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        bench_import.build_workbook(path, rows, fields)
        start = time.perf_counter()
        result = import_procedures(path, owner=world["department_obj"])
        m.p50_ms = m.p95_ms = (time.perf_counter() - start) * 1000
        m.status = 200 if result.ok else 500
        m.peak_mb = peak_mb(lambda: import_procedures(path, owner=world["department_obj"]))
    return m


# --------------------------------------------------------------------------------------------------------------
# The data set and its personas
# --------------------------------------------------------------------------------------------------------------


def _late_department(province):
    """The department of `province` whose divisions have the most overdue assignments. The department of the other
    pages may have none on the small profile (Sở Nội vụ of seed 1), and its page then skips the query of the rows to
    show (Django runs no query for `id IN ()`): one query fewer than on the province, which is not the page's cost
    growing with the data. A department late on both profiles compares like with like."""
    from django.db.models import Count

    from tinhgon.core.dates import today
    from tinhgon.organisations.models import Organisation
    from tinhgon.plans.models import Assignment

    late = (
        Assignment.objects.overdue(today())
        .filter(organisation__parent__parent=province, organisation__parent__kind=Organisation.Kind.DEPARTMENT)
        .values("organisation__parent")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation__parent")
        .first()
    )
    return Organisation.objects.get(pk=late["organisation__parent"])


def world() -> dict:
    """Placeholders and personas from the generated data set: its first province, a department of it, the national
    unit, the plan with the most tasks, a report, published procedures, and the focal point with the most work."""
    from django.conf import settings
    from django.db.models import Count

    from tinhgon.accounts.models import Membership, Role, User
    from tinhgon.core.text import fold_vn
    from tinhgon.demo.dataset.organisations import NATION_CODE
    from tinhgon.organisations.models import Organisation, OrganisationLink
    from tinhgon.plans.models import Assignment, Plan
    from tinhgon.portal.queries import public_versions
    from tinhgon.reports.models import Report

    province = Organisation.objects.filter(kind=Organisation.Kind.PROVINCE).order_by("pk").first()
    nation = Organisation.objects.get(code=NATION_CODE)
    # The nation's ledger is served from its snapshot at every size, as at national scale, where the default
    # TINHGON_LEDGER_SNAPSHOT_UNITS (5,000) takes the nation and no province; else the small profile counts it live
    # and its query count differs from the big one's for that reason alone.
    settings.TINHGON_LEDGER_SNAPSHOT_UNITS = OrganisationLink.objects.filter(ancestor=nation).count()
    # A published procedure of one of the province's departments: that department's focal point may open it.
    versions = list(
        public_versions()
        .filter(procedure__owner__kind=Organisation.Kind.DEPARTMENT, procedure__owner__parent=province)
        .select_related("procedure__owner", "field")
        .order_by("pk")[:200]
    )
    version = versions[len(versions) // 2]
    department = version.procedure.owner
    words = fold_vn(version.name).split()
    typo_word = max(words, key=len)
    plan = Plan.objects.annotate(n=Count("tasks")).order_by("-n", "pk").first()
    report = Report.objects.filter(organisation=province).order_by("pk").first()
    busy_org = (
        Assignment.objects.filter(organisation__memberships__role=Role.FOCAL_POINT)
        .values("organisation")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n")
        .first()
    )
    busy = Membership.objects.filter(role=Role.FOCAL_POINT, organisation_id=busy_org["organisation"]).first()
    late_department = _late_department(province)

    def membership(org, role):
        found = Membership.objects.filter(organisation=org, role=role).order_by("pk").first()
        if found:
            return found
        user = User.objects.create_user(username=f"bench-{org.code}-{role}".lower(), full_name=f"Bench {org.code}")
        return Membership.objects.create(user=user, organisation=org, role=role)

    admin = User.objects.create_superuser(username="bench-admin", password="x", full_name="Bench admin")
    return {
        "province": province.code,
        "department": department.code,
        "department_obj": department,
        "late_department": late_department.code,
        "nation": nation.code,
        "common": words[0],
        "rare": " ".join(words),
        "typo": typo_word[:-2] + typo_word[-1],
        "field": version.field.code,
        "procedure_code": version.procedure.code,
        "procedure_pk": version.procedure.pk,
        "plan": plan.pk,
        "plan_tasks": plan.n,
        "report": report.pk,
        "personas": {
            "province": membership(province, Role.OVERSIGHT),
            "nation": membership(nation, Role.OVERSIGHT),
            "dept": membership(department, Role.FOCAL_POINT),
            "late_dept": membership(late_department, Role.FOCAL_POINT),
            "busy": busy,
        },
        "busy_assignments": busy_org["n"],
        "admin": admin,
    }


def client_for(membership):
    from django.test import Client

    from tinhgon.accounts.middleware import ACTING_SESSION_KEY

    client = Client()
    if membership is not None:
        client.force_login(membership.user)
        session = client.session
        session[ACTING_SESSION_KEY] = membership.pk
        session.save()
    return client


def register_admin_baseline():
    """The naive baseline for lists: a plain admin changelist of Procedure (not registered in the project's admin;
    registered here, in this process only, before the URLconf is loaded)."""
    from django.contrib import admin

    from tinhgon.procedures.models import Procedure

    if not admin.site.is_registered(Procedure):
        admin.site.register(Procedure)


def measure_profile(profile: str, seed: int, repeat: int, import_rows: int) -> tuple[dict, list[Measure]]:
    from django.core.management import call_command
    from django.db import connections

    from tinhgon.demo.dataset import generate

    connections.close_all()
    base.prepare_database()
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    generate(profile, seed=seed)
    generated_s = time.perf_counter() - start
    w = world()
    clients = {k: client_for(v) for k, v in w["personas"].items()} | {"anon": client_for(None)}
    admin_client = client_for(None)
    admin_client.force_login(w["admin"])
    measures = []
    for page in PAGES:
        url = page.url.format(**w)
        measures.append(measure_page(page, clients[page.persona], url, admin_client, repeat))
        print(f"  {profile:9} {page.name:24} {measures[-1].p95_ms:8.1f} ms  {measures[-1].queries:3} q", flush=True)
    if import_rows:
        measures.append(measure_import(w, import_rows))
    info = {
        "profile": profile,
        "generated_s": round(generated_s, 1),
        "plan_tasks": w["plan_tasks"],
        "busy_assignments": w["busy_assignments"],
        "search": {k: w[k] for k in ("common", "rare", "typo", "field")},
    }
    return info, measures


def write_results(report: dict, measures: list[Measure], failures: list[str]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    stem = f"{report['date']}-{report['vendor']}{'-quick' if report['quick'] else ''}"
    json_path = RESULTS / f"{stem}.json"
    json_path.write_text(json.dumps(report | {"measures": [asdict(m) for m in measures]}, indent=1, default=str))
    (RESULTS / f"{stem}.md").write_text(markdown(report, measures, failures))
    return json_path


def markdown(report: dict, measures: list[Measure], failures: list[str]) -> str:
    def num(x, fmt=".1f"):
        return "" if x is None else format(x, fmt)

    lines = [
        f"# Per-page benchmark, {report['date']}, {report['vendor']}, profile {report['profile']}"
        f"{' (--quick)' if report['quick'] else ''}",
        "",
        f"Commit {report['commit']}, {report['database']}, DEBUG={report['debug']}, Python {report['python']}, "
        f"load average {report['load']}, {report['elapsed_s']} s. "
        "Times in ms; queries small → big profile; floor = the page's reads (SELECT, WITH) replayed through a cursor; "
        "baseline = admin changelist p50.",
        "",
        "| measure | kind | p50 | p95 | budget | queries | SQL | floor | baseline | peak MB | verdict |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for m in measures:
        budget = BUDGETS["p95_ms"].get(m.kind, BUDGETS["import"]["max_seconds"] * 1000 if m.kind == "import" else "")
        q = f"{m.small_queries} → {m.queries}" if m.small_queries is not None else str(m.queries)
        lines.append(
            f"| {m.name} | {m.kind} | {num(m.p50_ms)} | {num(m.p95_ms)} | {budget} | {q} | {num(m.sql_ms)} | "
            f"{num(m.floor_ms)} | {num(m.baseline_p50_ms)} | {num(m.peak_mb, '.0f')} | "
            f"{'FAIL' if m.broken else 'ok'} |"
        )
    lines += ["", f"## Broken budgets ({len(failures)})", ""] + [f"- {f}" for f in failures] + [""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="province profile, fewer samples (about 5 minutes)")
    parser.add_argument(
        "--profile", choices=["small", "province", "national-10", "national-30", "national"], help="the big profile"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, help="timed requests per page (default 20, --quick 8)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    big = args.profile or ("province" if args.quick else "national")
    repeat = args.repeat or (8 if args.quick else 20)

    base.BENCH_DB = "tinhgon_bench_pages"
    base.SQLITE_PATH = base.VAR / "bench-pages.sqlite3"
    # DEBUG off as deployed: `BENCH_PRODUCTION=1` takes the load test's settings (production minus TLS, which the
    # test client does not speak: with it every page would measure a redirect to https).
    production = os.environ.get("BENCH_PRODUCTION") == "1"
    if production:
        sys.path.insert(0, str(ROOT / "bench" / "load"))
        os.environ.setdefault("DEBUG", "false")
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings" if production else "tinhgon.settings"
    sys.path.insert(0, str(ROOT))
    vendor, drop = base.prepare_database()
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    register_admin_baseline()
    started = time.perf_counter()
    try:
        print("small profile (query counts at the small size)", flush=True)
        _, small = measure_profile("small", args.seed, 3, 0)
        answered = [f"{m.name} {m.status}" for m in small if m.status != 200]
        if answered:  # a redirect or an error measured is no measure: stop before the long part
            raise SystemExit(f"pages that do not answer 200 on the small profile: {', '.join(answered)}")
        print(f"{big} profile", flush=True)
        info, measures = measure_profile(big, args.seed, repeat, BUDGETS["import"]["rows"])
        database = f"{vendor} {base._database_version(vendor)}"
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop()
    counts = {m.name: m.queries for m in small}
    failures = []
    for m in measures:
        m.small_queries = counts.get(m.name)
        m.broken = broken_budgets(m)
        failures += m.broken
    report = {
        "date": f"{datetime.now(UTC):%Y-%m-%d}",
        "vendor": vendor,
        "database": database,
        "profile": big,
        "quick": args.quick,
        "repeat": repeat,
        "debug": settings.DEBUG,
        "commit": base._git_commit(),
        "python": platform.python_version(),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "elapsed_s": round(time.perf_counter() - started),
        "data": info,
        "budgets": BUDGETS,
        "failures": failures,
    }
    path = write_results(report, measures, failures)
    print(path.with_suffix(".md").read_text())
    for f in failures:
        print(f"FAIL {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
