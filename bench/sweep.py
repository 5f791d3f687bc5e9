"""Every page and endpoint that needs no address argument, as each kind of user, on an existing data set: which
are slow at that scale.

The per-page suite (pages.py) measures the pages chosen for issue 15; this sweep finds the others, the lists a user
opens with nothing chosen yet (such as the staff list of publication decisions, which printed all 14,000 of the
country's to the national oversight: 2.8 s). It reads the database DATABASE_URL names, the load test's national
data set for instance (bench/load/run.sh makes it), and writes nothing there but the personas' sessions and, if
the data set has none, the national oversight's membership:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tinhgon_load_national SECRET_KEY=x BENCH_PRODUCTION=1 \\
        .venv/bin/python bench/sweep.py

The personas are the data set's first members of each kind: the national oversight, a province's oversight, a
department's focal point, a division's officer, a commune's officer, and an anonymous visitor for public pages.
Each page: one request to warm up and count its queries, then `--repeat` timed ones (p50). Writes
bench/results/<date>-sweep.md and exits non-zero naming each page whose p50 is over the list budget
(bench/budgets.toml)."""

import argparse
import logging
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages  # noqa: E402  (the per-page suite: its clients, timing and budgets)
import run as base  # noqa: E402

# Persona → (organisation kind, role) of the membership it signs in with.
PERSONAS = {
    "nation": ("ministry", "oversight"),
    "province": ("province", "oversight"),
    "department": ("department", "focal_point"),
    "division": ("department_unit", "officer"),
    "commune": ("commune", "officer"),
}


def endpoints():
    """The URL names of the GET endpoints with no address argument (accounts/endpoints.py), each with whether it
    is public (requested anonymously) or not (requested as each persona)."""
    from tinhgon.accounts.endpoints import ENDPOINTS, PUBLIC

    for endpoint in ENDPOINTS:
        if "GET" in endpoint.methods and not endpoint.model and not endpoint.extra:
            yield endpoint.name, endpoint.methods["GET"] == PUBLIC


def memberships() -> dict:
    """The personas' memberships; the national oversight's made (as pages.py makes it) if the data set has none:
    the generator gives the nation no member, and without one the sweep would leave out the largest lists."""
    from tinhgon.accounts.models import Membership, Role, User
    from tinhgon.demo.dataset.organisations import NATION_CODE
    from tinhgon.organisations.models import Organisation

    found = {}
    for persona, (kind, role) in PERSONAS.items():
        membership = (
            Membership.objects.filter(organisation__kind=kind, role=role, user__is_active=True).order_by("pk").first()
        )
        if membership is not None:
            found[persona] = membership
    if "nation" not in found:
        nation = Organisation.objects.get(code=NATION_CODE)
        user = User.objects.create_user(username=f"bench-{NATION_CODE}-oversight".lower(), full_name="Bench nation")
        found["nation"] = Membership.objects.create(user=user, organisation=nation, role=Role.OVERSIGHT)
    return found


def sweep(repeat: int, only: list[str]) -> list[dict]:
    from django.urls import NoReverseMatch, reverse

    clients = {name: pages.client_for(m) for name, m in memberships().items()}
    clients["anonymous"] = pages.client_for(None)
    rows = []
    for name, public in endpoints():
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        if only and not any(url.startswith(prefix) for prefix in only):
            continue
        for persona, client in clients.items():
            if public == (persona == "anonymous"):
                rows.append(measure(name, url, persona, client, repeat))
                r = rows[-1]
                print(f"  {persona:10} {r['status']} {r['p50_ms']:8.1f} ms {r['queries']:3} q  {url}", flush=True)
    return rows


def measure(name: str, url: str, persona: str, client, repeat: int) -> dict:
    """One request (its queries, and for a download its time: the nation's registry is 80,000 rows), then for a
    page answering 200 `repeat` timed ones."""
    start = time.perf_counter()
    response, calls = pages.one_request(client, url)
    elapsed = (time.perf_counter() - start) * 1000
    download = response.get("Content-Disposition", "").startswith("attachment")
    if response.status_code != 200:
        p50 = 0.0
    elif download:
        p50 = elapsed
    else:
        p50 = base.percentile(pages.timed(client, url, repeat), 50)
    return {
        "name": name,
        "url": url,
        "persona": persona,
        "status": response.status_code,
        "download": download,
        "queries": len(calls),
        "sql_ms": sum(c[3] for c in calls),
        "p50_ms": p50,
    }


def over_budget(row: dict, budget: float) -> bool:
    return row["status"] >= 500 or (not row["download"] and row["p50_ms"] > budget)


def markdown(rows: list[dict], budget: float, header: str) -> str:
    slow = sorted((r for r in rows if over_budget(r, budget)), key=lambda r: -r["p50_ms"])
    lines = [
        f"# Sweep of the pages without arguments, {header}",
        "",
        f"{len(rows)} requests; p50 in ms of the timed requests of each page answering 200, the one request of each "
        f"download (no time budget: streamed, see pages.py for their memory); budget for pages {budget:g} ms.",
        "",
        "| page | persona | status | p50 | queries | SQL |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in sorted(rows, key=lambda r: -r["p50_ms"]):
        url = f"`{r['url']}`" + (" (download)" if r["download"] else "")
        cells = [url, r["persona"], r["status"], f"{r['p50_ms']:.1f}", r["queries"], f"{r['sql_ms']:.1f}"]
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    lines += ["", f"## Over {budget:g} ms or failing ({len(slow)})", ""]
    lines += [f"- {r['url']} as {r['persona']}: {r['status']}, {r['p50_ms']:.0f} ms" for r in slow] or ["None."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed requests per page and persona")
    parser.add_argument("--only", nargs="*", default=[], help="only the addresses starting with these")
    args = parser.parse_args()
    if os.environ.get("BENCH_PRODUCTION") == "1":  # as pages.py: production settings minus TLS
        sys.path.insert(0, str(pages.ROOT / "bench" / "load"))
        os.environ.setdefault("DEBUG", "false")
        os.environ["DJANGO_SETTINGS_MODULE"] = "settings"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhgon.settings")
    sys.path.insert(0, str(pages.ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 403s of roles without the right: expected
    started = time.perf_counter()
    rows = sweep(args.repeat, args.only)
    budget = pages.BUDGETS["p95_ms"]["list"]
    header = (
        f"{datetime.now(UTC):%Y-%m-%d}, {connection.vendor} database {connection.settings_dict['NAME']}, "
        f"commit {base._git_commit()}, DEBUG={settings.DEBUG}, {time.perf_counter() - started:.0f} s"
    )
    path = pages.RESULTS / f"{datetime.now(UTC):%Y-%m-%d}-sweep.md"
    path.write_text(markdown(rows, budget, header), encoding="utf-8")
    print(path.read_text())
    failures = [r for r in rows if over_budget(r, budget)]
    for r in failures:
        print(f"FAIL {r['url']} as {r['persona']}: {r['status']}, {r['p50_ms']:.0f} ms", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
