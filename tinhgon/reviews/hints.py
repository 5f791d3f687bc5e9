"""Automatic hints on a procedure under review (domain.md §5): computed from the version, shown on the review form,
each with a one-line why naming the concrete evidence. Hints are suggestions only: the reviewer accepts or dismisses
each one (services.hint_decide, stored as a HintDecision per review and code).

Every rule is one function `rule(version, context) -> Hint | None`, registered in RULES; its code and title are in
HINT_CODES. A rule returns at most one hint, because a decision is recorded per code: rules about several rows
(dossier items, steps) list them all in one hint and name them in `targets`.

hints_for runs a constant number of queries whatever the size of the registry: the version's procedure, field and
three kinds of rows (none for what is already loaded, e.g. by ProcedureVersion.objects.with_components()), one
query for the processing times of every published version (medians of all fields, cached on the HintContext), one
query for the duplicate candidates and one for their dossier items. Pass one HintContext to several hints_for calls
to share the medians.
"""

import math
import operator
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from functools import cached_property, reduce

from django.db.models import Case, ExpressionWrapper, IntegerField, Q, Value, When, prefetch_related_objects
from django.db.models.functions import Length

from tinhgon.core.formatting import number
from tinhgon.core.text import fold_vn
from tinhgon.procedures.constants import Channel, TimeUnit
from tinhgon.procedures.models import DossierItem, ProcedureVersion
from tinhgon.procedures.processing_time import Span
from tinhgon.reviews.constants import ChangeKind

HINT_CODES = {
    "no_legal_basis": "Chưa có căn cứ pháp lý",
    "fee_without_legal_document": "Thu phí, lệ phí nhưng chưa có văn bản quy định phí, lệ phí",
    "obtainable_but_required": "Yêu cầu nộp giấy tờ có thể khai thác từ dữ liệu sẵn có",
    "certified_copies": "Yêu cầu bản sao chứng thực",
    "too_many_sets": "Yêu cầu nhiều hơn 01 bộ hồ sơ",
    "slow_for_field": "Thời hạn giải quyết dài hơn mức phổ biến của lĩnh vực",
    "no_online_channel": "Chưa cho phép nộp hồ sơ trực tuyến",
    "step_without_actor": "Có bước thực hiện chưa rõ chủ thể thực hiện",
    "likely_duplicate": "Có thể trùng với thủ tục của đơn vị khác",
}

# slow_for_field: how many other published versions of the field the median needs.
MIN_FIELD_PEERS = 3
# likely_duplicate: SequenceMatcher ratio of the folded names (without the leading "thủ tục") from which two
# procedures of the same field are likely duplicates; how many candidates are compared at most; how many are named.
DUPLICATE_RATIO = 0.85
DUPLICATE_CANDIDATES = 200
DUPLICATE_SHOWN = 3
# Words too common in procedure names to tell two procedures apart (folded).
STOPWORDS = frozenset(
    (  # noqa: SIM905 - a word list reads better as one string
        "thu tuc cua va cac cho tai theo ve doi voi trong nhung duoc cap co quan don vi viec de nghi khi hoac la"
        " mot so tu den tren duoi"
    ).split()
)
SIGNIFICANT_WORDS = 12
# The rows of the version the rules read, loaded once per version.
PARTS = ("steps", "dossier_items", "legal_bases")
NAME_LENGTH_SLACK = 30

# Fee texts that mean "no fee" once folded and stripped of punctuation.
NO_FEE = frozenset(
    {
        "",
        "khong",
        "khong co",
        "khong thu",
        "khong thu phi",
        "khong thu phi le phi",
        "khong co phi le phi",
        "khong quy dinh",
        "mien phi",
        "mien phi le phi",
    }
)
# A legal basis about fees: its title speaks of (lệ) phí or of the rates collected, or it is a circular of the
# Ministry of Finance (TT-BTC, which sets most fees) or the Law on Fees and Charges (97/2015/QH13).
FEE_TITLE = re.compile(r"(?<!\w)(lệ phí|phí|mức thu)(?!\w)")
FEE_NUMBER = re.compile(r"TT-BTC|97/2015/QH13", re.IGNORECASE)


@dataclass(frozen=True)
class Hint:
    code: str
    why: str
    kind: str | None = None  # the ChangeKind a proposal would use, where one fits
    targets: tuple[str, ...] = ()  # what the change applies to: dossier item names, step actions, procedure codes
    before: str = ""
    after: str = ""
    stale: bool = False  # a recorded decision whose hint the procedure no longer triggers

    @property
    def title(self) -> str:
        return HINT_CODES[self.code]

    @property
    def target(self) -> str:
        return "; ".join(self.targets)

    def changes(self) -> list[dict]:
        """The proposal changes (Proposal.changes rows) this hint suggests: one per target; none without a kind."""
        if not self.kind:
            return []
        return [
            {"kind": self.kind, "target": target, "before": self.before, "after": self.after}
            for target in (self.targets or ("",))
        ]


class HintContext:
    """What the rules share across versions: computed on first use, at most once per context."""

    @cached_property
    def field_times(self) -> dict[int, list[tuple[int, Decimal]]]:
        """Processing time in working days of every published version with one, by field: [(procedure_id, days)]."""
        rows = (
            ProcedureVersion.objects.published()
            .filter(processing_time_value__isnull=False)
            .values_list("field_id", "procedure_id", "processing_time_value", "processing_time_unit")
        )
        times = defaultdict(list)
        for field_id, procedure_id, value, unit in rows:
            times[field_id].append((procedure_id, working_days(value, unit)))
        return dict(times)

    def field_median(self, version: ProcedureVersion) -> tuple[Decimal | None, int]:
        """The median working days of the other published procedures of the version's field, and how many."""
        others = [days for pid, days in self.field_times.get(version.field_id, []) if pid != version.procedure_id]
        if len(others) < MIN_FIELD_PEERS:
            return None, len(others)
        return Decimal(statistics.median(others)), len(others)


def working_days(value, unit: str) -> Decimal:
    """A processing time in working days (procedures.processing_time.Span.in_working_days). The cost model reads
    the structured part's maximum of the main case: a range "10 - 20 ngày" counts 20, other cases do not count."""
    return Span(high=Decimal(value), unit=unit).in_working_days()


def _days(value: Decimal) -> str:
    """01,5 → "1,5"; 12 → "12": Vietnamese decimal comma, one decimal at most."""
    return number(value.quantize(Decimal("0.1")))


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _list(texts: list[str]) -> str:
    return ", ".join(_quote(t) for t in texts)


# Rules ------------------------------------------------------------------------------------------------------------

Rule = Callable[[ProcedureVersion, HintContext], Hint | None]


def no_legal_basis(version: ProcedureVersion, context: HintContext) -> Hint | None:
    """The version cites no legal document at all (legality cannot be checked)."""
    if list(version.legal_bases.all()):
        return None
    why = "Thủ tục chưa ghi văn bản nào làm căn cứ pháp lý nên không kiểm tra được tính hợp pháp."
    return Hint("no_legal_basis", why)


def has_fee(fees: str) -> bool:
    """Whether a fee text asks for money: not empty, "Không", "Không có", "Miễn phí" and the like."""
    folded = " ".join(re.sub(r"[^\w\s]", " ", fold_vn(fees)).split())
    return folded not in NO_FEE


def is_fee_document(basis) -> bool:
    title = unicodedata.normalize("NFC", f"{basis.title} {basis.article}".lower())
    return bool(FEE_TITLE.search(title) or FEE_NUMBER.search(basis.number or ""))


def fee_without_legal_document(version: ProcedureVersion, context: HintContext) -> Hint | None:
    """A fee is charged but no legal basis is a document on fees (title on phí/lệ phí, TT-BTC, Law on fees)."""
    if not has_fee(version.fees):
        return None
    if any(is_fee_document(b) for b in version.legal_bases.all()):
        return None
    return Hint(
        "fee_without_legal_document",
        f"Thủ tục thu {_quote(version.fees)} nhưng không có căn cứ pháp lý nào là văn bản quy định phí, lệ phí.",
        ChangeKind.REMOVE_FEE,
        before=version.fees,
    )


def obtainable_but_required(version: ProcedureVersion, context: HintContext) -> Hint | None:
    """Dossier items marked obtainable from existing data or earlier results are still required."""
    names = [d.name for d in version.dossier_items.all() if d.obtainable_from_data]
    if not names:
        return None
    return Hint(
        "obtainable_but_required",
        f"Vẫn yêu cầu nộp {_list(names)} dù có thể khai thác từ dữ liệu sẵn có hoặc kết quả giải quyết trước đó.",
        ChangeKind.REMOVE_DOSSIER_ITEM,
        tuple(names),
    )


def certified_copies(version: ProcedureVersion, context: HintContext) -> Hint | None:
    """Dossier items are required as certified copies (bản sao chứng thực)."""
    items = [d for d in version.dossier_items.all() if d.certified_copies > 0]
    if not items:
        return None
    listed = ", ".join(f"{_quote(d.name)} ({d.certified_copies:02d} bản)" for d in items)
    return Hint(
        "certified_copies",
        f"Yêu cầu bản sao chứng thực: {listed}; có thể thay bằng bản sao kèm bản chính để đối chiếu hoặc bản điện tử.",
        ChangeKind.REDUCE_COPIES,
        tuple(d.name for d in items),
    )


def too_many_sets(version: ProcedureVersion, context: HintContext) -> Hint | None:
    """More than one dossier set is required."""
    if version.dossier_sets <= 1:
        return None
    return Hint(
        "too_many_sets",
        f"Yêu cầu nộp {version.dossier_sets:02d} bộ hồ sơ; thường 01 bộ là đủ để giải quyết.",
        ChangeKind.REDUCE_DOSSIER_SETS,
        before=str(version.dossier_sets),
        after="1",
    )


def slow_for_field(version: ProcedureVersion, context: HintContext) -> Hint | None:
    """Processing time, in working days, is above the median of the other published procedures of its field."""
    if version.processing_time_value is None:
        return None
    median, peers = context.field_median(version)
    days = working_days(version.processing_time_value, version.processing_time_unit)
    if median is None or days <= median:
        return None
    converted = "" if version.processing_time_unit == TimeUnit.WORKING_DAYS else f" (≈ {_days(days)} ngày làm việc)"
    in_working_days = version.processing_time_unit == TimeUnit.WORKING_DAYS
    return Hint(
        "slow_for_field",
        f"Thời hạn {version.processing_time_display()}{converted} dài hơn trung vị {_days(median)} ngày làm việc "
        f"của {peers} thủ tục khác thuộc lĩnh vực {version.field.name}.",
        ChangeKind.CUT_TIME,
        before=_days(Decimal(version.processing_time_value)) if in_working_days else "",
        after=_days(median) if in_working_days else "",
    )


def no_online_channel(version: ProcedureVersion, context: HintContext) -> Hint | None:
    """The procedure cannot be performed online."""
    if Channel.ONLINE in (version.channels or []):
        return None
    current = ", ".join(label.lower() for label in version.channel_labels()) or "chưa ghi cách thức"
    return Hint(
        "no_online_channel",
        f"Chỉ thực hiện {current}; chưa cho phép nộp hồ sơ, nhận kết quả trực tuyến.",
        ChangeKind.ADD_ONLINE,
    )


def step_without_actor(version: ProcedureVersion, context: HintContext) -> Hint | None:
    """A step does not say who performs it."""
    steps = [s for s in version.steps.all() if not s.actor.strip()]
    if not steps:
        return None
    listed = "; ".join(f"bước {s.order} {_quote(s.action, 60)}" for s in steps)
    return Hint(
        "step_without_actor",
        f"Chưa ghi chủ thể thực hiện ở {listed}.",
        None,
        tuple(s.action for s in steps),
    )


def comparable_name(name: str) -> str:
    """The folded name without punctuation and the leading "thủ tục" that nearly every name starts with."""
    folded = " ".join(re.sub(r"[^\w\s]", " ", fold_vn(name)).split())
    return folded.removeprefix("thu tuc ")


def significant_words(name: str, ignore: set[str]) -> list[str]:
    """The words of the comparable name that can tell it apart, longest first (at most SIGNIFICANT_WORDS)."""
    words = {w for w in comparable_name(name).split() if w not in STOPWORDS and w not in ignore and len(w) > 1}
    return sorted(words, key=lambda w: (-len(w), w))[:SIGNIFICANT_WORDS]


def duplicate_candidates(version: ProcedureVersion) -> list[dict]:
    """Published versions of another owner in the same field whose names could be similar: a length that allows the
    ratio and at least half of the significant words in their folded search_text. One query. Adoptions of the same
    catalogue template are deliberate copies, not duplicates, and are left out."""
    procedure = version.procedure
    name = comparable_name(version.name)
    field_words = set(fold_vn(version.field.name).replace("-", " ").split())
    words = significant_words(version.name, field_words)
    if not words:
        return []
    # ratio = 2·matches / (len a + len b) ≤ 2·min / (len a + len b) bounds the other comparable name's length; the
    # stored name is at least as long (it still has "Thủ tục", punctuation, maybe decomposed marks): hence the slack.
    low = math.floor(len(name) * DUPLICATE_RATIO / (2 - DUPLICATE_RATIO))
    high = math.ceil(len(name) * (2 - DUPLICATE_RATIO) / DUPLICATE_RATIO) + NAME_LENGTH_SLACK
    shared = reduce(operator.add, [Case(When(search_text__contains=w, then=Value(1)), default=Value(0)) for w in words])
    same_catalogue = Q(procedure_id=procedure.template_id) | Q(procedure__template_id=procedure.pk)
    if procedure.template_id:
        same_catalogue |= Q(procedure__template_id=procedure.template_id)
    rows = (
        ProcedureVersion.objects.published()
        .filter(field_id=version.field_id)
        .exclude(procedure__owner_id=procedure.owner_id)
        .exclude(procedure_id=procedure.pk)
        .exclude(same_catalogue)
        .annotate(name_length=Length("name"), shared=ExpressionWrapper(shared, output_field=IntegerField()))
        .filter(name_length__gte=low, name_length__lte=high)
        .filter(shared__gte=math.ceil(len(words) / 2))
        .order_by("-shared", "procedure__code")
        .values("pk", "name", "procedure__code", "procedure__owner__name")
    )
    return list(rows[:DUPLICATE_CANDIDATES])


def likely_duplicate(version: ProcedureVersion, context: HintContext) -> Hint | None:
    """A published procedure of another unit in the same field has a nearly identical name (ratio ≥ 0.85, folded)."""
    name = comparable_name(version.name)
    matches = []
    for row in duplicate_candidates(version):
        ratio = SequenceMatcher(None, name, comparable_name(row["name"])).ratio()
        if ratio >= DUPLICATE_RATIO:
            matches.append((ratio, row))
    if not matches:
        return None
    matches.sort(key=lambda m: (-m[0], m[1]["procedure__code"]))
    shown = matches[:DUPLICATE_SHOWN]
    own_items = {comparable_name(d.name) for d in version.dossier_items.all()}
    their_items = defaultdict(set)
    for version_id, item in DossierItem.objects.filter(version_id__in=[r["pk"] for _, r in shown]).values_list(
        "version_id", "name"
    ):
        their_items[version_id].add(comparable_name(item))
    described = []
    for ratio, row in shown:
        common = len(own_items & their_items[row["pk"]])
        described.append(
            f"{row['procedure__code']} {_quote(row['name'], 60)} của {row['procedure__owner__name']} "
            f"(tên giống {round(ratio * 100)}%, trùng {common}/{len(own_items)} thành phần hồ sơ)"
        )
    more = f" và {len(matches) - len(shown)} thủ tục khác" if len(matches) > len(shown) else ""
    return Hint(
        "likely_duplicate",
        f"Cùng lĩnh vực {version.field.name}: {'; '.join(described)}{more}.",
        None,
        tuple(row["procedure__code"] for _, row in matches),
    )


RULES: list[Rule] = [
    no_legal_basis,
    fee_without_legal_document,
    obtainable_but_required,
    certified_copies,
    too_many_sets,
    slow_for_field,
    no_online_channel,
    step_without_actor,
    likely_duplicate,
]
assert [rule.__name__ for rule in RULES] == list(HINT_CODES), "every rule needs a title in HINT_CODES"


# Entry points -----------------------------------------------------------------------------------------------------


def hints_for(version: ProcedureVersion, context: HintContext | None = None) -> list[Hint]:
    """The hints the version triggers, in the order of RULES. A constant number of queries."""
    context = context or HintContext()
    prefetch_related_objects([version], *PARTS)  # no query for what the caller prefetched already
    return [hint for rule in RULES if (hint := rule(version, context)) is not None]


def hints_for_review(review, context: HintContext | None = None) -> list[tuple[Hint, object]]:
    """Each hint of the reviewed version with the reviewer's recorded decision (a HintDecision) or None. A decision
    whose hint no longer fires (the registry changed since: the duplicate was abolished, the field's median moved) is
    kept at the end with a stale hint, so a recorded choice never silently disappears from the form."""
    hints = hints_for(review.version, context)
    decisions = {d.code: d for d in review.hint_decisions.all()}
    paired = [(hint, decisions.pop(hint.code, None)) for hint in hints]
    for code, decision in sorted(decisions.items()):
        if code in HINT_CODES:
            why = "Gợi ý này không còn được phát hiện với dữ liệu hiện tại; lựa chọn đã ghi nhận được giữ lại."
            paired.append((Hint(code, why, stale=True), decision))
    return paired
