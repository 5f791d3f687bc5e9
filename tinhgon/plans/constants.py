from django.db import models


class PlanKind(models.TextChoices):
    REFORM_ANNUAL = "reform_annual", "Kế hoạch cải cách hành chính năm"
    PROCEDURE_REFORM = "procedure_reform", "Kế hoạch kiểm soát, cải cách thủ tục hành chính"
    INTERNAL_PROCEDURE_REVIEW = "internal_procedure_review", "Kế hoạch rà soát thủ tục hành chính nội bộ"
    OTHER = "other", "Kế hoạch khác"


class Recurrence(models.TextChoices):
    NONE = "", "Một lần (theo thời hạn)"
    MONTHLY = "monthly", "Hằng tháng"
    QUARTERLY = "quarterly", "Hằng quý"
    HALF_YEARLY = "half_yearly", "6 tháng"
    YEARLY = "yearly", "Hằng năm"


class ExecutingRule(models.TextChoices):
    """Executing units named by a rule instead of a list, expanded into assignments when the task is saved."""

    NONE = "", "Theo danh sách"
    DEPARTMENTS = "departments", "Các sở, ban, ngành thuộc tỉnh"
    COMMUNES = "communes", "UBND các xã, phường, đặc khu"
    DEPARTMENTS_AND_COMMUNES = "departments_and_communes", "Các sở, ban, ngành và UBND các xã, phường"
    DIVISIONS = "divisions", "Các phòng, đơn vị thuộc cơ quan"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "Chủ trì"
    COORDINATING = "coordinating", "Phối hợp"
    EXECUTING = "executing", "Thực hiện"


class StatusClass(models.TextChoices):
    """The status classes agencies report on (domain.md §4.3)."""

    NOT_DUE = "not_due", "Chưa đến hạn"
    IN_PROGRESS = "in_progress", "Đang thực hiện trong hạn"
    OVERDUE = "overdue", "Quá hạn"
    DONE_ON_TIME = "done_on_time", "Hoàn thành đúng hạn"
    DONE_LATE = "done_late", "Hoàn thành quá hạn"


class PlanStatus(models.TextChoices):
    OPEN = "open", "Đang theo dõi"
    CLOSED = "closed", "Đã kết thúc theo dõi"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "Chờ xem xét"
    APPROVED = "approved", "Đồng ý gia hạn"
    REFUSED = "refused", "Không đồng ý"


class Direction(models.TextChoices):
    AT_LEAST = "gte", "≥ (không thấp hơn)"
    AT_MOST = "lte", "≤ (không cao hơn)"


class Period(models.TextChoices):
    MONTHLY = "monthly", "Tháng"
    QUARTERLY = "quarterly", "Quý"
    HALF_YEARLY = "half_yearly", "6 tháng"
    YEARLY = "yearly", "Năm"


class Source(models.TextChoices):
    """Where an indicator's values come from: computed from the app's data (domain.md §9.1) or entered by hand."""

    MANUAL = "manual", "Nhập thủ công, kèm minh chứng"
    PUBLICATION_COVERAGE = "publication_coverage", "Tỷ lệ thủ tục nội bộ đã công bố (K1)"
    REVIEW_COVERAGE = "review_coverage", "Tỷ lệ thủ tục đã rà soát (K3)"
    PROCEDURE_REDUCTION = "procedure_reduction", "Tỷ lệ thủ tục được cắt giảm, đơn giản hóa (K4)"
    COST_REDUCTION = "cost_reduction", "Tỷ lệ cắt giảm chi phí tuân thủ (K5)"
    IMPLEMENTATION_RATE = "implementation_rate", "Tỷ lệ phương án đã thực thi (K6)"
    ON_TIME_TASK_RATE = "on_time_task_rate", "Tỷ lệ nhiệm vụ hoàn thành đúng hạn (K7)"


class IndicatorStatus(models.TextChoices):
    MET = "met", "Đạt"
    AT_RISK = "at_risk", "Có nguy cơ không đạt"
    MISSED = "missed", "Không đạt"


# Rating bands of an index (domain.md §9.2, [I]): (lowest share of the maximum points, in %, label), highest first.
# Shares, not points: the same bands rate a 100-point index and a 20-point one (16,50 of 20 is 82,5 %: "Tốt").
# Configurable per scorecard.
DEFAULT_BANDS = [
    [90, "Xuất sắc"],
    [80, "Tốt"],
    [70, "Khá"],
    [50, "Trung bình"],
    [0, "Yếu"],
]
