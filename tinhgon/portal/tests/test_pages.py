import re
from datetime import timedelta

import pytest

from tinhgon.core.dates import today
from tinhgon.portal.tests.conftest import HIDDEN_STATES, amend, count_queries, issue, publish_draft
from tinhgon.procedures.constants import Change
from tinhgon.procedures.models import ProcedureForm
from tinhgon.procedures.tests.factories import complete_components, make_procedure
from tinhgon.test import download_names

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def text(response) -> str:
    return response.content.decode()


def result_names(response) -> list[str]:
    """Names of the result list, in order, without the <mark> tags."""
    html = text(response).split('id="results"', 1)[1].split("</ol>", 1)[0]
    names = re.findall(r'<a class="fw-bold" href="[^"]+">(.*?)</a>', html, re.S)
    return [re.sub(r"</?mark>", "", n) for n in names]


# Anonymous access and visibility --------------------------------------------------------------------------------


def test_portal_pages_open_anonymously_and_link_from_the_header(client, hidden):
    for url in [
        "/cong-khai/",
        "/cong-khai/?q=bao+mat",
        "/cong-khai/quyet-dinh/",
        f"/cong-khai/thu-tuc/{hidden.public.code}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'id="public-portal-link"' in text(response)
        assert "Đăng xuất" not in text(response) and "Các phân hệ" not in text(response)


def test_logged_in_users_see_the_same_public_pages(login, world, hidden):
    client = login(world.officer_a1)
    response = client.get("/cong-khai/?q=bao+mat")
    assert result_names(response) == ["Thủ tục kiểm tra bảo mật công khai"]
    assert "Các phân hệ" in text(response)


@pytest.mark.parametrize("url", ["/cong-khai/", "/cong-khai/?q=kiem+tra+bao+mat", "/cong-khai/?q=kiem+tra+bao+mt"])
def test_only_procedures_in_force_are_listed_and_searched(client, hidden, url):
    response = client.get(url)
    assert result_names(response) == ["Thủ tục kiểm tra bảo mật công khai"]
    page = text(response)
    for state in ["dự thảo", "đã trình", "đã kiểm soát", "bị trả lại", "chờ hiệu lực", "đã bãi bỏ", "danh mục mẫu"]:
        assert f"bảo mật {state}" not in page


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_a_guessed_address_of_a_hidden_procedure_is_404(client, hidden, state):
    code = getattr(hidden, state).code
    for suffix in ["", "tai-ve.docx", "tai-ve.pdf"]:
        assert client.get(f"/cong-khai/thu-tuc/{code}/{suffix}").status_code == 404, (state, suffix)


def test_an_amended_procedure_shows_its_version_in_force(client, world, publish_many):
    (procedure,) = publish_many(["Thủ tục trước khi sửa đổi"])
    amend(world, procedure, name="Thủ tục sau khi sửa đổi", processing_time_value=15)
    response = client.get(f"/cong-khai/thu-tuc/{procedure.code}/")
    assert "Thủ tục sau khi sửa đổi" in text(response) and "trước khi sửa đổi" not in text(response)
    assert "15 ngày làm việc" in text(response)
    assert result_names(client.get("/cong-khai/?q=sua+doi")) == ["Thủ tục sau khi sửa đổi"]


# Decisions ------------------------------------------------------------------------------------------------------


def test_decision_list_shows_issued_and_applied_decisions_with_counts(client, hidden):
    response = client.get("/cong-khai/quyet-dinh/")
    page = text(response)
    assert hidden.pending_decision.number in page and hidden.abolishing_decision.number in page
    assert "999/QĐ-DT" not in page  # a draft decision never appears
    assert client.get(f"/cong-khai/quyet-dinh/{hidden.draft_decision.pk}/").status_code == 404
    row = page.split(hidden.abolishing_decision.number, 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="text-center">(\d+)</td>', row) == ["0", "0", "0", "1"]
    assert hidden.abolishing_decision.effective_on.strftime("%d/%m/%Y") in row


def test_a_decision_page_names_ended_versions_but_never_scheduled_ones(client, hidden):
    abolishing = text(client.get(f"/cong-khai/quyet-dinh/{hidden.abolishing_decision.pk}/"))
    assert "Thủ tục kiểm tra bảo mật đã bãi bỏ" in abolishing and "Bãi bỏ" in abolishing
    assert f'href="/cong-khai/thu-tuc/{hidden.abolished.code}/"' not in abolishing  # ended: named, not linked

    pending = text(client.get(f"/cong-khai/quyet-dinh/{hidden.pending_decision.pk}/"))
    assert "bảo mật chờ hiệu lực" not in pending
    assert re.search(r'id="pending">1 thủ tục sẽ được công khai', pending)
    effective = (today() + timedelta(days=10)).strftime("%d/%m/%Y")
    assert effective in pending


def test_a_decision_page_links_the_procedures_it_published(client, world, publish_many):
    (procedure,) = publish_many(["Thủ tục được công bố rồi sửa đổi"])
    first = procedure.latest_version().decision_items.get().decision
    amend(world, procedure)
    page = text(client.get(f"/cong-khai/quyet-dinh/{first.pk}/"))
    assert "Thủ tục được công bố rồi sửa đổi" in page
    assert f'href="/cong-khai/thu-tuc/{procedure.code}/"' in page  # version 1 ended, the procedure is in force


# The procedure page and its downloads ----------------------------------------------------------------------------


def test_the_procedure_page_lays_out_every_component(client, world):
    components = complete_components(
        "Thủ tục xét tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        coordinating_bodies="Ban Thi đua - Khen thưởng tỉnh",
        conditions="Đơn vị có thành tích xuất sắc",
        channels=["in_person", "online"],
    )
    components.dossier_items[1].update({"copies": 2, "certified_copies": 1, "obtainable_from_data": True})
    procedure = make_procedure(world.units["P-A"], components=components)
    version = procedure.latest_version()
    # bulk_create: saving a ProcedureForm with a file fails in the audit trail today (FieldFile is not JSON).
    ProcedureForm.objects.bulk_create(
        [ProcedureForm(version=version, name="Mẫu tờ trình đề nghị khen thưởng", order=1, file="mau/to-trinh.docx")]
    )
    publish_draft(world, procedure)

    response = client.get(f"/cong-khai/thu-tuc/{procedure.code}/")
    page = text(response)
    decision = version.decision_items.get().decision
    expected = [
        "Thủ tục xét tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "Bước 1",
        "Cơ quan, đơn vị đề nghị",
        "Lập hồ sơ đề nghị, gửi Sở Nội vụ",
        "Bước 3",
        "(thời gian: 05 ngày)",
        "Trực tiếp",
        "Trực tuyến, qua hệ thống điện tử",
        "Tờ trình đề nghị khen thưởng",
        "Báo cáo thành tích",
        "Có thể khai thác từ dữ liệu sẵn có",
        "Số lượng hồ sơ: <strong>01 bộ</strong>",
        "20 ngày làm việc",
        "Các sở, ban, ngành; UBND cấp xã",
        "Chủ tịch UBND tỉnh",
        "Sở Nội vụ (Ban Thi đua - Khen thưởng)",
        "Ban Thi đua - Khen thưởng tỉnh",
        "Quyết định tặng Bằng khen",
        "Mẫu tờ trình đề nghị khen thưởng",
        "Đơn vị có thành tích xuất sắc",
        "Luật Thi đua, khen thưởng số 06/2024/QH15 ngày 15/06/2022 của Quốc hội (Điều 84)",
        "Đơn vị P-A",
        "Nhóm A: giữa các cơ quan hành chính nhà nước",
        "Cấp tỉnh",
        "Thi đua - Khen thưởng",
        f"Quyết định số {decision.number}",
        f'Có hiệu lực từ</dt><dd id="effective-from">{today():%d/%m/%Y}',
        f"/cong-khai/thu-tuc/{procedure.code}/tai-ve.docx",
        f"/cong-khai/thu-tuc/{procedure.code}/tai-ve.pdf",
    ]
    for snippet in expected:
        assert snippet in page, snippet
    dossier = page.split('id="dossier"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"Báo cáo thành tích</td><td[^>]*>01</td><td[^>]*>02</td><td[^>]*>01</td>", dossier)
    form = ProcedureForm.objects.get(name="Mẫu tờ trình đề nghị khen thưởng")
    assert f'<a href="/thu-tuc/mau-don/{form.pk}/tai-ve/" download>Mẫu tờ trình đề nghị khen thưởng</a>' in page


def test_downloads_return_word_and_pdf_for_a_procedure_in_force(client, publish_many):
    (procedure,) = publish_many(["Thủ tục xét tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"])
    docx = client.get(f"/cong-khai/thu-tuc/{procedure.code}/tai-ve.docx")
    assert docx.status_code == 200 and docx["Content-Type"] == DOCX
    assert docx.content[:2] == b"PK"
    pdf = client.get(f"/cong-khai/thu-tuc/{procedure.code}/tai-ve.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content[:5] == b"%PDF-"


def test_a_procedure_downloads_under_its_code_and_name(client, publish_many):
    (procedure,) = publish_many(["Thủ tục xét tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"])
    stem = f"Thủ tục {procedure.code} - Thủ tục xét tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
    for ext in ("docx", "pdf"):
        name, fallback = download_names(client.get(f"/cong-khai/thu-tuc/{procedure.code}/tai-ve.{ext}"))
        assert name == f"{stem}.{ext}" and fallback.startswith(f"Thu tuc {procedure.code} - Thu tuc xet tang Bang khen")


# Search page: highlighting, approximate results, pagination, filters, facets -------------------------------------


def test_search_highlights_words_typed_without_diacritics(client, publish_many):
    publish_many(["Thủ tục xét tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"])
    page = text(client.get("/cong-khai/?q=xet+tang+bang+khen"))
    assert "Thủ tục <mark>xét tặng Bằng khen</mark> của Chủ tịch" in page
    assert "Tìm thấy <strong>1</strong> thủ tục" in page and "gần đúng" not in page


def test_a_typo_shows_approximate_results_with_a_notice(client, publish_many):
    publish_many(["Thủ tục đề nghị khen thưởng đột xuất", "Thủ tục cấp nước sinh hoạt"], field_code="to-chuc-can-bo")
    response = client.get("/cong-khai/?q=khen+thuog")  # corrected: the words searched are named and marked
    page = text(response)
    assert "Không tìm thấy thủ tục nào chứa đúng “khen thuog”; kết quả cho “<strong>khen thuong</strong>”" in page
    assert "<mark>khen thưởng</mark>" in page and "thủ tục cho “khen thuong”" in page
    assert result_names(response) == ["Thủ tục đề nghị khen thưởng đột xuất"]
    response = client.get("/cong-khai/?q=khen+thuong+nuoc")  # known words, never together: trigram matching
    assert "Không tìm thấy kết quả khớp chính xác; các kết quả gần đúng:" in text(response)
    assert result_names(response) == ["Thủ tục đề nghị khen thưởng đột xuất"]
    nothing = text(client.get("/cong-khai/?q=xyzzy+qwerty"))
    assert "gần đúng" not in nothing and 'id="no-results"' in nothing


def test_search_results_are_paginated_by_20_with_the_query_kept(client, publish_many):
    publish_many([f"Thủ tục phân trang số {i:02d}" for i in range(25)])
    first = client.get("/cong-khai/?q=phan+trang")
    assert len(result_names(first)) == 20 and "Tìm thấy <strong>25</strong> thủ tục" in text(first)
    assert 'href="?q=phan+trang&amp;trang=2"' in text(first)
    second = client.get("/cong-khai/?q=phan+trang&trang=2")
    assert len(result_names(second)) == 5
    assert set(result_names(first)).isdisjoint(result_names(second))
    browse = client.get("/cong-khai/?trang=2")
    assert len(result_names(browse)) == 5 and "<strong>25</strong> thủ tục đang có hiệu lực" in text(browse)
    assert len(result_names(client.get("/cong-khai/?trang=99"))) == 5  # past the end: the last page


def test_browse_orders_by_owner_field_and_name(client, world, publish_many):
    publish_many(["Thủ tục B của sở"], owner=world.units["P-B"])  # "Đơn vị P-B"
    publish_many(["Thủ tục Z"], field_code="tai-chinh")
    publish_many(["Thủ tục Y"], field_code="thi-dua-khen-thuong")
    publish_many(["Thủ tục X"], field_code="tai-chinh")
    assert result_names(client.get("/cong-khai/")) == ["Thủ tục X", "Thủ tục Z", "Thủ tục Y", "Thủ tục B của sở"]


def test_filters_by_owner_subtree_field_group_and_level(client, world, publish_many):
    publish_many(["Thủ tục của sở A"])
    publish_many(["Thủ tục của phòng A1"], owner=world.units["P-A-1"], field_code="tai-chinh", group="B")
    publish_many(["Thủ tục của xã"], owner=world.units["P-X"], level="commune")

    def names(params):
        return sorted(result_names(client.get(f"/cong-khai/?{params}")))

    assert names("co_quan=P-A") == ["Thủ tục của phòng A1", "Thủ tục của sở A"]
    assert names("co_quan=P") == ["Thủ tục của phòng A1", "Thủ tục của sở A", "Thủ tục của xã"]
    assert names("co_quan=P-X&q=thu+tuc") == ["Thủ tục của xã"]
    assert names("linh_vuc=tai-chinh") == ["Thủ tục của phòng A1"]
    assert names("nhom=B") == ["Thủ tục của phòng A1"]
    assert names("cap=commune") == ["Thủ tục của xã"]
    assert names("nhom=A&cap=province&q=cua") == ["Thủ tục của sở A"]
    invalid = client.get("/cong-khai/?nhom=Z")
    assert invalid.status_code == 200 and len(result_names(invalid)) == 3  # an invalid filter is ignored
    chosen = text(client.get("/cong-khai/?co_quan=P-A-1")).split('name="co_quan"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r"<option[^>]*>([^<]*)<", chosen) == ["Tất cả", "Đơn vị P-A-1 — Đơn vị P-A"]


def test_facets_count_fields_and_groups_of_the_results(client, world, publish_many):
    publish_many(["Thủ tục khen một", "Thủ tục khen hai"])
    publish_many(["Thủ tục tài chính khen"], field_code="tai-chinh", group="B")
    publish_many(["Thủ tục tài chính khác"], field_code="tai-chinh")

    def facets(html, box):
        part = html.split(f'id="{box}"', 1)[1].split("</div>\n    </div>", 1)[0]
        return dict(re.findall(r"<span>([^<✕]+?)(?: ✕)?</span><span class=\"badge[^\"]*\">(\d+)</span>", part))

    page = text(client.get("/cong-khai/"))
    assert facets(page, "facet-fields") == {"Thi đua - Khen thưởng": "2", "Tài chính": "2"}
    assert facets(page, "facet-groups") == {"Nhóm A": "3", "Nhóm B": "1"}
    searched = text(client.get("/cong-khai/?q=khen"))
    assert facets(searched, "facet-fields") == {"Thi đua - Khen thưởng": "2", "Tài chính": "1"}
    assert 'href="?q=khen&amp;linh_vuc=tai-chinh"' in searched
    narrowed = text(client.get("/cong-khai/?q=khen&linh_vuc=tai-chinh"))
    assert facets(narrowed, "facet-fields") == {"Tài chính": "1"}
    assert 'href="?q=khen"' in narrowed  # clicking the active facet removes it


# Query counts ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/cong-khai/",
        "/cong-khai/?q=kiem+tra",
        "/cong-khai/?q=kiem+tr",  # exact
        "/cong-khai/?q=kiem+traa+thu",  # approximate
        "/cong-khai/?q=kiem&co_quan=P&linh_vuc=thi-dua-khen-thuong&nhom=A&cap=province&trang=2",
        "/cong-khai/?co_quan_ten=don+vi+p-a",  # the agency typed without JavaScript
        "/cong-khai/co-quan/?q=don+vi",  # the agency picker
        "/cong-khai/quyet-dinh/",
    ],
)
def test_query_counts_do_not_grow_with_the_data(client, publish_many, url, django_assert_max_num_queries):
    publish_many([f"Thủ tục kiểm tra số {i}" for i in range(3)])
    small = count_queries(client, url)
    for batch in range(3):
        publish_many([f"Thủ tục kiểm tra lô {batch} số {i}" for i in range(12)])
    # Fewer is fine: on the small data page 2 is past the end, and the last page is then read again (one query).
    with django_assert_max_num_queries(small):
        client.get(url)


def test_procedure_and_decision_pages_query_counts_do_not_grow(client, world):
    def published_with(n_parts: int, n_procedures: int):
        procedures = []
        for i in range(n_procedures):
            components = complete_components(f"Thủ tục nhiều thành phần {n_parts} số {i}")
            components.steps *= n_parts
            components.dossier_items *= n_parts
            components.legal_bases *= n_parts
            procedure = make_procedure(world.units["P-A"], components=components)
            ProcedureForm.objects.bulk_create(
                ProcedureForm(version=procedure.latest_version(), name=f"Mẫu {j}", order=j + 1, file=f"mau/{j}.docx")
                for j in range(n_parts)
            )
            procedures.append(procedure)
        for procedure in procedures:
            version = procedure.latest_version()
            version.submit()
            version.control()
        decision = issue(world, [(p.latest_version(), Change.NEW) for p in procedures])
        return procedures[0], decision

    (small, small_decision), (big, big_decision) = published_with(1, 1), published_with(6, 8)
    pages = [f"/cong-khai/thu-tuc/{p.code}/" for p in (small, big)]
    assert count_queries(client, pages[0]) == count_queries(client, pages[1])
    decisions = [f"/cong-khai/quyet-dinh/{d.pk}/" for d in (small_decision, big_decision)]
    assert count_queries(client, decisions[0]) == count_queries(client, decisions[1])
