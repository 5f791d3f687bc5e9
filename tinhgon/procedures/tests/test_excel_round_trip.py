"""Export → import of the registry loses nothing (issue 14 item 4): the registry exported in the import layout, with
every component, imports back for its owner as "không thay đổi" on every row, and confirming it writes nothing; an
edited copy previews each change as before → after."""

import io
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from tinhgon.audit.models import AuditLogEntry
from tinhgon.core.imports import UNCHANGED, Change
from tinhgon.procedures import processing_time
from tinhgon.procedures.constants import Change as DecisionChange
from tinhgon.procedures.constants import Status
from tinhgon.procedures.excel import COLUMNS, SHEET, build_template, import_procedures, parse_workbook
from tinhgon.procedures.models import Procedure, ProcedureForm, ProcedureVersion
from tinhgon.procedures.services import decision_add_item, decision_issue, procedure_create
from tinhgon.procedures.tests.excel_fixtures import upload
from tinhgon.procedures.tests.factories import complete_components

pytestmark = pytest.mark.django_db

EXPORT = reverse("procedures:export-import-layout")
IMPORT = reverse("procedures:import")
CONFIRM = reverse("procedures:import-confirm")
TIME = "20 ngày làm việc; trường hợp phải xác minh thực tế: 35 ngày làm việc"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def full_components(name: str):
    """Every component a version has: multi-line text, numbers, dates, a processing time with a variant, a paper
    obtainable from data, a legal basis without a date, text a spreadsheet would take for a formula."""
    components = complete_components(
        name=name,
        group="B",
        channels=["in_person", "post", "online"],
        dossier_sets=2,
        **processing_time.fields_for(TIME),
        performers="Các sở, ban, ngành\nUBND các xã, phường",
        coordinating_bodies="Sở Tài chính;\nKho bạc Nhà nước tỉnh",
        fees="- Không thu phí\n- Không thu lệ phí",
        conditions="Đạt các tiêu chuẩn tại Điều 71 Luật Thi đua, khen thưởng.\nHồ sơ trình đúng thời hạn.",
        executions_per_year=2,
        subjects_per_year=1250,
    )
    components.dossier_items[1]["obtainable_from_data"] = True
    components.dossier_items[1]["copies"] = 2
    components.legal_bases = [
        {
            "number": "06/2022/QH15",
            "date": date(2022, 6, 15),
            "issuer": "Quốc hội",
            "title": "Luật Thi đua, khen thưởng",
            "article": "Điều 84",
        },
        {"number": "98/2023/NĐ-CP", "date": date(2023, 12, 31), "issuer": "Chính phủ", "title": "", "article": ""},
        {"number": "=12/QĐ-UBND", "date": None, "issuer": "", "title": "", "article": ""},
    ]
    return components


def make(owner, code: str, *, publish=None):
    procedure = procedure_create(owner=owner, code=code, national_code="2.002215", components=full_components(code))
    version = procedure.latest_version()
    for order, name in enumerate(["Mẫu số 01: Tờ trình đề nghị", "Mẫu số 02: Báo cáo thành tích"], start=1):
        ProcedureForm.objects.create(version=version, order=order, name=name)
    if publish:
        version.submit()
        version.control()
        decision = publish(number=f"{code}/QĐ-UBND")
        decision_add_item(decision=decision, version=version, change=DecisionChange.NEW)
        decision_issue(decision=decision)
    return procedure


def state() -> tuple[int, int, int, int]:
    return (
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        ProcedureForm.objects.count(),
        AuditLogEntry.objects.count(),
    )


def exported(client, owner) -> bytes:
    response = client.get(EXPORT, {"owner": owner.code})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def registry(world, decision):
    owner = world.units["P-A"]
    return [make(owner, "TT-PUB", publish=decision), make(owner, "TT-DRAFT")]


def test_the_export_has_the_templates_sheet_and_columns(login, world, registry):
    ws = load_workbook(io.BytesIO(exported(login(world.focal_a), world.units["P-A"])))[SHEET]
    template = load_workbook(io.BytesIO(build_template()))[SHEET]
    assert [c.value for c in ws[1]] == [c.value for c in template[1]] == [c.header for c in COLUMNS]
    assert len(COLUMNS) == 23 and ws.max_row == 3
    row = {c.header: cell.value for c, cell in zip(COLUMNS, ws[2], strict=True)}
    assert row["Mã thủ tục"] == "TT-DRAFT" and row["Nhóm*"] == "B" and row["Cấp thực hiện*"] == "Cấp tỉnh"
    assert row["Thời hạn giải quyết"] == TIME and row["Số bộ hồ sơ"] == 2 and row["Số đối tượng/năm"] == 1250
    assert row["Căn cứ pháp lý"].splitlines()[0] == (
        "06/2022/QH15 | 15/06/2022 | Quốc hội | Luật Thi đua, khen thưởng | Điều 84"
    )
    assert row["Mẫu đơn, tờ khai"] == "Mẫu số 01: Tờ trình đề nghị\nMẫu số 02: Báo cáo thành tích"
    formula = next(cell for cell in ws[2] if str(cell.value).startswith("- Không"))
    assert formula.data_type == "s" and formula.quotePrefix


def test_the_registry_exported_in_the_import_layout_imports_back_unchanged(login, world, registry):
    data = exported(login(world.focal_a), world.units["P-A"])
    preview = parse_workbook(upload(data), owner=world.units["P-A"])
    assert preview.ok, [str(e) for e in preview.errors]
    assert [(r.code, r.action, r.action_label, r.changes) for r in preview.rows] == [
        ("TT-DRAFT", UNCHANGED, "không thay đổi", []),
        ("TT-PUB", UNCHANGED, "không thay đổi", []),
    ]
    before = state()
    result = import_procedures(upload(data), owner=world.units["P-A"], by=world.focal_a)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert state() == before  # not even an audit entry for the import
    assert Procedure.objects.get(code="TT-PUB").versions.get().status == Status.PUBLISHED


def test_the_preview_page_says_the_export_changes_nothing(login, world, registry):
    client = login(world.focal_a)
    data = exported(client, world.units["P-A"])
    response = client.post(IMPORT, {"owner": world.units["P-A"].pk, "file": upload(data)})
    html = response.content.decode()
    assert html.count(">không thay đổi</span>") == 2 and "xác nhận sẽ không ghi gì" in html
    before = state()
    client.post(CONFIRM, {"token": response.context["token"], "owner": world.units["P-A"].pk})
    assert state() == before


def test_an_edited_export_previews_each_change_before_and_after(login, world, registry):
    client = login(world.focal_a)
    wb = load_workbook(io.BytesIO(exported(client, world.units["P-A"])))
    ws = wb[SHEET]
    headers = [c.header for c in COLUMNS]
    ws.cell(row=3, column=headers.index("Tên thủ tục*") + 1, value="Thủ tục đã sửa tên")
    ws.cell(row=3, column=headers.index("Mẫu đơn, tờ khai") + 1, value="Mẫu số 01: Tờ trình đề nghị")
    buffer = io.BytesIO()
    wb.save(buffer)

    preview = parse_workbook(upload(buffer.getvalue()), owner=world.units["P-A"])
    draft, published = preview.rows
    assert draft.action == UNCHANGED
    assert published.action == "new_version" and published.action_label == "cập nhật (tạo dự thảo phiên bản mới)"
    assert published.changes == [
        Change("Tên thủ tục", "TT-PUB", "Thủ tục đã sửa tên"),
        Change(
            "Mẫu đơn, tờ khai",
            "Mẫu số 01: Tờ trình đề nghị\nMẫu số 02: Báo cáo thành tích",
            "Mẫu số 01: Tờ trình đề nghị",
        ),
    ]
    html = client.post(IMPORT, {"owner": world.units["P-A"].pk, "file": upload(buffer.getvalue())}).content.decode()
    assert '<del class="text-danger">TT-PUB</del> → <ins class="text-success">Thủ tục đã sửa tên</ins>' in html

    result = import_procedures(upload(buffer.getvalue()), owner=world.units["P-A"], by=world.focal_a)
    assert result.ok and result.updated == 1
    first, second = Procedure.objects.get(code="TT-PUB").versions.order_by("number")
    assert first.name == "TT-PUB" and [f.name for f in first.forms.all()] == [
        "Mẫu số 01: Tờ trình đề nghị",
        "Mẫu số 02: Báo cáo thành tích",
    ]
    assert second.name == "Thủ tục đã sửa tên" and [f.name for f in second.forms.all()] == [
        "Mẫu số 01: Tờ trình đề nghị"
    ]
    assert second.steps.count() == 3 and second.legal_bases.count() == 3


def test_a_procedure_with_a_bare_time_limit_and_no_forms_round_trips_too(login, world):
    from tinhgon.procedures.tests.factories import make_procedure

    make_procedure(world.units["P-A"], code="TT-GON")  # 20 + ngày làm việc, entered as a value and a unit
    data = exported(login(world.focal_a), world.units["P-A"])
    preview = parse_workbook(upload(data), owner=world.units["P-A"])
    assert [(r.code, r.action, r.changes) for r in preview.rows] == [("TT-GON", UNCHANGED, [])]


def test_more_procedures_than_an_import_takes_are_refused_with_the_filters_kept(login, world, registry, monkeypatch):
    """A file in the import layout is for importing back, which takes at most MAX_ROWS rows: the country's 80,000
    procedures in one such workbook held 2.5 GB in the server before it was refused."""
    monkeypatch.setattr("tinhgon.procedures.excel.MAX_ROWS", 1)
    client = login(world.focal_a)
    response = client.get(EXPORT, {"owner": world.units["P-A"].code})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('procedures:list')}?owner={world.units['P-A'].code}"
    page = client.get(response["Location"]).content.decode()
    assert "Danh sách đang lọc có 2 thủ tục; tệp theo mẫu nhập chỉ nhập lại được tối đa 1 thủ tục." in page


def test_the_export_reads_the_same_number_of_queries_for_more_procedures(login, world, registry):
    client = login(world.focal_a)
    with CaptureQueriesContext(connection) as two:
        exported(client, world.units["P-A"])
    for n in range(3):
        make(world.units["P-A"], f"TT-MORE-{n}")
    with CaptureQueriesContext(connection) as five:
        exported(client, world.units["P-A"])
    assert len(five) == len(two)
