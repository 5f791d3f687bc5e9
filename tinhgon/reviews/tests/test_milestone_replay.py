"""A real provincial plan's targets replayed through the API.

Source: Quyết định số 258/QĐ-UBND ngày 04/3/2024 của Ủy ban nhân dân tỉnh Trà Vinh ban hành Kế hoạch cải cách thủ
tục hành chính năm 2024 trên địa bàn tỉnh Trà Vinh (copy in /work/shared/seeds/002_f88451ef77bd964e.txt), part III,
item 2: "Tiếp tục rà soát, công bố bổ sung danh mục TTHC nội bộ nhóm A thuộc phạm vi quản lý, hoàn thành trong tháng 3
năm 2024; tổ chức rà soát 100% TTHC nội bộ nhóm A đã công bố, trình Chủ tịch Ủy ban nhân dân tỉnh phê duyệt phương án
đơn giản hóa, bảo đảm cắt giảm, đơn giản hóa ít nhất 20% số lượng TTHC và cắt giảm ít nhất 20% chi phí tuân thủ TTHC,
hoàn thành trong tháng 10 năm 2024."

The province (unit P of the test world) enters these five milestones through /api/v1/milestones/; its department
P-A, which sets none, inherits them. P-A's history (invented, dated as a department would have lived it): five group A
procedures inventoried in 2023, four published on 20/3/2023 and one in the supplementary list of 25/3/2024; three
forms checked by 30/6/2024 and approved by a decision signed on 30/10/2024 (one abolition, one amendment, one kept),
the last two checked late on 15/11/2024 and approved on 20/12/2024. The ledger as of 31/01/2025 must judge each
milestone by the day it was reached.
"""

from datetime import date

import pytest

from tinhgon.reviews.constants import Action
from tinhgon.reviews.tests.test_milestones import dated

pytestmark = pytest.mark.django_db

QD_258 = "QĐ 258/QĐ-UBND ngày 04/3/2024 của UBND tỉnh Trà Vinh, phần III mục 2"
PLAN = [
    ("published_pct", "100", "2024-03-31"),  # công bố bổ sung danh mục, hoàn thành trong tháng 3 năm 2024
    ("reviewed_pct", "100", "2024-10-31"),  # rà soát 100% TTHC nội bộ nhóm A đã công bố
    ("approved_pct", "100", "2024-10-31"),  # trình Chủ tịch UBND tỉnh phê duyệt phương án đơn giản hóa
    ("simplified_pct", "20", "2024-10-31"),  # cắt giảm, đơn giản hóa ít nhất 20% số lượng TTHC
    ("cost_saving_pct", "20", "2024-10-31"),  # cắt giảm ít nhất 20% chi phí tuân thủ TTHC
]


@pytest.fixture
def tra_vinh(api, world):
    """The plan's milestones entered by the province's focal point, and the department's history."""
    client = api(world.focal_p)
    for metric, target, due_on in PLAN:
        body = {"organisation": "P", "metric": metric, "target": target, "due_on": due_on, "source": QD_258}
        response = client.post("/api/v1/milestones/", body, format="json")
        assert response.status_code == 201, response.json()
    unit, early, late = world.units["P-A"], date(2024, 10, 30), date(2024, 12, 20)
    dated(world, unit, "Bãi bỏ", checked=date(2024, 6, 10), approved=early, action=Action.ABOLISH)
    dated(world, unit, "Sửa đổi", checked=date(2024, 6, 20), approved=early, action=Action.AMEND, after=6_000_000)
    dated(world, unit, "Giữ nguyên", checked=date(2024, 6, 30), approved=early)
    dated(world, unit, "Rà soát muộn 1", checked=date(2024, 11, 15), approved=late)
    dated(world, unit, "Công bố bổ sung", published=date(2024, 3, 25), checked=date(2024, 11, 15), approved=late)
    return client


def milestones(client, as_of: str) -> dict:
    response = client.get("/api/v1/ledger/", {"org": "P-A", "as_of": as_of})
    assert response.status_code == 200, response.json()
    return {m["metric"]: m for m in response.json()["milestones"] if m["source"] == QD_258}


def test_the_department_inherits_the_provinces_plan(tra_vinh):
    rows = tra_vinh.get("/api/v1/milestones/applicable/", {"org": "P-A"}).json()
    plan = [(r["metric"], r["target"], r["due_on"], r["inherited"]) for r in rows if r["source"] == QD_258]
    assert plan == [(metric, f"{target}.00", due_on, True) for metric, target, due_on in PLAN]


def test_after_the_deadline_each_target_is_judged_by_the_day_it_was_reached(tra_vinh):
    judged = milestones(tra_vinh, "2025-01-31")
    assert {m: (judged[m]["reached_on"], judged[m]["status"]) for m in judged} == {
        "published_pct": ("2024-03-25", "met_on_time"),  # the supplementary list, within March
        "reviewed_pct": ("2024-11-15", "met_late"),  # the last two forms checked in November
        "approved_pct": ("2024-12-20", "met_late"),
        "simplified_pct": ("2024-10-30", "met_on_time"),  # 2 of 5 = 40 % on the decision's day
        "cost_saving_pct": ("2024-10-30", "met_on_time"),  # (10 + 4) of 30 million = 46,67 %; 28 % of 50 million later
    }
    assert (judged["simplified_pct"]["value"], judged["cost_saving_pct"]["value"]) == ("40.00", "28.00")


def test_the_day_after_the_deadline_the_late_targets_were_missed(tra_vinh):
    judged = milestones(tra_vinh, "2024-11-01")
    assert judged["reviewed_pct"]["status"] == "missed" and judged["reviewed_pct"]["value"] == "60.00"
    assert judged["approved_pct"]["status"] == "missed"
    assert judged["simplified_pct"]["status"] == "met_on_time"


def test_in_september_the_review_targets_were_at_risk(tra_vinh):
    judged = milestones(tra_vinh, "2024-09-15")
    assert (judged["reviewed_pct"]["status"], judged["approved_pct"]["status"]) == ("at_risk", "at_risk")
    assert judged["published_pct"]["status"] == "met_on_time"


def test_when_the_plan_was_issued_the_october_targets_were_not_yet_due(tra_vinh):
    judged = milestones(tra_vinh, "2024-03-04")
    assert judged["reviewed_pct"]["status"] == "not_due"
    assert (judged["published_pct"]["status"], judged["published_pct"]["value"]) == ("at_risk", "80.00")
