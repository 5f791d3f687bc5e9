import io
import zipfile
from datetime import date
from decimal import Decimal

from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from tinhgon.audit import context as audit
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core import uploads, workbooks
from tinhgon.core.dates import today
from tinhgon.core.models import ALREADY_CLAIMED, StagedFile
from tinhgon.core.tests.corpus import entries
from tinhgon.core.uploads import UploadRefused, check_workbook
from tinhgon.procedures import excel
from tinhgon.procedures.constants import Status
from tinhgon.procedures.excel import build_template, import_procedures, parse_workbook
from tinhgon.procedures.models import Field, Procedure, ProcedureVersion
from tinhgon.procedures.tests.excel_fixtures import (
    HEADERS,
    encrypted_ole2,
    good_row,
    png_bytes,
    upload,
    workbook_bytes,
    xlsx,
    zip_bomb,
)
from tinhgon.procedures.tests.factories import complete_components, make_procedure
from tinhgon.test import download_names

pytestmark = pytest.mark.django_db

IMPORT = reverse("procedures:import")
CONFIRM = reverse("procedures:import-confirm")
TEMPLATE = reverse("procedures:import-template")
EXPORT = reverse("procedures:export")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def messages(result) -> list[str]:
    return [str(e) for e in result.errors]


def state() -> tuple[int, int, int]:
    return Procedure.objects.count(), ProcedureVersion.objects.count(), AuditLogEntry.objects.count()


# Template --------------------------------------------------------------------------------------------------------


def test_template_has_headers_dropdowns_and_instructions(world):
    Field.objects.create(code="cu", name="Lĩnh vực cũ", is_active=False)
    wb = load_workbook(io.BytesIO(build_template()))
    assert wb.sheetnames[0] == "Thủ tục"
    ws = wb["Thủ tục"]
    assert [c.value for c in ws[1]] == HEADERS
    assert "Tên thủ tục*" in HEADERS and "Lĩnh vực*" in HEADERS
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert ws.column_dimensions["C"].width == 45

    lists = wb["Danh mục"]
    assert lists.sheet_state == "hidden"
    names = [c.value for c in lists["A"][1:] if c.value]
    assert "Thi đua - Khen thưởng" in names and "Lĩnh vực cũ" not in names
    assert [c.value for c in lists["B"][1:] if c.value] == [
        "Cấp trung ương",
        "Cấp tỉnh",
        "Cấp huyện (trước 01/7/2025)",
        "Cấp xã",
    ]

    validations = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    assert set(validations) == {"D2:D10001", "E2:E10001", "F2:F10001", "L2:L10001"}
    assert all(v.type == "list" for v in validations.values())
    assert validations["F2:F10001"].formula1 == f"'Danh mục'!$A$2:$A${len(names) + 1}"
    assert validations["L2:L10001"].formula1.startswith("'Danh mục'!$C$2")

    guide = "\n".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    for header in HEADERS:
        assert header in guide
    assert "20 MB" in guide and "tất cả hoặc không" in guide and "Alt+Enter" in guide
    assert "Chủ thể | Nội dung | Thời gian" in guide and "dd/mm/yyyy" in guide


def test_the_template_itself_imports_as_an_empty_file(world):
    result = parse_workbook(upload(build_template()), owner=world.units["P-A"])
    assert messages(result) == ["Tệp không có dòng dữ liệu nào (dữ liệu bắt đầu từ dòng 2)."]


# Import ----------------------------------------------------------------------------------------------------------


def test_a_good_file_imports_every_component(world):
    rows = [good_row(1, national_code="2.002215"), good_row(2, code="", group="B", level="Cấp xã", channels="")]
    result = import_procedures(xlsx(rows), owner=world.units["P-A"], by=world.officer_a1)
    assert result.ok, messages(result)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)

    procedure = Procedure.objects.get(code="TT-0001")
    assert procedure.owner == world.units["P-A"] and procedure.national_code == "2.002215"
    version = procedure.latest_version()
    assert version.status == Status.DRAFT and version.number == 1 and version.created_by == world.officer_a1
    assert version.name == "Thủ tục xét tặng Bằng khen số 1"
    assert (version.group, version.level, version.field.code) == ("A", "province", "thi-dua-khen-thuong")
    assert version.channels == ["in_person", "post"]
    assert version.processing_time_value == Decimal("20") and version.processing_time_unit == "working_days"
    assert (version.executions_per_year, version.subjects_per_year, version.dossier_sets) == (1, 120, 1)
    steps = list(version.steps.values_list("order", "actor", "action", "duration"))
    assert steps == [
        (1, "Cơ quan, đơn vị đề nghị", "Lập hồ sơ đề nghị, gửi Sở Nội vụ", ""),
        (2, "Sở Nội vụ", "Thẩm định hồ sơ, trình Chủ tịch UBND tỉnh", "15 ngày"),
        (3, "Chủ tịch UBND tỉnh", "Xem xét, quyết định khen thưởng", "05 ngày"),
    ]
    items = list(
        version.dossier_items.values_list("name", "originals", "copies", "certified_copies", "obtainable_from_data")
    )
    assert items == [("Tờ trình đề nghị khen thưởng", 1, 0, 0, False), ("Báo cáo thành tích", 1, 2, 0, True)]
    bases = list(version.legal_bases.values_list("number", "date", "issuer", "title", "article"))
    assert bases == [
        ("06/2022/QH15", date(2022, 6, 15), "Quốc hội", "Luật Thi đua, khen thưởng", "Điều 84"),
        ("98/2023/NĐ-CP", date(2023, 12, 31), "Chính phủ", "Nghị định quy định chi tiết Luật Thi đua, khen thưởng", ""),
    ]
    generated = Procedure.objects.get(owner=world.units["P-A"], code__startswith="P-A-")
    assert generated.code == "P-A-001"  # numbered as Procedure.next_code does, per owner
    second = generated.latest_version()
    assert (second.group, second.level, second.channels) == ("B", "commune", [])


def test_values_are_read_leniently(world):
    row = good_row(
        group="Nhóm B",
        level="tinh",
        field="thi dua khen thuong",
        channels="Trực tuyến, qua hệ thống điện tử; trực tiếp",
        processing_time_value="7,5",
        processing_time_unit="Ngày",
        dossier_items="Tờ trình",
    )
    result = import_procedures(xlsx([row]), owner=world.units["P-A"])
    assert result.ok, messages(result)
    version = Procedure.objects.get(code="TT-0001").latest_version()
    assert (version.group, version.level, version.field.code) == ("B", "province", "thi-dua-khen-thuong")
    assert version.channels == ["in_person", "online"]
    assert version.processing_time_value == Decimal("7.5") and version.processing_time_unit == "days"
    assert list(version.dossier_items.values_list("name", "originals", "copies")) == [("Tờ trình", 1, 0)]


def test_reimporting_the_same_file_changes_nothing(world):
    data = workbook_bytes([good_row(1), good_row(2), good_row(3, code="")])
    first = import_procedures(upload(data), owner=world.units["P-A"])
    assert first.ok and first.created == 3
    # the generated code is now known: the user writes it back, as the instructions say
    code = Procedure.objects.get(code__startswith="P-A-").code
    data = workbook_bytes([good_row(1), good_row(2), good_row(3, code=code)])
    before = state()
    again = import_procedures(upload(data), owner=world.units["P-A"])
    assert again.ok, messages(again)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert state() == before


def test_every_created_row_is_audited_with_who_created_it(world):
    rows = [good_row(1), good_row(2)]
    with audit.acting(user=world.officer_a1, organisation=world.units["P-A"]):
        result = import_procedures(xlsx(rows), owner=world.units["P-A"], by=world.officer_a1)
    assert result.ok and result.created == 2
    created = []
    for v in ProcedureVersion.objects.select_related("procedure"):
        created += [v.procedure, v, *v.steps.all(), *v.dossier_items.all(), *v.legal_bases.all(), *v.levels.all()]
    assert len(created) == 2 * (2 + 3 + 2 + 2 + 1)  # one level row each: the primary level with its body
    for obj in created:
        [entry] = AuditLogEntry.objects.for_object(obj)
        assert entry.action == obj.audit_code("created") and entry.changes == obj.audit_changes(created=True)
        assert (entry.actor, entry.organisation, entry.scope_organisation) == (
            world.officer_a1,
            world.units["P-A"],
            world.units["P-A"],
        )
    [confirmed] = AuditLogEntry.objects.filter(action="procedures.import.confirmed")
    assert confirmed.object_repr == str(world.units["P-A"]) and confirmed.changes["tạo mới"] == [None, 2]
    assert AuditLogEntry.objects.filter(action__startswith="procedures.").count() == len(created) + 1


def test_import_queries_do_not_grow_with_the_rows(world):
    def queries(rows: list[dict]) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert import_procedures(xlsx(rows), owner=world.units["P-A"]).ok
        return len(captured)

    few = queries([good_row(n) for n in range(1, 3)])
    many = queries([good_row(n) for n in range(3, 33)])
    assert many - few <= 4  # only more INSERT batches on SQLite (999 parameters a statement), no query per row


def test_new_and_changed_rows_import_together(world):
    import_procedures(xlsx([good_row(1)]), owner=world.units["P-A"])
    result = import_procedures(xlsx([good_row(1, name="Tên đã sửa"), good_row(2)]), owner=world.units["P-A"])
    assert (result.created, result.updated) == (1, 1), messages(result)
    assert Procedure.objects.get(code="TT-0001").latest_version().name == "Tên đã sửa"
    assert Procedure.objects.get(code="TT-0002").latest_version().steps.count() == 3


def test_a_blank_code_whose_name_exists_is_flagged(world):
    import_procedures(xlsx([good_row(1)]), owner=world.units["P-A"])
    result = parse_workbook(xlsx([good_row(1, code="")]), owner=world.units["P-A"])
    assert result.ok and result.rows[0].action == "create"
    assert "cùng tên" in str(result.warnings[0]) and "TT-0001" in str(result.warnings[0])


def test_reimport_updates_a_draft_in_place(world):
    import_procedures(xlsx([good_row(1)]), owner=world.units["P-A"])
    result = import_procedures(
        xlsx([good_row(1, name="Tên đã sửa", steps="Sở Nội vụ | Thẩm định |")]), owner=world.units["P-A"]
    )
    assert result.ok and result.updated == 1
    procedure = Procedure.objects.get(code="TT-0001")
    assert procedure.versions.count() == 1
    version = procedure.latest_version()
    assert version.name == "Tên đã sửa" and version.steps.count() == 1


def test_editing_a_published_procedure_starts_the_next_draft(world, published):
    procedure = published(world.units["P-A"], code="TT-0001")
    unchanged = import_procedures(xlsx([_row_of(procedure)]), owner=world.units["P-A"])
    assert unchanged.ok and unchanged.unchanged == 1, messages(unchanged)
    assert procedure.versions.count() == 1

    result = import_procedures(
        xlsx([_row_of(procedure, processing_time_value=10)]), owner=world.units["P-A"], by=world.officer_a1
    )
    assert result.ok and result.updated == 1, messages(result)
    first, second = procedure.versions.order_by("number")
    assert first.status == Status.PUBLISHED and first.processing_time_value == Decimal("20")
    assert second.number == 2 and second.status == Status.DRAFT and second.processing_time_value == Decimal("10")
    assert second.steps.count() == 3 and second.legal_bases.count() == 1
    assert AuditLogEntry.objects.filter(action="procedures.version.drafted").exists()


def test_a_submitted_procedure_cannot_be_changed_by_import(world):
    procedure = make_procedure(world.units["P-A"], status=Status.SUBMITTED, code="TT-0001")
    result = import_procedures(xlsx([_row_of(procedure, name="Khác")]), owner=world.units["P-A"])
    assert messages(result) == [
        "Dòng 2: Thủ tục “TT-0001” đang ở trạng thái “Đã trình” (phiên bản 1) nên không cập nhật nội dung được; "
        "dòng này phải giữ nguyên nội dung hoặc bỏ khỏi tệp."
    ]


def _row_of(procedure, **overrides) -> dict:
    """The spreadsheet row of a procedure made with factories.complete_components()."""
    c = complete_components()
    steps = "\n".join(f"{s['actor']} | {s['action']} | {s['duration']}" for s in c.steps)
    dossier = "\n".join(
        f"{d['name']} | {d['originals']} | {d['copies']} | {d['certified_copies']} | không" for d in c.dossier_items
    )
    legal = "\n".join(
        f"{b['number']} | {b['date']:%d/%m/%Y} | {b['issuer']} | {b['title']} | {b['article']}" for b in c.legal_bases
    )
    row = good_row(
        code=procedure.code,
        name=c.fields["name"],
        steps=steps,
        dossier_items=dossier,
        legal_bases=legal,
        performing_body=c.fields["performing_body"],
    )
    row.update(overrides)
    return row


# Refusals --------------------------------------------------------------------------------------------------------


def test_wrong_and_missing_headers_are_named(world):
    headers = list(HEADERS)
    headers[5] = "Linh vuc TTHC"
    headers[2] = "ten thu tuc"  # folded and without the star: still accepted
    result = parse_workbook(xlsx([good_row()], headers=headers), owner=world.units["P-A"])
    assert messages(result) == [
        "Dòng 1, cột F (Linh vuc TTHC): Tiêu đề “Linh vuc TTHC” không có trong mẫu nhập. "
        "Theo mẫu, cột F là “Lĩnh vực*”.",
        "Dòng 1: Thiếu cột: “Lĩnh vực*”. Hãy dùng mẫu nhập mới nhất.",
    ]


def test_a_missing_sheet_is_refused(world):
    result = parse_workbook(xlsx([good_row()], sheet="Sheet1"), owner=world.units["P-A"])
    assert messages(result) == ["Không có sheet “Thủ tục”. Hãy dùng mẫu nhập của hệ thống."]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"name": ""}, "Dòng 2, cột C (Tên thủ tục*): Ô bắt buộc, chưa nhập."),
        ({"group": "C"}, "Dòng 2, cột D (Nhóm*): Giá trị “C” không hợp lệ; chọn một trong: A; B; O."),
        (
            {"level": "Cấp bộ"},
            "Dòng 2, cột E (Cấp thực hiện*): Giá trị “Cấp bộ” không hợp lệ; chọn một trong: "
            "Cấp trung ương; Cấp tỉnh; Cấp huyện (trước 01/7/2025); Cấp xã.",
        ),
        (
            {"field": "Thi đua khen thưởng xyz"},
            "Dòng 2, cột F (Lĩnh vực*): Lĩnh vực “Thi đua khen thưởng xyz” không "
            "có trong danh mục. Có phải: “Thi đua - Khen thưởng”?",
        ),
        (
            {"channels": "Fax"},
            "Dòng 2, cột G (Cách thức thực hiện): Không nhận ra cách thức: “Fax”. Dùng: Trực tiếp; "
            "Qua dịch vụ bưu chính; Trực tuyến, qua hệ thống điện tử (cách nhau bằng dấu phẩy).",
        ),
        (
            {"steps": "Chỉ có một phần"},
            "Dòng 2, cột H (Trình tự thực hiện): Dòng 1 trong ô (“Chỉ có một phần”) phải "
            "có dạng “Chủ thể | Nội dung | Thời gian”.",
        ),
        (
            {"dossier_items": "Tờ trình | một | 0 | 0 | không"},
            "Dòng 2, cột I (Thành phần hồ sơ): Dòng 1 trong ô: số bản chính “một” phải là số nguyên 0–99.",
        ),
        (
            {"dossier_items": "Tờ trình | 1 | 0 | 0 | có lẽ"},
            "Dòng 2, cột I (Thành phần hồ sơ): Dòng 1 trong ô: phần khai thác dữ liệu “có lẽ” phải là có/không.",
        ),
        ({"dossier_sets": 100}, "Dòng 2, cột J (Số bộ hồ sơ): Phải từ 0 đến 99 (đang là 100)."),
        ({"processing_time_value": -1}, "Dòng 2, cột K (Thời hạn giải quyết): Phải từ 0 đến 3650 (đang là -1)."),
        ({"processing_time_value": 4000}, "Dòng 2, cột K (Thời hạn giải quyết): Phải từ 0 đến 3650 (đang là 4000)."),
        (
            {"processing_time_unit": "tuần"},
            "Dòng 2, cột L (Đơn vị thời hạn): Giá trị “tuần” không hợp lệ; chọn một "
            "trong: ngày làm việc; ngày; giờ làm việc; giờ; trong ngày; tháng.",
        ),
        (
            {"legal_bases": "06/2022/QH15 | 31/02/2022 | Quốc hội"},
            "Dòng 2, cột T (Căn cứ pháp lý): Dòng 1 trong ô: ngày “31/02/2022” không hợp lệ; ghi theo dạng dd/mm/yyyy.",
        ),
        (
            {"legal_bases": "06/2022/QH15 | 2022-06-15"},
            "Dòng 2, cột T (Căn cứ pháp lý): Dòng 1 trong ô: ngày “2022-06-15” không hợp lệ; ghi theo dạng dd/mm/yyyy.",
        ),
        ({"executions_per_year": 1.5}, "Dòng 2, cột U (Số lần thực hiện/năm): Phải là số nguyên (đang là 1.5)."),
        ({"subjects_per_year": -3}, "Dòng 2, cột V (Số đối tượng/năm): Phải từ 0 đến 10.000.000 (đang là -3)."),
    ],
)
def test_a_bad_cell_is_reported_with_row_column_and_message(world, overrides, expected):
    result = import_procedures(xlsx([good_row(**overrides)]), owner=world.units["P-A"])
    assert messages(result) == [expected]
    assert Procedure.objects.count() == 0


def test_an_inactive_field_is_refused(world):
    Field.objects.filter(code="thi-dua-khen-thuong").update(is_active=False)
    result = parse_workbook(xlsx([good_row()]), owner=world.units["P-A"])
    assert "đã ngừng sử dụng" in messages(result)[0]


def test_duplicate_codes_in_the_file_are_refused(world):
    result = parse_workbook(xlsx([good_row(1), good_row(2), good_row(1)]), owner=world.units["P-A"])
    assert messages(result) == ["Dòng 4, cột A (Mã thủ tục): Mã “TT-0001” trùng với dòng 2 trong tệp."]


def test_a_code_owned_by_another_organisation_is_refused(world):
    make_procedure(world.units["Q-A"], code="TT-0001")
    result = import_procedures(xlsx([good_row(1)]), owner=world.units["P-A"])
    assert messages(result) == [
        "Dòng 2, cột A (Mã thủ tục): Mã “TT-0001” đã được dùng cho một thủ tục của cơ quan khác; hãy đổi mã "
        "hoặc để trống để hệ thống tự sinh mã."
    ]
    assert Procedure.objects.get(code="TT-0001").owner == world.units["Q-A"]


def test_one_bad_row_writes_nothing(world):
    rows = [good_row(n) for n in range(1, 6)]
    rows[3]["legal_bases"] = "06/2022/QH15 | 15/13/2022"
    before = state()
    result = import_procedures(xlsx(rows), owner=world.units["P-A"])
    assert [e.row for e in result.errors] == [5]
    assert state() == before


def test_a_row_the_model_refuses_is_named_and_nothing_is_written(world, monkeypatch):
    import_procedures(xlsx([good_row(1)]), owner=world.units["P-A"])
    monkeypatch.setitem(excel.MAX_LENGTHS, "national_code", 100)  # let a value the model refuses through the parser
    rows = [good_row(1, name="Tên đã sửa"), good_row(2), good_row(3, national_code="2" * 61)]
    before = state()
    result = import_procedures(xlsx(rows), owner=world.units["P-A"])
    [error] = result.errors
    assert (error.row, error.column) == (4, "") and "60" in error.message
    assert str(error) == f"Dòng 4: {error.message}"
    assert state() == before
    assert Procedure.objects.get(code="TT-0001").latest_version().name == "Thủ tục xét tặng Bằng khen số 1"


def test_every_error_is_reported_not_only_the_first(world):
    rows = [good_row(1, name=""), good_row(2, group="X", field="Không có")]
    result = parse_workbook(xlsx(rows), owner=world.units["P-A"])
    assert [(e.row, e.column) for e in result.errors] == [(2, "C"), (3, "D"), (3, "F")]


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "a.xlsx", "Tệp rỗng"),
        (b"Ma,Ten\n1,Thu tuc\n", "a.xlsx", "không phải bảng tính Excel (.xlsx)"),
        (png_bytes(), "anh.xlsx", "không phải bảng tính Excel (.xlsx)"),
        (encrypted_ole2(), "a.xlsx", "đặt mật khẩu (mã hóa)"),
        (workbook_bytes([good_row()]), "a.csv", "Chỉ nhận tệp có đuôi .xlsx"),
        (b"PK\x03\x04" + b"\x00" * 100, "a.xlsx", "bị hỏng"),
    ],
)
def test_unsafe_or_wrong_files_are_refused(world, data, name, expected):
    result = import_procedures(upload(data, name), owner=world.units["P-A"])
    assert len(result.errors) == 1 and expected in str(result.errors[0])
    assert result.errors[0].row is None


def test_a_word_document_renamed_xlsx_is_refused(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        archive.writestr("[Content_Types].xml", f"<Types><Override ContentType='{word}'/></Types>")
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(UploadRefused, match="không phải bảng tính Excel"):
        check_workbook(upload(buffer.getvalue()))


def test_a_file_over_the_size_limit_is_refused(world, settings):
    settings.TINHGON_MAX_UPLOAD_MB = 1
    result = import_procedures(upload(b"PK\x03\x04" + b"\x00" * 1024 * 1024), owner=world.units["P-A"])
    assert "Tệp quá lớn" in messages(result)[0] and "tối đa là 1 MB" in messages(result)[0]


def test_the_default_limit_is_20_mb(settings):
    del settings.TINHGON_MAX_UPLOAD_MB
    assert uploads.max_upload_bytes() == 20 * 1024 * 1024


def test_a_zip_bomb_is_refused_without_inflating_it(world):
    bomb = zip_bomb(50)
    assert len(bomb) < 200 * 1024
    with pytest.raises(UploadRefused, match="bom nén"):
        check_workbook(upload(bomb))


def test_a_zip_whose_total_size_is_too_big_is_refused(world, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(UploadRefused, match="bom nén"):
        check_workbook(upload(workbook_bytes([good_row()])))


def test_a_path_is_checked_too(world, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(encrypted_ole2())
    with pytest.raises(UploadRefused, match="mật khẩu"):
        check_workbook(path)


def test_a_workbook_over_the_row_limit_is_refused_before_parsing(world, settings, monkeypatch):
    settings.TINHGON_IMPORT_MAX_ROWS = 3  # the header and two rows
    monkeypatch.setattr(workbooks, "open_workbook", None)  # parsing would fail loudly
    result = import_procedures(xlsx([good_row(1), good_row(2), good_row(3)]), owner=world.units["P-A"])
    assert "Sheet “Thủ tục” có hơn 3 dòng" in messages(result)[0]
    assert result.rows == [] and Procedure.objects.count() == 0


# Command ---------------------------------------------------------------------------------------------------------


def test_command_imports_and_prints_a_summary(world, tmp_path, capsys):
    path = tmp_path / "tt.xlsx"
    path.write_bytes(workbook_bytes([good_row(1), good_row(2)]))
    call_command("import_procedures", str(path), org="P-A")
    assert "Đã tạo mới 2, cập nhật 0, không thay đổi 0 thủ tục" in capsys.readouterr().out
    assert Procedure.objects.filter(owner=world.units["P-A"]).count() == 2


def test_command_dry_run_writes_nothing(world, tmp_path, capsys):
    path = tmp_path / "tt.xlsx"
    path.write_bytes(workbook_bytes([good_row(1)]))
    before = state()
    call_command("import_procedures", str(path), org="P-A", dry_run=True)
    out = capsys.readouterr().out
    assert "Chạy thử" in out and "TT-0001" in out and "tạo mới" in out
    assert state() == before


def test_command_prints_every_error_and_fails(world, tmp_path, capsys):
    path = tmp_path / "tt.xlsx"
    path.write_bytes(workbook_bytes([good_row(1, group="C"), good_row(2, processing_time_value=-5)]))
    with pytest.raises(CommandError):
        call_command("import_procedures", str(path), org="P-A")
    err = capsys.readouterr().err
    assert "Dòng 2, cột D (Nhóm*): Giá trị “C” không hợp lệ" in err
    assert "Dòng 3, cột K (Thời hạn giải quyết): Phải từ 0 đến 3650" in err
    assert Procedure.objects.count() == 0


def test_command_refuses_an_unknown_organisation(world, tmp_path):
    path = tmp_path / "tt.xlsx"
    path.write_bytes(workbook_bytes([good_row(1)]))
    with pytest.raises(CommandError, match="Không tìm thấy cơ quan"):
        call_command("import_procedures", str(path), org="NOPE")


def test_command_imports_shared_templates(world, tmp_path):
    path = tmp_path / "tt.xlsx"
    path.write_bytes(workbook_bytes([good_row(1)]))
    call_command("import_procedures", str(path), org="P-VP", template=True)
    assert Procedure.objects.get(code="TT-0001").is_template


# Export ----------------------------------------------------------------------------------------------------------


def _export(client, **params):
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Danh mục"]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_export_lists_the_visible_registry_in_the_inventory_layout(login, world, published):
    published(world.units["P-A"], code="TT-A")
    make_procedure(
        world.units["P-B"],
        code="TT-B",
        components=complete_components(name="Thủ tục nhóm B", group="B", level="commune"),
    )
    make_procedure(world.units["Q-A"], code="TT-Q", components=complete_components(name="Thủ tục của tỉnh Q"))
    rows = _export(login(world.oversight))
    assert rows[0][0] == "DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ"
    assert rows[2][:4] == ["STT", "Mã thủ tục", "Mã CSDL quốc gia", "Tên thủ tục"]
    assert "Căn cứ pháp lý" in rows[2] and "Hiệu lực từ" in rows[2]
    flat = [v for row in rows for v in row if v is not None]
    assert "TT-A" in flat and "TT-B" in flat and "TT-Q" not in flat and "Thủ tục của tỉnh Q" not in flat
    row_a = next(r for r in rows if r[1] == "TT-A")
    assert row_a[0] == 1 and row_a[4] == "A" and row_a[5] == "Cấp tỉnh" and row_a[10] == "Đang có hiệu lực"
    assert row_a[12].date() == ProcedureVersion.objects.get(procedure__code="TT-A").effective_from
    assert row_a[14] == "Luật Thi đua, khen thưởng số 06/2024/QH15 ngày 15/06/2022 của Quốc hội (Điều 84)"
    sections = [r[1] for r in rows[3:] if r[0] in {"A", "B", "I", "II"}]
    assert sections[0].startswith("THỦ TỤC HÀNH CHÍNH NỘI BỘ GIỮA CÁC CƠ QUAN") and "Thủ tục cấp tỉnh" in sections


def test_export_applies_the_registry_filters(login, world):
    make_procedure(world.units["P-A"], code="TT-A")
    make_procedure(world.units["P-B"], code="TT-B")
    codes = [r[1] for r in _export(login(world.oversight), owner="P-A")[3:]]
    assert "TT-A" in codes and "TT-B" not in codes


def test_export_neutralises_formulas(login, world):
    make_procedure(
        world.units["P-A"], code="TT-F", components=complete_components(name="=SUM(A1)", performing_body="@cmd")
    )
    client = login(world.oversight)
    response = client.get(EXPORT)
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Danh mục"]
    row = next(r for r in ws.iter_rows() if r[1].value == "TT-F")
    assert row[3].value == "=SUM(A1)" and row[3].data_type == "s" and row[3].quotePrefix
    assert row[8].value == "@cmd" and row[8].data_type == "s"


def test_export_outsider_sees_only_their_province(login, world):
    make_procedure(world.units["P-A"], code="TT-A")
    make_procedure(world.units["Q-A"], code="TT-Q")
    codes = [r[1] for r in _export(login(world.outsider))[3:]]
    assert "TT-Q" in codes and "TT-A" not in codes


def test_export_query_count_does_not_grow(login, world):
    make_procedure(world.units["P-A"])
    client = login(world.oversight)
    client.get(EXPORT)
    with CaptureQueriesContext(connection) as small:
        b"".join(client.get(EXPORT).streaming_content)
    for _ in range(5):
        make_procedure(world.units["P-B"])
    with CaptureQueriesContext(connection) as big:
        content = b"".join(client.get(EXPORT).streaming_content)
    assert len(big.captured_queries) == len(small.captured_queries)
    assert len(load_workbook(io.BytesIO(content))["Danh mục"]["B"]) > 8


def _procedures_with_own_legal_bases(world, start: int, n: int) -> None:
    """`n` procedures TT-k spread over groups, levels and fields, each with its own one or two legal bases."""
    for k in range(start, start + n):
        components = complete_components(
            name=f"Thủ tục số {k}",
            group="AB"[k % 2],
            level=["province", "commune"][k // 2 % 2],
            field=Field.objects.order_by("code")[k % 3],
        )
        components.legal_bases = [
            {
                "number": f"{k}/{year}/QH15",
                "date": date(year, 1, 1),
                "issuer": "Quốc hội",
                "title": "Luật",
                "article": "",
            }
            for year in [2024, 2025][: 1 + k % 2]
        ]
        make_procedure(world.units["P-A"], code=f"TT-{k:02d}", components=components)


def test_export_queries_do_not_grow_past_a_chunk_and_each_row_keeps_its_own_legal_bases(login, world, monkeypatch):
    """The export reads in chunks (here of 2 rows): N and 3N rows cost the same queries, and the legal bases,
    read by a second cursor in step with the versions, stay on their own row."""
    monkeypatch.setattr(excel, "EXPORT_CHUNK", 2)
    client = login(world.oversight)
    _procedures_with_own_legal_bases(world, 0, 3)
    client.get(EXPORT)
    with CaptureQueriesContext(connection) as few:
        b"".join(client.get(EXPORT).streaming_content)
    _procedures_with_own_legal_bases(world, 3, 6)
    with CaptureQueriesContext(connection) as many:
        b"".join(client.get(EXPORT).streaming_content)
    assert len(many.captured_queries) == len(few.captured_queries)
    legal = {r[1]: r[14] for r in _export(client)[3:] if str(r[1]).startswith("TT-")}
    assert len(legal) == 9
    for code, text in legal.items():
        k = int(code[3:])
        years = [2024, 2025][: 1 + k % 2]
        assert text == "\n".join(f"Luật số {k}/{y}/QH15 ngày 01/01/{y} của Quốc hội" for y in years), code


def test_export_and_template_need_a_login_and_a_role(client, world):
    assert client.get(EXPORT).status_code == 302
    assert client.get(TEMPLATE).status_code == 302
    from tinhgon.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert client.get(EXPORT).status_code == 403
    assert client.get(TEMPLATE).status_code == 403


def test_template_download(login, world):
    response = login(world.officer_a1).get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert download_names(response) == (
        "Mẫu nhập thủ tục hành chính nội bộ.xlsx",
        "Mau nhap thu tuc hanh chinh noi bo.xlsx",
    )
    assert load_workbook(io.BytesIO(response.content)).sheetnames[:2] == ["Thủ tục", "Hướng dẫn"]


# Views -----------------------------------------------------------------------------------------------------------


def test_import_page_offers_only_the_owners_in_scope(login, world):
    html = login(world.officer_a1).get(IMPORT).content.decode()
    offered = {world.units[code].pk for code in world.units if f'value="{world.units[code].pk}"' in html}
    assert offered == {world.units["P-A-1"].pk}
    assert "Đơn vị P-A-1 — Đơn vị P-A" in html and "Đơn vị Q-A" not in html  # named with its parent


def test_import_page_refuses_a_role_without_edit_rights(login, world):
    assert login(world.oversight).get(IMPORT).status_code == 403
    assert (
        login(world.leader_a).post(IMPORT, {"owner": world.units["P-A"].pk, "file": xlsx([good_row()])}).status_code
        == 403
    )


def test_a_forged_owner_is_refused(login, world):
    client = login(world.outsider)
    assert "Đơn vị P-A" not in client.get(IMPORT).content.decode()
    response = client.post(IMPORT, {"owner": world.units["P-A"].pk, "file": xlsx([good_row()])})
    assert response.status_code == 403
    assert Procedure.objects.count() == 0


def test_preview_then_confirm_imports(login, world, media):
    client = login(world.focal_a)
    owner = world.units["P-A"]
    response = client.post(IMPORT, {"owner": owner.pk, "file": xlsx([good_row(1), good_row(2)])})
    html = response.content.decode()
    assert response.status_code == 200 and "TT-0001" in html and "tạo mới" in html
    assert Procedure.objects.count() == 0
    token = response.context["token"]
    stored = media / StagedFile.objects.get(token=token).file.name
    assert stored.exists()

    response = client.post(CONFIRM, {"token": token, "owner": owner.pk})
    assert response.status_code == 302 and response["Location"].startswith(reverse("procedures:list"))
    assert Procedure.objects.filter(owner=owner).count() == 2
    assert not stored.exists()
    follow = client.get(response["Location"]).content.decode()
    assert "Đã nhập" in follow

    # the token is used up
    again = client.post(CONFIRM, {"token": token, "owner": owner.pk}, follow=True)
    assert ALREADY_CLAIMED in again.content.decode() and Procedure.objects.filter(owner=owner).count() == 2


def test_preview_shows_the_error_table_and_keeps_nothing(login, world, media):
    client = login(world.focal_a)
    response = client.post(IMPORT, {"owner": world.units["P-A"].pk, "file": xlsx([good_row(1, group="Z")])})
    html = response.content.decode()
    assert response.status_code == 200 and "Giá trị “Z” không hợp lệ" in html and ">D (Nhóm*)<" in html
    assert "token" not in response.context or not response.context["token"]
    assert not StagedFile.objects.exists() and not any(media.rglob("*.xlsx"))


def test_preview_refuses_an_unsafe_file(login, world, media):
    client = login(world.focal_a)
    response = client.post(IMPORT, {"owner": world.units["P-A"].pk, "file": upload(encrypted_ole2())})
    assert "đặt mật khẩu" in response.content.decode()
    assert not StagedFile.objects.exists() and not any(path.is_file() for path in media.rglob("*"))


def test_a_row_bomb_is_refused_before_anything_is_staged(login, world, media):
    bomb = next(item for item in entries() if item.id == "row_bomb.xlsx")
    response = login(world.focal_a).post(IMPORT, {"owner": world.units["P-A"].pk, "file": bomb.upload()})
    assert "có hơn 20.000 dòng" in response.content.decode()
    assert not StagedFile.objects.exists() and not any(path.is_file() for path in media.rglob("*"))


def test_confirm_refuses_a_token_of_another_session_or_owner(login, world, client):
    focal = login(world.focal_a)
    token = focal.post(IMPORT, {"owner": world.units["P-A"].pk, "file": xlsx([good_row()])}).context["token"]
    assert focal.post(CONFIRM, {"token": token, "owner": world.units["P-A-1"].pk}).status_code == 302  # not claimed
    assert focal.post(CONFIRM, {"token": "../../etc/passwd", "owner": world.units["P-A"].pk}).status_code == 302
    client.force_login(world.outsider)
    assert client.post(CONFIRM, {"token": token, "owner": world.units["P-A"].pk}).status_code == 403
    assert Procedure.objects.count() == 0


def test_the_export_is_named_after_the_registry_and_the_day(login, world):
    response = login(world.officer_a1).get(EXPORT)
    assert download_names(response)[0] == f"Danh mục thủ tục hành chính nội bộ ngày {today():%d-%m-%Y}.xlsx"
