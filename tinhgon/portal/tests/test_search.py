import unicodedata
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.db.models.functions import Length
from django.test.utils import CaptureQueriesContext

import pytest

from tinhgon.portal.queries import filter_entries, public_entries
from tinhgon.procedures import search
from tinhgon.procedures.models import ProcedureVersion, SearchEntry
from tinhgon.procedures.search import (
    MODE_EXACT,
    MODE_FUZZY,
    TrigramSample,
    highlight,
    query_words,
    repair_sqlite_fts,
    search_plan,
    search_stage,
    trigram_sample,
    trigrams,
)
from tinhgon.procedures.tests.factories import make_procedure

NAMES = {
    "reward": "Thủ tục đề nghị khen thưởng thành tích đột xuất",
    "register": "Thủ tục đăng ký danh hiệu thi đua",
    "medal": "Thủ tục xét tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
    "water": "Thủ tục cấp phép khai thác tài nguyên nước",
}


@pytest.fixture
def catalogue(world, publish_many):
    """Four published procedures; only the first three are in the field "Thi đua - Khen thưởng"."""
    procedures = {}
    for key, name in NAMES.items():
        field_code = "nong-nghiep-moi-truong" if key == "water" else "to-chuc-can-bo"
        (procedures[key],) = publish_many([name], field_code=field_code)
    return procedures


def names(entries):
    """The names of the versions of these search entries, in the entries' order."""
    return [entry.version.name for entry in entries.select_related("version")]


def run(q):
    stage = search_stage(public_entries(), q)
    return names(stage.entries), stage.mode


def test_query_words_are_folded_distinct_and_bounded():
    assert query_words("  Đăng KÝ  đăng ký ") == ["dang", "ky"]
    assert query_words("") == [] and query_words(None) == []
    assert len(query_words(" ".join(f"w{i}" for i in range(50)))) == 12
    assert trigrams(["khen", "ky"]) == ["khe", "hen"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("thu tuc khen thuong", "reward"),
        ("khen thưởng", "reward"),
        ("dang ky", "register"),
        ("DANG KY", "register"),
        ("Đăng ký", "register"),
        ("ĐĂNG KÝ DANH HIỆU", "register"),
        ("xet tang bang khen", "medal"),
        ("tai nguyen nuoc", "water"),
    ],
)
def test_exact_search_ignores_diacritics_case_and_folds_d(catalogue, query, expected):
    found, mode = run(query)
    assert mode == MODE_EXACT
    assert NAMES[expected] in found
    assert NAMES["water" if expected != "water" else "reward"] not in found


def test_decomposed_query_finds_the_same(catalogue):
    assert run(unicodedata.normalize("NFD", "Đăng ký"))[0] == run("dang ky")[0]


def test_procedure_code_is_searchable(catalogue):
    code = catalogue["water"].code
    found, mode = run(code.lower())
    assert mode == MODE_EXACT and found == [NAMES["water"]]


@pytest.mark.parametrize("query", ["khen thuog", "xet tag bang khen", "tai nguyn nuoc"])
def test_small_typos_fall_back_to_approximate_results(catalogue, query):
    found, mode = run(query)
    assert mode == MODE_FUZZY
    expected = {"khen thuog": "reward", "xet tag bang khen": "medal", "tai nguyn nuoc": "water"}[query]
    assert found and found[0] == NAMES[expected]
    if query != "tai nguyn nuoc":
        assert NAMES["water"] not in found


@pytest.mark.parametrize("query", ["xyzzy qwerty", "hoa don dien tu", "%", "_", "%%%", "zz"])
def test_a_query_without_any_match_returns_nothing(catalogue, query):
    found, _mode = run(query)
    assert found == []


@pytest.mark.parametrize(
    "query",
    ['"a" OR * NEAR(', 'khen" OR "', "NEAR(khen thuong, 2)", "khen*", "^khen", "{search_text}: khen", "a'b", "\\"],
)
def test_fts_syntax_in_a_query_is_taken_literally(catalogue, query):
    found, mode = run(query)
    assert mode in (MODE_EXACT, MODE_FUZZY)
    assert NAMES["water"] not in found


def test_empty_query_returns_the_queryset_unchanged(catalogue):
    base = public_entries().order_by("search_text")
    stage = search_stage(base, "   ")
    assert stage.entries is base and stage.mode == MODE_EXACT


def test_the_exact_phrase_ranks_above_shared_words(world, publish_many):
    # Shorter names would come first on length alone: the phrase and word-order tiers must win.
    publish_many(
        [
            "Xét khen bằng tặng",  # every word, out of order
            "Xét, tặng bằng khen",  # every word in order, not as a phrase
            "Thủ tục xét tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",  # the phrase
        ],
        field_code="to-chuc-can-bo",
    )
    found, mode = run("xet tang bang khen")
    assert mode == MODE_EXACT
    assert found == [
        "Thủ tục xét tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "Xét, tặng bằng khen",
        "Xét khen bằng tặng",
    ]


def test_search_only_narrows_the_given_queryset(world, catalogue, hidden):
    found, _ = run("bao mat")
    assert found == ["Thủ tục kiểm tra bảo mật công khai"]
    found, _ = run("bao mt")  # typo path too
    assert found == ["Thủ tục kiểm tra bảo mật công khai"]
    elsewhere = filter_entries(public_entries(), owner="P-B")
    assert names(search_stage(elsewhere, "bao mat").entries) == []
    assert names(search_stage(elsewhere, "bao mt").entries) == []


def entry_rows():
    columns = ["version_id", "search_text", "text_length", "field_id", "group", "level", "owner_id"]
    return set(SearchEntry.objects.values_list(*columns))


def derived_rows():
    """What the entries must be: one per public version, with its text, field, group, level and owner."""
    return set(
        ProcedureVersion.objects.filter(is_public=True)
        .annotate(text_length=Length("search_text"))
        .values_list("pk", "search_text", "text_length", "field_id", "group", "level", "procedure__owner_id")
    )


def test_entries_are_the_versions_in_force(world, catalogue, hidden):
    assert len(entry_rows()) == len(catalogue) + 1  # the four, and the control of `hidden`
    assert entry_rows() == derived_rows()


def test_entries_follow_saves_templates_and_reassignment(world, publish_many):
    (procedure,) = publish_many(["Thủ tục thử đồng bộ chỉ mục"])
    version = procedure.latest_version()
    assert run("dong bo chi muc")[0] == [version.name] and entry_rows() == derived_rows()

    version.name = "Thủ tục đã đổi tên hoàn toàn"
    version.save()
    assert run("dong bo chi muc")[0] == [] and run("doi ten hoan toan")[0] == [version.name]

    procedure.is_template = True  # moved into the template catalogue: leaves the portal
    procedure.save()
    assert run("doi ten hoan toan")[0] == [] and entry_rows() == derived_rows()
    procedure.is_template = False
    procedure.save()
    assert run("doi ten hoan toan")[0] == [version.name]

    procedure.owner = world.units["P-B"]  # as a merger of units does (procedures.receivers)
    procedure.save()
    assert names(filter_entries(public_entries(), owner="P-B")) == [version.name]
    assert entry_rows() == derived_rows()

    SearchEntry.objects.filter(pk=version.pk).update(search_text="ten moi qua update")  # the FTS5 trigger too
    assert search_stage(public_entries(), "qua update").entries.get().pk == version.pk
    SearchEntry.objects.filter(pk=version.pk).delete()
    assert run("qua update")[0] == []


def test_rebuild_writes_the_entries_again_from_the_versions(world, catalogue, hidden):
    expected = derived_rows()
    SearchEntry.objects.all().delete()
    assert run("khen thuong")[0] == []
    assert SearchEntry.objects.rebuild() == len(expected)
    assert entry_rows() == expected
    assert NAMES["reward"] in run("khen thuong")[0]


def test_rebuild_search_entries_command(world, catalogue):
    SearchEntry.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_entries", stdout=out)
    assert "4 " in out.getvalue() and entry_rows() == derived_rows()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite full-text table")
def test_repair_recreates_sqlite_triggers_dropped_by_a_table_rebuild(world, publish_many):
    assert repair_sqlite_fts() is False  # everything in place after migrate
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER procedures_searchentry_fts_ai")
    publish_many(["Thủ tục tạo khi thiếu trigger"])
    assert run("thieu trigger")[0] == []
    assert repair_sqlite_fts() is True  # re-created, then the index rebuilt from the table
    assert run("thieu trigger")[0] == ["Thủ tục tạo khi thiếu trigger"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigram index")
def test_postgresql_trigram_indexes_and_threshold(db):
    with connection.cursor() as cursor:
        for index in ("procversion_search_trgm", "searchentry_trgm"):
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index])
            assert "gin_trgm_ops" in cursor.fetchone()[0]
        cursor.execute("SHOW pg_trgm.word_similarity_threshold")
        assert float(cursor.fetchone()[0]) == 0.6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigram index")
def test_postgresql_search_takes_only_the_rarest_word_to_the_index(world, publish_many):
    publish_many([f"Thủ tục khen thưởng số {n}" for n in range(3)] + ["Thủ tục đăng ký số 9"])
    entries = search_stage(public_entries(), "thu tuc khen").entries
    sql, params = entries.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of test rows would be read sequentially
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "searchentry_trgm" in plan, plan
    (condition,) = [line for line in plan.splitlines() if "Index Cond" in line]
    assert "%khen%" in condition and "%thu%" not in condition and "%tuc%" not in condition, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigram index")
@pytest.mark.parametrize("query", ["khen thuog", "xet tag bang khen", "tai nguyn nuoc", "hoa don dien tu"])
def test_postgresql_typo_stage_finds_the_same_through_the_index_as_row_by_row(catalogue, monkeypatch, query):
    fuzzy = list(search_plan(public_entries(), query))[-1].entries
    row_by_row = names(fuzzy)
    monkeypatch.setattr(search, "PG_FUZZY_SCAN_ROWS", 0)  # as if the rows to search were too many to compare
    through_index = names(list(search_plan(public_entries(), query))[-1].entries)
    assert row_by_row == through_index


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigram index")
@pytest.mark.parametrize(("scan_rows", "uses"), [(10_000, False), (3, True)])
def test_postgresql_typo_stage_compares_each_row_only_when_few_are_searched(catalogue, monkeypatch, scan_rows, uses):
    monkeypatch.setattr(search, "PG_FUZZY_SCAN_ROWS", scan_rows)  # the catalogue has four entries
    sql = str(list(search_plan(public_entries(), "khen thuog"))[-1].entries.query)
    assert ("%>" in sql) is uses and "WORD_SIMILARITY" in sql


# Highlighting --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "q", "expected"),
    [
        (
            "Thủ tục xét tặng Bằng khen của Chủ tịch",
            "xet tang bang khen",
            "Thủ tục <mark>xét tặng Bằng khen</mark> của Chủ tịch",
        ),
        ("Đăng ký danh hiệu", "dang ky", "<mark>Đăng ký</mark> danh hiệu"),
        ("ĐĂNG KÝ", "đăng ký", "<mark>ĐĂNG KÝ</mark>"),
        ("Thủ tục khen thưởng", "KHEN", "Thủ tục <mark>khen</mark> thưởng"),
        ("khen thưởng, khen thưởng", "thuong", "khen <mark>thưởng</mark>, khen <mark>thưởng</mark>"),
        ("Thủ tục đăng ký", "khong co", "Thủ tục đăng ký"),
        ("Thủ tục đăng ký", "", "Thủ tục đăng ký"),
        ("<b>Đăng ký</b> & kiểm tra", "dang ky", "&lt;b&gt;<mark>Đăng ký</mark>&lt;/b&gt; &amp; kiểm tra"),
        ("Thủ tục a b", "a thu", "<mark>Thủ</mark> tục a b"),  # lone letters are not marked in a longer query
    ],
)
def test_highlight_marks_words_ignoring_diacritics(text, q, expected):
    assert str(highlight(text, q)) == expected


def test_highlight_maps_decomposed_text_back_to_nfc():
    nfd = unicodedata.normalize("NFD", "Xét tặng Bằng khen")
    assert str(highlight(nfd, "tang")) == "Xét <mark>tặng</mark> Bằng khen"


def test_highlight_keeps_a_stray_combining_mark_inside_the_match():
    # x + U+0323 (dot below) has no precomposed form, so the mark survives NFC and folds to nothing.
    assert str(highlight("x\u0323\u00e9t duy\u1ec7t", "xet")) == "<mark>x\u0323\u00e9t</mark> duy\u1ec7t"
    assert str(highlight("khe\u0301n thưởng", "khen")) == "<mark>kh\u00e9n</mark> thưởng"


def test_highlight_escapes_an_injected_query():
    assert str(highlight("Thủ tục <script>", "<script>")) == "Thủ tục <mark>&lt;script&gt;</mark>"


# The public flag and the search plan ----------------------------------------------------------------------------


def test_is_public_follows_status_and_the_template_flag(world, publish_many):
    (procedure,) = publish_many(["Thủ tục công khai theo trạng thái"])
    version = procedure.latest_version()
    assert version.is_public and version in ProcedureVersion.objects.published()
    procedure.is_template = True  # moved into the template catalogue: leaves the portal
    procedure.save()
    version.refresh_from_db()
    assert not version.is_public
    procedure.is_template = False
    procedure.save()
    version.refresh_from_db()
    assert version.is_public
    version.status = "abolished"
    version.save()
    assert not version.is_public


def test_the_database_refuses_a_public_version_that_is_not_published(world):
    from django.db import IntegrityError, transaction

    version = make_procedure(world.units["P-A"]).latest_version()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureVersion.objects.filter(pk=version.pk).update(is_public=True)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner, without table statistics")
@pytest.mark.parametrize("field_code", ["", "thi-dua-khen-thuong"])
def test_sqlite_search_starts_from_the_full_text_candidates(catalogue, field_code):
    """The portal's search must walk the FTS5 rowids and look each entry up by key, not scan the entries (see the
    docstring of procedures.search)."""
    entries = search_stage(filter_entries(public_entries(), field=field_code, owner="P"), "khen thuong").entries
    sql, params = entries.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[3] for row in cursor.fetchall()]
    assert plan[0].startswith("SCAN procedures_searchentry_fts VIRTUAL TABLE"), plan
    entry_access = [step for step in plan if "procedures_searchentry " in f"{step} "]
    assert entry_access and all("INTEGER PRIMARY KEY (rowid=?)" in step for step in entry_access), plan


# How common each trigram is -------------------------------------------------------------------------------------


def test_trigram_sample_counts_the_entries_containing_each_trigram():
    sample = TrigramSample(["thu tuc khen thuong", "thu tuc dang ky", "khen khen"])
    assert sample.count("thu") == 2 and sample.count("khe") == 2 and sample.count("dan") == 1
    assert sample.count("xyz") == 0
    assert sample.rarity("thuong") == 1  # "huo" occurs in one text only
    assert sample.rarity("khen") == 2


def test_trigram_sample_is_taken_once_per_process_and_period(catalogue):
    with CaptureQueriesContext(connection) as first:
        sample = trigram_sample()
    with CaptureQueriesContext(connection) as second:
        assert trigram_sample() is sample
    assert len(first) == 2 and len(second) == 0
    assert sample.count("khe") == 2  # two of the four names contain "khen"


def test_the_rarest_word_drives_the_search(world, publish_many):
    publish_many([f"Thủ tục khen thưởng số {n}" for n in range(3)] + ["Thủ tục đăng ký số 9"])
    exact = next(search_plan(public_entries(), "thu tuc khen")).entries
    where = str(exact.query).split(" WHERE ")[1]
    if connection.vendor == "sqlite":  # one FTS5 match, the other words tested with LIKE
        assert where.count(" MATCH ") == 1 and 'MATCH "khen"' in where.replace("'", ""), where
    else:  # one LIKE for the index, the other words with strpos()
        assert where.count(" LIKE ") == 1 and "LIKE %khen%" in where and where.count("STRPOS") == 2, where


def test_trigram_sample_corrects_words_it_does_not_know():
    sample = TrigramSample(["thu tuc khen thuong", "thu tuc khen thuong dot xuat", "thu tuc dang ky", "cap phep"])
    assert sample.corrected(["khen", "thuog"]) == ["khen", "thuong"]
    assert sample.corrected(["khen", "thuong"]) is None  # nothing to correct
    assert sample.corrected(["hen", "ky"]) is None  # contained in known words: "khen", "ky"
    assert sample.corrected(["xyzzy"]) is None  # nothing similar enough
    assert sample.corrected(["dang", "kyy"]) == ["dang", "ky"]
    assert sample.corrected(["khen", "thuog", "qwrtzx"]) is None  # one word without a correction: no stage 2


def test_a_typo_is_corrected_and_searched_exactly(catalogue):
    stages = search_plan(public_entries(), "khen thuog")
    assert next(stages).mode == MODE_EXACT
    corrected = next(stages)
    assert corrected.mode == MODE_FUZZY and corrected.corrected == "khen thuong" and not corrected.final
    assert names(corrected.entries) == run("khen thuong")[0] == [NAMES["reward"]]
    assert run("khen thuog") == ([NAMES["reward"]], MODE_FUZZY)


def test_words_that_exist_but_never_together_go_to_the_typo_stage(catalogue):
    stages = list(search_plan(public_entries(), "khen nuoc"))
    assert [stage.corrected for stage in stages] == ["", ""] and stages[-1].final
