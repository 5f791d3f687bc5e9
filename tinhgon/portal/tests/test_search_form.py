"""The portal's search form at national size: the agency filter holds only the agency chosen and is searched by
typing (portal:agencies), so the page does not carry the country's 8,000 agencies; without JavaScript a name typed
in `co_quan_ten` chooses the agency. The field list is still one LongSelect (core.forms)."""

import json
import re
import unicodedata

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tinhgon.core.forms import LongSelect
from tinhgon.core.middleware import NUL_MESSAGE
from tinhgon.organisations.tests.factories import OrganisationFactory
from tinhgon.portal import queries
from tinhgon.portal.queries import agencies_matching, public_versions
from tinhgon.portal.tests.conftest import issue
from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.tests.factories import make_procedure
from tinhgon.test import SINCE

pytestmark = pytest.mark.django_db

LOOKUP = "/cong-khai/co-quan/"


def test_a_long_select_escapes_values_and_labels_and_marks_the_chosen_one():
    widget = LongSelect(choices=[("", "Tất cả"), ("A&B", "Sở <Nội vụ>"), ("C", "Sở Tài chính")])
    html = widget.render("co_quan", "A&B", attrs={"id": "id_co_quan"})
    assert '<select id="id_co_quan" name="co_quan">' in html
    assert '<option value="A&amp;B" selected>Sở &lt;Nội vụ&gt;</option>' in html
    assert '<option value="C">Sở Tài chính</option>' in html


def agencies_with_procedures(world, n: int, batch: str = "") -> None:
    """`n` departments of P named “Sở Kiểm Thử <batch>k”, each owning one procedure, published by one decision."""
    units = [
        OrganisationFactory(
            code=f"P-K{batch}{k}", name=f"Sở Kiểm Thử {batch}{k}", parent=world.units["P"], valid_from=SINCE
        )
        for k in range(n)
    ]
    procedures = [make_procedure(unit, status=Status.CHECKED) for unit in units]
    issue(world, [(p.latest_version(), Change.NEW) for p in procedures])


def options_of_the_agency_filter(html: str) -> list[str]:
    select = html.split('name="co_quan"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option[^>]*>([^<]*)<", select)


def found(client, q) -> list[str]:
    response = client.get(LOOKUP, {"q": q})
    assert response.status_code == 200
    return [row["value"] for row in json.loads(response.content)["results"]]


# The search page -------------------------------------------------------------------------------------------------


def test_the_search_page_carries_no_agency_list_however_many_agencies_have_procedures(client, world):
    agencies_with_procedures(world, 30)
    small = client.get("/cong-khai/")
    html = small.content.decode()
    assert options_of_the_agency_filter(html) == ["Tất cả"]
    assert "Sở Kiểm Thử 29" not in html  # not in the page at all: the results list shows 20 of 30, by name
    assert 'data-unit-search="/cong-khai/co-quan/"' in html


def test_the_chosen_agency_is_the_one_option_besides_all_and_is_selected(client, world, published):
    published(world.units["P-A-1"])
    html = client.get("/cong-khai/", {"co_quan": "P-A-1"}).content.decode()
    assert options_of_the_agency_filter(html) == ["Tất cả", "Đơn vị P-A-1 — Đơn vị P-A"]
    assert '<option value="P-A-1" selected>' in html
    assert 'id="agency-links"' in html  # the chosen agency's posting list is linked


def test_an_unknown_agency_code_is_reported_and_ignored(client, world, published):
    published(world.units["P-A-1"])
    html = client.get("/cong-khai/", {"co_quan": "KHONG-CO"}).content.decode()
    assert "Không có cơ quan mang mã này" in html and 'id="agency-links"' not in html
    assert options_of_the_agency_filter(html) == ["Tất cả"]


def test_without_javascript_a_name_typed_chooses_the_agency(client, world, published):
    published(world.units["P-A-1"])
    published(world.units["P-X"])
    html = client.get("/cong-khai/", {"co_quan_ten": "  DON VI   p-x "}).content.decode()
    assert '<option value="P-X" selected>' in html and 'id="agency-links"' in html
    assert 'id="agency-by-name"' in html  # the text field is in a <noscript>


def test_a_name_matching_no_agency_is_reported_and_the_search_is_unfiltered(client, world, published):
    published(world.units["P-A-1"])
    response = client.get("/cong-khai/", {"co_quan_ten": "khong ton tai"})
    html = response.content.decode()
    assert response.status_code == 200 and "Không tìm thấy cơ quan nào" in html and 'id="agency-links"' not in html


# The picker's endpoint -------------------------------------------------------------------------------------------


def test_the_agencies_suggested_own_procedures_in_force_or_are_above_one(world, published):
    published(world.units["P-A-1"])
    codes = {unit.code for unit in agencies_matching("don vi", public_versions())}
    assert codes == {"P", "P-A", "P-A-1"}  # not P-B, P-X or Q: nothing in force in their subtree


@pytest.mark.parametrize("q", ["Đơn vị P-A", "đơn VỊ p-a", "don vi p-a", unicodedata.normalize("NFD", "Đơn vị P-A")])
def test_the_picker_folds_diacritics_case_and_d_as_the_search_does(client, world, published, q):
    published(world.units["P-A-1"])
    assert found(client, q) == ["P-A", "P-A-1"]


def test_the_picker_answers_anonymous_visitors_with_a_shareable_json_list(client, world, published):
    published(world.units["P-A-1"])
    response = client.get(LOOKUP, {"q": "p-a-1"})
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["results"] == [
        {"value": "P-A-1", "text": "Đơn vị P-A-1 — Đơn vị P-A", "parent": "Đơn vị P-A"}
    ]
    assert "public" in response["Cache-Control"] and "s-maxage" in response["Cache-Control"]


def test_the_picker_suggests_at_most_its_limit(client, world, published, monkeypatch):
    published(world.units["P-A-1"])
    monkeypatch.setattr(queries, "AGENCIES_SHOWN", 2)
    assert found(client, "don vi") == ["P", "P-A"]


@pytest.mark.parametrize("q", ["", "   ", "%", "_", "%%", "p_a", "p%a", "'; drop table x; --"])
def test_nothing_typed_or_wildcards_suggest_nothing(client, world, published, q):
    published(world.units["P-A-1"])
    assert found(client, q) == []


@pytest.mark.parametrize(
    "q, reason",
    [("x" * 101, "dài quá"), ("so\x1btai", "ký tự không hợp lệ"), ("so\x7ftai", "ký tự không hợp lệ")],
)
def test_a_hostile_query_is_refused_with_its_reason(client, world, q, reason):
    response = client.get(LOOKUP, {"q": q})
    body = json.loads(response.content)
    assert response.status_code == 400 and body["results"] == [] and reason in body["detail"]
    assert "public" not in response.get("Cache-Control", "")


def test_a_nul_in_the_query_is_refused_before_the_view(client, world):
    response = client.get(LOOKUP, {"q": "so\x00tai"})
    assert response.status_code == 400 and NUL_MESSAGE in response.content.decode()


def test_a_tab_typed_in_the_picker_is_a_space(client, world, published):
    published(world.units["P-A-1"])
    assert found(client, "don\tvi p-a-1") == ["P-A-1"]


def test_the_picker_query_count_does_not_grow_with_the_agencies(client, world):
    agencies_with_procedures(world, 2)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LOOKUP, {"q": "so kiem thu"}).status_code == 200
        return len(captured)

    few = count()
    agencies_with_procedures(world, 24, batch="L")
    assert (few, len(found(client, "so kiem thu"))) == (count(), 20)
