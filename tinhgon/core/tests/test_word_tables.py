"""Table widths of the Word building blocks (core.word.fitted_widths): "STT" and numbers never wrap, and the room
they need comes from the text columns, so the table keeps its width."""

import pytest

from tinhgon.core.word import fitted_widths, text_width_cm, unbreakable

HEADER = ["STT", "Tên thủ tục", "Chi phí trước (đồng/năm)"]


def test_stt_in_bold_13_pt_is_about_nine_millimetres():
    assert text_width_cm("STT", 13, bold=True) == pytest.approx(1.890 * 13 / 72 * 2.54)


def test_a_narrow_stt_column_is_widened_to_fit_stt():
    widths = fitted_widths(HEADER, [["01", "Thủ tục", "1"]], [0.9, 12.0, 3.6], 13)
    assert widths[0] >= text_width_cm("STT", 13, bold=True) + 0.2


def test_a_money_column_is_widened_to_its_widest_amount():
    widths = fitted_widths(HEADER, [["01", "Thủ tục", "549.915.000"]], [1.2, 13.5, 1.8], 11)
    assert widths[2] >= text_width_cm("549.915.000", 11, bold=True) + 0.2


def test_the_room_comes_from_the_text_columns_and_the_table_keeps_its_width():
    widths = fitted_widths(HEADER, [["01", "Thủ tục", "549.915.000"]], [0.9, 13.8, 1.8], 13)
    assert sum(widths) == pytest.approx(16.5, abs=0.01) and widths[1] < 13.8


def test_a_column_wide_enough_already_is_left_as_it_is():
    assert fitted_widths(HEADER, [["01", "Thủ tục", "1"]], [1.5, 11.0, 4.0], 13) == [1.5, 11.0, 4.0]


def test_amounts_percentages_and_dates_are_unbreakable_words_are_not():
    assert unbreakable("88.800.000 đồng, 54,39% đến 30/06/2026") == ["88.800.000", "54,39%", "30/06/2026"]
