"""Approval decisions in the API (issue 12 item 5): one decision approves many options, listed in its annex; options
are added and removed on a draft from the version read; issuing goes through the decision's transition, once."""

from decimal import Decimal

import pytest

from tinhgon.accounts.models import Role
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.dates import today
from tinhgon.reviews import services
from tinhgon.reviews.constants import Action, ApprovalStatus, ReviewStatus
from tinhgon.reviews.models import ApprovalDecision, ImplementationItem, Review
from tinhgon.reviews.tests import factories as rf
from tinhgon.test import DECISION_GROUNDS

pytestmark = pytest.mark.django_db

APPROVALS = "/api/v1/approvals/"


def person(code: str, role: str):
    from tinhgon.api.tests.test_reviews_api import person as make

    return make(code, role)


def checked(world, action=Action.AMEND, owner="P-A-1", **proposal) -> Review:
    """A checked form of a new procedure of `owner`, its option filled with the §6.3 worked example."""
    procedure = rf.publish(world, world.units[owner])
    review = services.round_add_procedure(round=rf.round_for(world, org=world.units["P"]), procedure=procedure)
    after = rf.WORKED_AFTER if action != Action.KEEP else None
    return rf.advance(rf.filled(review, action=action, after=after, **proposal), ReviewStatus.CHECKED)


def body(reviews, **extra) -> dict:
    return {
        "number": "15/QĐ-UBND",
        "signed_on": today().isoformat(),
        "signer": "Nguyễn Văn A",
        "signer_title": "Chủ tịch",
        "issuer": "P",
        "proposal": DECISION_GROUNDS["proposal"],
        "reviews": [r.pk for r in reviews],
        **extra,
    }


def test_a_draft_decision_is_created_with_many_options_listed_in_its_annex(api, world):
    amended = checked(world, time_after=Decimal("12"))
    reengineered = checked(world, Action.REENGINEER, owner="P-A", time_after=Decimal("15"))
    created = api(world.chair_p).post(APPROVALS, body([amended, reengineered]), format="json")
    assert created.status_code == 201, created.json()
    decision = created.json()
    assert decision["status"] == ApprovalStatus.DRAFT
    options = {o["review"]: o for o in decision["options"]}
    assert set(options) == {amended.pk, reengineered.pk}
    assert options[reengineered.pk]["action"] == "reengineer"
    assert options[amended.pk]["time_cut"] == {"days": "8.00", "pct": "40.00"}
    total = decision["total"]
    assert (total["before"], total["after"]) == (2 * 88_800_000, 2 * 40_500_000) and total["saving_pct"] == "54.39"
    assert (total["time_cut"], total["time_cut_days"], total["time_cut_pct"]) == (2, "13.00", "32.50")


def test_a_form_the_user_cannot_see_is_refused_by_its_number_alone(api, world):
    form = checked(world)
    refused = api(world.chair_p).post(APPROVALS, {**body([form]), "reviews": [form.pk, 10**12]}, format="json")
    assert refused.status_code == 400 and str(10**12) in str(refused.json()["reviews"])
    assert not ApprovalDecision.objects.exists()  # all or nothing


def test_a_form_that_cannot_be_approved_keeps_no_draft(api, world):
    procedure = rf.publish(world, world.units["P-A-1"])
    unchecked = services.round_add_procedure(round=rf.round_for(world), procedure=procedure)
    refused = api(world.chair_p).post(APPROVALS, body([checked(world, owner="P-A"), unchecked]), format="json")
    assert refused.status_code == 400 and "chưa được kiểm soát" in str(refused.json())
    assert not ApprovalDecision.objects.exists()


def test_options_are_added_and_removed_from_the_version_read(api, world):
    first, second = checked(world), checked(world, owner="P-A")
    decision = api(world.chair_p).post(APPROVALS, body([first]), format="json").json()
    url = f"{APPROVALS}{decision['id']}/options/"
    assert api(world.chair_p).post(url, {"add": [second.pk]}, format="json").status_code == 428
    version = decision["row_version"]
    changed = api(world.chair_p).post(url, {"add": [second.pk], "remove": [first.pk], "row_version": version})
    assert changed.status_code == 200, changed.json()
    assert [o["review"] for o in changed.json()["options"]] == [second.pk]
    assert changed.json()["row_version"] > version
    again = api(world.chair_p).post(url, {"add": [first.pk], "row_version": version}, format="json")
    assert again.status_code == 409  # read before the change: refused, nothing added
    assert list(Review.objects.filter(approval_id=decision["id"])) == [second]


def test_adding_a_form_already_in_the_decision_does_nothing(api, world):
    form = checked(world)
    decision = api(world.chair_p).post(APPROVALS, body([form]), format="json").json()
    entries = AuditLogEntry.objects.filter(action="reviews.review.added_to_approval").count()
    url = f"{APPROVALS}{decision['id']}/options/"
    response = api(world.chair_p).post(url, {"add": [form.pk]}, HTTP_IF_MATCH=f'"{decision["row_version"]}"')
    assert response.status_code == 200, response.json()
    assert AuditLogEntry.objects.filter(action="reviews.review.added_to_approval").count() == entries


def test_issuing_approves_every_option_once_and_a_second_issue_changes_nothing(api, world):
    forms = [checked(world), checked(world, Action.REENGINEER, owner="P-A")]
    decision = api(world.chair_p).post(APPROVALS, body(forms), format="json").json()
    url = f"{APPROVALS}{decision['id']}/issue/"
    issued = api(world.chair_p).post(url, {"row_version": decision["row_version"]}, format="json")
    assert issued.status_code == 200, issued.json()
    assert issued.json()["status"] == ApprovalStatus.ISSUED
    assert set(Review.objects.values_list("status", flat=True)) == {ReviewStatus.APPROVED}
    items = ImplementationItem.objects.count()
    assert items == 2
    twice = api(world.chair_p).post(url, format="json")
    assert twice.status_code == 409 and "đã được thực hiện" in twice.json()["detail"]
    assert ImplementationItem.objects.count() == items
    remove = {"remove": [forms[0].pk], "row_version": issued.json()["row_version"]}
    closed = api(world.chair_p).post(f"{APPROVALS}{decision['id']}/options/", remove, format="json")
    assert closed.status_code == 400 and "đã ban hành" in str(closed.json())
    assert Review.objects.filter(approval_id=decision["id"]).count() == 2


def test_issuing_from_a_copy_read_before_an_option_was_added_is_refused(api, world):
    first, second = checked(world), checked(world, owner="P-A")
    decision = api(world.chair_p).post(APPROVALS, body([first]), format="json").json()
    options = f"{APPROVALS}{decision['id']}/options/"
    api(world.chair_p).post(options, {"add": [second.pk], "row_version": decision["row_version"]}, format="json")
    stale = api(world.chair_p).post(f"{APPROVALS}{decision['id']}/issue/", HTTP_IF_MATCH=f'"{decision["row_version"]}"')
    assert stale.status_code == 409
    assert ApprovalDecision.objects.get().status == ApprovalStatus.DRAFT


def test_outsiders_neither_see_nor_change_approval_decisions(api, world):
    form = checked(world)
    decision = api(world.chair_p).post(APPROVALS, body([form]), format="json").json()
    detail = f"{APPROVALS}{decision['id']}/"
    assert api(world.outsider).get(APPROVALS).json()["count"] == 0
    assert api(world.outsider).get(detail).status_code == 404
    assert api(world.outsider).post(APPROVALS, body([form]), format="json").status_code == 403
    q_leader = api(person("Q", Role.AGENCY_LEADER))
    unseen = q_leader.post(APPROVALS, body([form], issuer="Q"), format="json")
    assert unseen.status_code == 400 and "Không tìm thấy phiếu rà soát" in str(unseen.json())
    for action in ("options", "issue"):
        assert api(world.outsider).post(f"{detail}{action}/", {"row_version": 1}).status_code == 404
        assert api(world.officer_a1).post(f"{detail}{action}/", {"row_version": 1}).status_code == 403
    assert q_leader.post(f"{detail}issue/").status_code == 404
    assert ApprovalDecision.objects.get().status == ApprovalStatus.DRAFT


def test_a_form_holder_sees_only_their_option_in_a_draft(api, world):
    mine, theirs = checked(world), checked(world, owner="P-B")
    decision = api(world.chair_p).post(APPROVALS, body([mine, theirs]), format="json").json()
    shown = api(world.officer_a1).get(f"{APPROVALS}{decision['id']}/").json()
    assert [o["review"] for o in shown["options"]] == [mine.pk]
    listed = api(world.officer_a1).get(APPROVALS).json()["results"]
    assert [(d["id"], d["options_count"]) for d in listed] == [(decision["id"], 1)]
    assert "options" not in listed[0]  # the annex is the decision's own (20,000 options on a page of the nation's)
    assert api(world.chair_p).get(APPROVALS).json()["results"][0]["options_count"] == 2


def test_hanoi_reengineering_of_293_procedures_saves_71_64_percent(api, world):
    """Replays the re-engineering plan approved by Hà Nội for 293 TTHC (Trung tâm Phục vụ hành chính công thành phố
    Hà Nội, report of 23/12/2025, published by Dân trí on 25/12/2025:
    https://dantri.com.vn/noi-vu/ha-noi-tiet-kiem-hon-1650-ty-dongnam-nho-tai-cau-truc-thu-tuc-hanh-chinh-20251225091944331.htm
    and VietnamPlus on 06/01/2026:
    https://www.vietnamplus.vn/ha-noi-tai-cau-truc-293-thu-tuc-hanh-chinh-tiet-kiem-hon-1650-ty-dong-moi-nam-post1086802.vnp):
    compliance cost of the 293 procedures about 2,306 bn VND a year before, about 654 bn after, saving 1,652 bn,
    71.64 % (domain.md §10 "Arithmetic fixtures"). The published figures are totals, so the plan is entered as one
    re-engineering option carrying them; the sources give no processing times, so no time cut is entered (the
    arithmetic of days cut is checked in reviews/tests/test_simplification.py). Re-engineering changes no legal text:
    the cost figure moves, the count of procedures cut does not."""
    procedure = rf.publish(world, world.units["P-A-1"], "Nhóm 293 thủ tục hành chính được tái cấu trúc")
    review = services.round_add_procedure(round=rf.round_for(world, org=world.units["P"]), procedure=procedure)
    rf.answer_all(review)
    rf.parameters()
    officer = api(world.officer_a1)
    for scenario, total in (("current", 2_306_000_000_000), ("proposed", 654_000_000_000)):
        row = {"activity": "Chi phí tuân thủ của 293 TTHC (ước tính, đồng/năm)", "other_costs": total}
        sheet = {"procedure": procedure.pk, "scenario": scenario, "rows": [row]}
        assert officer.post("/api/v1/cost-sheets/", sheet, format="json").status_code == 201
    option = {
        "procedure": procedure.pk,
        "action": "reengineer",
        "reason": "Tái cấu trúc quy trình, cung cấp dịch vụ công trực tuyến toàn trình, khai thác dữ liệu",
    }
    written = officer.post("/api/v1/proposals/", option, format="json")
    assert written.status_code == 201, written.json()
    assert written.json()["benefit"]["saving_pct"] == "71.64"
    url = f"/api/v1/reviews/{review.pk}/"
    assert api(world.head_a1).post(f"{url}submit/").status_code == 200
    assert api(world.focal_a).post(f"{url}check/").status_code == 200
    decision = api(world.chair_p).post(APPROVALS, body([review]), format="json").json()
    assert decision["total"]["saving"] == 1_652_000_000_000
    issued = api(world.chair_p).post(f"{APPROVALS}{decision['id']}/issue/")
    assert issued.status_code == 200, issued.json()
    ledger = api(world.oversight).get("/api/v1/ledger/", {"org": "P"}).json()
    assert (ledger["cost_before"], ledger["cost_after"]) == (2_306_000_000_000, 654_000_000_000)
    assert (ledger["cost_saving"], ledger["cost_saving_pct"]) == (1_652_000_000_000, "71.64")
    assert (ledger["approved"], ledger["simplified"], ledger["simplified_pct"]) == (1, 0, "0.00")


def test_the_approvals_answer_http_options_as_every_endpoint_does(api, world):
    assert api(world.chair_p).options(APPROVALS).status_code == 200


def test_the_list_of_decisions_takes_the_same_queries_for_one_or_three(api, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(world.oversight)
    api(world.chair_p).post(APPROVALS, body([checked(world)]), format="json")
    with CaptureQueriesContext(connection) as one:
        client.get(APPROVALS)
    for owner in ("P-A", "P-B"):
        api(world.chair_p).post(APPROVALS, body([checked(world, owner=owner)]), format="json")
    with CaptureQueriesContext(connection) as three:
        assert client.get(APPROVALS).json()["count"] == 3
    assert len(three) == len(one)
