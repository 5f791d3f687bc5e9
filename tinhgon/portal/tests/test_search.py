import unicodedata

from django.db import connection

import pytest

from tinhgon.procedures.models import ProcedureVersion
from tinhgon.procedures.search import (
    MODE_EXACT,
    MODE_FUZZY,
    highlight,
    query_words,
    repair_sqlite_fts,
    search_versions,
    trigrams,
)
from tinhgon.procedures.tests.factories import complete_components, make_procedure

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


def names(queryset):
    return [v.name for v in queryset]


def run(q):
    versions, mode = search_versions(ProcedureVersion.objects.published(), q)
    return names(versions), mode


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
    base = ProcedureVersion.objects.published().order_by("name")
    versions, mode = search_versions(base, "   ")
    assert versions is base and mode == MODE_EXACT


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
    everything, _ = search_versions(ProcedureVersion.objects.all(), "bao mat")
    assert len(names(everything)) > 1


def test_index_follows_saves_updates_and_deletes(world):
    """SQLite: the FTS5 triggers; PostgreSQL: the column itself. Bulk paths must set search_text explicitly."""
    procedure = make_procedure(world.units["P-A"], components=complete_components("Thủ tục thử đồng bộ chỉ mục"))
    version = procedure.latest_version()
    everything = ProcedureVersion.objects.all()
    assert names(search_versions(everything, "dong bo chi muc")[0]) == [version.name]

    version.name = "Thủ tục đã đổi tên hoàn toàn"
    version.save()
    assert names(search_versions(everything, "dong bo chi muc")[0]) == []
    assert names(search_versions(everything, "doi ten hoan toan")[0]) == [version.name]

    ProcedureVersion.objects.filter(pk=version.pk).update(search_text="ten moi qua update")
    assert search_versions(everything, "qua update")[0].get().pk == version.pk

    procedure.delete()
    assert names(search_versions(everything, "qua update")[0]) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite full-text table")
def test_repair_recreates_sqlite_triggers_dropped_by_a_table_rebuild(world):
    assert repair_sqlite_fts() is False  # everything in place after migrate
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER procedures_procedureversion_fts_ai")
    make_procedure(world.units["P-A"], components=complete_components("Thủ tục tạo khi thiếu trigger"))
    assert names(search_versions(ProcedureVersion.objects.all(), "thieu trigger")[0]) == []
    assert repair_sqlite_fts() is True  # re-created, then the index rebuilt from the table
    assert names(search_versions(ProcedureVersion.objects.all(), "thieu trigger")[0]) == [
        "Thủ tục tạo khi thiếu trigger"
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigram index")
def test_postgresql_trigram_index_and_threshold(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'procversion_search_trgm'")
        assert "gin_trgm_ops" in cursor.fetchone()[0]
        cursor.execute("SHOW pg_trgm.word_similarity_threshold")
        assert float(cursor.fetchone()[0]) == 0.6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigram index")
def test_postgresql_portal_search_uses_the_index_of_public_versions(catalogue):
    versions, _ = search_versions(ProcedureVersion.objects.published(), "khen thuong")
    sql, params = versions.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of test rows would be read sequentially
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "procversion_public_search_trgm" in plan, plan


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
    """The portal's search must look the FTS5 rowids up, not walk an index of the whole registry (a status index
    would be one: see the docstring of procedures.search)."""
    from tinhgon.portal.queries import filter_versions, public_versions

    versions, _ = search_versions(filter_versions(public_versions(), field=field_code, owner="P"), "khen thuong")
    sql, params = versions.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[3] for row in cursor.fetchall()]
    version_access = [step for step in plan if "procedures_procedureversion " in f"{step} " and "fts" not in step]
    assert version_access and all("rowid=?" in step for step in version_access), plan
    assert any("procedures_procedureversion_fts VIRTUAL TABLE" in step for step in plan), plan
