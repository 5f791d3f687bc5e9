"""The phrases a plan writes its agencies and its times with.

Agencies: a list after "Cơ quan chủ trì:" ("Các sở, ngành tỉnh, Ủy ban nhân dân cấp xã"), or named in prose
("Văn phòng Sở chủ trì, phối hợp với các phòng, trung tâm thuộc Sở"). Names are matched as the Excel task import
matches them (plans.excel_import.UnitDirectory and its rules), with the longest run of words that names a unit, so
that a name with commas in it ("Sở Văn hóa, Thể thao và Du lịch") or followed by a verb ("Sở Tư pháp thẩm định")
is still found.

Times: a date ("trước ngày 01/4/2023", "ngày 01 tháng 4 năm 2023"), a month ("trong tháng 10 năm 2024"), a quarter
("trong Quý I năm 2024"), a half year, a year ("trong năm 2024"), or a recurrence ("định kỳ hàng tháng"). In a time
clause ("Thời hạn hoàn thành: …", a table's time column) every such phrase counts; in a task's content only a phrase
after a word that sets a deadline ("trước", "hoàn thành trong", "chậm nhất") does, so that the date of a document
the task cites ("Quyết định số 766/QĐ-TTg ngày 23 tháng 6 năm 2022") is never read as its deadline. Several
deadlines (lần 1, lần 2) give the latest: the task is done when its last milestone is.
"""

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from tinhgon.core import workbooks
from tinhgon.organisations.models import Organisation
from tinhgon.plans.constants import ExecutingRule, Recurrence
from tinhgon.plans.excel_import import UnitDirectory, combined_rule, named_rules, unit_key
from tinhgon.plans.extraction.results import UnitRef

MAX_NAME_WORDS = 16
MAX_UNMATCHED_WORDS = 10  # a longer piece of a list is prose, not a name
MAX_NAME_CHARS = 300  # the longest unit name read (16 words) fits: a hostile text is never scanned whole per name
MAX_LIST_CHARS = 3_000  # a list of agencies longer than this is not one (the rest is left for the user)
MAX_LIST_ITEMS = 60


def fold(text: str) -> str:
    """Lower case without diacritics, đ → d, one character for one: offsets in the folded text are offsets in
    the text (the text is NFC, as documents.py leaves it)."""
    return "".join(_fold_char(c) for c in text)


def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[0].lower()
    return base if len(base) == 1 else c


# -- Agencies ---------------------------------------------------------------------------------------------------

DIVISIONS_RE = re.compile(
    r"(?:tat ca )?(?:cac )?(?:phong|don vi|trung tam|chi cuc|bo phan)"
    r"(?: (?:ban|chuyen mon|nghiep vu|don vi|trung tam|chi cuc|co quan|to chuc))*"
    r"(?: (?:truc )?thuoc(?: so| co quan| don vi)?)?"
)
DISTRICTS_RE = re.compile(
    r"(?:cac )?(?:ubnd|chu tich ubnd|uy ban nhan dan)(?: cac)? (?:cap huyen|huyen(?: thi xa)?(?: thanh pho)?)"
)
COMMUNES_RE = re.compile(r"(?:cac )?(?:ubnd|chu tich ubnd) (?:cac )?(?:xa|phuong|dac khu|thi tran|cap xa)(?: .*)?")
DISTRICT_PROBLEM = "cấp huyện không còn từ 01/7/2025; hãy chọn đơn vị kế thừa (UBND xã, phường) hoặc bỏ qua."
SPLIT_RE = re.compile(r"\s*(?:,|;|\bvà\b|\bva\b)\s*")


class Agencies:
    """Names read against the organisation tree of the issuer's province."""

    def __init__(self, directory: UnitDirectory, issuer_name: str):
        self.directory = directory
        self.issuer_key = unit_key(issuer_name)

    def rule(self, phrase: str) -> str:
        """The ExecutingRule value a phrase names ("Các sở, ngành tỉnh"), or ""."""
        rules = named_rules(phrase)
        if rules:
            return combined_rule(rules) or ""
        key = self._key(phrase)
        if DIVISIONS_RE.fullmatch(key):
            return ExecutingRule.DIVISIONS
        if COMMUNES_RE.fullmatch(key):
            return ExecutingRule.COMMUNES
        return ""

    def _key(self, phrase: str) -> str:
        key = unit_key(phrase)
        if self.issuer_key:
            key = key.replace(f"thuoc {self.issuer_key}", "thuoc so")
        return re.sub(r"\b(cua|thuoc) so( [a-z ]+)?$", r"\1 so", key) if key.startswith(("cac ", "phong")) else key

    def one(self, phrase: str) -> UnitRef | None:
        """The agency a phrase names exactly (a unit, a rule, a district), else None."""
        phrase = phrase.strip(" -–.;:()")
        if not phrase:
            return None
        unit, problem = self.directory.find(phrase)
        if unit is not None:
            return UnitRef(phrase, unit=unit)
        if problem:
            return UnitRef(phrase, problem=problem)
        if rule := self.rule(phrase):
            return UnitRef(phrase, rule=rule)
        if DISTRICTS_RE.fullmatch(unit_key(phrase)):
            return UnitRef(phrase, problem=DISTRICT_PROBLEM)
        if unit := self.abbreviated(phrase):
            return UnitRef(phrase, unit=unit)
        return None

    def abbreviated(self, phrase: str) -> Organisation | None:
        """The one unit a name with initials stands for: "Sở Lao động-TBXH", "Sở GDĐT", "Sở KH&CN" (each capital
        of the initials is the first letter of a word of the name, "và" left out)."""
        pattern = _initials_pattern(phrase)
        if pattern is None:
            return None
        found = {
            u.pk: u for units in self.directory.by_name.values() for u in units if pattern.fullmatch(_words(u.name))
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def longest(self, text: str) -> tuple[UnitRef | None, int]:
        """The agency named by the longest run of words at the start of `text`, and the characters it took."""
        text = text[:MAX_NAME_CHARS]
        words = list(re.finditer(r"\S+", text))
        for n in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
            end = len(text[: words[n - 1].end()].rstrip(",;.:"))  # the comma after a name belongs to the list
            ref = self.one(text[:end])
            if ref is not None:
                return ref, end
        return None, 0

    def listed(self, text: str) -> list[UnitRef]:
        """Every agency of a list ("A, B và C"), the names not found kept as unmatched with suggestions. The list
        ends where a sentence goes on after a name ("Phòng chuyên môn, đơn vị thuộc Sở chủ trì tham mưu …")."""
        text = re.split(r"[.(]\s|\n", text[:MAX_LIST_CHARS].strip().rstrip("."), maxsplit=1)[0].strip(" ,;-–")
        refs: list[UnitRef] = []
        while text and len(refs) < MAX_LIST_ITEMS:
            ref, used = self.longest(text)
            if ref is None:
                piece = SPLIT_RE.split(text, maxsplit=1)[0]
                if len(piece.split()) > MAX_UNMATCHED_WORDS:
                    break
                used = len(piece) or len(text)
                ref = UnitRef(piece.strip(" .;:"), problem="không tìm thấy đơn vị này trong cây tổ chức.")
                ref.suggestions = self.directory.suggest(ref.text)
            refs.append(ref)
            rest = text[used:]
            joined = re.match(r"\s*(?:,|;|\bvà\b|\bva\b)\s*", rest)
            if rest.strip() and not joined:
                break
            text = rest[joined.end() :].strip(" ,;-–") if joined else ""
        return unique(refs)

    def leading(self, text: str) -> list[UnitRef]:
        """The agencies a sentence starts with ("Các phòng, trung tâm thuộc Sở … rà soát"), as far as they go."""
        return self.leading_span(text)[0]

    def leading_span(self, text: str) -> tuple[list[UnitRef], int]:
        """leading(), with the characters the agencies and their separators take (a subject that is more than
        agencies, "Sở phối hợp với X để …", is not a lead)."""
        text = text[:MAX_LIST_CHARS]
        refs: list[UnitRef] = []
        offset = 0
        while len(refs) < MAX_LIST_ITEMS:
            ref, used = self.longest(text[offset:])
            if ref is None:
                break
            refs.append(ref)
            offset += used
            joined = re.match(r"\s*(?:,|và)\s*", text[offset:])
            if not joined:
                break
            offset += joined.end()
        return refs, offset


INITIALS_RE = re.compile(r"^[A-ZĐ&]{2,8}$")


def _words(name: str) -> str:
    return " ".join(w for w in workbooks.key(name).split() if w != "va")


def _initials_pattern(phrase: str):
    """A regular expression over a name's folded words ("va" left out) for a phrase with initials, else None."""
    tokens = re.split(r"[\s\-–]+", phrase.strip())
    if not any(INITIALS_RE.match(t) for t in tokens):
        return None
    parts = []
    for token in tokens:
        if INITIALS_RE.match(token):
            parts.extend(rf"{re.escape(fold(c))}\w*" for c in token if c != "&")
        elif key := workbooks.key(token):
            parts.extend(re.escape(w) for w in key.split() if w != "va")
    return re.compile(" ".join(parts)) if parts else None


def unique(refs: list[UnitRef]) -> list[UnitRef]:
    """Each agency once, in the order first named (a unit, a rule, or an unmatched name folded)."""
    seen, out = set(), []
    for ref in refs:
        key = (ref.unit.pk if ref.unit else None, ref.rule, workbooks.key(ref.text) if not ref.matched else "")
        if key not in seen:
            seen.add(key)
            out.append(ref)
    return out


# -- Times ------------------------------------------------------------------------------------------------------

ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
DAY_RE = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
DAY_WORDS_RE = r"(?:ngay\s+)?(?P<d2>\d{1,2})\s+thang\s+(?P<m2>\d{1,2})\s*(?:,\s*)?nam\s+(?P<y2>\d{4})"
MONTH_RE = r"thang\s+(?P<m3>\d{1,2})\s*(?:nam\s+|/\s*)(?P<y3>\d{4})"
QUARTER_RE = r"quy\s+(?P<q>iv|i{1,3}|[1-4])\s*(?:nam\s+|/\s*)(?P<y4>\d{4})"
HALF_RE = r"(?:6|sau) thang (?P<h>dau|cuoi) nam\s+(?P<y5>\d{4})"
YEAR_RE = r"(?:ca )?nam\s+(?P<y6>\d{4})"
SPAN_RE = r"giai doan\s+\d{4}\s*[-–]\s*(?P<y7>\d{4})"  # "trong giai đoạn 2022-2025": by its last year's end
TIME_RE = re.compile(rf"(?:{DAY_RE}|{DAY_WORDS_RE}|{MONTH_RE}|{QUARTER_RE}|{HALF_RE}|{YEAR_RE}|{SPAN_RE})")
CUE_RE = re.compile(
    r"(?:truoc(?: ngay)?|cham nhat(?: la)?(?: (?:vao )?ngay)?|hoan thanh(?: trong| truoc(?: ngay)?| vao(?: ngay)?)?"
    r"|xong(?: truoc(?: ngay)?| trong)?|den(?: het)?(?: ngay)?|trong(?: ca)?|thoi han(?: [a-z ]{0,20})?:?"
    r"|lan \d+\s*:|tu nay den(?: het)?|ket thuc)\s*(?:ngay\s+)?$"
)
HORIZON_RE = re.compile(r"(?:tam nhin|dinh huong)(?: den)?(?: nam)?\s*$")  # "tầm nhìn đến năm 2030": not a deadline
RECURRENCE_RE = re.compile(
    r"(?:dinh ky\s+)?(?P<r>(?:hang|moi) (?:thang|quy|nam)|(?:hang |dinh ky )?(?:0?6|sau) thang(?: mot lan)?)"
    r"(?:[^.;]{0,40}?truoc ngay (?P<day>\d{1,2})\b)?"
)
RECURRENCES = {"thang": Recurrence.MONTHLY, "quy": Recurrence.QUARTERLY, "nam": Recurrence.YEARLY}


@dataclass
class Time:
    deadline: date | None = None
    recurrence: str = ""
    text: str = ""


def read_time(text: str, *, clause: bool, not_before: date | None = None) -> Time:
    """The deadline (the latest one) or the recurrence a text gives; Time() when it gives none. A day before
    `not_before` (the plan's start) is a date the text cites, not a deadline."""
    folded = fold(text)
    found: list[tuple[date, str]] = []
    for match in TIME_RE.finditer(folded):
        before = folded[max(0, match.start() - 40) : match.start()]
        if not clause and (not CUE_RE.search(before) or HORIZON_RE.search(before)):
            continue
        day = _day(match)
        if day is not None and (not_before is None or day >= not_before):
            found.append((day, text[match.start() : match.end()]))
    if found:
        day, phrase = max(found)
        return Time(deadline=day, text=phrase)
    recurrence = _recurrence(folded, clause=clause)
    if recurrence:
        match, value = recurrence
        return Time(recurrence=value, text=text[match.start() : match.end()])
    return Time()


def _recurrence(folded: str, *, clause: bool):
    for match in RECURRENCE_RE.finditer(folded):
        phrase = match.group(0)
        if not clause and not phrase.startswith("dinh ky") and match.start() > 0:
            continue
        period = match["r"]
        value = Recurrence.HALF_YEARLY if ("6" in period or "sau" in period) else RECURRENCES[period.split()[-1]]
        return match, value
    return None


def _day(match) -> date | None:
    g = match.groupdict()
    try:
        if g["y"]:
            return date(int(g["y"]), int(g["m"]), int(g["d"]))
        if g["y2"]:
            return date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
        if g["y3"]:
            return _month_end(int(g["y3"]), int(g["m3"]))
        if g["y4"]:
            return _month_end(int(g["y4"]), ROMAN_QUARTERS[g["q"]] * 3)
        if g["y5"]:
            return _month_end(int(g["y5"]), 6 if g["h"] == "dau" else 12)
        if g["y6"] or g["y7"]:
            return date(int(g["y6"] or g["y7"]), 12, 31)
    except ValueError:  # 31/02, month 13: not a date, not a deadline
        return None
    return None


def _month_end(year: int, month: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])
