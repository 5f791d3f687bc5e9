"""Uploads checked by content (core/uploads.py) against the corpus of bad files (tests/bad_files, manifest.json),
and the name sanitiser's properties."""

import io
import json
import tracemalloc
import unicodedata
import zipfile

from django.test import override_settings

import pytest
from defusedxml import DefusedXmlException
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tinhgon.core import uploads
from tinhgon.core.tests import corpus
from tinhgon.core.tests.bad_files import make_corpus
from tinhgon.core.uploads import UploadRefused, check_document, check_workbook, sanitise_name

ENTRIES = corpus.entries()


def by_id(file: str) -> corpus.CorpusFile:
    return next(item for item in ENTRIES if item.id == file)


def named(data: bytes, name: str) -> io.BytesIO:
    """A file object carrying a name exactly as given (Django's UploadedFile would already cut it at “/”)."""
    stream = io.BytesIO(data)
    stream.name = name
    return stream


def refusal(check, upload, **kwargs) -> str:
    with pytest.raises(UploadRefused) as refused:
        check(upload, **kwargs)
    return refused.value.messages[0]


def item_id(item) -> str:
    return item.id


# The corpus ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("item", corpus.bad_files("document"), ids=item_id)
def test_check_document_refuses_each_bad_file_with_its_message(item):
    with override_settings(**item.settings):
        message = refusal(check_document, item.upload())
    assert item.document.message in message


@pytest.mark.parametrize("item", corpus.good_files("document"), ids=item_id)
def test_check_document_accepts_each_good_file_with_its_kind_type_and_name(item):
    checked = check_document(named(item.data(), item.upload_name))
    assert (checked.kind, checked.content_type, checked.name) == (
        item.document.kind,
        item.document.content_type,
        item.document.name,
    )


@pytest.mark.parametrize("item", corpus.good_files("document"), ids=item_id)
def test_a_name_django_already_cut_is_sanitised_the_same(item):
    assert check_document(item.upload()).name == item.document.name


@pytest.mark.parametrize("item", corpus.bad_files("workbook"), ids=item_id)
def test_check_workbook_refuses_each_bad_file_with_its_message(item):
    with override_settings(**item.settings):
        message = refusal(check_workbook, item.upload())
    assert item.workbook.message in message


@pytest.mark.parametrize("item", corpus.good_files("workbook"), ids=item_id)
def test_check_workbook_accepts_each_good_workbook(item):
    assert check_workbook(item.upload()) is None


def test_the_corpus_has_at_least_30_bad_files_and_stays_small():
    committed = [path for path in corpus.FOLDER.iterdir() if path.is_file()]
    assert len(corpus.bad_files("document")) >= 30
    assert sum(path.stat().st_size for path in committed) < 2 * 1024 * 1024


def test_the_manifest_is_what_make_corpus_writes(rebuilt):
    assert json.loads((rebuilt / "manifest.json").read_text()) == json.loads(
        (corpus.FOLDER / "manifest.json").read_text()
    )


@pytest.mark.parametrize("item", [i for i in ENTRIES if i.path.parent == corpus.FOLDER], ids=item_id)
def test_each_committed_file_is_what_make_corpus_writes(item, rebuilt):
    # ZIPs are compared member by member: another zlib may deflate the same bytes differently
    assert _content(rebuilt / item.id) == _content(item.path)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    make_corpus.write(folder)
    return folder


def _content(path):
    data = path.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)) or data[:4] != b"PK\x03\x04":
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(m.filename, m.CRC, m.file_size, m.flag_bits) for m in archive.infolist()]


# Workbooks -------------------------------------------------------------------------------------------------------


def test_a_row_bomb_is_refused_with_its_extent_and_the_limit():
    message = refusal(check_workbook, by_id("row_bomb.xlsx").upload())
    assert "Sheet “Dữ liệu” có hơn 20.000 dòng" in message and "đến dòng 2.500.000" in message


def test_rows_are_counted_against_the_setting(settings):
    settings.TINHGON_IMPORT_MAX_ROWS = 1  # good.xlsx has a header and one task
    assert "có hơn 1 dòng" in refusal(check_workbook, by_id("good.xlsx").upload())


def test_the_max_rows_argument_wins_over_the_setting(settings):
    settings.TINHGON_IMPORT_MAX_ROWS = 1
    assert check_workbook(by_id("good.xlsx").upload(), max_rows=2) is None


def test_a_sheet_at_the_limit_is_accepted():
    assert check_workbook(by_id("good.xlsx").upload(), max_rows=2) is None


def test_rows_are_counted_in_flat_memory():
    tracemalloc.start()
    check_workbook(by_id("row_bomb.xlsx").path, max_rows=3_000_000)  # the whole 15 MB sheet streamed
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2 * 1024 * 1024


def test_openpyxl_here_refuses_entity_declarations_too():
    """The second line of defence: openpyxl parses worksheets with defusedxml when it is installed."""
    with pytest.raises(ValueError) as failed:
        load_workbook(by_id("billion_laughs.xlsx").path, read_only=True)
    assert isinstance(failed.value.__cause__, DefusedXmlException)


def test_a_workbook_named_without_extension_is_refused():
    assert "không có đuôi" in refusal(check_workbook, named(by_id("good.xlsx").data(), "bang-tinh"))


def test_a_workbook_without_a_name_is_checked_by_content_alone():
    assert check_workbook(io.BytesIO(by_id("good.xlsx").data())) is None


# ZIP limits ------------------------------------------------------------------------------------------------------


def test_a_zip_of_100000_members_is_refused_before_zipfile_reads_its_directory(monkeypatch):
    monkeypatch.setattr(zipfile, "ZipFile", None)
    message = refusal(check_document, by_id("members_100000.docx").upload())
    assert "quá nhiều thành phần" in message


def test_a_zip_bomb_is_refused_without_inflating_a_member(monkeypatch):
    monkeypatch.setattr(zipfile.ZipFile, "open", None)
    assert "bom nén" in refusal(check_document, by_id("zip_bomb.docx").upload())


def test_the_uncompressed_total_is_limited(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNCOMPRESSED_BYTES", 1000)
    assert "bom nén" in refusal(check_workbook, by_id("good.xlsx").upload())


# Documents -------------------------------------------------------------------------------------------------------


def test_a_jpeg_named_png_is_accepted_under_jpg():
    checked = check_document(named(by_id("good.jpg").data(), "ảnh.png"))
    assert (checked.kind, checked.content_type, checked.name) == ("jpeg", "image/jpeg", "ảnh.jpg")


def test_a_name_without_extension_gets_the_kinds():
    assert check_document(named(by_id("good.pdf").data(), "Quyết định số 12.2024")).name == "Quyết định số 12.2024.pdf"


def test_a_nameless_upload_is_named_by_its_kind():
    assert check_document(io.BytesIO(by_id("good.png").data())).name == "tệp.png"


def test_the_allowed_kinds_can_be_narrowed():
    message = refusal(check_document, by_id("good.png").upload(), allowed={"pdf"})
    assert message.startswith("Tệp không phải tài liệu PDF: nội dung thực tế là ảnh PNG")


def test_a_path_is_checked_like_an_upload():
    assert check_document(by_id("good.odt").path).kind == "odt"


def test_the_position_of_the_upload_is_left_at_the_start():
    upload = by_id("good.docx").upload()
    upload.seek(100)
    check_document(upload)
    assert upload.tell() == 0


def test_a_refusal_is_a_validation_error_coded_upload_refused():
    with pytest.raises(UploadRefused) as refused:
        check_document(by_id("empty.pdf").upload())
    assert refused.value.code == "upload_refused"


def test_the_default_limits_apply_when_the_settings_are_missing(settings):
    del settings.TINHGON_MAX_UPLOAD_MB
    assert (uploads.max_upload_bytes(), uploads.import_max_rows()) == (20 * 1024 * 1024, 20_000)


# Names -----------------------------------------------------------------------------------------------------------


def test_names_keep_vietnamese_letters_composed():
    assert sanitise_name(unicodedata.normalize("NFD", "Báo cáo quý I.pdf")) == "Báo cáo quý I.pdf"


def test_names_lose_directories_and_characters_windows_forbids():
    assert sanitise_name('C:\\Users\\cv/Kế hoạch: "CCHC" <2026>?.docx') == "Kế hoạch CCHC 2026.docx"


def test_names_lose_leading_dots_and_reserved_device_names():
    assert (sanitise_name("..htaccess.pdf"), sanitise_name("NUL.txt")) == ("htaccess.pdf", "_NUL.txt")


def test_an_extension_given_replaces_the_names_own():
    assert sanitise_name("bao-cao.jpg", extension=".PNG") == "bao-cao.png"


ANY_NAME = st.text(max_size=600)
EXTENSIONS = st.sampled_from([".pdf", ".docx", ".xlsx", ".odt", ".ods", ".jpg", ".jpeg", ".png"])


@given(ANY_NAME)
def test_a_sanitised_name_is_never_empty(name):
    assert sanitise_name(name)


@given(ANY_NAME)
def test_a_sanitised_name_has_no_separator_nul_or_control_character(name):
    result = sanitise_name(name)
    assert not any(c in "/\\\x00" or unicodedata.category(c) in {"Cc", "Cf"} for c in result)


@given(ANY_NAME)
def test_sanitising_is_idempotent(name):
    assert sanitise_name(sanitise_name(name)) == sanitise_name(name)


@given(ANY_NAME, EXTENSIONS)
def test_sanitising_with_an_extension_is_idempotent(name, extension):
    once = sanitise_name(name, extension=extension)
    assert sanitise_name(once, extension=extension) == once


@given(ANY_NAME, EXTENSIONS)
def test_a_sanitised_name_keeps_its_extension(stem, extension):
    assert sanitise_name(stem + extension).endswith(extension)


@given(ANY_NAME)
def test_a_sanitised_name_fits_any_file_system(name):
    result = sanitise_name(name)
    assert len(result) <= uploads.MAX_NAME_LENGTH and len(result.encode()) <= uploads.MAX_NAME_BYTES


@given(ANY_NAME)
def test_a_sanitised_name_is_composed(name):
    result = sanitise_name(name)
    assert unicodedata.is_normalized("NFC", result) and not result.startswith((".", " "))
