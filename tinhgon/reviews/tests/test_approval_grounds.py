"""An approval decision's căn cứ and tờ trình (issue 14, item 3): required before issuing, edited on the draft
without overwriting another's change, printed as the head of the proposing agency's proposal, and Điều 2 assigning
the work to agencies rather than their divisions."""

from django.urls import reverse

import pytest

from tinhgon.reviews.constants import Action, ApprovalStatus, ReviewStatus
from tinhgon.reviews.documents import _article2_lines, proposal_lines
from tinhgon.reviews.models import ApprovalDecision
from tinhgon.reviews.tests import factories as f
from tinhgon.test import DECISION_GROUNDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked(world):
    f.parameters()
    procedure = f.publish(world, world.units["P-A-1"])
    review = f.services.round_add_procedure(round=f.round_for(world), procedure=procedure)
    return f.advance(f.filled(review, Action.ABOLISH), ReviewStatus.CHECKED)


@pytest.fixture
def draft(world, checked):
    decision = ApprovalDecision.objects.create(
        number="21/QĐ-UBND", issuer=world.units["P"], signed_on=checked.checked_on, signer="Nguyễn Văn A"
    )
    f.services.approval_add(decision=decision, review=checked)
    return decision


def edit(client, decision, **data):
    fields = {
        "number": decision.number,
        "issuer": decision.issuer_id,
        "signed_on": decision.signed_on.strftime("%d/%m/%Y"),
        "signer": decision.signer,
        "row_version": decision.row_version,
        **data,
    }
    return client.post(reverse("reviews:approval-edit", args=[decision.pk]), fields)


def test_a_draft_without_legal_bases_or_to_trinh_is_not_issued(world, draft):
    problems = " ".join(draft.issue_problems())
    assert "Cần nhập căn cứ ban hành" in problems and "Cần nhập tờ trình đề nghị" in problems


def test_the_chair_completes_the_draft_and_its_proposal_names_the_agency_head(world, draft, login):
    response = edit(
        login(world.chair_p),
        draft,
        proposal="Tờ trình số 6692/TTr-SNV ngày 25/10/2024",
        **{"legal_bases": DECISION_GROUNDS["legal_bases"]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.issue_problems() == []
    assert (
        draft.proposal_clause() == "Theo đề nghị của Giám đốc Đơn vị P-A tại Tờ trình số 6692/TTr-SNV ngày 25/10/2024."
    )


def test_an_edit_from_a_page_opened_before_another_save_is_refused_and_keeps_the_input(world, draft, login):
    chair = login(world.chair_p)
    seen = draft.row_version
    draft.signer = "Người khác"
    draft.save()
    draft.row_version = seen
    response = edit(chair, draft, proposal="Tờ trình tôi vừa gõ")
    page = response.content.decode()
    assert response.status_code == 200 and "người khác cập nhật" in page and "Tờ trình tôi vừa gõ" in page
    assert ApprovalDecision.objects.get(pk=draft.pk).proposal == ""


def test_an_outsider_cannot_see_the_edit_page(world, draft, login):
    assert login(world.outsider).get(reverse("reviews:approval-edit", args=[draft.pk])).status_code == 404


def test_an_issued_decision_is_not_edited(world, draft, login):
    ApprovalDecision.objects.filter(pk=draft.pk).update(**DECISION_GROUNDS)
    draft.refresh_from_db()
    draft.issue()
    response = edit(login(world.chair_p), draft, proposal="Sửa sau khi ban hành")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ApprovalStatus.ISSUED and draft.proposal == DECISION_GROUNDS["proposal"]


def test_article_2_assigns_a_divisions_procedure_to_its_agency(world, draft):
    lines = proposal_lines(draft.reviews.all())
    text = "\n".join(_article2_lines(draft, lines))
    assert "Giao Đơn vị P-A chủ trì" in text and "- Đơn vị P-A: thủ tục" in text and "Đơn vị P-A-1" not in text
