from django.db import models


class ProcessStatus(models.TextChoices):
    IN_FORCE = "in_force", "Đang áp dụng"
    SUPERSEDED = "superseded", "Đã được thay thế"
    ABOLISHED = "abolished", "Đã bãi bỏ"


class FindingCategory(models.TextChoices):
    """What an internal audit records: a nonconformity (major or minor) or an observation (khuyến nghị)."""

    MAJOR = "major", "Không phù hợp nặng"
    MINOR = "minor", "Không phù hợp nhẹ"
    OBSERVATION = "observation", "Khuyến nghị"


class ScoreStatus(models.TextChoices):
    DRAFT = "draft", "Chưa công khai"
    PUBLISHED = "published", "Đã công khai"


class Flag(models.TextChoices):
    """The register's warning filters."""

    REVIEW_DUE = "review_due", "Đến hạn rà soát"
    OPEN_FINDINGS = "open_findings", "Còn điểm chưa khắc phục"
    LATE_FINDINGS = "late_findings", "Có điểm quá hạn khắc phục"
