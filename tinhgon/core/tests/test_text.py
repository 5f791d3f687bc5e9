import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tinhgon.core.text import fold_vn, natural_key


def test_folds_marks_case_and_d_with_stroke():
    assert fold_vn("Đăng ký ĐẤT ĐAI đường") == "dang ky dat dai duong"
    assert fold_vn("Thủ tục khen thưởng") == "thu tuc khen thuong"


def test_decomposed_input_folds_like_composed():
    text = "Xét tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
    assert fold_vn(unicodedata.normalize("NFD", text)) == fold_vn(text)


def test_collapses_whitespace_and_tolerates_none():
    assert fold_vn("  Sở   Nội\tvụ \n") == "so noi vu"
    assert fold_vn(None) == ""


@given(st.text())
def test_folding_is_idempotent(text):
    assert fold_vn(fold_vn(text)) == fold_vn(text)


def test_natural_key_orders_numbering_as_read():
    numbers = ["10", "2", "1.10", "1", "1.2", "1.1", "b", "a", "3a"]
    assert sorted(numbers, key=natural_key) == ["1", "1.1", "1.2", "1.10", "2", "3a", "10", "a", "b"]


def test_natural_key_reads_roman_numerals():
    assert sorted(["IX", "II", "X", "I", "IV", "III.2", "III"], key=natural_key) == [
        "I", "II", "III", "III.2", "IV", "IX", "X"
    ]  # fmt: skip


def test_natural_key_keeps_a_b_c_lists_in_letter_order():
    assert sorted(["C", "A", "E", "B", "D"], key=natural_key) == ["A", "B", "C", "D", "E"]


def test_natural_key_folds_letters_and_ignores_punctuation():
    assert natural_key("1.a)") == natural_key("1 - A") == natural_key("1/a")
    assert natural_key("") == "" and natural_key(None) == ""
