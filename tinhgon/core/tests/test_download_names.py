"""Download names (core.files): Vietnamese, safe as a file name, with an ASCII fallback for older clients."""

from django.http import HttpResponse

from tinhgon.core.files import ascii_name, disposition, download, download_name
from tinhgon.test import download_names


def test_a_download_name_keeps_vietnamese_and_replaces_slashes():
    name = download_name("Quyết định 680/QĐ-UBND công bố TTHC nội bộ (dự thảo)", "docx")
    assert name == "Quyết định 680-QĐ-UBND công bố TTHC nội bộ (dự thảo).docx"


def test_a_download_name_has_no_backslash_or_character_windows_refuses():
    assert download_name('Báo cáo\\quý: "III" <2026>|?*', "xlsx") == "Báo cáo-quý- -III- -2026.xlsx"


def test_a_download_name_is_composed_and_single_spaced():
    decomposed = "Ba\u0301o ca\u0301o  quy\u0301\nIII"
    assert download_name(decomposed, "pdf") == "Báo cáo quý III.pdf"


def test_a_long_title_is_cut_at_a_word_within_the_bound():
    title = "Quyết định " + "công bố thủ tục hành chính nội bộ " * 10
    name = download_name(title, "docx")
    assert len(name) <= 120 + len(".docx") and title.startswith(name.removesuffix(".docx") + " ")


def test_an_empty_title_still_names_the_file():
    assert download_name(" / ", "ics") == "tai-ve.ics"


def test_the_ascii_fallback_drops_marks_and_reads_d_for_dd():
    assert ascii_name("Quyết định 680-QĐ-UBND (dự thảo).docx") == "Quyet dinh 680-QD-UBND (du thao).docx"


def test_a_vietnamese_name_is_sent_as_rfc_5987_with_an_ascii_fallback_first():
    header = disposition("Mẫu nhập nhiệm vụ.xlsx")
    assert header.startswith("attachment; filename=\"Mau nhap nhiem vu.xlsx\"; filename*=utf-8''")
    assert download_names(HttpResponse(headers={"Content-Disposition": header})) == (
        "Mẫu nhập nhiệm vụ.xlsx",
        "Mau nhap nhiem vu.xlsx",
    )


def test_an_ascii_name_is_sent_as_is():
    assert disposition("nhiem-vu.ics", attachment=False) == 'inline; filename="nhiem-vu.ics"'


def test_a_generated_download_has_its_type_from_the_extension_and_no_sniffing():
    response = download(b"BEGIN:VCALENDAR", "Nhiệm vụ · Sở Nội vụ", "ics", attachment=False)
    assert (
        response["Content-Type"] == "text/calendar; charset=utf-8" and response["X-Content-Type-Options"] == "nosniff"
    )
    assert response["Content-Disposition"].startswith("inline;")
    assert download_names(response)[0] == "Nhiệm vụ · Sở Nội vụ.ics"
