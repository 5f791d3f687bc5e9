import pytest

pytestmark = pytest.mark.django_db


def test_a_scorecard_tree_is_built_in_the_admin(world, admin_client):
    from tinhgon.plans.models import Scorecard

    data = {
        "title": "Chỉ số CCHC",
        "year": 2026,
        "organisation": world.units["P-A"].pk,
        "bands": '[[90, "Xuất sắc"], [0, "Chưa xếp loại"]]',
        "criteria-TOTAL_FORMS": 1,
        "criteria-INITIAL_FORMS": 0,
        "criteria-0-order": 1,
        "criteria-0-code": "1",
        "criteria-0-title": "Cải cách thủ tục hành chính",
        "criteria-0-max_points": "10",
    }
    response = admin_client.post("/quan-tri/plans/scorecard/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    card = Scorecard.objects.get()
    assert card.criteria.get().max_points == 10 and card.band(9, out_of=10) == "Xuất sắc"
