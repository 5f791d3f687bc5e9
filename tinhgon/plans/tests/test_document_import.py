"""Entering a plan's tasks from its document (issue 16): upload or paste, review beside the source, confirm once;
and the parent task a task implements (Task.implements, the Excel column “Nhiệm vụ cấp trên”)."""

import io
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse

import pytest
from openpyxl import Workbook, load_workbook

from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.models import ALREADY_CLAIMED, StagedFile
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.tests.factories import OrganisationFactory
from tinhgon.plans.constants import ExecutingRule
from tinhgon.plans.document_views import GONE
from tinhgon.plans.excel_import import build_workbook, import_tasks
from tinhgon.plans.models import Assignment, Task
from tinhgon.plans.tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tinhgon.plans.tests.urls_import")]

SEED = Path(__file__).resolve().parents[2] / "plans/tests/plan_documents/tra-vinh-qd258-2024.txt"  # ../shared/seeds/002
# QĐ 258/QĐ-UBND of Trà Vinh (04/3/2024): the header, the objectives and tasks 1–3 of its plan, as published.
QD_258 = "\n".join(SEED.read_text(encoding="utf-8").splitlines()[:138])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def units(world):
    p = world.units["P"]
    office = OrganisationFactory(
        code="P-VPUB", name="Văn phòng Ủy ban nhân dân tỉnh", kind=Organisation.Kind.PROVINCIAL_OFFICE, parent=p
    )
    justice = OrganisationFactory(code="P-STP", name="Sở Tư pháp", kind=Organisation.Kind.DEPARTMENT, parent=p)
    return {"office": office, "justice": justice}


@pytest.fixture
def plan(world, units):
    return factories.plan(world.units["P"], title="Kế hoạch cải cách TTHC năm 2024", year=2024)


def form_url(plan):
    return reverse("plans:document-import", args=[plan.pk])


def review_url(plan):
    return reverse("plans:document-review", args=[plan.pk])


def upload_text(client, plan, text=QD_258):
    response = client.post(form_url(plan), {"text": text})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].split("token=")[1]


def review_data(response) -> dict:
    """The review form as the page rendered it, to be POSTed back (what a user confirming without changes sends)."""
    formset = response.context["formset"]
    data = {"token": str(response.context["token"])}
    for name, value in formset.management_form.initial.items():
        data[f"form-{name}"] = value
    for form in formset.forms:
        for name in form.fields:
            value = form.initial.get(name)
            key = form.add_prefix(name)
            if isinstance(value, list):
                data[key] = value
            elif isinstance(value, date):
                data[key] = f"{value:%d/%m/%Y}"
            elif value is True:
                data[key] = "on"
            elif value not in (None, False):
                data[key] = str(value)
    return data


def reviewed(client, plan):
    token = upload_text(client, plan)
    response = client.get(f"{review_url(plan)}?token={token}")
    assert response.status_code == 200
    data = review_data(response)
    data["form-0-deadline"] = "30/06/2024"  # tasks 1 and 3 have no time in the document: the reviewer adds one
    data["form-2-deadline"] = "31/12/2024"
    return response, data


def counts():
    return Task.objects.count(), Assignment.objects.count(), StagedFile.objects.count()


# The pages ---------------------------------------------------------------------------------------------------------


def test_the_review_page_shows_the_header_and_each_task_beside_its_highlighted_text(login, world, plan):
    client = login(world.focal_p)
    response = client.get(f"{review_url(plan)}?token={upload_text(client, plan)}")
    page = response.content.decode()
    assert "258/QĐ-UBND" in page and "04/03/2024" in page and "01/01/2024 – 31/12/2024" in page
    assert len(response.context["tasks"]) == 3
    mark = page.index("<mark>")
    assert "Chủ động rà soát, phát hiện các bất cập về TTHC" in page[mark : page.index("</mark>")]
    assert "Ủy ban nhân dân cấp huyện" in page and "cấp huyện không còn từ 01/7/2025" in page
    first = response.context["formset"].forms[0].initial
    assert (first["lead"], first["coordinating"]) == ("P-VPUB", ["P-STP"])
    assert first["executing_rule"] == ExecutingRule.DEPARTMENTS_AND_COMMUNES
    assert Task.objects.count() == 0


def test_the_units_are_written_once_in_the_page_not_in_every_picker(login, world, plan):
    client = login(world.focal_p)
    page = client.get(f"{review_url(plan)}?token={upload_text(client, plan)}").content.decode()
    assert page.count('id="review-units"') == 1 and '["P-B", "\\u0110\\u01a1n v\\u1ecb P-B' in page
    assert '<option value="P-B"' not in page  # chosen nowhere: offered from the list by the page's script
    assert page.count('<option value="P-STP" selected>') == 2  # task 1 coordinating, task 3 lead


def test_a_manager_confirms_and_the_tasks_are_saved_with_their_units_and_deadlines(login, world, plan, units):
    client = login(world.focal_p)
    _, data = reviewed(client, plan)
    response = client.post(review_url(plan), data)
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan", args=[plan.pk])
    tasks = {t.code: t for t in Task.objects.filter(plan=plan)}
    assert sorted(tasks) == ["1", "2", "3"]
    assert tasks["1"].lead == units["office"] and list(tasks["1"].coordinating.all()) == [units["justice"]]
    assert tasks["1"].executing_rule == ExecutingRule.DEPARTMENTS_AND_COMMUNES
    assert tasks["2"].deadline == date(2024, 10, 31) and tasks["3"].lead == units["justice"]
    assert tasks["3"].assignments.filter(organisation=world.units["P-A"]).exists()  # the rule expanded
    assert AuditLogEntry.objects.filter(action="plans.document_import.confirmed").count() == 1
    assert not StagedFile.objects.exists()


def test_a_task_the_document_gives_no_time_is_offered_the_plans_last_day_marked_as_assumed(login, world, plan):
    client = login(world.focal_p)
    response = client.get(f"{review_url(plan)}?token={upload_text(client, plan)}")
    forms = response.context["formset"].forms
    assert [f.initial["deadline"] for f in forms] == [plan.period_end, date(2024, 10, 31), plan.period_end]
    assert response.content.decode().count("assumed-deadline") == 2


def test_a_task_naming_no_lead_is_offered_the_issuer_as_its_lead_marked_as_assumed(login, world, plan, units):
    client = login(world.focal_p)
    text = (
        "III. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Công tác chỉ đạo điều hành\n- Tăng cường tuyên truyền về cải cách hành chính.\n"
        "- Phối hợp với Sở Tư pháp rà soát văn bản quy phạm pháp luật, hoàn thành trong tháng 6 năm 2024.\n"
        "2. Cải cách thể chế\n- Cơ quan chủ trì: Sở Tư pháp.\n- Thời hạn hoàn thành: Quý III năm 2024."
    )
    response = client.get(f"{review_url(plan)}?token={upload_text(client, plan, text)}")
    forms = response.context["formset"].forms
    assert [f.initial["lead"] for f in forms] == [plan.issuer.code, plan.issuer.code, units["justice"].code]
    assert response.content.decode().count("assumed-lead") == 2


def test_the_review_page_costs_the_same_queries_for_three_tasks_and_for_thirty(login, world, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.focal_p)

    def queries(n: int) -> int:
        text = "III. NHIỆM VỤ\n" + "".join(
            f"{i}. Rà soát thủ tục nhóm {i}.\n- Cơ quan chủ trì: Sở Tư pháp.\n- Thời hạn hoàn thành: Quý II năm 2024.\n"
            for i in range(1, n + 1)
        )
        url = f"{review_url(plan)}?token={upload_text(client, plan, text)}"
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert queries(3) == queries(30)


def test_a_regular_task_is_offered_as_thuong_xuyen_and_saved_without_a_deadline(login, world, plan, units):
    client = login(world.focal_p)
    text = "III. NHIỆM VỤ\n1. Tuyên truyền cải cách hành chính.\n- Cơ quan chủ trì: Sở Tư pháp.\n"
    text += "- Thời gian: Thường xuyên."
    response = client.get(f"{review_url(plan)}?token={upload_text(client, plan, text)}")
    (form,) = response.context["formset"].forms
    assert (form.initial["recurrence"], form.initial["deadline"], form.initial["deadline_assumed"]) == (
        "regular",
        None,
        False,
    )
    assert client.post(review_url(plan), review_data(response)).status_code == 302
    task = Task.objects.get(plan=plan)
    assert (task.deadline, task.recurrence, task.lead) == (None, "", units["justice"])


def test_a_second_confirmation_with_the_same_token_saves_nothing_more(login, world, plan):
    client = login(world.focal_p)
    _, data = reviewed(client, plan)
    client.post(review_url(plan), data)
    before = Task.objects.count()
    again = client.post(review_url(plan), data, follow=True)
    assert GONE in again.content.decode() or ALREADY_CLAIMED in again.content.decode()
    assert Task.objects.count() == before == 3
    assert AuditLogEntry.objects.filter(action="plans.document_import.confirmed").count() == 1


def test_a_task_left_unticked_is_not_saved(login, world, plan):
    client = login(world.focal_p)
    _, data = reviewed(client, plan)
    del data["form-1-include"]
    data["form-1-lead"] = ""  # what is wrong with a task left out does not matter
    client.post(review_url(plan), data)
    assert sorted(Task.objects.filter(plan=plan).values_list("code", flat=True)) == ["1", "3"]


def test_an_error_keeps_what_the_user_typed_and_saves_nothing(login, world, plan):
    client = login(world.focal_p)
    _, data = reviewed(client, plan)
    data["form-0-title"] = "Nội dung đã sửa tay"
    data["form-2-deadline"] = ""
    response = client.post(review_url(plan), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nhập thời hạn (dd/mm/yyyy), hoặc chọn định kỳ hay “Thường xuyên”." in page and "Nội dung đã sửa tay" in page
    assert Task.objects.count() == 0 and StagedFile.objects.count() == 1


def test_the_imports_own_checks_land_on_the_task_they_are_about(login, world, plan):
    client = login(world.focal_p)
    _, data = reviewed(client, plan)
    data["form-2-deadline"] = "15/01/2025"  # after the plan's period
    response = client.post(review_url(plan), data)
    errors = response.context["formset"].forms[2].errors
    assert "nằm ngoài thời gian của kế hoạch" in errors["deadline"][0]
    assert Task.objects.count() == 0 and StagedFile.objects.count() == 1


def test_an_exe_named_docx_is_refused_with_a_message_and_nothing_staged(login, world, plan):
    exe = SimpleUploadedFile("ke-hoach.docx", b"MZ\x90\x00" + b"\x00" * 2000, content_type="application/msword")
    response = login(world.focal_p).post(form_url(plan), {"file": exe})
    assert response.status_code == 200
    assert "Kế hoạch nhận ở dạng Word (.docx)" in response.content.decode()
    assert counts() == (0, 0, 0)


def test_an_empty_file_is_refused(login, world, plan):
    response = login(world.focal_p).post(form_url(plan), {"file": SimpleUploadedFile("ke-hoach.txt", b"")})
    assert "Văn bản trống" in response.content.decode() and counts() == (0, 0, 0)


def test_a_huge_text_is_refused_and_kept_in_the_form(login, world, plan):
    text = "Nhiệm vụ rà soát. " * 120_000
    response = login(world.focal_p).post(form_url(plan), {"text": text})
    assert "Văn bản quá dài" in response.content.decode()
    assert response.context["form"]["text"].value() == text and counts() == (0, 0, 0)


def test_neither_a_file_nor_text_is_asked_for_again(login, world, plan):
    response = login(world.focal_p).post(form_url(plan), {"text": "  "})
    assert "Hãy chọn tệp kế hoạch hoặc dán nội dung kế hoạch." in response.content.decode()


def test_a_review_without_a_valid_token_goes_back_to_the_plan(login, world, plan):
    response = login(world.focal_p).get(f"{review_url(plan)}?token=not-a-token", follow=True)
    assert GONE in response.content.decode()


def test_a_token_works_only_for_its_user(login, client, world, plan):
    token = upload_text(login(world.focal_p), plan)
    response = login(world.chair_p).get(f"{review_url(plan)}?token={token}")
    assert response.status_code == 302 and StagedFile.objects.count() == 1


def test_an_outsider_gets_404_on_every_page(login, world, plan):
    client = login(world.outsider)
    for url in (form_url(plan), review_url(plan)):
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "1. Nhiệm vụ"}).status_code == 404


def test_an_officer_who_sees_the_plan_may_not_import(login, world, plan):
    assert login(world.officer_a1).get(form_url(plan)).status_code in (403, 404)


def test_anonymous_visitors_are_sent_to_log_in(client, plan):
    for url in (form_url(plan), review_url(plan)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_the_plan_page_links_to_the_document_import_for_managers_only(login, world, plan):
    plan_url = reverse("plans:plan", args=[plan.pk])
    assert form_url(plan) in login(world.focal_p).get(plan_url).content.decode()
    assert form_url(plan) not in login(world.officer_a1).get(plan_url).content.decode()


# The parent task a task implements --------------------------------------------------------------------------------


@pytest.fixture
def child(world, units, plan):
    # the province's own task 2, as its plan words it (the department's document repeats it)
    title = (
        "Cắt giảm, đơn giản hóa TTHC nội bộ giữa các cơ quan hành chính nhà nước (TTHC nội bộ nhóm A): Tiếp tục rà "
        "soát, công bố bổ sung danh mục TTHC nội bộ nhóm A thuộc phạm vi quản lý"
    )
    parent_task = factories.task(plan, units["office"], code="2", title=title)
    child_plan = factories.plan(world.units["P-A"], title="Kế hoạch CCHC của P-A", year=2024, parent_plan=plan)
    return child_plan, parent_task


def test_a_task_may_implement_only_a_task_of_the_parent_plan(world, units, plan, child):
    child_plan, parent_task = child
    task = Task(plan=child_plan, code="1", title="x", lead=world.units["P-A"], implements=parent_task)
    task.clean()
    stranger = factories.task(factories.plan(world.units["P-B"], year=2024), world.units["P-B"])
    task.implements = stranger
    with pytest.raises(ValidationError, match="thuộc kế hoạch cấp trên"):
        task.clean()


def xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Nhiệm vụ", "Chủ trì", "Thời gian", "Nhiệm vụ cấp trên"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "nhiem-vu.xlsx"
    return buffer


def test_the_excel_column_reads_the_parent_task_by_its_stt_or_its_key(world, child):
    child_plan, parent_task = child
    rows = [["1", "Rà soát", "P-A", "30/06/2024", "2"], ["2", "Công bố", "P-A", "30/06/2024", f"NV-{parent_task.pk}"]]
    result = import_tasks(xlsx(rows), plan=child_plan)
    assert result.ok, [str(e) for e in result.errors]
    assert {t.implements for t in Task.objects.filter(plan=child_plan)} == {parent_task}


def test_the_task_table_writes_the_parent_tasks_stt_and_imports_back_unchanged(world, child):
    child_plan, parent_task = child
    factories.task(child_plan, world.units["P-A"], code="1", deadline=date(2024, 6, 30), implements=parent_task)
    data = io.BytesIO(build_workbook(child_plan))
    data.name = "bang.xlsx"
    ws = load_workbook(data)["Nhiệm vụ"]
    assert ws.cell(row=2, column=ws.max_column).value == "2"
    data.seek(0)
    assert import_tasks(data, plan=child_plan, dry_run=True).unchanged == 1


def test_the_excel_column_refuses_a_task_not_in_the_parent_plan(world, child):
    child_plan, _ = child
    result = import_tasks(xlsx([["1", "Rà soát", "P-A", "30/06/2024", "9"]]), plan=child_plan)
    assert [str(e) for e in result.errors] == [
        "Dòng 2, cột E (Nhiệm vụ cấp trên): “9” không phải STT hay mã (NV-…) của nhiệm vụ nào trong kế hoạch cấp "
        f"trên “{child_plan.parent_plan}”."
    ]


def test_the_review_offers_the_parent_plans_tasks_and_saves_the_link(login, world, child):
    child_plan, parent_task = child
    client = login(world.focal_a)
    token = upload_text(client, child_plan)
    response = client.get(f"{review_url(child_plan)}?token={token}")
    forms = response.context["formset"].forms
    assert forms[1].initial["implements"] == str(parent_task.pk)  # “Cắt giảm, đơn giản hóa TTHC nội bộ …”
    data = review_data(response)
    data.update({"form-0-deadline": "30/06/2024", "form-2-deadline": "31/12/2024"})
    for i in range(3):
        data[f"form-{i}-lead"] = "P-A"  # the department leads its own tasks
    assert client.post(review_url(child_plan), data).status_code == 302
    assert Task.objects.get(plan=child_plan, code="2").implements == parent_task


def test_a_word_document_is_staged_and_read_again_on_the_review_page(login, world, plan):
    from docx import Document

    document = Document()
    for line in QD_258.splitlines():
        document.add_paragraph(line)
    data = io.BytesIO()
    document.save(data)
    upload = SimpleUploadedFile("qd-258.docx", data.getvalue())
    client = login(world.focal_p)
    response = client.post(form_url(plan), {"file": upload})
    assert response.status_code == 302
    assert StagedFile.objects.get().file.name.endswith(".docx")
    review = client.get(response["Location"])
    assert len(review.context["tasks"]) == 3 and "258/QĐ-UBND" in review.content.decode()


def test_a_pdf_with_a_text_layer_is_staged_and_read_again_on_the_review_page(login, world, plan):
    from tinhgon.plans.tests.test_plan_document_files import pdf_file

    client = login(world.focal_p)
    response = client.post(form_url(plan), {"file": pdf_file(QD_258)})
    assert response.status_code == 302
    assert StagedFile.objects.get().file.name.endswith(".pdf")
    review = client.get(response["Location"])
    assert [t["task"].number for t in review.context["tasks"]] == ["1", "2", "3"]


def test_a_unit_of_another_province_sent_by_hand_is_refused(login, world, plan):
    client = login(world.focal_p)
    _, data = reviewed(client, plan)
    data["form-0-lead"] = "Q-A"
    response = client.post(review_url(plan), data)
    assert "lead" in response.context["formset"].forms[0].errors and Task.objects.count() == 0


def test_a_forged_number_of_forms_shows_the_document_again_and_saves_nothing(login, world, plan):
    client = login(world.focal_p)
    _, data = reviewed(client, plan)
    data["form-TOTAL_FORMS"] = "2"
    response = client.post(review_url(plan), data)
    assert response.status_code == 200 and len(response.context["formset"].forms) == 3
    assert Task.objects.count() == 0


AREAS = """KẾ HOẠCH
Cải cách hành chính năm 2026
I. MỤC TIÊU
1. Nâng cao chất lượng phục vụ.
II. NHIỆM VỤ
1. Cải cách thủ tục hành chính
a) Rà soát, đơn giản hóa thủ tục hành chính nội bộ.
- Cơ quan chủ trì: Sở Tư pháp.
- Thời gian hoàn thành: Quý II/2026.
2. Cải cách tổ chức bộ máy
a) Sắp xếp các phòng chuyên môn.
- Cơ quan chủ trì: Văn phòng Ủy ban nhân dân tỉnh.
- Thời gian hoàn thành: Tháng 9/2026.
"""


def test_the_group_headings_give_the_tasks_below_them_their_reform_area(login, world, units):
    plan = factories.plan(world.units["P"])
    client = login(world.focal_p)
    response = client.get(f"{review_url(plan)}?token={upload_text(client, plan, AREAS)}")
    assert client.post(review_url(plan), review_data(response)).status_code == 302
    areas = dict(Task.objects.filter(plan=plan).values_list("code", "area__name"))
    assert areas == {"II.1.a": "Cải cách thủ tục hành chính", "II.2.a": "Cải cách tổ chức bộ máy"}
