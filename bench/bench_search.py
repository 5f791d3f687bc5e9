"""Benchmark of the public portal search on 100,000 published procedures (part of `make bench`).

Builds 100,000 procedures with their published versions (plus the amended versions and drafts the public never
sees) in a throwaway database (var/bench-search.sqlite3, or the PostgreSQL database `tinhgon_bench_search` when
DATABASE_URL points at PostgreSQL), times the portal's search (`portal.queries.search_public`: count, facets and
page 1 with its rows) and the portal page GET /cong-khai/?q=..., prints a table, writes
var/bench-search-results.json and exits non-zero when a p95 is over its budget or a check fails. The query count
of every measure is compared with the same measure on the first 1,000 procedures: it must not grow with the data.

    .venv/bin/python bench/bench_search.py              # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_search.py
    .venv/bin/python bench/bench_search.py --explain --keep     # print query plans, keep the bench database

See bench/README.md.
"""

import argparse
import gc
import json
import os
import platform
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import run as base
from run import _database_version, _department_name, _git_commit, closure_links, commune_name, new_unit, percentile

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
RESULTS_PATH = VAR / "bench-search-results.json"
# The throwaway database of bench/run.py, under other names.
base.SQLITE_PATH = VAR / "bench-search.sqlite3"
base.BENCH_DB = "tinhgon_bench_search"

PROCEDURES = 100_000
SMALL = 1_000  # query counts are taken here first, then compared on the full data
CHUNK = 10_000  # procedures built per round (bounds the memory of unsaved model instances)
DEPARTMENT_OWNERS, COMMUNE_OWNERS = 30, 168  # with the province and its office: 200 organisations

# Budgets on p95, in milliseconds (issue: "under 50 ms at p95 on this 2-core machine on both databases").
SEARCH_BUDGET_MS = 50
PAGE_BUDGET_MS = 300
PER_PAGE_ROWS = 20  # tinhgon.portal.queries.PER_PAGE: the rendered pages must list this many procedures


@dataclass(frozen=True)
class Search:
    name: str
    label: str
    q: str
    field: str = ""  # a field code, as the portal's linh_vuc filter
    mode: str = "exact"


SEARCHES = [
    Search("search_common", "common phrase", "thu tuc khen thuong"),
    Search("search_short_word", "2-letter word", "dang ky"),
    Search("search_typo", "typo, fuzzy path", "khen thuog", mode="fuzzy"),
    Search("search_rare", "rare words", "yen sao"),
    Search("search_field", "with a field filter", "cap phep", field="xay-dung"),
]


@dataclass(frozen=True)
class Page:
    name: str
    params: dict
    budget: bool = True

    @property
    def path(self) -> str:
        return "/cong-khai/" + (f"?{urlencode(self.params)}" if self.params else "")


PAGES = [
    Page("page_common", {"q": "thu tuc khen thuong"}),
    Page("page_typo", {"q": "khen thuog"}),
    Page("page_field", {"q": "cap phep", "linh_vuc": "xay-dung"}),
    Page("page_browse", {}, budget=False),
]


# --------------------------------------------------------------------------------------------------------------
# Data: names of internal procedures, by field
# --------------------------------------------------------------------------------------------------------------

# (field code, weight, name openings, objects): "<opening> <object><qualifier>", as in published decisions.
NAME_PARTS = [
    (
        "thi-dua-khen-thuong",
        14,
        [
            "Thủ tục khen thưởng",
            "Thủ tục xét tặng",
            "Thủ tục đề nghị khen thưởng",
            "Thủ tục công nhận",
            "Thủ tục tặng",
        ],
        [
            "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
            "danh hiệu Chiến sĩ thi đua cơ sở",
            "danh hiệu Chiến sĩ thi đua cấp tỉnh",
            "danh hiệu Lao động tiên tiến",
            "danh hiệu Tập thể lao động xuất sắc",
            "Cờ thi đua của Ủy ban nhân dân tỉnh",
            "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã",
            "thành tích thực hiện nhiệm vụ chính trị",
            "theo đợt hoặc chuyên đề",
            "thành tích đột xuất",
            "cho gia đình có nhiều đóng góp",
            "thành tích đối ngoại",
        ],
    ),
    (
        "to-chuc-can-bo",
        10,
        [
            "Thủ tục bổ nhiệm",
            "Thủ tục bổ nhiệm lại",
            "Thủ tục điều động",
            "Thủ tục tiếp nhận",
            "Đăng ký dự tuyển",
            "Thủ tục nâng bậc lương",
            "Thủ tục cử đi đào tạo, bồi dưỡng",
        ],
        [
            "công chức giữ chức vụ lãnh đạo, quản lý",
            "viên chức vào làm việc tại đơn vị sự nghiệp công lập",
            "cán bộ, công chức cấp xã",
            "người đứng đầu đơn vị sự nghiệp công lập",
            "công chức từ cấp xã lên cấp tỉnh",
            "trước thời hạn do lập thành tích xuất sắc",
        ],
    ),
    (
        "xay-dung",
        8,
        ["Cấp phép xây dựng", "Cấp giấy phép xây dựng", "Thẩm định", "Điều chỉnh", "Phê duyệt"],
        [
            "công trình sửa chữa, cải tạo trụ sở cơ quan",
            "dự án đầu tư xây dựng sử dụng vốn đầu tư công",
            "thiết kế xây dựng triển khai sau thiết kế cơ sở",
            "nhà ở công vụ",
            "công trình hạ tầng kỹ thuật",
        ],
    ),
    (
        "tai-chinh",
        8,
        ["Thủ tục phê duyệt", "Thủ tục thẩm định", "Đăng ký", "Thủ tục giao", "Thủ tục điều chuyển"],
        [
            "dự toán ngân sách nhà nước hằng năm",
            "quyết toán vốn đầu tư dự án hoàn thành",
            "phương án sử dụng tài sản công",
            "kế hoạch mua sắm tài sản công",
            "tài sản công giữa các cơ quan, đơn vị",
            "mã số đơn vị có quan hệ với ngân sách",
        ],
    ),
    (
        "van-thu-luu-tru",
        5,
        ["Thủ tục nộp lưu", "Thủ tục hủy", "Thủ tục khai thác, sử dụng", "Đăng ký"],
        [
            "hồ sơ, tài liệu vào Lưu trữ lịch sử tỉnh",
            "tài liệu hết giá trị",
            "tài liệu lưu trữ",
            "mẫu con dấu",
            "chữ ký số chuyên dùng",
        ],
    ),
    (
        "cong-tac-van-phong",
        4,
        ["Thủ tục đăng ký", "Thủ tục phê duyệt", "Thủ tục ban hành"],
        [
            "chương trình công tác năm",
            "lịch công tác tuần của lãnh đạo tỉnh",
            "sử dụng xe ô tô công",
            "quy chế làm việc",
            "lịch họp giao ban",
        ],
    ),
    (
        "kiem-soat-tthc",
        4,
        ["Thủ tục công bố", "Thủ tục rà soát", "Thủ tục đánh giá", "Thủ tục phê duyệt"],
        [
            "danh mục thủ tục hành chính nội bộ",
            "phương án đơn giản hóa thủ tục hành chính",
            "quy trình nội bộ giải quyết thủ tục hành chính",
            "quy định thủ tục hành chính trong dự thảo văn bản",
        ],
    ),
    (
        "chinh-quyen-dia-phuong",
        4,
        ["Thủ tục thành lập", "Thủ tục công nhận", "Thủ tục phân loại", "Thủ tục điều chỉnh"],
        [
            "thôn, tổ dân phố",
            "đơn vị hành chính cấp xã",
            "địa giới đơn vị hành chính",
            "tổ chức hội có phạm vi hoạt động trong tỉnh",
        ],
    ),
    (
        "ke-hoach-dau-tu",
        5,
        ["Thủ tục thẩm định", "Thủ tục phê duyệt", "Thủ tục điều chỉnh", "Đăng ký"],
        [
            "chủ trương đầu tư dự án đầu tư công",
            "kế hoạch đầu tư công trung hạn",
            "kế hoạch lựa chọn nhà thầu",
            "nguồn vốn và khả năng cân đối vốn",
            "danh mục dự án kêu gọi đầu tư",
        ],
    ),
    (
        "giao-thong-van-tai",
        4,
        ["Cấp phép", "Cấp giấy phép", "Đăng ký", "Thủ tục chấp thuận"],
        [
            "thi công công trình trên đường bộ đang khai thác",
            "lưu hành xe quá tải trọng, quá khổ giới hạn",
            "phương tiện thủy nội địa",
            "phương án tổ chức giao thông",
            "đấu nối vào quốc lộ",
        ],
    ),
    (
        "tu-phap",
        4,
        ["Thủ tục thẩm định", "Thủ tục kiểm tra", "Thủ tục rà soát", "Đăng ký"],
        [
            "dự thảo văn bản quy phạm pháp luật",
            "văn bản quy phạm pháp luật của Hội đồng nhân dân tỉnh",
            "báo cáo viên pháp luật",
            "hoạt động trợ giúp pháp lý",
        ],
    ),
    (
        "thanh-tra",
        4,
        ["Thủ tục tiếp nhận", "Thủ tục giải quyết", "Thủ tục phê duyệt", "Thủ tục xác minh"],
        ["đơn khiếu nại lần đầu", "đơn tố cáo", "kế hoạch thanh tra hằng năm", "bản kê khai tài sản, thu nhập"],
    ),
    (
        "giao-duc-dao-tao",
        5,
        ["Thủ tục công nhận", "Thủ tục thành lập", "Thủ tục sáp nhập, chia, tách", "Đăng ký"],
        [
            "trường đạt chuẩn quốc gia",
            "trường mầm non công lập",
            "trường trung học cơ sở",
            "hoạt động giáo dục",
            "kiểm định chất lượng giáo dục",
            "dạy thêm, học thêm",
        ],
    ),
    (
        "y-te",
        5,
        ["Cấp phép", "Cấp giấy phép", "Thủ tục công nhận", "Đăng ký"],
        [
            "hoạt động khám bệnh, chữa bệnh",
            "hành nghề dược",
            "trạm y tế đạt chuẩn quốc gia",
            "lưu hành trang thiết bị y tế",
            "cơ sở đủ điều kiện tiêm chủng",
        ],
    ),
    (
        "nong-nghiep-moi-truong",
        6,
        ["Cấp phép", "Cấp giấy phép", "Đăng ký", "Thủ tục phê duyệt"],
        [
            "khai thác tài nguyên nước",
            "xả nước thải vào nguồn nước",
            "kế hoạch sử dụng đất cấp xã",
            "thăm dò, khai thác khoáng sản",
            "phương án cải tạo, phục hồi môi trường",
            "biến động đất đai",
        ],
    ),
    (
        "khoa-hoc-cong-nghe",
        3,
        ["Đăng ký", "Thủ tục xét chọn", "Thủ tục công nhận"],
        [
            "nhiệm vụ khoa học và công nghệ cấp tỉnh",
            "kết quả thực hiện nhiệm vụ khoa học",
            "sáng kiến cấp tỉnh",
            "doanh nghiệp khoa học và công nghệ",
        ],
    ),
    (
        "van-hoa-the-thao-du-lich",
        4,
        ["Cấp phép", "Thủ tục công nhận", "Đăng ký", "Thủ tục xếp hạng"],
        [
            "tổ chức lễ hội truyền thống",
            "di tích lịch sử - văn hóa cấp tỉnh",
            "điểm du lịch",
            "biểu diễn nghệ thuật",
            "danh hiệu Gia đình văn hóa",
        ],
    ),
    (
        "cong-thuong",
        3,
        ["Cấp phép", "Cấp giấy phép", "Đăng ký", "Thủ tục xác nhận"],
        ["kinh doanh xăng dầu", "hoạt động điện lực", "thực hiện khuyến mại", "thành lập cụm công nghiệp"],
    ),
    (
        "dan-toc-ton-giao",
        2,
        ["Đăng ký", "Thủ tục công nhận", "Thủ tục chấp thuận"],
        ["sinh hoạt tôn giáo tập trung", "người có uy tín trong đồng bào dân tộc thiểu số", "hoạt động tín ngưỡng"],
    ),
    (
        "lao-dong-xa-hoi",
        3,
        ["Thủ tục xác nhận", "Thủ tục công nhận", "Thủ tục phê duyệt", "Đăng ký"],
        ["người có công với cách mạng", "hộ nghèo, hộ cận nghèo", "kế hoạch giáo dục nghề nghiệp"],
    ),
    (
        "ngoai-vu",
        2,
        ["Thủ tục cho phép", "Thủ tục phê duyệt", "Thủ tục đăng ký"],
        [
            "tổ chức hội nghị, hội thảo quốc tế",
            "đoàn ra nước ngoài",
            "tiếp nhận viện trợ phi chính phủ nước ngoài",
            "ký kết thỏa thuận quốc tế",
        ],
    ),
]
QUALIFIERS = [
    ("", 40),
    (" cấp tỉnh", 10),
    (" cấp xã", 10),
    (" thuộc thẩm quyền của Ủy ban nhân dân tỉnh", 10),
    (" thuộc thẩm quyền của Chủ tịch Ủy ban nhân dân cấp xã", 8),
    (" tại các sở, ban, ngành", 8),
    (" đối với đơn vị sự nghiệp công lập", 6),
    (" trên địa bàn tỉnh", 8),
]
# One procedure in RARE_EVERY (5 of 100,000, 1 of the first 1,000) has a name no other shares.
RARE_EVERY, RARE_OFFSET = 20_000, 500
RARE_NAME = ("nong-nghiep-moi-truong", "Cấp phép khai thác, thu hoạch yến sào trên các đảo")
PERFORMING = ["Sở Nội vụ", "Văn phòng Ủy ban nhân dân tỉnh", "Ủy ban nhân dân cấp xã", "Sở Tài chính"]
RESULTS = ["Quyết định", "Văn bản chấp thuận", "Giấy phép", "Giấy chứng nhận", "Bằng khen"]


def procedure_name(n: int, rng: random.Random) -> tuple[str, str, str]:
    """(field code, name, name of a draft of the next version) of procedure n."""
    if n % RARE_EVERY == RARE_OFFSET:
        code, name = RARE_NAME
        return code, name, f"{name} cấp tỉnh"
    code, _weight, openings, objects = rng.choices(NAME_PARTS, weights=[part[1] for part in NAME_PARTS])[0]
    stem = f"{rng.choice(openings)} {rng.choice(objects)}"
    qualifiers = [q for q, _ in QUALIFIERS]
    weights = [w for _, w in QUALIFIERS]
    return code, stem + rng.choices(qualifiers, weights)[0], stem + rng.choices(qualifiers, weights)[0]


def search_text(name: str, code: str, national_code: str, field_name: str) -> str:
    from tinhgon.core.text import fold_vn

    return fold_vn(f"{name} {code} {national_code} {field_name}")  # as ProcedureVersion.folded_text()


def build_owners():
    """A province with its office, 30 departments and 168 communes: 200 units and their closure links (bulk, as
    bench/run.py builds them). Returns the 199 units that own procedures: office and departments first."""
    from tinhgon.organisations.models import Organisation, OrganisationLink

    kind = Organisation.Kind
    rng = random.Random("owners")
    province = new_unit("BSR", "Ủy ban nhân dân tỉnh Bến Sông", kind.PROVINCE, short_name="UBND tỉnh Bến Sông")
    Organisation.objects.bulk_create([province])
    owners = [
        new_unit("BSR-VP", "Văn phòng Ủy ban nhân dân tỉnh", kind.PROVINCIAL_OFFICE, province),
        *(new_unit(f"BSR-S{i:02d}", _department_name(i), kind.DEPARTMENT, province) for i in range(DEPARTMENT_OWNERS)),
        *(new_unit(f"BSR-X{i:03d}", commune_name(rng), kind.COMMUNE, province) for i in range(COMMUNE_OWNERS)),
    ]
    Organisation.objects.bulk_create(owners, batch_size=500)
    OrganisationLink.objects.bulk_create(closure_links([province, *owners]), batch_size=1000)
    return owners


@dataclass
class Built:
    """What the generator wrote, to check the search against: (folded text, field code) of each published version."""

    published: list[tuple[str, str]] = field(default_factory=list)
    per_owner: dict[int, int] = field(default_factory=dict)  # procedures per owner, for their codes
    versions: int = 0
    seconds: float = 0.0
    entries_seconds: float = 0.0  # SearchEntry.objects.rebuild() after the bulk load


def new_version(procedure, the_field, n: int, number: int, status: str, name: str, since, until=None):
    """An unsaved version of procedure n for bulk_create, with the search_text save() would have written."""
    from tinhgon.procedures.constants import Channel
    from tinhgon.procedures.models import ProcedureVersion

    return ProcedureVersion(
        procedure=procedure,
        number=number,
        status=status,
        name=name,
        group="AB"[n % 2],
        level="commune" if procedure.owner.kind == "commune" else "province",
        field=the_field,
        channels=[c.value for c in Channel][: 1 + n % 3],
        dossier_sets=1,
        processing_time_value=Decimal(5 + n % 26),
        performers="Cơ quan, tổ chức, cá nhân có liên quan",
        authority="Chủ tịch Ủy ban nhân dân tỉnh",
        performing_body=PERFORMING[n % len(PERFORMING)],
        result=RESULTS[n % len(RESULTS)],
        fees="Không",
        effective_from=since,
        effective_to=until,
        search_text=search_text(name, procedure.code, procedure.national_code, the_field.name),
        is_public=status == "published",  # what save() writes: published, and no template here
        row_version=1,
    )


def build_procedures(start: int, stop: int, owners, rng: random.Random, built: Built) -> None:
    """Bulk-create procedures start..stop-1 with their versions: one published version each; every 10th also has
    the amended version 1 it replaced, every 25th a draft of its next version (neither is public)."""
    from tinhgon.procedures.constants import Status
    from tinhgon.procedures.models import Field, Procedure, ProcedureVersion

    began = time.perf_counter()
    fields = {f.code: f for f in Field.objects.all()}
    head = 1 + DEPARTMENT_OWNERS  # the office and the departments own 70 % of the procedures, the communes 30 %
    for chunk in range(start, stop, CHUNK):
        procedures, specs = [], []
        for n in range(chunk, min(stop, chunk + CHUNK)):
            owner = owners[n % head] if n % 10 < 7 else owners[head + rng.randrange(COMMUNE_OWNERS)]
            built.per_owner[owner.pk] = built.per_owner.get(owner.pk, 0) + 1
            code = f"{owner.code}-{built.per_owner[owner.pk]:03d}"  # as Procedure.next_code
            procedures.append(Procedure(code=code, national_code=f"2.{n:06d}" if n % 5 < 2 else "", owner=owner))
            specs.append((n, *procedure_name(n, rng)))
        Procedure.objects.bulk_create(procedures, batch_size=1000)
        versions = []
        for procedure, (n, field_code, name, draft_name) in zip(procedures, specs, strict=True):
            the_field = fields[field_code]
            since = date(2023, 1, 1) + timedelta(days=n % 700)
            number = 1
            if n % 10 == 3:
                until = since - timedelta(days=1)
                versions.append(
                    new_version(procedure, the_field, n, 1, Status.AMENDED, draft_name, date(2021, 1, 1), until)
                )
                number = 2
            published = new_version(procedure, the_field, n, number, Status.PUBLISHED, name, since)
            versions.append(published)
            built.published.append((published.search_text, field_code))
            if n % 25 == 7:
                versions.append(new_version(procedure, the_field, n, number + 1, Status.DRAFT, draft_name, None))
        ProcedureVersion.objects.bulk_create(versions, batch_size=1000)
        built.versions += len(versions)
    built.seconds += time.perf_counter() - began


def rebuild_entries(built: Built) -> None:
    """The search's copies of the public versions, as `manage.py rebuild_search_entries` writes them after a bulk
    load (bulk_create does not call save(), which keeps them one by one)."""
    from tinhgon.procedures.models import SearchEntry
    from tinhgon.procedures.search import forget_trigram_samples

    began = time.perf_counter()
    SearchEntry.objects.rebuild()
    built.entries_seconds = time.perf_counter() - began
    forget_trigram_samples()  # the next search samples the new data (in the warm-up calls)


def vacuum_analyze(vendor: str) -> None:
    """PostgreSQL: what autovacuum does on a live database after a bulk load (statistics, visibility map, and the
    GIN index's pending list merged into the index). SQLite: nothing, as in production (no ANALYZE is ever run)."""
    from django.db import connection

    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


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
    small_queries: int | None  # the same measure on the first SMALL procedures
    samples: list[float]
    sql: list[tuple[str, float]]  # (statement, ms) of the counted call
    budget_ms: float | None

    @property
    def status(self) -> str:
        if self.budget_ms is None:
            return "info"
        return "PASS" if self.p95_ms < self.budget_ms else "FAIL"


COLLECT_BEFORE_EACH_CALL = True


def captured_queries(fn) -> list[tuple[str, float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    # captured_queries slices connection.queries lazily, and the next request resets that log: copy it now.
    return [(q["sql"], float(q["time"]) * 1000) for q in captured.captured_queries]


def measure(name, label, fn, *, repeat, budget, small_queries=None, warmup=3) -> Result:
    """Warm up, count the queries of one call, then time `repeat` calls, each after a gc.collect() (not timed; see
    bench/run.py)."""
    for _ in range(warmup):
        fn()
    queries = captured_queries(fn)
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
        small_queries=small_queries,
        samples=samples,
        sql=queries,
        budget_ms=budget,
    )


def search_call(search: Search):
    """The portal's search (`portal.queries.search_public`, with its field filter): the versions in force matching
    the query, their count, the facets by field and by group, and page 1 with its PER_PAGE rows."""
    from tinhgon.portal.queries import search_public

    def call():
        results = search_public(search.q, field=search.field, page=1)
        return results.mode, results.page.paginator.count, list(results.page)

    return call


def page_call(client, page: Page):
    def call():
        response = client.get(page.path)
        if response.status_code != 200:
            raise RuntimeError(f"{page.path} answered {response.status_code}")
        return response

    return call


def explain(sql: str, vendor: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS)" if vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {sql}")
        rows = cursor.fetchall()
    return "\n".join(" | ".join(str(c) for c in row) for row in rows)


# --------------------------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------------------------


def check_search_text(sample_size=200) -> tuple[bool, str]:
    """The bulk-built search_text is what ProcedureVersion.folded_text() computes, and what save() writes (one
    version saved inside a rolled-back transaction)."""
    from django.db import transaction

    from tinhgon.procedures.models import ProcedureVersion

    ids = list(ProcedureVersion.objects.order_by("pk").values_list("pk", flat=True))
    sample = random.Random("sample").sample(ids, min(sample_size, len(ids)))
    versions = list(ProcedureVersion.objects.select_related("procedure", "field").filter(pk__in=sample))
    wrong = [v.pk for v in versions if v.search_text != v.folded_text()]
    with transaction.atomic():
        version = versions[0]
        bulk_text = version.search_text
        version.save()
        saved_text = ProcedureVersion.objects.values_list("search_text", flat=True).get(pk=version.pk)
        transaction.set_rollback(True)
    ok = not wrong and len(versions) == len(sample) and saved_text == bulk_text
    return (
        ok,
        f"{len(versions)} sampled, {len(wrong)} differ; save() {'same' if saved_text == bulk_text else 'differs'}",
    )


def check_entries(sample_size=200) -> tuple[bool, str]:
    """One search entry per public version, and sampled entries equal to what their versions derive."""
    from django.db.models.functions import Length

    from tinhgon.procedures.models import ProcedureVersion, SearchEntry

    columns = ["search_text", "text_length", "field_id", "group", "level"]
    public = ProcedureVersion.objects.filter(is_public=True).annotate(text_length=Length("search_text"))
    ids = list(public.order_by("pk").values_list("pk", flat=True))
    sample = random.Random("entries").sample(ids, min(sample_size, len(ids)))
    expected = {v[0]: v[1:] for v in public.filter(pk__in=sample).values_list("pk", *columns, "procedure__owner_id")}
    found = {e[0]: e[1:] for e in SearchEntry.objects.filter(pk__in=sample).values_list("pk", *columns, "owner_id")}
    entries = SearchEntry.objects.count()
    return entries == len(ids) and found == expected, f"{entries:,} entries for {len(ids):,} public versions"


def check_sqlite_fts() -> tuple[bool, str]:
    """The FTS5 table indexes every search entry (its insert trigger fires on bulk_create) and agrees with the
    content table (`integrity-check` with rank 1 compares the index with procedures_searchentry)."""
    from django.db import DatabaseError, connection

    from tinhgon.procedures.models import SearchEntry
    from tinhgon.procedures.search import FTS_TABLE

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize")
        indexed = cursor.fetchone()[0]
        try:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")
            consistent = True
        except DatabaseError:
            consistent = False
    rows = SearchEntry.objects.count()
    return (
        indexed == rows and consistent,
        f"{indexed} indexed of {rows}, integrity-check {'ok' if consistent else 'FAILED'}",
    )


def expected_count(built: Built, search: Search) -> int:
    """Published versions whose folded text contains every query word (in the field filtered on), by Python."""
    from tinhgon.procedures.search import query_words

    words = query_words(search.q)
    return sum(
        1
        for text, field_code in built.published
        if (not search.field or field_code == search.field) and all(w in text for w in words)
    )


# --------------------------------------------------------------------------------------------------------------
# Run
# --------------------------------------------------------------------------------------------------------------


def run(args, vendor: str) -> int:
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tinhgon.portal.queries import public_versions
    from tinhgon.procedures.models import Procedure, ProcedureVersion

    load_before = list(os.getloadavg())
    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()

    owners = build_owners()
    rng = random.Random("procedures")
    built = Built()
    small = min(SMALL, args.procedures)
    build_procedures(0, small, owners, rng, built)
    rebuild_entries(built)
    vacuum_analyze(vendor)
    searches = {s.name: search_call(s) for s in SEARCHES}
    pages = {p.name: page_call(client, p) for p in PAGES}
    small_queries = {}
    for name, fn in [*searches.items(), *pages.items()]:
        fn()
        small_queries[name] = len(captured_queries(fn))

    build_procedures(small, args.procedures, owners, rng, built)
    rebuild_entries(built)
    start = time.perf_counter()
    vacuum_analyze(vendor)
    vacuum_s = time.perf_counter() - start

    checks: list[tuple[str, bool, str]] = []

    def check(label, ok, detail=""):
        checks.append((label, bool(ok), detail))

    check("bulk search_text equals folded_text() and save()", *check_search_text())
    check("search entries are the public versions", *check_entries())
    if vendor == "sqlite":
        check("FTS5 table filled by the insert trigger and consistent", *check_sqlite_fts())
    public = public_versions().count()
    check(f"{args.procedures:,} public versions", public == args.procedures, f"{public:,}")

    r = args.repeat
    results = []
    for s in SEARCHES:
        label = f'search "{s.q}"' + (f" field={s.field}" if s.field else "") + f" ({s.label})"
        results.append(
            measure(
                s.name,
                label,
                searches[s.name],
                repeat=r,
                budget=SEARCH_BUDGET_MS,
                small_queries=small_queries[s.name],
            )
        )
    for p in PAGES:
        results.append(
            measure(
                p.name,
                f"GET {p.path}",
                pages[p.name],
                repeat=r,
                budget=PAGE_BUDGET_MS if p.budget else None,
                small_queries=small_queries[p.name],
            )
        )
    by_name = {res.name: res for res in results}

    for s in SEARCHES:
        mode, count, rows = searches[s.name]()
        if s.mode == "exact":
            expected = expected_count(built, s)
            check(
                f'"{s.q}": {expected:,} results, as counted in Python',
                count == expected and mode == s.mode,
                f"{count:,}, {mode}",
            )
        else:
            top = rows[0].search_text if rows else ""
            check(
                f'"{s.q}": fuzzy, the best result contains "khen thuong"',
                mode == s.mode and count > 0 and "khen thuong" in top,
                f"{count:,} results, {mode}, first: {top[:60]}",
            )
    for res in results:
        check(
            f"{res.name}: same query count on {small:,} and {args.procedures:,} procedures",
            res.queries == res.small_queries,
            f"{res.queries} vs {res.small_queries}",
        )
    bodies = {p.name: pages[p.name]().content.decode() for p in PAGES}
    check("typo page says the results are approximate", 'id="fuzzy-notice"' in bodies["page_typo"])
    for name, body in bodies.items():
        items = body.count('<li class="list-group-item">')
        check(f"{name} lists {PER_PAGE_ROWS} procedures", items == PER_PAGE_ROWS, str(items))

    plans = {}
    for s in SEARCHES:
        res = by_name[s.name]
        if args.explain or res.status == "FAIL":
            plans[s.name] = [explain(sql, vendor) for sql, _ms in res.sql]

    passed = all(res.status != "FAIL" for res in results) and all(ok for _, ok, _ in checks)
    report = {
        "database": {"vendor": vendor, "version": _database_version(vendor), "name": connection.settings_dict["NAME"]},
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
            "procedures": Procedure.objects.count(),
            "versions": ProcedureVersion.objects.count(),
            "public_versions": public,
            "owners": len(owners),
            "small_procedures": small,
            "build_seconds": round(built.seconds, 2),
            "entries_rebuild_seconds": round(built.entries_seconds, 2),
            "vacuum_analyze_seconds": round(vacuum_s, 2) if vendor == "postgresql" else None,
        },
        "results": [
            {
                "name": res.name,
                "label": res.label,
                "repeat": res.repeat,
                "p50_ms": round(res.p50_ms, 2),
                "p95_ms": round(res.p95_ms, 2),
                "max_ms": round(res.max_ms, 2),
                "queries": res.queries,
                "queries_small": res.small_queries,
                "budget_p95_ms": res.budget_ms,
                "status": res.status,
                "samples_ms": [round(x, 2) for x in res.samples],
                "sql": [{"ms": round(ms, 2), "sql": sql[:500]} for sql, ms in res.sql],
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


def print_report(report, results, checks, plans) -> None:
    db, data = report["database"], report["data"]
    print(
        f"tinhgon bench_search · {db['vendor']} {db['version']} · {report['machine']['cpus']} CPUs · "
        f"{data['procedures']:,} procedures, {data['versions']:,} versions, {data['public_versions']:,} public "
        f"(built in {data['build_seconds']} s, search entries in {data['entries_rebuild_seconds']} s) · "
        f"load average before {report['machine']['load_average_before'][0]:.2f}"
    )
    load = report["machine"]["load_average_before"][0]
    if load > 0.5 * report["machine"]["cpus"]:
        print(f"warning: load average {load:.2f} before the run: other processes share the CPUs, timings are inflated")
    small = f"@{data['small_procedures']:,}"
    header = (
        f"{'measure':<66} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>7} {small:>7} "
        f"{'budget':>7}  result"
    )
    print(header)
    print("-" * len(header))
    for res in results:
        budget = f"<{res.budget_ms:g}" if res.budget_ms is not None else ""
        print(
            f"{res.label:<66} {res.repeat:>4} {res.p50_ms:>8.2f} {res.p95_ms:>8.2f} {res.max_ms:>8.2f} "
            f"{res.queries:>7} {res.small_queries:>7} {budget:>7}  {res.status}"
        )
    print()
    for label, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}" + (f" ({detail})" if detail else ""))
    for name, statements in plans.items():
        for i, plan in enumerate(statements, 1):
            print(f"\nPlan of {name}, query {i}:\n{plan}")
    print(f"\n{'PASS' if report['passed'] else 'FAIL'} · results in {RESULTS_PATH.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=PROCEDURES, help="published procedures (default 100000)")
    parser.add_argument("--repeat", type=int, default=50, help="timed repetitions per measure (default 50)")
    parser.add_argument("--explain", action="store_true", help="print the query plans of the search measures")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--no-gc-collect", action="store_true", help="no gc.collect() before each timed call")
    args = parser.parse_args()
    global COLLECT_BEFORE_EACH_CALL
    COLLECT_BEFORE_EACH_CALL = not args.no_gc_collect

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
