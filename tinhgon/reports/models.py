from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from tinhgon.audit.models import AuditedModel
from tinhgon.audit.originals import SignedOriginal
from tinhgon.audit.transitions import Transitions, transition
from tinhgon.core.locking import Versioned
from tinhgon.reports import figures
from tinhgon.reports.periods import Kind, ReportPeriod

VIEW = "reports.view"


class Status(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SUBMITTED = "submitted", "Đã gửi, chờ cấp trên tiếp nhận"
    RETURNED = "returned", "Bị trả lại"
    ACCEPTED = "accepted", "Cấp trên đã tiếp nhận"


# Reports sent up and not sent back: frozen, and (once accepted) counted in the parent's aggregate.
LOCKED_STATES = frozenset({Status.SUBMITTED, Status.ACCEPTED})
RECEIVE = "reports.receive"


class ReportQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """Reports of the units where the user may see reports (a parent unit sees its subtree's): the one rule of
        every report page, endpoint, document and aggregate."""
        return self.filter(organisation__in=policy.organisations(VIEW))


class Report(Transitions, Versioned, AuditedModel, SignedOriginal):
    """A periodic report of an organisation: figures computed from the data as of the cut-off, the narrative the
    author writes, and rows added by hand. Submitting it to the parent freezes everything as it was."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name="cơ quan báo cáo", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("loại báo cáo", max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveSmallIntegerField("kỳ (tháng, quý, nửa năm)", default=1)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày (ngày chốt số liệu)")
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT)
    figures = models.JSONField("số liệu", default=dict, blank=True)
    computed_at = models.DateTimeField("thời điểm tính số liệu", null=True, blank=True)
    results = models.TextField("kết quả đạt được", blank=True)
    difficulties = models.TextField("tồn tại, hạn chế, khó khăn, vướng mắc", blank=True)
    proposals = models.TextField("đề xuất, kiến nghị", blank=True)
    manual_rows = models.JSONField("số liệu nhập tay", default=list, blank=True)
    document_number = models.CharField("số, ký hiệu", max_length=60, blank=True)
    signer = models.CharField("người ký", max_length=200, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=200, blank=True)
    recipients = models.TextField("nơi nhận", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người lập",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người gửi",
    )
    submitted_at = models.DateTimeField("thời điểm gửi", null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người tiếp nhận hoặc trả lại",
    )
    received_at = models.DateTimeField("thời điểm tiếp nhận hoặc trả lại", null=True, blank=True)
    return_reason = models.TextField("lý do trả lại", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_exclude = frozenset({"created_at", "row_version", "figures", "computed_at"})
    original_states = LOCKED_STATES  # sent up (and not sent back): the signed report is what was sent
    original_permission = "reports.submit"
    original_refusal = "Chỉ báo cáo đã gửi mới đính kèm được bản gốc đã ký."

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo định kỳ"
        verbose_name_plural = "báo cáo định kỳ"
        ordering = ["-end", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "year", "number"],
                condition=~models.Q(kind=Kind.AD_HOC),
                name="report_one_per_period",
            )
        ]
        indexes = [models.Index(fields=["kind", "year", "number", "status"], name="report_period_idx")]

    def __str__(self):
        return f"{self.period.title} · {self.organisation}"

    def audit_scope_organisation_id(self):
        return self.organisation_id

    @property
    def period(self) -> ReportPeriod:
        return ReportPeriod(self.kind, self.year, self.number, self.start, self.end)

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATES

    @property
    def receiver(self):
        """The unit the report is sent to: the reporting unit's parent (a division's report goes to its
        department, whose office receives it; a department's to the province)."""
        return self.organisation.parent

    def permits(self, policy, action: str) -> bool:
        """Receiving (accept or return) is decided on the unit the report is sent to, every other action on the
        reporting unit: who sends a report never accepts it themselves."""
        if action == RECEIVE:
            return self.receiver is not None and policy.allows(action, self.receiver)
        return policy.allows(action, self.organisation)

    def compute(self) -> None:
        """Figures from the data as it is now, as of the period's cut-off."""
        self.figures = figures.compute(self.organisation, self.period)
        self.computed_at = timezone.now()

    @transition(
        source={Status.DRAFT, Status.RETURNED},
        target=Status.SUBMITTED,
        permission="reports.submit",
        label="gửi",
        verb="submitted",
    )
    def submit(self, by=None):
        """Send to the parent organisation: the figures are computed one last time and frozen with the text."""
        if not self.results.strip():
            raise ValidationError("Cần viết phần kết quả đạt được trước khi gửi báo cáo.")
        self.compute()
        self.submitted_by, self.submitted_at = by, timezone.now()

    @transition(source={Status.SUBMITTED}, target=Status.RETURNED, permission=RECEIVE, label="trả lại", verb="returned")
    def send_back(self, reason: str, by=None):
        """The receiving office sends the report back to be fixed: it is unlocked for its unit, with the reason."""
        if not (reason or "").strip():
            raise ValidationError({"reason": "Cần ghi rõ lý do trả lại để đơn vị báo cáo chỉnh sửa."})
        self.return_reason = reason.strip()
        self.received_by, self.received_at = by, timezone.now()

    @transition(
        source={Status.SUBMITTED}, target=Status.ACCEPTED, permission=RECEIVE, label="tiếp nhận", verb="accepted"
    )
    def accept(self, by=None):
        """The receiving office takes the report into its own aggregate; it stays frozen."""
        self.return_reason = ""
        self.received_by, self.received_at = by, timezone.now()


def generated_path(instance, filename):
    """Where the background worker stored report files (model removed, docs/decisions/0008); kept for the
    migrations that created it."""
    return f"generated/{instance.user_id}/{filename}"


class DashboardSnapshotQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """Snapshots of the units whose dashboard the user may see."""
        return self.filter(organisation__in=policy.organisations(VIEW))


class DashboardSnapshot(models.Model):
    """The oversight view's figures for one organisation and date, precomputed: the page serves a snapshot younger
    than TINHGON_DASHBOARD_SNAPSHOT_MINUTES (and says when it was computed); an older one is recomputed on the next
    visit, and `refresh_dashboard_snapshots` (the worker, every few minutes) keeps the provinces' warm."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    full = models.BooleanField(default=False)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    objects = DashboardSnapshotQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "as_of", "full"], name="dashboardsnapshot_unique")
        ]

    def __str__(self):
        return f"{self.organisation} · {self.as_of:%d/%m/%Y}"
