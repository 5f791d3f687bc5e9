"""Each step of a review form, an approval and an implementation carries the day it happened in law or in fact
(core.dates.legal_date), given by the user in the step's form (`on`, dd/mm/yyyy) or its API body (`{"on": …}`),
default today, and refused in Vietnamese when in the future, before the unit existed or out of order."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from tinhgon.core.dates import legal_date, today
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.constants import Change
from tinhgon.procedures.models import PublicationDecision
from tinhgon.procedures.services import decision_add_item, decision_issue
from tinhgon.reviews import services
from tinhgon.reviews.constants import Action, ApprovalStatus, ReviewStatus
from tinhgon.reviews.models import ApprovalDecision, ImplementationItem, Review
from tinhgon.reviews.tests import factories as f
from tinhgon.test import DECISION_GROUNDS

pytestmark = pytest.mark.django_db

REVIEWS = "/api/v1/reviews/"


def ago(days: int) -> date:
    return today() - timedelta(days=days)


def filled(world, action=Action.KEEP, **round_fields) -> Review:
    procedure = f.publish(world, world.units["P-A-1"], on=date(2023, 1, 2))
    review = services.round_add_procedure(round=f.round_for(world, **round_fields), procedure=procedure)
    if action == Action.KEEP:
        return f.filled(review)
    return f.filled(review, action, after=f.WORKED_AFTER, legal_acts="Quyết định sửa đổi")


# The rule itself ----------------------------------------------------------------------------------------------------


class Unit:
    name, valid_from = "Sở Nội vụ", date(2025, 7, 1)


def test_a_day_left_blank_is_today():
    assert legal_date(None, what="Ngày trình") == today()


def test_a_day_in_the_future_is_refused_in_vietnamese():
    tomorrow = today() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        legal_date(tomorrow, what="Ngày trình")
    assert refused.value.message_dict["on"] == [
        f"Ngày trình ({tomorrow:%d/%m/%Y}) không thể sau ngày hôm nay ({today():%d/%m/%Y})."
    ]


def test_a_day_before_the_unit_existed_is_refused():
    with pytest.raises(ValidationError) as refused:
        legal_date(date(2025, 6, 30), what="Ngày trình", unit=Unit())
    assert "trước ngày Sở Nội vụ bắt đầu hoạt động (01/07/2025)" in refused.value.messages[0]


def test_a_day_before_an_earlier_act_is_refused():
    with pytest.raises(ValidationError) as refused:
        legal_date(date(2025, 7, 9), what="Ngày kiểm soát", after=[(date(2025, 7, 10), "ngày trình phiếu")])
    assert refused.value.messages == ["Ngày kiểm soát (09/07/2025) không thể trước ngày trình phiếu (10/07/2025)."]


def test_a_day_on_the_earlier_act_or_after_it_is_kept():
    day = date(2025, 7, 10)
    assert legal_date(day, what="Ngày kiểm soát", after=[(day, "ngày trình phiếu"), (None, "chưa có")]) == day


# Review forms ------------------------------------------------------------------------------------------------------


def test_a_form_is_submitted_and_checked_on_the_past_days_given(world):
    review = filled(world)
    review.submit(date(2023, 6, 20))
    review.control(date(2023, 6, 30))
    review.refresh_from_db()
    assert (review.submitted_on, review.checked_on) == (date(2023, 6, 20), date(2023, 6, 30))


def test_a_form_left_without_a_day_is_submitted_today(world):
    review = filled(world)
    review.submit()
    review.refresh_from_db()
    assert review.submitted_on == today()


def test_a_future_submission_day_is_refused_and_nothing_moves(world):
    review = filled(world)
    with pytest.raises(ValidationError, match="không thể sau ngày hôm nay"):
        review.submit(today() + timedelta(days=1))
    review.refresh_from_db()
    assert (review.status, review.submitted_on) == (ReviewStatus.DRAFT, None)


def test_a_submission_before_the_responsible_unit_existed_is_refused(world):
    review = filled(world)
    with pytest.raises(ValidationError, match="trước ngày Đơn vị P-A-1 bắt đầu hoạt động"):
        review.submit(date(2019, 12, 31))


def test_a_submission_before_the_review_plan_was_issued_is_refused(world):
    review = filled(world, decision_date=date(2023, 3, 1))
    with pytest.raises(ValidationError, match="không thể trước ngày ban hành kế hoạch rà soát"):
        review.submit(date(2023, 2, 28))


def test_a_check_before_the_submission_is_refused(world):
    review = filled(world)
    review.submit(date(2023, 6, 20))
    with pytest.raises(ValidationError) as refused:
        review.control(date(2023, 6, 19))
    assert refused.value.message_dict["on"] == [
        "Ngày kiểm soát phiếu (19/06/2023) không thể trước ngày trình phiếu (20/06/2023)."
    ]


def test_the_api_submits_and_checks_on_the_past_days_given(api, world):
    review = filled(world)
    url = f"{REVIEWS}{review.pk}/"
    submitted = api(world.head_a1).post(f"{url}submit/", {"on": "2023-06-20"}, format="json")
    assert submitted.status_code == 200 and submitted.json()["submitted_on"] == "2023-06-20"
    checked = api(world.focal_a).post(f"{url}check/", {"on": "2023-06-30"}, format="json")
    assert checked.status_code == 200 and checked.json()["checked_on"] == "2023-06-30"


def test_the_api_refuses_a_check_before_the_submission_with_the_reason(api, world):
    review = f.advance(filled(world), ReviewStatus.SUBMITTED, on=date(2023, 6, 20))
    refused = api(world.focal_a).post(f"{REVIEWS}{review.pk}/check/", {"on": "2023-06-01"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["on"] == ["Ngày kiểm soát phiếu (01/06/2023) không thể trước ngày trình phiếu (20/06/2023)."]


def test_the_api_refuses_a_day_that_is_not_a_date(api, world):
    review = filled(world)
    refused = api(world.head_a1).post(f"{REVIEWS}{review.pk}/submit/", {"on": "30/6"}, format="json")
    assert refused.status_code == 400 and "on" in refused.json()
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT


def test_the_page_submits_a_form_on_the_day_typed(client, world):
    review = filled(world)
    client.force_login(world.head_a1)
    client.post(reverse("reviews:submit", args=[review.pk]), {"on": "20/06/2023"})
    review.refresh_from_db()
    assert (review.status, review.submitted_on) == (ReviewStatus.SUBMITTED, date(2023, 6, 20))


def test_the_page_shows_why_a_future_day_is_refused(client, world):
    review = filled(world)
    client.force_login(world.head_a1)
    tomorrow = today() + timedelta(days=1)
    page = client.post(reverse("reviews:submit", args=[review.pk]), {"on": f"{tomorrow:%d/%m/%Y}"}, follow=True)
    assert "không thể sau ngày hôm nay" in page.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT


# Approval and implementation ---------------------------------------------------------------------------------------


def checked_on(world, day: date) -> Review:
    return f.advance(filled(world, Action.AMEND), ReviewStatus.CHECKED, on=day)


def draft(world, review, signed_on) -> ApprovalDecision:
    decision = ApprovalDecision.objects.create(
        number="15/QĐ-UBND", issuer=world.units["P"], signed_on=signed_on, signer="Nguyễn Văn A", **DECISION_GROUNDS
    )
    services.approval_add(decision=decision, review=review)
    return decision


def test_an_approval_signed_on_a_past_day_after_the_check_is_issued(world):
    decision = draft(world, checked_on(world, date(2023, 6, 30)), date(2023, 7, 15))
    decision.issue()
    assert decision.status == ApprovalStatus.ISSUED


def test_an_approval_signed_before_a_form_was_checked_is_refused(world):
    decision = draft(world, checked_on(world, date(2023, 6, 30)), date(2023, 6, 29))
    assert decision.issue_problems() == [
        "Ngày ký quyết định phê duyệt (29/06/2023) không thể trước ngày kiểm soát phiếu "
        f"{decision.reviews.get().procedure.code} (30/06/2023)."
    ]
    with pytest.raises(ValidationError):
        decision.issue()


def test_an_approval_signed_in_the_future_is_refused(world):
    decision = draft(world, checked_on(world, ago(1)), today() + timedelta(days=1))
    assert any("không thể sau ngày hôm nay" in p for p in decision.issue_problems())


def test_an_approval_signed_before_its_issuer_existed_is_refused(world):
    review = checked_on(world, date(2023, 6, 30))
    decision = draft(world, review, date(2023, 7, 15))
    Organisation.objects.filter(pk=world.units["P"].pk).update(valid_from=date(2023, 8, 1))
    decision.refresh_from_db()
    assert any("bắt đầu hoạt động (01/08/2023)" in p for p in decision.issue_problems())


def test_an_act_issued_before_the_approval_was_signed_is_refused(world):
    review = checked_on(world, date(2023, 6, 30))
    f.approve(world, [review], signed_on=date(2023, 7, 15))
    item = ImplementationItem.objects.get()
    with pytest.raises(ValidationError) as refused:
        item.complete("20/QĐ-UBND", date(2023, 7, 14))
    assert refused.value.message_dict["issued_on"] == [
        "Ngày ban hành văn bản thực thi (14/07/2023) không thể trước ngày ký quyết định phê duyệt phương án "
        "(15/07/2023)."
    ]
    item.complete("20/QĐ-UBND", date(2023, 8, 1))
    item.refresh_from_db()
    assert item.issued_on == date(2023, 8, 1)


def publish_draft(world, review, effective_on: date) -> None:
    draft = review.proposal.draft_version
    draft.submit()
    draft.control()
    publication = PublicationDecision.objects.create(
        number="500/QĐ-UBND",
        issuer=world.units["P"],
        signed_on=effective_on,
        signer="A",
        effective_on=effective_on,
        **DECISION_GROUNDS,
    )
    decision_add_item(decision=publication, version=draft, change=Change.AMENDED)
    decision_issue(decision=publication)
    review.proposal.refresh_from_db()


def test_a_publication_effective_after_the_approval_implements_it_on_its_day(world):
    review = checked_on(world, date(2023, 6, 30))
    f.approve(world, [review], signed_on=date(2023, 7, 15))
    publish_draft(world, review, date(2023, 8, 1))
    assert review.proposal.implemented_on == date(2023, 8, 1)


def test_a_publication_effective_before_the_approval_was_signed_does_not_implement_it(world):
    review = checked_on(world, date(2023, 6, 30))
    f.approve(world, [review], signed_on=date(2023, 7, 15))
    publish_draft(world, review, date(2023, 7, 1))
    assert review.proposal.implemented_on is None
