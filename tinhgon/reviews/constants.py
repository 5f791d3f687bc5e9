from django.db import models


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Đang rà soát"
    SUBMITTED = "submitted", "Đã trình"
    RETURNED = "returned", "Bị trả lại"
    CHECKED = "checked", "Đã kiểm soát"
    ASSESSED = "assessed", "Đã đánh giá độc lập"
    APPROVED = "approved", "Đã phê duyệt phương án"


EDITABLE = {ReviewStatus.DRAFT, ReviewStatus.RETURNED}
# A review counts as done ("đã rà soát") once the focal point has checked it.
REVIEWED = {ReviewStatus.CHECKED, ReviewStatus.ASSESSED, ReviewStatus.APPROVED}


class TeamRole(models.TextChoices):
    """Roles in the review team (Tổ thống kê, rà soát thủ tục hành chính nội bộ), in the order a decision lists
    them."""

    LEADER = "leader", "Tổ trưởng"
    DEPUTY = "deputy", "Tổ phó"
    MEMBER = "member", "Thành viên"
    SECRETARY = "secretary", "Thư ký"


TEAM_ROLE_ORDER = {role: n for n, role in enumerate(TeamRole.values)}


class Criterion(models.TextChoices):
    NECESSITY = "necessity", "Sự cần thiết"
    REASONABLENESS = "reasonableness", "Tính hợp lý"
    LEGALITY = "legality", "Tính hợp pháp"


class Action(models.TextChoices):
    ABOLISH = "abolish", "Bãi bỏ"
    REPLACE = "replace", "Thay thế"
    AMEND = "amend", "Sửa đổi, bổ sung"
    # The process is rebuilt (online end to end, data shared instead of papers) while the procedure's legal text
    # stays as published: its cost and time savings count, the procedure is not "cut" (Hà Nội 2025, 293 TTHC).
    REENGINEER = "reengineer", "Tái cấu trúc quy trình (không sửa đổi văn bản)"
    KEEP = "keep", "Giữ nguyên"


# Actions that count toward the "≥ 20% of procedures cut" target (K4, domain.md §9.1). Re-engineering is not one:
# the procedure as published is unchanged.
SIMPLIFYING = {Action.ABOLISH, Action.REPLACE, Action.AMEND}
# Actions that change the procedure, so the proposal carries a draft next version of it.
CHANGING = {Action.REPLACE, Action.AMEND}
# Actions whose proposed cost sheet and time limit are the figures after approval (an abolition's are 0, a kept
# procedure's unchanged): the changing ones and re-engineering.
COSTED = {Action.REPLACE, Action.AMEND, Action.REENGINEER}


class ChangeKind(models.TextChoices):
    REMOVE_DOSSIER_ITEM = "remove_dossier_item", "Bỏ thành phần hồ sơ"
    REDUCE_COPIES = "reduce_copies", "Giảm số lượng bản chính/bản sao"
    REDUCE_DOSSIER_SETS = "reduce_dossier_sets", "Giảm số bộ hồ sơ"
    CUT_TIME = "cut_time", "Rút ngắn thời hạn giải quyết"
    ADD_ONLINE = "add_online", "Cho phép nộp hồ sơ trực tuyến"
    INTERLINK = "interlink", "Liên thông giữa các cơ quan"
    DECENTRALISE = "decentralise", "Phân cấp, ủy quyền giải quyết"
    REMOVE_STEP = "remove_step", "Bỏ bước thực hiện"
    SIMPLIFY_FORM = "simplify_form", "Đơn giản hóa mẫu đơn, tờ khai"
    SIMPLIFY_CONDITION = "simplify_condition", "Bỏ, đơn giản hóa yêu cầu, điều kiện"
    REMOVE_FEE = "remove_fee", "Bỏ, giảm phí, lệ phí"
    OTHER = "other", "Nội dung khác"


class Scenario(models.TextChoices):
    CURRENT = "current", "Hiện tại"
    PROPOSED = "proposed", "Sau đơn giản hóa"


class Metric(models.TextChoices):
    """What a milestone targets (domain.md §7, §9.1), in the words of the plans (QĐ 1085/QĐ-TTg and the provincial
    plans that copy it): each is a share in %, defined in reviews.ledger.METRIC_DEFINITIONS."""

    PUBLISHED = "published_pct", "Tỷ lệ thủ tục đã công bố trên số đã thống kê"
    REVIEWED = "reviewed_pct", "Tỷ lệ thủ tục đã rà soát"
    SUBMITTED = "submitted_pct", "Tỷ lệ thủ tục đã trình phương án đơn giản hóa"
    APPROVED = "approved_pct", "Tỷ lệ thủ tục có phương án được phê duyệt"
    SIMPLIFIED = "simplified_pct", "Tỷ lệ thủ tục được cắt giảm, đơn giản hóa"
    COST_SAVING = "cost_saving_pct", "Tỷ lệ cắt giảm chi phí tuân thủ"
    IMPLEMENTED = "implemented_pct", "Tỷ lệ phương án đã thực thi"


class MilestoneStatus(models.TextChoices):
    """A target judged by when it was reached (the first day its value reached the target), not by today's value:
    reviews.milestones.judge. Indicators (plans.Indicator) with a deadline are judged the same way."""

    MET_ON_TIME = "met_on_time", "Đạt đúng hạn"
    MET_LATE = "met_late", "Đạt nhưng chậm"
    MISSED = "missed", "Không đạt (quá hạn)"
    AT_RISK = "at_risk", "Có nguy cơ chậm"
    NOT_DUE = "not_due", "Chưa đến hạn"


# The badge colour of each status, on every page that shows one (ledger, reports, indicators).
MILESTONE_BADGES = {
    MilestoneStatus.MET_ON_TIME: "bg-green",
    MilestoneStatus.MET_LATE: "bg-lime",
    MilestoneStatus.MISSED: "bg-red",
    MilestoneStatus.AT_RISK: "bg-orange",
    MilestoneStatus.NOT_DUE: "bg-blue",
}


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa thực thi"
    IN_PROGRESS = "in_progress", "Đang thực thi"
    DONE = "done", "Đã thực thi"


class ApprovalStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ISSUED = "issued", "Đã ban hành"
