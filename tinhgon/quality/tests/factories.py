"""Builders for quality tests, through the services the pages use."""

from datetime import date, timedelta
from decimal import Decimal

from tinhgon.core.dates import today
from tinhgon.quality import services
from tinhgon.quality.constants import FindingCategory
from tinhgon.quality.models import (
    AuditFinding,
    ConformityAnnouncement,
    InternalAudit,
    QualityProcess,
    ServiceIndexScore,
)


def announcement(unit, number="12/QĐ-SA", signed_on=date(2025, 8, 1), **fields) -> ConformityAnnouncement:
    return services.announcement_save(
        announcement=ConformityAnnouncement(
            organisation=unit, number=number, signed_on=signed_on, signer="Giám đốc Nguyễn Văn A", **fields
        )
    )


def process(unit, code="QT-01", name="Kiểm soát tài liệu", review_in: int | None = 200, **fields) -> QualityProcess:
    values = {"effective_on": today() - timedelta(days=300), "edition": 1, **fields}
    if review_in is not None and "next_review_on" not in values:
        values["next_review_on"] = today() + timedelta(days=review_in)
    procedures = values.pop("procedures", None)
    return services.process_save(
        process=QualityProcess(organisation=unit, code=code, name=name, **values), procedures=procedures
    )


def internal_audit(unit, processes=(), title="Đánh giá nội bộ năm 2026", days_ago=30) -> InternalAudit:
    return services.internal_audit_save(
        internal_audit=InternalAudit(
            organisation=unit,
            title=title,
            conducted_on=today() - timedelta(days=days_ago),
            auditors="Trưởng đoàn: Nguyễn Văn B",
        ),
        processes=list(processes),
    )


def finding(audit, process=None, category=FindingCategory.MINOR, due_in=-5, **fields) -> AuditFinding:
    return services.finding_save(
        finding=AuditFinding(
            audit=audit,
            process=process,
            category=category,
            description=fields.pop("description", "Thiếu phiếu kiểm soát quá trình giải quyết hồ sơ"),
            due_on=today() + timedelta(days=due_in) if due_in is not None else None,
            **fields,
        )
    )


def points(total_each=Decimal(10)) -> dict:
    return {c: Decimal(total_each) for c in services.active_components()}


def score(unit, month: date, each=Decimal(10), publish=False, **fields) -> ServiceIndexScore:
    found = services.score_save(score=ServiceIndexScore(organisation=unit, month=month, **fields), points=points(each))
    if publish:
        found.publish()
    return found
