"""Vietnamese search over the public versions: diacritic- and case-insensitive, forgiving small typos.

The search reads `SearchEntry` (procedures/models.py), the narrow copy of each version in force: folded text
(`ProcedureVersion.folded_text()`: name, codes and field, no diacritics, lower case), field, group, level and owner.
The query is folded the same way, so `dang ky` finds "Đăng ký" (đ → d).

Three stages (`search_plan`), the same on both databases, each read only when the one before found nothing:

1. **exact**: every folded query word is contained in `search_text` (AND, substring semantics). One word, the
   *rarest* of 3+ characters, finds the candidates through the full-text index; the others are tested on the
   candidate rows. An index AND over common words ("thu", "tuc") costs more than the tests on the rows it would
   save (bench/README.md, Search: PostgreSQL 34 instead of 44 ms). Rarity comes from `trigram_sample()`.
   - PostgreSQL: `LIKE '%word%'` through the trigram GIN index of migration 0006; the other words with
     `strpos()`, which the planner cannot take to the index (and is cheaper than LIKE there).
   - SQLite: the FTS5 `trigram` table of the same migration, joined on rowid (`fts__text__match`, core/fts.py); the
     other words with LIKE (cheaper than `instr()` there).
   Words shorter than 3 characters are always tested on the rows.
   Ranked by cheap SQL: the whole query as a phrase first, then the words in query order, then the shorter text
   (`text_length`, stored: a proxy for `similarity()` when every word is contained), then the older procedure
   (the primary key; not the name: sorting 13,000 names by the database collation cost PostgreSQL 8 ms, for ties
   between texts of the same length that no reader would expect in any particular order). pg_trgm's
   `word_similarity()` orders the same way on these rows but costs ~11 µs a row (1.1 s for a query matching
   100,000 rows), the LIKE tiers ~0.2 µs.
2. **corrected**: when a word of 3+ characters occurs in no word of the trigram sample, it is replaced by the most
   similar sampled word (pg_trgm's `similarity()` of the padded trigrams, at least 0.3) and the exact stage runs
   again: `khen thuog` searches `khen thuong`, and gets all of its results, counted, at the price of an exact
   search. The page says which words it searched.
3. **fuzzy**: typo-tolerant trigram matching, for what the sample cannot correct (a rare word, or words that
   exist but never together).
   - PostgreSQL: `search_text %> query` (`trigram_word_similar`, index-assisted; `pg_trgm.word_similarity_threshold`
     stays at its default 0.6) ordered by `TrigramWordSimilarity`. Every candidate costs a `word_similarity()`
     recheck, so the candidates are bounded to the first PG_FUZZY_CANDIDATES qualifying rows. A query of common
     trigrams has the index hand over thousands of rows whatever the caller's filters ("khen thuong" in one field
     of 18: 10,000 rechecked, none kept, 0.4 s), so when the filters leave at most PG_FUZZY_SCAN_ROWS rows (counted
     first) each of them is compared instead (`word_similarity() >=` the same threshold: 4,600 rows in 0.07 s).
   - SQLite: the query's trigrams; a row qualifies when it contains at least FUZZY_MIN_OVERLAP of them. Candidates
     come from the FTS5 table OR-matching only the rarest (n - need + 1) trigrams (prefix filtering: a row sharing
     `need` of the n trigrams must contain one of them); the shared trigrams are counted in SQL.

On SQLite the FTS5 rowids drive the query: each is looked up by primary key and the caller's filters (owner,
field, group, level) are tested on the row found. That holds because SearchEntry has no other index for SQLite's
planner (which has no table statistics here: SQLite never runs ANALYZE) to start from instead.
`portal/tests/test_search.py` checks the plan of the portal's queries.

The caller gets the mode back (exact, or fuzzy for stages 2 and 3) so the page can say the results are
approximate.
"""

import math
import random
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connections
from django.db.models import BooleanField, Case, F, Func, IntegerField, Max, Min, Q, QuerySet, Value, When
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tinhgon.core.text import fold_vn

MODE_EXACT = "exact"
MODE_FUZZY = "fuzzy"

MAX_QUERY_CHARS = 200  # a pasted page must not turn into a huge SQL statement
MAX_WORDS = 12
FUZZY_MIN_OVERLAP = 0.6  # share of the query's trigrams a row must contain (SQLite); PostgreSQL's threshold is 0.6 too
PG_FUZZY_CANDIDATES = 200
PG_FUZZY_SCAN_ROWS = 10_000  # at most this many rows to search: compare each, not through the trigram index
PG_WORD_SIMILARITY_THRESHOLD = 0.6  # pg_trgm.word_similarity_threshold's default, which %> uses
SAMPLE_SIZE = 900  # entries read to estimate how common each trigram is (below SQLite's old 999-parameter limit)
SAMPLE_SECONDS = 600  # how long a process keeps its sample
CORRECTION_MIN_SIMILARITY = 0.3  # pg_trgm's default similarity_threshold

TABLE = "procedures_searchentry"
FTS_TABLE = f"{TABLE}_fts"

# The SQLite full-text objects (also created, as a frozen copy, by migration 0006). `repair_sqlite_fts` re-creates
# them after a migration that rebuilt the table: SQLite's ALTER TABLE emulation drops and re-creates
# procedures_searchentry, and its triggers with it.
SQLITE_FTS_TRIGGERS = {
    f"{FTS_TABLE}_ai": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.version_id, new.search_text); END"
    ),
    f"{FTS_TABLE}_ad": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
        "VALUES ('delete', old.version_id, old.search_text); END"
    ),
    f"{FTS_TABLE}_au": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF search_text ON {TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.version_id, old.search_text); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.version_id, new.search_text); END"
    ),
}
SQLITE_FTS_CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text, content='{TABLE}', "
    "content_rowid='version_id', tokenize='trigram')",
    *SQLITE_FTS_TRIGGERS.values(),
]
SQLITE_FTS_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"


def query_words(q: str | None) -> list[str]:
    """The folded, distinct words of a query, in order, bounded in number and length."""
    words = []
    for word in fold_vn((q or "")[:MAX_QUERY_CHARS]).split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


@dataclass(frozen=True)
class Stage:
    """One way of answering a query: its ranked, lazy entries and what the page should say about them."""

    entries: QuerySet
    mode: str  # MODE_EXACT, or MODE_FUZZY for every approximate stage
    final: bool  # the last stage: its answer stands, even if empty
    corrected: str = ""  # the folded query actually searched, when its unknown words were corrected


def search_plan(queryset: QuerySet, q: str | None) -> Iterator[Stage]:
    """The stages of a search over `queryset` (SearchEntry), to read in order until one finds something:

    1. exact: every word of `q` (the queryset itself, final, when `q` has no word);
    2. corrected (when some word occurs in no sampled entry and the sample knows a similar word, see
       `TrigramSample.corrected`): the exact search for the corrected query: `khen thuog` → `khen thuong`, with
       every result of that query, counted exactly, for the price of an exact search;
    3. typo-tolerant: the trigram matching of the module docstring.

    Each stage is built only when the caller asks for it. Queries nothing itself, except the trigram sample when
    the process has none (two queries) and, on PostgreSQL, the number of rows to search when it builds the last
    stage."""
    words = query_words(q)
    if not words:
        yield Stage(queryset, MODE_EXACT, final=True)
        return
    yield Stage(_exact_stage(queryset, words), MODE_EXACT, final=False)
    vendor = connections[queryset.db].vendor
    corrected = trigram_sample(queryset.db).corrected(words) if vendor in ("sqlite", "postgresql") else None
    if corrected:
        yield Stage(_exact_stage(queryset, corrected), MODE_FUZZY, final=False, corrected=" ".join(corrected))
    if vendor == "sqlite":
        yield Stage(_fuzzy_sqlite(queryset, words, trigram_sample(queryset.db)), MODE_FUZZY, final=True)
    elif vendor == "postgresql":
        yield Stage(_fuzzy_postgresql(queryset, words), MODE_FUZZY, final=True)
    else:
        yield Stage(queryset.none(), MODE_FUZZY, final=True)


def search_stage(queryset: QuerySet, q: str | None) -> Stage:
    """The first stage of `search_plan` that finds something (one EXISTS query per stage tried), or the last one.
    Its entries stay lazy, ordered by names (rank, length, pk) as `core.queries.summarise` needs. A caller that
    reads each stage anyway (the portal: count and page in one query) can iterate `search_plan` itself and save
    the EXISTS."""
    for stage in search_plan(queryset, q):
        if stage.final or stage.entries.exists():
            return stage
    raise AssertionError("search_plan always ends with a final stage")  # pragma: no cover


def _exact_stage(queryset, words):
    vendor = connections[queryset.db].vendor
    if vendor == "sqlite":
        return _ranked(_exact(queryset, words, trigram_sample(queryset.db), _fts_match, _like), words, _like)
    if vendor == "postgresql":
        return _ranked(_exact(queryset, words, trigram_sample(queryset.db), _like, _strpos), words, _strpos)
    return _ranked(queryset.filter(*map(_like, words)), words, _like)


def fts_string(token: str) -> str:
    """An FTS5 string literal: double quotes doubled, so nothing in a query is read as FTS5 syntax."""
    return '"' + token.replace('"', '""') + '"'


def _like(word):  # search_text LIKE '%word%': the trigram index's operator on PostgreSQL
    return Q(search_text__contains=word)


def _strpos(word):  # strpos(search_text, word) > 0: the same test, which PostgreSQL never takes to the index
    return GreaterThan(StrIndex("search_text", Value(word)), 0)


def _fts_match(word):  # SQLite: the FTS5 table joined on rowid (core/fts.py)
    return Q(fts__text__match=fts_string(word))


def _exact(queryset, words, sample, indexed, tested):
    """Every word contained: the rarest word of 3+ characters through the index (`indexed`), the others tested on
    the candidate rows (`tested`)."""
    long_words = [w for w in words if len(w) >= 3]
    if not long_words:
        return queryset.filter(*map(tested, words))
    driver = min(long_words, key=lambda w: (sample.rarity(w), -len(w)))
    return queryset.filter(indexed(driver), *(tested(w) for w in words if w != driver))


class Like(Func):
    """`expression LIKE pattern ESCAPE '\\'` as a boolean, for ranking (the pattern is escaped by `like_escape`)."""

    template = "(%(expressions)s ESCAPE '\\')"
    arg_joiner = " LIKE "
    output_field = BooleanField()


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _ranked(queryset, words, contains):
    """Ordered by the rank tiers of the module docstring; `contains` tests the phrase (the cheaper test of the
    database: LIKE on SQLite, strpos() on PostgreSQL)."""
    if len(words) > 1:
        rank = Case(
            When(contains(" ".join(words)), then=Value(2)),
            When(Like(F("search_text"), Value("%" + "%".join(map(like_escape, words)) + "%")), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    else:
        rank = Value(0, output_field=IntegerField())
    return queryset.annotate(search_rank=rank).order_by("-search_rank", "text_length", "pk")


def _fuzzy_postgresql(queryset, words):
    from django.contrib.postgres.search import TrigramWordSimilarity

    query = " ".join(words)
    if queryset.order_by().count() <= PG_FUZZY_SCAN_ROWS:  # a function, not %>: no index offered to the planner
        similar = GreaterThanOrEqual(TrigramWordSimilarity(query, "search_text"), PG_WORD_SIMILARITY_THRESHOLD)
    else:
        similar = Q(search_text__trigram_word_similar=query)
    # ORDER BY cleared: the LIMIT must stop the scan early, not sort every candidate first.
    candidates = queryset.filter(similar).order_by().values("pk")
    return (
        queryset.filter(pk__in=candidates[:PG_FUZZY_CANDIDATES])
        .annotate(search_score=TrigramWordSimilarity(query, "search_text"))
        .order_by("-search_score", "text_length", "pk")
    )


def trigrams(words: list[str]) -> list[str]:
    """The distinct 3-character substrings of the words, in order (what the FTS5 trigram tokenizer indexes)."""
    found = []
    for word in words:
        for i in range(len(word) - 2):
            if word[i : i + 3] not in found:
                found.append(word[i : i + 3])
    return found


def _fuzzy_sqlite(queryset, words, sample):
    grams = trigrams(words)
    if not grams:
        return queryset.none()
    need = math.ceil(FUZZY_MIN_OVERLAP * len(grams))
    rarest = sorted(grams, key=sample.count)[: len(grams) - need + 1]
    shared = sum(
        (Case(When(search_text__contains=g, then=Value(1)), default=Value(0)) for g in grams),
        start=Value(0),
    )
    return (
        queryset.filter(fts__text__match=" OR ".join(map(fts_string, rarest)))
        .annotate(search_score=shared)
        .filter(search_score__gte=need)
        .order_by("-search_score", "text_length", "pk")
    )


# How common each trigram is ----------------------------------------------------------------------------------------


class TrigramSample:
    """In how many of SAMPLE_SIZE entries (spread over the primary keys) each trigram occurs: an estimate, good
    enough to tell "khen" (13 % of the registry) from "thu" (60 %), which is all the search asks of it. A wrong
    estimate only makes a search slower, never its results different."""

    def __init__(self, texts):
        texts = list(texts)
        self.counts = Counter(gram for text in texts for gram in set(trigrams(text.split())))
        self.words = Counter(word for text in texts for word in set(text.split()))  # sampled entries per word
        self._vocabulary = " ".join(self.words)  # one string to test "some sampled word contains w" in one `in`
        self._by_gram: dict[str, set[str]] = {}  # padded trigram -> sampled words having it
        for word in self.words:
            for gram in padded_trigrams(word):
                self._by_gram.setdefault(gram, set()).add(word)

    def count(self, gram: str) -> int:
        return self.counts.get(gram, 0)

    def rarity(self, word: str) -> int:
        """At most this many sampled entries contain `word` (3+ characters): the count of its rarest trigram."""
        return min(map(self.count, trigrams([word])))

    def corrected(self, words: list[str]) -> list[str] | None:
        """`words` with each word of 3+ characters that no sampled word contains replaced by the sampled word most
        similar to it (`similarity`, at least CORRECTION_MIN_SIMILARITY; ties: the more common word, then the
        first alphabetically). None when no word needed a correction or none was found. A word of the registry
        that the sample missed (a rare one) is left for the typo-tolerant stage."""
        result, changed = [], False
        for word in words:
            if len(word) < 3 or word in self._vocabulary:
                result.append(word)
                continue
            best = self._closest(word)
            if best is None:
                return None
            result.append(best)
            changed = True
        return result if changed else None

    def _closest(self, word: str) -> str | None:
        grams = padded_trigrams(word)
        candidates = set().union(*(self._by_gram.get(g, ()) for g in grams))
        scored = [(similarity(grams, padded_trigrams(c)), self.words[c], c) for c in candidates]
        scored = [s for s in scored if s[0] >= CORRECTION_MIN_SIMILARITY]
        if not scored:
            return None
        return min(scored, key=lambda s: (-s[0], -s[1], s[2]))[2]


def padded_trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: padded with two spaces before and one after ("  kh", ..., "en ")."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: set[str], b: set[str]) -> float:
    """pg_trgm's similarity(): shared trigrams over distinct trigrams of both."""
    return len(a & b) / len(a | b) if a or b else 0.0


_samples: dict[str, tuple[float, TrigramSample]] = {}  # database alias -> (taken at, sample)
_samples_lock = threading.Lock()


def trigram_sample(using: str = "default") -> TrigramSample:
    """This process's sample of the entries of database `using`, taken again after SAMPLE_SECONDS (two queries:
    the range of primary keys, then up to SAMPLE_SIZE entries at random keys in it)."""
    taken = _samples.get(using)
    if taken and time.monotonic() - taken[0] < SAMPLE_SECONDS:
        return taken[1]
    from tinhgon.procedures.models import SearchEntry

    entries = SearchEntry.objects.using(using)
    bounds = entries.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        sample = TrigramSample([])
    else:
        keys = range(bounds["low"], bounds["high"] + 1)
        if len(keys) > SAMPLE_SIZE:
            keys = random.sample(keys, SAMPLE_SIZE)  # noqa: S311 - a statistical sample, not a secret
        sample = TrigramSample(entries.filter(pk__in=list(keys)).values_list("search_text", flat=True))
    with _samples_lock:
        _samples[using] = (time.monotonic(), sample)
    return sample


def forget_trigram_samples() -> None:
    """Drop every process sample (tests: each starts from its own data)."""
    with _samples_lock:
        _samples.clear()


def repair_sqlite_fts(using: str = "default", **kwargs) -> bool:
    """Re-create the SQLite full-text table and its triggers when one is missing (a migration that rebuilt
    procedures_searchentry drops its triggers), then rebuild the index. True when something was repaired.
    Connected to post_migrate; a no-op on other databases and before migration 0006."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name IN (%s, %s)", [TABLE, f"{FTS_TABLE}_ai"])
        existing = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT 1 FROM django_migrations WHERE app = 'procedures' AND name LIKE %s", ["%_search_entries"]
        )
        migrated = cursor.fetchone() is not None
    if TABLE not in existing or not migrated:
        return False
    wanted = {FTS_TABLE, *SQLITE_FTS_TRIGGERS}
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
