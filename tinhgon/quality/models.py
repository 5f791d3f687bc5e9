"""Quality management of an agency (issue 13 item 7): the register of its ISO 9001 quality-management processes with
the decision announcing conformity, its internal audits and their findings; and the monthly scores of the QĐ
766/QĐ-TTg service-quality index, published on the public portal.

ISO 9001. The plans ask agencies to "áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia TCVN ISO 9001:2015
trong hoạt động của cơ quan" and to maintain and improve it (KH 01/KH-SNgV Hà Tĩnh 2023, §II.7 and §III.7.2): the
agency standardises its internal work into processes (quy trình), its head signs the decision announcing the
quality-management system conformant with TCVN ISO 9001:2015 (quyết định công bố hệ thống quản lý chất lượng phù hợp
TCVN ISO 9001:2015, QĐ 19/2014/QĐ-TTg), and internal audits (đánh giá nội bộ) record nonconformities and
observations that the process owners correct by a date.

QĐ 766. The component groups and their maximum points are data (`ServiceIndexComponent`, seeded by migration 0002
with the five groups of the decision), so a revision of the index is a change in the admin, not in the code.

Visibility: every record belongs to one unit and is seen within the scope of `quality.view` (a unit and the units
under it); an audit finding is also seen by who sees its process, since the process owner corrects it.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from tinhgon.audit.models import AuditedModel
from tinhgon.audit.transitions import Transitions, transition
from tinhgon.core.dates import today
from tinhgon.core.locking import Versioned
from tinhgon.core.text import fold_vn, natural_key
from tinhgon.quality.constants import FindingCategory, ProcessStatus, ScoreStatus

VIEW = "quality.view"
MANAGE = "quality.manage"  # the register, announcements, audits and findings of a unit
ENTER = "quality.enter"  # a unit's monthly 766 scores; the corrective action of its processes' findings
PUBLISH = "quality.publish"  # a unit's monthly 766 score made public, or withdrawn
STANDARD = "TCVN ISO 9001:2015"


def upload_path(instance, filename):
    return f"quality/{type(instance).__name__.lower()}/{today():%Y/%m}/{filename}"


def in_scope(policy):
    return policy.organisations(VIEW)


class UnitQuerySet(models.QuerySet):
    """Records that belong to one unit (`organisation`): seen within the scope of `quality.view`."""

    def visible_to(self, policy):
        return self.filter(organisation__in=in_scope(policy))


# ISO 9001 ---------------------------------------------------------------------------------------------------------


class ConformityAnnouncement(Versioned, AuditedModel):
    """Quyết định công bố hệ thống quản lý chất lượng phù hợp TCVN ISO 9001:2015 of one agency: signed by its head,
    announced again when the system's scope changes (a newer decision replaces the older one in the register)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name="cơ quan công bố", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField("số, ký hiệu quyết định", max_length=60)
    signed_on = models.DateField("ngày ký")
    signer = models.CharField("người ký", max_length=200, help_text="Chức vụ và họ tên, ví dụ “Giám đốc Lê Văn A”.")
    standard = models.CharField("tiêu chuẩn áp dụng", max_length=60, default=STANDARD)
    scope = models.TextField(
        "phạm vi áp dụng", blank=True, help_text="Các lĩnh vực, hoạt động được áp dụng hệ thống quản lý chất lượng."
    )

    audit_name = "announcement"
    audit_exclude = frozenset({"row_version"})

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "quyết định công bố hệ thống quản lý chất lượng"
        verbose_name_plural = "quyết định công bố hệ thống quản lý chất lượng"
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"],
                name="quality_announcement_unique_number",
                violation_error_message="Cơ quan đã có quyết định công bố với số, ký hiệu này.",
            )
        ]

    def __str__(self):
        return f"Quyết định số {self.number} ngày {self.signed_on:%d/%m/%Y}"

    def audit_scope_organisation_id(self):
        return self.organisation_id

    def permits(self, policy, action: str) -> bool:
        return policy.allows(action, self.organisation)


class ProcessQuerySet(UnitQuerySet):
    def in_force(self):
        return self.filter(status=ProcessStatus.IN_FORCE)

    def review_due(self, on: date | None = None):
        """Processes in force whose review date has come."""
        return self.in_force().filter(next_review_on__lte=on or today())


class QualityProcess(Transitions, Versioned, AuditedModel):
    """Quy trình ISO: one edition (lần ban hành) of a process of the quality-management system, owned by a unit. A
    new edition supersedes the one in force (`previous`); a process no longer used is abolished. Both keep the row,
    so the register shows each process's history."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name="đơn vị chủ trì", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField("mã quy trình", max_length=30, help_text="Ví dụ “QT-01”.")
    code_key = models.CharField(max_length=120, editable=False, default="")  # the code as it sorts when read
    search_text = models.CharField(max_length=600, editable=False, default="")  # code and name, folded (fold_vn)
    name = models.CharField("tên quy trình", max_length=500)
    edition = models.PositiveSmallIntegerField("lần ban hành", default=1, validators=[MinValueValidator(1)])
    effective_on = models.DateField("ngày hiệu lực")
    announcement = models.ForeignKey(
        ConformityAnnouncement,
        verbose_name="quyết định công bố HTQLCL",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="processes",
    )
    next_review_on = models.DateField(
        "ngày rà soát tiếp theo", null=True, blank=True, help_text="Thường 12 tháng sau lần rà soát, ban hành gần nhất."
    )
    scope = models.TextField("phạm vi, mục đích", blank=True)
    procedures = models.ManyToManyField(
        "procedures.Procedure", verbose_name="thủ tục hành chính nội bộ thực hiện theo quy trình", blank=True
    )
    status = models.CharField(
        "trạng thái", max_length=12, choices=ProcessStatus.choices, default=ProcessStatus.IN_FORCE
    )
    ended_on = models.DateField("ngày hết hiệu lực", null=True, blank=True)
    end_note = models.TextField("lý do bãi bỏ", blank=True)
    previous = models.OneToOneField(
        "self",
        verbose_name="thay thế lần ban hành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_edition",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    audit_name = "process"
    audit_exclude = frozenset({"row_version", "code_key", "search_text", "created_at"})

    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = "quy trình ISO"
        verbose_name_plural = "quy trình ISO"
        ordering = ["organisation", "code_key", "-edition"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code", "edition"],
                name="quality_process_unique_edition",
                violation_error_message="Đơn vị đã có quy trình với mã và lần ban hành này.",
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=Q(status=ProcessStatus.IN_FORCE),
                name="quality_process_one_in_force",
                violation_error_message=(
                    "Đơn vị đã có quy trình với mã này đang áp dụng: ban hành lần mới từ trang của quy trình đó."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "next_review_on"], name="quality_process_review_idx")]

    def __str__(self):
        return f"{self.code} {self.name} (lần {self.edition})"

    def save(self, *args, **kwargs):
        self.code_key = natural_key(self.code)
        self.search_text = fold_vn(f"{self.code} {self.name}")[:600]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "code_key", "search_text"}
        super().save(*args, **kwargs)

    def audit_scope_organisation_id(self):
        return self.organisation_id

    def permits(self, policy, action: str) -> bool:
        return policy.allows(action, self.organisation)

    def review_due_on(self, day: date) -> bool:
        return self.status == ProcessStatus.IN_FORCE and self.next_review_on is not None and self.next_review_on <= day

    @transition(
        source={ProcessStatus.IN_FORCE},
        target=ProcessStatus.ABOLISHED,
        permission=MANAGE,
        label="bãi bỏ",
        verb="abolished",
    )
    def abolish(self, reason: str, on: date | None = None):
        """The process is no longer used; the reason is kept."""
        if not (reason or "").strip():
            raise ValidationError({"end_note": "Cần nêu lý do bãi bỏ quy trình."})
        self.ended_on, self.end_note = on or today(), reason.strip()

    @transition(
        source={ProcessStatus.IN_FORCE},
        target=ProcessStatus.SUPERSEDED,
        permission=None,
        label="thay thế",
        verb="replaced",
    )
    def supersede(self, on: date):
        """Replaced by a new edition effective on `on` (quality.services.process_new_edition)."""
        self.ended_on = on


class InternalAudit(Versioned, AuditedModel):
    """Đánh giá nội bộ: an audit of the agency's quality-management system, of some of its processes."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("đợt đánh giá", max_length=300, help_text="Ví dụ “Đánh giá nội bộ năm 2026”.")
    conducted_on = models.DateField("ngày đánh giá")
    scope = models.TextField("phạm vi đánh giá", blank=True)
    processes = models.ManyToManyField(
        QualityProcess, verbose_name="quy trình được đánh giá", blank=True, related_name="audits"
    )
    auditors = models.TextField("chuyên gia đánh giá", help_text="Trưởng đoàn và các thành viên, mỗi người một dòng.")
    conclusion = models.TextField("kết luận", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    audit_name = "internal_audit"
    audit_exclude = frozenset({"row_version", "created_at"})

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đợt đánh giá nội bộ"
        verbose_name_plural = "đợt đánh giá nội bộ"
        ordering = ["-conducted_on", "-id"]

    def __str__(self):
        return f"{self.title} ({self.conducted_on:%d/%m/%Y})"

    def audit_scope_organisation_id(self):
        return self.organisation_id

    def permits(self, policy, action: str) -> bool:
        return policy.allows(action, self.organisation)


class FindingQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """Seen with its audit, and by who sees its process: the owner unit corrects it."""
        scope = in_scope(policy)
        return self.filter(Q(audit__organisation__in=scope) | Q(process__organisation__in=scope))

    def open(self):
        return self.filter(closed_on__isnull=True)

    def late(self, on: date | None = None):
        return self.open().filter(due_on__lt=on or today())


class AuditFinding(Versioned, AuditedModel):
    """Điểm không phù hợp hoặc khuyến nghị of an internal audit, about a process (or the system as a whole), with
    the corrective action of its owner, its due date and the day it was closed."""

    audit = models.ForeignKey(
        InternalAudit, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="findings"
    )
    process = models.ForeignKey(
        QualityProcess,
        verbose_name="quy trình",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
        help_text="Để trống khi điểm này về hệ thống quản lý chất lượng nói chung.",
    )
    category = models.CharField("phân loại", max_length=12, choices=FindingCategory.choices)
    description = models.TextField("nội dung phát hiện")
    corrective_action = models.TextField("hành động khắc phục", blank=True)
    due_on = models.DateField("hạn khắc phục", null=True, blank=True)
    closed_on = models.DateField("ngày hoàn thành khắc phục", null=True, blank=True)

    audit_name = "finding"
    audit_exclude = frozenset({"row_version"})

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = "điểm không phù hợp, khuyến nghị"
        verbose_name_plural = "điểm không phù hợp, khuyến nghị"
        ordering = ["audit", "id"]

    def __str__(self):
        return f"{self.get_category_display()}: {self.description[:80]}"

    def owner_id(self) -> int:
        """The unit that corrects it: the process's owner, else the audited agency."""
        return self.process.organisation_id if self.process_id else self.audit.organisation_id

    def audit_scope_organisation_id(self):
        return self.audit.organisation_id

    def permits(self, policy, action: str) -> bool:
        """`quality.manage` is checked on the audited agency. The corrective action (`quality.enter`) is the process
        owner's, and the agency's managers may record it for them."""
        if action == ENTER:
            owner = self.process.organisation if self.process_id else self.audit.organisation
            return policy.allows(ENTER, owner) or policy.allows(MANAGE, self.audit.organisation)
        return policy.allows(action, self.audit.organisation)

    def is_late(self, day: date) -> bool:
        return self.closed_on is None and self.due_on is not None and self.due_on < day


# QĐ 766/QĐ-TTg ----------------------------------------------------------------------------------------------------


class ServiceIndexComponent(models.Model):
    """A component group of the QĐ 766/QĐ-TTg index (nhóm chỉ số thành phần) with its maximum points; seeded by
    migration 0002 with the decision's five groups (100 points), editable in the admin. A group no longer used is
    made inactive: the scores already entered for it stay."""

    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("nhóm chỉ số", max_length=200)
    max_points = models.DecimalField("điểm tối đa", max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    description = models.TextField("các chỉ số thành phần", blank=True)
    is_active = models.BooleanField("đang sử dụng", default=True)

    class Meta:
        verbose_name = "nhóm chỉ số (Bộ chỉ số 766)"
        verbose_name_plural = "nhóm chỉ số (Bộ chỉ số 766)"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class ScoreQuerySet(UnitQuerySet):
    def published(self):
        return self.filter(status=ScoreStatus.PUBLISHED)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


class ServiceIndexScore(Transitions, Versioned, AuditedModel):
    """One unit's scores of the QĐ 766 index for one month, entered by the unit with its evidence; the total is
    the sum of its parts. Made public (and withdrawn to be corrected) by the unit's head or the focal point: only
    published months appear on the portal."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField("tháng")  # the first day of the month
    total = models.DecimalField("tổng điểm", max_digits=6, decimal_places=2, default=0, editable=False)
    status = models.CharField("công khai", max_length=10, choices=ScoreStatus.choices, default=ScoreStatus.DRAFT)
    note = models.TextField("ghi chú, giải trình", blank=True)
    evidence = models.FileField("minh chứng", upload_to=upload_path, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(auto_now=True)
    published_on = models.DateField("ngày công khai", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người công khai",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    audit_name = "score"
    audit_exclude = frozenset({"row_version", "entered_at"})

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = "điểm Bộ chỉ số 766 tháng"
        verbose_name_plural = "điểm Bộ chỉ số 766 tháng"
        ordering = ["-month", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"],
                name="quality_score_unique_month",
                violation_error_message="Đơn vị đã có điểm của tháng này.",
            )
        ]
        indexes = [models.Index(fields=["status", "month"], name="quality_score_public_idx")]

    def __str__(self):
        return f"Chỉ số 766 tháng {self.month:%m/%Y} · {self.organisation}"

    def save(self, *args, **kwargs):
        self.month = first_of_month(self.month)
        super().save(*args, **kwargs)

    def audit_scope_organisation_id(self):
        return self.organisation_id

    def permits(self, policy, action: str) -> bool:
        return policy.allows(action, self.organisation)

    @property
    def month_label(self) -> str:
        return f"{self.month:%m/%Y}"

    @transition(source={ScoreStatus.DRAFT}, target=ScoreStatus.PUBLISHED, permission=PUBLISH, label="công khai")
    def publish(self, *, by=None):
        """The month's scores appear on the public portal."""
        if not self.parts.exists():
            raise ValidationError("Chưa có điểm nào để công khai.")
        self.published_on, self.published_by = today(), by

    @transition(
        source={ScoreStatus.PUBLISHED},
        target=ScoreStatus.DRAFT,
        permission=PUBLISH,
        label="thu hồi công khai",
        verb="withdrawn",
    )
    def withdraw(self, *, by=None):
        """Taken off the portal, to be corrected and published again."""
        self.published_on, self.published_by = None, None


class ServiceIndexPart(models.Model):
    """One component group's points in a month's scores (between 0 and the group's maximum)."""

    score = models.ForeignKey(ServiceIndexScore, on_delete=models.CASCADE, related_name="parts")
    component = models.ForeignKey(
        ServiceIndexComponent, verbose_name="nhóm chỉ số", on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField("điểm", max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["component__order", "component_id"]
        constraints = [
            models.UniqueConstraint(fields=["score", "component"], name="quality_part_unique_component"),
            models.CheckConstraint(condition=Q(points__gte=0), name="quality_part_points_not_negative"),
        ]

    def __str__(self):
        return f"{self.component}: {self.points}"
