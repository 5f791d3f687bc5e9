from django.conf import settings
from django.db import models

from tinhgon.audit.models import AuditedModel
from tinhgon.reports.periods import Kind, ReportPeriod


class Status(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SUBMITTED = "submitted", "Đã gửi cấp trên"


class Report(AuditedModel):
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
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("thời điểm gửi", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    row_version = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = frozenset({"created_at", "row_version", "figures", "computed_at"})

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
        return f"{self.get_kind_display()} {self.period.label} · {self.organisation}"

    def audit_scope_organisation_id(self):
        return self.organisation_id

    @property
    def period(self) -> ReportPeriod:
        return ReportPeriod(self.kind, self.year, self.number, self.start, self.end)

    @property
    def is_locked(self) -> bool:
        return self.status == Status.SUBMITTED


class FileStatus(models.TextChoices):
    PENDING = "pending", "Đang chờ"
    RUNNING = "running", "Đang tạo"
    DONE = "done", "Đã xong"
    FAILED = "failed", "Lỗi"


def generated_path(instance, filename):
    return f"generated/{instance.user_id}/{filename}"


class GeneratedFile(models.Model):
    """A document made in the background worker (a long report, a national export) for one user: the page shows
    its progress, and it stays downloadable from the user's list of generated files."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    title = models.CharField("tên tệp", max_length=300)
    format = models.CharField("định dạng", max_length=10)  # docx, xlsx, pdf
    status = models.CharField("trạng thái", max_length=10, choices=FileStatus.choices, default=FileStatus.PENDING)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    message = models.TextField("thông báo", blank=True)
    file = models.FileField("tệp", upload_to=generated_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tệp đã tạo"
        verbose_name_plural = "tệp đã tạo"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class DashboardSnapshot(models.Model):
    """The oversight view's figures for one organisation and date, precomputed: the page serves a snapshot younger
    than TINHGON_DASHBOARD_SNAPSHOT_MINUTES (and says when it was computed); an older one is recomputed on the next
    visit, and `refresh_dashboard_snapshots` (the worker, every few minutes) keeps the provinces' warm."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    full = models.BooleanField(default=False)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "as_of", "full"], name="dashboardsnapshot_unique")
        ]

    def __str__(self):
        return f"{self.organisation} · {self.as_of:%d/%m/%Y}"
