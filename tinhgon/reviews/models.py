"""Review and simplification of published internal procedures (domain.md §3.3-§3.8, §5, §6, §7).

A review round (kế hoạch rà soát) lists one Review (phiếu rà soát) per procedure. A review holds the answers to a
versioned question set, the reviewer's choices on the automatic hints, two cost sheets (current and proposed) and
one Proposal (phương án). Approval decisions approve proposals; approved proposals yield implementation items.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from tinhgon.audit.models import AuditedModel
from tinhgon.core.dates import today
from tinhgon.reviews import costs
from tinhgon.reviews.constants import (
    Action,
    ApprovalStatus,
    ChangeKind,
    Criterion,
    ImplementationStatus,
    Metric,
    ReviewStatus,
    Scenario,
)

ZERO = Decimal(0)


class Milestone(models.Model):
    """A target by a date: national defaults (organisation empty) with per-organisation overrides (domain.md §7).
    The milestone that applies to a unit is its own, else its nearest ancestor's, else the national default."""

    metric = models.CharField("chỉ tiêu", max_length=20, choices=Metric.choices)
    target = models.DecimalField("mức phải đạt (%)", max_digits=5, decimal_places=2)
    due_on = models.DateField("thời hạn")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="áp dụng cho (trống: toàn quốc)",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    source = models.CharField("căn cứ", max_length=300, blank=True)

    class Meta:
        verbose_name = "mốc, chỉ tiêu"
        verbose_name_plural = "mốc, chỉ tiêu"
        ordering = ["metric", "due_on"]

    def __str__(self):
        return f"{self.get_metric_display()} ≥ {self.target}% trước {self.due_on:%d/%m/%Y}"


class QuestionSet(models.Model):
    """A version of the question bank. A review keeps the set it was opened with, so later edits to the bank never
    change an answered form: a set that any review uses is frozen and a new version is made instead."""

    code = models.CharField("mã bộ câu hỏi", max_length=40)
    version = models.PositiveSmallIntegerField("phiên bản", default=1)
    title = models.CharField("tên", max_length=300)
    is_current = models.BooleanField("đang áp dụng", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bộ câu hỏi rà soát"
        verbose_name_plural = "bộ câu hỏi rà soát"
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="questionset_unique_version")]

    def __str__(self):
        return f"{self.title} (phiên bản {self.version})"

    @classmethod
    def current(cls) -> "QuestionSet":
        return cls.objects.filter(is_current=True).order_by("-version").first()


class Question(models.Model):
    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField("thứ tự")
    criterion = models.CharField("tiêu chí", max_length=20, choices=Criterion.choices)
    component = models.CharField("bộ phận của thủ tục", max_length=40, blank=True)
    text = models.TextField("câu hỏi")
    guidance = models.TextField("hướng dẫn trả lời", blank=True)
    # The answer that points to a simplification ("Không" to "is it necessary?"): answers equal to it are flagged.
    flags_when = models.BooleanField("gợi ý đơn giản hóa khi trả lời", null=True, blank=True)

    class Meta:
        ordering = ["question_set", "order"]
        constraints = [models.UniqueConstraint(fields=["question_set", "order"], name="question_unique_order")]

    def __str__(self):
        return self.text


class CostParameterSet(AuditedModel):
    """Average income and working time from which the hourly rate is derived (domain.md §6.2)."""

    name = models.CharField("tên bộ tham số", max_length=200)
    year = models.PositiveSmallIntegerField("năm áp dụng")
    monthly_income = models.DecimalField(
        "thu nhập bình quân tháng (đồng)", max_digits=14, decimal_places=0, validators=[MinValueValidator(1)]
    )
    working_days_per_month = models.DecimalField(
        "số ngày làm việc/tháng", max_digits=4, decimal_places=1, default=22, validators=[MinValueValidator(1)]
    )
    hours_per_day = models.DecimalField(
        "số giờ làm việc/ngày", max_digits=4, decimal_places=1, default=8, validators=[MinValueValidator(1)]
    )
    source = models.CharField("nguồn số liệu", max_length=300, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="cơ quan ban hành (trống: dùng chung)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    audit_name = "parameters"

    class Meta:
        verbose_name = "bộ tham số chi phí"
        verbose_name_plural = "bộ tham số chi phí"
        ordering = ["-year", "name"]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def audit_scope_organisation_id(self):
        return self.organisation_id

    @property
    def rate(self) -> costs.Rate:
        return costs.Rate(self.monthly_income, self.working_days_per_month, self.hours_per_day)

    @property
    def hourly_rate(self) -> Decimal:
        return self.rate.hourly.quantize(costs.CENT)


class ReviewRound(AuditedModel):
    """A review plan (kế hoạch rà soát, domain.md §3.3): the procedures to review, by whom and by when."""

    title = models.CharField("tên kế hoạch", max_length=300)
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name="cơ quan ban hành", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("năm")
    decision_number = models.CharField("số, ký hiệu quyết định/kế hoạch", max_length=60, blank=True)
    decision_date = models.DateField("ngày ban hành", null=True, blank=True)
    deadline = models.DateField("thời hạn hoàn thành", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    audit_name = "round"
    audit_exclude = frozenset({"created_at"})

    class Meta:
        verbose_name = "kế hoạch rà soát"
        verbose_name_plural = "kế hoạch rà soát"
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.title

    def audit_scope_organisation_id(self):
        return self.organisation_id


class ReviewQuerySet(models.QuerySet):
    def within(self, organisations):
        """Reviews of procedures owned within `organisations`, or assigned to a unit within them."""
        return self.filter(models.Q(procedure__owner__in=organisations) | models.Q(responsible__in=organisations))

    def overdue(self, on: date | None = None):
        from tinhgon.reviews.constants import REVIEWED

        return self.filter(deadline__lt=on or today()).exclude(status__in=REVIEWED)


class Review(AuditedModel):
    """The review form (phiếu rà soát) of one procedure in a round (domain.md §3.4)."""

    round = models.ForeignKey(ReviewRound, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="reviews")
    procedure = models.ForeignKey(
        "procedures.Procedure", verbose_name="thủ tục", on_delete=models.PROTECT, related_name="reviews"
    )
    version = models.ForeignKey(
        "procedures.ProcedureVersion",
        verbose_name="phiên bản được rà soát",
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    responsible = models.ForeignKey(
        "organisations.Organisation", verbose_name="đơn vị chủ trì", on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField("thời hạn", null=True, blank=True)
    rationale = models.TextField("căn cứ lựa chọn", blank=True)
    expected_output = models.CharField("dự kiến sản phẩm", max_length=300, blank=True)
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField("trạng thái", max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người rà soát",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_comment = models.TextField("ý kiến trả lại", blank=True)
    assessment = models.TextField("ý kiến đánh giá độc lập", blank=True)
    submitted_on = models.DateField("ngày trình", null=True, blank=True)
    checked_on = models.DateField("ngày kiểm soát", null=True, blank=True)
    approval = models.ForeignKey(
        "ApprovalDecision",
        verbose_name="quyết định phê duyệt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    row_version = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = frozenset({"created_at", "updated_at", "row_version"})

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "phiếu rà soát"
        verbose_name_plural = "phiếu rà soát"
        ordering = ["round", "procedure__code"]
        constraints = [models.UniqueConstraint(fields=["round", "procedure"], name="review_unique_procedure")]
        indexes = [
            models.Index(fields=["status", "checked_on"], name="review_status_idx"),
            # the ledger's "no newer checked review of the same procedure" anti-join
            models.Index(fields=["procedure", "checked_on"], name="review_procedure_checked_idx"),
        ]

    def __str__(self):
        return f"Phiếu rà soát {self.procedure.code}"

    def audit_scope_organisation_id(self):
        return self.responsible_id

    @property
    def is_editable(self) -> bool:
        from tinhgon.reviews.constants import EDITABLE

        return self.status in EDITABLE

    def is_overdue(self, on: date | None = None) -> bool:
        from tinhgon.reviews.constants import REVIEWED

        return bool(self.deadline and self.deadline < (on or today()) and self.status not in REVIEWED)

    def sheet(self, scenario: str):
        return next((s for s in self.cost_sheets.all() if s.scenario == scenario), None)


class Answer(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    answer = models.BooleanField("trả lời (Có/Không)", null=True, blank=True)
    reason = models.TextField("lý do", blank=True)
    proposal = models.TextField("đề xuất", blank=True)

    class Meta:
        ordering = ["question__order"]
        constraints = [models.UniqueConstraint(fields=["review", "question"], name="answer_unique_question")]

    def __str__(self):
        return {True: "Có", False: "Không"}.get(self.answer, "Chưa trả lời")

    @property
    def is_flagged(self) -> bool:
        return self.answer is not None and self.answer == self.question.flags_when


class HintDecision(models.Model):
    """The reviewer's choice on one automatic hint (tinhgon/reviews/hints.py): accepted or dismissed, and why."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="hint_decisions")
    code = models.CharField("mã gợi ý", max_length=40)
    accepted = models.BooleanField("chấp nhận")
    note = models.TextField("ghi chú", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "code"], name="hintdecision_unique_code")]

    def __str__(self):
        return f"{self.code}: {'chấp nhận' if self.accepted else 'bỏ qua'}"


class CostSheet(AuditedModel):
    """A compliance-cost sheet (bảng tính chi phí tuân thủ, domain.md §3.5) in one scenario. It keeps a snapshot of
    the parameters it used, and its totals are stored (recomputed on every save) so that ledgers sum them in SQL."""

    procedure = models.ForeignKey(
        "procedures.Procedure", verbose_name="thủ tục", on_delete=models.PROTECT, related_name="cost_sheets"
    )
    review = models.ForeignKey(
        Review,
        verbose_name="phiếu rà soát",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cost_sheets",
    )
    scenario = models.CharField("phương án", max_length=10, choices=Scenario.choices)
    parameters = models.ForeignKey(
        CostParameterSet, verbose_name="bộ tham số", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parameters_name = models.CharField("tên bộ tham số (lưu lại)", max_length=200, blank=True)
    parameters_source = models.CharField("nguồn tham số (lưu lại)", max_length=300, blank=True)
    monthly_income = models.DecimalField("thu nhập bình quân tháng", max_digits=14, decimal_places=0)
    working_days_per_month = models.DecimalField("số ngày làm việc/tháng", max_digits=4, decimal_places=1)
    hours_per_day = models.DecimalField("số giờ làm việc/ngày", max_digits=4, decimal_places=1)
    executions_per_year = models.DecimalField(
        "số lần thực hiện/năm của một đối tượng",
        max_digits=8,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
    )
    subjects_per_year = models.PositiveIntegerField("số đối tượng thực hiện/năm", default=1)
    cost_per_execution = models.BigIntegerField("chi phí một lần thực hiện (đồng)", default=0, editable=False)
    annual_cost = models.BigIntegerField("chi phí một năm (đồng)", default=0, editable=False)
    row_version = models.PositiveIntegerField(default=0, editable=False)

    audit_name = "cost_sheet"
    audit_exclude = frozenset({"row_version"})

    class Meta:
        verbose_name = "bảng tính chi phí tuân thủ"
        verbose_name_plural = "bảng tính chi phí tuân thủ"
        constraints = [
            models.UniqueConstraint(
                fields=["review", "scenario"], condition=models.Q(review__isnull=False), name="costsheet_one_per_review"
            )
        ]

    def __str__(self):
        return f"Chi phí {self.get_scenario_display().lower()} · {self.procedure.code}"

    def audit_scope_organisation_id(self):
        return self.procedure.owner_id

    @property
    def rate(self) -> costs.Rate:
        return costs.Rate(self.monthly_income, self.working_days_per_month, self.hours_per_day)

    @property
    def hourly_rate(self) -> Decimal:
        return self.rate.hourly.quantize(costs.CENT)

    def use_parameters(self, parameters: CostParameterSet) -> None:
        self.parameters = parameters
        self.parameters_name = parameters.name
        self.parameters_source = parameters.source
        self.monthly_income = parameters.monthly_income
        self.working_days_per_month = parameters.working_days_per_month
        self.hours_per_day = parameters.hours_per_day

    def compute(self, rows=None) -> None:
        """Recompute the stored totals from `rows` (default: the saved rows)."""
        rows = list(self.rows.all()) if rows is None else rows
        self.cost_per_execution = costs.cost_per_execution(self.rate, [row.activity_costs for row in rows])
        self.annual_cost = costs.annual_cost(self.cost_per_execution, self.executions_per_year, self.subjects_per_year)

    def total_hours(self) -> Decimal:
        return sum((row.hours for row in self.rows.all()), ZERO)


class CostRow(models.Model):
    sheet = models.ForeignKey(CostSheet, on_delete=models.CASCADE, related_name="rows")
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    activity = models.CharField("công việc", max_length=300)
    hours = models.DecimalField("số giờ", max_digits=8, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    outsourced_cost = models.PositiveBigIntegerField("chi phí thuê dịch vụ (đồng)", default=0)
    fees = models.PositiveBigIntegerField("phí, lệ phí (đồng)", default=0)
    other_costs = models.PositiveBigIntegerField("chi phí khác: in ấn, sao chụp, đi lại, bưu chính (đồng)", default=0)

    class Meta:
        ordering = ["sheet", "order", "id"]

    def __str__(self):
        return self.activity

    @property
    def activity_costs(self) -> costs.Activity:
        return costs.Activity(self.hours, self.outsourced_cost, self.fees, self.other_costs)

    def cost(self) -> int:
        return costs.vnd(self.activity_costs.exact_cost(self.sheet.rate))


class ApprovalDecision(AuditedModel):
    """Quyết định phê duyệt phương án đơn giản hóa (domain.md §3.7): approves the proposals of its reviews. Group B
    proposals are approved by the leader of the agency; group A ones by a decision of the province (its chairman)."""

    number = models.CharField("số, ký hiệu", max_length=60)
    title = models.CharField("trích yếu", max_length=500, blank=True)
    issuer = models.ForeignKey(
        "organisations.Organisation", verbose_name="cơ quan ban hành", on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField("ngày ký", null=True, blank=True)
    signer = models.CharField("người ký", max_length=200, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=200, blank=True)
    lead_unit = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="cơ quan chủ trì thực thi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("trạng thái", max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_name = "approval"
    audit_exclude = frozenset({"created_at"})

    class Meta:
        verbose_name = "quyết định phê duyệt phương án"
        verbose_name_plural = "quyết định phê duyệt phương án"
        ordering = ["-signed_on", "-id"]

    def __str__(self):
        return self.number

    def audit_scope_organisation_id(self):
        return self.issuer_id


class Proposal(AuditedModel):
    """Phương án đơn giản hóa (domain.md §3.6) of the procedure under review. `changes` lists the component-level
    changes as [{"kind": ChangeKind, "target": "...", "before": "...", "after": "..."}]. Where the action changes
    the procedure, `draft_version` is the draft of its next version, published later through the registry."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="proposal")
    action = models.CharField("phương án", max_length=10, choices=Action.choices)
    changes = models.JSONField("nội dung đơn giản hóa", default=list, blank=True)
    reason = models.TextField("lý do", blank=True)
    legal_acts = models.TextField("kiến nghị thực thi: văn bản cần sửa đổi, ban hành", blank=True)
    implementing_issuer = models.CharField("cơ quan có thẩm quyền ban hành", max_length=300, blank=True)
    implementation_deadline = models.DateField("thời hạn thực thi", null=True, blank=True)
    draft_version = models.ForeignKey(
        "procedures.ProcedureVersion",
        verbose_name="dự thảo phiên bản sau đơn giản hóa",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    implemented_on = models.DateField("ngày hoàn thành thực thi", null=True, blank=True)
    row_version = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = frozenset({"row_version"})

    class Meta:
        verbose_name = "phương án đơn giản hóa"
        verbose_name_plural = "phương án đơn giản hóa"

    def __str__(self):
        return f"{self.get_action_display()} · {self.review.procedure.code}"

    def audit_scope_organisation_id(self):
        return self.review.responsible_id

    def change_rows(self) -> list[dict]:
        labels = dict(ChangeKind.choices)
        return [{**c, "label": labels.get(c.get("kind"), c.get("kind", ""))} for c in self.changes]

    def benefit(self) -> costs.Benefit:
        """Annual cost before (current sheet) and after (proposed sheet; 0 when abolished; unchanged when kept)."""
        current = self.review.sheet(Scenario.CURRENT)
        before = current.annual_cost if current else 0
        if self.action == Action.ABOLISH:
            return costs.Benefit(before, 0)
        proposed = self.review.sheet(Scenario.PROPOSED)
        if self.action == Action.KEEP or proposed is None:
            return costs.Benefit(before, before)
        return costs.Benefit(before, proposed.annual_cost)


class ImplementationItem(AuditedModel):
    """Thực thi phương án (domain.md §3.8): one act to issue for an approved proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="implementation_items")
    act = models.CharField("văn bản cần ban hành, sửa đổi", max_length=500)
    owner = models.ForeignKey(
        "organisations.Organisation", verbose_name="đơn vị chủ trì", on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("thời hạn", null=True, blank=True)
    status = models.CharField(
        "trạng thái", max_length=20, choices=ImplementationStatus.choices, default=ImplementationStatus.NOT_STARTED
    )
    issued_reference = models.CharField("số, ký hiệu văn bản đã ban hành", max_length=120, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)

    audit_name = "implementation"

    class Meta:
        verbose_name = "nhiệm vụ thực thi phương án"
        verbose_name_plural = "nhiệm vụ thực thi phương án"
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.act

    def audit_scope_organisation_id(self):
        return self.owner_id

    def is_overdue(self, on: date | None = None) -> bool:
        return bool(self.due_on and self.due_on < (on or today()) and self.status != ImplementationStatus.DONE)
