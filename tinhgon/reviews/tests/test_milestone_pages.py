"""Each unit sets its own milestones from its plan: the page under the ledger (/ra-soat/so-theo-doi/moc/) and
/api/v1/milestones/, for the focal points and administrators over the unit (reviews.parameters)."""

from datetime import date

import pytest

from tinhgon.audit.models import AuditLogEntry
from tinhgon.reviews.constants import Metric
from tinhgon.reviews.models import Milestone

pytestmark = pytest.mark.django_db

PAGE = "/ra-soat/so-theo-doi/moc/"
API = "/api/v1/milestones/"


def own(org, metric=Metric.REVIEWED, target=100, due_on=date(2024, 10, 31), **fields):
    return Milestone.objects.create(organisation=org, metric=metric, target=target, due_on=due_on, **fields)


# The page ---------------------------------------------------------------------------------------------------------


def test_the_page_lists_the_milestones_that_apply_with_where_they_come_from(world, client):
    own(world.units["P"], Metric.APPROVED, source="QĐ 258/QĐ-UBND ngày 04/3/2024")
    client.force_login(world.officer_a1)
    page = client.get(PAGE, {"org": "P-A-1"}).content.decode()
    assert "Kế thừa từ Đơn vị P" in page and "QĐ 258/QĐ-UBND ngày 04/3/2024" in page
    assert "Toàn quốc (kế thừa)" in page
    assert "trên số thủ tục đã công bố" in page  # each metric's definition
    assert 'id="milestone-form"' not in page  # an officer does not set milestones


def test_a_focal_point_sets_a_milestone_of_their_unit_as_typed(world, client):
    client.force_login(world.focal_a)
    data = {"new-metric": Metric.APPROVED, "new-target": "50", "new-due_on": "01/01/2024", "new-source": "KH 01"}
    response = client.post(f"{PAGE}?org=P-A", data)
    assert response.status_code == 302
    created = Milestone.objects.get(organisation=world.units["P-A"])
    assert (created.metric, created.target, created.due_on) == (Metric.APPROVED, 50, date(2024, 1, 1))
    assert AuditLogEntry.objects.filter(action__startswith="reviews.milestone").exists()


def test_a_target_over_one_hundred_percent_is_refused_and_the_form_keeps_what_was_typed(world, client):
    client.force_login(world.focal_a)
    data = {"new-metric": Metric.APPROVED, "new-target": "150", "new-due_on": "01/01/2024", "new-source": "KH 01"}
    page = client.post(f"{PAGE}?org=P-A", data).content.decode()
    assert "không quá 100" in page and 'value="KH 01"' in page
    assert not Milestone.objects.filter(organisation=world.units["P-A"]).exists()


def test_an_officer_cannot_set_milestones(world, client):
    client.force_login(world.officer_a1)
    data = {"new-metric": Metric.APPROVED, "new-target": "50", "new-due_on": "01/01/2024"}
    assert client.post(f"{PAGE}?org=P-A-1", data).status_code == 403


def test_an_outsider_cannot_see_the_milestones_of_a_unit_of_p(world, client):
    client.force_login(world.outsider)
    assert client.get(PAGE, {"org": "P-A"}).status_code == 404


def test_a_changed_milestone_is_saved_and_a_stale_copy_refused(world, client):
    mine = own(world.units["P-A"])
    client.force_login(world.focal_a)
    url = f"{PAGE}{mine.pk}/"
    data = {"metric": Metric.REVIEWED, "target": "90", "due_on": "30/09/2024", "source": "", "row_version": 1}
    assert client.post(url, data).status_code == 302
    mine.refresh_from_db()
    assert (mine.target, mine.due_on, mine.row_version) == (90, date(2024, 9, 30), 2)
    page = client.post(url, {**data, "target": "80"}).content.decode()  # still based on version 1
    assert "đã được người khác cập nhật" in page and 'value="80"' in page
    mine.refresh_from_db()
    assert mine.target == 90


def test_removing_its_own_milestone_gives_the_unit_its_parents_again(world, client):
    own(world.units["P"], Metric.REVIEWED, due_on=date(2024, 12, 31))
    mine = own(world.units["P-A"])
    client.force_login(world.focal_a)
    response = client.post(f"{PAGE}{mine.pk}/", {"section": "delete", "row_version": mine.row_version})
    assert response.status_code == 302 and not Milestone.objects.filter(pk=mine.pk).exists()
    page = client.get(PAGE, {"org": "P-A"}).content.decode()
    assert "Kế thừa từ Đơn vị P" in page and "31/12/2024" in page


def test_the_national_milestones_cannot_be_changed_on_the_page(world, client):
    national = Milestone.objects.filter(organisation__isnull=True).first()
    client.force_login(world.focal_p)
    assert client.get(f"{PAGE}{national.pk}/").status_code == 200
    assert client.post(f"{PAGE}{national.pk}/", {"section": "delete"}).status_code == 403


# The API ----------------------------------------------------------------------------------------------------------


def test_a_focal_point_sets_a_milestone_through_the_api(api, world):
    body = {"organisation": "P-A", "metric": "approved_pct", "target": "50", "due_on": "2024-01-01", "source": "KH"}
    response = api(world.focal_a).post(API, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["row_version"] == 1 and "đã công bố" in response.json()["definition"]


def test_the_api_refuses_milestones_outside_the_users_units(api, world):
    body = {"organisation": "P-B", "metric": "approved_pct", "target": "50", "due_on": "2024-01-01"}
    assert api(world.focal_a).post(API, body, format="json").status_code == 403
    assert api(world.officer_a1).post(API, {**body, "organisation": "P-A-1"}, format="json").status_code == 403


def test_the_api_refuses_a_second_milestone_of_a_metric_and_date_in_vietnamese(api, world):
    own(world.units["P-A"], Metric.APPROVED, due_on=date(2024, 1, 1))
    body = {"organisation": "P-A", "metric": "approved_pct", "target": "60", "due_on": "2024-01-01"}
    response = api(world.focal_a).post(API, body, format="json")
    assert response.status_code == 400 and "đã có mốc" in str(response.json())


def test_a_change_through_the_api_needs_the_version_it_was_read_at(api, world):
    mine = own(world.units["P-A"])
    client = api(world.focal_a)
    assert client.patch(f"{API}{mine.pk}/", {"target": "90"}, format="json").status_code == 428
    assert client.patch(f"{API}{mine.pk}/", {"target": "90", "row_version": 7}, format="json").status_code == 409
    done = client.patch(f"{API}{mine.pk}/", {"target": "90", "row_version": 1}, format="json")
    assert done.status_code == 200 and done.json()["target"] == "90.00"


def test_a_milestone_is_removed_through_the_api_with_its_version(api, world):
    mine = own(world.units["P-A"])
    response = api(world.focal_a).delete(f"{API}{mine.pk}/", HTTP_IF_MATCH='"1"')
    assert response.status_code == 204 and not Milestone.objects.filter(pk=mine.pk).exists()


def test_the_milestones_that_apply_to_a_unit_say_which_are_inherited(api, world):
    own(world.units["P"], Metric.APPROVED, due_on=date(2024, 10, 31))
    own(world.units["P-A"], Metric.REVIEWED, due_on=date(2024, 9, 30))
    rows = api(world.focal_a).get(f"{API}applicable/", {"org": "P-A"}).json()
    by_metric = {(r["metric"], r["organisation"], r["inherited"]) for r in rows}
    assert ("approved_pct", "P", True) in by_metric and ("reviewed_pct", "P-A", False) in by_metric
    assert ("published_pct", None, True) in by_metric
    assert not any(r["metric"] == "reviewed_pct" and r["organisation"] is None for r in rows)


def test_an_outsider_sees_neither_the_milestones_nor_those_that_apply_to_units_of_p(api, world):
    mine = own(world.units["P-A"])
    client = api(world.outsider)
    assert client.get(f"{API}{mine.pk}/").status_code == 404
    assert mine.pk not in [r["id"] for r in client.get(API).json()["results"]]
    assert client.get(f"{API}applicable/", {"org": "P-A"}).status_code == 404
