from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tinhgon.audit.models import AuditLogEntry
from tinhgon.procedures.models import ProcedureVersion
from tinhgon.procedures.tests.factories import complete_components, field, make_procedure
from tinhgon.reviews import hints, services
from tinhgon.reviews.constants import ChangeKind, ReviewStatus
from tinhgon.reviews.hints import HINT_CODES, RULES, Hint, HintContext, hints_for, hints_for_review
from tinhgon.reviews.models import HintDecision
from tinhgon.reviews.tests import factories as f

pytestmark = pytest.mark.django_db

NAME = "Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh"
OTHER_NAME = "Thủ tục phê duyệt kế hoạch thanh tra hằng năm"
FEE_CIRCULAR = {
    "number": "85/2019/TT-BTC",
    "date": None,
    "issuer": "Bộ Tài chính",
    "title": "Thông tư hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của HĐND tỉnh",
    "article": "",
}


def components(name=NAME, items=None, steps=None, legal_bases=None, **fields):
    """complete_components with an online channel (so only what a test asks for fires) and replaced child rows."""
    result = complete_components(name, **{"channels": ["in_person", "online"], **fields})
    for part, rows in (("dossier_items", items), ("steps", steps), ("legal_bases", legal_bases)):
        if rows is not None:
            setattr(result, part, rows)
    return result


def draft(world, unit="P-A", **kwargs) -> ProcedureVersion:
    return make_procedure(world.units[unit], components=components(**kwargs)).latest_version()


def item(name, **counts):
    return {"name": name, "originals": 1, "copies": 0, "certified_copies": 0, "obtainable_from_data": False, **counts}


def codes(version) -> list[str]:
    return [h.code for h in hints_for(version)]


def hint(version, code) -> Hint | None:
    return next((h for h in hints_for(version) if h.code == code), None)


def test_every_rule_has_a_title_and_a_one_line_description():
    assert [rule.__name__ for rule in RULES] == list(HINT_CODES)
    assert all(len(code) <= HintDecision._meta.get_field("code").max_length for code in HINT_CODES)
    assert all(rule.__doc__ and "\n" not in rule.__doc__.strip() for rule in RULES)


def test_a_clean_procedure_has_no_hints(world):
    assert hints_for(draft(world)) == []


# One positive and one negative case per rule -----------------------------------------------------------------------


def test_no_legal_basis(world):
    found = hint(draft(world, legal_bases=[]), "no_legal_basis")
    assert found and found.title == "Chưa có căn cứ pháp lý" and found.kind is None
    assert "no_legal_basis" not in codes(draft(world))


def test_fee_without_a_fee_document(world):
    found = hint(draft(world, fees="Lệ phí thẩm định 50.000 đồng/hồ sơ"), "fee_without_legal_document")
    assert found.kind == ChangeKind.REMOVE_FEE and "50.000 đồng/hồ sơ" in found.why
    assert found.before == "Lệ phí thẩm định 50.000 đồng/hồ sơ"
    # the fee is grounded in a circular on fees, cited next to the law
    grounded = draft(world, fees="Lệ phí 50.000 đồng", legal_bases=[*components().legal_bases, FEE_CIRCULAR])
    assert "fee_without_legal_document" not in codes(grounded)


@pytest.mark.parametrize("fees", ["", "Không", "Không có", "không.", "KHÔNG CÓ", "Miễn phí", "Không thu phí, lệ phí"])
def test_no_fee_texts_do_not_ask_for_a_fee_document(world, fees):
    assert "fee_without_legal_document" not in codes(draft(world, fees=fees))


@pytest.mark.parametrize(
    ("number", "title", "is_fee"),
    [
        ("85/2019/TT-BTC", "", True),
        ("12/2020/NQ-HĐND", "Nghị quyết quy định mức thu, chế độ thu, nộp lệ phí", True),
        ("97/2015/QH13", "Luật", True),
        ("06/2024/QH15", "Luật Thi đua, khen thưởng", False),
        ("01/2020/NĐ-CP", "Nghị định về phiếu đánh giá, phím tắt và phi lợi nhuận", False),
    ],
)
def test_what_counts_as_a_fee_document(number, title, is_fee):
    basis = type("Basis", (), {"number": number, "title": title, "article": ""})()
    assert hints.is_fee_document(basis) is is_fee


def test_obtainable_but_required(world):
    items = [item("Tờ trình đề nghị"), item("Quyết định thành lập đơn vị", obtainable_from_data=True)]
    found = hint(draft(world, items=items), "obtainable_but_required")
    assert found.kind == ChangeKind.REMOVE_DOSSIER_ITEM
    assert found.targets == ("Quyết định thành lập đơn vị",) and "“Quyết định thành lập đơn vị”" in found.why
    assert found.changes() == [
        {"kind": ChangeKind.REMOVE_DOSSIER_ITEM, "target": "Quyết định thành lập đơn vị", "before": "", "after": ""}
    ]
    assert "obtainable_but_required" not in codes(draft(world))


def test_certified_copies(world):
    items = [item("Tờ trình đề nghị"), item("Bằng tốt nghiệp", originals=0, certified_copies=2)]
    found = hint(draft(world, items=items), "certified_copies")
    assert found.kind == ChangeKind.REDUCE_COPIES and found.target == "Bằng tốt nghiệp"
    assert "“Bằng tốt nghiệp” (02 bản)" in found.why
    assert "certified_copies" not in codes(draft(world, items=[item("Bằng tốt nghiệp", copies=1)]))


def test_too_many_sets(world):
    found = hint(draft(world, dossier_sets=3), "too_many_sets")
    assert found.kind == ChangeKind.REDUCE_DOSSIER_SETS and (found.before, found.after) == ("3", "1")
    assert "03 bộ hồ sơ" in found.why
    assert "too_many_sets" not in codes(draft(world, dossier_sets=1))


def test_no_online_channel(world):
    found = hint(draft(world, channels=["in_person", "post"]), "no_online_channel")
    assert found.kind == ChangeKind.ADD_ONLINE and "trực tiếp, qua dịch vụ bưu chính" in found.why
    assert "no_online_channel" not in codes(draft(world, channels=["online"]))


def test_step_without_actor(world):
    steps = [
        {"actor": "Sở Nội vụ", "action": "Thẩm định hồ sơ", "duration": ""},
        {"actor": "  ", "action": "Xem xét, quyết định", "duration": ""},
    ]
    found = hint(draft(world, steps=steps), "step_without_actor")
    assert found.targets == ("Xem xét, quyết định",) and "bước 2 “Xem xét, quyết định”" in found.why
    assert "step_without_actor" not in codes(draft(world))


# slow_for_field ---------------------------------------------------------------------------------------------------


def publish_times(world, *days, field_code="thi-dua-khen-thuong", unit="P-B"):
    for n, value in enumerate(days):
        f.publish(
            world,
            world.units[unit],
            f"{OTHER_NAME} số {n}",
            processing_time_value=Decimal(value),
            field=field(field_code),
        )


def test_slow_for_field_names_the_median(world):
    publish_times(world, 10, 12, 15)
    publish_times(world, 1, 1, 1, 1, field_code="tai-chinh")  # another field does not count
    found = hint(draft(world, processing_time_value=Decimal(20)), "slow_for_field")
    assert found.kind == ChangeKind.CUT_TIME and (found.before, found.after) == ("20", "12")
    assert "trung vị 12 ngày làm việc của 3 thủ tục khác thuộc lĩnh vực Thi đua - Khen thưởng" in found.why
    assert "slow_for_field" not in codes(draft(world, processing_time_value=Decimal(12)))


def test_slow_for_field_converts_calendar_days_and_hours(world):
    publish_times(world, 10, 12, 15)
    calendar = hint(draft(world, processing_time_value=Decimal(30), processing_time_unit="days"), "slow_for_field")
    assert calendar and "≈ 21,4 ngày làm việc" in calendar.why and calendar.after == ""
    assert "slow_for_field" not in codes(draft(world, processing_time_value=Decimal(96), processing_time_unit="hours"))
    assert "slow_for_field" in codes(draft(world, processing_time_value=Decimal(97), processing_time_unit="hours"))


def test_slow_for_field_needs_three_other_procedures(world):
    publish_times(world, 5, 5)
    own = f.publish(world, world.units["P-A"], NAME, processing_time_value=Decimal(60))
    assert "slow_for_field" not in codes(own.published_version())  # itself is not one of the three
    publish_times(world, 5)
    assert "slow_for_field" in codes(own.published_version())


def test_working_days():
    assert hints.working_days(Decimal(14), "days") == Decimal(10)
    assert hints.working_days(Decimal(4), "hours") == Decimal("0.5")
    assert hints.working_days(Decimal(7), "working_days") == Decimal(7)


# likely_duplicate -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "their_name",
    [
        NAME,
        "THỦ TỤC XÉT TẶNG BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH",
        "Thu tuc xet tang Bang khen cua Chu tich UBND tinh",
        "Xét tặng Bằng khen Chủ tịch UBND tỉnh",
        "Thủ tục đề nghị xét tặng Bằng khen của Chủ tịch UBND tỉnh",
    ],
)
def test_likely_duplicate_of_another_units_procedure(world, their_name):
    theirs = f.publish(world, world.units["P-B"], their_name)
    found = hint(draft(world), "likely_duplicate")
    assert found and found.targets == (theirs.code,) and found.kind is None
    assert theirs.code in found.why and "Đơn vị P-B" in found.why and "trùng 2/2 thành phần hồ sơ" in found.why


def test_likely_duplicate_only_for_another_owner_the_same_field_and_a_similar_name(world):
    f.publish(world, world.units["P-A"], NAME)  # same owner: a new version, not a duplicate
    f.publish(world, world.units["P-B"], NAME, field=field("tai-chinh"))  # other field
    f.publish(world, world.units["P-B"], OTHER_NAME)  # other name
    f.publish(world, world.units["P-X"], "Thủ tục xét tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã")  # 0.78
    make_procedure(world.units["P-B"], components=components())  # a draft is not in force
    assert "likely_duplicate" not in codes(draft(world))


def test_adoptions_of_the_same_template_are_not_duplicates(world, published):
    template = make_procedure(world.units["P"], components=components(), is_template=True)
    published(world.units["P-B"], components=components(), template=template)
    adopted = make_procedure(world.units["P-A"], components=components(), template=template).latest_version()
    assert "likely_duplicate" not in codes(adopted)
    assert "likely_duplicate" in codes(draft(world))  # the same name outside the catalogue is still flagged


def test_likely_duplicate_names_the_best_matches_first(world):
    close = f.publish(world, world.units["P-B"], NAME)
    near = f.publish(world, world.units["P-X"], "Thủ tục đề nghị xét tặng Bằng khen của Chủ tịch UBND tỉnh")
    found = hint(draft(world), "likely_duplicate")
    assert found.targets == (close.code, near.code)
    assert found.why.index(close.code) < found.why.index(near.code) and "tên giống 100%" in found.why


# Query budget -----------------------------------------------------------------------------------------------------


def firing_everything(world) -> ProcedureVersion:
    return draft(
        world,
        legal_bases=[],
        fees="50.000 đồng",
        items=[item("Giấy tờ A", obtainable_from_data=True), item("Giấy tờ B", certified_copies=1)],
        steps=[{"actor": "", "action": "Xử lý", "duration": ""}],
        dossier_sets=2,
        channels=["in_person"],
        processing_time_value=Decimal(60),
    )


def queries(version) -> tuple[int, list[str]]:
    version = ProcedureVersion.objects.get(pk=version.pk)
    with CaptureQueriesContext(connection) as captured:
        found = [h.code for h in hints_for(version)]
    return len(captured), found


def test_hints_for_runs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    publish_times(world, 10, 12, 15)
    f.publish(world, world.units["P-B"], NAME)
    version = firing_everything(world)
    fresh = ProcedureVersion.objects.get(pk=version.pk)
    with django_assert_max_num_queries(8):  # procedure, field, 3 kinds of rows, times, candidates, their items
        assert [h.code for h in hints_for(fresh)] == list(HINT_CODES)
    before, found = queries(version)
    for unit in ("P-B", "P-X", "P-A-1"):
        f.publish(world, world.units[unit], NAME)
        publish_times(world, 20, 30, unit=unit)
    after, found_after = queries(version)
    assert found == found_after == list(HINT_CODES)
    assert after == before


def test_prefetched_components_spare_their_queries(world, django_assert_max_num_queries):
    version = ProcedureVersion.objects.with_components().get(pk=firing_everything(world).pk)
    context = HintContext()
    context.field_times  # noqa: B018 - computed once, shared by every version
    with django_assert_max_num_queries(2):  # the duplicate candidates (none here: no dossier items query)
        hints_for(version, context)


# Decisions --------------------------------------------------------------------------------------------------------


@pytest.fixture
def review(world):
    f.publish(world, world.units["P-A-1"], NAME, channels=["in_person"], dossier_sets=2)
    (review,) = services.round_add_all_published(round=f.round_for(world))
    return review


def test_decisions_are_recorded_and_audited(world, review):
    services.hint_decide(review=review, code="no_online_channel", accepted=True, note=" Sẽ nộp qua hệ thống ")
    decision = HintDecision.objects.get(review=review, code="no_online_channel")
    assert decision.accepted and decision.note == "Sẽ nộp qua hệ thống"
    services.hint_decide(review=review, code="no_online_channel", accepted=False, note="Cần ký nháy bản giấy")
    assert HintDecision.objects.filter(review=review).count() == 1
    assert not HintDecision.objects.get(review=review).accepted
    actions = list(AuditLogEntry.objects.for_object(review).values_list("action", flat=True))
    assert actions.count("reviews.hint.accepted") == 1 and actions.count("reviews.hint.dismissed") == 1
    entry = AuditLogEntry.objects.for_object(review).get(action="reviews.hint.dismissed")
    assert entry.changes["hint"] == ["no_online_channel", "no_online_channel"]
    assert entry.changes["accepted"] == [True, False]  # the earlier choice is kept in the trail


def test_unknown_hint_code_is_refused(review):
    with pytest.raises(ValidationError):
        services.hint_decide(review=review, code="made_up", accepted=True)
    assert not HintDecision.objects.exists()


def test_decisions_are_refused_once_the_form_is_submitted(review):
    f.advance(f.filled(review), ReviewStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="không thể sửa"):
        services.hint_decide(review=review, code="no_online_channel", accepted=True)


def test_hints_for_review_pairs_each_hint_with_its_decision(world, review):
    services.hint_decide(review=review, code="too_many_sets", accepted=False, note="Cần 02 bộ để lưu")
    paired = hints_for_review(review)
    assert [(h.code, d and d.accepted) for h, d in paired] == [("too_many_sets", False), ("no_online_channel", None)]


def test_a_decision_whose_hint_no_longer_fires_stays_on_the_form(world, review):
    services.hint_decide(review=review, code="likely_duplicate", accepted=True)
    paired = hints_for_review(review)
    assert paired[-1][0].code == "likely_duplicate" and paired[-1][0].stale and paired[-1][1].accepted
    assert not any(h.stale for h, _ in paired[:-1])
