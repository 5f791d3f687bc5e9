"""A plan's task table round trip (issue 14 item 4): tasks are matched on the key the file carries, never on STT;
the template's example row is never imported; renumbering rewrites no other task; the preview shows each change as
before → after."""

import io

from django.urls import reverse

import pytest
from openpyxl import load_workbook

from tinhgon.audit.display import action_label, object_names
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.formatting import EXCEL_DATE
from tinhgon.core.imports import SKIPPED, UNCHANGED, UPDATE, Change
from tinhgon.plans.excel_import import build_template, build_workbook, import_tasks, parse_workbook
from tinhgon.plans.models import Task
from tinhgon.plans.tests.test_excel_import import GOOD_ROWS, HEADERS, depts, plan_p, xlsx  # noqa: F401 (fixtures)
from tinhgon.procedures.tests.excel_fixtures import upload

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tinhgon.plans.tests.urls_import")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def imported(world, depts, plan_p):  # noqa: F811
    assert import_tasks(xlsx(GOOD_ROWS), plan=plan_p, by=world.focal_p).ok
    return {t.code: t for t in plan_p.tasks.all()}


def saved(wb) -> io.BytesIO:
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def snapshot(plan):
    return sorted(plan.tasks.values_list("pk", "code", "title", "lead_id", "deadline", "recurrence", "product"))


def test_the_task_table_imports_back_unchanged_and_writes_nothing(world, plan_p, imported):  # noqa: F811
    data = build_workbook(plan_p)
    ws = load_workbook(io.BytesIO(data))["Nhiệm vụ"]
    assert [c.value for c in ws[1]] == [*HEADERS, "Mã nhiệm vụ", "Ngày hoàn thành", "Nhiệm vụ cấp trên"]
    assert [r[7].value for r in ws.iter_rows(min_row=2)] == [f"NV-{imported[c].pk}" for c in "12345"]
    assert ws["F2"].value.date() == imported["1"].deadline and ws["F2"].number_format == EXCEL_DATE
    preview = parse_workbook(io.BytesIO(data), plan=plan_p)
    assert preview.ok, [str(e) for e in preview.errors]
    assert [(r.action, r.changes) for r in preview.rows] == [(UNCHANGED, [])] * 5
    entries = AuditLogEntry.objects.count()
    assert import_tasks(io.BytesIO(data), plan=plan_p, by=world.focal_p).ok
    assert AuditLogEntry.objects.count() == entries


def test_the_templates_example_row_left_in_the_file_is_never_imported(world, plan_p, imported):  # noqa: F811
    """The measured failure: the example row (STT 1) left in a file overwrote task 1."""
    wb = load_workbook(io.BytesIO(build_template()))
    ws = wb["Nhiệm vụ"]
    ws.append(["6", "Nhiệm vụ mới thật", "Sở Nội vụ", "", "", "31/12/2026", "", ""])
    before = snapshot(plan_p)
    preview = parse_workbook(saved(wb), plan=plan_p)
    assert preview.ok, [str(e) for e in preview.errors]
    example, new = preview.rows
    assert (example.row, example.action, example.action_label) == (2, SKIPPED, "bỏ qua: dòng ví dụ của mẫu")
    assert (new.code, new.action) == ("6", "create")
    assert preview.summary() == (
        "Chạy thử (chưa ghi gì): sẽ tạo mới 1, cập nhật 0, không thay đổi 0 nhiệm vụ (1 dòng, bỏ qua 1 dòng)."
    )
    result = import_tasks(saved(wb), plan=plan_p, by=world.focal_p)
    assert result.ok and result.created == 1
    assert [t for t in snapshot(plan_p) if t[1] != "6"] == before
    entry = AuditLogEntry.objects.filter(action="plans.task_import.confirmed").latest("pk")  # the fixture's first
    assert entry.object_id == str(plan_p.pk) and entry.changes["tạo mới"] == [None, 1]
    assert action_label(entry.action, object_names()) == "Xác nhận nhập tệp Excel bảng nhiệm vụ"


def test_an_old_templates_example_row_is_recognised_by_its_values(world, plan_p, imported):  # noqa: F811
    example = ["1", "Rà soát, đơn giản hóa thủ tục hành chính nội bộ", "Sở Tư pháp", "Sở Nội vụ; Văn phòng UBND tỉnh"]
    rows = [[*example, "Các sở, ban, ngành; UBND các xã, phường", "Hằng quý, trước ngày 15", "Báo cáo kết quả rà soát"]]
    preview = parse_workbook(xlsx(rows), plan=plan_p)
    assert [(r.action, r.note) for r in preview.rows] == [(SKIPPED, "dòng ví dụ của mẫu")]
    assert preview.errors[0].message == "Tệp không có dòng nhiệm vụ nào (dữ liệu bắt đầu từ dòng 2)."


def test_the_preview_page_says_the_example_row_is_skipped(login, world, depts, plan_p):  # noqa: F811
    wb = load_workbook(io.BytesIO(build_template()))
    wb["Nhiệm vụ"].append(["6", "Nhiệm vụ mới thật", "Sở Nội vụ", "", "", "31/12/2026", "", ""])
    url = reverse("plans:task-import", args=[plan_p.pk])
    html = login(world.focal_p).post(url, {"file": upload(saved(wb).getvalue())}).content.decode()
    assert "bỏ qua: dòng ví dụ của mẫu" in html and "bỏ qua 1 dòng" in html


def test_renumbering_rows_renumbers_those_tasks_only(world, plan_p, imported):  # noqa: F811
    """Swapping STT 1 and 2 and moving 5 to 7 renumbers those three tasks, each keeping its own content."""
    wb = load_workbook(io.BytesIO(build_workbook(plan_p)))
    ws = wb["Nhiệm vụ"]
    ws["A2"], ws["A3"], ws["A6"] = "2", "1", "7"
    preview = parse_workbook(saved(wb), plan=plan_p)
    assert preview.ok, [str(e) for e in preview.errors]
    assert [(r.action, r.changes) for r in preview.rows] == [
        (UPDATE, [Change("STT", "1", "2")]),
        (UPDATE, [Change("STT", "2", "1")]),
        (UNCHANGED, []),
        (UNCHANGED, []),
        (UPDATE, [Change("STT", "5", "7")]),
    ]
    result = import_tasks(saved(wb), plan=plan_p, by=world.focal_p)
    assert result.ok, [str(e) for e in result.errors]
    after = {t.pk: t for t in plan_p.tasks.all()}
    for old_code, new_code in [("1", "2"), ("2", "1"), ("3", "3"), ("4", "4"), ("5", "7")]:
        task, before = after[imported[old_code].pk], imported[old_code]
        assert (task.code, task.title, task.lead_id, task.deadline) == (
            new_code,
            before.title,
            before.lead_id,
            before.deadline,
        )
    entry = AuditLogEntry.objects.for_object(after[imported["1"].pk]).latest("pk")
    assert entry.changes["code"] == ["1", "2"]


def test_a_new_row_may_not_take_the_stt_of_a_task_left_out_of_the_file(world, plan_p, imported):  # noqa: F811
    wb = load_workbook(io.BytesIO(build_workbook(plan_p)))
    wb["Nhiệm vụ"].delete_rows(6)  # task 5 is left as it is
    wb["Nhiệm vụ"].append(["5", "Nhiệm vụ mới", "Sở Nội vụ", "", "", "31/12/2026", "", ""])
    result = import_tasks(saved(wb), plan=plan_p)
    assert [(e.row, e.column) for e in result.errors] == [(6, "A")]
    assert "STT “5” là của nhiệm vụ “Kiểm tra công tác CCHC”" in result.errors[0].message


def test_a_key_of_another_plan_or_a_made_up_key_is_refused(world, plan_p, imported):  # noqa: F811
    other = Task.objects.exclude(plan=plan_p).first() or imported["1"]
    rows = [[*GOOD_ROWS[1], "NV-999999"], [*GOOD_ROWS[2], "abc"]]
    result = import_tasks(xlsx(rows, [*HEADERS, "Mã nhiệm vụ", "Ngày hoàn thành"]), plan=plan_p)
    assert [str(e) for e in result.errors] == [
        "Dòng 3, cột H (Mã nhiệm vụ): “abc” không phải là mã nhiệm vụ do hệ thống ghi (NV-…); dòng nhiệm vụ mới thì "
        "để trống ô này.",
    ]
    result = import_tasks(xlsx(rows[:1], [*HEADERS, "Mã nhiệm vụ", "Ngày hoàn thành"]), plan=plan_p)
    assert [str(e) for e in result.errors] == [
        "Dòng 2, cột H (Mã nhiệm vụ): mã NV-999999 không phải nhiệm vụ của kế hoạch này (tệp của kế hoạch khác, hoặc "
        "nhiệm vụ đã xóa); dòng nhiệm vụ mới thì để trống ô này."
    ]
    assert other.pk


def test_the_preview_shows_each_change_before_and_after(login, world, plan_p, imported):  # noqa: F811
    wb = load_workbook(io.BytesIO(build_workbook(plan_p)))
    ws = wb["Nhiệm vụ"]
    ws["C3"], ws["F3"] = "Sở Nội vụ", "Hằng tháng"
    [row] = [r for r in parse_workbook(saved(wb), plan=plan_p).rows if r.action == UPDATE]
    assert row.changes == [
        Change("Chủ trì", "Sở Tư pháp", "Sở Nội vụ"),
        Change("Thời gian", "Hằng quý, trước ngày 15", "Hằng tháng"),
    ]
    url = reverse("plans:task-import", args=[plan_p.pk])
    html = login(world.focal_p).post(url, {"file": upload(saved(wb).getvalue())}).content.decode()
    assert '<del class="text-danger">Sở Tư pháp</del> → <ins class="text-success">Sở Nội vụ</ins>' in html
    assert html.count(">không thay đổi</span>") == 4


def test_the_task_table_is_for_managers_of_the_plan(login, client, world, plan_p):  # noqa: F811
    url = reverse("plans:task-table", args=[plan_p.pk])
    assert login(world.focal_p).get(url).status_code == 200
    assert login(world.oversight).get(url).status_code == 403
    assert login(world.outsider).get(url).status_code == 404


def test_a_completed_task_exports_its_completion_day_and_imports_back_unchanged(world, plan_p, imported):  # noqa: F811
    from tinhgon.plans import services

    done_on = imported["1"].deadline if imported["1"].deadline <= plan_p.issued_on else plan_p.issued_on
    for part in imported["1"].assignments.all():
        services.assignment_report(assignment=part, progress=100, report="Đã xong", completed_on=done_on)
    data = build_workbook(plan_p)
    ws = load_workbook(io.BytesIO(data))["Nhiệm vụ"]
    assert ws["I2"].value.date() == done_on and ws["I2"].number_format == EXCEL_DATE
    preview = parse_workbook(io.BytesIO(data), plan=plan_p)
    assert preview.ok and [r.action for r in preview.rows] == [UNCHANGED] * 5
