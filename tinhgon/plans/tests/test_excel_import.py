"""Importing a plan's task table from Excel: the parser, the all-or-nothing import and the upload → preview →
confirm views."""

import io
from datetime import date, datetime

from django.urls import reverse

import pytest
from openpyxl import Workbook, load_workbook

from tinhgon.core import workbooks
from tinhgon.core.models import ALREADY_CLAIMED, StagedFile
from tinhgon.core.tests.corpus import entries
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.tests.factories import OrganisationFactory
from tinhgon.plans.constants import AssignmentRole, ExecutingRule, Recurrence
from tinhgon.plans.excel_import import build_template, build_workbook, import_tasks, parse_time, parse_workbook
from tinhgon.plans.models import Assignment, Task
from tinhgon.plans.tests import factories
from tinhgon.procedures.tests.excel_fixtures import encrypted_ole2, upload, zip_bomb
from tinhgon.test import download_names

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tinhgon.plans.tests.urls_import")]

HEADERS = ["STT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thực hiện", "Thời gian", "Sản phẩm"]
SINCE = date(2020, 1, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def depts(world):
    """Departments of P with real names (the world's are “Đơn vị P-A” …)."""
    p = world.units["P"]

    def dept(code, name, **extra):
        return OrganisationFactory(code=code, name=name, kind=Organisation.Kind.DEPARTMENT, parent=p, **extra)

    return {
        "TP": dept("P-TP", "Sở Tư pháp", short_name="STP"),
        "NV": dept("P-NV", "Sở Nội vụ"),
        "VH": dept("P-VH", "Sở Văn hóa, Thể thao và Du lịch"),
    }


@pytest.fixture
def plan_p(world):
    return factories.plan(world.units["P"])


@pytest.fixture
def plan_a(world):
    return factories.plan(world.units["P-A"], title="Kế hoạch CCHC của Đơn vị P-A năm 2026")


def xlsx(rows, headers=HEADERS, title_rows=()) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    for row in title_rows:
        ws.append(row)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


GOOD_ROWS = [
    ["I", "CẢI CÁCH THỂ CHẾ"],
    [
        "1",
        "Rà soát, đơn giản hóa thủ tục hành chính nội bộ",
        "Sở Tư pháp",
        "Sở Văn hóa, Thể thao và Du lịch, Sở Nội vụ",
        "Các sở, ban, ngành; UBND các xã, phường",
        "30/06/2026",
        "Báo cáo kết quả rà soát",
    ],
    ["2", "Báo cáo định kỳ tình hình CCHC", "so tu phap", "", "", "Hằng quý, trước ngày 15", "Báo cáo quý"],
    ["3", "Cập nhật danh mục thủ tục", "P-A", "STP", "Đơn vị P-A-1\nĐơn vị P-B", "Quý II/2026", ""],
    ["4", "Tập huấn nghiệp vụ", "Đơn vị P-VP", "", "", date(2026, 9, 30), "Hội nghị"],  # an Excel date cell
    ["5", "Kiểm tra công tác CCHC", "Đơn vị P-VP", "", "UBND các xã, phường", "Trong năm 2026", ""],
]


def messages(result) -> list[str]:
    return [str(e) for e in result.errors]


def written() -> tuple[int, int]:
    return Task.objects.count(), Assignment.objects.count()


# Good files ------------------------------------------------------------------------------------------------------


def test_a_good_file_creates_tasks_and_assignments(world, depts, plan_p):
    result = import_tasks(xlsx(GOOD_ROWS), plan=plan_p, by=world.focal_p)
    assert result.ok, messages(result)
    assert (result.created, result.updated, result.skipped) == (5, 0, 1)
    assert result.summary() == "Đã tạo mới 5, cập nhật 0, không thay đổi 0 nhiệm vụ (5 dòng, bỏ qua 1 dòng)."
    tasks = {t.code: t for t in plan_p.tasks.all()}
    assert list(tasks) == ["1", "2", "3", "4", "5"]
    assert [t.order for t in tasks.values()] == [1, 2, 3, 4, 5]

    first = tasks["1"]
    assert first.title == "Rà soát, đơn giản hóa thủ tục hành chính nội bộ"
    assert first.lead == depts["TP"]
    assert set(first.coordinating.all()) == {depts["VH"], depts["NV"]}
    assert first.executing_rule == ExecutingRule.DEPARTMENTS_AND_COMMUNES
    assert first.deadline == date(2026, 6, 30) and first.recurrence == ""
    assert first.product == "Báo cáo kết quả rà soát"
    roles = {(a.organisation.code, a.role) for a in first.assignments.select_related("organisation")}
    assert roles == {
        ("P-TP", AssignmentRole.LEAD),
        ("P-VH", AssignmentRole.COORDINATING),
        ("P-NV", AssignmentRole.COORDINATING),
        ("P-A", AssignmentRole.EXECUTING),
        ("P-B", AssignmentRole.EXECUTING),
        ("P-X", AssignmentRole.EXECUTING),
    }
    assert {a.due_on for a in first.assignments.all()} == {date(2026, 6, 30)}

    quarterly = tasks["2"]
    assert (quarterly.lead, quarterly.recurrence, quarterly.recurrence_day) == (depts["TP"], Recurrence.QUARTERLY, 15)
    assert quarterly.deadline is None
    assert sorted(a.due_on for a in quarterly.assignments.all()) == [
        date(2026, 3, 15),
        date(2026, 6, 15),
        date(2026, 9, 15),
        date(2026, 12, 15),
    ]

    third = tasks["3"]
    assert third.lead == world.units["P-A"]
    assert list(third.coordinating.all()) == [depts["TP"]]  # by short name
    assert set(third.executing.all()) == {world.units["P-A-1"], world.units["P-B"]}
    assert third.deadline == date(2026, 6, 30)
    assert tasks["4"].deadline == date(2026, 9, 30)  # an Excel date cell
    assert tasks["5"].deadline == date(2026, 12, 31)
    assert tasks["5"].executing_rule == ExecutingRule.COMMUNES


def test_the_preview_writes_nothing_and_lists_every_row(world, depts, plan_p):
    result = import_tasks(xlsx(GOOD_ROWS), plan=plan_p, dry_run=True)
    assert result.ok
    assert written() == (0, 0)
    row = result.rows[1]
    assert (row.code, row.lead.name, row.coordinating_label, row.time_label, row.action_label) == (
        "1",
        "Sở Tư pháp",
        "Sở Văn hóa, Thể thao và Du lịch; Sở Nội vụ",
        "30/06/2026",
        "tạo mới",
    )
    assert "Các sở, ban, ngành và UBND các xã, phường" in row.executing_label
    assert result.rows[2].time_label == "Hằng quý, trước ngày 15"
    assert result.rows[0].action_label == "bỏ qua: tiêu đề nhóm"


def test_reimporting_the_plans_task_table_updates_tasks_by_key_without_duplicates(world, depts, plan_p):
    assert import_tasks(xlsx(GOOD_ROWS), plan=plan_p).ok
    before = written()
    again = import_tasks(io.BytesIO(build_workbook(plan_p)), plan=plan_p)
    assert again.ok, messages(again)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert written() == before

    wb = load_workbook(io.BytesIO(build_workbook(plan_p)))
    ws = wb["Nhiệm vụ"]
    ws["B2"], ws["D2"] = "Rà soát thủ tục hành chính nội bộ (sửa)", "Sở Nội vụ"
    ws.append(["6", "Nhiệm vụ mới", "Sở Nội vụ", "", "", "31/12/2026", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    changed = import_tasks(buffer, plan=plan_p)
    assert changed.ok, messages(changed)
    assert (changed.created, changed.updated, changed.unchanged) == (1, 1, 4)
    assert Task.objects.filter(plan=plan_p).count() == 6
    task = plan_p.tasks.get(code="1")
    assert task.title == "Rà soát thủ tục hành chính nội bộ (sửa)"
    assert list(task.coordinating.all()) == [depts["NV"]]
    # no longer coordinating, but still a department named by the executing rule
    assert task.assignments.get(organisation=depts["VH"]).role == AssignmentRole.EXECUTING


def test_a_keyless_row_never_updates_the_task_with_its_stt(world, depts, plan_p):
    assert import_tasks(xlsx(GOOD_ROWS), plan=plan_p).ok
    before = written()
    result = import_tasks(xlsx(GOOD_ROWS[:2]), plan=plan_p)
    assert messages(result) == [
        "Dòng 3, cột A (STT): STT “1” là của nhiệm vụ “Rà soát, đơn giản hóa thủ tục hành chính nội bộ” đã có trong "
        "kế hoạch (không có trong tệp). Dòng không có Mã nhiệm vụ luôn là nhiệm vụ mới: để sửa nhiệm vụ đã có, hãy "
        "tải “Bảng nhiệm vụ hiện có” của kế hoạch và sửa trên tệp đó; hoặc đổi STT."
    ]
    assert written() == before


def test_headers_are_matched_folded_and_extra_columns_and_title_rows_are_allowed(world, depts, plan_p):
    headers = ["stt", "Ghi chú", "NHIEM VU", "Cơ quan chủ trì", "phoi hop", "Thời gian hoàn thành"]
    rows = [["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"], ["1", "x", "Nhiệm vụ", "Sở Tư pháp", "", "Tháng 3/2026"]]
    result = import_tasks(xlsx(rows, headers, title_rows=[["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026"], []]), plan=plan_p)
    assert result.ok, messages(result)
    task = plan_p.tasks.get()
    assert (task.title, task.lead, task.deadline) == ("Nhiệm vụ", depts["TP"], date(2026, 3, 31))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/06/2026", (date(2026, 6, 15), "", None)),
        ("Trước ngày 30/6/2026", (date(2026, 6, 30), "", None)),
        (datetime(2026, 5, 1, 0, 0), (date(2026, 5, 1), "", None)),  # noqa: DTZ001 (Excel cells are naive)
        ("Hằng tháng", (None, Recurrence.MONTHLY, None)),
        ("hàng quý", (None, Recurrence.QUARTERLY, None)),
        ("6 tháng", (None, Recurrence.HALF_YEARLY, None)),
        ("Hằng năm, trước ngày 20 tháng 12", (None, Recurrence.YEARLY, 20)),
        ("Năm 2026", (date(2026, 12, 31), "", None)),
        ("Trong năm 2026", (date(2026, 12, 31), "", None)),
        ("Quý II/2026", (date(2026, 6, 30), "", None)),
        ("Quý IV năm 2026", (date(2026, 12, 31), "", None)),
        ("Thường xuyên", (None, "", None)),  # a regular task, as a plan's appendix prints it
        ("thuong xuyen trong nam", (None, "", None)),
    ],
)
def test_time_values(value, expected):
    assert parse_time(value) == expected


@pytest.mark.parametrize("value", ["Thường xuyên nhé", "31/02/2026", "Quý V/2026", "Hằng quý trước ngày 40"])
def test_bad_time_values(value):
    with pytest.raises(ValueError):
        parse_time(value)


# Bad files: a Vietnamese message, nothing written ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"STT,Nhiem vu\n1,Ra soat\n", "không phải bảng tính Excel (.xlsx)"),
        (b"", "Tệp rỗng"),
        (encrypted_ole2(), "đặt mật khẩu (mã hóa)"),
        (zip_bomb(), "bom nén"),
    ],
)
def test_unsafe_or_wrong_files_are_refused(world, plan_p, data, expected):
    result = import_tasks(io.BytesIO(data), plan=plan_p)
    assert not result.ok and expected in messages(result)[0]
    assert written() == (0, 0)


def test_a_workbook_over_the_row_limit_is_refused_before_parsing(world, depts, plan_p, settings, monkeypatch):
    settings.TINHGON_IMPORT_MAX_ROWS = 3  # the header and two rows
    monkeypatch.setattr(workbooks, "open_workbook", None)  # parsing would fail loudly
    result = import_tasks(xlsx(GOOD_ROWS[:3]), plan=plan_p)
    assert "Sheet “Nhiệm vụ” có hơn 3 dòng" in messages(result)[0]
    assert result.rows == [] and written() == (0, 0)


def test_missing_mandatory_headers_are_named(world, depts, plan_p):
    result = import_tasks(xlsx([["1", "Nhiệm vụ", "Sở Nội vụ"]], ["STT", "Nhiệm vụ", "Đơn vị", "Hạn"]), plan=plan_p)
    assert messages(result) == [
        "Dòng 1: thiếu cột bắt buộc: “Chủ trì”, “Thời gian”. Dòng tiêu đề phải có các cột STT, Nhiệm vụ, Chủ trì, "
        "Thời gian (Phối hợp, Thực hiện, Sản phẩm nếu có); hãy dùng mẫu nhập của hệ thống."
    ]
    assert written() == (0, 0)


def test_an_unknown_unit_is_reported_with_suggestions_and_nothing_is_written(world, depts, plan_p):
    rows = [
        ["1", "Nhiệm vụ một", "Sở Tư pháp", "", "", "30/06/2026", ""],
        ["2", "Nhiệm vụ hai", "Sở Tư pháp", "", "", "30/06/2026", ""],
        ["3", "Nhiệm vụ ba", "Sở Tư pháp", "", "", "30/06/2026", ""],
        ["4", "Nhiệm vụ bốn", "Sở Nội vụ", "Sở Tư phá", "", "30/06/2026", ""],
        ["5", "Nhiệm vụ năm", "Cục Hải quan", "", "", "30/06/2026", ""],
    ]
    result = import_tasks(xlsx(rows), plan=plan_p)
    assert messages(result) == [
        "Dòng 5, cột D (Phối hợp): không tìm thấy đơn vị “Sở Tư phá” — có phải: Sở Tư pháp?",
        "Dòng 6, cột C (Chủ trì): không tìm thấy đơn vị “Cục Hải quan” trong Đơn vị P; hãy ghi đúng tên, tên viết tắt "
        "hoặc mã đơn vị đang hoạt động.",
    ]
    assert written() == (0, 0)


def test_names_match_without_diacritics_or_case(world, depts, plan_p):
    rows = [["1", "Nhiệm vụ", "SO TU PHAP", "Sở Tư phap; sở nội vụ", "", "30/06/2026", ""]]
    result = import_tasks(xlsx(rows), plan=plan_p)
    assert result.ok, messages(result)
    assert (result.rows[0].lead, result.rows[0].coordinating) == (depts["TP"], [depts["TP"], depts["NV"]])


def test_units_outside_the_province_or_closed_are_not_found(world, depts, plan_p):
    OrganisationFactory(code="P-OLD", name="Sở Cũ", parent=world.units["P"], valid_to=date(2024, 12, 31))
    rows = [["1", "Nhiệm vụ", "Đơn vị Q-A", "Sở Cũ", "", "30/06/2026", ""]]
    result = import_tasks(xlsx(rows), plan=plan_p)
    assert [(e.row, e.header) for e in result.errors] == [(2, "Chủ trì"), (2, "Phối hợp")]
    assert "không tìm thấy đơn vị “Đơn vị Q-A”" in messages(result)[0]


def test_rules_only_in_the_executing_column_and_one_lead(world, depts, plan_p):
    rows = [["1", "Nhiệm vụ", "Sở Tư pháp; Sở Nội vụ", "Các sở, ban, ngành", "", "30/06/2026", ""]]
    assert messages(import_tasks(xlsx(rows), plan=plan_p)) == [
        "Dòng 2, cột C (Chủ trì): chỉ ghi một đơn vị chủ trì (đang có 2: Sở Tư pháp; Sở Nội vụ); các đơn vị khác ghi ở "
        "cột Phối hợp.",
        "Dòng 2, cột D (Phối hợp): “Các sở, ban, ngành” chỉ dùng được ở cột Thực hiện; ở cột này hãy ghi tên từng "
        "đơn vị.",
    ]


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        ("Sớm", "Dòng 2, cột F (Thời gian): không hiểu thời gian “Sớm”; ghi một ngày dd/mm/yyyy"),
        ("31/02/2026", "Dòng 2, cột F (Thời gian): “31/02/2026” không phải là ngày có thật"),
        (None, "Dòng 2, cột F (Thời gian): ô bắt buộc, chưa nhập"),
        (
            "15/01/2027",
            "Dòng 2, cột F (Thời gian): thời hạn 15/01/2027 nằm ngoài thời gian của kế hoạch "
            "(01/01/2026 – 31/12/2026).",
        ),
        ("Quý I/2025", "Dòng 2, cột F (Thời gian): thời hạn 31/03/2025 nằm ngoài thời gian của kế hoạch"),
    ],
)
def test_bad_time_is_refused(world, depts, plan_p, time, expected):
    rows = [
        ["1", "Nhiệm vụ", "Sở Tư pháp", "", "", time, ""],
        ["2", "Nhiệm vụ tốt", "Sở Tư pháp", "", "", "30/06/2026", ""],
    ]
    result = import_tasks(xlsx(rows), plan=plan_p)
    assert len(result.errors) == 1 and messages(result)[0].startswith(expected)
    assert written() == (0, 0)


def test_duplicate_stt_is_refused(world, depts, plan_p):
    rows = [
        ["1", "Nhiệm vụ một", "Sở Tư pháp", "", "", "30/06/2026", ""],
        ["2", "Nhiệm vụ hai", "Sở Tư pháp", "", "", "30/06/2026", ""],
        ["1", "Nhiệm vụ ba", "Sở Tư pháp", "", "", "30/06/2026", ""],
    ]
    result = import_tasks(xlsx(rows), plan=plan_p)
    assert messages(result) == ["Dòng 4, cột A (STT): STT “1” trùng với dòng 2; mỗi nhiệm vụ một STT."]
    assert written() == (0, 0)


def test_every_error_is_reported_and_an_empty_table_is_refused(world, depts, plan_p):
    rows = [["", "", "Sở X", "", "", "Sớm", ""]]
    assert [(e.row, e.header) for e in import_tasks(xlsx(rows), plan=plan_p).errors] == [
        (2, "STT"),
        (2, "Nhiệm vụ"),
        (2, "Chủ trì"),
        (2, "Thời gian"),
    ]
    assert messages(import_tasks(xlsx([]), plan=plan_p)) == [
        "Tệp không có dòng nhiệm vụ nào (dữ liệu bắt đầu từ dòng 2)."
    ]


def test_an_ambiguous_name_asks_for_the_code(world, plan_p):
    for code in ("P-A-VP", "P-B-VP"):
        parent = world.units[code[:3]]
        OrganisationFactory(code=code, name="Văn phòng", kind=Organisation.Kind.DEPARTMENT_UNIT, parent=parent)
    rows = [["1", "Nhiệm vụ", "Văn phòng", "", "", "30/06/2026", ""]]
    assert messages(import_tasks(xlsx(rows), plan=plan_p)) == [
        "Dòng 2, cột C (Chủ trì): có nhiều đơn vị tên “Văn phòng” (mã P-A-VP, P-B-VP); hãy ghi mã đơn vị."
    ]
    rows[0][2] = "P-B-VP"
    assert import_tasks(xlsx(rows), plan=plan_p).ok


def test_template_has_the_headers_an_example_and_instructions(world):
    wb = load_workbook(io.BytesIO(build_template()))
    assert wb.sheetnames == ["Nhiệm vụ", "Hướng dẫn"]
    ws = wb["Nhiệm vụ"]
    assert [c.value for c in ws[1]] == [*HEADERS, "Mã nhiệm vụ", "Ngày hoàn thành", "Nhiệm vụ cấp trên"]
    assert ws["A2"].value == "1" and ws["C2"].value == "Sở Tư pháp" and ws["H2"].value == "VÍ DỤ"
    help_text = " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "Hằng quý" in help_text and "tất cả hoặc không" in help_text


# Views -----------------------------------------------------------------------------------------------------------


def import_url(plan):
    return reverse("plans:task-import", args=[plan.pk])


def confirm_url(plan):
    return reverse("plans:task-import-confirm", args=[plan.pk])


def test_upload_preview_confirm(login, world, depts, plan_p):
    client = login(world.focal_p)
    assert client.get(import_url(plan_p)).status_code == 200
    response = client.post(import_url(plan_p), {"file": upload(xlsx(GOOD_ROWS).getvalue(), "nhiem-vu.xlsx")})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Xác nhận nhập" in page and "Sở Nội vụ; Sở Văn hóa, Thể thao và Du lịch" in page
    assert "Hằng quý, trước ngày 15" in page and "tạo mới" in page
    assert written() == (0, 0)
    token = response.context["token"]
    assert StagedFile.objects.get(token=token).target == str(plan_p.pk)

    response = client.post(confirm_url(plan_p), {"token": token})
    assert response.status_code == 302
    assert Task.objects.filter(plan=plan_p).count() == 5
    assert not StagedFile.objects.exists()
    again = client.post(confirm_url(plan_p), {"token": token}, follow=True)  # used once
    assert ALREADY_CLAIMED in again.content.decode() and Task.objects.filter(plan=plan_p).count() == 5


def test_a_bad_file_shows_its_errors_and_cannot_be_confirmed(login, world, depts, plan_p):
    client = login(world.focal_p)
    rows = [*GOOD_ROWS[:3], ["4", "Nhiệm vụ", "Sở Nội vụ", "Sở Tư phá", "", "30/06/2026", ""]]
    response = client.post(import_url(plan_p), {"file": upload(xlsx(rows).getvalue())})
    page = response.content.decode()
    assert "không tìm thấy đơn vị “Sở Tư phá” — có phải: Sở Tư pháp?" in page
    assert "Xác nhận nhập" not in page and response.context["token"] == ""
    assert not StagedFile.objects.exists()


def test_a_refused_file_is_reported_on_the_form(login, world, plan_p):
    response = login(world.focal_p).post(import_url(plan_p), {"file": upload(b"a;b\n", "nhiem-vu.csv")})
    assert response.status_code == 200
    assert "không phải bảng tính Excel (.xlsx)" in response.content.decode()
    assert written() == (0, 0)


def test_a_row_bomb_is_refused_before_anything_is_staged(login, world, plan_p, media):
    bomb = next(item for item in entries() if item.id == "row_bomb.xlsx")
    response = login(world.focal_p).post(import_url(plan_p), {"file": bomb.upload()})
    assert "có hơn 20.000 dòng" in response.content.decode()
    assert not StagedFile.objects.exists() and not any(path.is_file() for path in media.rglob("*"))
    assert written() == (0, 0)


def test_a_token_works_only_for_its_plan_and_user(login, client, world, depts, plan_p):
    other = factories.plan(world.units["P"], title="Kế hoạch khác")
    login(world.focal_p)
    token = client.post(import_url(plan_p), {"file": upload(xlsx(GOOD_ROWS).getvalue())}).context["token"]
    assert client.post(confirm_url(other), {"token": token}).status_code == 302  # nothing claimed
    assert client.post(confirm_url(plan_p), {"token": "not-a-token"}).status_code == 302
    login(world.chair_p)  # another user: the staged file is not theirs
    assert client.post(confirm_url(plan_p), {"token": token}).status_code == 302
    assert written() == (0, 0) and StagedFile.objects.count() == 1


def test_managers_of_the_issuer_may_import(login, world, plan_a):
    for user in (world.focal_a, world.leader_a, world.chair_p):
        assert login(user).get(import_url(plan_a)).status_code == 200


def test_outsiders_get_404_and_wrong_roles_403(login, client, world, depts, plan_p, plan_a):
    login(world.outsider)
    assert client.get(import_url(plan_p)).status_code == 404
    assert client.post(import_url(plan_p), {"file": upload(xlsx(GOOD_ROWS).getvalue())}).status_code == 404
    assert client.post(confirm_url(plan_p), {"token": "x"}).status_code == 404
    assert client.get(reverse("plans:task-import-template")).status_code == 403
    login(world.oversight)  # sees every plan of P but does not manage them
    assert client.get(import_url(plan_a)).status_code == 403
    assert client.post(import_url(plan_a), {"file": upload(xlsx(GOOD_ROWS).getvalue())}).status_code == 403
    factories.task(plan_p, world.units["P-A"])  # P-A is assigned a task of P's plan: focal_a sees it, cannot import
    login(world.focal_a)
    assert client.get(import_url(plan_p)).status_code == 403
    login(world.officer_a1)  # plans of P-A are above P-A-1's reach
    assert client.get(import_url(plan_a)).status_code == 404
    assert written() == (1, 1)


def test_login_required_and_template_download(client, login, world):
    url = reverse("plans:task-import-template")
    assert client.get(url).status_code == 302
    response = login(world.focal_a).get(url)
    assert response.status_code == 200
    assert download_names(response) == ("Mẫu nhập nhiệm vụ.xlsx", "Mau nhap nhiem vu.xlsx")
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Nhiệm vụ", "Hướng dẫn"]


def test_parse_workbook_alone_writes_nothing(world, depts, plan_p):
    assert parse_workbook(xlsx(GOOD_ROWS), plan=plan_p).ok
    assert written() == (0, 0)


def test_a_regular_task_is_exported_as_thuong_xuyen_and_imports_back_unchanged(world, plan_p):
    task = factories.task(plan_p, world.units["P-A"], code="1", deadline=None)
    data = io.BytesIO(build_workbook(plan_p))
    ws = load_workbook(data)["Nhiệm vụ"]
    time_column = [c.value for c in ws[1]].index("Thời gian") + 1
    assert ws.cell(row=2, column=time_column).value == "Thường xuyên"
    data.seek(0)
    result = import_tasks(data, plan=plan_p)
    assert result.ok and result.unchanged == 1
    task.refresh_from_db()
    assert (task.deadline, task.recurrence) == (None, "")
