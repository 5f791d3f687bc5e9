"""Vietnamese text helpers shared by search and matching."""

import re
import unicodedata


def fold_vn(text: str | None) -> str:
    """Fold Vietnamese text for diacritic- and case-insensitive matching.

    Unicode decomposition strips the tone and vowel marks, but đ/Đ (U+0111/U+0110) is a letter of its own with no
    decomposition, so it is mapped to d explicitly. Whitespace is collapsed so folded strings compare cleanly.
    """
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.replace("đ", "d").replace("Đ", "D").lower().split())


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
NUMBER_WIDTH = 6


def roman_value(token: str) -> int | None:
    """The value of an upper-case Roman numeral (I to CCCXCIX), None for anything else. A lone C or L is a letter
    ("A, B, C" lists are common), a lone I, V or X a numeral (sections I to X)."""
    if not token or any(c not in ROMAN for c in token) or token in ("C", "L"):
        return None
    values = [ROMAN[c] for c in token]
    total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    return total if total > 0 else None


def natural_key(number: str, max_length: int = 120) -> str:
    """A key that sorts the numbering of an official document as people read it: "1" < "1.1" < "1.2" < "1.10" < "2"
    < "10", "I" < "II" < "IX" < "X", "a" < "b". Parts are the runs of digits and of letters; numbers (Arabic or upper-
    case Roman) are zero-padded, letters folded. A parent's key is a prefix of its children's, so it sorts first."""
    parts = []
    for token in re.findall(r"\d+|[^\W\d_]+", number or ""):
        value = int(token) if token.isdigit() else roman_value(token)
        parts.append(f"0{value:0{NUMBER_WIDTH}d}" if value is not None else f"1{fold_vn(token)}")
    return ".".join(parts)[:max_length]
