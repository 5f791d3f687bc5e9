"""Checks before a publication decision is issued (issue 14, item 3): căn cứ, the tờ trình and its proposing head,
and a time limit that disagrees with its steps, pointed out on the confirmation page."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.processing_time import parse, steps_disagreement
from tinhgon.procedures.services import decision_add_item, decision_issue
from tinhgon.procedures.tests.factories import complete_components, make_procedure

pytestmark = pytest.mark.django_db


def draft_with(decision, *owners, **fields):
    d = decision(**fields)
    for owner in owners:
        decision_add_item(
            decision=d, version=make_procedure(owner, status=Status.CHECKED).latest_version(), change=Change.NEW
        )
    return d


def refusal(d) -> str:
    with pytest.raises(ValidationError) as error:
        decision_issue(decision=d)
    return " ".join(error.value.messages)


def test_a_decision_without_legal_bases_is_not_issued(world, decision):
    d = draft_with(decision, world.units["P-A"], legal_bases="  \n ")
    assert "Cần nhập căn cứ ban hành" in refusal(d)


def test_a_decision_without_its_to_trinh_is_not_issued(world, decision):
    d = draft_with(decision, world.units["P-A"], proposal="")
    assert "Cần nhập tờ trình đề nghị" in refusal(d)


def test_the_proposer_is_the_head_of_the_agency_owning_the_procedures_not_its_division(world, decision):
    d = draft_with(decision, world.units["P-A-1"], proposal="Tờ trình số 85/TTr-SNV ngày 08/10/2025")
    assert d.proposal_clause() == "Theo đề nghị của Giám đốc Đơn vị P-A tại Tờ trình số 85/TTr-SNV ngày 08/10/2025."


def test_procedures_of_several_agencies_are_proposed_by_the_head_of_the_focal_office(world, decision):
    d = draft_with(
        decision, world.units["P-A"], world.units["P-B"], proposal="Tờ trình số 04/TTr-VPUBND ngày 25/7/2025"
    )
    assert d.proposal_clause().startswith("Theo đề nghị của Chánh Đơn vị P-VP tại Tờ trình số 04/TTr-VPUBND")
    decision_issue(decision=d)


def test_without_a_focal_office_a_decision_of_several_agencies_needs_its_proposer_chosen(world, decision):
    world.units["P-VP"].is_tthc_focal_unit = False
    world.units["P-VP"].save()
    d = draft_with(decision, world.units["P-A"], world.units["P-B"])
    assert "Cần chọn cơ quan trình" in refusal(d)
    d.proposer = world.units["P-B"]
    d.save()
    assert d.proposal_clause().startswith("Theo đề nghị của Giám đốc Đơn vị P-B tại")
    decision_issue(decision=d)


def test_a_proposer_typed_in_the_to_trinh_is_kept_as_typed(world, decision):
    d = draft_with(
        decision, world.units["P-A"], proposal="Tờ trình số 04/TTr-VPUBND ngày 25/7/2025 của Chánh Văn phòng"
    )
    assert d.proposal_clause() == "Theo đề nghị của Chánh Văn phòng tại Tờ trình số 04/TTr-VPUBND ngày 25/7/2025."


def test_a_new_draft_offers_the_standard_legal_bases(client, login, world):
    client = login(world.users["focal_p"])
    page = client.get(reverse("procedures:decision-create")).content.decode()
    assert "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025" in page
    assert "1085/QĐ-TTg" in page


# The time limit against its steps -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "limit, steps",
    [
        ("20 ngày làm việc", ["15 ngày làm việc", "05 ngày làm việc"]),
        ("10 - 20 ngày", ["07 ngày", "", "03 ngày"]),  # within the range
        ("20 ngày làm việc", ["", "15 ngày làm việc"]),  # the untimed step may take the other five
        ("20 ngày; trường hợp phải xác minh: 55 ngày", ["40 ngày", "15 ngày"]),  # the other case
        ("20 ngày làm việc", ["15 ngày", "05 ngày"]),  # calendar against working days: not compared
        ("20 ngày làm việc", ["Ngay sau khi nhận hồ sơ"]),  # nothing to read
    ],
)
def test_steps_that_agree_or_cannot_be_compared_give_no_warning(limit, steps):
    assert steps_disagreement(parse(limit), steps) == ""


@pytest.mark.parametrize(
    "limit, steps, total",
    [
        ("20 ngày làm việc", ["15 ngày làm việc", "10 ngày làm việc"], "25 ngày làm việc"),
        ("20 ngày làm việc", ["", "25 ngày làm việc"], "25 ngày làm việc"),  # over the limit whatever the rest
        ("20 ngày làm việc", ["10 ngày làm việc", "05 ngày làm việc"], "15 ngày làm việc"),  # every step timed
    ],
)
def test_steps_that_add_up_to_another_time_are_pointed_out(limit, steps, total):
    assert f"tổng thời gian các bước là {total}" in steps_disagreement(parse(limit), steps)


def test_the_confirmation_page_warns_of_a_time_limit_its_steps_disagree_with_but_lets_it_be_issued(
    login, world, decision
):
    procedure = make_procedure(
        world.units["P-A"],
        status=Status.CHECKED,
        components=complete_components(processing_time_value=Decimal("10"), processing_time_unit="days"),
    )
    d = decision()
    decision_add_item(decision=d, version=procedure.latest_version(), change=Change.NEW)
    client = login(world.users["focal_p"])
    page = client.get(reverse("procedures:decision-issue", args=[d.pk])).content.decode()
    assert 'id="issue-warnings"' in page and "tổng thời gian các bước là 20 ngày" in page
    assert 'id="confirm-issue"' in page
