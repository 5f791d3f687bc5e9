"""`manage.py generate_dataset`: a deterministic, realistic data set of one province up to the whole country, built
with the bulk paths that write the rows the app's services write (see docs/performance.md).

The same profile, seed and day give the same rows (compare `digest()`); everything random is drawn from a
`random.Random` seeded with the seed, the province and the stage, so provinces do not depend on each other.
Each province is written in its own transaction and forgotten before the next one: memory stays bounded.
"""

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.test.utils import override_settings

from tinhgon.core.dates import today as local_today
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.models import Field, Procedure, SearchEntry

from . import accounts, organisations, plans, procedures, reports, reviews
from .profiles import PROFILES, Profile

STAGES = ("organisations", "accounts", "procedures", "reviews", "plans", "reports")


class NotEmpty(Exception):
    """The database already holds organisations or procedures: the data set is generated into an empty one."""


@dataclass
class Context:
    profile: Profile
    seed: int
    today: date
    counts: Counter = field(default_factory=Counter)
    fields: dict = field(default_factory=dict)
    shared: dict = field(default_factory=dict)
    timings: Counter = field(default_factory=Counter)

    def rng(self, *parts: str) -> random.Random:
        return random.Random(":".join([str(self.seed), *parts]))

    def count(self, name: str, n: int) -> None:
        self.counts[name] += n


def generate(
    profile: str | Profile,
    *,
    seed: int = 1,
    today: date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Context:
    """Generate the data set; `progress(stage, done, total)` is called after each stage of each province."""
    profile = PROFILES[profile] if isinstance(profile, str) else profile
    if Organisation.objects.exists() or Procedure.objects.exists():
        raise NotEmpty("Cơ sở dữ liệu đã có đơn vị hoặc thủ tục: chỉ sinh bộ dữ liệu vào cơ sở dữ liệu trống.")
    ctx = Context(profile=profile, seed=seed, today=today or local_today())
    ctx.fields = {f.code: f for f in Field.objects.all()}
    total = profile.provinces * len(STAGES) + 1
    done = 0

    def step(stage: str, started: float) -> None:
        nonlocal done
        done += 1
        ctx.timings[stage] += time.perf_counter() - started
        if progress:
            progress(stage, done, total)

    # With DEBUG on, Django keeps every statement with its parameters, formatted at each call: a bulk insert of
    # thousands of rows is one long string, and the log grew the national run to 670 MB. The generator runs
    # without it and leaves the setting as it was.
    with override_settings(DEBUG=False):
        _provinces(ctx, step)
        started = time.perf_counter()
        ctx.count("search entries", SearchEntry.objects.rebuild())
        step("search", started)
    started = time.perf_counter()
    refresh_statistics()
    ctx.timings["statistics"] += time.perf_counter() - started
    return ctx


def refresh_statistics() -> None:
    """ANALYZE after the bulk load, as autovacuum would some minutes later: until then PostgreSQL plans with
    the statistics of empty tables (111,140 versions of groups A and B estimated at 292), and the ledger of one
    province read every procedure of the country (13 s instead of 0.9 s at the national profile)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _provinces(ctx: Context, step) -> None:
    profile = ctx.profile
    with transaction.atomic():
        nation = organisations.build_nation()
        ctx.shared.update(reviews.shared())
    for index in range(profile.provinces):
        with transaction.atomic():
            started = time.perf_counter()
            tree = organisations.build_province(ctx, index, nation)
            ctx.count("organisations", 1 + len(tree.departments) + len(tree.all_divisions) + len(tree.communes) + 3)
            ctx.count("pre-2025 units", len(tree.legacy))
            step("organisations", started)
            started = time.perf_counter()
            accounts.build(ctx, tree)
            step("accounts", started)
            started = time.perf_counter()
            published = procedures.build(ctx, tree)
            step("procedures", started)
            started = time.perf_counter()
            reviews.build(ctx, tree, published)
            step("reviews", started)
            started = time.perf_counter()
            plans.build(ctx, tree)
            step("plans", started)
            started = time.perf_counter()
            reports.build(ctx, tree)
            step("reports", started)
