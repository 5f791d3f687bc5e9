"""The to-do list (core/inbox.py) on the home page and at GET /api/v1/inbox/: each hand-off reaches the person who
acts next, with its reason, and nobody else; outsiders see nothing of P."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tinhgon.accounts.permissions import Policy
from tinhgon.core import inbox
from tinhgon.core.dates import today
from tinhgon.plans import services as plan_services
from tinhgon.plans.tests import factories as plan_factories
from tinhgon.procedures.constants import Status
from tinhgon.procedures.tests.factories import complete_components, make_procedure
from tinhgon.reports import services as report_services
from tinhgon.reports.periods import Kind, current

pytestmark = pytest.mark.django_db

INBOX = "/api/v1/inbox/"
REASON = "Thiếu căn cứ pháp lý của bước 2."


@pytest.fixture
def waiting(world):
    """One thing of each kind waiting in P-A and its division P-A-1."""
    returned = make_procedure(
        world.units["P-A-1"], status=Status.SUBMITTED, components=complete_components("Thủ tục bị trả lại")
    )
    returned.latest_version().send_back(REASON)
    submitted = make_procedure(
        world.units["P-A-1"], status=Status.SUBMITTED, components=complete_components("Thủ tục đã trình")
    )
    draft = make_procedure(world.units["P-A-1"], components=complete_components("Thủ tục dự thảo"))
    plan = plan_factories.plan(world.units["P-A"], title="Kế hoạch CCHC", period_end=today() + timedelta(days=200))
    task = plan_factories.task(
        plan, world.units["P-A"], title="Nhiệm vụ quá hạn", executing=[world.units["P-A-1"]], deadline=today()
    )
    part = task.assignments.get(organisation=world.units["P-A-1"])
    part.due_on = today() - timedelta(days=3)
    part.save()
    plan_services.extension_request(assignment=part, new_due_on=today() + timedelta(days=30), reason="Chờ số liệu")
    period = current(Kind.QUARTERLY, today())
    report_services.report_create(
        organisation=world.units["P-A-1"], kind=Kind.QUARTERLY, year=period.year, number=period.number
    )
    return {"returned": returned, "submitted": submitted, "draft": draft, "part": part}


def policy_of(user) -> Policy:
    return Policy(user=user, memberships=list(user.memberships_in_force()))


def kinds(policy) -> set[str]:
    return {item.kind for item in inbox.items_for(policy)}


def test_the_officer_sees_the_returned_procedure_with_its_reason(world, waiting, login):
    page = login(world.officer_a1).get("/").content.decode()
    assert "Thủ tục bị trả lại, cần sửa" in page and REASON in page
    assert f'href="/thu-tuc/{waiting["returned"].pk}/"' in page


def test_the_focal_point_sees_submissions_to_check_not_what_it_returned(world, waiting, api):
    items = api(world.focal_a).get(INBOX).json()
    to_check = [i for i in items if i["kind"] == "procedures.to_check"]
    assert [i["url"] for i in to_check] == [f"/thu-tuc/{waiting['submitted'].pk}/"]
    assert "procedures.returned" not in {i["kind"] for i in items}


def test_the_unit_head_sees_the_draft_to_submit(world, waiting, api):
    items = api(world.head_a1).get(INBOX).json()
    assert any(i["kind"] == "procedures.to_submit" and "Thủ tục dự thảo" in i["title"] for i in items)


def test_an_officer_does_not_get_checks_or_submissions(world, waiting):
    assert not {"procedures.to_check", "procedures.to_submit"} & kinds(policy_of(world.officer_a1))


def test_the_plan_issuer_sees_the_extension_request_with_its_reason(world, waiting, api):
    items = api(world.leader_a).get(INBOX).json()
    request = next(i for i in items if i["kind"] == "plans.extension_to_decide")
    assert request["note"] == "Chờ số liệu" and request["organisation"] == world.units["P-A-1"].name


def test_the_division_sees_its_overdue_assignment_the_leader_does_not(world, waiting):
    assert "plans.overdue" in kinds(policy_of(world.officer_a1))
    assert "plans.overdue" not in kinds(policy_of(world.leader_a))  # a division's part, not the department's


def test_the_division_sees_its_report_to_send(world, waiting):
    assert "reports.to_send" in kinds(policy_of(world.officer_a1))


def test_an_outsider_sees_nothing_of_p(world, waiting, api):
    assert api(world.outsider).get(INBOX).json() == []


def test_the_most_pressing_comes_first(world, waiting):
    items = inbox.items_for(policy_of(world.officer_a1))
    dues = [i.due for i in items if i.due is not None]
    assert dues == sorted(dues) and items[0].due is not None


def test_the_api_answers_each_item_with_its_fields(world, waiting, api):
    item = api(world.officer_a1).get(INBOX).json()[0]
    assert set(item) == {"kind", "label", "title", "url", "organisation", "since", "due", "note"}


def test_an_anonymous_caller_is_refused(api):
    assert api().get(INBOX).status_code in (401, 403)


def test_the_acting_header_narrows_the_list_to_one_unit(world, waiting, api):
    from tinhgon.accounts.models import Membership, Role

    Membership.objects.create(user=world.officer_a1, organisation=world.units["P-X"], role=Role.OFFICER)
    assert api(world.officer_a1, acting="P-X").get(INBOX).json() == []
    assert api(world.officer_a1, acting="P-A-1").get(INBOX).json() != []


def test_the_query_count_does_not_grow_with_the_waiting_items(world, waiting, login):
    client = login(world.focal_a)
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    for n in range(5):
        make_procedure(
            world.units["P-A-1"], status=Status.SUBMITTED, components=complete_components(f"Thủ tục thêm {n}")
        )
    with CaptureQueriesContext(connection) as after:
        client.get("/")
    assert len(after) == len(before)


COUNT = "/viec-can-lam/so-luong/"
HTMX = {"HX-Request": "true"}


def test_every_page_asks_for_the_to_do_count_after_it_is_shown(world, login):
    page = login(world.officer_a1).get("/ke-hoach/").content.decode()
    assert f'hx-get="{COUNT}"' in page and "vendor/htmx/htmx.min.js" in page


def test_the_navigation_counts_the_officers_waiting_items_in_red_when_one_is_overdue(world, waiting, login):
    answer = login(world.officer_a1).get(COUNT, headers=HTMX).content.decode()
    expected = len(inbox.items_for(policy_of(world.officer_a1)))
    assert f">{expected}</span>" in answer and "bg-red" in answer and "quá hạn" in answer


def test_the_navigation_count_is_empty_when_nothing_waits(world, login):
    assert login(world.outsider).get(COUNT, headers=HTMX).content.decode().strip() == ""


def test_the_navigation_count_is_never_cached_by_the_browser(world, login):
    assert "no-cache" in login(world.officer_a1).get(COUNT, headers=HTMX)["Cache-Control"]


def test_the_count_opened_as_a_page_leads_to_the_to_do_list(world, login):
    response = login(world.officer_a1).get(COUNT)
    assert response.status_code == 302 and response.url == "/"


def test_an_anonymous_visitor_is_sent_to_login_for_the_count(client):
    response = client.get(COUNT)
    assert response.status_code == 302 and "/dang-nhap/" in response.url
