"""State transitions of a procedure version (domain.md §4.1). Each one checks the source state against ALLOWED,
sets the fields, saves and writes one audit entry under its own action code."""

from django.core.exceptions import ValidationError

from tinhgon.audit import context as audit
from tinhgon.procedures.constants import Status
from tinhgon.procedures.models import ProcedureVersion

# transition: (states it may start from, resulting state, audit verb, Vietnamese verb for messages)
ALLOWED = {
    "submit": ({Status.DRAFT, Status.RETURNED}, Status.SUBMITTED, "submitted", "trình"),
    "check": ({Status.SUBMITTED}, Status.CHECKED, "checked", "kiểm soát"),
    "return": ({Status.SUBMITTED, Status.CHECKED}, Status.RETURNED, "returned", "trả lại"),
}


def transition(version: ProcedureVersion, name: str, **fields) -> ProcedureVersion:
    sources, target, verb, label = ALLOWED[name]
    if version.status not in sources:
        raise ValidationError(f"Không thể {label} thủ tục đang ở trạng thái “{version.get_status_display()}”.")
    with audit.action(f"procedures.version.{verb}"):
        version.status = target
        for key, value in fields.items():
            setattr(version, key, value)
        version.save()
    return version


def version_submit(version: ProcedureVersion) -> ProcedureVersion:
    return transition(version, "submit", review_comment="")


def version_check(version: ProcedureVersion) -> ProcedureVersion:
    """Refuses, listing them, while mandatory components are missing."""
    missing = version.missing_components()
    if missing:
        raise ValidationError(
            [f"Chưa thể kiểm soát: còn thiếu {len(missing)} thành phần bắt buộc."]
            + [f"Thiếu: {label}" for label in missing]
        )
    return transition(version, "check")


def version_return(version: ProcedureVersion, comment: str) -> ProcedureVersion:
    if not (comment or "").strip():
        raise ValidationError({"comment": "Cần ghi rõ lý do trả lại để người soạn thảo chỉnh sửa."})
    return transition(version, "return", review_comment=comment.strip())
