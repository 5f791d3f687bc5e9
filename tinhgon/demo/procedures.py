"""Demo registry: about seventy internal procedures of the Vĩnh Long demo province in every status, a template
list published by the central office and adopted by communes, and publication decisions modelled on the real ones
of domain.md §10 (QĐ 680/QĐ-UBND of 28/7/2025: 6 new + 3 amended procedures of the provincial office)."""

from datetime import date, timedelta
from decimal import Decimal

from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.constants import Change
from tinhgon.procedures.models import Field, Procedure, PublicationDecision
from tinhgon.procedures.services import (
    Components,
    decision_add_item,
    decision_issue,
    procedure_create,
    version_start_next,
    version_update,
)

# (owner, field code, group, level, name, processing days, channels)
P = "VLG"
CATALOGUE = [
    (
        "SNV-TDKT",
        "thi-dua-khen-thuong",
        "A",
        "province",
        "Thủ tục xét tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        20,
        "in_person post online",
    ),
    (
        "SNV-TDKT",
        "thi-dua-khen-thuong",
        "A",
        "province",
        "Thủ tục xét tặng danh hiệu Chiến sĩ thi đua cấp tỉnh",
        20,
        "in_person post",
    ),
    (
        "SNV-TDKT",
        "thi-dua-khen-thuong",
        "A",
        "province",
        "Thủ tục xét tặng danh hiệu Cờ thi đua của Ủy ban nhân dân tỉnh",
        20,
        "in_person post",
    ),
    (
        "SNV-TDKT",
        "thi-dua-khen-thuong",
        "A",
        "province",
        "Thủ tục xét tặng danh hiệu Tập thể lao động xuất sắc",
        20,
        "in_person",
    ),
    (
        "SNV-TDKT",
        "thi-dua-khen-thuong",
        "A",
        "province",
        "Thủ tục đề nghị tặng thưởng Huân chương Lao động",
        30,
        "in_person post",
    ),
    (
        "SNV-TDKT",
        "thi-dua-khen-thuong",
        "A",
        "province",
        "Thủ tục khen thưởng theo chuyên đề của Chủ tịch Ủy ban nhân dân tỉnh",
        15,
        "in_person online",
    ),
    (
        "SNV-TDKT",
        "thi-dua-khen-thuong",
        "A",
        "province",
        "Thủ tục khen thưởng đột xuất của Chủ tịch Ủy ban nhân dân tỉnh",
        10,
        "in_person",
    ),
    (
        "SNV",
        "thi-dua-khen-thuong",
        "B",
        "province",
        "Thủ tục xét tặng Giấy khen của Giám đốc Sở Nội vụ",
        10,
        "in_person",
    ),
    (
        "SNV-VTLT",
        "van-thu-luu-tru",
        "A",
        "province",
        "Thủ tục nộp lưu hồ sơ, tài liệu vào Lưu trữ lịch sử tỉnh",
        30,
        "in_person",
    ),
    (
        "SNV-VTLT",
        "van-thu-luu-tru",
        "A",
        "province",
        "Thủ tục thẩm định hồ sơ, tài liệu hết giá trị cần hủy",
        20,
        "in_person post",
    ),
    (
        "SNV-VTLT",
        "van-thu-luu-tru",
        "B",
        "province",
        "Thủ tục khai thác, sử dụng tài liệu lưu trữ của Sở",
        3,
        "in_person online",
    ),
    (
        "SNV-P2",
        "to-chuc-can-bo",
        "A",
        "province",
        "Thủ tục thẩm định đề án vị trí việc làm của cơ quan, tổ chức hành chính",
        30,
        "in_person post",
    ),
    ("SNV-P2", "to-chuc-can-bo", "A", "province", "Thủ tục giao, điều chỉnh biên chế công chức", 20, "in_person"),
    ("SNV-P2", "to-chuc-can-bo", "A", "province", "Thủ tục tiếp nhận vào làm công chức", 15, "in_person"),
    (
        "SNV-P2",
        "to-chuc-can-bo",
        "B",
        "province",
        "Thủ tục bổ nhiệm lại công chức lãnh đạo, quản lý cấp phòng",
        15,
        "in_person",
    ),
    (
        "SNV-P2",
        "to-chuc-can-bo",
        "B",
        "province",
        "Thủ tục nâng bậc lương trước thời hạn do lập thành tích xuất sắc",
        10,
        "in_person",
    ),
    (
        "SNV-P2",
        "to-chuc-can-bo",
        "A",
        "province",
        "Thủ tục cử cán bộ, công chức đi công tác nước ngoài",
        7,
        "in_person online",
    ),
    (
        "STC-P2",
        "tai-chinh",
        "A",
        "province",
        "Thủ tục thẩm định dự toán ngân sách của cơ quan, đơn vị cấp tỉnh",
        15,
        "in_person online",
    ),
    (
        "STC-P2",
        "tai-chinh",
        "A",
        "province",
        "Thủ tục thẩm tra quyết toán kinh phí ngân sách hằng năm",
        30,
        "in_person",
    ),
    ("STC-P2", "tai-chinh", "A", "province", "Thủ tục điều chỉnh dự toán ngân sách đã giao", 10, "in_person online"),
    ("STC-P3", "tai-chinh", "A", "province", "Thủ tục thẩm định phương án xử lý tài sản công", 20, "in_person"),
    (
        "STC-P3",
        "tai-chinh",
        "A",
        "province",
        "Thủ tục mua sắm tài sản công theo phương thức tập trung",
        30,
        "in_person",
    ),
    (
        "STC",
        "ke-hoach-dau-tu",
        "A",
        "province",
        "Thủ tục thẩm định chủ trương đầu tư dự án nhóm C sử dụng vốn đầu tư công",
        20,
        "in_person",
    ),
    (
        "STC",
        "ke-hoach-dau-tu",
        "A",
        "province",
        "Thủ tục giao kế hoạch vốn đầu tư công hằng năm",
        15,
        "in_person online",
    ),
    (
        "STP-P2",
        "tu-phap",
        "A",
        "province",
        "Thủ tục thẩm định dự thảo văn bản quy phạm pháp luật của Ủy ban nhân dân tỉnh",
        10,
        "in_person online",
    ),
    (
        "STP-P2",
        "tu-phap",
        "A",
        "province",
        "Thủ tục kiểm tra văn bản quy phạm pháp luật của cấp xã",
        15,
        "in_person post",
    ),
    ("STP-P2", "tu-phap", "B", "province", "Thủ tục rà soát, hệ thống hóa văn bản quy phạm pháp luật", 30, "in_person"),
    (
        "VP-KSTT",
        "kiem-soat-tthc",
        "A",
        "province",
        "Thủ tục công bố danh mục thủ tục hành chính nội bộ",
        10,
        "in_person online",
    ),
    (
        "VP-KSTT",
        "kiem-soat-tthc",
        "A",
        "province",
        "Thủ tục phê duyệt phương án đơn giản hóa thủ tục hành chính nội bộ",
        15,
        "in_person online",
    ),
    (
        "VP-KSTT",
        "kiem-soat-tthc",
        "A",
        "province",
        "Thủ tục cập nhật, công khai thủ tục hành chính trên Cơ sở dữ liệu quốc gia",
        5,
        "online",
    ),
    (
        "VP",
        "cong-tac-van-phong",
        "A",
        "province",
        "Thủ tục đăng ký lịch làm việc với lãnh đạo Ủy ban nhân dân tỉnh",
        3,
        "in_person online",
    ),
    (
        "VP",
        "cong-tac-van-phong",
        "A",
        "province",
        "Thủ tục trình ban hành văn bản hành chính của Ủy ban nhân dân tỉnh",
        5,
        "in_person online",
    ),
    (
        "VP",
        "cong-tac-van-phong",
        "B",
        "province",
        "Thủ tục đăng ký sử dụng hội trường, phòng họp của Văn phòng",
        2,
        "in_person",
    ),
    (
        "VP",
        "van-thu-luu-tru",
        "B",
        "province",
        "Thủ tục lập hồ sơ và nộp lưu hồ sơ vào Lưu trữ cơ quan Văn phòng",
        10,
        "in_person",
    ),
    (
        "VP",
        "van-thu-luu-tru",
        "A",
        "province",
        "Thủ tục tiếp nhận, xử lý văn bản đến qua Hệ thống quản lý văn bản và điều hành",
        1,
        "online",
    ),
    (
        "VP",
        "cong-tac-van-phong",
        "A",
        "province",
        "Thủ tục phát hành văn bản đi của Ủy ban nhân dân tỉnh",
        1,
        "in_person online",
    ),
    (
        "SXD-P3",
        "giao-thong-van-tai",
        "A",
        "province",
        "Thủ tục chấp thuận phương án tổ chức giao thông trên đường tỉnh",
        10,
        "in_person post",
    ),
    (
        "SXD-P2",
        "xay-dung",
        "A",
        "province",
        "Thủ tục thẩm định báo cáo kinh tế - kỹ thuật công trình sử dụng vốn ngân sách",
        20,
        "in_person",
    ),
    (
        "SXD-P2",
        "xay-dung",
        "A",
        "province",
        "Thủ tục thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở",
        30,
        "in_person post",
    ),
    (
        "SGDDT-P3",
        "giao-duc-dao-tao",
        "A",
        "province",
        "Thủ tục giao chỉ tiêu tuyển sinh lớp 10 trung học phổ thông công lập",
        15,
        "in_person online",
    ),
    (
        "SGDDT-P2",
        "giao-duc-dao-tao",
        "B",
        "province",
        "Thủ tục phê duyệt kế hoạch giáo dục của trường trung học phổ thông",
        10,
        "in_person",
    ),
    (
        "SYT-P2",
        "y-te",
        "A",
        "province",
        "Thủ tục phân bổ chỉ tiêu tiêm chủng mở rộng cho các xã, phường",
        10,
        "in_person",
    ),
    (
        "SYT-P2",
        "y-te",
        "B",
        "province",
        "Thủ tục thẩm định danh mục kỹ thuật của bệnh viện tuyến tỉnh",
        30,
        "in_person post",
    ),
    (
        "SNNMT-P3",
        "nong-nghiep-moi-truong",
        "A",
        "province",
        "Thủ tục thẩm định kế hoạch sử dụng đất hằng năm cấp xã",
        20,
        "in_person",
    ),
    (
        "SNNMT-P2",
        "nong-nghiep-moi-truong",
        "A",
        "province",
        "Thủ tục phê duyệt phương án ứng phó thiên tai cấp xã",
        15,
        "in_person",
    ),
    (
        "SKHCN-P2",
        "khoa-hoc-cong-nghe",
        "A",
        "province",
        "Thủ tục thẩm định kiến trúc Chính quyền số của cơ quan nhà nước",
        15,
        "online",
    ),
    (
        "SKHCN",
        "khoa-hoc-cong-nghe",
        "A",
        "province",
        "Thủ tục đề xuất đặt hàng nhiệm vụ khoa học và công nghệ cấp tỉnh",
        30,
        "in_person online",
    ),
    (
        "SVHTTDL-P2",
        "van-hoa-the-thao-du-lich",
        "A",
        "province",
        "Thủ tục thẩm định kịch bản lễ hội cấp tỉnh",
        15,
        "in_person",
    ),
    (
        "SCT-P2",
        "cong-thuong",
        "A",
        "province",
        "Thủ tục thẩm định kế hoạch phát triển thương mại điện tử của cơ quan, đơn vị",
        15,
        "in_person",
    ),
    (
        "SDTTG-P2",
        "dan-toc-ton-giao",
        "A",
        "province",
        "Thủ tục báo cáo tình hình hoạt động tôn giáo trên địa bàn xã",
        7,
        "in_person post",
    ),
    (
        "TTT-P2",
        "thanh-tra",
        "B",
        "province",
        "Thủ tục phê duyệt kế hoạch thanh tra hằng năm của Thanh tra tỉnh",
        15,
        "in_person",
    ),
]

# The template list that the central office publishes for every commune (baseline, domain.md §1 CV 1927).
TEMPLATES = [
    ("thi-dua-khen-thuong", "Thủ tục xét tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", 10),
    ("tai-chinh", "Thủ tục lập, phê duyệt dự toán ngân sách cấp xã", 15),
    ("van-thu-luu-tru", "Thủ tục nộp lưu hồ sơ vào Lưu trữ cơ quan cấp xã", 10),
    ("chinh-quyen-dia-phuong", "Thủ tục báo cáo kết quả thực hiện nhiệm vụ kinh tế - xã hội hằng tháng của cấp xã", 5),
]
ADOPTING_COMMUNES = ["LONGCHAU", "PHUOCHAU", "THANHDUC", "LONGHO", "BINHMINH"]
CENTRAL_OFFICE = "VPCP"


def components(field: Field, group: str, level: str, name: str, days: int, channels: str, i: int) -> Components:
    """Plausible content for a demo procedure; varied so that review hints have something to find later."""
    decider = "Chủ tịch Ủy ban nhân dân tỉnh" if level == "province" else "Chủ tịch Ủy ban nhân dân cấp xã"
    steps = [
        {
            "actor": "Cơ quan, đơn vị đề nghị",
            "action": "Lập hồ sơ theo quy định, gửi cơ quan tiếp nhận",
            "duration": "",
        },
        {
            "actor": "Cơ quan tiếp nhận",
            "action": "Kiểm tra, thẩm định hồ sơ; yêu cầu bổ sung nếu chưa đầy đủ",
            "duration": f"{max(days - 5, 1):02d} ngày làm việc",
        },
        {
            "actor": decider if i % 7 else "",
            "action": "Xem xét, quyết định và trả kết quả",
            "duration": "05 ngày làm việc",
        },
    ]
    items = [
        {"name": "Tờ trình đề nghị", "originals": 1, "copies": 0, "certified_copies": 0, "obtainable_from_data": False},
        {
            "name": "Báo cáo, thuyết minh nội dung đề nghị",
            "originals": 1,
            "copies": 0,
            "certified_copies": 0,
            "obtainable_from_data": False,
        },
    ]
    if i % 4 == 0:
        items.append(
            {
                "name": "Quyết định thành lập hoặc giao nhiệm vụ của đơn vị",
                "originals": 0,
                "copies": 0,
                "certified_copies": 1,
                "obtainable_from_data": True,
            }
        )
    if i % 5 == 0:
        items.append(
            {
                "name": "Biên bản họp xét của Hội đồng",
                "originals": 1,
                "copies": 1,
                "certified_copies": 0,
                "obtainable_from_data": False,
            }
        )
    return Components(
        fields={
            "name": name,
            "group": group,
            "level": level,
            "field": field,
            "channels": channels.split(),
            "dossier_sets": 2 if i % 6 == 0 else 1,
            "processing_time_value": Decimal(days),
            "processing_time_unit": "working_days",
            "performers": "Các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh; Ủy ban nhân dân cấp xã"
            if group == "A"
            else "Các phòng, đơn vị thuộc cơ quan",
            "authority": decider if group == "A" else "Thủ trưởng cơ quan",
            "performing_body": "",
            "coordinating_bodies": "Các cơ quan có liên quan" if i % 3 == 0 else "",
            "result": "Quyết định hoặc văn bản trả lời của cơ quan có thẩm quyền",
            "fees": "Không" if i % 9 else "Chi phí thẩm định theo dự toán được duyệt",
            "conditions": "",
            "executions_per_year": 1 + i % 3,
            "subjects_per_year": 10 + (i * 7) % 120,
        },
        steps=steps,
        dossier_items=items,
        legal_bases=[]
        if i == len(CATALOGUE) - 1
        else [
            {
                "number": "72/2025/QH15",
                "date": date(2025, 6, 16),
                "issuer": "Quốc hội",
                "title": "Luật Tổ chức chính quyền địa phương",
                "article": "",
            },
            {
                "number": "1085/QĐ-TTg",
                "date": date(2022, 9, 15),
                "issuer": "Thủ tướng Chính phủ",
                "title": "Quyết định ban hành Kế hoạch rà soát, đơn giản hóa TTHC nội bộ giai đoạn 2022 - 2025",
                "article": "",
            },
        ],
    )


def seed() -> None:
    if Procedure.objects.filter(code__startswith=f"{P}-").exists():
        return  # already seeded: the registry is never re-created, so running twice changes nothing
    fields = {f.code: f for f in Field.objects.all()}
    created = [
        _create(owner, fields[fc], g, lvl, name, days, ch, i)
        for i, (owner, fc, g, lvl, name, days, ch) in enumerate(CATALOGUE)
    ]
    templates = _templates(fields)
    adopted = _adopt(templates)
    _decisions(created, adopted)


# The day the units' inventory (thống kê) was proposed for the first list (Tờ trình 12/TTr-VPUBND ngày 08/7/2025):
# each procedure's legal inventory date, so that the K1 share as of July 2025 reads as it did then.
INVENTORIED_ON = date(2025, 7, 8)


def _create(owner_code, field, group, level, name, days, channels, i) -> Procedure:
    owner = Organisation.objects.get(code=f"{P}-{owner_code}")
    return procedure_create(
        owner=owner,
        components=components(field, group, level, name, days, channels, i),
        code=f"{P}-TTNB-{i + 1:03d}",
        inventoried_on=INVENTORIED_ON,
    )


def _templates(fields) -> list[Procedure]:
    central, _ = Organisation.objects.get_or_create(
        code=CENTRAL_OFFICE,
        defaults={
            "name": "Văn phòng Chính phủ",
            "kind": Organisation.Kind.MINISTRY,
            "short_name": "VPCP",
            "valid_from": date(2008, 1, 1),
        },
    )
    return [
        procedure_create(
            owner=central,
            is_template=True,
            code=f"{CENTRAL_OFFICE}-MAU-{i + 1:02d}",
            components=components(fields[fc], "B", "commune", name, days, "in_person", i + 1),
        )
        for i, (fc, name, days) in enumerate(TEMPLATES)
    ]


def _adopt(templates) -> list[Procedure]:
    adopted = []
    for commune in ADOPTING_COMMUNES:
        owner = Organisation.objects.get(code=f"{P}-{commune}")
        for n, template in enumerate(templates, start=1):
            adopted.append(
                procedure_create(
                    owner=owner,
                    template=template,
                    code=f"{owner.code}-TTNB-{n:02d}",
                    components=Components.of(template.latest_version()),
                    inventoried_on=INVENTORIED_ON,
                )
            )
    return adopted


def _check(procedure) -> None:
    version = procedure.latest_version()
    version.submit()
    version.control()


def _decision(number, signed, effective, procedures_by_change, clauses=None, **extra) -> PublicationDecision:
    """`clauses`: what the decision prints beside some of its procedures (legal ground, transitional clause)."""
    decision = PublicationDecision.objects.create(
        number=number,
        issuer=Organisation.objects.get(code=P),
        signed_on=signed,
        effective_on=effective,
        signer="Nguyễn Quỳnh Thiện",
        signer_title="CHỦ TỊCH",
        legal_bases="Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025\n"
        "Căn cứ Quyết định số 1085/QĐ-TTg ngày 15 tháng 9 năm 2022 của Thủ tướng Chính phủ ban hành Kế hoạch rà "
        "soát, đơn giản hóa thủ tục hành chính nội bộ trong hệ thống hành chính nhà nước giai đoạn 2022 - 2025",
        **extra,
    )
    for change, procedures in procedures_by_change.items():
        for procedure in procedures:
            version = procedure.published_version() if change == Change.ABOLISHED else procedure.latest_version()
            decision_add_item(decision=decision, version=version, change=change, **(clauses or {}).get(procedure, {}))
    return decision


def _amend(procedure, **changes) -> Procedure:
    draft = version_start_next(procedure=procedure)
    content = Components.of(draft)
    content.fields.update(changes)
    version_update(version=draft, components=content)
    _check(procedure)
    return procedure


def _decisions(created: list[Procedure], adopted: list[Procedure]) -> None:
    first_batch = created[0:30] + created[36:46] + adopted[:12]
    for procedure in first_batch:
        _check(procedure)
    d1 = _decision(
        "1523/QĐ-UBND",
        date(2025, 7, 10),
        date(2025, 7, 10),
        {Change.NEW: first_batch},
        title="Về việc công bố Danh mục thủ tục hành chính nội bộ trong hệ thống hành chính nhà nước "
        "thuộc phạm vi quản lý của Ủy ban nhân dân tỉnh Vĩnh Long",
        proposal="Tờ trình số 12/TTr-VPUBND ngày 08/7/2025 của Chánh Văn phòng Ủy ban nhân dân tỉnh",
    )
    decision_issue(decision=d1)
    # QĐ 680 (domain.md §10.1): six new and three amended procedures of the provincial office.
    office_new = created[30:36]
    for procedure in office_new:
        _check(procedure)
    office_amended = [
        _amend(p, processing_time_value=p.published_version().processing_time_value - 2) for p in created[27:30]
    ]
    d2 = _decision(
        "680/QĐ-UBND",
        date(2025, 7, 28),
        date(2025, 7, 28),
        {Change.NEW: office_new, Change.AMENDED: office_amended},
        title="Về việc công bố Danh mục thủ tục hành chính nội bộ được ban hành mới, sửa đổi, bổ sung "
        "trong lĩnh vực Công tác văn phòng; Văn thư và lưu trữ nhà nước; Kiểm soát thủ tục hành "
        "chính thuộc phạm vi chức năng quản lý của Văn phòng Ủy ban nhân dân tỉnh",
        proposal="Tờ trình số 04/TTr-VPUBND ngày 25/7/2025 của Chánh Văn phòng Ủy ban nhân dân tỉnh",
    )
    decision_issue(decision=d2)
    # A later decision amends the flagship award procedure (online submission, shorter time) and abolishes two.
    flagship = _amend(created[0], channels=["in_person", "online"], processing_time_value=Decimal(15))
    d3 = _decision(
        "2150/QĐ-UBND",
        date(2025, 10, 15),
        date(2025, 10, 15),
        {Change.AMENDED: [flagship], Change.ABOLISHED: [created[6], created[10]]},
        clauses={
            created[6]: {
                "legal_ground": "Quy chế thi đua, khen thưởng ban hành kèm theo Quyết định số 2024/QĐ-UBND "
                "ngày 30/9/2025 của Ủy ban nhân dân tỉnh không còn quy định"
            },
            created[10]: {
                "legal_ground": "Quyết định số 2024/QĐ-UBND ngày 30/9/2025 của Ủy ban nhân dân tỉnh",
                "transition_note": "tiếp tục thực hiện đến khi hệ thống quản lý văn bản của tỉnh được nâng cấp",
            },
        },
        title="Về việc công bố Danh mục thủ tục hành chính nội bộ được sửa đổi, bổ sung và bị bãi bỏ "
        "trong lĩnh vực Thi đua - Khen thưởng; Văn thư và lưu trữ nhà nước",
        proposal="Tờ trình số 85/TTr-SNV ngày 08/10/2025 của Giám đốc Sở Nội vụ",
    )
    decision_issue(decision=d3)
    _remaining_statuses(created[46:], adopted[12:])


def _remaining_statuses(created, adopted) -> None:
    """One decision issued for a date still to come; the rest left checked, submitted, returned or draft."""
    scheduled = adopted[:3]
    for procedure in scheduled:
        _check(procedure)
    d4 = _decision(
        "95/QĐ-UBND",
        today(),
        today() + timedelta(days=20),
        {Change.NEW: scheduled},
        title="Về việc công bố Danh mục thủ tục hành chính nội bộ cấp xã áp dụng tại xã, phường",
        proposal=f"Tờ trình số 131/TTr-SNV ngày {today():%d/%m/%Y} của Giám đốc Sở Nội vụ",
    )
    decision_issue(decision=d4)
    for procedure in [created[2], *adopted[3:5]]:
        _check(procedure)
    for procedure in [created[0], created[1], *adopted[5:7]]:
        procedure.latest_version().submit()
    created[0].latest_version().send_back("Đề nghị bổ sung căn cứ pháp lý và thời hạn từng bước.")
