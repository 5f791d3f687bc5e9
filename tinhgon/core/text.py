"""Vietnamese text helpers shared by search and matching."""

import unicodedata


def fold_vn(text: str | None) -> str:
    """Fold Vietnamese text for diacritic- and case-insensitive matching.

    Unicode decomposition strips the tone and vowel marks, but đ/Đ (U+0111/U+0110) is a letter of its own with no
    decomposition, so it is mapped to d explicitly. Whitespace is collapsed so folded strings compare cleanly.
    """
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.replace("đ", "d").replace("Đ", "D").lower().split())
