"""A real agency's history entered with its legal dates gives, as of a past day, the figures its documents state.

Source: Quyết định số 680/QĐ-UBND ngày 28/7/2025 của Chủ tịch UBND tỉnh Vĩnh Long (người ký: Nguyễn Quỳnh Thiện,
có hiệu lực từ ngày ký) công bố 09 thủ tục hành chính nội bộ — 06 mới ban hành và 03 được sửa đổi, bổ sung — lĩnh
vực Công tác văn phòng, Văn thư và lưu trữ nhà nước và Kiểm soát thủ tục hành chính, thuộc thẩm quyền giải quyết của
Văn phòng UBND tỉnh Vĩnh Long; căn cứ Quyết định số 01/2025/QĐ-UBND ngày 02/7/2025 quy định chức năng, nhiệm vụ của
Văn phòng (the office of the province as reorganised on 01/7/2025) and Tờ trình số 04/TTr-VPUBND ngày 25/7/2025.
https://nhansu.vn/van-ban-phap-luat/Quyet-dinh-680-QD-UBND-2025-cong-bo-thu-tuc-hanh-chinh-van-thu-Van-phong-uy-ban-tinh-Vinh-Long-685512.html

The document's figures asserted: as of 28/7/2025, 9 internal procedures of the office in force, 6 new and 3 amended
by decisions taking effect that month. What the document does not state is entered as the least history consistent
with it (and said so below): the 3 amended procedures were in force since the office began (01/7/2025), and the 6
new ones were listed (inventoried) by the day of the proposal, 25/7/2025. No search found a public report giving
numbers reviewed or simplified as of a past day for one agency; this decision is the real document whose figures are
replayed here. Everything is entered today, with past legal dates: before this change, each procedure counted from
the day it was typed in and nothing could be dated before today.
"""

from datetime import date

from django.core.exceptions import ValidationError

import pytest

from tinhgon.organisations.models import Organisation
from tinhgon.organisations.tests.factories import OrganisationFactory
from tinhgon.plans.indicators import publication_coverage
from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.models import ProcedureVersion, PublicationDecision
from tinhgon.procedures.services import (
    decision_add_item,
    decision_issue,
    procedure_create,
    version_start_next,
    version_update,
)
from tinhgon.procedures.tests.factories import complete_components, field
from tinhgon.reports.figures import procedures_figures, reviews_figures
from tinhgon.reports.periods import Kind, period
from tinhgon.reviews import services as review_services
from tinhgon.reviews.constants import Action, ReviewStatus
from tinhgon.reviews.ledger import Filters, ledger
from tinhgon.reviews.models import ImplementationItem
from tinhgon.reviews.tests import factories as rf

pytestmark = pytest.mark.django_db

BEGAN = date(2025, 7, 1)  # the reorganised province and its office
PROPOSED = date(2025, 7, 25)  # Tờ trình số 04/TTr-VPUBND
DECIDED = date(2025, 7, 28)  # QĐ 680/QĐ-UBND, signed and in effect
NEW = [
    ("Thủ tục tiếp nhận, xử lý văn bản đến qua hệ thống quản lý văn bản", "cong-tac-van-phong"),
    ("Thủ tục phát hành văn bản đi của Ủy ban nhân dân tỉnh", "cong-tac-van-phong"),
    ("Thủ tục lập hồ sơ công việc và nộp lưu hồ sơ vào lưu trữ cơ quan", "van-thu-luu-tru"),
    ("Thủ tục tiếp nhận hồ sơ, tài liệu vào Lưu trữ lịch sử tỉnh", "van-thu-luu-tru"),
    ("Thủ tục khai thác, sử dụng tài liệu lưu trữ tại Lưu trữ lịch sử tỉnh", "van-thu-luu-tru"),
    ("Thủ tục công bố thủ tục hành chính nội bộ thuộc thẩm quyền của UBND tỉnh", "kiem-soat-tthc"),
]
AMENDED = [
    ("Thủ tục đăng ký lịch làm việc với lãnh đạo Ủy ban nhân dân tỉnh", "cong-tac-van-phong"),
    ("Thủ tục trình ký văn bản của lãnh đạo Ủy ban nhân dân tỉnh", "cong-tac-van-phong"),
    ("Thủ tục thẩm tra hồ sơ trình Ủy ban nhân dân tỉnh", "cong-tac-van-phong"),
]


@pytest.fixture
def office(world):
    province = OrganisationFactory(
        code="VL", name="Ủy ban nhân dân tỉnh Vĩnh Long", kind=Organisation.Kind.PROVINCE, valid_from=BEGAN
    )
    return OrganisationFactory(
        code="VL-VP",
        name="Văn phòng Ủy ban nhân dân tỉnh Vĩnh Long",
        kind=Organisation.Kind.PROVINCIAL_OFFICE,
        parent=province,
        valid_from=BEGAN,
    )


def checked(office, name, code, on):
    components = complete_components(name, field=field(code), level="province")
    procedure = procedure_create(owner=office, components=components, inventoried_on=on)
    version = procedure.latest_version()
    version.submit()
    version.control()
    return procedure


def publish(office, number, on, items):
    decision = PublicationDecision.objects.create(
        number=number,
        issuer=office.parent,
        signed_on=on,
        effective_on=on,
        signer="Nguyễn Quỳnh Thiện",
        legal_bases="Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
        proposal="Tờ trình số 04/TTr-VPUBND ngày 25/7/2025 của Chánh Văn phòng Ủy ban nhân dân tỉnh",
    )
    for version, change in items:
        decision_add_item(decision=decision, version=version, change=change)
    return decision_issue(decision=decision)


def amend(procedure, name, code):
    draft = version_start_next(procedure=procedure)
    components = complete_components(name, field=field(code), level="province")
    components.steps[0]["action"] = "Tiếp nhận và xử lý trên Hệ thống quản lý văn bản và điều hành"
    version_update(version=draft, components=components)
    draft.submit()
    draft.control()
    return draft


@pytest.fixture
def history(office):
    """The office's history entered today with its legal dates (see the module docstring)."""
    before = [checked(office, name, code, BEGAN) for name, code in AMENDED]
    publish(office, "Quyết định công bố trước (1/7/2025)", BEGAN, [(p.latest_version(), Change.NEW) for p in before])
    new = [checked(office, name, code, PROPOSED) for name, code in NEW]
    amended = [amend(p, name, code) for p, (name, code) in zip(before, AMENDED, strict=True)]
    items = [(p.latest_version(), Change.NEW) for p in new] + [(v, Change.AMENDED) for v in amended]
    return publish(office, "680/QĐ-UBND", DECIDED, items)


def test_the_report_as_of_the_decision_day_gives_the_decisions_figures(office, history):
    """From the day after the first publication to the decision's day: 9 in force, 6 new and 3 amended."""
    figures = procedures_figures([office], period(Kind.AD_HOC, 2025, start=date(2025, 7, 2), end=DECIDED))
    assert figures["in_force"] == 9
    assert (figures["decided"]["new"], figures["decided"]["amended"]) == (6, 3)


def test_the_day_before_the_decision_only_the_three_procedures_it_amends_were_in_force(office, history):
    day_before = period(Kind.AD_HOC, 2025, start=date(2025, 7, 2), end=date(2025, 7, 27))
    figures = procedures_figures([office], day_before)
    assert figures["in_force"] == 3 and figures["decided"]["new"] == figures["decided"]["amended"] == 0
    then = ProcedureVersion.objects.in_force_on(date(2025, 7, 27)).filter(procedure__owner=office)
    assert sorted(then.values_list("status", flat=True)) == [Status.AMENDED] * 3


def test_the_ledger_counts_what_was_published_as_of_each_day(office, history):
    province = office.parent
    assert ledger(Filters(roots=(province,), as_of=date(2025, 7, 27))).published == 3
    assert ledger(Filters(roots=(province,), as_of=DECIDED)).published == 9


def test_publication_coverage_counts_procedures_inventoried_by_the_day_not_typed_in(office, history):
    """K1 = published ÷ inventoried: 3/3 before the proposal listed six more, 3/9 until the decision, 9/9 from it."""
    province = office.parent
    assert str(publication_coverage(province, date(2025, 7, 24))) == "100.00"
    assert str(publication_coverage(province, date(2025, 7, 27))) == "33.33"
    assert str(publication_coverage(province, DECIDED)) == "100.00"


def test_a_procedure_cannot_be_inventoried_before_the_office_existed(office):
    with pytest.raises(ValidationError) as refused:
        checked(office, "Thủ tục trước khi Văn phòng được tổ chức lại", "cong-tac-van-phong", date(2025, 6, 30))
    assert refused.value.message_dict["inventoried_on"] == [
        "Ngày thống kê thủ tục (30/06/2025) trước ngày Văn phòng Ủy ban nhân dân tỉnh Vĩnh Long bắt đầu hoạt động "
        "(01/07/2025)."
    ]


# Figures as of a past day read the acts' legal days -----------------------------------------------------------------


def test_an_implementation_done_after_the_cut_off_counts_as_overdue_at_it(world):
    """Due 31/8/2023, the act issued 20/9/2023: overdue in a report cut off on 10/9/2023, not in one of 30/9/2023."""
    procedure = rf.publish(world, world.units["P-A-1"], on=date(2023, 1, 2))
    review = review_services.round_add_procedure(round=rf.round_for(world), procedure=procedure)
    rf.filled(review, Action.AMEND, after=rf.WORKED_AFTER, implementation_deadline=date(2023, 8, 31))
    rf.advance(review, ReviewStatus.CHECKED, on=date(2023, 6, 30))
    rf.approve(world, [review], signed_on=date(2023, 7, 15))
    for item in ImplementationItem.objects.all():
        item.complete("20/QĐ-UBND", date(2023, 9, 20))
    units = Organisation.objects.ever_under([world.units["P"]])

    def overdue(end):
        return reviews_figures(world.units["P"], units, period(Kind.AD_HOC, 2023, start=date(2023, 1, 1), end=end))

    assert overdue(date(2023, 9, 10))["implementation_overdue"] == ImplementationItem.objects.count() > 0
    assert overdue(date(2023, 9, 30))["implementation_overdue"] == 0
