"""How a figure is written, in Vietnamese, wherever it appears: pages (the `vn` template filters), Word, PDF and
Excel documents, and the chart specs (which name the `FORMATS` their numbers are in, for static/js/charts.js).

- `number(1234567.5)` → "1.234.567,5": a dot groups thousands, a comma marks decimals (TCVN 7870-1, NĐ 30/2020
  practice); `number(x, 2)` fixes two decimals, rounded half up.
- `money(549915000)` → "549.915.000 đồng": whole đồng.
- `percent(Decimal("18.97"))` → "18,97%": two decimals and no space before "%", the form of the State's
  administrative documents and the one a spreadsheet shows for the "0.00%" number format, so the page, the Word
  file and the workbook read alike (docs/decisions/0007-figures-in-vietnamese.md).
- `share(9, 10)` → Decimal("90.00"): part ÷ whole × 100 to two decimals, rounded by the one rule of the setting
  TINHGON_SHARE_ROUNDING ("half_up" by default, "half_even" or "down"); every share the app shows (the ledger's,
  the task reports', the dashboard's, the indicators', a scorecard's) is computed by it, and `share_rule()` is the
  sentence the pages and documents print under their shares ("Tỷ lệ làm tròn …").
- `day(date)` → "dd/mm/yyyy".
- `period_name(months, year, number)` → "tháng 11/2026", "quý III/2026", "6 tháng đầu năm 2026", "năm 2026": the
  period's own name, lower case, so that a title is "Báo cáo " + the name, never "Báo cáo quý quý …".

Figures are kept as numbers (or as the machine strings "18.97" a frozen report stores) until one of these writes
them; nothing else in the code formats a number for people.
"""

from datetime import date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django.conf import settings

THOUSANDS = "."
DECIMALS = ","
CURRENCY = "đồng"

# The Excel number formats of the same figures: a spreadsheet in Vietnamese shows them as `number` and `percent` do.
EXCEL_NUMBER = "#,##0"
EXCEL_DECIMAL = "#,##0.00"
EXCEL_PERCENT = "0.00%"
EXCEL_DATE = "DD/MM/YYYY"

# The kinds a chart spec names for its values (spec "format", or "formats" per axis); charts.js writes them the
# way `number`, `percent` and `money` do.
FORMATS = ("number", "percent", "money")

ROMAN_QUARTERS = ("I", "II", "III", "IV")


def as_decimal(value) -> Decimal:
    """A figure as a Decimal: ints, floats, Decimals and the machine strings of stored figures ("18.97"); empty,
    None and unreadable text count as 0."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))  # repr: 0.1 is 0.1, not 0.1000000000000000055…
    try:
        return Decimal(str(value).strip() or 0) if value is not None else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _grouped(whole: str) -> str:
    """'1234567' → '1.234.567'."""
    head = len(whole) % 3 or 3
    groups = [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
    return THOUSANDS.join(groups)


def number(value, places: int | None = None) -> str:
    """1234567.5 → '1.234.567,5'. With `places`, exactly that many decimals (half up); without, trailing zeros
    are dropped."""
    value = as_decimal(value)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{abs(value):f}".partition(".")
    if places is None:
        fraction = fraction.rstrip("0")
    sign = "-" if value < 0 and (whole.strip("0") or fraction.strip("0")) else ""
    return sign + _grouped(whole) + (DECIMALS + fraction if fraction else "")


def money(value) -> str:
    """549915000 → '549.915.000 đồng' (rounded to whole đồng, half up)."""
    return f"{number(as_decimal(value), 0)} {CURRENCY}"


def percent(value) -> str:
    """A share given in percent (Decimal('18.97'), '18.97', 18.97) → '18,97%'."""
    return f"{number(value, 2)}%"


# The rounding rules a share may follow (setting TINHGON_SHARE_ROUNDING), with how the pages state them.
SHARE_ROUNDINGS = {
    "half_up": (ROUND_HALF_UP, "làm tròn nửa lên (từ 5 trở lên làm tròn lên)"),
    "half_even": (ROUND_HALF_EVEN, "làm tròn nửa về số chẵn"),
    "down": (ROUND_DOWN, "cắt bỏ phần thập phân thừa, không làm tròn lên"),
}
SHARE_PLACES = 2
# Enough digits that no quotient of realistic counts or amounts is rounded before the one rounding of a share.
_EXACT = Context(prec=50)


def share_rounding() -> str:
    """The name of the rounding rule of shares (setting TINHGON_SHARE_ROUNDING; checked by core.checks)."""
    name = getattr(settings, "TINHGON_SHARE_ROUNDING", "half_up")
    if name not in SHARE_ROUNDINGS:
        raise ValueError(f"TINHGON_SHARE_ROUNDING phải là một trong {', '.join(SHARE_ROUNDINGS)}, không phải {name!r}.")
    return name


def rounded(value, places: int = SHARE_PLACES) -> Decimal:
    """A share (or a mean of shares) to `places` decimals by the rounding rule of the setting."""
    mode = SHARE_ROUNDINGS[share_rounding()][0]
    return as_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=mode)


def share(part, whole, places: int = SHARE_PLACES) -> Decimal:
    """part ÷ whole × 100, to `places` decimals by the setting's rounding rule, computed exactly before that one
    rounding; 0 when whole is 0 (nothing to measure)."""
    whole = as_decimal(whole)
    if not whole:
        return Decimal(0).scaleb(-places)
    return rounded(_EXACT.divide(as_decimal(part) * 100, whole), places)


def share_rule() -> str:
    """The sentence printed under shares: 'Tỷ lệ làm tròn đến 2 chữ số thập phân, làm tròn nửa lên (…).'"""
    return f"Tỷ lệ làm tròn đến {SHARE_PLACES} chữ số thập phân, {SHARE_ROUNDINGS[share_rounding()][1]}."


def day(value: date | datetime | None) -> str:
    """dd/mm/yyyy; empty for none."""
    return f"{value:%d/%m/%Y}" if value else ""


def period_name(months: int, year: int, number: int) -> str:
    """The name of the `number`-th period of `months` months (1, 3, 6, 12) in `year`: 'tháng 11/2026',
    'quý III/2026', '6 tháng đầu năm 2026', '6 tháng cuối năm 2026', 'năm 2026'."""
    if months == 1:
        return f"tháng {number:02d}/{year}"
    if months == 3:
        return f"quý {ROMAN_QUARTERS[number - 1]}/{year}"
    if months == 6:
        return f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
    if months == 12:
        return f"năm {year}"
    raise ValueError(f"Không có kỳ {months} tháng.")


def span_name(start: date, end: date) -> str:
    """A period that is no month, quarter, half or year: 'từ 01/10/2026 đến 15/11/2026'."""
    return f"từ {day(start)} đến {day(end)}"
