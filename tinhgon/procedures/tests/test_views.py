import re
from datetime import timedelta

from django.urls import reverse

import pytest

from tinhgon.core.dates import today
from tinhgon.procedures.constants import REQUIRED_COMPONENTS, Change, Channel, DecisionStatus, Status
from tinhgon.procedures.forms import COMPONENT_FIELDS, PART_FORMS
from tinhgon.procedures.models import Procedure, PublicationDecision
from tinhgon.procedures.tests.factories import make_procedure

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"procedures:{name}", args=args)


def form_data(owner_pk=None, **overrides):
    data = {
        "name": "Thủ tục xét tặng Giấy khen",
        "group": "B",
        "level": "province",
        "field": "1",
        "channels": ["in_person"],
        "dossier_sets": "1",
        "processing_time_value": "10",
        "processing_time_unit": "working_days",
        "performers": "Các phòng",
        "authority": "Giám đốc Sở",
        "performing_body": "",
        "coordinating_bodies": "",
        "result": "Quyết định",
        "fees": "Không",
        "conditions": "",
        "executions_per_year": "1",
        "subjects_per_year": "10",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-0-actor": "Phòng",
        "steps-0-action": "Nộp hồ sơ",
        "steps-0-duration": "",
        "dossier_items-TOTAL_FORMS": "1",
        "dossier_items-INITIAL_FORMS": "0",
        "dossier_items-0-name": "Tờ trình",
        "dossier_items-0-originals": "1",
        "dossier_items-0-copies": "0",
        "dossier_items-0-certified_copies": "0",
        "legal_bases-TOTAL_FORMS": "1",
        "legal_bases-INITIAL_FORMS": "0",
        "legal_bases-0-number": "06/2022/QH15",
        "legal_bases-0-date": "15/06/2022",
        "legal_bases-0-issuer": "Quốc hội",
        "legal_bases-0-title": "Luật Thi đua, khen thưởng",
        "legal_bases-0-article": "",
        "other_levels-TOTAL_FORMS": "0",
        "other_levels-INITIAL_FORMS": "0",
    }
    if owner_pk:
        data["owner"] = owner_pk
    data.update(overrides)
    return data


def test_officer_drafts_a_procedure_with_its_components(login, world):
    from tinhgon.procedures.models import Field

    data = form_data(world.units["P-A-1"].pk, field=Field.objects.get(code="thi-dua-khen-thuong").pk)
    response = login(world.officer_a1).post(url("create"), data)
    procedure = Procedure.objects.get()
    assert response.status_code == 302 and response.url == url("detail", procedure.pk)
    version = procedure.latest_version()
    assert version.steps.get().action == "Nộp hồ sơ"
    assert version.legal_bases.get().date.year == 2022 and version.channels == ["in_person"]


def test_invalid_draft_keeps_everything_typed(login, world):
    data = form_data(
        world.units["P-A-1"].pk, name="", **{"legal_bases-0-date": "31/02/2022", "steps-0-action": "Bước đã gõ"}
    )
    html = login(world.officer_a1).post(url("create"), data).content.decode()
    assert "Bước đã gõ" in html and "31/02/2022" in html and "Tờ trình" in html
    assert not Procedure.objects.exists()


def test_owner_outside_scope_is_refused(login, world):
    data = form_data(world.units["Q-A"].pk)
    response = login(world.officer_a1).post(url("create"), data)
    assert response.status_code == 200 and not Procedure.objects.exists()


def test_list_is_scoped_and_filtered(login, world):
    make_procedure(world.units["P-A-1"])
    make_procedure(world.units["P-B"], components=None)
    client = login(world.head_a1)
    html = client.get(url("list")).content.decode()
    assert "P-A-1-001" in html and "P-B-001" not in html
    assert "P-A-1-001" not in client.get(url("list"), {"status": "published"}).content.decode()
    assert "P-A-1-001" in client.get(url("list"), {"q": "xet tang bang khen"}).content.decode()


def test_list_offers_excel_import_to_editors_and_export_with_the_filters(login, world):
    officer_page = login(world.officer_a1).get(url("list"), {"status": "draft"}).content.decode()
    assert reverse("procedures:import") in officer_page
    assert f"{reverse('procedures:export')}?status=draft" in officer_page
    reader_page = login(world.oversight).get(url("list")).content.decode()
    assert reverse("procedures:import") not in reader_page and reverse("procedures:export") in reader_page


def test_outsider_gets_404_and_officer_elsewhere_404(login, world):
    procedure = make_procedure(world.units["P-A-1"])
    assert login(world.outsider).get(url("detail", procedure.pk)).status_code == 404
    assert login(world.outsider).get(url("edit", procedure.pk)).status_code == 404


def test_detail_shows_components_and_the_right_actions(login, world):
    procedure = make_procedure(world.units["P-A-1"])
    officer_html = login(world.officer_a1).get(url("detail", procedure.pk)).content.decode()
    assert "Sửa dự thảo" in officer_html and ">Trình<" not in officer_html
    assert "Thẩm định hồ sơ, trình Chủ tịch UBND tỉnh" in officer_html
    head_html = login(world.head_a1).get(url("detail", procedure.pk)).content.decode()
    assert ">Trình<" in head_html


def test_submit_check_and_return_through_the_pages(login, world):
    procedure = make_procedure(world.units["P-A-1"])
    assert login(world.officer_a1).post(url("submit", procedure.pk)).status_code == 403
    login(world.head_a1).post(url("submit", procedure.pk))
    assert procedure.latest_version().status == Status.SUBMITTED
    client = login(world.focal_a)
    client.post(url("return", procedure.pk), {"comment": "Thiếu căn cứ"})
    assert procedure.latest_version().status == Status.RETURNED
    html = login(world.officer_a1).get(url("detail", procedure.pk)).content.decode()
    assert "Thiếu căn cứ" in html
    login(world.head_a1).post(url("submit", procedure.pk))
    login(world.focal_a).post(url("check", procedure.pk))
    assert procedure.latest_version().status == Status.CHECKED


def test_check_refusal_is_shown_with_the_missing_list(login, world):
    from tinhgon.procedures.tests.factories import complete_components

    components = complete_components(result="")
    procedure = make_procedure(world.units["P-A-1"], status=Status.SUBMITTED, components=components)
    response = login(world.focal_a).post(url("check", procedure.pk), follow=True)
    assert "Thiếu: Kết quả thực hiện" in response.content.decode()


def label_classes(html: str, field: str) -> str:
    return re.search(rf'<label class="([^"]*)" for="id_{field}">', html).group(1)


def test_channels_are_a_fieldset_with_a_legend(login, world):
    procedure = make_procedure(world.units["P-A-1"])
    html = login(world.officer_a1).get(url("edit", procedure.pk)).content.decode()
    group = re.search(r"<fieldset[^>]*>\s*<legend[^>]*>Cách thức thực hiện</legend>(.*?)</fieldset>", html, re.S)
    assert group and group.group(1).count('type="checkbox"') == len(Channel.choices)
    assert 'for="id_channels"' not in html  # no label pointing at the group as if it were one input


def test_mandatory_components_are_marked_from_the_list_but_not_required(login, world):
    procedure = make_procedure(world.units["P-A-1"])
    client = login(world.officer_a1)
    html = client.get(url("edit", procedure.pk)).content.decode()
    assert 'id="mandatory-note"' in html and "thành phần bắt buộc khi trình kiểm soát" in html
    single = [COMPONENT_FIELDS.get(c, c) for c in REQUIRED_COMPONENTS if c not in PART_FORMS and c != "channels"]
    assert "performers" in single and "processing_time_text" in single
    for name in single:
        assert "required" in label_classes(html, name).split()
        assert re.search(rf'<[^>]*aria-describedby="mandatory-note"[^>]*id="id_{name}"', html)
    for name in ["performers", "authority", "result", "processing_time_value"]:
        assert not re.search(rf'<[^>]* required id="id_{name}"', html)  # marked, not HTML-required
    for name in ["fees", "performing_body", "conditions"]:
        assert "required" not in label_classes(html, name).split()
    assert '<legend class="form-label required">Cách thức thực hiện</legend>' in html
    for legend in ["Trình tự thực hiện", "Thành phần hồ sơ", "Căn cứ pháp lý"]:
        assert f'<legend class="h3">{legend} <span class="text-danger" aria-hidden="true">*</span></legend>' in html
    # a draft still saves without them
    data = form_data(procedure.latest_version().field_id, performers="", result="", channels=[])
    assert client.post(url("edit", procedure.pk), data).status_code == 302
    assert procedure.latest_version().performers == ""


def test_the_marks_follow_the_configured_list(login, world, settings):
    settings.TINHGON_REQUIRED_COMPONENTS = ["name", "fees", "legal_bases"]
    procedure = make_procedure(world.units["P-A-1"])
    html = login(world.officer_a1).get(url("edit", procedure.pk)).content.decode()
    assert "required" in label_classes(html, "fees").split()
    assert "required" not in label_classes(html, "performers").split()
    assert '<legend class="form-label">Cách thức thực hiện</legend>' in html
    assert '<legend class="h3">Căn cứ pháp lý <span class="text-danger" aria-hidden="true">*</span></legend>' in html
    assert '<legend class="h3">Trình tự thực hiện</legend>' in html
    assert html.count('aria-describedby="mandatory-note"') == 3


def test_edit_published_goes_through_a_new_version_and_diff(login, world, published):
    procedure = published(world.units["P-A-1"])
    client = login(world.officer_a1)
    assert client.get(url("edit", procedure.pk)).status_code == 302
    client.post(url("version-new", procedure.pk))
    draft = procedure.latest_version()
    assert draft.number == 2
    data = form_data(field=draft.field_id, name="Tên sau sửa đổi", row_version=draft.row_version)
    assert client.post(url("edit", procedure.pk), data).status_code == 302
    html = client.get(url("compare", procedure.pk)).content.decode()
    assert "Tên sau sửa đổi" in html and "diff-del" in html and "thay đổi" in html


def test_stale_edit_is_refused(login, world):
    procedure = make_procedure(world.units["P-A-1"])
    version = procedure.latest_version()
    started = version.row_version
    version.name = "Người khác sửa"
    version.save()
    data = form_data(field=version.field_id, name="Tôi sửa", row_version=started)
    html = login(world.officer_a1).post(url("edit", procedure.pk), data).content.decode()
    assert "vừa được người khác cập nhật" in html and "Tôi sửa" in html


def test_template_adoption_creates_linked_drafts(login, world):
    from tinhgon.procedures.services import Components, procedure_create
    from tinhgon.procedures.tests.factories import complete_components

    central = world.units["Q"]
    template = procedure_create(owner=central, components=complete_components(), is_template=True, code="M-001")
    client = login(world.officer_a1)
    html = client.get(url("templates")).content.decode()
    assert "M-001" in html
    client.post(url("templates"), {"owner": world.units["P-A-1"].pk, "versions": [template.latest_version().pk]})
    client.post(url("templates"), {"owner": world.units["P-A-1"].pk, "versions": [template.latest_version().pk]})
    adopted = Procedure.objects.get(template=template)
    assert adopted.owner == world.units["P-A-1"]
    assert Components.of(adopted.latest_version()).steps == Components.of(template.latest_version()).steps
    assert "M-001" not in client.get(url("list")).content.decode()  # templates are not in the registry


def test_decision_pages(login, world):
    from tinhgon.accounts.models import Membership

    Membership.objects.create(user=world.oversight, organisation=world.units["P"], role="focal_point")
    procedure = make_procedure(world.units["P-A-1"], status=Status.CHECKED)
    client = login(world.oversight)
    client.post(reverse("accounts:switch"), {"membership": world.oversight.memberships.get(role="focal_point").pk})
    response = client.post(
        url("decision-create"),
        {
            "number": "680/QĐ-UBND",
            "title": "Công bố TTHC nội bộ",
            "issuer": world.units["P"].pk,
            "signed_on": today().strftime("%d/%m/%Y"),
            "signer": "Nguyễn Văn A",
            "signer_title": "CHỦ TỊCH",
            "effective_on": today().strftime("%d/%m/%Y"),
            "legal_bases": "Căn cứ Luật Tổ chức chính quyền địa phương",
            "proposal": "Tờ trình số 04/TTr-VPUBND ngày 25/7/2025",
        },
    )
    decision = PublicationDecision.objects.get()
    assert response.url == url("decision", decision.pk)
    client.post(url("decision", decision.pk), {"version": procedure.latest_version().pk, "change": "new"})
    assert decision.items.count() == 1
    detail = client.get(url("decision", decision.pk)).content.decode()
    assert f'href="{url("decision-issue", decision.pk)}">Ban hành</a>' in detail  # to the confirmation page
    client.get(url("decision-issue", decision.pk))
    assert procedure.latest_version().status == Status.CHECKED
    client.post(url("decision-issue", decision.pk))
    assert procedure.latest_version().status == Status.PUBLISHED
    assert "Đã có hiệu lực" in client.get(url("decision", decision.pk)).content.decode()
    # readable by the owner's staff, not by outsiders; not manageable by the officer
    assert login(world.officer_a1).get(url("decision", decision.pk)).status_code == 200
    assert login(world.officer_a1).post(url("decision-issue", decision.pk)).status_code == 403
    assert login(world.outsider).get(url("decision", decision.pk)).status_code == 404


def test_issuing_asks_for_confirmation_with_a_summary(login, world, decision, published):
    from tinhgon.procedures.services import decision_add_item

    new = make_procedure(world.units["P-A-1"], status=Status.CHECKED)
    old = published(world.units["P-A-1"])
    d = decision(number="9/QĐ-UBND")
    decision_add_item(decision=d, version=new.latest_version(), change=Change.NEW)
    decision_add_item(decision=d, version=old.latest_version(), change=Change.ABOLISHED)
    client = login(world.focal_p)
    response = client.get(url("decision-issue", d.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<dd id="confirm-number">9/QĐ-UBND</dd>' in html
    assert f'<dd id="confirm-effective-on">{today():%d/%m/%Y}</dd>' in html
    counts = dict(re.findall(r'<tr><td>([^<]+)</td><td class="text-end">(\d+)</td>', html))
    assert counts == {label: "1" if value in {"new", "abolished"} else "0" for value, label in Change.choices}
    assert '<th class="text-end" id="confirm-total">2</th>' in html
    assert "ngay khi ban hành" in html and "không sửa và không hủy được" in html
    assert "Xác nhận ban hành" in html and f'href="{url("decision", d.pk)}">Quay lại</a>' in html
    d.refresh_from_db()
    assert d.status == DecisionStatus.DRAFT and new.latest_version().status == Status.CHECKED  # GET issues nothing
    client.post(url("decision-issue", d.pk))
    d.refresh_from_db()
    assert d.status == DecisionStatus.APPLIED
    assert client.get(url("decision-issue", d.pk)).url == url("decision", d.pk)  # nothing left to confirm


def test_confirmation_lists_what_stops_the_issue_before_the_user_tries(login, world, decision):
    from tinhgon.procedures.services import decision_add_item

    d = decision(number="10/QĐ-UBND", signer="")
    client = login(world.focal_p)
    html = client.get(url("decision-issue", d.pk)).content.decode()
    assert "Chưa thể ban hành quyết định này" in html
    assert "Quyết định chưa có thủ tục nào." in html and "Cần nhập ngày ký và người ký" in html
    assert 'id="confirm-issue"' not in html and "Quay lại để bổ sung" in html

    procedure = make_procedure(world.units["P-A-1"], status=Status.CHECKED)
    decision_add_item(decision=d, version=procedure.latest_version(), change=Change.NEW)
    d.signer = "Nguyễn Văn A"
    d.save()
    html = client.get(url("decision-issue", d.pk)).content.decode()
    assert "Chưa thể ban hành" not in html and 'id="confirm-issue"' in html


def test_confirmation_of_a_future_decision_says_when_it_applies(login, world, decision):
    from tinhgon.procedures.services import decision_add_item

    procedure = make_procedure(world.units["P-A-1"], status=Status.CHECKED)
    d = decision(effective_on=today() + timedelta(days=10))
    decision_add_item(decision=d, version=procedure.latest_version(), change=Change.NEW)
    html = login(world.focal_p).get(url("decision-issue", d.pk)).content.decode()
    assert "chờ hiệu lực" in html and f"ngày {d.effective_on:%d/%m/%Y} hệ thống tự cập nhật" in html
    assert "ngay khi ban hành" not in html


def test_confirmation_page_is_guarded_like_issuing(login, world, decision):
    d = decision()
    assert login(world.outsider).get(url("decision-issue", d.pk)).status_code == 404
    assert login(world.outsider).post(url("decision-issue", d.pk)).status_code == 404
    # P-A's focal point reads the province's decisions that hold P-A's procedures, but does not issue them
    procedure = make_procedure(world.units["P-A-1"], status=Status.CHECKED)
    from tinhgon.procedures.services import decision_add_item

    decision_add_item(decision=d, version=procedure.latest_version(), change=Change.NEW)
    assert login(world.focal_a).get(url("decision", d.pk)).status_code == 200
    assert login(world.focal_a).get(url("decision-issue", d.pk)).status_code == 403
    assert login(world.focal_a).post(url("decision-issue", d.pk)).status_code == 403
    assert login(world.focal_p).put(url("decision-issue", d.pk)).status_code == 405
    d.refresh_from_db()
    assert d.status == DecisionStatus.DRAFT


def test_registry_list_query_count_is_constant(login, world, django_assert_max_num_queries):
    client = login(world.oversight)
    make_procedure(world.units["P-A"])
    with django_assert_max_num_queries(12) as few:
        client.get(url("list"))
    for _ in range(15):
        make_procedure(world.units["P-B"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("list"))


def test_detail_query_count_does_not_grow_with_components(login, world, django_assert_max_num_queries):
    from tinhgon.procedures.tests.factories import complete_components

    small = make_procedure(world.units["P-A"])
    components = complete_components()
    components.steps = components.steps * 8
    components.dossier_items = components.dossier_items * 8
    components.legal_bases = components.legal_bases * 8
    large = make_procedure(world.units["P-A"], components=components)
    client = login(world.oversight)
    with django_assert_max_num_queries(30) as few:
        client.get(url("detail", small.pk))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("detail", large.pk)).status_code == 200


def test_the_decision_form_names_its_issuers_with_their_parent_in_a_searchable_picker(login, world):
    page = login(world.focal_a).get(url("decision-create")).content.decode()
    department = world.units["P-A"]
    assert 'name="issuer"' in page and "data-unit-picker" in page
    assert f"{department.name} — {department.parent.name}" in page
