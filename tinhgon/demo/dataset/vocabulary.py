"""Real Vietnamese vocabularies the generated data set draws its names from.

Provinces: the 34 provincial-level units after the 2025 reorganisation (Nghị quyết 202/2025/QH15 of 12/6/2025), each
with the units merged into it and its number of commune-level units (xã, phường, đặc khu) after the reorganisation of
commune-level units (the Standing Committee's resolutions of 16/6/2025; 3,321 in all: 2,621 xã, 687 phường, 13 đặc
khu). The per-province counts are approximate; `commune_counts()` scales them to the national total exactly.
Departments: the provincial specialised agencies after the 2025 reorganisation (Nghị định 150/2025/NĐ-CP) and other
agencies under the provincial People's Committee. Procedure names follow the patterns of the internal procedures
published by provinces ("Thủ tục <action> <object>").
"""

# (code, name, units merged into it on 01/07/2025 (empty: unchanged), communes after 01/07/2025, city?)
PROVINCES = [
    ("HNI", "Hà Nội", (), 126, True),
    ("HUE", "Huế", (), 40, True),
    ("LCU", "Lai Châu", (), 38, False),
    ("DBN", "Điện Biên", (), 45, False),
    ("SLA", "Sơn La", (), 75, False),
    ("LSN", "Lạng Sơn", (), 65, False),
    ("QNH", "Quảng Ninh", (), 54, False),
    ("THA", "Thanh Hóa", (), 166, False),
    ("NAN", "Nghệ An", (), 130, False),
    ("HTH", "Hà Tĩnh", (), 69, False),
    ("CBG", "Cao Bằng", (), 56, False),
    ("TQG", "Tuyên Quang", ("Hà Giang", "Tuyên Quang"), 124, False),
    ("LCI", "Lào Cai", ("Yên Bái", "Lào Cai"), 99, False),
    ("TNN", "Thái Nguyên", ("Bắc Kạn", "Thái Nguyên"), 92, False),
    ("PTO", "Phú Thọ", ("Vĩnh Phúc", "Hòa Bình", "Phú Thọ"), 148, False),
    ("BNH", "Bắc Ninh", ("Bắc Giang", "Bắc Ninh"), 99, False),
    ("HYN", "Hưng Yên", ("Thái Bình", "Hưng Yên"), 104, False),
    ("HPG", "Hải Phòng", ("Hải Dương", "Hải Phòng"), 114, True),
    ("NBH", "Ninh Bình", ("Hà Nam", "Nam Định", "Ninh Bình"), 129, False),
    ("QTI", "Quảng Trị", ("Quảng Bình", "Quảng Trị"), 78, False),
    ("DNG", "Đà Nẵng", ("Quảng Nam", "Đà Nẵng"), 94, True),
    ("QNI", "Quảng Ngãi", ("Kon Tum", "Quảng Ngãi"), 96, False),
    ("GLI", "Gia Lai", ("Bình Định", "Gia Lai"), 135, False),
    ("KHA", "Khánh Hòa", ("Ninh Thuận", "Khánh Hòa"), 65, False),
    ("LDG", "Lâm Đồng", ("Đắk Nông", "Bình Thuận", "Lâm Đồng"), 124, False),
    ("DLK", "Đắk Lắk", ("Phú Yên", "Đắk Lắk"), 102, False),
    ("HCM", "Hồ Chí Minh", ("Bình Dương", "Thành phố Hồ Chí Minh", "Bà Rịa - Vũng Tàu"), 168, True),
    ("DNI", "Đồng Nai", ("Bình Phước", "Đồng Nai"), 95, False),
    ("TNH", "Tây Ninh", ("Long An", "Tây Ninh"), 96, False),
    ("CTO", "Cần Thơ", ("Sóc Trăng", "Hậu Giang", "Cần Thơ"), 103, True),
    ("VLG", "Vĩnh Long", ("Bến Tre", "Vĩnh Long", "Trà Vinh"), 124, False),
    ("DTP", "Đồng Tháp", ("Tiền Giang", "Đồng Tháp"), 102, False),
    ("CMU", "Cà Mau", ("Bạc Liêu", "Cà Mau"), 64, False),
    ("AGG", "An Giang", ("Kiên Giang", "An Giang"), 102, False),
]
NATIONAL_COMMUNES = 3321
# The share of each kind among the 3,321 (2,621 xã, 687 phường, 13 đặc khu).
COMMUNE_KINDS = (("Xã", 2621), ("Phường", 687), ("Đặc khu", 13))


def commune_counts() -> list[int]:
    """The communes of each province in PROVINCES order, scaled so that they add up to 3,321."""
    raw = [p[3] for p in PROVINCES]
    total = sum(raw)
    scaled = [round(n * NATIONAL_COMMUNES / total) for n in raw]
    scaled[raw.index(max(raw))] += NATIONAL_COMMUNES - sum(scaled)
    return scaled


def province_name(name: str, city: bool) -> str:
    return f"Ủy ban nhân dân {'thành phố' if city else 'tỉnh'} {name}"


# (code, name, field code of its procedures, its own divisions besides the common ones)
DEPARTMENTS = [
    (
        "SNV",
        "Sở Nội vụ",
        "to-chuc-can-bo",
        ["Phòng Tổ chức, biên chế", "Ban Thi đua - Khen thưởng", "Chi cục Văn thư - Lưu trữ"],
    ),
    (
        "STC",
        "Sở Tài chính",
        "tai-chinh",
        ["Phòng Quản lý ngân sách", "Phòng Quản lý giá và công sản", "Phòng Đăng ký kinh doanh"],
    ),
    (
        "STP",
        "Sở Tư pháp",
        "tu-phap",
        ["Phòng Xây dựng và kiểm tra văn bản", "Phòng Hành chính tư pháp", "Phòng Bổ trợ tư pháp"],
    ),
    (
        "SCT",
        "Sở Công Thương",
        "cong-thuong",
        ["Phòng Quản lý thương mại", "Phòng Quản lý công nghiệp", "Chi cục Quản lý thị trường"],
    ),
    (
        "SGDDT",
        "Sở Giáo dục và Đào tạo",
        "giao-duc-dao-tao",
        ["Phòng Giáo dục phổ thông", "Phòng Giáo dục mầm non", "Phòng Quản lý chất lượng"],
    ),
    ("SYT", "Sở Y tế", "y-te", ["Phòng Nghiệp vụ Y", "Phòng Nghiệp vụ Dược", "Chi cục Dân số"]),
    (
        "SNNMT",
        "Sở Nông nghiệp và Môi trường",
        "nong-nghiep-moi-truong",
        ["Chi cục Thủy lợi", "Phòng Quản lý đất đai", "Chi cục Kiểm lâm"],
    ),
    (
        "SXD",
        "Sở Xây dựng",
        "xay-dung",
        ["Phòng Quản lý xây dựng", "Phòng Quản lý giao thông", "Phòng Quản lý nhà và thị trường bất động sản"],
    ),
    (
        "SKHCN",
        "Sở Khoa học và Công nghệ",
        "khoa-hoc-cong-nghe",
        ["Phòng Chuyển đổi số", "Phòng Quản lý khoa học", "Trung tâm Công nghệ thông tin và Truyền thông"],
    ),
    (
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        "van-hoa-the-thao-du-lich",
        ["Phòng Quản lý văn hóa và gia đình", "Phòng Quản lý du lịch", "Phòng Quản lý thể dục thể thao"],
    ),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", "dan-toc-ton-giao", ["Phòng Tôn giáo", "Phòng Chính sách dân tộc"]),
    ("SNGV", "Sở Ngoại vụ", "ngoai-vu", ["Phòng Lãnh sự", "Phòng Hợp tác quốc tế"]),
    ("TTT", "Thanh tra tỉnh", "thanh-tra", ["Phòng Nghiệp vụ 1", "Phòng Nghiệp vụ 2", "Phòng Tiếp công dân"]),
    (
        "BQLKCN",
        "Ban Quản lý các khu công nghiệp",
        "ke-hoach-dau-tu",
        ["Phòng Quản lý doanh nghiệp", "Phòng Quản lý quy hoạch và xây dựng"],
    ),
    ("BQLKKT", "Ban Quản lý khu kinh tế", "ke-hoach-dau-tu", ["Phòng Quản lý đầu tư", "Phòng Quản lý lao động"]),
    ("TCT", "Trường Chính trị tỉnh", "to-chuc-can-bo", ["Phòng Đào tạo", "Khoa Lý luận cơ sở"]),
    ("DPTTH", "Đài Phát thanh và Truyền hình tỉnh", "van-hoa-the-thao-du-lich", ["Phòng Thời sự", "Phòng Kỹ thuật"]),
    (
        "BQLDADD",
        "Ban Quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp",
        "xay-dung",
        ["Phòng Kỹ thuật", "Phòng Kế hoạch"],
    ),
    (
        "BQLDAGT",
        "Ban Quản lý dự án đầu tư xây dựng công trình giao thông",
        "giao-thong-van-tai",
        ["Phòng Kỹ thuật", "Phòng Kế hoạch"],
    ),
    (
        "BQLDANN",
        "Ban Quản lý dự án đầu tư xây dựng công trình nông nghiệp",
        "nong-nghiep-moi-truong",
        ["Phòng Kỹ thuật", "Phòng Kế hoạch"],
    ),
    ("QDTPT", "Quỹ Đầu tư phát triển tỉnh", "tai-chinh", ["Phòng Tín dụng", "Phòng Đầu tư"]),
    (
        "TTXTDT",
        "Trung tâm Xúc tiến đầu tư, thương mại và du lịch",
        "cong-thuong",
        ["Phòng Xúc tiến đầu tư", "Phòng Xúc tiến thương mại"],
    ),
    ("BHXH", "Bảo hiểm xã hội tỉnh", "lao-dong-xa-hoi", ["Phòng Thu - Sổ, thẻ", "Phòng Chế độ bảo hiểm xã hội"]),
    ("QPTDD", "Quỹ Phát triển đất tỉnh", "nong-nghiep-moi-truong", ["Phòng Nghiệp vụ"]),
    (
        "TTPVHCC",
        "Trung tâm Phục vụ hành chính công tỉnh",
        "kiem-soat-tthc",
        ["Phòng Tiếp nhận và trả kết quả", "Phòng Giám sát"],
    ),
]
COMMON_DIVISIONS = ["Văn phòng", "Phòng Kế hoạch - Tài chính", "Phòng Tổ chức cán bộ", "Phòng Pháp chế", "Thanh tra"]

# Syllables of real commune and ward names.
PLACE_1 = [
    "An",
    "Bình",
    "Phước",
    "Long",
    "Tân",
    "Hòa",
    "Thạnh",
    "Mỹ",
    "Phú",
    "Vĩnh",
    "Đông",
    "Tây",
    "Nhơn",
    "Thới",
    "Hưng",
    "Lộc",
    "Trung",
    "Đức",
    "Hiệp",
    "Quới",
    "Thanh",
    "Xuân",
    "Cẩm",
    "Hồng",
    "Kim",
    "Quang",
    "Yên",
    "Nghĩa",
    "Sơn",
    "Thuận",
    "Đại",
    "Hải",
    "Ngọc",
    "Minh",
    "Gia",
    "Tam",
    "Tiên",
    "Vạn",
]
PLACE_2 = [
    "Hậu",
    "Lợi",
    "Thuận",
    "Thành",
    "Hội",
    "Khánh",
    "Điền",
    "Mỹ",
    "Hưng",
    "An",
    "Phú",
    "Xuân",
    "Định",
    "Tường",
    "Lạc",
    "Ninh",
    "Phước",
    "Đông",
    "Lâm",
    "Sơn",
    "Hà",
    "Trạch",
    "Giang",
    "Phong",
    "Thịnh",
    "Tiến",
    "Hòa",
    "Bình",
    "Lương",
]

# Vietnamese personal names: family names by frequency, middle names, given names.
FAMILY_NAMES = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 4),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Lý", 1),
    ("Đinh", 1),
    ("Trịnh", 1),
    ("Mai", 1),
    ("Đoàn", 1),
    ("Lương", 1),
    ("Cao", 1),
)
MIDDLE_NAMES = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Quốc", "Đức", "Thu", "Hoàng", "Xuân", "Kim", "Anh"]
GIVEN_NAMES = [
    "An",
    "Anh",
    "Bình",
    "Cường",
    "Dũng",
    "Duy",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Ngọc",
    "Nhung",
    "Phong",
    "Phúc",
    "Phương",
    "Quân",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Thủy",
    "Trang",
    "Trung",
    "Tú",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
]

# Procedure names: actions and objects by field (the field codes seeded by procedures/migrations/0002).
ACTIONS = [
    "Thủ tục thẩm định",
    "Thủ tục phê duyệt",
    "Thủ tục điều chỉnh",
    "Thủ tục cho ý kiến về",
    "Thủ tục ban hành",
    "Thủ tục sửa đổi, bổ sung",
]
OBJECTS = {
    "to-chuc-can-bo": [
        "bổ nhiệm công chức lãnh đạo, quản lý",
        "điều động, luân chuyển công chức",
        "tuyển dụng viên chức",
        "nâng bậc lương trước thời hạn",
        "biên chế công chức",
        "số lượng người làm việc",
        "vị trí việc làm",
        "cử cán bộ đi đào tạo, bồi dưỡng",
    ],
    "tai-chinh": [
        "dự toán ngân sách",
        "quyết toán vốn đầu tư dự án hoàn thành",
        "phương án sử dụng tài sản công",
        "phương án giá dịch vụ sự nghiệp công",
        "điều chuyển tài sản công",
        "kế hoạch tài chính 05 năm",
    ],
    "tu-phap": [
        "dự thảo văn bản quy phạm pháp luật",
        "kế hoạch phổ biến, giáo dục pháp luật",
        "danh mục văn bản hết hiệu lực",
        "hồ sơ đề nghị xây dựng nghị quyết",
    ],
    "cong-thuong": [
        "kế hoạch phát triển cụm công nghiệp",
        "chương trình khuyến công địa phương",
        "phương án cung ứng điện",
        "kế hoạch xúc tiến thương mại",
    ],
    "giao-duc-dao-tao": [
        "kế hoạch tuyển sinh",
        "danh mục sách giáo khoa",
        "kế hoạch giáo dục nhà trường",
        "đề án thành lập trường trung học phổ thông",
    ],
    "y-te": [
        "kế hoạch phòng, chống dịch bệnh",
        "danh mục kỹ thuật khám bệnh, chữa bệnh",
        "kế hoạch mua sắm thuốc",
        "đề án vị trí việc làm của đơn vị y tế",
    ],
    "nong-nghiep-moi-truong": [
        "kế hoạch sử dụng đất cấp tỉnh",
        "phương án phòng, chống thiên tai",
        "quy trình vận hành công trình thủy lợi",
        "danh mục dự án thu hồi đất",
        "kế hoạch bảo vệ và phát triển rừng",
    ],
    "xay-dung": [
        "nhiệm vụ quy hoạch chung đô thị",
        "báo cáo nghiên cứu khả thi đầu tư xây dựng",
        "kế hoạch phát triển nhà ở",
        "danh mục dự án đầu tư công trình giao thông",
    ],
    "khoa-hoc-cong-nghe": [
        "nhiệm vụ khoa học và công nghệ cấp tỉnh",
        "kế hoạch chuyển đổi số",
        "danh mục dịch vụ công trực tuyến",
        "kiến trúc chính quyền số",
    ],
    "van-hoa-the-thao-du-lich": [
        "kế hoạch tổ chức lễ hội",
        "hồ sơ xếp hạng di tích cấp tỉnh",
        "chương trình phát triển du lịch",
        "kế hoạch tổ chức giải thể thao cấp tỉnh",
    ],
    "dan-toc-ton-giao": [
        "danh sách người có uy tín trong đồng bào dân tộc thiểu số",
        "kế hoạch thực hiện chính sách dân tộc",
        "đề án hỗ trợ vùng đồng bào dân tộc thiểu số",
    ],
    "ngoai-vu": [
        "đoàn ra công tác nước ngoài",
        "đoàn vào làm việc tại tỉnh",
        "kế hoạch hợp tác quốc tế",
        "chương trình thông tin đối ngoại",
    ],
    "thanh-tra": ["kế hoạch thanh tra hằng năm", "kết luận thanh tra", "kế hoạch tiếp công dân định kỳ"],
    "ke-hoach-dau-tu": [
        "chủ trương đầu tư dự án",
        "kế hoạch đầu tư công trung hạn",
        "điều chỉnh dự án đầu tư",
        "danh mục dự án kêu gọi đầu tư",
    ],
    "giao-thong-van-tai": ["kế hoạch bảo trì đường bộ", "phương án tổ chức giao thông", "danh mục tuyến vận tải"],
    "lao-dong-xa-hoi": [
        "kế hoạch giải quyết việc làm",
        "danh sách đối tượng bảo trợ xã hội",
        "kế hoạch giảm nghèo bền vững",
    ],
    "kiem-soat-tthc": [
        "danh mục thủ tục hành chính nội bộ",
        "quy trình nội bộ giải quyết thủ tục hành chính",
        "kế hoạch rà soát, đánh giá thủ tục hành chính",
    ],
}
COMMUNE_OBJECTS = [
    "kế hoạch phát triển kinh tế - xã hội cấp xã",
    "dự toán ngân sách cấp xã",
    "kế hoạch sử dụng đất cấp xã",
    "danh sách hộ nghèo, hộ cận nghèo",
    "quy chế hoạt động của thôn, tổ dân phố",
]
SCOPES = ["", " cấp tỉnh", " thuộc thẩm quyền của Ủy ban nhân dân tỉnh", " của cơ quan chuyên môn", " năm"]

STEPS = [
    ("Đơn vị đề nghị", "Lập hồ sơ, gửi cơ quan giải quyết"),
    ("Bộ phận tiếp nhận", "Tiếp nhận, kiểm tra tính đầy đủ của hồ sơ"),
    ("Phòng chuyên môn", "Thẩm định hồ sơ, trình lãnh đạo"),
    ("Lãnh đạo cơ quan", "Xem xét, ký văn bản"),
    ("Văn thư", "Phát hành văn bản, trả kết quả"),
]
DOSSIER_ITEMS = [
    "Tờ trình đề nghị",
    "Dự thảo quyết định",
    "Báo cáo thuyết minh",
    "Biên bản họp",
    "Văn bản góp ý của các cơ quan",
    "Bảng tổng hợp, giải trình ý kiến góp ý",
    "Danh sách kèm theo",
    "Các tài liệu liên quan khác",
]
LEGAL_BASES = [
    ("72/2025/QH15", "Luật Tổ chức chính quyền địa phương", "Quốc hội"),
    ("64/2025/QH15", "Luật Ban hành văn bản quy phạm pháp luật", "Quốc hội"),
    ("150/2025/NĐ-CP", "Nghị định quy định tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh", "Chính phủ"),
    (
        "118/2025/NĐ-CP",
        "Nghị định về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông",
        "Chính phủ",
    ),
    ("63/2010/NĐ-CP", "Nghị định về kiểm soát thủ tục hành chính", "Chính phủ"),
]
FORMS = ["Mẫu tờ trình", "Mẫu báo cáo", "Mẫu đơn đề nghị", "Mẫu danh sách"]
COST_ACTIVITIES = ["Chuẩn bị hồ sơ", "Nộp hồ sơ và nhận kết quả", "Đi lại, bổ sung hồ sơ", "Sao chụp, in ấn tài liệu"]

TASKS = [
    "Rà soát, đơn giản hóa thủ tục hành chính nội bộ",
    "Công bố, công khai thủ tục hành chính",
    "Cập nhật quy trình nội bộ giải quyết thủ tục hành chính",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Tuyên truyền cải cách hành chính",
    "Kiểm tra công tác cải cách hành chính",
    "Báo cáo tình hình kiểm soát thủ tục hành chính",
    "Nâng cao Chỉ số hài lòng về sự phục vụ hành chính",
    "Triển khai dịch vụ công trực tuyến toàn trình",
    "Rà soát vị trí việc làm",
    "Cải cách tài chính công",
    "Xây dựng chính quyền số",
    "Đánh giá chất lượng phục vụ theo QĐ 766/QĐ-TTg",
]
INDICATORS = [
    ("Tỷ lệ thủ tục hành chính nội bộ được rà soát, đơn giản hóa", "%", "gte", 20),
    ("Tỷ lệ cắt giảm chi phí tuân thủ", "%", "gte", 20),
    ("Tỷ lệ hồ sơ giải quyết đúng hạn", "%", "gte", 98),
    ("Tỷ lệ hồ sơ trực tuyến toàn trình", "%", "gte", 80),
    ("Tỷ lệ số hóa hồ sơ, kết quả giải quyết", "%", "gte", 90),
    ("Số hồ sơ trễ hạn", "hồ sơ", "lte", 10),
    ("Chỉ số hài lòng của người dân", "%", "gte", 90),
    ("Tỷ lệ văn bản điện tử có chữ ký số", "%", "gte", 95),
]
