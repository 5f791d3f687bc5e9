from datetime import date
from decimal import Decimal

from tinhgon.procedures.constants import Status
from tinhgon.procedures.models import Field
from tinhgon.procedures.services import Components, procedure_create


def field(code="thi-dua-khen-thuong"):
    return Field.objects.get(code=code)


def complete_components(name="Thủ tục xét tặng Bằng khen của Chủ tịch UBND tỉnh", **overrides) -> Components:
    fields = {
        "name": name,
        "group": "A",
        "level": "province",
        "field": field(),
        "channels": ["in_person", "post"],
        "dossier_sets": 1,
        "processing_time_value": Decimal("20"),
        "processing_time_unit": "working_days",
        "performers": "Các sở, ban, ngành; UBND cấp xã",
        "authority": "Chủ tịch UBND tỉnh",
        "performing_body": "Sở Nội vụ (Ban Thi đua - Khen thưởng)",
        "coordinating_bodies": "",
        "result": "Quyết định tặng Bằng khen",
        "fees": "Không",
        "conditions": "",
        "executions_per_year": 1,
        "subjects_per_year": 120,
    }
    fields.update(overrides)
    return Components(
        fields=fields,
        steps=[
            {"actor": "Cơ quan, đơn vị đề nghị", "action": "Lập hồ sơ đề nghị, gửi Sở Nội vụ", "duration": ""},
            {"actor": "Sở Nội vụ", "action": "Thẩm định hồ sơ, trình Chủ tịch UBND tỉnh", "duration": "15 ngày"},
            {"actor": "Chủ tịch UBND tỉnh", "action": "Xem xét, quyết định khen thưởng", "duration": "05 ngày"},
        ],
        dossier_items=[
            {
                "name": "Tờ trình đề nghị khen thưởng",
                "originals": 1,
                "copies": 0,
                "certified_copies": 0,
                "obtainable_from_data": False,
            },
            {
                "name": "Báo cáo thành tích",
                "originals": 1,
                "copies": 0,
                "certified_copies": 0,
                "obtainable_from_data": False,
            },
        ],
        legal_bases=[
            {
                "number": "06/2024/QH15",
                "date": date(2022, 6, 15),
                "issuer": "Quốc hội",
                "title": "Luật Thi đua, khen thưởng",
                "article": "Điều 84",
            },
        ],
    )


def make_procedure(owner, status=Status.DRAFT, components: Components | None = None, **kwargs):
    """A procedure whose first version is in `status` (draft, submitted or checked)."""
    procedure = procedure_create(owner=owner, components=components or complete_components(), **kwargs)
    version = procedure.latest_version()
    if status in {Status.SUBMITTED, Status.CHECKED}:
        version.submit()
    if status == Status.CHECKED:
        version.control()
    return procedure
