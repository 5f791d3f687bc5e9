"""The agency's posting list (danh mục niêm yết: print page and PDF) and the page other websites embed."""

import io
import re
import unicodedata
from datetime import timedelta

from django.urls import reverse

import pytest
from pypdf import PdfReader

from tinhgon.core.dates import today
from tinhgon.core.tests.test_security import policy_of, refused_by_the_policy
from tinhgon.organisations.tests.factories import OrganisationFactory
from tinhgon.portal.tests.conftest import amend, count_queries, issue
from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.tests.factories import complete_components, make_procedure
from tinhgon.test import download_names

HIDDEN_NAMES = ["dự thảo", "đã trình", "đã kiểm soát", "bị trả lại", "chờ hiệu lực", "đã bãi bỏ", "danh mục mẫu"]


def text(response) -> str:
    return response.content.decode()


def listed_names(response) -> list[str]:
    """The procedures of the posting list, in printed order."""
    return re.findall(r'<td class="name"><a href="[^"]+">(.*?)</a>', text(response))


def embedded_names(response) -> list[str]:
    return re.findall(r'<li><a href="[^"]+" target="_blank" rel="noopener">(.*?)</a>', text(response))


def posting(code: str) -> str:
    return reverse("portal:posting-list", args=[code])


def embed(code: str) -> str:
    return reverse("portal:embed", args=[code])


# What is listed ---------------------------------------------------------------------------------------------------


def test_the_posting_list_shows_only_procedures_in_force(client, hidden):
    response = client.get(posting("P-A"))
    assert response.status_code == 200
    assert listed_names(response) == ["Thủ tục kiểm tra bảo mật công khai"]
    for state in HIDDEN_NAMES:
        assert f"bảo mật {state}" not in text(response)


def test_the_embedded_page_shows_only_procedures_in_force(client, hidden):
    response = client.get(embed("P-A"))
    assert embedded_names(response) == ["Thủ tục kiểm tra bảo mật công khai"]
    for state in HIDDEN_NAMES:
        assert f"bảo mật {state}" not in text(response)


def test_a_superseded_version_gives_way_to_the_version_in_force(client, world, publish_many):
    (procedure,) = publish_many(["Thủ tục trước khi sửa đổi"])
    amend(world, procedure, name="Thủ tục sau khi sửa đổi")
    assert listed_names(client.get(posting("P-A"))) == ["Thủ tục sau khi sửa đổi"]
    assert embedded_names(client.get(embed("P-A"))) == ["Thủ tục sau khi sửa đổi"]


def test_the_list_of_an_agency_includes_its_units_and_not_its_siblings(client, publish_many, world):
    publish_many(["Thủ tục của phòng trực thuộc"], owner=world.units["P-A-1"])
    publish_many(["Thủ tục của sở khác"], owner=world.units["P-B"])
    assert listed_names(client.get(posting("P-A"))) == ["Thủ tục của phòng trực thuộc"]
    assert listed_names(client.get(posting("P-A-1"))) == ["Thủ tục của phòng trực thuộc"]
    assert set(listed_names(client.get(posting("P")))) == {"Thủ tục của phòng trực thuộc", "Thủ tục của sở khác"}


def test_the_list_is_grouped_by_group_then_field_with_stt_running_on(client, publish_many):
    publish_many(["Thủ tục B văn thư"], group="B", field_code="van-thu-luu-tru")
    publish_many(["Thủ tục A tổ chức", "Thủ tục A đánh giá"], field_code="to-chuc-can-bo")
    publish_many(["Thủ tục A khen thưởng"], field_code="thi-dua-khen-thuong")
    response = client.get(posting("P-A"))
    page = text(response)
    assert listed_names(response) == [
        "Thủ tục A khen thưởng",  # A: Thi đua - Khen thưởng before Tổ chức cán bộ
        "Thủ tục A đánh giá",  # "đ" is read as "d": before "t"
        "Thủ tục A tổ chức",
        "Thủ tục B văn thư",
    ]
    headings = re.findall(r'<tr class="(?:group|field)"[^>]*><td colspan="5">(.*?)</td>', page)
    assert headings == [
        "A. Thủ tục hành chính nội bộ giữa các cơ quan hành chính nhà nước",
        "I. Lĩnh vực Thi đua - Khen thưởng",
        "II. Lĩnh vực Tổ chức cán bộ",
        "B. Thủ tục hành chính nội bộ trong 01 cơ quan hành chính nhà nước",
        "I. Lĩnh vực Văn thư và lưu trữ nhà nước",
    ]
    assert re.findall(r'<td class="n">(\d+)</td>', page) == ["1", "2", "3", "4"]
    assert "Tổng số: <strong>4</strong> thủ tục (nhóm A: 3; nhóm B: 1)" in page


def test_a_row_shows_code_publishing_decision_processing_time_and_full_address(client, world):
    procedure = make_procedure(
        world.units["P-A"],
        status=Status.CHECKED,
        components=complete_components("Thủ tục có quyết định", processing_time_value=12),
    )
    decision = issue(world, [(procedure.latest_version(), Change.NEW)])
    row = text(client.get(posting("P-A"))).split('<tr class="procedure">', 1)[1].split("</tr>", 1)[0]
    assert f'<td class="code">{procedure.code}</td>' in row
    assert f"{decision.number}<br>ngày {decision.signed_on:%d/%m/%Y}" in row
    assert "12 ngày làm việc" in row
    assert f'href="http://testserver/cong-khai/thu-tuc/{procedure.code}/"' in row
    assert f"http://testserver/cong-khai/thu-tuc/<wbr>{procedure.code}/" in row


def test_the_heading_names_the_parent_and_the_agency_in_capitals_as_of_today(client, world, publish_many):
    publish_many(["Thủ tục bất kỳ"])
    page = text(client.get(posting("P-A")))
    assert '<div>ĐƠN VỊ P</div><div class="bold">ĐƠN VỊ P-A</div>' in page
    assert "thuộc phạm vi quản lý của ĐƠN VỊ P-A đang có hiệu lực</h1>" in page
    assert f"(Tính đến ngày {today():%d/%m/%Y})" in page
    assert "size: A4" in page and "margin: 20mm 15mm 20mm 30mm" in page
    assert 'src="data:image/svg+xml;base64,' in page  # the QR code of the agency's list on the portal


def test_an_agency_without_procedures_in_force_gets_an_empty_list(client, world):
    response = client.get(posting("P-X"))
    assert response.status_code == 200
    assert 'id="posting-empty"' in text(response)


def test_an_earlier_day_lists_the_versions_in_force_that_day(client, world):
    procedure = make_procedure(
        world.units["P-A"], status=Status.CHECKED, components=complete_components("Thủ tục phiên bản đầu")
    )
    issue(world, [(procedure.latest_version(), Change.NEW)], effective_on=today() - timedelta(days=10))
    amend(world, procedure, name="Thủ tục phiên bản sau")
    before = client.get(posting("P-A"), {"ngay": f"{today() - timedelta(days=5):%d/%m/%Y}"})
    assert listed_names(before) == ["Thủ tục phiên bản đầu"]  # still linked: the procedure is in force
    assert "có hiệu lực tại ngày" in text(before)
    assert listed_names(client.get(posting("P-A"), {"ngay": f"{today():%d/%m/%Y}"})) == ["Thủ tục phiên bản sau"]
    assert listed_names(client.get(posting("P-A"), {"ngay": f"{today() - timedelta(days=20):%d/%m/%Y}"})) == []


# The PDF ----------------------------------------------------------------------------------------------------------


def test_the_pdf_is_a_pdf_of_the_same_list_with_the_agency_name(client, world, publish_many):
    publish_many(["Thủ tục in ra giấy"])
    response = client.get(reverse("portal:posting-list-pdf", args=["P-A"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = PdfReader(io.BytesIO(response.content))
    content = unicodedata.normalize("NFC", " ".join(page.extract_text() for page in pdf.pages))
    assert "ĐƠN VỊ P-A" in content and "Thủ tục in ra giấy" in content
    assert "Trang 1/1" in content
    assert "In danh mục" not in content  # the screen toolbar is not printed


def test_the_pdf_has_a_vietnamese_file_name_encoded_for_every_browser(client, world):
    response = client.get(reverse("portal:posting-list-pdf", args=["P-A"]))
    assert download_names(response) == (
        f"Danh mục niêm yết TTHC nội bộ - Đơn vị P-A - {today():%d-%m-%Y}.pdf",
        f"Danh muc niem yet TTHC noi bo - Don vi P-A - {today():%d-%m-%Y}.pdf",
    )


# Refused requests -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["portal:agency", "portal:posting-list", "portal:posting-list-pdf", "portal:embed"])
def test_an_unknown_or_ended_agency_is_404(client, world, name):
    ended = OrganisationFactory(code="ENDED", parent=world.units["P"], valid_to=today() - timedelta(days=1))
    assert client.get(reverse(name, args=["KHONG-CO"])).status_code == 404
    assert client.get(reverse(name, args=[ended.code])).status_code == 404


@pytest.mark.parametrize("value", ["31/02/2025", "hôm nay", "2025-07-01", "01/07/99999", "0/0/0", "1e9"])
def test_an_invalid_day_is_refused_with_a_vietnamese_message(client, world, value):
    for name in ["portal:posting-list", "portal:posting-list-pdf"]:
        response = client.get(reverse(name, args=["P-A"]), {"ngay": value})
        assert response.status_code == 400
        assert "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy" in text(response)


def test_a_day_after_today_is_refused_the_registry_cannot_know_it(client, world):
    response = client.get(posting("P-A"), {"ngay": f"{today() + timedelta(days=1):%d/%m/%Y}"})
    assert response.status_code == 400
    assert "Chỉ xem được danh mục đến ngày hôm nay" in text(response)


def test_an_over_long_search_of_the_embedded_page_is_refused(client, world):
    response = client.get(embed("P-A"), {"q": "x" * 201})
    assert response.status_code == 400
    assert "200" in text(response)


def test_markup_in_a_search_is_shown_as_text(client, world):
    page = text(client.get(embed("P-A"), {"q": '<script>alert("x")</script>', "trang": "abc"}))
    assert "<script>alert" not in page and "&lt;script&gt;" in page


# The embedded page ------------------------------------------------------------------------------------------------


def test_the_embedded_page_may_be_framed_by_any_site(client, world):
    response = client.get(embed("P-A"))
    assert "X-Frame-Options" not in response
    assert policy_of(response)["frame-ancestors"] == ["*"]
    assert policy_of(response)["script-src"] == ["'self'"]  # the rest of the policy is kept


@pytest.mark.parametrize(
    "url", ["/cong-khai/", "/cong-khai/niem-yet/P-A/", "/cong-khai/co-quan/P-A/", "/cong-khai/quyet-dinh/"]
)
def test_every_other_portal_page_refuses_to_be_framed(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert policy_of(response)["frame-ancestors"] == ["'none'"]


def test_the_embedded_page_searches_without_diacritics_and_opens_the_portal_in_a_new_tab(client, publish_many):
    (wanted,) = publish_many(["Thủ tục xét tặng Bằng khen"])
    publish_many(["Thủ tục tiếp nhận công chức"])
    response = client.get(embed("P-A"), {"q": "bang KHEN"})
    assert embedded_names(response) == ["Thủ tục xét tặng Bằng khen"]
    link = f'href="http://testserver/cong-khai/thu-tuc/{wanted.code}/" target="_blank" rel="noopener"'
    assert link in text(response)
    assert embedded_names(client.get(embed("P-A"), {"q": "dang ky"})) == []


def test_the_embedded_page_has_no_site_navigation_and_no_inline_script(client, world, publish_many):
    publish_many(["Thủ tục trong trang nhúng"])
    page = text(client.get(embed("P-A")))
    assert 'id="public-portal-link"' not in page and 'id="top-bar"' not in page
    assert refused_by_the_policy(page) == []


def test_the_embedded_page_is_paged(client, publish_many):
    publish_many([f"Thủ tục số {i:02d}" for i in range(55)])
    first, second = client.get(embed("P-A")), client.get(embed("P-A"), {"trang": "2"})
    assert len(embedded_names(first)) == 50 and len(embedded_names(second)) == 5
    assert 'trang=2" target="_self" rel="next"' in text(first)


# The agency's page and the links to it ----------------------------------------------------------------------------


def test_the_agency_page_gives_the_iframe_snippet_to_copy(client, publish_many):
    publish_many(["Thủ tục một", "Thủ tục hai"])
    page = text(client.get(reverse("portal:agency", args=["P-A"])))
    assert "&lt;iframe src=&quot;http://testserver/cong-khai/nhung/P-A/&quot;" in page
    assert "width=&quot;100%&quot; height=&quot;600&quot;" in page
    assert '<iframe src="/cong-khai/nhung/P-A/"' in page  # the preview
    assert "<strong>2</strong> thủ tục hành chính nội bộ đang có hiệu lực (nhóm A: 2)" in page
    assert 'href="/cong-khai/niem-yet/P-A/"' in page and 'href="/cong-khai/niem-yet/P-A.pdf"' in page
    assert refused_by_the_policy(page) == []


def test_the_search_filtered_by_an_agency_links_its_posting_list(client, publish_many):
    publish_many(["Thủ tục tìm theo cơ quan"])
    page = text(client.get("/cong-khai/", {"co_quan": "P-A"}))
    links = page.split('id="agency-links"', 1)[1].split("</div>", 1)[0]
    assert 'href="/cong-khai/niem-yet/P-A/"' in links and 'href="/cong-khai/co-quan/P-A/#embed-code"' in links
    assert 'id="agency-links"' not in text(client.get("/cong-khai/"))


def test_a_decision_page_links_the_posting_list_of_its_issuer(client, publish_many):
    (procedure,) = publish_many(["Thủ tục của quyết định"])
    decision = procedure.latest_version().decision_items.get().decision
    page = text(client.get(reverse("portal:decision", args=[decision.pk])))
    assert f'href="/cong-khai/niem-yet/{decision.issuer.code}/"' in page


def test_the_procedure_page_links_its_owner(client, publish_many):
    (procedure,) = publish_many(["Thủ tục có cơ quan quản lý"])
    page = text(client.get(reverse("portal:procedure", args=[procedure.code])))
    assert 'href="/cong-khai/co-quan/P-A/"' in page


def test_the_unit_page_of_the_app_links_its_posting_list_and_embed_code(login, world):
    page = text(login(world.focal_a).get(reverse("organisations:detail", args=["P-A"])))
    assert 'href="/cong-khai/niem-yet/P-A/"' in page and "Danh mục niêm yết" in page
    assert 'href="/cong-khai/co-quan/P-A/#embed-code"' in page and "Mã nhúng trang web" in page


# Queries ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/cong-khai/niem-yet/P-A/",
        "/cong-khai/niem-yet/P-A/?ngay={yesterday}",
        "/cong-khai/nhung/P-A/",
        "/cong-khai/nhung/P-A/?q=thu+tuc",
        "/cong-khai/co-quan/P-A/",
    ],
)
def test_query_counts_do_not_grow_with_the_procedures(client, publish_many, url, django_assert_max_num_queries):
    url = url.format(yesterday=f"{today() - timedelta(days=1):%d/%m/%Y}")
    publish_many([f"Thủ tục kiểm tra số {i}" for i in range(5)])
    publish_many(["Thủ tục nhóm B"], group="B", field_code="van-thu-luu-tru")
    small = count_queries(client, url)
    publish_many([f"Thủ tục kiểm tra lô số {i}" for i in range(45)], field_code="to-chuc-can-bo")
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200
