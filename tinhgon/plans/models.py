"""Plans, tasks and indicators of administrative reform (domain.md §3.9, §4.3, §7, §9).

A plan (kế hoạch) belongs to the organisation that issued it and may implement a parent plan or one task of a
parent plan, to any depth. A task names its lead, coordinating and executing units; each unit involved gets an
Assignment (one per dated instance for a recurring task) on which it reports progress. Task and plan status and
progress are derived from the assignments (tinhgon/plans/progress.py).
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone

from tinhgon.audit import context as audit
from tinhgon.audit.models import AuditedModel
from tinhgon.audit.transitions import Transitions, transition
from tinhgon.core import formatting
from tinhgon.core.dates import legal_date, today
from tinhgon.core.locking import Versioned
from tinhgon.core.queries import filter_any
from tinhgon.core.text import natural_key
from tinhgon.organisations.models import Organisation
from tinhgon.plans.constants import (
    DEFAULT_BANDS,
    AssignmentRole,
    Direction,
    ExecutingRule,
    ExtensionStatus,
    IndicatorStatus,
    Period,
    PlanKind,
    PlanStatus,
    Recurrence,
    Source,
    StatusClass,
)
from tinhgon.reviews.milestones import judge

VIEW = "plans.view"
MANAGE = "plans.manage"  # on a plan's issuer: issue and edit it, set its tasks, decide extensions


def upload_path(instance, filename):
    return f"plans/{type(instance).__name__.lower()}/{today():%Y/%m}/{filename}"


class ReformArea(models.Model):
    """Lĩnh vực cải cách hành chính: the areas a CCHC plan, its indicators and its half-year and annual reports are
    organised by. The six areas of the Chương trình tổng thể CCHC nhà nước giai đoạn 2021-2030 (NQ 76/NQ-CP,
    15/7/2021): cải cách thể chế; cải cách thủ tục hành chính; cải cách tổ chức bộ máy; cải cách chế độ công vụ;
    cải cách tài chính công; xây dựng và phát triển Chính phủ điện tử, Chính phủ số; preceded by "công tác chỉ
    đạo, điều hành", which the CCHC index lists first (domain.md §9.2, PAR INDEX) and so do the plans (KH
    01/KH-SNgV Hà Tĩnh 2023, §II and §III: "1. Công tác chỉ đạo điều hành … 7. Xây dựng và phát triển chính quyền
    điện tử, chính quyền số"). Seeded by migration 0008 with the local wording of the plans; editable in the
    admin (a province whose index adds an area adds it there). One list for tasks and indicators."""

    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    code = models.SlugField("mã lĩnh vực", max_length=40, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=200, unique=True)
    is_active = models.BooleanField("đang sử dụng", default=True)

    class Meta:
        verbose_name = "lĩnh vực cải cách hành chính"
        verbose_name_plural = "lĩnh vực cải cách hành chính"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class PlanQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """The plans' one visibility rule: issued within the user's scope, or with a task assigned to a unit in it
        or above the user's own units (a unit reads the whole plan it takes part in, and a division the plans its
        department executes: its tasks are part of the document, and the division does the work)."""
        if policy.sees_everything(VIEW):  # every plan's issuer is in the scope
            return self.all()
        scope = policy.organisations(VIEW)
        above = Organisation.objects.ever_above(policy.own_units(VIEW))
        # One set of units (a UNION), not two ORed: PostgreSQL answers `organisation IN (...)` from the index, where
        # the OR had it read all 300,000 assignments of the nation on every plan list (100 → 2 ms).
        units = scope.order_by().values("pk").union(above.order_by().values("pk"))
        assigned = Assignment.objects.filter(organisation__in=units)
        return self.filter(Q(issuer__in=scope) | Q(pk__in=assigned.values("task__plan_id")))

    def ids_among(self, ids) -> set[int]:
        """Which of these plan ids are in this queryset, in one query (none for no ids)."""
        wanted = {pk for pk in ids if pk is not None}
        return set(self.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else set()


class Plan(Transitions, Versioned, AuditedModel):
    issuer = models.ForeignKey(
        "organisations.Organisation", verbose_name="cơ quan ban hành", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField("số, ký hiệu", max_length=60, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    title = models.CharField("tên kế hoạch", max_length=500)
    kind = models.CharField("loại kế hoạch", max_length=30, choices=PlanKind.choices, default=PlanKind.OTHER)
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    objectives = models.TextField("mục tiêu, yêu cầu", blank=True)
    # A closed plan (finished, or entered for the record after its period) raises no overdue item, reminder or
    # to-do; what was not done stays "not done" in its reports.
    status = models.CharField("theo dõi", max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    closed_on = models.DateField("ngày kết thúc theo dõi", null=True, blank=True)
    parent_plan = models.ForeignKey(
        "self",
        verbose_name="thực hiện kế hoạch cấp trên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="child_plans",
    )
    parent_task = models.ForeignKey(
        "Task",
        verbose_name="thực hiện nhiệm vụ cấp trên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="implementing_plans",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người tạo",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    audit_exclude = frozenset({"created_at", "row_version"})

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"
        ordering = ["-period_start", "-id"]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def audit_scope_organisation_id(self):
        return self.issuer_id

    def permits(self, policy, action: str) -> bool:
        return policy.allows(action, self.issuer)

    @transition(
        source={PlanStatus.OPEN}, target=PlanStatus.CLOSED, permission=MANAGE, label="kết thúc theo dõi", verb="closed"
    )
    def close(self, on: date | None = None):
        self.closed_on = on or today()

    @transition(
        source={PlanStatus.CLOSED}, target=PlanStatus.OPEN, permission=MANAGE, label="mở lại theo dõi", verb="reopened"
    )
    def reopen(self):
        self.closed_on = None


class PlanAttachmentQuerySet(models.QuerySet):
    def visible_to(self, policy):
        return self.filter(plan__in=Plan.objects.visible_to(policy))


class PlanAttachment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField("tên tài liệu", max_length=300)
    file = models.FileField("tệp", upload_to=upload_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = PlanAttachmentQuerySet.as_manager()

    def __str__(self):
        return self.title


# A regular (ongoing) task, "thường xuyên": neither a deadline nor a recurrence. It is reported on but never due, so
# it is counted apart from the dated tasks and left out of plan progress and completion rates (progress.py).
REGULAR = Q(recurrence=Recurrence.NONE, deadline__isnull=True)


class TaskQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """Exactly the tasks of the plans the user may see: a plan is one document."""
        return self.filter(plan__in=Plan.objects.visible_to(policy))

    def regular(self):
        return self.filter(REGULAR)

    def dated(self):
        return self.exclude(REGULAR)


class Task(Versioned, AuditedModel):
    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField("số thứ tự, mã", max_length=20)
    # The code as it sorts when read (1, 1.1, 1.2, 2, 10; I, II), derived on save: tasks are listed by it.
    code_key = models.CharField(max_length=120, editable=False, default="")
    order = models.PositiveIntegerField("thứ tự", default=0)
    title = models.CharField("nhiệm vụ", max_length=1000)
    area = models.ForeignKey(
        ReformArea,
        verbose_name="lĩnh vực cải cách hành chính",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    content = models.TextField("nội dung", blank=True)
    source_number = models.CharField("văn bản giao: số, ký hiệu", max_length=60, blank=True)
    source_date = models.DateField("văn bản giao: ngày", null=True, blank=True)
    source_issuer = models.CharField("văn bản giao: cơ quan ban hành", max_length=300, blank=True)
    lead = models.ForeignKey(
        "organisations.Organisation", verbose_name="cơ quan chủ trì", on_delete=models.PROTECT, related_name="+"
    )
    coordinating = models.ManyToManyField(
        "organisations.Organisation", verbose_name="cơ quan phối hợp", blank=True, related_name="+"
    )
    executing = models.ManyToManyField(
        "organisations.Organisation", verbose_name="cơ quan thực hiện", blank=True, related_name="+"
    )
    executing_rule = models.CharField(
        "cơ quan thực hiện theo quy tắc", max_length=30, choices=ExecutingRule.choices, blank=True, default=""
    )
    deadline = models.DateField("thời hạn", null=True, blank=True)
    recurrence = models.CharField("định kỳ", max_length=20, choices=Recurrence.choices, blank=True, default="")
    recurrence_day = models.PositiveSmallIntegerField(
        "hạn trong tháng cuối kỳ (ngày)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    product = models.CharField("sản phẩm", max_length=500, blank=True)
    weight = models.DecimalField("trọng số", max_digits=5, decimal_places=2, default=1)
    procedures = models.ManyToManyField("procedures.Procedure", verbose_name="thủ tục liên quan", blank=True)
    review_rounds = models.ManyToManyField("reviews.ReviewRound", verbose_name="kế hoạch rà soát", blank=True)
    indicators = models.ManyToManyField("Indicator", verbose_name="chỉ tiêu", blank=True, related_name="tasks")
    # The task of the parent plan this one carries out (a department's task under a province's), so that the
    # province sees who implements each of its tasks.
    implements = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="implemented_by",
        verbose_name="thực hiện nhiệm vụ của kế hoạch cấp trên",
    )

    audit_exclude = frozenset({"row_version", "code_key"})

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["plan", "code_key", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="task_unique_code")]
        indexes = [models.Index(fields=["plan", "code_key"], name="task_plan_code_key")]

    def __str__(self):
        return f"{self.code}. {self.title}"

    def save(self, *args, **kwargs):
        self.code_key = natural_key(self.code)
        if kwargs.get("update_fields") is not None and "code" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "code_key"}
        super().save(*args, **kwargs)

    def clean(self):
        """The task implemented must be one of the parent plan's (not of any plan the user happens to see)."""
        super().clean()
        if self.implements_id is None:
            return
        parent_plan_id = self.plan.parent_plan_id if self.plan_id else None
        if parent_plan_id is None:
            raise ValidationError({"implements": "Kế hoạch này không có kế hoạch cấp trên."})
        if self.implements.plan_id != parent_plan_id:
            raise ValidationError({"implements": "Nhiệm vụ cấp trên phải thuộc kế hoạch cấp trên của kế hoạch này."})

    def audit_scope_organisation_id(self):
        return self.plan.issuer_id

    def permits(self, policy, action: str) -> bool:
        return self.plan.permits(policy, action)

    @property
    def is_regular(self) -> bool:
        """Thường xuyên: no deadline and no recurrence (see REGULAR)."""
        return self.recurrence == Recurrence.NONE and self.deadline is None

    @classmethod
    def unit_names(cls, task_ids) -> dict[int, dict[str, list[str]]]:
        """The names of each task's coordinating and executing units, in name order, by task id (a defaultdict:
        a task with neither reads as two empty lists): one query of values for each role. A province's plan page
        lists 60 tasks, each executed by the province's 48 departments; prefetched, the 2,880 units were built as
        instances and cost the page more than its SQL."""
        names = defaultdict(lambda: {"coordinating": [], "executing": []})
        for role in ("coordinating", "executing"):
            rows = (
                getattr(cls, role)
                .through.objects.filter(task_id__in=task_ids)
                .order_by("organisation__name", "organisation_id")
                .values_list("task_id", "organisation__name")
            )
            for task_id, name in rows:
                names[task_id][role].append(name)
        return names


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """A unit's part in a task (its reports, its evidence) is seen within the unit's scope, by the plan's issuer
        and by the task's lead, who gathers the coordinating units' results. Not by every unit that merely sees
        the plan: a department with one task in a provincial plan does not read the other departments' reports."""
        if policy.sees_everything(VIEW):  # every assignment's unit is in the scope
            return self.all()
        scope = policy.organisations(VIEW)
        # A commune's 380 assignments among the country's 300,000: ORed, the conditions were 200 ms, twice on each
        # page of the assignments API; found each from its index, 9 ms (filter_any).
        conditions = [Q(organisation__in=scope), Q(task__plan__issuer__in=scope), Q(task__lead__in=scope)]
        return filter_any(self, conditions, few=not policy.sees_whole_tree(VIEW))

    def open(self):
        return self.filter(completed_on__isnull=True)

    def followed(self):
        """Open parts of plans still followed: a closed plan raises no overdue item, reminder or to-do."""
        return self.open().filter(task__plan__status=PlanStatus.OPEN)

    def overdue(self, on: date | None = None):
        """Parts of followed plans past their deadline and not completed on `on` (completed later: overdue then)."""
        day = on or today()
        open_then = Q(completed_on__isnull=True) | Q(completed_on__gt=day)
        return self.filter(open_then, task__plan__status=PlanStatus.OPEN, due_on__lt=day)

    def late_units(self):
        """The units of these assignments with how many each has, as values (organisation_id, code, name,
        short_name, count), grouped in SQL; unordered."""
        unit = {name: F(f"organisation__{name}") for name in ("code", "name", "short_name")}
        return self.order_by().values("organisation_id", **unit).annotate(count=Count("id"))

    def due_within(self, days: int, on: date | None = None):
        day = on or today()
        return self.followed().filter(due_on__gte=day, due_on__lte=day + timedelta(days=days))

    def within(self, organisations):
        return self.filter(organisation__in=organisations)

    def of_status(self, status_class: str, on: date | None = None):
        """The assignments of one status class (Assignment.status_class), as a filter."""
        day = on or today()
        # as of `day`: completed on a later day was still open then
        done = Q(completed_on__isnull=False, completed_on__lte=day)
        open_ = Q(completed_on__isnull=True) | Q(completed_on__gt=day)
        not_late = Q(due_on__isnull=True) | Q(due_on__gte=day)
        reported = Q(progress__gt=0) | ~Q(report="")
        return self.filter(
            {
                StatusClass.DONE_ON_TIME: done & (Q(due_on__isnull=True) | Q(completed_on__lte=F("due_on"))),
                StatusClass.DONE_LATE: done & Q(due_on__isnull=False, completed_on__gt=F("due_on")),
                StatusClass.OVERDUE: open_ & Q(due_on__lt=day),
                StatusClass.IN_PROGRESS: open_ & not_late & reported,
                StatusClass.NOT_DUE: open_ & not_late & ~reported,
            }[status_class]
        )


def status_class_of(completed_on: date | None, due_on: date | None, progress, reported: bool, day: date) -> str:
    """An assignment's status class on `day`: done on time when completed on or before the (possibly extended)
    deadline; overdue when open after it (a task due today is not overdue today); otherwise in progress once
    reported on, else not yet due. (Assignment.status_class, and plans.progress for the rows it reads as values.)"""
    if completed_on and completed_on <= day:  # completed later: still open on `day`
        late = due_on is not None and completed_on > due_on
        return StatusClass.DONE_LATE if late else StatusClass.DONE_ON_TIME
    if due_on is not None and due_on < day:
        return StatusClass.OVERDUE
    return StatusClass.IN_PROGRESS if progress > 0 or reported else StatusClass.NOT_DUE


class Assignment(Versioned, AuditedModel):
    """One unit's part in one task (or in one dated instance of a recurring task)."""

    task = models.ForeignKey(Task, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="assignments")
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("vai trò", max_length=20, choices=AssignmentRole.choices)
    period_label = models.CharField("kỳ", max_length=60, blank=True)
    due_on = models.DateField("thời hạn", null=True, blank=True)
    original_due_on = models.DateField("thời hạn ban đầu", null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        "tiến độ (%)", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    report = models.TextField("kết quả thực hiện", blank=True)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude = frozenset({"row_version", "updated_at"})

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "phân công thực hiện"
        verbose_name_plural = "phân công thực hiện"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["organisation", "completed_on", "due_on"], name="assignment_org_due_idx"),
            models.Index(fields=["completed_on", "due_on"], name="assignment_due_idx"),
        ]

    def __str__(self):
        return f"{self.task} · {self.organisation}"

    def audit_scope_organisation_id(self):
        return self.organisation_id

    def permits(self, policy, action: str) -> bool:
        """Reporting (progress, evidence, asking for an extension) is the unit's; deciding an extension is the
        plan issuer's."""
        if action == MANAGE:
            return self.task.plan.permits(policy, action)
        return policy.allows(action, self.organisation)

    def status_class(self, on: date | None = None) -> str:
        return status_class_of(self.completed_on, self.due_on, self.progress, bool(self.report), on or today())

    def status_label(self, on: date | None = None) -> str:
        return StatusClass(self.status_class(on)).label


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, policy):
        return self.filter(assignment__in=Assignment.objects.visible_to(policy))


class Evidence(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField("tên minh chứng", max_length=300)
    file = models.FileField("tệp", upload_to=upload_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    def __str__(self):
        return self.title


class ExtensionRequestQuerySet(models.QuerySet):
    def visible_to(self, policy):
        return self.filter(assignment__in=Assignment.objects.visible_to(policy))


class ExtensionRequest(Transitions, Versioned, AuditedModel):
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="extension_requests", verbose_name="phân công thực hiện"
    )
    requested_due_on = models.DateField("đề nghị gia hạn đến")
    reason = models.TextField("lý do")
    status = models.CharField(
        "trạng thái", max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="người đề nghị"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người quyết định",
    )
    decision_note = models.TextField("ý kiến", blank=True)
    # The day the plan's issuer decided in fact (default the day it is recorded; core.dates.legal_date).
    decided_on = models.DateField("ngày quyết định", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_name = "extension"
    audit_exclude = frozenset({"created_at", "row_version"})

    objects = ExtensionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "đề nghị gia hạn"
        verbose_name_plural = "đề nghị gia hạn"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Gia hạn đến {self.requested_due_on:%d/%m/%Y}"

    def audit_scope_organisation_id(self):
        return self.assignment.organisation_id

    def permits(self, policy, action: str) -> bool:
        return self.assignment.permits(policy, action)

    @transition(
        source={ExtensionStatus.PENDING}, target=ExtensionStatus.APPROVED, permission=MANAGE, label="đồng ý gia hạn"
    )
    def approve(self, note: str = "", *, by=None, on: date | None = None):
        """The assignment's deadline moves to the date asked for (one save, under plans.assignment.extended). `on`:
        the day the issuer decided (default today)."""
        self.decided_on = self.decision_date(on)
        self.decided_by, self.decision_note = by, (note or "").strip()
        assignment = Assignment.objects.select_for_update().get(pk=self.assignment_id)
        assignment.due_on = self.requested_due_on
        with audit.action("plans.assignment.extended"):
            assignment.save()
        self.assignment = assignment

    @transition(
        source={ExtensionStatus.PENDING},
        target=ExtensionStatus.REFUSED,
        permission=MANAGE,
        label="không đồng ý gia hạn",
    )
    def refuse(self, note: str, *, by=None, on: date | None = None):
        """The deadline stays; the unit is told why. `on`: the day the issuer decided (default today)."""
        if not (note or "").strip():
            raise ValidationError({"decision_note": "Cần nêu lý do không đồng ý gia hạn."})
        self.decided_on = self.decision_date(on)
        self.decided_by, self.decision_note = by, note.strip()

    def decision_date(self, on: date | None) -> date:
        """Not in the future, not before the plan's issuer existed nor before the plan was issued."""
        plan = self.assignment.task.plan
        return legal_date(
            on,
            what="Ngày quyết định gia hạn",
            unit=plan.issuer,
            after=[(plan.issued_on, "ngày ban hành kế hoạch")],
        )


class CommentQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """On a task the user sees; a comment about one unit's part only to who sees that part."""
        about_visible = Q(assignment__isnull=True) | Q(assignment__in=Assignment.objects.visible_to(policy))
        return self.filter(about_visible, task__in=Task.objects.visible_to(policy))


class Comment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("ý kiến")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, policy):
        return self.filter(organisation__in=policy.organisations(VIEW))


class Indicator(Versioned, AuditedModel):
    """Chỉ tiêu: a target for an organisation (and the units under it), computed from the app's data or entered."""

    name = models.CharField("tên chỉ tiêu", max_length=300)
    unit = models.CharField("đơn vị tính", max_length=40, default="%")
    direction = models.CharField("so sánh", max_length=3, choices=Direction.choices, default=Direction.AT_LEAST)
    target = models.DecimalField("mục tiêu", max_digits=12, decimal_places=2)
    period = models.CharField("kỳ theo dõi", max_length=20, choices=Period.choices, default=Period.YEARLY)
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name="phạm vi", on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        Plan, verbose_name="kế hoạch", null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    source = models.CharField("nguồn số liệu", max_length=30, choices=Source.choices, default=Source.MANUAL)
    area = models.ForeignKey(
        ReformArea,
        verbose_name="lĩnh vực cải cách hành chính",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    deadline = models.DateField(
        "thời hạn đạt chỉ tiêu",
        null=True,
        blank=True,
        help_text="Bỏ trống: ngày cuối kỳ của kế hoạch, hoặc 31/12 năm nay khi chỉ tiêu không thuộc kế hoạch.",
    )

    audit_exclude = frozenset({"row_version"})

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["organisation", "name"]

    def __str__(self):
        return self.name

    def audit_scope_organisation_id(self):
        return self.organisation_id

    def permits(self, policy, action: str) -> bool:
        return policy.allows(action, self.organisation)

    def save(self, *args, **kwargs):
        if self.deadline is None:
            self.deadline = self.default_deadline()
        super().save(*args, **kwargs)

    def default_deadline(self) -> date:
        """The end of its plan's period, else the end of this year: what a plan's indicator is due by."""
        return self.plan.period_end if self.plan_id and self.plan.period_end else date(today().year, 12, 31)

    def meets(self, value: Decimal) -> bool:
        return value >= self.target if self.direction == Direction.AT_LEAST else value <= self.target

    def reached_on(self, values) -> date | None:
        """The first day the target was met, from the indicator's values (any iterable of them): the end of the
        first period whose value meets it, or the day that value was entered when earlier (a running period)."""
        for value in sorted(values, key=lambda v: v.period_start):
            if self.meets(value.value):
                entered = timezone.localdate(value.entered_at) if value.entered_at else value.period_end
                return min(value.period_end, entered)
        return None

    def deadline_status(self, values, on: date | None = None) -> str | None:
        """Met on time, met late, missed, at risk or not yet due (reviews.constants.MilestoneStatus), judged by the
        day the target was first met, as milestones are (reviews.milestones.judge); None without a deadline."""
        if self.deadline is None:
            return None
        return judge(self.reached_on(values), self.deadline, on or today())

    def status_of(self, value: Decimal | None, period_end: date, on: date | None = None) -> str:
        """Met when the value meets the target; missed when the period is over without it; else at risk."""
        if value is not None and self.meets(value):
            return IndicatorStatus.MET
        return IndicatorStatus.MISSED if (on or today()) > period_end else IndicatorStatus.AT_RISK


class IndicatorValueQuerySet(models.QuerySet):
    def visible_to(self, policy):
        return self.filter(indicator__in=Indicator.objects.visible_to(policy))


class IndicatorValue(AuditedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values", verbose_name="chỉ tiêu")
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    period_label = models.CharField("kỳ", max_length=60)
    value = models.DecimalField("giá trị", max_digits=14, decimal_places=2)
    note = models.TextField("ghi chú", blank=True)
    evidence = models.FileField("minh chứng", upload_to=upload_path, blank=True)
    computed = models.BooleanField("tính từ dữ liệu", default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người nhập",
    )
    entered_at = models.DateTimeField(auto_now=True)

    audit_name = "indicator_value"
    audit_exclude = frozenset({"entered_at"})

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = "giá trị chỉ tiêu"
        verbose_name_plural = "giá trị chỉ tiêu"
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_start"], name="indicatorvalue_unique_period")
        ]

    def __str__(self):
        return f"{self.indicator} · {self.period_label}: {self.value}"

    def audit_scope_organisation_id(self):
        return self.indicator.organisation_id

    @property
    def status(self) -> str:
        return self.indicator.status_of(self.value, self.period_end)


def validate_bands(bands) -> None:
    """Bands as [[minimum share in %, name], …]: shares from 0 to 100, names given, no share twice."""
    shape = isinstance(bands, list) and all(
        isinstance(band, list)
        and len(band) == 2
        and isinstance(band[0], int | float)
        and not isinstance(band[0], bool)
        and 0 <= band[0] <= 100
        and isinstance(band[1], str)
        and band[1].strip()
        for band in bands
    )
    if not shape:
        raise ValidationError(
            'Xếp loại phải là danh sách [tỷ lệ tối thiểu (0-100 %), "tên"], ví dụ [[90, "Xuất sắc"]].'
        )
    if len({band[0] for band in bands}) != len(bands):
        raise ValidationError("Hai mức xếp loại có cùng tỷ lệ tối thiểu.")


class ScorecardQuerySet(models.QuerySet):
    def visible_to(self, policy):
        return self.filter(organisation__in=policy.organisations(VIEW))


class Scorecard(Versioned, AuditedModel):
    """A unit's self-assessment against an index (CCHC index, QĐ 766 service index…) for one year."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("bộ chỉ số", max_length=300)
    bands = models.JSONField(
        "xếp loại (tỷ lệ điểm tối thiểu so với điểm tối đa, %; tên)",
        default=list,
        blank=True,
        validators=[validate_bands],
        help_text='Ví dụ [[90, "Xuất sắc"], [80, "Tốt"], [50, "Trung bình"], [0, "Yếu"]]; để trống: mặc định.',
    )

    audit_exclude = frozenset({"row_version"})

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        verbose_name = "bộ chỉ số đánh giá"
        verbose_name_plural = "bộ chỉ số đánh giá"
        ordering = ["-year", "organisation"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year", "title"], name="scorecard_unique_year")]

    def __str__(self):
        return f"{self.title} {self.year} · {self.organisation}"

    def audit_scope_organisation_id(self):
        return self.organisation_id

    def permits(self, policy, action: str) -> bool:
        """Self-assessment (indicators.enter), appraisal (scorecards.appraise) and copying (indicators.manage) are
        all checked on the assessed unit."""
        return policy.allows(action, self.organisation)

    def band(self, total: Decimal | None, out_of: Decimal) -> str:
        """The rating of `total` points out of `out_of`: the first band whose minimum share (%) it reaches."""
        if total is None or not out_of:
            return ""
        share = formatting.share(total, out_of)  # the share the page shows, rounded by the one rule
        for minimum, label in sorted(self.bands or DEFAULT_BANDS, key=lambda b: -Decimal(str(b[0]))):
            if share >= Decimal(str(minimum)):
                return label
        return ""


class ScoreCriterionQuerySet(models.QuerySet):
    def visible_to(self, policy):
        return self.filter(scorecard__in=Scorecard.objects.visible_to(policy))


class ScoreCriterion(models.Model):
    """A node of the criteria tree; leaves carry the scores, parents sum them."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField("mã", max_length=20)
    title = models.CharField("tiêu chí", max_length=500)
    order = models.PositiveIntegerField("thứ tự", default=0)
    max_points = models.DecimalField("điểm tối đa", max_digits=6, decimal_places=2)
    self_score = models.DecimalField("điểm tự đánh giá", max_digits=6, decimal_places=2, null=True, blank=True)
    evidence = models.TextField("minh chứng", blank=True)
    appraised_score = models.DecimalField("điểm thẩm định", max_digits=6, decimal_places=2, null=True, blank=True)
    appraisal_note = models.TextField("ý kiến thẩm định", blank=True)

    objects = ScoreCriterionQuerySet.as_manager()

    class Meta:
        ordering = ["scorecard", "order", "id"]

    def __str__(self):
        return f"{self.code} {self.title}"
