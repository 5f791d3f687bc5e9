"""A procedure carries the day its unit inventoried it (Procedure.inventoried_on), given in the API and the page
(default today) and judged by core.dates.legal_date; the K1 share as of a day counts by it, not by when the procedure
was typed in."""

from datetime import date, timedelta

from django.urls import reverse

import pytest

from tinhgon.core.dates import today
from tinhgon.plans.indicators import publication_coverage
from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.models import Procedure
from tinhgon.procedures.services import decision_add_item, decision_issue
from tinhgon.procedures.tests.factories import make_procedure

pytestmark = pytest.mark.django_db

URL = "/api/v1/procedures/"
BODY = {
    "name": "Thủ tục xét tặng danh hiệu Tập thể lao động xuất sắc",
    "group": "A",
    "level": "province",
    "field": "Thi đua - Khen thưởng",
    "owner": "P-A-1",
    "processing_time": {"value": "20", "unit": "working_days"},
}


def test_the_api_creates_a_procedure_inventoried_on_a_past_day(api, world):
    response = api(world.officer_a1).post(URL, {**BODY, "inventoried_on": "2023-03-31"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["inventoried_on"] == "2023-03-31"
    assert Procedure.objects.get().inventoried_on == date(2023, 3, 31)


def test_a_procedure_sent_without_the_day_is_inventoried_today(api, world):
    response = api(world.officer_a1).post(URL, BODY, format="json")
    assert response.json()["inventoried_on"] == today().isoformat()


def test_the_api_refuses_an_inventory_day_in_the_future(api, world):
    tomorrow = today() + timedelta(days=1)
    response = api(world.officer_a1).post(URL, {**BODY, "inventoried_on": tomorrow.isoformat()}, format="json")
    assert response.status_code == 400
    assert response.json()["inventoried_on"] == [
        f"Ngày thống kê thủ tục ({tomorrow:%d/%m/%Y}) không thể sau ngày hôm nay ({today():%d/%m/%Y})."
    ]
    assert not Procedure.objects.exists()


def test_the_api_refuses_an_inventory_day_before_the_unit_existed(api, world):
    response = api(world.officer_a1).post(URL, {**BODY, "inventoried_on": "2019-12-31"}, format="json")
    assert response.status_code == 400 and "bắt đầu hoạt động (01/01/2020)" in str(response.json())


def test_publication_coverage_counts_what_was_inventoried_by_the_day(world, decision):
    """Entered today, inventoried on 31/3/2023 and published from 15/4/2023: 100% as of 30/4/2023 (counted by the
    day it was typed in, nothing would have been inventoried then)."""
    procedure = make_procedure(world.units["P-A"], status=Status.CHECKED, inventoried_on=date(2023, 3, 31))
    make_procedure(world.units["P-A"])  # inventoried today, not yet published
    published = decision(signed_on=date(2023, 4, 10), effective_on=date(2023, 4, 15))
    decision_add_item(decision=published, version=procedure.latest_version(), change=Change.NEW)
    decision_issue(decision=published)
    assert str(publication_coverage(world.units["P"], date(2023, 4, 30))) == "100.00"
    assert str(publication_coverage(world.units["P"], today())) == "50.00"


def test_the_page_shows_an_inventory_day_in_the_future_beside_its_field_and_keeps_it(client, world):
    client.force_login(world.officer_a1)
    tomorrow = f"{today() + timedelta(days=1):%d/%m/%Y}"
    page = client.post(reverse("procedures:create"), {"owner": world.units["P-A-1"].pk, "inventoried_on": tomorrow})
    form = page.context["head"]
    assert "không thể sau ngày hôm nay" in form.errors["inventoried_on"][0]
    assert f'value="{tomorrow}"' in page.content.decode()
    assert not Procedure.objects.exists()
