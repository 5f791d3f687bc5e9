"""The public API of the disclosure portal (`/api/v1/public/procedures/`): no authentication, read only, and only the
versions in force, whatever the code or the query. Integrators rely on its field names and on DRF's page-number
pagination, so both are checked here as a contract."""

import re
from datetime import timedelta
from decimal import Decimal

from django.conf import settings

import pytest
from rest_framework.test import APIClient

from tinhgon.core.dates import today
from tinhgon.portal.tests.conftest import HIDDEN_STATES, amend, count_queries, issue, publish_draft
from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.models import Field, Procedure, ProcedureVersion, PublicationDecision
from tinhgon.procedures.services import version_start_next, version_update
from tinhgon.procedures.tests.factories import complete_components, field, make_procedure

URL = "/api/v1/public/procedures/"
CONTROL = "Thủ tục kiểm tra bảo mật công khai"

SUMMARY_FIELDS = {
    *("code", "name", "group", "level", "field", "owner", "owner_name"),
    *("version", "in_transition", "effective_from", "effective_to"),
}
DETAIL_FIELDS = {
    "code",
    "national_code",
    "name",
    "group",
    "level",
    "field",
    "owner",
    "owner_name",
    "steps",
    "channels",
    "dossier_items",
    "dossier_sets",
    "processing_time",
    "performers",
    "authority",
    "performing_body",
    "coordinating_bodies",
    "result",
    "fees",
    "forms",
    "conditions",
    "legal_bases",
    "version",
    "in_transition",
    "effective_from",
    "effective_to",
    "decisions",
}
# Columns of the registry that must never reach the public.
INTERNAL_FIELDS = {"id", "status", "review_comment", "is_public", "search_text", "row_version", "created_by"}


def detail_url(code: str) -> str:
    return f"{URL}{code}/"


def listed(client, query: str = "", **headers) -> dict:
    response = client.get(URL + query, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def listed_names(client, query: str = "") -> list[str]:
    return [row["name"] for row in listed(client, query)["results"]]


def every_page(client, query: str) -> tuple[list[dict], list[dict]]:
    """The rows of every page, following `next` from the first one, and the pages' bodies."""
    rows, bodies, url = [], [], URL + query
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        bodies.append(response.json())
        rows += bodies[-1]["results"]
        url = bodies[-1]["next"]
    return rows, bodies


def publish_in_q(world, name, field_code):
    """A procedure of Q-A in force, published by a decision of province Q."""
    components = complete_components(name, field=field(field_code))
    procedure = make_procedure(world.units["Q-A"], status=Status.CHECKED, components=components)
    issue(world, [(procedure.latest_version(), Change.NEW)], issuer=world.units["Q"])
    return procedure


@pytest.fixture
def anonymous():
    return APIClient()


# No authentication, read only ------------------------------------------------------------------------------------


def test_anonymous_clients_are_served_without_authentication(anonymous, hidden):
    body = listed(anonymous)
    assert [row["code"] for row in body["results"]] == [hidden.public.code]
    assert anonymous.get(detail_url(hidden.public.code)).status_code == 200


def test_bogus_credentials_are_ignored_not_refused(api, anonymous, hidden):
    """authentication_classes = []: no header or cookie is even read, so a stale token is no reason for a 401."""
    expected = listed(anonymous)
    bogus_token = api()
    bogus_token.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    bogus_session = APIClient()
    bogus_session.cookies["sessionid"] = "not-a-session"
    for client in [bogus_token, bogus_session]:
        assert listed(client) == expected
        assert client.get(detail_url(hidden.public.code)).status_code == 200
    # The registry API, by contrast, refuses the same token.
    assert bogus_token.get("/api/v1/procedures/").status_code == 401


def test_a_member_of_the_owner_sees_only_the_public_data_too(api, login, world, anonymous, hidden):
    """focal_a may read P-A's drafts in the registry; through the public API, with a valid token or a session, they
    get exactly what an anonymous client gets."""
    expected = listed(anonymous)
    for client in [api(world.focal_a), login(world.focal_a)]:
        assert listed(client) == expected
        assert client.get(detail_url(hidden.draft.code)).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused_and_change_nothing(anonymous, api, world, hidden, method):
    before = (Procedure.objects.count(), ProcedureVersion.objects.count(), listed(anonymous))
    detail = anonymous.get(detail_url(hidden.public.code)).json()
    body = {"name": "Tên bị sửa trái phép", "group": "B"}
    for client in [anonymous, api(world.admin)]:
        for url in [URL, detail_url(hidden.public.code)]:
            assert getattr(client, method)(url, body, format="json").status_code == 405, (method, url)
    assert (Procedure.objects.count(), ProcedureVersion.objects.count(), listed(anonymous)) == before
    assert anonymous.get(detail_url(hidden.public.code)).json() == detail


# Only the versions in force --------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?q=bao+mat", "?q=kiem+tra+bao+mt", "?owner=P-A"])
def test_only_procedures_in_force_are_listed_or_searched(anonymous, hidden, query):
    assert [name for name in listed_names(anonymous, query) if "bảo mật" in name] == [CONTROL]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_the_code_of_a_procedure_not_in_force_answers_404(anonymous, hidden, state):
    procedure = getattr(hidden, state)
    assert Procedure.objects.filter(code=procedure.code).exists()
    response = anonymous.get(detail_url(procedure.code))
    assert response.status_code == 404, state
    assert "bảo mật" not in response.content.decode()


def test_an_unknown_code_answers_404(anonymous, hidden):
    assert anonymous.get(detail_url("KHONG-CO-001")).status_code == 404


def test_the_version_in_force_is_served_never_an_older_or_a_newer_draft(anonymous, world, publish_many):
    (procedure,) = publish_many(["Thủ tục trước khi sửa đổi"])
    amend(world, procedure, name="Thủ tục sau khi sửa đổi")
    draft = version_start_next(procedure=procedure)
    version_update(version=draft, components=complete_components("Thủ tục dự thảo phiên bản ba"))

    detail = anonymous.get(detail_url(procedure.code)).json()
    assert (detail["name"], detail["version"]) == ("Thủ tục sau khi sửa đổi", 2)
    body = listed(anonymous)
    assert [(row["code"], row["name"], row["version"]) for row in body["results"]] == [
        (procedure.code, "Thủ tục sau khi sửa đổi", 2)
    ]
    for q in ["truoc khi sua doi", "du thao phien ban ba"]:  # approximate results may name version 2, only it
        found = listed(anonymous, f"?q={q}")["results"]
        assert {(row["name"], row["version"]) for row in found} <= {("Thủ tục sau khi sửa đổi", 2)}, q


# As of a past day (issue 12 item 4) -----------------------------------------------------------------------------


def published_in_the_past(world, name: str, day):
    """A procedure published by a decision effective on a past `day` (its legal date), entered today."""
    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED, components=complete_components(name))
    decision = issue(world, [(procedure.latest_version(), Change.NEW)], effective_on=day)
    PublicationDecision.objects.filter(pk=decision.pk).update(signed_on=day)
    return procedure


def test_a_procedure_is_read_as_it_was_in_force_on_a_past_day_with_its_decisions(anonymous, world):
    first_day = today() - timedelta(days=200)
    procedure = published_in_the_past(world, "Thủ tục như đã công bố năm trước", first_day)
    amend(world, procedure, name="Thủ tục như đã sửa đổi hôm nay")

    then = anonymous.get(detail_url(procedure.code) + f"?as_of={first_day + timedelta(days=10):%Y-%m-%d}").json()
    assert (then["name"], then["version"], then["effective_from"]) == (
        "Thủ tục như đã công bố năm trước",
        1,
        f"{first_day:%Y-%m-%d}",
    )
    assert then["effective_to"] is not None
    assert [(d["change"], d["effective_on"]) for d in then["decisions"]] == [("new", f"{first_day:%Y-%m-%d}")]
    now = anonymous.get(detail_url(procedure.code)).json()
    assert (now["name"], [d["change"] for d in now["decisions"]]) == ("Thủ tục như đã sửa đổi hôm nay", ["amended"])
    assert now["decisions"][0]["url"].endswith(
        f"/cong-khai/quyet-dinh/{procedure.published_version().decision_items.get().decision_id}/"
    )


def test_before_its_first_decision_a_procedure_is_not_found(anonymous, world):
    first_day = today() - timedelta(days=30)
    procedure = published_in_the_past(world, "Thủ tục công bố tháng trước", first_day)
    assert (
        anonymous.get(detail_url(procedure.code) + f"?as_of={first_day - timedelta(days=1):%Y-%m-%d}").status_code
        == 404
    )


def test_a_draft_is_never_reached_through_a_past_day(anonymous, hidden):
    for procedure in [hidden.draft, hidden.checked]:
        assert anonymous.get(detail_url(procedure.code) + f"?as_of={today():%Y-%m-%d}").status_code == 404


@pytest.mark.parametrize(
    "value, message",
    [
        ("31/12/2025", "Ngày xem không hợp lệ; ghi dạng YYYY-MM-DD."),
        ("9999-12-31", "Không xem được ngày trong tương lai."),
    ],
)
def test_a_day_that_is_not_one_or_is_to_come_is_refused_in_vietnamese(anonymous, world, publish_many, value, message):
    (procedure,) = publish_many(["Thủ tục kiểm tra ngày xem"])
    response = anonymous.get(detail_url(procedure.code) + f"?as_of={value}")
    assert response.status_code == 400 and response.json()["as_of"] == [message]


# Contract fields -------------------------------------------------------------------------------------------------


def test_the_list_gives_the_summary_fields(anonymous, hidden):
    (row,) = listed(anonymous)["results"]
    assert set(row) >= SUMMARY_FIELDS and not INTERNAL_FIELDS & set(row)
    assert row == {
        **row,
        "code": hidden.public.code,
        "name": CONTROL,
        "group": "A",
        "level": "province",
        "field": "Thi đua - Khen thưởng",
        "owner": "P-A",
        "owner_name": "Đơn vị P-A",
        "version": 1,
        "effective_from": today().isoformat(),
    }


def test_a_procedure_in_force_gives_every_component(anonymous, hidden):
    response = anonymous.get(detail_url(hidden.public.code))
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= DETAIL_FIELDS, DETAIL_FIELDS - set(body)
    assert not INTERNAL_FIELDS & set(body)
    assert (body["code"], body["name"], body["owner"], body["owner_name"]) == (
        hidden.public.code,
        CONTROL,
        "P-A",
        "Đơn vị P-A",
    )
    assert body["field"] == "Thi đua - Khen thưởng" and body["version"] == 1
    assert body["effective_from"] == today().isoformat()
    assert body["channels"] == ["in_person", "post"] and body["dossier_sets"] == 1
    assert body["processing_time"] == {
        "text": "20 ngày làm việc",
        "min": None,
        "value": 20,
        "unit": "working_days",
        "variants": [],
    }
    assert body["authority"] == "Chủ tịch UBND tỉnh" and body["fees"] == "Không"
    assert [set(step) for step in body["steps"]] == [{"order", "actor", "action", "duration"}] * 3
    assert body["dossier_items"][0] == {
        "name": "Tờ trình đề nghị khen thưởng",
        "originals": 1,
        "copies": 0,
        "certified_copies": 0,
        "obtainable_from_data": False,
    }
    assert body["legal_bases"] == [
        {
            "number": "06/2024/QH15",
            "date": "2022-06-15",
            "issuer": "Quốc hội",
            "title": "Luật Thi đua, khen thưởng",
            "article": "Điều 84",
        }
    ]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", basis["date"]) for basis in body["legal_bases"])


def test_steps_come_in_their_order_and_processing_time_keeps_its_decimal(anonymous, world):
    components = complete_components(
        "Thủ tục kiểm tra thứ tự bước", processing_time_value=Decimal("7.5"), processing_time_unit="hours"
    )
    procedure = make_procedure(world.units["P-A"], components=components)
    steps = list(procedure.latest_version().steps.order_by("pk"))
    for step, order in zip(steps, [3, 1, 2], strict=True):  # created first, performed last
        type(step).objects.filter(pk=step.pk).update(order=order)
    publish_draft(world, procedure)

    body = anonymous.get(detail_url(procedure.code)).json()
    assert [step["order"] for step in body["steps"]] == [1, 2, 3]
    assert [step["actor"] for step in body["steps"]] == [steps[1].actor, steps[2].actor, steps[0].actor]
    assert body["processing_time"]["value"] == 7.5 and body["processing_time"]["unit"] == "hours"
    assert body["processing_time"]["text"] == "7,5 giờ làm việc"


# Search ----------------------------------------------------------------------------------------------------------

NAMES = {
    "reward": "Thủ tục đề nghị khen thưởng thành tích đột xuất",
    "register": "Thủ tục đăng ký danh hiệu thi đua",
    "water": "Thủ tục cấp phép khai thác tài nguyên nước",
}


@pytest.fixture
def catalogue(world, publish_many):
    """Three published procedures outside the field "Thi đua - Khen thưởng" (whose name every search text would
    otherwise contain)."""
    return {key: publish_many([name], field_code="to-chuc-can-bo")[0] for key, name in NAMES.items()}


@pytest.mark.parametrize("q", ["dang ky", "DANG KY", "Đăng ký", "ĐĂNG KÝ DANH HIỆU", "đăng KÝ"])
def test_search_ignores_diacritics_and_case(anonymous, catalogue, q):
    response = anonymous.get(URL, {"q": q})
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == [NAMES["register"]]
    assert response.get("X-Search-Mode") != "fuzzy"


def test_a_small_typo_returns_approximate_results_flagged_fuzzy(anonymous, catalogue):
    exact = anonymous.get(URL, {"q": "khen thưởng"})
    assert [row["name"] for row in exact.json()["results"]] == [NAMES["reward"]]
    assert exact.get("X-Search-Mode") != "fuzzy"

    approximate = anonymous.get(URL, {"q": "khen thuog"})
    assert approximate.status_code == 200 and approximate["X-Search-Mode"] == "fuzzy"
    assert approximate["X-Search-Corrected"] == "khen thuong"  # searched instead
    names = [row["name"] for row in approximate.json()["results"]]
    assert names[0] == NAMES["reward"] and NAMES["water"] not in names
    assert "X-Search-Corrected" not in exact


def test_browsing_without_a_query_has_no_search_mode(anonymous, catalogue):
    response = anonymous.get(URL)
    assert response.json()["count"] == 3 and "X-Search-Mode" not in response


@pytest.mark.parametrize("q", ["xyzzy qwerty", "hoa don dien tu", "%", "_"])
def test_a_query_matching_nothing_returns_an_empty_page(anonymous, catalogue, q):
    body = anonymous.get(URL, {"q": q}).json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_search_is_combined_with_the_filters(anonymous, world, catalogue, publish_many):
    publish_many(["Thủ tục đăng ký hộ kinh doanh"], owner=world.units["P-B"], field_code="to-chuc-can-bo")
    names = [row["name"] for row in anonymous.get(URL, {"q": "dang ky", "owner": "P-B"}).json()["results"]]
    assert names == ["Thủ tục đăng ký hộ kinh doanh"]


# Filters ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def spread(world, publish_many):
    """Published procedures across units, fields, groups and levels."""
    u = world.units
    publish_many(["Thủ tục của sở A"], owner=u["P-A"], field_code="to-chuc-can-bo")
    publish_many(["Thủ tục của phòng A1"], owner=u["P-A-1"], field_code="nong-nghiep-moi-truong", group="B")
    publish_many(["Thủ tục của sở B"], owner=u["P-B"], field_code="to-chuc-can-bo", level="commune")
    publish_in_q(world, "Thủ tục của tỉnh Q", field_code="nong-nghiep-moi-truong")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"owner": "P"}, {"Thủ tục của sở A", "Thủ tục của phòng A1", "Thủ tục của sở B"}),
        ({"owner": "P-A"}, {"Thủ tục của sở A", "Thủ tục của phòng A1"}),
        ({"owner": "P-A-1"}, {"Thủ tục của phòng A1"}),
        ({"owner": "P-B"}, {"Thủ tục của sở B"}),
        ({"owner": "Q"}, {"Thủ tục của tỉnh Q"}),
        ({"owner": "KHONG-CO"}, set()),  # an unknown code narrows to nothing, it is not ignored
        ({"group": "B"}, {"Thủ tục của phòng A1"}),
        ({"group": "A", "owner": "P"}, {"Thủ tục của sở A", "Thủ tục của sở B"}),
        ({"level": "commune"}, {"Thủ tục của sở B"}),
        ({"field": "nong-nghiep-moi-truong"}, {"Thủ tục của phòng A1", "Thủ tục của tỉnh Q"}),
        ({"field": "to-chuc-can-bo", "owner": "P-A"}, {"Thủ tục của sở A"}),
        ({"field": "khong-co-linh-vuc"}, set()),
    ],
)
def test_filters(anonymous, spread, params, expected):
    body = anonymous.get(URL, params).json()
    assert {row["name"] for row in body["results"]} == expected
    assert body["count"] == len(expected)


def test_field_is_accepted_by_code_or_by_name(anonymous, spread):
    field = Field.objects.get(code="nong-nghiep-moi-truong")
    by_code = anonymous.get(URL, {"field": field.code}).json()
    by_name = anonymous.get(URL, {"field": field.name}).json()
    assert by_code["count"] == 2 and by_name == by_code
    assert {row["field"] for row in by_name["results"]} == {field.name}


# Pagination ------------------------------------------------------------------------------------------------------


@pytest.fixture
def many(world, publish_many):
    """A few more procedures than the configured page size (read once at import by DRF's pagination classes, so it
    cannot be lowered per test), spread over two units; plus one that no query below matches."""
    page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    total = page_size + 7
    names = [f"Thủ tục phân trang số {i:03d}" for i in range(total)]
    half = total // 2
    publish_many(names[:half], field_code="to-chuc-can-bo")
    publish_many(names[half:], owner=world.units["P-B"], field_code="to-chuc-can-bo")
    publish_in_q(world, "Thủ tục không liên quan", field_code="to-chuc-can-bo")
    return names


def test_pages_cover_every_match_once_in_a_stable_order(anonymous, many):
    page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    for query in ["?q=phan+trang", "?owner=P", "?q=phan+trang&owner=P&field=to-chuc-can-bo&group=A"]:
        rows, (first, second) = every_page(anonymous, query)
        assert first["count"] == second["count"] == len(many), query
        assert first["previous"] is None and len(first["results"]) == page_size, query
        # `next` keeps the query and the filters: following it is all an integrator has to do.
        assert "page=2" in first["next"] and all(p in first["next"] for p in query[1:].split("&")), first["next"]
        assert second["previous"] and second["next"] is None, query
        assert len(second["results"]) == len(many) - page_size, query
        names = [row["name"] for row in rows]
        assert len(names) == len(set(names)) and set(names) == set(many), query
        # Page 2 asked on its own continues page 1: the order does not change between requests.
        again = anonymous.get(URL + query + "&page=2").json()
        assert [row["name"] for row in again["results"]] == names[page_size:], query


def test_browsing_is_ordered_by_code_across_pages(anonymous, many):
    rows, _ = every_page(anonymous, "")
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes)) == len(many) + 1
    in_force = ProcedureVersion.objects.published().order_by("procedure__code")
    assert codes == sorted(codes) == list(in_force.values_list("procedure__code", flat=True))


def test_a_page_that_does_not_exist_answers_404(anonymous, many):
    """DRF's semantics: past the end, below 1 or not a number, the page is not found (no silent clamp)."""
    for number in ["3", "99", "0", "-1", "abc", "1.5", ""]:
        expected = 200 if number == "" else 404  # an empty parameter is page 1, as in DRF
        assert anonymous.get(URL, {"page": number}).status_code == expected, number
        assert anonymous.get(URL, {"q": "phan trang", "page": number}).status_code == expected, number


def test_page_last_is_the_last_page_as_in_drf(anonymous, many):
    response = anonymous.get(URL, {"page": "last"})
    assert response.status_code == 200
    assert response.json()["results"] == anonymous.get(URL, {"page": "2"}).json()["results"]


def test_page_one_of_nothing_is_an_empty_page_and_page_two_is_404(anonymous, catalogue):
    assert anonymous.get(URL, {"q": "xyzzy qwerty", "page": "1"}).json()["count"] == 0
    assert anonymous.get(URL, {"page": "1"}).json()["count"] == len(NAMES)
    assert anonymous.get(URL, {"page": "2"}).status_code == 404
    assert anonymous.get(URL, {"q": "xyzzy qwerty", "page": "2"}).status_code == 404


# Queries ---------------------------------------------------------------------------------------------------------

QUERY_URLS = [
    URL,
    URL + "?q=thu+tuc",
    URL + "?q=thu+tuk+dem",  # typo: the fuzzy stage
    URL + "?owner=P&field=to-chuc-can-bo&group=A&level=province",
    URL + "?q=dem+truy+van&owner=P&page=1",
]


def test_the_number_of_queries_of_the_list_does_not_grow_with_the_data(anonymous, world, publish_many):
    """Rows spread over owners and fields, so a missing select_related would show as one query per row."""
    units = [world.units[code] for code in ["P-A", "P-A-1", "P-B"]]
    fields = ["to-chuc-can-bo", "nong-nghiep-moi-truong"]

    def add(n, start):
        for i in range(start, start + n):
            name = f"Thủ tục đếm truy vấn {i:03d}"
            publish_many([name], owner=units[i % len(units)], field_code=fields[i % len(fields)])

    add(4, 0)
    small = {url: count_queries(anonymous, url) for url in QUERY_URLS}
    add(8, 4)
    assert listed(anonymous, "?q=dem+truy+van")["count"] == 12
    large = {url: count_queries(anonymous, url) for url in QUERY_URLS}
    assert large == small
    # The most: a typo from a cold start: the trigram sample (2), an EXISTS per stage tried (exact, corrected),
    # count and page (1), the page's versions (1).
    assert max(large.values()) <= 6, large
