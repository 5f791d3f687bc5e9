"""Supersession as decisions write it (issue 12 item 4): each item's legal ground and annex position, an abolition's
transitional clause and the state it gives the abolished version, and signer titles that follow the issuer.

The replayed decision is real: Bộ Nội vụ, Quyết định số 101/QĐ-BNV (reported 20/01/2026, huengaynay.vn,
https://huengaynay.vn/chinh-tri-xa-hoi/cai-cach-hanh-chinh/bo-noi-vu-ban-hanh-3-thu-tuc-hanh-chinh-moi-ve-chinh-quyen-
dia-phuong-162293.html; lsvn.vn 28/01/2026) publishes 3 new internal procedures of the field Chính quyền địa phương and
abolishes 2 published by Quyết định số 319/QĐ-BNV ngày 08/4/2025. The press reports give neither the text of the
abolitions' legal ground nor a transitional clause, and no public decision with such a clause was found in the stored
pages: the grounds, clauses and annex positions below are illustrative values, marked as such, not quotations.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.portal.queries import public_versions
from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.documents import decision_docx
from tinhgon.procedures.models import DecisionItem, PublicationDecision
from tinhgon.procedures.services import decision_add_item, decision_issue, decisions_apply_due, version_start_next
from tinhgon.procedures.tests.factories import complete_components, field, make_procedure
from tinhgon.procedures.tests.test_documents import lines
from tinhgon.test import DECISION_GROUNDS

K = Organisation.Kind
# Illustrative (not quoted from a decision): the ground and the clause an abolition item carries.
GROUND = "bị bãi bỏ tại Nghị định số 999/2025/NĐ-CP ngày 01/12/2025 của Chính phủ (giá trị minh họa)"
CLAUSE = "tiếp tục thực hiện đến khi Thông tư hướng dẫn có hiệu lực (giá trị minh họa)"


def _issued(world, number, items, effective_on, issuer=None, signed_on=None):
    """A decision over [(version, change, clauses)], issued (and applied when its day has come)."""
    d = PublicationDecision.objects.create(
        number=number,
        issuer=issuer or world.units["P"],
        signed_on=signed_on or effective_on,
        signer="Nguyễn Văn A",
        effective_on=effective_on,
        **DECISION_GROUNDS,
    )
    for version, change, clauses in items:
        decision_add_item(decision=d, version=version, change=change, **clauses)
    decision_issue(decision=d)
    d.refresh_from_db()
    return d


def _checked(world, name, owner="P-A"):
    components = complete_components(name, field=field("chinh-quyen-dia-phuong"))
    return make_procedure(world.units[owner], status=Status.CHECKED, components=components)


@pytest.fixture
def ministry(world):
    """Province P recast as Bộ Nội vụ, its department P-A as a ministry department holding the procedures."""
    unit = world.units["P"]
    unit.kind, unit.name = K.MINISTRY, "Bộ Nội vụ"
    unit.save()
    return unit


@pytest.fixture
def in_force(world):
    """A procedure in force since 30 days ago; returns its published version."""

    def _make(name="Thủ tục phân loại đơn vị hành chính cấp tỉnh", number="1/QĐ-UBND", owner="P-A"):
        procedure = _checked(world, name, owner)
        _issued(world, number, [(procedure.latest_version(), Change.NEW, {})], today() - timedelta(days=30))
        return procedure.published_version()

    return _make


def test_bnv_101_abolishes_the_two_procedures_published_by_319_and_ends_its_items(world, ministry):
    """QĐ 101/QĐ-BNV: 3 new procedures, and the 2 of QĐ 319/QĐ-BNV (08/4/2025) abolished in the same decision."""
    old = [
        _checked(world, "Thủ tục phân loại đơn vị hành chính cấp tỉnh"),
        _checked(world, "Thủ tục phân loại ĐVHC cấp xã"),
    ]
    first = _issued(world, "319/QĐ-BNV", [(p.latest_version(), Change.NEW, {}) for p in old], date(2025, 4, 8))
    new = [
        _checked(world, "Thủ tục phân loại đơn vị hành chính cấp tỉnh (mới)"),
        _checked(world, "Thủ tục phân loại phường, đặc khu loại đặc biệt"),
        _checked(world, "Thủ tục phân loại đơn vị hành chính cấp xã (trừ phường, đặc khu loại đặc biệt)"),
    ]
    items = [(p.latest_version(), Change.NEW, {}) for p in new]
    items += [(p.published_version(), Change.ABOLISHED, {}) for p in old]
    _issued(world, "101/QĐ-BNV", items, date(2026, 1, 15), issuer=ministry)
    ended = old[0].versions.get()
    assert (ended.status, ended.effective_to) == (Status.ABOLISHED, date(2026, 1, 14))
    assert set(DecisionItem.objects.filter(ended_by__decision__number="101/QĐ-BNV")) == set(first.items.all())


def test_the_bnv_101_word_file_cites_the_items_of_319_it_abolishes(world, ministry):
    old = [
        _checked(world, "Thủ tục phân loại đơn vị hành chính cấp tỉnh"),
        _checked(world, "Thủ tục phân loại ĐVHC cấp xã"),
    ]
    _issued(world, "319/QĐ-BNV", [(p.latest_version(), Change.NEW, {}) for p in old], date(2025, 4, 8))
    later = _issued(
        world, "101/QĐ-BNV", [(p.published_version(), Change.ABOLISHED, {}) for p in old], date(2026, 1, 15)
    )
    text = " ".join(lines(decision_docx(later)))
    assert "Bãi bỏ thủ tục hành chính nội bộ có số thứ tự 01, 02 mục 1 Phần I Danh mục" in text
    assert "319/QĐ-BNV" in text and "CHỦ TỊCH" not in text


def test_an_abolition_with_a_transition_leaves_the_version_applied_and_public(world, in_force):
    version = in_force()
    until = today() + timedelta(days=60)
    _issued(world, "2/QĐ-UBND", [(version, Change.ABOLISHED, {"transition_until": until})], today())
    version.refresh_from_db()
    assert (version.status, version.effective_to, version.is_public) == (Status.TRANSITIONAL, until, True)
    assert public_versions().filter(pk=version.pk).exists()


def test_the_abolition_with_a_transition_is_one_audited_transition(world, in_force):
    version = in_force()
    _issued(world, "2/QĐ-UBND", [(version, Change.ABOLISHED, {"transition_note": CLAUSE})], today())
    assert (
        AuditLogEntry.objects.filter(action="procedures.version.abolished_transitional", object_id=version.pk).count()
        == 1
    )


def test_the_daily_job_ends_a_transition_whose_last_day_has_passed(world, in_force):
    version = in_force()
    until = today() - timedelta(days=10)
    _issued(
        world, "2/QĐ-UBND", [(version, Change.ABOLISHED, {"transition_until": until})], today() - timedelta(days=20)
    )
    decisions_apply_due()
    version.refresh_from_db()
    assert (version.status, version.effective_to, version.is_public) == (Status.ABOLISHED, until, False)


def test_a_past_day_within_the_transition_still_shows_the_abolished_version(world, in_force):
    version = in_force()
    until = today() - timedelta(days=10)
    _issued(
        world, "2/QĐ-UBND", [(version, Change.ABOLISHED, {"transition_until": until})], today() - timedelta(days=20)
    )
    decisions_apply_due()
    shown = {day: public_versions(day).filter(pk=version.pk).exists() for day in (until, until + timedelta(days=1))}
    assert shown == {until: True, until + timedelta(days=1): False}


def test_a_later_decision_ends_an_open_ended_transition(world, in_force):
    version = in_force()
    _issued(
        world, "2/QĐ-UBND", [(version, Change.ABOLISHED, {"transition_note": CLAUSE})], today() - timedelta(days=20)
    )
    version.refresh_from_db()
    assert (version.status, version.effective_to) == (Status.TRANSITIONAL, None)
    _issued(world, "3/QĐ-UBND", [(version, Change.ABOLISHED, {})], today())
    version.refresh_from_db()
    assert (version.status, version.effective_to) == (Status.ABOLISHED, today() - timedelta(days=1))


def test_a_transitional_clause_is_refused_on_an_item_that_does_not_abolish(world, decision):
    procedure = _checked(world, "Thủ tục mới")
    with pytest.raises(ValidationError, match="Chỉ thủ tục bị bãi bỏ mới có điều khoản chuyển tiếp"):
        decision_add_item(
            decision=decision(), version=procedure.latest_version(), change=Change.NEW, transition_note=CLAUSE
        )


def test_a_transition_ending_before_the_decision_takes_effect_is_refused(world, decision, in_force):
    version = in_force()
    d = decision(number="4/QĐ-UBND")
    with pytest.raises(ValidationError, match="không được trước ngày quyết định có hiệu lực"):
        decision_add_item(
            decision=d, version=version, change=Change.ABOLISHED, transition_until=today() - timedelta(days=1)
        )


def test_an_annex_part_not_in_roman_numerals_is_refused(world, decision):
    procedure = _checked(world, "Thủ tục mới")
    with pytest.raises(ValidationError, match="số La Mã"):
        decision_add_item(decision=decision(), version=procedure.latest_version(), change=Change.NEW, annex_part="1")


def test_the_annex_prints_the_legal_ground_and_the_transition_of_an_abolished_item(world, in_force):
    version = in_force()
    clauses = {"legal_ground": GROUND, "transition_until": today() + timedelta(days=30)}
    d = _issued(world, "2/QĐ-UBND", [(version, Change.ABOLISHED, clauses)], today())
    text = lines(decision_docx(d))
    assert "Văn bản quy định việc bãi bỏ; chuyển tiếp" in text
    until = f"{clauses['transition_until']:%d/%m/%Y}"
    assert f"{GROUND}; Tiếp tục thực hiện đến hết ngày {until}" in text


def test_a_later_decision_cites_the_annex_position_the_earlier_one_printed(world):
    procedure = _checked(world, "Thủ tục phân loại đơn vị hành chính cấp tỉnh")
    position = {"annex_part": "I", "annex_section": "A", "annex_number": 3}  # illustrative position
    _issued(world, "5/QĐ-UBND", [(procedure.latest_version(), Change.NEW, position)], today() - timedelta(days=30))
    later = _issued(world, "6/QĐ-UBND", [(procedure.published_version(), Change.ABOLISHED, {})], today())
    assert "Bãi bỏ thủ tục hành chính nội bộ có số thứ tự 03 mục A Phần I Danh mục" in " ".join(
        lines(decision_docx(later))
    )


def test_the_decision_page_adds_an_item_with_its_ground_position_and_clause(login, world, decision, in_force):
    version = in_force()
    d = decision(number="7/QĐ-UBND")
    data = {
        "version": version.pk,
        "change": Change.ABOLISHED,
        "legal_ground": GROUND,
        "annex_part": "i",
        "annex_section": "a",
        "annex_number": "2",
        "transition_note": CLAUSE,
    }
    response = login(world.focal_p).post(reverse("procedures:decision", args=[d.pk]), data)
    assert response.status_code == 302
    item = d.items.get()
    assert (item.legal_ground, item.annex_position(), item.transition_note) == (
        GROUND,
        "Phần I – mục A – STT 2",
        CLAUSE,
    )


def test_the_decision_page_keeps_the_input_and_says_why_a_clause_is_refused(login, world, decision):
    procedure = _checked(world, "Thủ tục mới")
    d = decision(number="8/QĐ-UBND")
    data = {"version": procedure.latest_version().pk, "change": Change.NEW, "transition_note": CLAUSE}
    response = login(world.focal_p).post(reverse("procedures:decision", args=[d.pk]), data)
    assert response.status_code == 200
    assert "Chỉ thủ tục bị bãi bỏ mới có điều khoản chuyển tiếp" in response.text and CLAUSE in response.text


def test_the_api_adds_an_item_with_its_ground_position_and_clause(api, world, in_force):
    version = in_force()
    item = {
        "procedure": version.procedure_id,
        "change": "abolished",
        "legal_ground": GROUND,
        "annex_part": "I",
        "annex_section": "B",
        "annex_number": 1,
        "transition_until": (today() + timedelta(days=10)).isoformat(),
    }
    body = {"number": "9/QĐ-UBND", "issuer": "P", "signer": "A", "effective_on": today().isoformat(), "items": [item]}
    response = api(world.focal_p).post("/api/v1/decisions/", body, format="json")
    assert response.status_code == 201, response.json()
    (listed,) = response.json()["item_list"]
    assert (listed["legal_ground"], listed["annex_section"], listed["transition_until"]) == (
        GROUND,
        "B",
        item["transition_until"],
    )


# Signer titles follow the issuer, never defaulted nor accepted across kinds ---------------------------------------


@pytest.mark.parametrize(
    "kind, title, refused",
    [
        (K.PROVINCE, "CHỦ TỊCH", False),
        (K.PROVINCE, "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", False),
        (K.PROVINCE, "TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG", False),
        (K.PROVINCE, "GIÁM ĐỐC", True),
        (K.DEPARTMENT, "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", False),
        (K.DEPARTMENT, "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", True),
        (K.MINISTRY, "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG", False),
        (K.MINISTRY, "CHỦ TỊCH", True),
        (K.MINISTRY, "Chủ tịch", True),
    ],
)
def test_a_title_of_another_kind_of_unit_is_refused(kind, title, refused):
    assert bool(Organisation(kind=kind, name="Đơn vị").signer_title_problem(title)) is refused


def test_the_form_refuses_a_chairmans_title_on_a_ministry_decision(login, world, ministry):
    data = {
        "number": "101/QĐ-BNV",
        "issuer": ministry.pk,
        "signer": "Nguyễn Văn B",
        "signer_title": "CHỦ TỊCH",
        "effective_on": today().strftime("%d/%m/%Y"),
    }
    response = login(world.focal_p).post(reverse("procedures:decision-create"), data)
    assert response.status_code == 200 and "BỘ TRƯỞNG" in response.text
    assert not PublicationDecision.objects.filter(number="101/QĐ-BNV").exists()


def test_the_api_refuses_a_directors_title_on_a_province_decision(api, world):
    body = {
        "number": "10/QĐ-UBND",
        "issuer": "P",
        "signer": "A",
        "signer_title": "GIÁM ĐỐC",
        "effective_on": today().isoformat(),
    }
    response = api(world.focal_p).post("/api/v1/decisions/", body, format="json")
    assert response.status_code == 400 and "CHỦ TỊCH" in response.json()["signer_title"][0]


def test_a_ministry_decision_left_without_a_title_is_signed_by_the_minister_in_the_api(api, world, ministry):
    body = {"number": "101/QĐ-BNV", "issuer": "P", "signer": "A", "effective_on": today().isoformat()}
    response = api(world.focal_p).post("/api/v1/decisions/", body, format="json")
    assert response.status_code == 201 and response.json()["signer_title"] == "BỘ TRƯỞNG"


def test_a_procedure_in_transition_gets_no_new_version(world, in_force):
    version = in_force()
    _issued(world, "2/QĐ-UBND", [(version, Change.ABOLISHED, {"transition_note": CLAUSE})], today())
    with pytest.raises(ValidationError, match="đã bị bãi bỏ"):
        version_start_next(procedure=version.procedure)


@pytest.fixture
def open_ended(world, in_force):
    """A version of division P-A-1 abolished 20 days ago, applied "until …" with no date."""
    version = in_force(owner="P-A-1")
    clauses = {"transition_note": CLAUSE}
    _issued(world, "2/QĐ-UBND", [(version, Change.ABOLISHED, clauses)], today() - timedelta(days=20))
    return version


def test_the_focal_point_marks_an_open_ended_transition_ended(login, world, open_ended):
    url = reverse("procedures:transition-end", args=[open_ended.procedure_id])
    day = today() - timedelta(days=5)
    login(world.focal_p).post(url, {"on": f"{day:%d/%m/%Y}"})
    open_ended.refresh_from_db()
    assert (open_ended.status, open_ended.effective_to, open_ended.is_public) == (
        Status.ABOLISHED,
        day - timedelta(days=1),
        False,
    )


def test_an_end_of_transition_on_a_day_to_come_is_refused_in_vietnamese(login, world, open_ended):
    url = reverse("procedures:transition-end", args=[open_ended.procedure_id])
    response = login(world.focal_p).post(url, {"on": f"{today() + timedelta(days=3):%d/%m/%Y}"}, follow=True)
    open_ended.refresh_from_db()
    assert open_ended.status == Status.TRANSITIONAL and "không thể sau ngày hôm nay" in response.text


def test_an_officer_cannot_end_a_transition(login, world, open_ended):
    url = reverse("procedures:transition-end", args=[open_ended.procedure_id])
    assert login(world.officer_a1).post(url).status_code == 403


def test_an_outsider_does_not_find_the_transition_to_end(login, world, open_ended):
    url = reverse("procedures:transition-end", args=[open_ended.procedure_id])
    assert login(world.outsider).post(url).status_code == 404
