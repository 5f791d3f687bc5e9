"""The first validation layer (core/middleware.py): NUL characters and over-long query values are refused with a
400 and a Vietnamese message before any view runs, on public pages, private pages and the API alike."""

import pytest

pytestmark = pytest.mark.django_db

NUL = "\x00"


def test_a_nul_in_a_public_search_is_a_400_page_not_a_database_error(client):
    response = client.get("/cong-khai/", {"q": f"khen{NUL}thuong"})
    assert response.status_code == 400
    assert "ký tự NUL" in response.content.decode()


def test_a_nul_in_a_path_is_refused(client):
    assert client.get("/cong-khai/thu-tuc/TT%00-1/").status_code == 400


def test_a_nul_in_a_private_list_filter_is_refused(login, world):
    assert login(world.focal_a).get("/thu-tuc/", {"q": NUL}).status_code == 400


def test_a_nul_in_a_posted_form_is_refused(login, world):
    response = login(world.admin).post("/to-chuc/P-A/sua/", {"name": f"Sở{NUL}A"})
    assert response.status_code == 400


def test_a_nul_in_a_json_body_is_refused_by_the_api_in_json(api, world):
    response = api(world.admin).patch(
        "/api/v1/organisations/P-A/", data='{"name": "S\\u0000A"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_a_raw_nul_byte_in_a_json_body_is_refused(api, world):
    response = api(world.admin).post("/api/v1/procedures/", data=b'{"name": "a\x00"}', content_type="application/json")
    assert response.status_code == 400


def test_an_overlong_query_value_is_refused(client):
    response = client.get("/cong-khai/", {"q": "a" * 1001})
    assert response.status_code == 400 and "quá dài" in response.content.decode()


def test_ordinary_input_passes(client):
    assert client.get("/cong-khai/", {"q": "khen thưởng"}).status_code == 200
