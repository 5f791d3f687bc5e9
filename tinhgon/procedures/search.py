"""Vietnamese search over procedure versions: diacritic- and case-insensitive, forgiving small typos.

`ProcedureVersion.search_text` holds the folded name, codes and field (`fold_vn`, filled by `save()`; bulk paths
must set it themselves). The query is folded the same way, so `dang ky` finds "Đăng ký" (đ → d).

Two stages, the same on both databases:

1. **exact**: every folded query word is contained in `search_text` (AND). PostgreSQL runs `LIKE '%word%'`
   through the GIN `gin_trgm_ops` index of migration 0003. SQLite finds the candidates through the FTS5 `trigram`
   table of the same migration (substring semantics, like LIKE) with the *rarest* word of 3+ characters only, and
   checks the other words with LIKE on the candidate rows: an FTS5 AND over common words ("thu", "tuc") costs more
   than the LIKEs on the rows it would save (rarity read from the fts5vocab table, see below). Words shorter than
   3 characters always use LIKE.
   Ranked by cheap SQL: the whole query as a phrase first, then the words in query order, then the shorter text
   (a proxy for `similarity()` when every word is contained), then the older procedure (the primary key; not the
   name: sorting 13,000 names by the database collation cost PostgreSQL 8 ms, for ties between texts of the
   same length that no reader would expect in any particular order). pg_trgm's `word_similarity()` orders the same way
   on these rows but costs ~11 µs a row (1.1 s for a query matching 100,000 rows), the LIKE tiers ~0.2 µs.
2. **fuzzy** (only when stage 1 finds nothing): typo-tolerant trigram matching.
   - PostgreSQL: `search_text %> query` (`trigram_word_similar`, index-assisted; `pg_trgm.word_similarity_threshold`
     stays at its default 0.6) ordered by `TrigramWordSimilarity`. Every candidate costs a `word_similarity()`
     recheck, so the candidates are bounded to the first PG_FUZZY_CANDIDATES qualifying rows.
   - SQLite: the query's trigrams; a row qualifies when it contains at least FUZZY_MIN_OVERLAP of them. Candidates
     come from the FTS5 table OR-matching only the rarest (n - need + 1) trigrams (prefix filtering: a row sharing
     `need` of the n trigrams must contain one of them); the shared trigrams are counted in SQL.

SQLite reads the document count of every query trigram from the fts5vocab table once per search (one query), for
both stages. Its candidates then drive the query: the FTS5 rowids are looked up one by one and the filters of the
given queryset are tested on the row found. That holds while those filters offer SQLite's planner (which has no
table statistics here: SQLite never runs ANALYZE) no index it would rather start from: an equality on `status`
would be one, and it would look every published version up to test it against the FTS5 list (bench/README.md,
section Search: 29 ms instead of 6 ms for a rare word on 100,000 procedures). Hence the public portal filters on
`is_public`, which has no index; a field filter is fine (SQLite combines its index with the rowid list).
`portal/tests/test_search.py` checks the plan of the portal's queries.

The caller gets the mode back so the page can say the results are approximate.
"""

import math
import unicodedata
from collections.abc import Callable

from django.db import connections
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tinhgon.core.text import fold_vn

MODE_EXACT = "exact"
MODE_FUZZY = "fuzzy"

MAX_QUERY_CHARS = 200  # a pasted page must not turn into a huge SQL statement
MAX_WORDS = 12
FUZZY_MIN_OVERLAP = 0.6  # share of the query's trigrams a row must contain (SQLite); PostgreSQL's threshold is 0.6 too
PG_FUZZY_CANDIDATES = 200

TABLE = "procedures_procedureversion"
FTS_TABLE = f"{TABLE}_fts"
FTS_VOCAB = f"{TABLE}_fts_vocab"
PG_TRGM_INDEX = "procversion_search_trgm"

# The SQLite full-text objects (also created, as a frozen copy, by migration 0003). `repair_sqlite_fts` re-creates
# them after a migration that rebuilt the table: SQLite's ALTER TABLE emulation drops and re-creates
# procedures_procedureversion, and its triggers with it.
SQLITE_FTS_TRIGGERS = {
    f"{FTS_TABLE}_ai": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    f"{FTS_TABLE}_ad": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END"
    ),
    f"{FTS_TABLE}_au": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF search_text ON {TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}
SQLITE_FTS_CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text, content='{TABLE}', "
    "content_rowid='id', tokenize='trigram')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_VOCAB} USING fts5vocab({FTS_TABLE}, 'row')",
    *SQLITE_FTS_TRIGGERS.values(),
]
SQLITE_FTS_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"
FTS_MATCH_SQL = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"


def query_words(q: str | None) -> list[str]:
    """The folded, distinct words of a query, in order, bounded in number and length."""
    words = []
    for word in fold_vn((q or "")[:MAX_QUERY_CHARS]).split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def search_versions(queryset: QuerySet, q: str | None) -> tuple[QuerySet, str]:
    """Filter and rank `queryset` (ProcedureVersion) by the user query `q`.

    Returns the queryset and the mode: MODE_EXACT when every word was found (or `q` is empty: the queryset comes
    back unchanged), MODE_FUZZY for the typo-tolerant fallback (possibly empty). Runs one query (an EXISTS) to
    choose the stage, plus one on SQLite (the trigram frequencies, when a word has 3+ characters); the result
    itself stays lazy. Its ordering is by names (rank, length, pk), as `core.queries.summarise` needs.
    A caller that reads the exact stage anyway can save the EXISTS with `search_stages`.
    """
    exact, fuzzy = search_stages(queryset, q)
    if fuzzy is None or exact.exists():
        return exact, MODE_EXACT
    return fuzzy(), MODE_FUZZY


def search_stages(queryset: QuerySet, q: str | None) -> tuple[QuerySet, Callable[[], QuerySet] | None]:
    """The exact stage of the search, ranked and lazy, and a function building the fuzzy stage, for when the exact
    one turns out empty (None when `q` has no word: the exact stage is then `queryset` itself). Runs the trigram
    frequency query on SQLite, nothing on PostgreSQL."""
    words = query_words(q)
    if not words:
        return queryset, None
    connection = connections[queryset.db]
    if connection.vendor == "sqlite":
        frequency = _trigram_frequencies(trigrams(words), connection)
        exact = _exact_sqlite(queryset, words, frequency)
        return _ranked(exact, words), lambda: _fuzzy_sqlite(queryset, words, frequency)
    exact = _contains_all(queryset, words)  # PostgreSQL: LIKE '%word%' on the GIN index
    if connection.vendor == "postgresql":
        return _ranked(exact, words), lambda: _fuzzy_postgresql(queryset, words)
    return _ranked(exact, words), queryset.none


def fts_string(token: str) -> str:
    """An FTS5 string literal: double quotes doubled, so nothing in a query is read as FTS5 syntax."""
    return '"' + token.replace('"', '""') + '"'


def _contains_all(queryset, words):
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def _trigram_frequencies(grams: list[str], connection) -> dict[str, int]:
    """Number of indexed rows containing each trigram (absent: 0), from the fts5vocab table: one query."""
    if not grams:
        return {}
    placeholders = ", ".join(["%s"] * len(grams))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, doc FROM {FTS_VOCAB} WHERE term IN ({placeholders})", grams)
        return dict(cursor.fetchall())


def _word_rarity(word: str, frequency: dict[str, int]) -> int:
    """At most this many rows contain `word` (3+ characters): the count of its rarest trigram."""
    return min(frequency.get(g, 0) for g in trigrams([word]))


def _exact_sqlite(queryset, words, frequency):
    # The trigram tokenizer matches substrings of 3+ characters; shorter words are checked with LIKE.
    long_words = [w for w in words if len(w) >= 3]
    if not long_words:
        return _contains_all(queryset, words)
    driver = min(long_words, key=lambda w: (_word_rarity(w, frequency), -len(w)))
    others = [Q(search_text__contains=w) for w in words if w != driver]
    return _fts_candidates(queryset, fts_string(driver), *others)


def _fts_candidates(queryset, match: str, *conditions):
    """The rows of `queryset` whose FTS5 entry matches `match` and that meet `conditions` (see the module docstring
    for the plan this is meant to get)."""
    return queryset.filter(Q(pk__in=RawSQL(FTS_MATCH_SQL, [match])), *conditions)


class Like(Func):
    """`expression LIKE pattern ESCAPE '\\'` as a boolean, for ranking (the pattern is escaped by `like_escape`)."""

    template = "(%(expressions)s ESCAPE '\\')"
    arg_joiner = " LIKE "
    output_field = BooleanField()


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _ranked(queryset, words):
    if len(words) > 1:
        rank = Case(
            When(search_text__contains=" ".join(words), then=Value(2)),
            When(Like(F("search_text"), Value("%" + "%".join(map(like_escape, words)) + "%")), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    else:
        rank = Value(0, output_field=IntegerField())
    return queryset.annotate(search_rank=rank, search_length=Length("search_text")).order_by(
        "-search_rank", "search_length", "pk"
    )


def _fuzzy_postgresql(queryset, words):
    from django.contrib.postgres.search import TrigramWordSimilarity

    query = " ".join(words)
    # ORDER BY cleared: the LIMIT must stop the scan early, not sort every candidate first.
    candidates = queryset.filter(search_text__trigram_word_similar=query).order_by().values("pk")
    return (
        queryset.filter(pk__in=candidates[:PG_FUZZY_CANDIDATES])
        .annotate(search_score=TrigramWordSimilarity(query, "search_text"), search_length=Length("search_text"))
        .order_by("-search_score", "search_length", "pk")
    )


def trigrams(words: list[str]) -> list[str]:
    """The distinct 3-character substrings of the words, in order (what the FTS5 trigram tokenizer indexes)."""
    found = []
    for word in words:
        for i in range(len(word) - 2):
            if word[i : i + 3] not in found:
                found.append(word[i : i + 3])
    return found


def _fuzzy_sqlite(queryset, words, frequency):
    grams = trigrams(words)
    if not grams:
        return queryset.none()
    need = math.ceil(FUZZY_MIN_OVERLAP * len(grams))
    rarest = sorted(grams, key=lambda g: frequency.get(g, 0))[: len(grams) - need + 1]
    present = [g for g in rarest if frequency.get(g)]
    if not present:
        return queryset.none()
    shared = sum(
        (Case(When(search_text__contains=g, then=Value(1)), default=Value(0)) for g in grams),
        start=Value(0),
    )
    return (
        _fts_candidates(queryset, " OR ".join(map(fts_string, present)))
        .annotate(search_score=shared, search_length=Length("search_text"))
        .filter(search_score__gte=need)
        .order_by("-search_score", "search_length", "pk")
    )


def repair_sqlite_fts(using: str = "default", **kwargs) -> bool:
    """Re-create the SQLite full-text table, vocabulary and triggers when one is missing (a migration that rebuilt
    procedures_procedureversion drops its triggers), then rebuild the index. True when something was repaired.
    Connected to post_migrate; a no-op on other databases and before migration 0003."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name IN (%s, %s)", [TABLE, f"{FTS_TABLE}_ai"])
        existing = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT 1 FROM django_migrations WHERE app = 'procedures' AND name LIKE %s", ["%_search_indexes"]
        )
        migrated = cursor.fetchone() is not None
    if TABLE not in existing or not migrated:
        return False
    wanted = {FTS_TABLE, FTS_VOCAB, *SQLITE_FTS_TRIGGERS}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name FROM sqlite_master WHERE name IN ({', '.join(['%s'] * len(wanted))})", list(wanted)
        )
        if {row[0] for row in cursor.fetchall()} == wanted:
            return False
        for sql in SQLITE_FTS_CREATE:
            cursor.execute(sql)
        cursor.execute(SQLITE_FTS_REBUILD)
    return True


# Highlighting ----------------------------------------------------------------------------------------------------


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def highlight(text: str | None, q: str | None) -> SafeString:
    """`text`, HTML-escaped, with the query words wrapped in <mark>, ignoring diacritics and case: `xet tang` marks
    "xét tặng". Matches are found in the folded text and mapped back to the original characters (text is NFC-
    normalised first, so each character folds to one character or, for a stray combining mark, to nothing). Marks
    separated only by spaces are merged: "<mark>xét tặng Bằng khen</mark>"."""
    text = unicodedata.normalize("NFC", text or "")
    words = query_words(q)
    if len(words) > 1:
        words = [w for w in words if len(w) > 1]  # a lone letter would mark half the text
    if not text or not words:
        return escape(text)
    folded, origin = [], []  # origin[i]: index in `text` of folded character i
    for index, char in enumerate(text):
        for f in _fold_char(char):
            folded.append(f)
            origin.append(index)
    folded = "".join(folded)

    spans = []
    for word in words:
        start = folded.find(word)
        while start != -1:
            end = origin[start + len(word) - 1] + 1
            while end < len(text) and not _fold_char(text[end]):  # keep trailing combining marks inside
                end += 1
            spans.append((origin[start], end))
            start = folded.find(word, start + 1)
    if not spans:
        return escape(text)

    merged = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    out, position = [], 0
    for start, end in merged:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above
