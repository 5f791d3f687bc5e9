from django.db import models


class Group(models.TextChoices):
    """Nhóm: the two groups of internal procedures, and the ordinary procedures of the province's agencies for
    citizens and businesses, which the registry holds beside them (docs/decisions/0009-procedure-kinds.md)."""

    A = "A", "Nhóm A: giữa các cơ quan hành chính nhà nước"
    B = "B", "Nhóm B: trong 01 cơ quan hành chính nhà nước"
    ORDINARY = "O", "Thủ tục hành chính cho người dân, doanh nghiệp"

    @property
    def kind(self) -> str:
        return Kind.ORDINARY if self == Group.ORDINARY else Kind.INTERNAL

    @property
    def heading(self) -> str:
        """How a decision, a posting list or an export titles the section of this group."""
        if self == Group.ORDINARY:
            return self.label
        return f"Thủ tục hành chính nội bộ {self.label.split(': ', 1)[1]}"

    @property
    def short(self) -> str:
        """The group in a narrow column (its label as the title): "Nhóm A", "Nhóm B", "Thông thường"."""
        return "Thông thường" if self == Group.ORDINARY else f"Nhóm {self.value}"


class Kind(models.TextChoices):
    """Loại thủ tục, derived from the group: internal (A, B) or ordinary."""

    INTERNAL = "internal", "Thủ tục hành chính nội bộ"
    ORDINARY = "ordinary", "Thủ tục hành chính cho người dân, doanh nghiệp"


# The groups the 20 %/20 % ledger, its milestones and review rounds count (QĐ 1085/QĐ-TTg is about internal
# procedures only): every figure of the plan filters on these.
INTERNAL_GROUPS = (Group.A, Group.B)
KIND_GROUPS = {Kind.INTERNAL: INTERNAL_GROUPS, Kind.ORDINARY: (Group.ORDINARY,)}


class Level(models.TextChoices):
    CENTRAL = "central", "Cấp trung ương"
    PROVINCE = "province", "Cấp tỉnh"
    DISTRICT = "district", "Cấp huyện (trước 01/7/2025)"
    COMMUNE = "commune", "Cấp xã"


class Channel(models.TextChoices):
    IN_PERSON = "in_person", "Trực tiếp"
    POST = "post", "Qua dịch vụ bưu chính"
    ONLINE = "online", "Trực tuyến, qua hệ thống điện tử"


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "ngày làm việc"
    DAYS = "days", "ngày"
    HOURS = "hours", "giờ làm việc"
    CLOCK_HOURS = "clock_hours", "giờ"
    WITHIN_DAY = "within_day", "trong ngày"
    MONTHS = "months", "tháng"


class Status(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SUBMITTED = "submitted", "Đã trình"
    RETURNED = "returned", "Bị trả lại"
    CHECKED = "checked", "Đã kiểm soát"
    SCHEDULED = "scheduled", "Đã công bố, chờ hiệu lực"
    PUBLISHED = "published", "Đang có hiệu lực"
    AMENDED = "amended", "Đã được sửa đổi, bổ sung"
    REPLACED = "replaced", "Đã bị thay thế"
    ABOLISHED = "abolished", "Đã bãi bỏ"
    # Abolished by a decision whose item lets it go on being applied for a while ("tiếp tục thực hiện đến khi …",
    # or until a date): still shown on the portal, with the clause, until the transition ends.
    TRANSITIONAL = "transitional", "Đã bãi bỏ, còn áp dụng chuyển tiếp"


EDITABLE = {Status.DRAFT, Status.RETURNED}
ENDED = {Status.AMENDED, Status.REPLACED, Status.ABOLISHED}
# The states the public portal shows today: in force, or abolished but still applied during a transition.
PUBLIC = {Status.PUBLISHED, Status.TRANSITIONAL}


class Change(models.TextChoices):
    NEW = "new", "Mới ban hành"
    AMENDED = "amended", "Sửa đổi, bổ sung"
    REPLACED = "replaced", "Thay thế"
    ABOLISHED = "abolished", "Bãi bỏ"


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ISSUED = "issued", "Đã ban hành, chờ hiệu lực"
    APPLIED = "applied", "Đã có hiệu lực"


# The components a version needs before the focal point may check it (NĐ 63 Art 8.2 applied by analogy; [I] in
# domain.md §4.1). Overridable with the TINHGON_REQUIRED_COMPONENTS setting.
REQUIRED_COMPONENTS = [
    "name",
    "group",
    "level",
    "field",
    "steps",
    "channels",
    "dossier_items",
    "processing_time",
    "performers",
    "authority",
    "result",
    "legal_bases",
]


# The căn cứ every publication decision of internal procedures cites (domain.md §8, QĐ 680/QĐ-UBND of Vĩnh Long,
# 28/7/2025), offered in a new draft for the clerk to complete with the issuer's own (its functions, the plan).
STANDARD_LEGAL_BASES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Quyết định số 1085/QĐ-TTg ngày 15 tháng 9 năm 2022 của Thủ tướng Chính phủ ban hành Kế hoạch rà soát, "
    "đơn giản hóa thủ tục hành chính nội bộ trong hệ thống hành chính nhà nước giai đoạn 2022 - 2025;",
]
