"""Review and simplification of published internal procedures (domain.md §3.3-§3.8, §5, §6, §7).

A review round (kế hoạch rà soát) lists one Review (phiếu rà soát) per procedure. A review holds the answers to a
versioned question set, the reviewer's choices on the automatic hints, two cost sheets (current and proposed) and
one Proposal (phương án). Approval decisions approve proposals; approved proposals yield implementation items.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.db.models.functions import Coalesce

from tinhgon.accounts.models import Membership
from tinhgon.accounts.permissions import RULES, Policy
from tinhgon.audit import context as audit
from tinhgon.audit.models import AuditedModel
from tinhgon.audit.originals import SignedOriginal
from tinhgon.audit.transitions import Transitions, transition
from tinhgon.core.dates import legal_date, today
from tinhgon.core.formatting import day, percent
from tinhgon.core.locking import Versioned
from tinhgon.core.queries import filter_any
from tinhgon.organisations.models import Organisation, OrganisationLink
from tinhgon.procedures.constants import Group
from tinhgon.procedures.constants import Status as VersionStatus
from tinhgon.procedures.models import DecisionGrounds
from tinhgon.reviews import costs
from tinhgon.reviews.constants import (
    CHANGING,
    COSTED,
    EDITABLE,
    REVIEWED,
    Action,
    ApprovalStatus,
    ChangeKind,
    Criterion,
    ImplementationStatus,
    Metric,
    ReviewStatus,
    Scenario,
    TeamRole,
)

ZERO = Decimal(0)
VIEW = "reviews.view"
# Reading an approval decision whole (its Word file, every proposal in it): permits(policy, WHOLE) asks for that
# rule on its issuer while it is a draft (ApprovalDecision.whole_visible_to).
WHOLE = "approvals.read"


def shared_or_reachable(policy) -> Q:
    """Configuration rows (parameter sets, milestones) a user may see: the shared ones (no organisation), those of
    the units in their scope and those of the units above them, whose figures their units use by default."""
    scope = policy.organisations(VIEW)
    above = OrganisationLink.objects.filter(descendant__in=scope).values("ancestor_id")
    return Q(organisation__isnull=True) | Q(organisation__in=scope) | Q(organisation__in=above)


class ConfigurationQuerySet(models.QuerySet):
    def visible_to(self, policy):
        return self.filter(shared_or_reachable(policy))


class Milestone(Versioned, AuditedModel):
    """A target by a date, as a plan words it ("≥ 50 % thủ tục có phương án được phê duyệt trước 01/01/2024"):
    national defaults (organisation empty) and each organisation's own, set from its plan (domain.md §7).
    A unit inherits, metric by metric, the milestones of its nearest unit above that set some for that metric
    (itself first), else the national ones: setting one milestone of a metric replaces all the inherited ones of that
    metric (reviews.ledger.milestones_for). Judged by when it was reached (reviews.milestones)."""

    metric = models.CharField("chỉ tiêu", max_length=20, choices=Metric.choices)
    target = models.DecimalField(
        "mức phải đạt (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
    )
    due_on = models.DateField("thời hạn")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="áp dụng cho (trống: toàn quốc)",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    source = models.CharField("căn cứ (kế hoạch, quyết định)", max_length=300, blank=True)

    audit_exclude = frozenset({"row_version"})

    objects = ConfigurationQuerySet.as_manager()

    class Meta:
        verbose_name = "mốc, chỉ tiêu"
        verbose_name_plural = "mốc, chỉ tiêu"
        ordering = ["metric", "due_on"]

    def __str__(self):
        return f"{self.get_metric_display()} ≥ {percent(self.target)} trước {day(self.due_on)}"

    def audit_scope_organisation_id(self):
        return self.organisation_id

    def permits(self, policy, action: str) -> bool:
        """On its organisation: the national milestones (none) are changed by superusers only."""
        return policy.allows(action, self.organisation)

    def clean(self):
        """One milestone per metric and date for one organisation, in Vietnamese."""
        same = Milestone.objects.filter(metric=self.metric, due_on=self.due_on, organisation=self.organisation_id)
        if self.metric and self.due_on and same.exclude(pk=self.pk).exists():
            raise ValidationError({"due_on": f"Đơn vị đã có mốc “{self.get_metric_display()}” với thời hạn này."})


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


class CostParameterSet(Versioned, AuditedModel):
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
    audit_exclude = frozenset({"row_version"})

    objects = ConfigurationQuerySet.as_manager()

    class Meta:
        verbose_name = "bộ tham số chi phí"
        verbose_name_plural = "bộ tham số chi phí"
        ordering = ["-year", "name"]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def audit_scope_organisation_id(self):
        return self.organisation_id

    def permits(self, policy, action: str) -> bool:
        """On its organisation: a shared set (none) is changed by superusers only."""
        return policy.allows(action, self.organisation)

    @property
    def rate(self) -> costs.Rate:
        return costs.Rate(self.monthly_income, self.working_days_per_month, self.hours_per_day)

    @property
    def hourly_rate(self) -> Decimal:
        return self.rate.hourly.quantize(costs.CENT)


class ReviewRoundQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """Plans of the units the user may see, and plans that hold a review form they may see."""
        listed = Review.objects.visible_to(policy).values("round_id")
        return self.filter(Q(organisation__in=policy.organisations(VIEW)) | Q(pk__in=listed))


class ReviewRound(Versioned, AuditedModel):
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
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người tạo",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    audit_name = "round"
    audit_exclude = frozenset({"created_at", "row_version"})

    objects = ReviewRoundQuerySet.as_manager()

    class Meta:
        verbose_name = "kế hoạch rà soát"
        verbose_name_plural = "kế hoạch rà soát"
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.title

    def audit_scope_organisation_id(self):
        return self.organisation_id

    def permits(self, policy, action: str) -> bool:
        return policy.allows(action, self.organisation)

    def eligible_people(self):
        """Memberships in force in the plan's organisation or a unit under it today: who may sit on its review
        team, each with the unit they come from."""
        units = Organisation.objects.subtree(self.organisation)
        return Membership.objects.active().filter(organisation__in=units, user__is_active=True)

    def assignable_people(self) -> dict[int, str]:
        """Who the plan's forms may be given to, user id -> the name of their unit: the team's members when the
        plan has a team, else the people who may fill in forms in its units (Review.assignee_problem decides for
        each form)."""
        team = self.team_or_none()
        if team is not None:
            members = team.members.select_related("unit").order_by("id")
            return {m.user_id: m.unit.name for m in members}
        editors = self.eligible_people().filter(role__in=list(RULES["reviews.edit"][1]))
        return units_of_people(editors.order_by("user__full_name", "user__username", "id"))

    def team_or_none(self) -> "ReviewTeam | None":
        try:
            return self.team
        except ReviewTeam.DoesNotExist:
            return None


def units_of_people(memberships) -> dict[int, str]:
    """User id -> the name of the unit of their first membership in `memberships` (in its order)."""
    people = {}
    for membership in memberships.select_related("organisation"):
        people.setdefault(membership.user_id, membership.organisation.name)
    return people


DEFAULT_TEAM_NAME = "Tổ thống kê, rà soát thủ tục hành chính nội bộ"


class ReviewTeamQuerySet(models.QuerySet):
    def visible_to(self, policy):
        return self.filter(round__in=ReviewRound.objects.visible_to(policy))


class ReviewTeam(Versioned, AuditedModel):
    """The review team (Tổ thống kê, rà soát thủ tục hành chính nội bộ) of a plan, set up by a decision of the head
    of the agency: a leader (tổ trưởng), deputies, members and a secretary, each from a unit of the agency. When a
    plan has a team, its forms are assigned to the team's members only."""

    round = models.OneToOneField(
        ReviewRound, verbose_name="kế hoạch rà soát", on_delete=models.CASCADE, related_name="team"
    )
    name = models.CharField("tên tổ", max_length=300, default=DEFAULT_TEAM_NAME)
    decision_number = models.CharField("số, ký hiệu quyết định thành lập", max_length=60, blank=True)
    decision_date = models.DateField("ngày ký quyết định", null=True, blank=True)
    signer = models.CharField("người ký", max_length=200, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_name = "team"
    audit_exclude = frozenset({"created_at", "row_version"})

    objects = ReviewTeamQuerySet.as_manager()

    class Meta:
        verbose_name = "tổ thống kê, rà soát"
        verbose_name_plural = "tổ thống kê, rà soát"

    def __str__(self):
        return self.name

    def audit_scope_organisation_id(self):
        return self.round.organisation_id

    def permits(self, policy, action: str) -> bool:
        return self.round.permits(policy, action)


class ReviewTeamMember(AuditedModel):
    """One person of a review team, in a role, from a unit of the plan's organisation (shown by name)."""

    team = models.ForeignKey(ReviewTeam, verbose_name="tổ", on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="cán bộ", on_delete=models.PROTECT, related_name="review_teams"
    )
    role = models.CharField("vai trò trong tổ", max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER)
    unit = models.ForeignKey(
        "organisations.Organisation", verbose_name="đơn vị công tác", on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField("chức vụ", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_name = "team_member"
    audit_exclude = frozenset({"created_at"})

    class Meta:
        verbose_name = "thành viên tổ rà soát"
        verbose_name_plural = "thành viên tổ rà soát"
        ordering = ["team", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="review_team_unique_member")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"

    def audit_scope_organisation_id(self):
        return self.team.round.organisation_id

    def permits(self, policy, action: str) -> bool:
        return self.team.permits(policy, action)


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """Forms of procedures owned by a unit the user may see, assigned to such a unit, or listed in a plan of
        such a unit: the one rule every other review record (sheets, proposals, decisions, items) builds on."""
        if policy.sees_everything(VIEW):  # every form's procedure is owned by a unit in the scope
            return self.all()
        scope = policy.organisations(VIEW)
        # A commune's one form among the country's 46,000: ORed across the joined procedure and plan, the
        # conditions were 40 ms, two or three times on every page of review records (the review plans page 145 → 42
        # ms found each from its index; filter_any).
        conditions = [Q(procedure__owner__in=scope), Q(responsible__in=scope), Q(round__organisation__in=scope)]
        return filter_any(self, conditions, few=not policy.sees_whole_tree(VIEW))

    def within(self, organisations):
        """Reviews of procedures owned within `organisations`, or assigned to a unit within them."""
        return self.filter(Q(procedure__owner__in=organisations) | Q(responsible__in=organisations))

    def overdue(self, on: date | None = None):
        return self.filter(deadline__lt=on or today()).exclude(status__in=REVIEWED)

    def open_for(self, procedure) -> "Review | None":
        """The procedure's form that can still be filled in (draft or returned), the newest if several."""
        return self.filter(procedure=procedure, status__in=EDITABLE).order_by("-id").first()

    def for_form(self):
        """Everything the review form page shows, in a fixed number of queries."""
        return self.select_related(
            "round__organisation",
            "procedure__owner",
            "version__field",
            "responsible",
            "reviewer",
            "assignee",
            "approval",
            "proposal__draft_version",
        ).prefetch_related("cost_sheets__rows", "cost_sheets__parameters")


class Review(Transitions, Versioned, AuditedModel):
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
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.PROTECT, related_name="reviews", verbose_name="bộ câu hỏi rà soát"
    )
    status = models.CharField("trạng thái", max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người rà soát",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người được giao",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_reviews",
        help_text="Cán bộ được giao thực hiện phiếu (thành viên Tổ rà soát khi kế hoạch có Tổ).",
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

    def permits(self, policy, action: str) -> bool:
        """On the responsible unit or the procedure's owner; planning also on the plan's organisation."""
        units = [self.responsible, self.procedure.owner]
        if action == "reviews.plan":
            units.append(self.round.organisation)
        return any(policy.allows(action, unit) for unit in units)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    def assignee_problem(self, user) -> str | None:
        """Why `user` cannot be given this form (None when they can): someone who may fill it in (reviews.edit on
        its unit, so that the form is theirs to open and save) and, when the plan has a review team, a member."""
        team = self.round.team_or_none()
        if team is not None and not team.members.filter(user=user).exists():
            return f"{user} không phải thành viên Tổ thống kê, rà soát của kế hoạch này."
        policy = Policy(user=user, memberships=list(user.memberships_in_force()))
        if not (user.is_active and self.permits(policy, "reviews.edit")):
            return f"{user} không có quyền điền phiếu rà soát của {self.responsible.name}."
        return None

    def is_overdue(self, on: date | None = None) -> bool:
        return bool(self.deadline and self.deadline < (on or today()) and self.status not in REVIEWED)

    def sheet(self, scenario: str):
        return next((s for s in self.cost_sheets.all() if s.scenario == scenario), None)

    def missing(self) -> list[str]:
        """What must be filled before the form can be submitted."""
        missing = [f"Chưa trả lời câu {a.question.order}" for a in self.answers.all() if a.answer is None]
        if not self.sheet(Scenario.CURRENT):
            missing.append("Chưa tính chi phí tuân thủ hiện tại")
        proposal = getattr(self, "proposal", None)
        if proposal is None:
            missing.append("Chưa có phương án đơn giản hóa (kể cả khi giữ nguyên)")
        elif proposal.action in COSTED and not self.sheet(Scenario.PROPOSED):
            missing.append("Chưa tính chi phí tuân thủ sau đơn giản hóa")
        return missing

    def lock_for_edit(self) -> "Review":
        """The stored form, row locked until the end of the transaction, refused unless it can still be filled
        in: an edit and a submit of the same form cannot interleave."""
        stored = Review.objects.select_for_update().get(pk=self.pk)
        if not stored.is_editable:
            raise ValidationError(f"Phiếu rà soát đang ở trạng thái “{stored.get_status_display()}”, không thể sửa.")
        return stored

    # Workflow (domain.md §4.2): the unit head submits, the focal point checks, sends back or assesses; an issued
    # approval decision approves. ----------------------------------------------------------------------------------

    @transition(
        source={ReviewStatus.DRAFT, ReviewStatus.RETURNED},
        target=ReviewStatus.SUBMITTED,
        permission="reviews.submit",
        label="trình",
    )
    def submit(self, on: date | None = None):
        """Refused, listing them, while items are missing (in what is stored, not in what the page loaded). `on` is
        the day the form was submitted in fact (default today): an agency entering its history gives a past day."""
        missing = Review.objects.prefetch_related("answers__question", "cost_sheets").get(pk=self.pk).missing()
        if missing:
            raise ValidationError([f"Chưa thể trình: còn {len(missing)} nội dung chưa hoàn thành.", *missing])
        self.submitted_on = self.legal_date(on, "Ngày trình phiếu", "submitted_on")
        self.return_comment = ""

    @transition(
        source={ReviewStatus.SUBMITTED}, target=ReviewStatus.CHECKED, permission="reviews.check", label="kiểm soát"
    )
    def control(self, on: date | None = None):
        """`on`: the day the focal point checked the form in fact (default today), never before it was submitted."""
        self.checked_on = self.legal_date(on, "Ngày kiểm soát phiếu", "checked_on")

    def legal_date(self, on: date | None, what: str, step: str) -> date:
        """The date of a step of this form (core.dates.legal_date): not in the future, not before its unit existed,
        not before the review plan was issued, and checked never before submitted."""
        after = [(self.round.decision_date, "ngày ban hành kế hoạch rà soát")]
        if step == "checked_on":
            after.append((self.submitted_on, "ngày trình phiếu"))
        return legal_date(on, what=what, unit=self.responsible, after=after)

    @transition(
        source={ReviewStatus.SUBMITTED, ReviewStatus.CHECKED, ReviewStatus.ASSESSED},
        target=ReviewStatus.RETURNED,
        permission="reviews.check",
        label="trả lại",
        verb="returned",
    )
    def send_back(self, comment: str):
        if not (comment or "").strip():
            raise ValidationError({"comment": "Cần ghi rõ lý do trả lại để người rà soát chỉnh sửa."})
        self.return_comment = comment.strip()
        self.checked_on = None

    @transition(
        source={ReviewStatus.CHECKED},
        target=ReviewStatus.ASSESSED,
        permission="reviews.check",
        label="đánh giá độc lập",
    )
    def assess(self, assessment: str):
        if not (assessment or "").strip():
            raise ValidationError({"assessment": "Cần ghi ý kiến đánh giá độc lập."})
        self.assessment = assessment.strip()

    @transition(
        source={ReviewStatus.CHECKED, ReviewStatus.ASSESSED},
        target=ReviewStatus.APPROVED,
        permission=None,
        label="phê duyệt",
    )
    def approve(self, decision: "ApprovalDecision"):
        """Only an approval decision's issue does this: the proposal gets its implementation items, once (a second
        approval finds the form approved and is refused before creating anything)."""
        self.approval = decision
        Proposal.objects.get(review=self).create_implementation(decision)


class ThroughReviewQuerySet(models.QuerySet):
    """Rows that belong to one review form: visible with it."""

    def visible_to(self, policy):
        return self.filter(review__in=Review.objects.visible_to(policy))


class Answer(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    answer = models.BooleanField("trả lời (Có/Không)", null=True, blank=True)
    reason = models.TextField("lý do", blank=True)
    proposal = models.TextField("đề xuất", blank=True)

    objects = ThroughReviewQuerySet.as_manager()

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

    objects = ThroughReviewQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "code"], name="hintdecision_unique_code")]

    def __str__(self):
        return f"{self.code}: {'chấp nhận' if self.accepted else 'bỏ qua'}"


class CostSheetQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """Sheets of the forms the user may see; a standalone sheet (no form) with its procedure's owner. Every
        sheet for one who sees every unit: the nation's page of sheets was 80 ms of the OR across forms and owners."""
        if policy.sees_everything(VIEW):
            return self.all()
        return self.filter(
            Q(review__in=Review.objects.visible_to(policy))
            | Q(review__isnull=True, procedure__owner__in=policy.organisations(VIEW))
        )


class CostSheet(Versioned, AuditedModel):
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

    audit_name = "cost_sheet"
    audit_exclude = frozenset({"row_version"})

    objects = CostSheetQuerySet.as_manager()

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

    def permits(self, policy, action: str) -> bool:
        if self.review_id is not None:
            return self.review.permits(policy, action)
        return policy.allows(action, self.procedure.owner)

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


# Group A proposals are approved by the province (its chairman) or a ministry, never by a department head.
GROUP_A_APPROVERS = {Organisation.Kind.PROVINCE, Organisation.Kind.MINISTRY}


class ApprovalDecisionQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """Decisions of the units the user may see, and decisions holding a review form they may see (which
        shows them those forms only: ApprovalDecision.whole_visible_to)."""
        holding = Review.objects.visible_to(policy).filter(approval__isnull=False).values("approval_id")
        return self.filter(Q(issuer__in=policy.organisations(VIEW)) | Q(pk__in=holding))


class ApprovalDecision(DecisionGrounds, Transitions, Versioned, AuditedModel, SignedOriginal):
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
    audit_exclude = frozenset({"created_at", "row_version"})
    original_states = frozenset({ApprovalStatus.ISSUED})
    original_permission = "reviews.approve"

    objects = ApprovalDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "quyết định phê duyệt phương án"
        verbose_name_plural = "quyết định phê duyệt phương án"
        ordering = ["-signed_on", "-id"]

    def __str__(self):
        return self.number

    @staticmethod
    def with_review_counts(decisions, policy) -> list["ApprovalDecision"]:
        """The decisions (a page of them), each with `n_reviews`: how many of its forms the user may see (not
        others': a draft shows a unit only its own), in one query whatever their number. Counted per decision in a
        subquery, the forms' visibility was worked out again for each (40 ms a decision for the nation)."""
        decisions = list(decisions)
        rows = Review.objects.visible_to(policy).filter(approval__in=[d.pk for d in decisions])
        counts = dict(rows.order_by().values("approval").annotate(n=Count("pk")).values_list("approval", "n"))
        for decision in decisions:
            decision.n_reviews = counts.get(decision.pk, 0)
        return decisions

    def audit_scope_organisation_id(self):
        return self.issuer_id

    def permits(self, policy, action: str) -> bool:
        if action == WHOLE:
            return self.whole_visible_to(policy)
        return policy.allows(action, self.issuer)

    def whole_visible_to(self, policy) -> bool:
        """May the user read the whole decision, every proposal in it? Always once issued; for a draft, only over
        the issuer: a unit that sees the draft because one of its forms is in it must not read the others'."""
        return self.status != ApprovalStatus.DRAFT or policy.allows(WHOLE, self.issuer)

    def problems_with(self, review: Review) -> list[str]:
        """Why this decision cannot approve `review`'s proposal (empty when it can)."""
        code = review.procedure.code
        errors = []
        if review.status not in {ReviewStatus.CHECKED, ReviewStatus.ASSESSED}:
            errors.append(f"Phiếu {code} chưa được kiểm soát, chưa thể phê duyệt.")
        if getattr(review, "proposal", None) is None:
            errors.append(f"Phiếu {code} chưa có phương án.")
        if review.approval_id and review.approval_id != self.pk:
            errors.append(f"Phương án của {code} đã thuộc quyết định {review.approval}.")
        if review.version.group == Group.A and self.issuer.kind not in GROUP_A_APPROVERS:
            errors.append(
                f"{code} thuộc nhóm A: phương án do Chủ tịch UBND tỉnh (hoặc Bộ) phê duyệt, "
                "không do thủ trưởng cơ quan."
            )
        if not Organisation.objects.ever_under([self.issuer]).filter(pk=review.procedure.owner_id).exists():
            errors.append(f"{code} không thuộc phạm vi của {self.issuer}.")
        return errors

    def issue_problems(self) -> list[str]:
        """Why `issue` would refuse this decision now (empty when it may be issued): the confirmation page shows
        them before the user tries."""
        if self.status != ApprovalStatus.DRAFT:
            return ["Quyết định đã được ban hành."]
        reviews = list(self.reviews.select_related("procedure", "version", "proposal"))
        problems = [] if reviews else ["Quyết định chưa phê duyệt phương án nào."]
        if not (self.number and self.signed_on and self.signer):
            problems.append("Cần ghi số, ký hiệu, ngày ký và người ký trước khi ban hành.")
        problems += self.grounds_problems()
        return problems + self.signing_problems(reviews) + [e for r in reviews for e in self.problems_with(r)]

    def signing_problems(self, reviews) -> list[str]:
        """What is wrong with the signing date (core.dates.legal_date): in the future, before the issuer existed, or
        before a form it approves was checked."""
        if not self.signed_on:
            return []
        after = [(r.checked_on, f"ngày kiểm soát phiếu {r.procedure.code}") for r in reviews]
        try:
            legal_date(self.signed_on, what="Ngày ký quyết định phê duyệt", unit=self.issuer, after=after)
        except ValidationError as error:
            return error.messages
        return []

    def owning_agencies(self) -> set:
        return {r.procedure.owner.agency() for r in self.reviews.select_related("procedure__owner__parent")}

    @transition(
        source={ApprovalStatus.DRAFT}, target=ApprovalStatus.ISSUED, permission="reviews.approve", label="ban hành"
    )
    def issue(self):
        """Record the signed decision: each of its forms is approved and its proposal gets its implementation items.
        Refused, listing them, while anything stops it (issue_problems)."""
        problems = self.issue_problems()
        if problems:
            raise ValidationError(problems)
        for review in self.reviews.select_related("procedure").order_by("pk"):
            review.approve(self)


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, policy):
        return self.filter(review__in=Review.objects.visible_to(policy))


class Proposal(Versioned, AuditedModel):
    """Phương án đơn giản hóa (domain.md §3.6) of the procedure under review. `changes` lists the component-level
    changes as [{"kind": ChangeKind, "target": "...", "before": "...", "after": "..."}]. Where the action changes
    the procedure, `draft_version` is the draft of its next version, published later through the registry."""

    review = models.OneToOneField(
        Review, on_delete=models.CASCADE, related_name="proposal", verbose_name="phiếu rà soát"
    )
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
    # Thời hạn giải quyết before (read from the version under review, ProcedureVersion.processing_working_days) and
    # after (entered), both in working days, so an option's time cut is days and % of the same unit.
    time_before = models.DecimalField(
        "thời hạn giải quyết trước đơn giản hóa (ngày làm việc)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    time_after = models.DecimalField(
        "thời hạn giải quyết sau đơn giản hóa (ngày làm việc)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    audit_exclude = frozenset({"row_version"})

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "phương án đơn giản hóa"
        verbose_name_plural = "phương án đơn giản hóa"

    def __str__(self):
        return f"{self.get_action_display()} · {self.review.procedure.code}"

    def audit_scope_organisation_id(self):
        return self.review.responsible_id

    def permits(self, policy, action: str) -> bool:
        return self.review.permits(policy, action)

    def change_rows(self) -> list[dict]:
        labels = dict(ChangeKind.choices)
        return [{**c, "label": labels.get(c.get("kind"), c.get("kind", ""))} for c in self.changes]

    def benefit(self) -> costs.Benefit:
        """Annual cost before (current sheet) and after (proposed sheet of an amended, replaced or re-engineered
        procedure; 0 when abolished; unchanged when kept)."""
        current = self.review.sheet(Scenario.CURRENT)
        before = current.annual_cost if current else 0
        if self.action == Action.ABOLISH:
            return costs.Benefit(before, 0)
        proposed = self.review.sheet(Scenario.PROPOSED)
        if self.action not in COSTED or proposed is None:
            return costs.Benefit(before, before)
        return costs.Benefit(before, proposed.annual_cost)

    def time_cut(self) -> costs.TimeCut | None:
        """Days and % of thời hạn giải quyết cut by an amended, replaced or re-engineered procedure, when both
        times are recorded (None otherwise: an abolition has no time after, a kept procedure none cut)."""
        if self.action not in COSTED or self.time_before is None or self.time_after is None:
            return None
        return costs.TimeCut(self.time_before, self.time_after)

    def implementation_acts(self) -> list[str]:
        """The acts to draft once the proposal is approved, one implementation item each: the lines of its legal
        acts, or the decision re-publishing the procedure; none for a procedure kept as it is."""
        if self.action == Action.KEEP:
            return []
        acts = [line.strip(" -•\t") for line in self.legal_acts.splitlines() if line.strip(" -•\t")]
        code = self.review.procedure.code
        if not acts and self.action == Action.REENGINEER:  # no legal text changes: the process is what is issued
            return [f"Quy trình nội bộ, quy trình điện tử giải quyết thủ tục {code} sau tái cấu trúc"]
        return acts or [f"Văn bản công bố thủ tục {code} sau đơn giản hóa"]

    def create_implementation(self, decision: ApprovalDecision) -> list["ImplementationItem"]:
        """One implementation item per act, led by the decision's lead unit (else the procedure's owner). Called by
        Review.approve only, which runs once per form."""
        owner_id = decision.lead_unit_id or self.review.procedure.owner_id
        items = []
        for act in self.implementation_acts():
            with audit.action("reviews.implementation.created"):
                items.append(
                    ImplementationItem.objects.create(
                        proposal=self, act=act[:500], owner_id=owner_id, due_on=self.implementation_deadline
                    )
                )
        return items

    def implementation_date(self, version) -> date | None:
        """The day a version taking effect (or abolished) implements this approved proposal, None if it does not:
        the publication of the draft it carries, or the day after the abolished version's last day."""
        if self.action == Action.ABOLISH and version.status == VersionStatus.ABOLISHED:
            return version.effective_to + timedelta(days=1) if version.effective_to else today()
        if self.action in CHANGING and self.draft_version_id == version.pk:
            return version.effective_to or version.effective_from or today()
        return None


class ImplementationItemQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """Items led by a unit the user may see, and the items of the proposals they may see."""
        return self.filter(
            Q(owner__in=policy.organisations(VIEW)) | Q(proposal__review__in=Review.objects.visible_to(policy))
        )

    def overdue(self, on: date | None = None):
        """Past their deadline on `on` and not yet done (ImplementationItem.is_overdue, as a filter)."""
        return self.filter(ImplementationItem.late_on(on or today()))

    def late_first(self, on: date | None = None):
        """The overdue items first (`late` 0), then by deadline (none last), ordered by names so that
        core.queries.summarise can count and page them in one pass: the order of the implementation page."""
        late = Case(When(ImplementationItem.late_on(on or today()), then=Value(0)), default=Value(1))
        due = Coalesce("due_on", Value(date.max))  # NULLs sort first on SQLite, last on PostgreSQL
        return self.annotate(late=late, due_key=due).order_by("late", "due_key", "pk")


class ImplementationItem(Transitions, Versioned, AuditedModel):
    """Thực thi phương án (domain.md §3.8): one act to issue for an approved proposal."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="implementation_items", verbose_name="phương án"
    )
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
    audit_exclude = frozenset({"row_version"})

    objects = ImplementationItemQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm vụ thực thi phương án"
        verbose_name_plural = "nhiệm vụ thực thi phương án"
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.act

    def audit_scope_organisation_id(self):
        return self.owner_id

    def permits(self, policy, action: str) -> bool:
        return policy.allows(action, self.owner)

    def is_overdue(self, on: date | None = None) -> bool:
        return bool(self.due_on and self.due_on < (on or today()) and self.status != ImplementationStatus.DONE)

    @staticmethod
    def late_on(day: date) -> Q:
        """is_overdue on `day`, as a condition."""
        return Q(due_on__lt=day) & ~Q(status=ImplementationStatus.DONE)

    @transition(
        source={ImplementationStatus.NOT_STARTED},
        target=ImplementationStatus.IN_PROGRESS,
        permission="reviews.implement",
        label="bắt đầu thực thi",
        verb="started",
    )
    def start(self):
        pass

    @transition(
        source={ImplementationStatus.NOT_STARTED, ImplementationStatus.IN_PROGRESS},
        target=ImplementationStatus.DONE,
        permission="reviews.implement",
        label="hoàn thành thực thi",
        verb="completed",
    )
    def complete(self, issued_reference: str, issued_on: date | None = None):
        """Record the act issued: its number (required) and date (default today, never in the future)."""
        if not (issued_reference or "").strip():
            raise ValidationError({"issued_reference": "Cần ghi số, ký hiệu văn bản đã ban hành."})
        signed_on = self.proposal.review.approval.signed_on if self.proposal.review.approval_id else None
        issued_on = legal_date(
            issued_on,
            what="Ngày ban hành văn bản thực thi",
            unit=self.owner,
            after=[(signed_on, "ngày ký quyết định phê duyệt phương án")],
            field="issued_on",
        )
        self.issued_reference = issued_reference.strip()
        self.issued_on = issued_on


class LedgerSnapshotQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """A snapshot counts everything that is or was under its unit: it is served only to a user who may see every
        one of those units (anyone else is given a ledger computed for what they see, reviews.ledger.shared_ledger)."""
        if policy.is_superuser:
            return self
        scope = policy.organisations(VIEW)
        hidden = OrganisationLink.objects.filter(ancestor=models.OuterRef("organisation")).exclude(descendant__in=scope)
        return self.filter(organisation__in=scope).exclude(models.Exists(hidden))


class LedgerSnapshot(models.Model):
    """The target ledger of a unit too large to count on every visit (the nation: every procedure, review and option
    of the country), for one date and set of filters, as computed at `computed_at` (reviews.ledger.shared_ledger)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    group = models.CharField(max_length=1, blank=True)
    field = models.CharField(max_length=40, blank=True)  # the field's code, as in the ledger's filters
    level = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    objects = LedgerSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = "số liệu sổ theo dõi đã tính sẵn"
        verbose_name_plural = "số liệu sổ theo dõi đã tính sẵn"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "as_of", "group", "field", "level"], name="ledgersnapshot_unique"
            )
        ]

    def __str__(self):
        return f"{self.organisation} · {self.as_of:%d/%m/%Y}"
