"""Thời hạn giải quyết as decisions write it: the published text, and the structured part read from it.

Decisions word the time limit freely ("10 - 20 ngày", "Trong ngày", "20 ngày; trường hợp phải xác minh: 55 ngày",
"03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"). The text is what the registry publishes; `parse` reads from it
a main case (a value or a range, and a unit) and the case-dependent variants, where it can. What it cannot read it
leaves to the user: `parse` returns None and the text is still published as written."""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from tinhgon.procedures.constants import TimeUnit

MAX_VALUE = Decimal(3650)

# Longest first, so that "ngày làm việc" is not read as "ngày".
UNIT_WORDS = [
    ("ngày làm việc", TimeUnit.WORKING_DAYS),
    ("giờ làm việc", TimeUnit.HOURS),
    ("ngày", TimeUnit.DAYS),
    ("giờ", TimeUnit.CLOCK_HOURS),
    ("tháng", TimeUnit.MONTHS),
]
NUMBER = r"(?<![\d.,])\d+(?:[.,]\d+)?"
DURATION = re.compile(
    rf"(?:(?P<min>{NUMBER})\s*(?:-|–|—|đến|tới)\s*)?(?P<max>{NUMBER})\s*(?P<unit>"
    + "|".join(re.escape(word) for word, _ in UNIT_WORDS)
    + r")(?!\w)",
    re.IGNORECASE,
)
WITHIN_DAY = re.compile(r"(?<!\w)(?:ngay\s+)?trong\s+ngày(?:\s+làm\s+việc)?(?!\w)", re.IGNORECASE)
# Where a variant starts: a semicolon or a new line, or a sentence or clause opening with "trường hợp", "đối với"…
SEPARATOR = re.compile(r"\s*(?:;|\n|[.,]\s+(?=(?:trường hợp|đối với|riêng|nếu)\b))\s*", re.IGNORECASE)
# Words between a condition and its duration ("…: 55 ngày", "… thì không quá 30 ngày").
CONNECTORS = re.compile(r"(?:[\s:,\-–(]|thì|là|được|không quá|tối đa|trong thời hạn|trong vòng)*$", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    """A value or a range (`low` to `high`) in one unit. "Trong ngày" is one day, in the unit `within_day`."""

    high: Decimal
    unit: str
    low: Decimal | None = None

    def in_working_days(self) -> Decimal:
        """The maximum in working days, what the cost model compares: calendar days count 5/7, working hours 1/8,
        clock hours 1/24 of a calendar day, a month 22 working days, "trong ngày" one day."""
        factor = {
            TimeUnit.DAYS: Decimal(5) / 7,
            TimeUnit.HOURS: Decimal(1) / 8,
            TimeUnit.CLOCK_HOURS: Decimal(5) / 7 / 24,
            TimeUnit.MONTHS: Decimal(22),
        }.get(self.unit, Decimal(1))
        return self.high * factor

    def text(self) -> str:
        if self.unit == TimeUnit.WITHIN_DAY:
            return "trong ngày"
        label = TimeUnit(self.unit).label
        if self.low is not None:
            return f"{number_text(self.low)} - {number_text(self.high)} {label}"
        return f"{number_text(self.high)} {label}"

    def as_dict(self) -> dict:
        return {"min": None if self.low is None else str(self.low), "max": str(self.high), "unit": self.unit}


@dataclass(frozen=True)
class Variant:
    condition: str
    span: Span

    def text(self) -> str:
        return f"{self.condition}: {self.span.text()}"

    def as_dict(self) -> dict:
        return {"condition": self.condition, **self.span.as_dict()}


@dataclass(frozen=True)
class ProcessingTime:
    """The structured part: the main case, then the variants in the order the text gives them."""

    main: Span
    variants: tuple[Variant, ...] = field(default=())

    def text(self) -> str:
        main = self.main.text()
        return "; ".join([main[:1].upper() + main[1:], *(v.text() for v in self.variants)])


def number_text(value: Decimal) -> str:
    """3 → "03", 7.5 → "7,5": as decisions print them (two digits, decimal comma)."""
    value = Decimal(value).normalize()
    if value == value.to_integral():
        return f"{int(value):02d}"
    return f"{value:f}".replace(".", ",")


def parse(text: str) -> ProcessingTime | None:
    """The structured part of a published time limit, or None when the main case has no duration to read."""
    segments = [s for s in SEPARATOR.split(normalise(text)) if s]
    if not segments:
        return None
    main = _span(segments[0])
    if main is None:
        return None
    variants = []
    for segment in segments[1:]:
        variant = parse_variant(segment)
        if variant is None:
            return None  # a case the text gives but we cannot read: better nothing than a wrong maximum
        variants.append(variant)
    return ProcessingTime(main=main[0], variants=tuple(variants))


def normalise(text: str) -> str:
    """One space between words, no closing full stop; the case is kept (conditions are shown as written)."""
    return re.sub(r"[ \t\u00a0]+", " ", (text or "").strip()).rstrip(". ")


def _span(segment: str) -> tuple[Span, int] | None:
    """The first duration in the segment and where it starts."""
    found = DURATION.search(segment)
    within = WITHIN_DAY.search(segment)
    if within and (found is None or within.start() < found.start()):
        return Span(high=Decimal(1), unit=TimeUnit.WITHIN_DAY), within.start()
    if found is None:
        return None
    low, high = _decimal(found["min"]), _decimal(found["max"])
    if high is None or high > MAX_VALUE or (low is not None and low >= high):
        return None
    unit = dict(UNIT_WORDS)[" ".join(found["unit"].lower().split())]
    return Span(high=high, unit=unit, low=low), found.start()


def parse_variant(segment: str) -> Variant | None:
    found = _span(segment)
    if found is None:
        return None
    span, start = found
    condition = CONNECTORS.sub("", segment[:start]).strip(" :,")
    if not condition:
        return None
    return Variant(condition=condition, span=span)


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


# The version's columns (ProcedureVersion.processing_time_*) ---------------------------------------------------------


def fields_for(text: str) -> dict:
    """The version's columns for a published text: the text as written, and what `parse` understood of it (the
    structured part left empty when nothing was)."""
    structured = parse(text)
    return {"processing_time_text": (text or "").strip(), **columns(structured)}


def worded(text: str, structured: ProcessingTime | None) -> str:
    """The text to publish for a structured part. An empty text, or one in the registry's own wording of another
    structure (a value changed through the API, an import or a review's time cut), is worded from the structure; a
    decision's own words ("… kể từ ngày nhận đủ hồ sơ hợp lệ") are kept as written even when the structure was
    corrected."""
    if structured is None:
        return text
    own = parse(text)
    if not text or (own is not None and own.text() == text and own != structured):
        return structured.text()
    return text


def bare_number(text: str) -> Decimal | None:
    """The number when the text is nothing else ("10", "7,5"): the unit is then given apart (a form's or a
    spreadsheet's unit column)."""
    cleaned = normalise(text)
    return _decimal(cleaned) if re.fullmatch(NUMBER, cleaned) else None


def fields_for_value(value: Decimal, unit: str) -> dict:
    """The columns for a bare value and unit (a number in a spreadsheet, an older API client): worded as decisions
    print them ("20 ngày làm việc")."""
    structured = ProcessingTime(main=Span(high=Decimal(value), unit=unit))
    return {"processing_time_text": structured.text(), **columns(structured)}


def columns(structured: ProcessingTime | None) -> dict:
    if structured is None:
        return {
            "processing_time_min": None,
            "processing_time_value": None,
            "processing_time_unit": TimeUnit.WORKING_DAYS,
            "processing_time_variants": [],
        }
    return {
        "processing_time_min": structured.main.low,
        "processing_time_value": structured.main.high,
        "processing_time_unit": structured.main.unit,
        "processing_time_variants": [v.as_dict() for v in structured.variants],
    }


def from_fields(low, high, unit: str, variants: list) -> ProcessingTime | None:
    if high is None:
        return None
    main = Span(high=Decimal(high), unit=unit, low=None if low is None else Decimal(low))
    cases = tuple(
        Variant(condition=v["condition"], span=Span(high=_decimal(str(v["max"])), unit=v["unit"], low=_low(v)))
        for v in variants or []
        if not variant_problems(v)
    )
    return ProcessingTime(main=main, variants=cases)


def _low(variant: dict) -> Decimal | None:
    return None if variant.get("min") in (None, "") else _decimal(str(variant["min"]))


def problems(low, high, variants) -> dict[str, str]:
    """Why the structured part is not valid, by column, in Vietnamese (empty when it is)."""
    errors = {}
    if low is not None and (high is None or Decimal(low) >= Decimal(high)):
        errors["processing_time_min"] = "Thời hạn tối thiểu phải nhỏ hơn thời hạn tối đa."
    if not isinstance(variants, list):
        return {**errors, "processing_time_variants": "Các trường hợp phải là một danh sách."}
    wrong = [f"trường hợp {n}: {p}" for n, v in enumerate(variants, start=1) for p in variant_problems(v)[:1]]
    if wrong:
        errors["processing_time_variants"] = "Thời hạn theo trường hợp chưa đúng: " + "; ".join(wrong) + "."
    return errors


def variant_problems(variant) -> list[str]:
    if not isinstance(variant, dict) or not str(variant.get("condition") or "").strip():
        return ["cần ghi điều kiện"]
    if variant.get("unit") not in TimeUnit.values:
        return ["đơn vị không hợp lệ"]
    high, low = _decimal(str(variant.get("max"))), _low(variant)
    if high is None or not 0 <= high <= MAX_VALUE:
        return [f"thời hạn tối đa phải là số từ 0 đến {MAX_VALUE}"]
    if variant.get("min") not in (None, "") and (low is None or low >= high):
        return ["thời hạn tối thiểu phải nhỏ hơn thời hạn tối đa"]
    return []


def understood(structured: ProcessingTime | None) -> str:
    """What the form shows under the text: the structured part in words, or that nothing was understood."""
    if structured is None:
        return "Chưa hiểu được thời hạn từ nội dung này; hãy nhập thời hạn tối đa và đơn vị bên dưới."
    main = structured.main
    words = f"tối đa {main.text()}" if main.low is None and main.unit != TimeUnit.WITHIN_DAY else main.text()
    cases = "".join(f"; {v.text()}" for v in structured.variants)
    return f"Hệ thống hiểu là: {words}{cases}."


# The time limit against its steps -----------------------------------------------------------------------------------


def steps_disagreement(structured: ProcessingTime | None, durations: list[str]) -> str:
    """Why the steps' durations ("Thời gian" of each bước) disagree with the time limit, or "" when they agree or
    cannot be compared. Compared only when every timed step is one value in the time limit's own unit: converting
    calendar to working days would be a guess. Steps without a time may take what the timed ones leave, so only a
    sum over the limit is then reported."""
    if structured is None:
        return ""
    timed = [_span(normalise(text)) for text in durations if text.strip()]
    unit = structured.main.unit
    if not timed or any(found is None or found[0].unit != unit or found[0].low is not None for found in timed):
        return ""
    total = sum(found[0].high for found in timed)
    cases = [structured.main, *(v.span for v in structured.variants if v.span.unit == unit)]
    if any((case.low if case.low is not None else case.high) <= total <= case.high for case in cases):
        return ""
    if total < max(case.high for case in cases) and len(timed) < len(durations):
        return ""
    return (
        f"tổng thời gian các bước là {Span(high=total, unit=unit).text()}, "
        f"khác thời hạn giải quyết “{structured.text()}”."
    )
