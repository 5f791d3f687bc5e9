"""The demo province: Vĩnh Long after the 2025 reorganisation (34-province map, two-level local government), with
two pre-2025 district-level units whose units were merged into new communes on 01/07/2025."""

from datetime import date

from tinhgon.organisations.models import Organisation
from tinhgon.organisations.services import units_merge

K = Organisation.Kind
PROVINCE = "VLG"
REFORM_DAY = date(2025, 7, 1)
OLD_SINCE = date(2008, 1, 1)

DEPARTMENTS = [
    (
        "SNV",
        "Sở Nội vụ",
        [
            "Văn phòng Sở",
            "Phòng Tổ chức, biên chế và tổ chức phi chính phủ",
            "Ban Thi đua - Khen thưởng",
            "Chi cục Văn thư - Lưu trữ",
        ],
    ),
    ("STC", "Sở Tài chính", ["Văn phòng Sở", "Phòng Quản lý ngân sách", "Phòng Quản lý giá và công sản"]),
    ("STP", "Sở Tư pháp", ["Văn phòng Sở", "Phòng Xây dựng và kiểm tra văn bản", "Phòng Hành chính tư pháp"]),
    ("SCT", "Sở Công Thương", ["Văn phòng Sở", "Phòng Quản lý thương mại", "Phòng Quản lý công nghiệp"]),
    ("SGDDT", "Sở Giáo dục và Đào tạo", ["Văn phòng Sở", "Phòng Tổ chức cán bộ", "Phòng Giáo dục phổ thông"]),
    ("SYT", "Sở Y tế", ["Văn phòng Sở", "Phòng Nghiệp vụ Y", "Phòng Tổ chức cán bộ"]),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", ["Văn phòng Sở", "Chi cục Thủy lợi", "Phòng Quản lý đất đai"]),
    ("SXD", "Sở Xây dựng", ["Văn phòng Sở", "Phòng Quản lý xây dựng", "Phòng Quản lý giao thông"]),
    (
        "SKHCN",
        "Sở Khoa học và Công nghệ",
        ["Văn phòng Sở", "Phòng Chuyển đổi số", "Trung tâm Công nghệ thông tin và Truyền thông"],
    ),
    (
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        ["Văn phòng Sở", "Phòng Quản lý văn hóa và gia đình", "Phòng Quản lý du lịch"],
    ),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", ["Văn phòng Sở", "Phòng Tôn giáo"]),
    ("TTT", "Thanh tra tỉnh", ["Văn phòng", "Phòng Nghiệp vụ 1"]),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp", ["Văn phòng Ban", "Phòng Quản lý doanh nghiệp"]),
]
UNIT_CODES = {
    "Văn phòng Sở": "VP",
    "Văn phòng": "VP",
    "Văn phòng Ban": "VP",
    "Ban Thi đua - Khen thưởng": "TDKT",
    "Chi cục Văn thư - Lưu trữ": "VTLT",
}

COMMUNES = [
    ("LONGCHAU", "Phường Long Châu"),
    ("PHUOCHAU", "Phường Phước Hậu"),
    ("THANHDUC", "Phường Thanh Đức"),
    ("TANHANH", "Phường Tân Hạnh"),
    ("CAIVON", "Phường Cái Vồn"),
    ("DONGTHANH", "Phường Đông Thành"),
    ("TRAVINH", "Phường Trà Vinh"),
    ("LONGDUC", "Phường Long Đức"),
    ("NGUYETHOA", "Phường Nguyệt Hóa"),
    ("HOATHUAN", "Phường Hòa Thuận"),
    ("ANHOI", "Phường An Hội"),
    ("PHUKHUONG", "Phường Phú Khương"),
    ("BENTRE", "Phường Bến Tre"),
    ("SONDONG", "Phường Sơn Đông"),
    ("PHUQUOI", "Xã Phú Quới"),
    ("CAINHUM", "Xã Cái Nhum"),
    ("TANLONGHOI", "Xã Tân Long Hội"),
    ("NHONPHU", "Xã Nhơn Phú"),
    ("BINHPHUOC", "Xã Bình Phước"),
    ("ANBINH", "Xã An Bình"),
    ("TRAON", "Xã Trà Ôn"),
    ("TAMBINH", "Xã Tam Bình"),
    ("VUNGLIEM", "Xã Vũng Liêm"),
]

# Pre-2025 district-level units and their communes, and the new commune each group merged into on 01/07/2025.
LEGACY = [
    (
        ("H-LONGHO", "Huyện Long Hồ"),
        [("TT-LONGHO", "Thị trấn Long Hồ"), ("X-LONGPHUOC", "Xã Long Phước")],
        ("LONGHO", "Xã Long Hồ"),
    ),
    (
        ("TX-BINHMINH", "Thị xã Bình Minh"),
        [("P-THANHPHUOC", "Phường Thành Phước"), ("P-CAIVON-CU", "Phường Cái Vồn (cũ)")],
        ("BINHMINH", "Phường Bình Minh"),
    ),
]


def unit(code, name, kind, parent=None, since=OLD_SINCE, **flags) -> Organisation:
    found, _ = Organisation.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "parent": parent, "valid_from": since, **flags}
    )
    return found


def seed() -> dict:
    province = unit(PROVINCE, "Ủy ban nhân dân tỉnh Vĩnh Long", K.PROVINCE, short_name="UBND tỉnh Vĩnh Long")
    office = unit(
        f"{PROVINCE}-VP",
        "Văn phòng Ủy ban nhân dân tỉnh",
        K.PROVINCIAL_OFFICE,
        province,
        short_name="VP UBND tỉnh",
        is_tthc_focal_unit=True,
    )
    unit(
        f"{PROVINCE}-VP-KSTT",
        "Phòng Kiểm soát thủ tục hành chính",
        K.DEPARTMENT_UNIT,
        office,
        is_tthc_focal_unit=True,
    )
    unit(
        f"{PROVINCE}-VP-HCC",
        "Trung tâm Phục vụ hành chính công",
        K.DEPARTMENT_UNIT,
        office,
        is_state_agency=False,
    )
    for code, name, units in DEPARTMENTS:
        department = unit(
            f"{PROVINCE}-{code}",
            name,
            K.DEPARTMENT,
            province,
            short_name=code,
            since=REFORM_DAY if code in {"SNNMT", "SDTTG"} else OLD_SINCE,
        )
        for i, unit_name in enumerate(units, start=1):
            unit(
                f"{department.code}-{UNIT_CODES.get(unit_name, f'P{i}')}",
                unit_name,
                K.DEPARTMENT_UNIT,
                department,
                since=department.valid_from,
                is_state_agency=False,
            )
    for code, name in COMMUNES:
        unit(f"{PROVINCE}-{code}", name, K.COMMUNE, province, since=REFORM_DAY)
    for (district_code, district_name), communes, (new_code, new_name) in LEGACY:
        district = unit(f"{PROVINCE}-{district_code}", district_name, K.DISTRICT, province)
        olds = [unit(f"{PROVINCE}-{c}", n, K.COMMUNE, district) for c, n in communes]
        if district.valid_to is None:
            units_merge(
                sources=[district, *olds],
                day=REFORM_DAY,
                target_code=f"{PROVINCE}-{new_code}",
                target_name=new_name,
                target_kind=K.COMMUNE,
            )
    return {"province": province, "office": office}
