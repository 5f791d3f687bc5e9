"""The /ra-soat/ pages: permissions (right role, wrong role, outsider), the review form round trip through POSTs,
stale saves, the approval and implementation pages, the ledger figures of the worked example and query counts."""

import re
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from tinhgon.reviews import services
from tinhgon.reviews.constants import Action, ApprovalStatus, ImplementationStatus, ReviewStatus, Scenario
from tinhgon.reviews.ledger import COUNTS
from tinhgon.reviews.models import ApprovalDecision, CostParameterSet, ImplementationItem, Review, ReviewRound
from tinhgon.reviews.tests import factories as f
from tinhgon.test import DECISION_GROUNDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def params(world):
    return f.parameters()


@pytest.fixture
def review(world, params):
    procedure = f.publish(world, world.units["P-A-1"])
    round_ = f.round_for(world)
    return services.round_add_procedure(round=round_, procedure=procedure)


@pytest.fixture
def item(world, review):
    """The one act to issue of the form's approved amendment."""
    f.advance(f.filled(review, Action.AMEND, after=f.WORKED_AFTER, legal_acts="Quyết định sửa đổi"), "checked")
    f.approve(world, [review])
    return ImplementationItem.objects.get()


def text(response) -> str:
    return response.content.decode()


def test_nav_entry_and_every_page_for_the_focal_point(world, review, login):
    client = login(world.focal_a)
    home = client.get("/")
    assert 'href="/ra-soat/"' in text(home) and "Rà soát, đơn giản hóa" in text(home)
    decision = ApprovalDecision.objects.create(number="1/QĐ-SNV", issuer=world.units["P-A"], **DECISION_GROUNDS)
    urls = [
        reverse("reviews:rounds"),
        reverse("reviews:round", args=[review.round_id]),
        reverse("reviews:review", args=[review.pk]),
        reverse("reviews:approvals"),
        reverse("reviews:approval", args=[decision.pk]),
        reverse("reviews:implementation"),
        reverse("reviews:ledger"),
        reverse("reviews:ledger-procedures") + "?metric=published",
        reverse("reviews:parameters"),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert review.procedure.code in text(client.get(reverse("reviews:round", args=[review.round_id])))


def test_outsider_gets_404_on_everything_of_p(world, review, login):
    decision = ApprovalDecision.objects.create(number="1/QĐ-SNV", issuer=world.units["P-A"], **DECISION_GROUNDS)
    client = login(world.outsider)
    for url in [
        reverse("reviews:round", args=[review.round_id]),
        reverse("reviews:review", args=[review.pk]),
        reverse("reviews:approval", args=[decision.pk]),
        reverse("reviews:ledger") + "?org=P",
        reverse("reviews:ledger-procedures") + "?org=P-A&metric=published",
    ]:
        assert client.get(url).status_code == 404, url
    for url in [reverse("reviews:submit", args=[review.pk]), reverse("reviews:check", args=[review.pk])]:
        assert client.post(url).status_code == 404, url
    lists = [reverse("reviews:rounds"), reverse("reviews:approvals"), reverse("reviews:implementation")]
    for url in lists:
        response = client.get(url)
        assert response.status_code == 200
        assert review.round.title not in text(response) and "1/QĐ-SNV" not in text(response)
    # The outsider's own ledger (Q-A) is theirs to see.
    assert client.get(reverse("reviews:ledger")).status_code == 200


def test_wrong_roles_are_refused(world, review, login):
    officer = login(world.officer_a1)
    assert officer.get(reverse("reviews:review", args=[review.pk])).status_code == 200
    assert (
        officer.post(reverse("reviews:rounds"), {"title": "x", "organisation": world.units["P-A"].pk}).status_code
        == 403
    )
    assert officer.post(reverse("reviews:round", args=[review.round_id]), {}).status_code == 403
    assert officer.post(reverse("reviews:submit", args=[review.pk])).status_code == 403
    assert officer.post(reverse("reviews:check", args=[review.pk])).status_code == 403
    assert officer.post(reverse("reviews:approvals"), {"number": "x"}).status_code == 403
    assert officer.post(reverse("reviews:parameters"), {"name": "x"}).status_code == 403
    oversight = login(world.oversight)
    assert oversight.post(reverse("reviews:review", args=[review.pk]), {"section": "answers"}).status_code == 403
    assert oversight.post(reverse("reviews:sheet-current", args=[review.pk])).status_code == 403


def test_create_a_round_with_every_published_procedure(world, params, login):
    f.publish(world, world.units["P-A-1"])
    f.publish(world, world.units["P-A"], name="Thủ tục khác")
    f.publish(world, world.units["P-B"], name="Thủ tục của sở khác")
    client = login(world.focal_a)
    response = client.post(
        reverse("reviews:rounds"),
        {
            "title": "Kế hoạch 2025",
            "organisation": world.units["P-A"].pk,
            "year": 2025,
            "deadline": "30/06/2025",
            "add_all": "on",
        },
    )
    round_ = ReviewRound.objects.get(title="Kế hoạch 2025")
    assert response.status_code == 302 and response["Location"] == reverse("reviews:round", args=[round_.pk])
    assert round_.reviews.count() == 2
    assert str(round_.reviews.first().deadline) == "2025-06-30"
    page = client.get(response["Location"])
    assert "Tổng số: 2" in text(page)


def test_add_one_procedure_to_a_round(world, params, login):
    procedure = f.publish(world, world.units["P-A-1"])
    round_ = f.round_for(world)
    client = login(world.focal_a)
    response = client.post(
        reverse("reviews:round", args=[round_.pk]), {"add-procedure": procedure.pk, "add-deadline": "31/12/2024"}
    )
    assert response.status_code == 302
    assert round_.reviews.get().procedure == procedure


def answers_post(review, value="1", reason="Phù hợp", row_version=None):
    data = {"section": "answers", "row_version": review.row_version if row_version is None else row_version}
    for answer in review.answers.all():
        data[f"answer-{answer.question_id}"] = value
        data[f"reason-{answer.question_id}"] = reason
        data[f"proposal-{answer.question_id}"] = ""
    return data


def sheet_post(scenario, sheet, rows, executions=1, subjects=120):
    prefix = f"sheet-{scenario}"
    data = {
        "section": prefix,
        f"{prefix}-parameters": "",
        f"{prefix}-executions_per_year": executions,
        f"{prefix}-subjects_per_year": subjects,
        f"{prefix}-row_version": sheet.row_version,
        f"{prefix}-rows-TOTAL_FORMS": len(rows),
        f"{prefix}-rows-INITIAL_FORMS": 0,
    }
    for n, row in enumerate(rows):
        for key, value in vars(row).items():
            data[f"{prefix}-rows-{n}-{key}"] = value
    return data


def proposal_post(action, reason, changes=(), row_version="", legal_acts=""):
    data = {
        "section": "proposal",
        "proposal-action": action,
        "proposal-reason": reason,
        "proposal-legal_acts": legal_acts,
        "proposal-implementing_issuer": "UBND tỉnh",
        "proposal-implementation_deadline": "31/12/2025",
        "proposal-row_version": row_version,
        "changes-TOTAL_FORMS": len(changes),
        "changes-INITIAL_FORMS": 0,
    }
    for n, change in enumerate(changes):
        for key, value in change.items():
            data[f"changes-{n}-{key}"] = value
    return data


def test_review_form_round_trip(world, review, login):
    url = reverse("reviews:review", args=[review.pk])
    officer = login(world.officer_a1)
    # Submitting early is refused by role; the head's refusal lists what is missing.
    response = officer.post(url, answers_post(review))
    assert response.status_code == 302
    assert all(a.answer is True for a in review.answers.all())

    assert officer.post(reverse("reviews:sheet-current", args=[review.pk])).status_code == 302
    review.refresh_from_db()
    current = review.sheet(Scenario.CURRENT)
    assert current.rows.count() == len(services.DEFAULT_ACTIVITIES)
    assert officer.post(url, sheet_post("current", current, f.WORKED_BEFORE)).status_code == 302
    current.refresh_from_db()
    assert current.annual_cost == 88_800_000

    changes = [{"kind": "add_online", "target": "", "before": "", "after": ""}]
    response = officer.post(url, proposal_post(Action.AMEND, "Cho phép nộp trực tuyến", changes, legal_acts="QĐ sửa"))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.proposal.action == Action.AMEND and review.proposal.draft_version is not None

    assert officer.post(reverse("reviews:sheet-proposed", args=[review.pk])).status_code == 302
    review = Review.objects.get(pk=review.pk)
    proposed = review.sheet(Scenario.PROPOSED)
    assert officer.post(url, sheet_post("proposed", proposed, f.WORKED_AFTER)).status_code == 302
    page = officer.get(url)
    assert "40.500.000" in text(page) and "54,39%" in text(page)
    assert "/so-sanh/" in text(page)  # the registry diff of the draft version

    head = login(world.head_a1)
    response = head.post(reverse("reviews:submit", args=[review.pk]), follow=True)
    assert "Đã trình phiếu" in text(response)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    # Not editable any more: no save buttons, a POST is refused with a message.
    page = login(world.officer_a1).get(url)
    assert 'id="save-answers"' not in text(page) and "disabled" in text(page)

    focal = login(world.focal_a)
    response = focal.post(reverse("reviews:return", args=[review.pk]), {"comment": ""}, follow=True)
    assert "lý do trả lại" in text(response)
    focal.post(reverse("reviews:return", args=[review.pk]), {"comment": "Bổ sung lý do câu 3"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.RETURNED
    assert "Bổ sung lý do câu 3" in text(login(world.officer_a1).get(url))

    login(world.head_a1).post(reverse("reviews:submit", args=[review.pk]))
    focal = login(world.focal_a)
    focal.post(reverse("reviews:check", args=[review.pk]))
    review.refresh_from_db()
    assert review.status == ReviewStatus.CHECKED
    focal.post(reverse("reviews:assess", args=[review.pk]), {"assessment": "Đồng ý"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.ASSESSED and review.assessment == "Đồng ý"


def test_submit_refused_lists_what_is_missing(world, review, login):
    response = login(world.head_a1).post(reverse("reviews:submit", args=[review.pk]), follow=True)
    body = text(response)
    assert "Chưa thể trình" in body and "Chưa tính chi phí tuân thủ hiện tại" in body
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT


def test_hint_decision(world, review, login):
    from tinhgon.reviews.hints import hints_for_review

    hints = hints_for_review(review)
    if not hints:
        pytest.skip("the complete procedure triggers no hint")
    code = hints[0][0].code
    response = login(world.officer_a1).post(reverse("reviews:hint", args=[review.pk]), {"code": code, "accepted": "1"})
    assert response.status_code == 302
    assert review.hint_decisions.get(code=code).accepted


def test_stale_answer_save_is_refused_and_input_kept(world, review, login):
    client = login(world.officer_a1)
    data = answers_post(review, reason="Lý do tôi vừa gõ")
    f.answer_all(review)  # someone else saved meanwhile
    response = client.post(reverse("reviews:review", args=[review.pk]), data)
    assert response.status_code == 200
    body = text(response)
    assert "người khác cập nhật" in body and "Lý do tôi vừa gõ" in body
    assert not review.answers.filter(reason="Lý do tôi vừa gõ").exists()


def test_stale_sheet_save_is_refused_and_input_kept(world, review, login):
    sheet = services.sheet_start_current(review)
    data = sheet_post("current", sheet, [services.RowData("Công việc tôi vừa gõ", 3)])
    services.sheet_save(procedure=review.procedure, scenario="current", rows=f.WORKED_BEFORE, review=review)
    response = login(world.officer_a1).post(reverse("reviews:review", args=[review.pk]), data)
    assert response.status_code == 200
    assert "người khác cập nhật" in text(response) and "Công việc tôi vừa gõ" in text(response)


def test_proposal_errors_keep_input(world, review, login):
    response = login(world.officer_a1).post(
        reverse("reviews:review", args=[review.pk]), proposal_post(Action.ABOLISH, "", legal_acts="Văn bản X")
    )
    assert response.status_code == 200
    assert "Cần nêu lý do" in text(response) and "Văn bản X" in text(response)


def test_approval_flow_and_group_a_needs_the_province(world, review, login):
    filled = f.filled(review, Action.AMEND, after=f.WORKED_AFTER, legal_acts="Quyết định sửa đổi")
    f.advance(filled, "checked", on=date(2025, 1, 20))  # before the decision signed on 01/02/2025
    leader = login(world.leader_a)
    response = leader.post(
        reverse("reviews:approvals"), {"number": "5/QĐ-SNV", "issuer": world.units["P-A"].pk, "signed_on": "01/02/2025"}
    )
    own = ApprovalDecision.objects.get(number="5/QĐ-SNV")
    assert response.status_code == 302
    response = leader.post(reverse("reviews:approval", args=[own.pk]), {"reviews": [review.pk]}, follow=True)
    assert "nhóm A" in text(response)
    assert not own.reviews.exists()

    chair = login(world.chair_p)
    assert chair.post(reverse("reviews:approval", args=[own.pk]), {"reviews": [review.pk]}).status_code == 302
    chair.post(
        reverse("reviews:approvals"),
        {
            "number": "9/QĐ-UBND",
            "issuer": world.units["P"].pk,
            "signed_on": "01/02/2025",
            "signer": "Nguyễn Văn A",
            **DECISION_GROUNDS,
        },
    )
    decision = ApprovalDecision.objects.get(number="9/QĐ-UBND")
    page = chair.get(reverse("reviews:approval", args=[decision.pk]))
    assert f'value="{review.pk}"' in text(page)
    chair.post(reverse("reviews:approval", args=[decision.pk]), {"reviews": [review.pk]})
    response = chair.post(reverse("reviews:approval-issue", args=[decision.pk]), follow=True)
    assert "đã ban hành" in text(response)
    decision.refresh_from_db()
    review.refresh_from_db()
    assert decision.status == ApprovalStatus.ISSUED and review.status == ReviewStatus.APPROVED
    assert "reviews/approval-docx" not in text(response) and f"/ra-soat/phe-duyet/{decision.pk}/docx/" in text(response)


def test_issuing_an_approval_asks_for_confirmation_and_lists_what_stops_it(world, review, login):
    filled = f.filled(review, Action.AMEND, after=f.WORKED_AFTER, legal_acts="QĐ sửa đổi\n- TT hướng dẫn")
    f.advance(filled, "checked", on=date(2025, 1, 20))  # before the decision signed on 01/02/2025
    chair = login(world.chair_p)
    chair.post(reverse("reviews:approvals"), {"number": "11/QĐ-UBND", "issuer": world.units["P"].pk})
    decision = ApprovalDecision.objects.get(number="11/QĐ-UBND")
    url = reverse("reviews:approval-issue", args=[decision.pk])
    page = text(chair.get(url))  # empty, unsigned: the problems, no confirm button
    assert "Chưa thể ban hành quyết định này" in page and "chưa phê duyệt phương án nào" in page
    assert "ngày ký và người ký" in page and 'id="confirm-issue"' not in page

    chair.post(reverse("reviews:approval", args=[decision.pk]), {"reviews": [review.pk]})
    assert "Cần nhập căn cứ ban hành" in page and "Cần nhập tờ trình đề nghị" in page
    ApprovalDecision.objects.filter(pk=decision.pk).update(
        signed_on=date(2025, 2, 1), signer="Nguyễn Văn A", **DECISION_GROUNDS
    )
    response = chair.get(url)
    page = text(response)
    assert response.status_code == 200 and 'id="confirm-issue"' in page and "Chưa thể ban hành" not in page
    assert '<th class="text-end" id="confirm-total">1</th>' in page
    assert '<th class="text-end" id="confirm-tasks">2</th>' in page  # one implementation item per act
    decision.refresh_from_db()
    assert decision.status == ApprovalStatus.DRAFT  # GET changes nothing

    assert login(world.leader_a).get(url).status_code == 403  # sees it, may not issue it
    assert login(world.outsider).get(url).status_code == 404
    chair = login(world.chair_p)
    chair.post(url)
    decision.refresh_from_db()
    assert decision.status == ApprovalStatus.ISSUED
    assert chair.get(url).status_code == 302  # already issued: back to the decision


def test_implementation_update(world, item, login):
    client = login(world.officer_a1)
    url = reverse("reviews:implementation-update", args=[item.pk])
    response = client.post(url, {f"item-{item.pk}-status": "done", f"item-{item.pk}-issued_reference": ""})
    assert response.status_code == 200 and "Cần ghi số, ký hiệu" in text(response)
    response = client.post(url, {f"item-{item.pk}-status": "done", f"item-{item.pk}-issued_reference": "12/QĐ-UBND"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ImplementationStatus.DONE and item.issued_reference == "12/QĐ-UBND"
    assert login(world.oversight).post(url, {f"item-{item.pk}-status": "done"}).status_code == 403
    assert login(world.outsider).post(url, {f"item-{item.pk}-status": "done"}).status_code == 404


def test_overdue_items_listed_first(world, review, login):
    from datetime import timedelta

    from tinhgon.core.dates import today

    f.advance(f.filled(review, Action.AMEND, after=f.WORKED_AFTER, legal_acts="Văn bản một\nVăn bản hai"), "checked")
    f.approve(world, [review])
    first, second = ImplementationItem.objects.order_by("pk")
    ImplementationItem.objects.filter(pk=first.pk).update(due_on=today() + timedelta(days=30))
    ImplementationItem.objects.filter(pk=second.pk).update(due_on=today() - timedelta(days=1))
    page = login(world.focal_a).get(reverse("reviews:implementation"))
    assert [row["item"].pk for row in page.context["rows"]] == [second.pk, first.pk]
    assert [row["overdue"] for row in page.context["rows"]] == [True, False]
    assert page.context["page"].paginator.count == 2 and page.context["overdue"] == 1


def test_the_implementation_page_lists_the_overdue_items_alone_when_asked(world, review, login):
    from datetime import timedelta

    from tinhgon.core.dates import today

    f.advance(f.filled(review, Action.AMEND, after=f.WORKED_AFTER, legal_acts="Văn bản một\nVăn bản hai"), "checked")
    f.approve(world, [review])
    late = ImplementationItem.objects.order_by("pk").last()
    ImplementationItem.objects.filter(pk=late.pk).update(due_on=today() - timedelta(days=1))
    client = login(world.focal_a)
    rows = client.get(reverse("reviews:implementation"), {"status": "overdue"}).context["rows"]
    assert [row["item"].pk for row in rows] == [late.pk]
    rows = client.get(reverse("reviews:implementation"), {"status": "done"}).context["rows"]
    assert rows == []
    refused = client.get(reverse("reviews:implementation"), {"status": "<script>"})
    assert refused.status_code == 200 and refused.context["rows"] == []
    assert "Hãy chọn một lựa chọn hợp lệ" in text(refused)


def test_a_refused_step_shows_its_item_on_top_even_when_the_filter_leaves_it_out(world, item, login):
    url = reverse("reviews:implementation-update", args=[item.pk]) + "?status=done"
    refused = login(world.officer_a1).post(url, {f"item-{item.pk}-status": "done"})
    rows = refused.context["rows"]
    assert refused.status_code == 200 and [row["item"].pk for row in rows] == [item.pk]
    assert rows[0]["form"].errors and refused.context["page"].paginator.count == 0


def test_a_step_taken_goes_back_to_the_page_it_was_taken_on(world, item, login):
    url = reverse("reviews:implementation-update", args=[item.pk]) + "?status=not_started&trang=1"
    done = login(world.officer_a1).post(url, {f"item-{item.pk}-status": "in_progress"})
    assert done.status_code == 302
    assert done["Location"] == reverse("reviews:implementation") + "?status=not_started&trang=1"


def test_the_ledger_list_shows_its_procedures_a_page_at_a_time(world, review, login, monkeypatch):
    from tinhgon.reviews import views

    f.publish(world, world.units["P-A"])
    monkeypatch.setattr(views, "LEDGER_PER_PAGE", 1)
    client = login(world.focal_a)
    url = reverse("reviews:ledger-procedures") + "?org=P-A&metric=published"
    first, second = client.get(url), client.get(url + "&trang=2")
    count = first.context["page"].paginator.count
    assert count == 2 and second.context["page"].paginator.count == count
    codes = [first.context["rows"][0]["code"], second.context["rows"][0]["code"]]
    assert codes == sorted(set(codes))  # by code, one a page, none twice
    assert "metric=published&amp;trang=2" in first.content.decode()


def test_ledger_shows_the_worked_example(world, review, login):
    f.advance(f.filled(review, Action.AMEND, after=f.WORKED_AFTER), "checked")
    f.approve(world, [review])
    client = login(world.focal_a)
    response = client.get(reverse("reviews:ledger") + "?org=P-A")
    body = text(response)
    assert "88.800.000" in body and "40.500.000" in body and "48.300.000" in body and "54,39%" in body
    ledger = response.context["ledger"]
    assert (ledger.published, ledger.reviewed, ledger.simplified) == (1, 1, 1)
    assert str(COUNTS["published"]) in response.context["definitions"]
    assert "metric=simplified" in body and "so-theo-doi.xlsx?" in body
    listing = client.get(reverse("reviews:ledger-procedures") + "?metric=simplified&org=P-A")
    assert review.procedure.code in text(listing)
    # Filters: an as_of date before the approval shows nothing reviewed; both date formats are accepted.
    for as_of in ["01/01/2020", "2020-01-01"]:
        assert client.get(reverse("reviews:ledger") + f"?org=P-A&as_of={as_of}").context["ledger"].published == 0
    # Default organisation: the acting membership's.
    assert client.get(reverse("reviews:ledger")).context["org"] == world.units["P-A"]


def test_parameters_list_and_create(world, login):
    client = login(world.focal_p)
    response = client.post(
        reverse("reviews:parameters"),
        {
            "name": "Thu nhập 2025",
            "year": 2025,
            "monthly_income": "8800000",
            "working_days_per_month": "22",
            "hours_per_day": "8",
            "source": "Cục Thống kê",
            "organisation": world.units["P"].pk,
        },
    )
    assert response.status_code == 302
    assert CostParameterSet.objects.get(name="Thu nhập 2025").hourly_rate == 50000
    assert "50.000" in text(client.get(reverse("reviews:parameters")))


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _round_with(world, n: int):
    round_ = f.round_for(world)
    for i in range(n):
        procedure = f.publish(world, world.units["P-A-1"], name=f"Thủ tục số {n}-{i}")
        review = services.round_add_procedure(round=round_, procedure=procedure)
        if i % 2:
            f.filled(review, Action.AMEND, after=f.WORKED_AFTER)
    return round_


def test_round_page_query_count_is_constant(world, params, login):
    client = login(world.focal_a)
    small, large = _round_with(world, 3), _round_with(world, 30)
    assert ReviewRound.objects.get(pk=large.pk).reviews.count() == 30
    client.get(reverse("reviews:round", args=[small.pk]))  # warm the session/membership caches
    assert _count(client, reverse("reviews:round", args=[small.pk])) == _count(
        client, reverse("reviews:round", args=[large.pk])
    )


def test_ledger_query_count_is_constant(world, params, login):
    client = login(world.focal_a)
    round_ = f.round_for(world)
    procedure = f.publish(world, world.units["P-A-1"], name="Thủ tục đầu")
    f.advance(f.filled(services.round_add_procedure(round=round_, procedure=procedure), Action.KEEP), "checked")
    url = reverse("reviews:ledger") + "?org=P-A"
    client.get(url)
    few = _count(client, url)
    for i in range(8):
        procedure = f.publish(world, world.units["P-A-1"] if i % 2 else world.units["P-A"], name=f"Thủ tục {i}")
        review = services.round_add_procedure(round=round_, procedure=procedure)
        f.advance(f.filled(review, Action.AMEND, after=f.WORKED_AFTER), "checked")
    assert _count(client, url) == few
    listing = reverse("reviews:ledger-procedures") + "?org=P-A&metric=reviewed"
    assert len(re.findall(r"<tr>", text(client.get(listing)))) == 1 + 9


# Hostile input: a form error on the page, never a 500 -------------------------------------------------------------


@pytest.mark.parametrize("query", ["?year=0", "?year=abc", "?year=99999999999999999999", "?organisation=" + "x" * 41])
def test_bad_plan_filters_are_a_form_error(world, login, query):
    response = login(world.focal_a).get(reverse("reviews:rounds") + query)
    assert response.status_code == 200 and response.context["filters"].errors


def test_bad_parameter_filters_are_a_form_error(world, login):
    response = login(world.focal_a).get(reverse("reviews:parameters") + "?year=0")
    assert response.status_code == 200 and response.context["filters"].errors


def test_an_unknown_ledger_figure_is_a_form_error(world, login):
    response = login(world.focal_a).get(reverse("reviews:ledger-procedures") + "?metric=nope")
    assert response.status_code == 200 and 'id="filter-errors"' in text(response)


@pytest.mark.parametrize("query", ["?as_of=0", "?as_of=31/02/2025", "?group=Z", "?field=nope"])
def test_bad_ledger_parameters_are_a_form_error(world, login, query):
    response = login(world.focal_a).get(reverse("reviews:ledger") + query)
    assert response.status_code == 200 and response.context["form"].errors


def test_bad_ledger_workbook_parameters_are_400(world, login):
    assert login(world.focal_a).get(reverse("reviews:ledger-xlsx") + "?group=Z").status_code == 400


def test_bad_proposal_workbook_filters_are_400(world, login):
    assert login(world.focal_a).get(reverse("reviews:proposals-xlsx") + "?action=magic").status_code == 400


def test_adding_unknown_forms_to_a_decision_is_a_message(world, login):
    decision = ApprovalDecision.objects.create(number="7/QĐ-UBND", issuer=world.units["P"], **DECISION_GROUNDS)
    url = reverse("reviews:approval", args=[decision.pk])
    response = login(world.chair_p).post(url, {"reviews": ["abc", "99999999999999999999"]}, follow=True)
    assert response.status_code == 200 and not decision.reviews.exists()


def test_a_malformed_row_version_on_the_answers_is_not_a_server_error(world, review, login):
    response = login(world.officer_a1).post(
        reverse("reviews:review", args=[review.pk]), answers_post(review, row_version="x")
    )
    assert response.status_code == 302


def test_a_malformed_parameter_choice_starts_the_sheet_with_the_default_set(world, review, login):
    url = reverse("reviews:sheet-current", args=[review.pk])
    assert login(world.officer_a1).post(url, {"parameters": "99999999999999999999"}).status_code == 302
    assert review.cost_sheets.count() == 1


def test_a_shared_parameter_set_is_refused_to_a_focal_point(world, login):
    body = {"name": "Chung", "year": 2025, "monthly_income": "1", "working_days_per_month": "22", "hours_per_day": "8"}
    response = login(world.focal_p).post(reverse("reviews:parameters"), body)
    assert response.status_code == 200 and not CostParameterSet.objects.filter(name="Chung").exists()


def test_stale_proposal_save_is_refused_and_input_kept(world, review, login):
    f.filled(review, Action.KEEP)
    seen = review.proposal.row_version
    services.proposal_save(review=review, action=Action.ABOLISH, reason="Người khác vừa sửa")
    data = proposal_post(Action.AMEND, "Lý do tôi vừa gõ", row_version=seen)
    response = login(world.officer_a1).post(reverse("reviews:review", args=[review.pk]), data)
    assert response.status_code == 200
    assert "người khác cập nhật" in text(response) and "Lý do tôi vừa gõ" in text(response)


def test_plans_are_filtered_by_year_on_the_page(world, review, login):
    client = login(world.focal_a)
    assert list(client.get(reverse("reviews:rounds") + "?year=2023").context["rounds"]) == []
    assert list(client.get(reverse("reviews:rounds") + "?year=2024").context["rounds"]) == [review.round]


def test_the_review_pages_pick_units_by_name_with_their_parent(world, login):
    client = login(world.focal_a)
    department = world.units["P-A"]
    label = f"{department.name} — {department.parent.name}"
    for name in ("reviews:rounds", "reviews:approvals"):
        page = client.get(reverse(name)).content.decode()
        assert "data-unit-picker" in page and label in page, name
