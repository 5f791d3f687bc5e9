"""Quality work, one user action per function, atomic and audited: saving a process of the register (and its new
edition, which supersedes the one in force), an announcement, an internal audit and its findings, and a unit's
monthly QĐ 766 scores. State changes are transitions of the models (QualityProcess.abolish, supersede;
ServiceIndexScore.publish, withdraw)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tinhgon.audit import context as audit
from tinhgon.core.formatting import number
from tinhgon.core.locking import refuse_stale
from tinhgon.core.uploads import checked
from tinhgon.organisations.models import Organisation
from tinhgon.quality.constants import FindingCategory, ProcessStatus, ScoreStatus
from tinhgon.quality.models import (
    AuditFinding,
    ConformityAnnouncement,
    InternalAudit,
    QualityProcess,
    ServiceIndexComponent,
    ServiceIndexPart,
    ServiceIndexScore,
    first_of_month,
)

GONE = "Bản ghi này vừa bị xóa hoặc thay đổi (có thể do người khác thao tác). Hãy tải lại trang."


def points_text(value) -> str:
    """18, 12,5: points as Vietnamese write them."""
    return number(value)


# ISO 9001 ---------------------------------------------------------------------------------------------------------


def _check_process(process: QualityProcess) -> None:
    if process.next_review_on and process.next_review_on < process.effective_on:
        raise ValidationError({"next_review_on": "Ngày rà soát tiếp theo phải sau ngày hiệu lực."})
    if process.announcement_id:
        above = Organisation.objects.ever_above([process.organisation_id])
        if not above.filter(pk=process.announcement.organisation_id).exists():
            raise ValidationError(
                {"announcement": "Quyết định công bố phải của đơn vị chủ trì hoặc cơ quan cấp trên của đơn vị đó."}
            )
    in_force = QualityProcess.objects.select_for_update().filter(
        organisation_id=process.organisation_id, code=process.code, status=ProcessStatus.IN_FORCE
    )
    if process.pk:
        in_force = in_force.exclude(pk=process.pk)
    if process.status == ProcessStatus.IN_FORCE and in_force.exists():
        raise ValidationError(
            {"code": f"Đơn vị đã có quy trình {process.code} đang áp dụng: ban hành lần mới từ trang của quy trình đó."}
        )
    same_edition = QualityProcess.objects.filter(
        organisation_id=process.organisation_id, code=process.code, edition=process.edition
    )
    if process.pk:
        same_edition = same_edition.exclude(pk=process.pk)
    if same_edition.exists():
        raise ValidationError({"edition": f"Quy trình {process.code} đã có lần ban hành thứ {process.edition}."})


@transaction.atomic
def process_save(
    *, process: QualityProcess, procedures=None, started_from: int | None = None, by=None
) -> QualityProcess:
    """Register a process or edit it (its code, name, dates, announcement and the procedures it implements). Side
    effects: one audit entry."""
    refuse_stale(process, started_from)
    _check_process(process)
    if process.pk is None and by is not None:
        process.created_by = by
    try:
        with transaction.atomic():
            process.save()
    except IntegrityError:
        raise ValidationError({"code": "Mã quy trình và lần ban hành này đã có (có thể người khác vừa lưu)."}) from None
    if procedures is not None:
        process.procedures.set(procedures)
    return process


@transaction.atomic
def process_new_edition(
    *, previous: QualityProcess, process: QualityProcess, procedures=None, by=None
) -> QualityProcess:
    """Issue the next edition of a process in force: the previous edition is superseded from the new one's effective
    date (a transition, audited) and the new one saved with a link to it. Side effects: two audit entries."""
    locked = QualityProcess.objects.select_for_update().get(pk=previous.pk)
    if locked.status != ProcessStatus.IN_FORCE:
        raise ValidationError("Chỉ ban hành lần mới cho quy trình đang áp dụng.")
    if process.effective_on < locked.effective_on:
        raise ValidationError({"effective_on": "Lần ban hành mới phải có hiệu lực sau lần đang áp dụng."})
    process.organisation_id, process.code = locked.organisation_id, locked.code
    process.previous = locked
    if process.edition <= locked.edition:
        process.edition = locked.edition + 1
    locked.supersede(on=process.effective_on)
    with audit.action("quality.process.issued"):
        return process_save(process=process, procedures=procedures, by=by)


@transaction.atomic
def announcement_save(*, announcement: ConformityAnnouncement, started_from: int | None = None):
    refuse_stale(announcement, started_from)
    duplicate = ConformityAnnouncement.objects.filter(
        organisation_id=announcement.organisation_id, number=announcement.number
    ).exclude(pk=announcement.pk)
    if duplicate.exists():
        raise ValidationError({"number": "Cơ quan đã có quyết định công bố với số, ký hiệu này."})
    announcement.save()
    return announcement


@transaction.atomic
def internal_audit_save(
    *, internal_audit: InternalAudit, processes=None, started_from: int | None = None, by=None
) -> InternalAudit:
    """An internal audit and the processes it covered (processes of the audited agency and of its units)."""
    refuse_stale(internal_audit, started_from)
    if processes:
        under = set(Organisation.objects.ever_under([internal_audit.organisation_id]).values_list("pk", flat=True))
        outside = [p for p in processes if p.organisation_id not in under]
        if outside:
            names = ", ".join(p.code for p in outside)
            raise ValidationError({"processes": f"Quy trình không thuộc cơ quan được đánh giá: {names}."})
    if internal_audit.pk is None and by is not None:
        internal_audit.created_by = by
    internal_audit.save()
    if processes is not None:
        internal_audit.processes.set(processes)
    return internal_audit


@transaction.atomic
def finding_save(*, finding: AuditFinding, started_from: int | None = None) -> AuditFinding:
    """A finding of an audit, or its corrective action and closing. A nonconformity needs a due date for its
    correction; a finding cannot be closed before the audit that found it."""
    refuse_stale(finding, started_from)
    if finding.category != FindingCategory.OBSERVATION and finding.due_on is None:
        raise ValidationError({"due_on": "Điểm không phù hợp cần có hạn khắc phục."})
    if finding.closed_on and finding.closed_on < finding.audit.conducted_on:
        raise ValidationError({"closed_on": "Ngày hoàn thành khắc phục không thể trước ngày đánh giá."})
    if finding.closed_on and not (finding.corrective_action or "").strip():
        raise ValidationError({"corrective_action": "Ghi hành động khắc phục đã thực hiện trước khi đóng."})
    finding.save()
    return finding


# QĐ 766 -----------------------------------------------------------------------------------------------------------


def check_points(points: dict) -> None:
    """Each component's points between 0 and its maximum, refused with the component's name."""
    errors = []
    for component, value in points.items():
        if value is None:
            continue
        if value < 0:
            errors.append(f"Điểm “{component.name}” không được âm.")
        elif value > component.max_points:
            errors.append(
                f"Điểm “{component.name}” tối đa {points_text(component.max_points)} điểm "
                f"(đã nhập {points_text(value)})."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def score_save(
    *,
    score: ServiceIndexScore,
    points: dict,
    evidence=None,
    started_from: int | None = None,
    by=None,
) -> ServiceIndexScore:
    """A unit's scores for one month: `points` maps each component (ServiceIndexComponent) to its points (None:
    not scored). Refused above a component's maximum, for a month the unit already has (one row per unit per
    month) and once published (withdraw it first). The total is the sum of the parts. Side effects: one audit
    entry with the new total."""
    score.month = first_of_month(score.month)
    if score.pk:
        refuse_stale(score, started_from)
        stored = ServiceIndexScore.objects.select_for_update().get(pk=score.pk)
        if stored.status == ScoreStatus.PUBLISHED:
            raise ValidationError("Điểm tháng này đã công khai: thu hồi công khai trước khi sửa.")
    check_points(points)
    taken = ServiceIndexScore.objects.filter(organisation_id=score.organisation_id, month=score.month)
    if score.pk:
        taken = taken.exclude(pk=score.pk)
    if taken.exists():
        raise ValidationError(
            {"month": f"{score.organisation.name} đã có điểm tháng {score.month:%m/%Y}: mở bản đã nhập để sửa."}
        )
    if evidence:
        score.evidence = checked(evidence)
    if by is not None:
        score.entered_by = by
    given = {component.pk: value for component, value in points.items() if value is not None}
    kept = Decimal(0)  # the points of components no longer used, which stay
    if score.pk:
        kept = sum(
            (p.points for p in score.parts.filter(component__is_active=False).exclude(component_id__in=given)),
            Decimal(0),
        )
    score.total = sum(given.values(), Decimal(0)) + kept
    try:
        with transaction.atomic():
            score.save()
            parts = {part.component_id: part for part in score.parts.select_for_update()}
            for component_id, value in given.items():
                part = parts.get(component_id) or ServiceIndexPart(score=score, component_id=component_id)
                if part.pk is None or part.points != value:
                    part.points = value
                    part.save()
            score.parts.exclude(component_id__in=given).filter(component__is_active=True).delete()
    except IntegrityError:
        raise ValidationError(
            {"month": f"{score.organisation.name} đã có điểm tháng {score.month:%m/%Y} (có thể người khác vừa nhập)."}
        ) from None
    return score


def active_components() -> list[ServiceIndexComponent]:
    return list(ServiceIndexComponent.objects.filter(is_active=True))


def max_total(components) -> Decimal:
    return sum((c.max_points for c in components), Decimal(0))


def month_of(day: date) -> date:
    return first_of_month(day)
