import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tinhgon.core.text import fold_vn


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
