from datetime import date

import pytest

from tinhgon.accounts.models import Role
from tinhgon.accounts.tests.factories import MembershipFactory, UserFactory
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.dates import today
from tinhgon.procedures.tests.factories import make_procedure
from tinhgon.reviews import services
from tinhgon.reviews.constants import Action, ApprovalStatus, ReviewStatus
from tinhgon.reviews.models import ApprovalDecision, CostSheet, Review
from tinhgon.reviews.tests import factories as rf

pytestmark = pytest.mark.django_db


def person(code: str, role: str):
    """Someone with `role` at unit `code` of the world (tinhgon/test.py), for cases its personas do not cover."""
    from tinhgon.organisations.models import Organisation

    user = UserFactory()
    MembershipFactory(user=user, organisation=Organisation.objects.get(code=code), role=role)
    return user


ROUNDS = "/api/v1/review-rounds/"
REVIEWS = "/api/v1/reviews/"
PARAMS = "/api/v1/cost-parameters/"
SHEETS = "/api/v1/cost-sheets/"
PROPOSALS = "/api/v1/proposals/"
LEDGER = "/api/v1/ledger/"

WORKED_ROWS = [
    {"activity": "Chuẩn bị hồ sơ", "hours": 8, "other_costs": 40_000},
    {"activity": "Nộp hồ sơ trực tiếp", "hours": 2, "other_costs": 50_000},
    {"activity": "Bổ sung hồ sơ", "hours": 2},
    {"activity": "Nhận kết quả", "hours": 1},
]


def open_review(world, owner="P-A-1", **publish):
    """A published procedure of `owner` with a review form in a P-A plan."""
    procedure = rf.publish(world, world.units[owner], **publish)
    return services.round_add_procedure(round=rf.round_for(world), procedure=procedure)


# Plans ------------------------------------------------------------------------------------------------------------


def test_focal_point_creates_a_plan_and_wrong_roles_cannot(api, world):
    body = {"title": "Kế hoạch rà soát 2025", "organisation": "P-A", "year": 2025, "deadline": "2025-10-31"}
    created = api(world.focal_a).post(ROUNDS, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["deadline"] == "2025-10-31" and created.json()["organisation"] == "P-A"
    assert api(world.officer_a1).post(ROUNDS, body, format="json").status_code == 403
    assert api(world.outsider).post(ROUNDS, body, format="json").status_code == 403
    bad = api(world.focal_a).post(ROUNDS, {**body, "deadline": "31-10"}, format="json")
    assert bad.status_code == 400 and "deadline" in bad.json()


def test_plans_are_listed_within_scope(api, world):
    rf.round_for(world)
    rf.round_for(world, org=world.units["P-B"])
    assert api(world.oversight).get(ROUNDS).json()["count"] == 2
    assert api(world.focal_a).get(ROUNDS).json()["count"] == 1
    assert api(world.oversight).get(ROUNDS, {"organisation": "P-B"}).json()["count"] == 1
    assert api(world.outsider).get(ROUNDS).json()["count"] == 0
    assert api(world.officer_a1).get(ROUNDS).json()["count"] == 0  # P-A's plan lists nothing of P-A-1 yet


def test_add_all_published_opens_forms_in_the_subtree(api, world):
    plan = rf.round_for(world)
    rf.publish(world, world.units["P-A"])
    rf.publish(world, world.units["P-A-1"])
    rf.publish(world, world.units["P-B"])
    make_procedure(world.units["P-A"])  # a draft is not reviewed
    url = f"{ROUNDS}{plan.pk}/add-all-published/"
    assert api(world.outsider).post(url).status_code == 404
    assert api(world.officer_a1).post(url).status_code == 404  # cannot see P-A's plan
    assert api(world.oversight).post(url).status_code == 403
    response = api(world.focal_a).post(url)
    assert response.status_code == 200
    assert sorted(r["responsible"] for r in response.json()) == ["P-A", "P-A-1"]
    assert api(world.focal_a).post(url).json() == []  # nothing left to add
    # The unit officer now sees the plan through its procedure.
    listed = api(world.officer_a1).get(ROUNDS).json()
    assert listed["count"] == 1 and listed["results"][0]["review_count"] == 1  # its own form only


# Review forms -----------------------------------------------------------------------------------------------------


def test_open_a_form_for_one_procedure(api, world):
    plan = rf.round_for(world)
    procedure = rf.publish(world, world.units["P-A-1"])
    body = {"procedure": procedure.pk, "round": plan.pk}
    assert api(world.outsider).post(REVIEWS, body, format="json").status_code == 403  # may plan nowhere
    assert api(world.outsider_admin).post(REVIEWS, body, format="json").status_code == 404
    assert api(world.oversight).post(REVIEWS, body, format="json").status_code == 403
    created = api(world.focal_a).post(REVIEWS, body, format="json")
    assert created.status_code == 201, created.json()
    form = created.json()
    assert form["status"] == "draft" and form["procedure_code"] == procedure.code and form["responsible"] == "P-A-1"
    assert len(form["answers"]) == 20 and all(a["answer"] is None for a in form["answers"])
    assert "Chưa tính chi phí tuân thủ hiện tại" in form["missing"]
    again = api(world.focal_a).post(REVIEWS, body, format="json")
    assert again.status_code == 400 and "đã có trong kế hoạch" in str(again.json())


def test_open_a_form_refuses_drafts_and_procedures_outside_the_plan(api, world):
    plan = rf.round_for(world)
    draft = make_procedure(world.units["P-A"])
    response = api(world.focal_a).post(REVIEWS, {"procedure": draft.pk, "round": plan.pk}, format="json")
    assert response.status_code == 400 and "chưa được công bố" in str(response.json())
    other = rf.publish(world, world.units["P-B"])
    response = api(world.focal_p).post(REVIEWS, {"procedure": other.pk, "round": plan.pk}, format="json")
    assert response.status_code == 400 and "không thuộc phạm vi" in response.json()["procedure"][0]


def test_forms_are_listed_within_scope_and_filtered(api, world):
    mine = open_review(world)
    theirs = open_review(world, owner="P-A")
    rf.filled(theirs)
    rf.advance(theirs, ReviewStatus.SUBMITTED)
    assert api(world.focal_a).get(REVIEWS).json()["count"] == 2
    assert [r["id"] for r in api(world.officer_a1).get(REVIEWS).json()["results"]] == [mine.pk]
    assert api(world.outsider).get(REVIEWS).json()["count"] == 0
    assert api(world.outsider).get(f"{REVIEWS}{mine.pk}/").status_code == 404
    client = api(world.focal_a)
    assert [r["id"] for r in client.get(REVIEWS, {"status": "submitted"}).json()["results"]] == [theirs.pk]
    assert client.get(REVIEWS, {"procedure": mine.procedure_id}).json()["count"] == 1
    assert client.get(REVIEWS, {"round": mine.round_id}).json()["count"] == 1
    assert client.get(REVIEWS, {"round": "x"}).status_code == 400


def test_forms_are_listed_newest_plan_first_then_by_procedure_code(api, world):
    older = rf.round_for(world)  # 2024
    newer = services.round_create(organisation=world.units["P-A"], title="Kế hoạch rà soát năm 2025", year=2025)
    forms = [
        services.round_add_procedure(round=plan, procedure=rf.publish(world, world.units["P-A"]))
        for plan in (older, newer, older)
    ]
    listed = api(world.focal_a).get(REVIEWS).json()["results"]
    expected = [forms[1], *sorted([forms[0], forms[2]], key=lambda r: r.procedure.code)]
    assert [r["id"] for r in listed] == [r.pk for r in expected]


def test_answers_are_saved_with_an_optimistic_lock(api, world):
    review = open_review(world)
    first, second = review.answers.all()[:2]
    url = f"{REVIEWS}{review.pk}/"
    seen = review.row_version
    body = {
        "row_version": seen,
        "answers": [
            {"question": first.question_id, "answer": False, "reason": "Không cần", "proposal": "Bỏ"},
            {"question": second.question_id, "answer": True},
        ],
    }
    response = api(world.officer_a1).patch(url, body, format="json")
    assert response.status_code == 200, response.json()
    saved = {a["question"]: a for a in response.json()["answers"]}
    assert saved[first.question_id]["answer"] is False and saved[first.question_id]["proposal"] == "Bỏ"
    assert saved[first.question_id]["flagged"] is (first.question.flags_when is False)
    assert response.json()["row_version"] == seen + 1 and response.json()["reviewer"] == "officer_a1"
    stale = api(world.head_a1).patch(url, body, format="json")
    assert stale.status_code == 409
    assert "người khác cập nhật" in stale.json()["detail"] and stale.json()["row_version"] == seen + 1
    unknown = api(world.officer_a1).patch(
        url, {"row_version": seen + 1, "answers": [{"question": 999999, "answer": True}]}, format="json"
    )
    assert unknown.status_code == 400 and "không thuộc phiếu rà soát" in str(unknown.json())
    assert api(world.leader_a).patch(url, body, format="json").status_code == 403
    assert api(world.outsider).patch(url, body, format="json").status_code == 404


def test_workflow_with_roles(api, world):
    review = open_review(world)
    url = f"{REVIEWS}{review.pk}/"
    early = api(world.head_a1).post(f"{url}submit/")
    assert early.status_code == 400 and "Chưa thể trình" in str(early.json())
    rf.filled(review)
    assert api(world.officer_a1).post(f"{url}submit/").status_code == 403
    assert api(world.outsider).post(f"{url}submit/").status_code == 404
    assert api(world.head_a1).post(f"{url}submit/").json()["status"] == "submitted"
    assert api(world.head_a1).post(f"{url}check/").status_code == 403
    no_comment = api(world.focal_a).post(f"{url}return/", {"comment": ""}, format="json")
    assert no_comment.status_code == 400 and "lý do trả lại" in str(no_comment.json())
    returned = api(world.focal_a).post(f"{url}return/", {"comment": "Bổ sung lý do câu 3"}, format="json")
    assert returned.json()["status"] == "returned" and returned.json()["return_comment"] == "Bổ sung lý do câu 3"
    api(world.head_a1).post(f"{url}submit/")
    assert api(world.focal_a).post(f"{url}check/").json()["status"] == "checked"
    again = api(world.focal_a).post(f"{url}check/")
    assert again.status_code == 409 and "đã được thực hiện" in again.json()["detail"]
    version = api(world.officer_a1).get(url).json()["row_version"]
    locked = api(world.officer_a1).patch(url, {"row_version": version, "answers": []}, format="json")
    assert locked.status_code == 400 and "không thể sửa" in str(locked.json())


def approval_body(issuer="P", **extra):
    return {
        "number": "15/QĐ-UBND",
        "signed_on": today().isoformat(),
        "signer": "Nguyễn Văn A",
        "issuer": issuer,
        "proposal": "Tờ trình số 6692/TTr-SGTVT ngày 25/10/2024",
        **extra,
    }


def test_approve_one_form_by_a_decision(api, world):
    review = rf.advance(rf.filled(open_review(world), action=Action.AMEND, after=rf.WORKED_AFTER), ReviewStatus.CHECKED)
    url = f"{REVIEWS}{review.pk}/approve/"
    assert api(world.outsider).post(url, approval_body(), format="json").status_code == 404  # does not see the form
    assert api(person("Q", Role.FOCAL_POINT)).post(url, approval_body("Q"), format="json").status_code == 404
    assert api(world.officer_a1).post(url, approval_body("P-A"), format="json").status_code == 403
    assert api(world.leader_a).post(url, approval_body(), format="json").status_code == 403  # no role at P
    group_a = api(world.leader_a).post(url, approval_body("P-A"), format="json")
    assert group_a.status_code == 400 and "nhóm A" in str(group_a.json())
    assert not ApprovalDecision.objects.exists()  # the refused decision is not kept
    missing = api(world.chair_p).post(url, {"issuer": "P"}, format="json")
    assert missing.status_code == 400 and {"number", "signed_on", "signer"} <= set(missing.json())
    approved = api(world.chair_p).post(url, approval_body(signer_title="Chủ tịch"), format="json")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    decision = ApprovalDecision.objects.get()
    assert decision.status == ApprovalStatus.ISSUED and approved.json()["approval"] == decision.pk
    assert review.proposal.implementation_items.count() == 1
    twice = api(world.chair_p).post(url, approval_body(number="16/QĐ-UBND"), format="json")
    assert twice.status_code == 400 and "chưa được kiểm soát" in str(twice.json())


def test_group_b_forms_are_approved_by_the_agency_leader(api, world):
    review = rf.advance(rf.filled(open_review(world, group="B")), ReviewStatus.CHECKED)
    response = api(world.leader_a).post(f"{REVIEWS}{review.pk}/approve/", approval_body("P-A"), format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"


def test_hints_of_a_form(api, world):
    review = open_review(world)  # channels: in person and by post, no online submission
    url = f"{REVIEWS}{review.pk}/hints/"
    assert api(world.outsider).get(url).status_code == 404
    response = api(world.officer_a1).get(url)
    assert response.status_code == 200
    hints = {h["code"]: h for h in response.json()}
    assert {"code", "title", "why", "decision"} <= set(hints["no_online_channel"])
    assert hints["no_online_channel"]["decision"] is None and hints["no_online_channel"]["why"]
    services.hint_decide(review=review, code="no_online_channel", accepted=True, note="Đưa lên cổng dịch vụ công")
    decided = {h["code"]: h for h in api(world.officer_a1).get(url).json()}["no_online_channel"]
    assert decided["decision"] == {"accepted": True, "note": "Đưa lên cổng dịch vụ công"}


# Cost parameters and sheets ---------------------------------------------------------------------------------------

PARAMETERS = {
    "name": "Thu nhập bình quân công chức tỉnh P",
    "year": 2024,
    "monthly_income": 8_800_000,
    "working_days_per_month": 22,
    "hours_per_day": 8,
    "source": "Cục Thống kê tỉnh",
    "organisation": "P",
}


def test_cost_parameters_give_the_hourly_rate(api, world):
    created = api(world.focal_p).post(PARAMS, PARAMETERS, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["hourly_rate"] == "50000.00" and created.json()["organisation"] == "P"
    assert api(world.officer_a1).post(PARAMS, PARAMETERS, format="json").status_code == 403
    assert api(world.outsider).post(PARAMS, PARAMETERS, format="json").status_code == 403
    shared = {k: v for k, v in PARAMETERS.items() if k != "organisation"}
    assert api(world.focal_p).post(PARAMS, shared, format="json").status_code == 403  # shared sets: superusers
    bad = api(world.focal_p).post(PARAMS, {**PARAMETERS, "monthly_income": 0}, format="json")
    assert bad.status_code == 400 and "monthly_income" in bad.json()
    # A unit uses the figures of the units above it; another province does not see them.
    assert api(world.officer_a1).get(PARAMS).json()["count"] == 1
    assert api(world.outsider).get(PARAMS).json()["count"] == 0
    assert api(world.outsider).get(f"{PARAMS}{created.json()['id']}/").status_code == 404


def test_worked_example_through_the_api(api, world):
    """domain.md §6.3: 8,800,000 VND ÷ 22 days ÷ 8 h = 50,000 VND/h; 740,000 VND per execution; 120 a year."""
    parameters = api(world.focal_p).post(PARAMS, PARAMETERS, format="json").json()
    assert parameters["hourly_rate"] == "50000.00"
    procedure = rf.publish(world, world.units["P-A-1"])
    body = {
        "procedure": procedure.pk,
        "scenario": "current",
        "parameters": parameters["id"],
        "executions_per_year": 1,
        "subjects_per_year": 120,
        "rows": WORKED_ROWS,
    }
    response = api(world.officer_a1).post(SHEETS, body, format="json")
    assert response.status_code == 201, response.json()
    sheet = response.json()
    assert (sheet["cost_per_execution"], sheet["annual_cost"]) == (740_000, 88_800_000)
    assert sheet["review"] is None and sheet["hourly_rate"] == "50000.00"  # standalone: no review open
    assert [r["cost"] for r in sheet["rows"]] == [440_000, 150_000, 100_000, 50_000]
    assert api(world.officer_a1).get(SHEETS, {"procedure": procedure.pk}).json()["count"] == 1


def test_a_sheet_attaches_to_the_open_review(api, world):
    rf.parameters()
    review = open_review(world)
    body = {"procedure": review.procedure_id, "scenario": "current", "subjects_per_year": 120, "rows": WORKED_ROWS}
    created = api(world.officer_a1).post(SHEETS, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["review"] == review.pk and created.json()["parameters_name"]
    seen = created.json()["row_version"]
    rewritten = api(world.officer_a1).post(
        SHEETS, {**body, "row_version": seen, "subjects_per_year": 60}, format="json"
    )
    assert rewritten.status_code == 200 and rewritten.json()["id"] == created.json()["id"]
    assert rewritten.json()["annual_cost"] == 44_400_000 and rewritten.json()["row_version"] == seen + 1
    stale = api(world.officer_a1).post(SHEETS, {**body, "row_version": seen}, format="json")
    assert stale.status_code == 409 and "người khác cập nhật" in stale.json()["detail"]
    assert CostSheet.objects.count() == 1
    empty = api(world.officer_a1).post(SHEETS, {**body, "rows": [], "row_version": seen + 1}, format="json")
    assert empty.status_code == 400 and "ít nhất một công việc" in str(empty.json())
    assert api(world.officer_a1).get(SHEETS, {"review": review.pk, "scenario": "current"}).json()["count"] == 1
    assert api(world.officer_a1).get(SHEETS, {"scenario": "proposed"}).json()["count"] == 0


def test_cost_sheet_permissions(api, world):
    rf.parameters()
    procedure = rf.publish(world, world.units["P-A-1"])
    body = {"procedure": procedure.pk, "scenario": "current", "rows": WORKED_ROWS}
    assert api(world.outsider).post(SHEETS, body, format="json").status_code == 404
    assert api(world.leader_a).post(SHEETS, body, format="json").status_code == 403
    created = api(world.officer_a1).post(SHEETS, body, format="json").json()
    assert api(world.outsider).get(SHEETS).json()["count"] == 0
    assert api(world.outsider).get(f"{SHEETS}{created['id']}/").status_code == 404
    foreign = rf.parameters(organisation=world.units["Q"], name="Tỉnh Q")
    hidden = api(world.officer_a1).post(SHEETS, {**body, "parameters": foreign.pk}, format="json")
    assert hidden.status_code == 400 and "parameters" in hidden.json()


def test_no_parameters_yet_is_a_vietnamese_error(api, world):
    procedure = rf.publish(world, world.units["P-A-1"])
    body = {"procedure": procedure.pk, "scenario": "current", "rows": WORKED_ROWS}
    response = api(world.officer_a1).post(SHEETS, body, format="json")
    assert response.status_code == 400 and "Chưa có bộ tham số chi phí" in str(response.json())


# Proposals --------------------------------------------------------------------------------------------------------


def test_a_proposal_needs_an_open_review(api, world):
    procedure = rf.publish(world, world.units["P-A-1"])
    response = api(world.officer_a1).post(PROPOSALS, {"procedure": procedure.pk, "action": "keep"}, format="json")
    assert response.status_code == 400 and "không có phiếu rà soát đang mở" in response.json()["procedure"][0]


def test_proposal_with_draft_version_and_benefit(api, world):
    params = rf.parameters()
    review = open_review(world)
    services.sheet_save(
        procedure=review.procedure, scenario="current", rows=rf.WORKED_BEFORE, parameters=params, review=review,
        subjects_per_year=120,
    )  # fmt: skip
    body = {
        "procedure": review.procedure_id,
        "action": "amend",
        "changes": [{"kind": "add_online", "target": "Cách thức thực hiện", "after": "Trực tuyến"}],
        "reason": "Cho phép nộp trực tuyến",
        "legal_acts": "Quyết định sửa đổi Quyết định công bố",
        "implementation_deadline": "2025-12-31",
    }
    assert api(world.outsider).post(PROPOSALS, body, format="json").status_code == 404
    assert api(world.leader_a).post(PROPOSALS, body, format="json").status_code == 403
    no_reason = api(world.officer_a1).post(PROPOSALS, {**body, "reason": ""}, format="json")
    assert no_reason.status_code == 400 and "lý do" in no_reason.json()["reason"][0]
    bad_kind = api(world.officer_a1).post(PROPOSALS, {**body, "changes": [{"kind": "magic"}]}, format="json")
    assert bad_kind.status_code == 400 and "changes" in bad_kind.json()
    created = api(world.officer_a1).post(PROPOSALS, body, format="json")
    assert created.status_code == 201, created.json()
    proposal = created.json()
    assert proposal["review"] == review.pk and proposal["draft_version"]["number"] == 2
    assert proposal["draft_version"]["status"] == "draft" and proposal["implementation_deadline"] == "2025-12-31"
    assert proposal["benefit"] == {"before": 88_800_000, "after": 88_800_000, "saving": 0, "saving_pct": "0.00"}
    after = [{"activity": "Chuẩn bị hồ sơ", "hours": 6}, {"activity": "Nộp trực tuyến", "hours": "0.75"}]
    api(world.officer_a1).post(
        SHEETS, {"procedure": review.procedure_id, "scenario": "proposed", "subjects_per_year": 120, "rows": after},
        format="json",
    )  # fmt: skip
    seen = proposal["row_version"]
    updated = api(world.officer_a1).post(PROPOSALS, {**body, "row_version": seen}, format="json")
    assert updated.status_code == 200 and updated.json()["id"] == proposal["id"]
    assert updated.json()["benefit"] == {
        "before": 88_800_000,
        "after": 40_500_000,
        "saving": 48_300_000,
        "saving_pct": "54.39",
    }
    stale = api(world.officer_a1).post(PROPOSALS, {**body, "row_version": seen}, format="json")
    assert stale.status_code == 409
    listed = api(world.focal_a).get(PROPOSALS, {"action": "amend", "round": review.round_id}).json()
    assert listed["count"] == 1
    assert api(world.focal_a).get(PROPOSALS, {"action": "abolish"}).json()["count"] == 0
    assert api(world.outsider).get(PROPOSALS).json()["count"] == 0
    assert api(world.outsider).get(f"{PROPOSALS}{proposal['id']}/").status_code == 404


# Ledger -----------------------------------------------------------------------------------------------------------


def test_ledger_after_one_approved_simplification(api, world):
    review = rf.filled(open_review(world), action=Action.AMEND, after=rf.WORKED_AFTER)
    rf.advance(review, ReviewStatus.CHECKED)
    rf.approve(world, [Review.objects.get(pk=review.pk)])
    rf.publish(world, world.units["P-B"])  # in P's scope, not reviewed
    response = api(world.oversight).get(LEDGER, {"org": "P"})
    assert response.status_code == 200, response.json()
    ledger = response.json()
    assert (ledger["published"], ledger["reviewed"], ledger["simplified"]) == (2, 1, 1)
    assert (ledger["reviewed_pct"], ledger["simplified_pct"], ledger["implemented_pct"]) == ("50.00", "50.00", "0.00")
    assert ledger["cost_before"] == 88_800_000 and ledger["cost_after"] < ledger["cost_before"]
    assert ledger["cost_saving"] == ledger["cost_before"] - ledger["cost_after"]
    assert ledger["by_action"] == {"amend": 1}
    metrics = {(m["metric"], m["due_on"]): m for m in ledger["milestones"]}
    assert metrics[("reviewed_pct", "2025-01-01")]["target"] == "100.00"
    assert {m["status"] for m in ledger["milestones"]} <= {"met_on_time", "met_late", "missed", "at_risk", "not_due"}
    unit = api(world.officer_a1).get(LEDGER, {"org": "P-A-1"}).json()
    assert (unit["published"], unit["reviewed"], unit["reviewed_pct"]) == (1, 1, "100.00")
    past = api(world.oversight).get(LEDGER, {"org": "P", "as_of": "2020-01-01"}).json()
    assert (past["published"], past["reviewed"]) == (0, 0)
    assert api(world.oversight).get(LEDGER, {"org": "P", "group": "B"}).json()["published"] == 0


def test_ledger_scope_and_parameters(api, world):
    assert api(world.outsider).get(LEDGER, {"org": "P"}).status_code == 404
    assert api(world.officer_a1).get(LEDGER, {"org": "P-A"}).status_code == 404
    assert api(world.oversight).get(LEDGER, {"org": "NOPE"}).status_code == 404
    bad = api(world.oversight).get(LEDGER, {"org": "P", "as_of": "hôm qua"})
    assert bad.status_code == 400 and "as_of" in bad.json()
    acting = api(world.focal_a).get(LEDGER)  # defaults to the organisation acted for
    assert acting.status_code == 200 and acting.json()["org"] == "P-A"
    assert acting.json()["as_of"] == today().isoformat() and date.fromisoformat(acting.json()["as_of"])
    assert api().get(LEDGER, {"org": "P"}).status_code in {401, 403}


# Trust by construction: siblings, preconditions, hostile input, double submits -----------------------------------


@pytest.fixture
def sibling(world):
    """A focal point of P-B, the sister department of P-A: sees nothing of P-A's forms."""
    return person("P-B", Role.FOCAL_POINT)


def test_a_sibling_gets_404_on_a_form_and_its_workflow(api, world, sibling):
    review = open_review(world)
    client = api(sibling)
    assert client.get(f"{REVIEWS}{review.pk}/").status_code == 404
    for step in ("submit", "check", "return", "assess"):
        assert client.post(f"{REVIEWS}{review.pk}/{step}/", {"comment": "x"}, format="json").status_code == 404, step


def test_a_sibling_lists_nothing_of_another_unit(api, world, sibling):
    review = rf.filled(open_review(world))
    client = api(sibling)
    for url in (ROUNDS, REVIEWS, SHEETS, PROPOSALS):
        assert client.get(url).json()["count"] == 0, url
    assert client.get(f"{PROPOSALS}{review.proposal.pk}/").status_code == 404


def test_a_sibling_gets_404_on_the_ledger_of_another_unit(api, world, sibling):
    assert api(sibling).get(LEDGER, {"org": "P-A"}).status_code == 404


def test_a_sibling_cannot_add_forms_to_another_units_plan(api, world, sibling):
    plan = rf.round_for(world)
    assert api(sibling).post(f"{ROUNDS}{plan.pk}/add-all-published/").status_code == 404


def test_answers_without_the_version_read_are_refused_with_428(api, world):
    review = open_review(world)
    response = api(world.officer_a1).patch(f"{REVIEWS}{review.pk}/", {"answers": []}, format="json")
    assert response.status_code == 428 and Review.objects.get(pk=review.pk).row_version == review.row_version


def test_the_version_read_may_come_as_if_match(api, world):
    review = open_review(world)
    client = api(world.officer_a1)
    etag = client.get(f"{REVIEWS}{review.pk}/")["ETag"]
    response = client.patch(f"{REVIEWS}{review.pk}/", {"answers": []}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200


def test_a_stale_save_lists_what_changed_since(api, world):
    review = open_review(world)
    seen = review.row_version
    rf.answer_all(review)
    response = api(world.officer_a1).patch(
        f"{REVIEWS}{review.pk}/", {"row_version": seen, "answers": []}, format="json"
    )
    assert response.status_code == 409 and response.json()["changes"][0]["action"] == "reviews.review.answered"


def test_rewriting_a_sheet_without_the_version_read_is_428(api, world):
    rf.parameters()
    review = open_review(world)
    body = {"procedure": review.procedure_id, "scenario": "current", "rows": WORKED_ROWS}
    assert api(world.officer_a1).post(SHEETS, body, format="json").status_code == 201
    assert api(world.officer_a1).post(SHEETS, body, format="json").status_code == 428


def test_rewriting_a_proposal_without_the_version_read_is_428(api, world):
    review = open_review(world)
    body = {"procedure": review.procedure_id, "action": "keep"}
    assert api(world.officer_a1).post(PROPOSALS, body, format="json").status_code == 201
    assert api(world.officer_a1).post(PROPOSALS, body, format="json").status_code == 428


def test_a_double_submit_is_409_and_moves_once(api, world):
    review = rf.filled(open_review(world))
    client = api(world.head_a1)
    assert client.post(f"{REVIEWS}{review.pk}/submit/").status_code == 200
    assert client.post(f"{REVIEWS}{review.pk}/submit/").status_code == 409
    assert AuditLogEntry.objects.for_object(review).filter(action="reviews.review.submitted").count() == 1


def test_the_focal_point_assesses_a_checked_form(api, world):
    review = rf.advance(rf.filled(open_review(world)), ReviewStatus.CHECKED)
    response = api(world.focal_a).post(f"{REVIEWS}{review.pk}/assess/", {"assessment": "Đồng ý"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "assessed"


@pytest.mark.parametrize("body", [["Bổ sung"], {"comment": ["Bổ sung"]}, {"comment": {"text": "Bổ sung"}}])
def test_a_return_with_the_wrong_shape_is_400(api, world, body):
    review = rf.advance(rf.filled(open_review(world)), ReviewStatus.SUBMITTED)
    assert api(world.focal_a).post(f"{REVIEWS}{review.pk}/return/", body, format="json").status_code == 400


@pytest.mark.parametrize("body", [[], {"row_version": 1, "answers": "Có"}, {"row_version": "một", "answers": []}])
def test_answers_with_the_wrong_shape_are_400(api, world, body):
    review = open_review(world)
    assert api(world.officer_a1).patch(f"{REVIEWS}{review.pk}/", body, format="json").status_code in {400, 428}


def test_an_approval_with_the_wrong_shape_is_400(api, world):
    review = rf.advance(rf.filled(open_review(world)), ReviewStatus.CHECKED)
    assert (
        api(world.chair_p).post(f"{REVIEWS}{review.pk}/approve/", [approval_body()], format="json").status_code == 400
    )


@pytest.mark.parametrize(
    "url, params",
    [
        (ROUNDS, {"year": "0"}),
        (ROUNDS, {"year": "abc"}),
        (ROUNDS, {"organisation": "x" * 41}),
        (REVIEWS, {"status": "nope"}),
        (REVIEWS, {"round": "99999999999999999999"}),
        (SHEETS, {"scenario": "future"}),
        (PROPOSALS, {"action": "magic"}),
        (PARAMS, {"year": "-1"}),
        (LEDGER, {"org": "x" * 41}),
        (LEDGER, {"group": "Z"}),
        (LEDGER, {"as_of": "0000-00-00"}),
    ],
)
def test_hostile_query_parameters_are_400(api, world, url, params):
    assert api(world.oversight).get(url, params).status_code == 400


def test_an_unknown_unit_filters_plans_to_nothing(api, world):
    rf.round_for(world)
    assert api(world.oversight).get(ROUNDS, {"organisation": "NOPE"}).json()["count"] == 0


def test_a_department_approval_signed_under_a_chairmans_title_is_refused(api, world):
    """Signer titles follow the issuer (issue 12): a Sở's decision is signed by its GIÁM ĐỐC, never a CHỦ TỊCH."""
    review = rf.advance(rf.filled(open_review(world, group="B")), ReviewStatus.CHECKED)
    body = approval_body("P-A", signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
    response = api(world.leader_a).post(f"{REVIEWS}{review.pk}/approve/", body, format="json")
    assert response.status_code == 400 and "GIÁM ĐỐC" in response.json()["signer_title"][0]
    assert not ApprovalDecision.objects.exists()
