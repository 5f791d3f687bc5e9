"""The portal and the public API as of a day (issue 12 item 4): the pages and the list read `?as_of=`, a version
abolished with a transition stays shown with its clause, the detail names the decision that published it and the
procedure's history, and nothing of a draft decision ever shows."""

from datetime import timedelta

from django.urls import reverse

import pytest
from rest_framework.test import APIClient

from tinhgon.core.dates import today
from tinhgon.portal.tests.conftest import amend, issue
from tinhgon.portal.tests.test_public_api import URL, detail_url, listed, published_in_the_past
from tinhgon.procedures.constants import Change
from tinhgon.procedures.models import PublicationDecision
from tinhgon.procedures.services import decision_add_item, decision_issue
from tinhgon.test import DECISION_GROUNDS

CLAUSE = "tiếp tục thực hiện đến khi Thông tư hướng dẫn có hiệu lực (giá trị minh họa)"
BANNER = "Đang xem các thủ tục có hiệu lực ngày"


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def amended(world):
    """A procedure published 200 days ago as "… năm trước", amended today; returns (procedure, a day in between)."""
    first_day = today() - timedelta(days=200)
    procedure = published_in_the_past(world, "Thủ tục như đã công bố năm trước", first_day)
    amend(world, procedure, name="Thủ tục như đã sửa đổi hôm nay")
    return procedure, first_day + timedelta(days=10)


def _abolish(world, procedure, **clauses):
    """A draft decision of P abolishing `procedure` today with `clauses`."""
    d = PublicationDecision.objects.create(
        number="77/QĐ-UBND",
        issuer=world.units["P"],
        signed_on=today(),
        signer="A",
        effective_on=today(),
        **DECISION_GROUNDS,
    )
    decision_add_item(decision=d, version=procedure.published_version(), change=Change.ABOLISHED, **clauses)
    return d


def test_the_portal_list_as_of_a_past_day_shows_the_version_then_in_force_under_a_banner(client, amended):
    procedure, day = amended
    response = client.get(reverse("portal:search") + f"?as_of={day:%d/%m/%Y}")
    assert response.status_code == 200
    assert f"{BANNER} {day:%d/%m/%Y}" in response.text.replace("<strong>", "").replace("</strong>", "")
    assert "Thủ tục như đã công bố năm trước" in response.text and "Thủ tục như đã sửa đổi hôm nay" not in response.text


def test_the_portal_list_searches_the_past_day_too(client, amended):
    procedure, day = amended
    found = client.get(reverse("portal:search") + f"?as_of={day:%Y-%m-%d}&q=nam truoc").text
    missed = client.get(reverse("portal:search") + f"?as_of={day:%Y-%m-%d}&q=sua doi hom nay").text
    link = reverse("portal:procedure", args=[procedure.code])
    assert link in found and link not in missed


def test_without_as_of_the_portal_list_has_no_banner(client, amended):
    assert BANNER not in client.get(reverse("portal:search")).text


@pytest.mark.parametrize(
    "value, message",
    [("31/02/2025", "Ngày xem không hợp lệ"), ("hôm qua", "Ngày xem không hợp lệ"), ("31/12/9999", "tương lai")],
)
def test_the_portal_refuses_a_day_that_is_not_one_or_is_to_come_in_vietnamese(client, amended, value, message):
    for name in ("portal:search",):
        response = client.get(reverse(name), {"as_of": value})
        assert response.status_code == 400 and message in response.content.decode()
    response = client.get(reverse("portal:procedure", args=[amended[0].code]), {"as_of": value})
    assert response.status_code == 400 and message in response.content.decode()


def test_the_procedure_page_as_of_a_past_day_shows_the_version_then_in_force(client, amended):
    procedure, day = amended
    response = client.get(reverse("portal:procedure", args=[procedure.code]) + f"?as_of={day:%d/%m/%Y}")
    assert response.status_code == 200 and BANNER in response.text
    assert 'id="procedure-name">Thủ tục như đã công bố năm trước<' in response.text


def test_the_procedure_page_names_the_decision_that_published_the_version_and_lists_the_history(client, amended):
    procedure, _ = amended
    publishing = procedure.published_version().decision_items.get().decision
    text = client.get(reverse("portal:procedure", args=[procedure.code])).text
    published_by = text.split('id="published-by">')[1].split("</dd>")[0]
    assert publishing.number in published_by and reverse("portal:decision", args=[publishing.pk]) in published_by
    assert 'id="history-v1"' in text and 'id="history-v2"' in text


def test_a_version_in_transition_shows_its_badge_and_clause_on_the_portal(client, world, publish_many):
    (procedure,) = publish_many(["Thủ tục còn áp dụng chuyển tiếp"])
    d = _abolish(world, procedure, transition_note=CLAUSE)
    decision_issue(decision=d)
    text = client.get(reverse("portal:procedure", args=[procedure.code])).text
    assert "Đã bãi bỏ, còn áp dụng chuyển tiếp" in text and "Tiếp tục thực hiện đến khi Thông tư" in text
    assert "Thủ tục còn áp dụng chuyển tiếp" in client.get(reverse("portal:search")).text


def test_the_public_api_names_the_transition_of_a_version_in_transition(anonymous, world, publish_many):
    (procedure,) = publish_many(["Thủ tục còn áp dụng chuyển tiếp"])
    until = today() + timedelta(days=30)
    d = _abolish(world, procedure, transition_until=until)
    decision_issue(decision=d)
    body = anonymous.get(detail_url(procedure.code)).json()
    assert (body["in_transition"], body["effective_to"]) == (True, f"{until:%Y-%m-%d}")
    assert body["decisions"][-1]["transition_until"] == f"{until:%Y-%m-%d}"


def test_a_draft_decisions_clause_never_shows_on_the_portal_nor_in_the_api(client, anonymous, world, publish_many):
    (procedure,) = publish_many(["Thủ tục có quyết định bãi bỏ dự thảo"])
    _abolish(world, procedure, transition_note="ĐIỀU KHOẢN DỰ THẢO BẢO MẬT", legal_ground="CĂN CỨ DỰ THẢO BẢO MẬT")
    page = client.get(reverse("portal:procedure", args=[procedure.code])).text
    api = anonymous.get(detail_url(procedure.code)).content.decode()
    assert "BẢO MẬT" not in page and "BẢO MẬT" not in api and "77/QĐ-UBND" not in page + api


def test_no_past_day_reaches_a_draft_or_a_scheduled_version(client, anonymous, hidden):
    yesterday = today() - timedelta(days=1)
    page = client.get(reverse("portal:search") + f"?as_of={yesterday:%d/%m/%Y}&q=bao mat").text
    rows = listed(anonymous, f"?as_of={yesterday:%Y-%m-%d}&q=bao mat")["results"]
    for state in ["dự thảo", "đã trình", "đã kiểm soát", "bị trả lại", "chờ hiệu lực", "danh mục mẫu"]:
        assert f"bảo mật {state}" not in page and all(state not in row["name"] for row in rows)


def test_the_public_list_api_reads_a_past_day(anonymous, amended):
    procedure, day = amended
    rows = listed(anonymous, f"?as_of={day:%Y-%m-%d}")["results"]
    assert [(r["code"], r["name"], r["version"]) for r in rows] == [
        (procedure.code, "Thủ tục như đã công bố năm trước", 1)
    ]


def test_the_public_list_api_refuses_a_day_to_come(anonymous, amended):
    response = anonymous.get(URL + f"?as_of={today() + timedelta(days=1):%Y-%m-%d}")
    assert response.status_code == 400 and response.json()["as_of"] == ["Không xem được ngày trong tương lai."]


def test_an_abolition_not_yet_applied_still_names_no_clause(client, world, publish_many):
    (procedure,) = publish_many(["Thủ tục sẽ bãi bỏ"])
    issue(world, [(procedure.published_version(), Change.ABOLISHED)], effective_on=today() + timedelta(days=5))
    assert (
        "Đã bãi bỏ, còn áp dụng chuyển tiếp" not in client.get(reverse("portal:procedure", args=[procedure.code])).text
    )


def test_the_abolishing_decisions_page_names_the_procedure_in_transition(client, world, publish_many):
    (procedure,) = publish_many(["Thủ tục bãi bỏ có chuyển tiếp"])
    d = _abolish(world, procedure, transition_note=CLAUSE)
    decision_issue(decision=d)
    assert "Thủ tục bãi bỏ có chuyển tiếp" in client.get(reverse("portal:decision", args=[d.pk])).text
