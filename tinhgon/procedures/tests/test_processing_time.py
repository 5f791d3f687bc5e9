"""Processing times as decisions write them: the parser (procedures.processing_time) and the version's columns."""

import importlib
from decimal import Decimal

from django.apps import apps

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinhgon.procedures.constants import TimeUnit
from tinhgon.procedures.excel import import_procedures
from tinhgon.procedures.models import Procedure
from tinhgon.procedures.processing_time import ProcessingTime, Span, Variant, parse
from tinhgon.procedures.tests.excel_fixtures import good_row, xlsx
from tinhgon.procedures.tests.factories import make_procedure
from tinhgon.procedures.tests.test_views import form_data, url

# Texts quoted in issue 12 ("Real agencies' history and documents"), as the team met them in publication decisions.
ISSUE_TEXTS = {
    "10 - 20 ngày": ProcessingTime(Span(high=Decimal(20), low=Decimal(10), unit=TimeUnit.DAYS)),
    "20 ngày; trường hợp phải xác minh: 55 ngày": ProcessingTime(
        Span(high=Decimal(20), unit=TimeUnit.DAYS),
        (Variant("trường hợp phải xác minh", Span(high=Decimal(55), unit=TimeUnit.DAYS)),),
    ),
    "Trong ngày": ProcessingTime(Span(high=Decimal(1), unit=TimeUnit.WITHIN_DAY)),
    "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ": ProcessingTime(
        Span(high=Decimal(3), unit=TimeUnit.WORKING_DAYS)
    ),
}


@pytest.mark.parametrize("text, expected", ISSUE_TEXTS.items())
def test_the_texts_quoted_in_the_issue_are_understood(text, expected):
    assert parse(text) == expected


def test_time_limits_published_by_binh_dinh_are_understood():
    """Time limits as the Bình Định public service portal publishes them (procedure 34822, "5.4. Thời hạn giải
    quyết"): https://dichvucong.binhdinh.gov.vn/dichvucong/bothutuc/chiTietThuTuc?maThuTuc=34822"""
    first = parse("Trong thời hạn 01 ngày làm việc")
    later = parse("Không quá 10 ngày làm việc kể từ nhận được đầy đủ hồ sơ theo quy định")
    assert first == ProcessingTime(Span(high=Decimal(1), unit=TimeUnit.WORKING_DAYS))
    assert later == ProcessingTime(Span(high=Decimal(10), unit=TimeUnit.WORKING_DAYS))


def test_a_case_opened_by_a_sentence_is_a_variant_with_its_condition():
    parsed = parse("20 ngày làm việc. Trường hợp phức tạp thì không quá 30 ngày làm việc")
    assert parsed.variants == (Variant("Trường hợp phức tạp", Span(high=Decimal(30), unit=TimeUnit.WORKING_DAYS)),)


def test_a_range_written_with_words_is_a_range():
    assert parse("Từ 10 đến 15 ngày").main == Span(high=Decimal(15), low=Decimal(10), unit=TimeUnit.DAYS)


def test_hours_months_and_decimal_commas_are_read():
    assert parse("24 giờ").main == Span(high=Decimal(24), unit=TimeUnit.CLOCK_HOURS)
    assert parse("08 giờ làm việc").main == Span(high=Decimal(8), unit=TimeUnit.HOURS)
    assert parse("02 tháng").main == Span(high=Decimal(2), unit=TimeUnit.MONTHS)
    assert parse("7,5 ngày").main == Span(high=Decimal("7.5"), unit=TimeUnit.DAYS)


@pytest.mark.parametrize("text", ["Không quy định", "", "20", "20 - 10 ngày", "Theo quy định của pháp luật"])
def test_a_text_without_a_readable_main_case_gives_no_structure(text):
    assert parse(text) is None


def test_a_case_that_cannot_be_read_gives_no_structure_rather_than_a_wrong_maximum():
    assert parse("20 ngày; trường hợp phải xác minh thì gia hạn theo quy định") is None


def test_the_cost_model_counts_the_maximum_of_the_main_case_in_working_days():
    parsed = parse("10 - 14 ngày; trường hợp phải xác minh: 55 ngày")
    assert parsed.main.in_working_days() == Decimal(10)


CONDITIONS = st.lists(
    st.sampled_from(["trường hợp", "phải", "xác minh", "hồ sơ", "phức tạp", "đối với", "cấp xã", "liên thông"]),
    min_size=1,
    max_size=4,
).map(" ".join)
VALUES = st.decimals(min_value=0, max_value=3650, places=1, allow_nan=False, allow_infinity=False)
UNITS = st.sampled_from([u for u in TimeUnit.values if u != TimeUnit.WITHIN_DAY])


@st.composite
def spans(draw):
    high = draw(VALUES)
    low = draw(st.none() | st.decimals(min_value=0, max_value=high, places=1).filter(lambda v: v < high))
    return Span(high=high.normalize(), low=None if low is None else low.normalize(), unit=draw(UNITS))


@given(main=spans(), cases=st.lists(st.tuples(CONDITIONS, spans()), max_size=3))
def test_any_time_limit_worded_by_the_registry_reads_back_the_same(main, cases):
    structured = ProcessingTime(main, tuple(Variant(c, s) for c, s in cases))
    assert parse(structured.text()) == structured


@given(st.text(max_size=80))
def test_the_parser_never_fails_on_any_text(text):
    parsed = parse(text)
    assert parsed is None or parsed.main.high >= 0


def test_a_version_saved_with_a_value_only_is_published_with_its_worded_text(world):
    version = make_procedure(world.units["P-A"]).latest_version()
    assert version.processing_time_text == "20 ngày làm việc"
    assert version.processing_time_display() == "20 ngày làm việc"


def test_the_data_migration_words_every_existing_value_and_unit(world):
    version = make_procedure(world.units["P-A"]).latest_version()
    version.__class__.objects.filter(pk=version.pk).update(
        processing_time_text="", processing_time_value=Decimal("7.5"), processing_time_unit=TimeUnit.HOURS
    )
    migration = importlib.import_module("tinhgon.procedures.migrations.0010_fill_processing_time_text")
    migration.forward(apps, None)
    version.refresh_from_db()
    assert version.processing_time_text == "7,5 giờ làm việc" and version.processing_time_value == Decimal("7.5")


def test_changing_the_value_rewords_a_text_in_the_registrys_own_wording(world):
    version = make_procedure(world.units["P-A"]).latest_version()
    version.processing_time_value = Decimal(15)
    version.save()
    assert version.processing_time_text == "15 ngày làm việc"


def test_correcting_the_structure_keeps_the_decisions_own_words(world):
    version = make_procedure(world.units["P-A"]).latest_version()
    version.processing_time_text = "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"
    version.processing_time_value = Decimal(5)
    version.save()
    assert version.processing_time_text == "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"


# The edit form --------------------------------------------------------------------------------------------------


def _draft(login, world, **time):
    data = form_data(world.units["P-A-1"].pk, **{"processing_time_value": "", **time})
    response = login(world.officer_a1).post(url("create"), data)
    return response, Procedure.objects.filter(code="P-A-1-001").first()


def test_the_form_reads_the_text_into_the_structure(login, world):
    _, procedure = _draft(login, world, processing_time_text="10 - 20 ngày; trường hợp phải xác minh: 55 ngày")
    version = procedure.latest_version()
    assert version.processing_time_text == "10 - 20 ngày; trường hợp phải xác minh: 55 ngày"
    assert (version.processing_time_min, version.processing_time_value) == (Decimal(10), Decimal(20))
    assert version.processing_time_unit == TimeUnit.DAYS
    assert version.processing_time_variants == [
        {"condition": "trường hợp phải xác minh", "min": None, "max": "55", "unit": "days"}
    ]


def test_the_edit_form_shows_what_was_understood(login, world):
    _draft(login, world, processing_time_text="20 ngày; trường hợp phải xác minh: 55 ngày")
    procedure = Procedure.objects.get(code="P-A-1-001")
    html = login(world.officer_a1).get(url("edit", procedure.pk)).content.decode()
    assert "Hệ thống hiểu là: tối đa 20 ngày; trường hợp phải xác minh: 55 ngày." in html
    assert "trường hợp phải xác minh: 55 ngày</textarea>" in html


def test_a_structure_corrected_with_the_text_is_kept_as_corrected(login, world):
    _, procedure = _draft(
        login, world, processing_time_text="Hai mươi ngày", processing_time_value="20", processing_time_unit="days"
    )
    version = procedure.latest_version()
    assert version.processing_time_text == "Hai mươi ngày" and version.processing_time_value == Decimal(20)


def test_a_case_the_form_cannot_read_is_refused_in_vietnamese_keeping_what_was_typed(login, world):
    response, procedure = _draft(
        login, world, processing_time_text="20 ngày", processing_time_variants="khi cần thì lâu hơn"
    )
    html = response.content.decode()
    assert procedure is None and "Chưa hiểu được trường hợp “khi cần thì lâu hơn”" in html
    assert 'value="20 ngày"' in html and "khi cần thì lâu hơn</textarea>" in html


# The Excel import -----------------------------------------------------------------------------------------------


def test_the_import_accepts_a_time_limit_as_the_decision_words_it(world):
    text = "20 ngày; trường hợp phải xác minh: 55 ngày"
    result = import_procedures(
        xlsx([good_row(processing_time_value=text, processing_time_unit="")]), owner=world.units["P-A"]
    )
    assert result.ok
    version = Procedure.objects.get(code="TT-0001").latest_version()
    assert version.processing_time_text == text and version.processing_time_value == Decimal(20)
    assert version.processing_time_unit == TimeUnit.DAYS and len(version.processing_time_variants) == 1


def test_the_import_keeps_a_time_limit_it_cannot_read_as_written(world):
    row = good_row(processing_time_value="Theo quy định của pháp luật")
    assert import_procedures(xlsx([row]), owner=world.units["P-A"]).ok
    version = Procedure.objects.get(code="TT-0001").latest_version()
    assert version.processing_time_text == "Theo quy định của pháp luật" and version.processing_time_value is None


def test_a_number_alone_in_the_form_is_a_value_in_the_unit_chosen_beside_it(login, world):
    _, procedure = _draft(login, world, processing_time_text="10", processing_time_unit="working_days")
    version = procedure.latest_version()
    assert version.processing_time_text == "10 ngày làm việc" and version.processing_time_value == Decimal(10)
