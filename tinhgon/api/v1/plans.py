"""Plans, tasks, assignments and indicators API (domain.md §3.9, §4.3, §7, §9).

Every object is found through its model's visibility rule, as on the pages (tinhgon/plans/views.py):
- plans of `Plan.objects.visible_to` (issued within the user's scope, or with a task assigned to a unit in it),
  tasks of the plans visible, assignments of `Assignment.objects.visible_to` (the unit's own, the plan issuer's and
  the task lead's), indicators of their organisation's scope: 404 outside;
- plans are issued and tasks set or deleted with `plans.manage` over the plan's issuer; a unit reports on its
  assignment and asks for an extension with `plans.report` over that unit; the plan's issuer approves or refuses
  the extension (`plans.manage`, transitions of ExtensionRequest); indicators are set with `indicators.manage` and
  their values entered (or recomputed) with `indicators.enter` over their organisation: 403 when seen but not
  allowed.
A progress report is an edit of a versioned assignment: it needs the version it was based on (`row_version` in the
body or `If-Match`; 428 without it, 409 with what changed when stale). A second decision on an extension answers
409. Lists are filtered by the FilterSets of tinhgon/plans/filters.py (shared with the pages); a bad parameter
answers 400. Progress and status classes come from tinhgon/plans/progress.py, computed for a whole page of plans or
tasks in a number of queries that does not depend on the number of rows.
"""

from datetime import date

from django.db.models import Prefetch

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from tinhgon.api.base import CONFLICT, PRECONDITION_REQUIRED, PolicyMixin
from tinhgon.api.pagination import OnePassPagination
from tinhgon.core.dates import today
from tinhgon.core.visibility import get_visible
from tinhgon.organisations.models import Organisation
from tinhgon.plans import document_import, extraction, services
from tinhgon.plans import indicators as indicator_services
from tinhgon.plans import progress as rollup
from tinhgon.plans.constants import (
    AssignmentRole,
    Direction,
    ExecutingRule,
    ExtensionStatus,
    IndicatorStatus,
    Period,
    PlanKind,
    Recurrence,
    Source,
    StatusClass,
)
from tinhgon.plans.filters import AssignmentFilter, IndicatorFilter, OverdueFilter, PlanFilter, TaskFilter
from tinhgon.plans.models import (
    MANAGE,
    VIEW,
    Assignment,
    ExtensionRequest,
    Indicator,
    IndicatorValue,
    Plan,
    ReformArea,
    Task,
)
from tinhgon.plans.periods import spans
from tinhgon.reviews.constants import MilestoneStatus

REPORT = "plans.report"


# Enums: named components, so that `kind`, `status`, `period`... do not collide with other serializers' fields. ------


def choice_field(choices, component: str, doc: str = ""):
    """A ChoiceField over `choices` (TextChoices) described in the schema as the enum component `component`."""
    lines = [f"* `{value}` - {label}" for value, label in choices.choices]
    schema = {"type": "string", "enum": list(choices.values), "description": "\n".join(filter(None, [doc, *lines]))}

    @extend_schema_field(schema, component_name=component)
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs):
            kwargs.setdefault("allow_blank", "" in choices.values)
            super().__init__(choices=choices.choices, **kwargs)

    Field.__name__ = Field.__qualname__ = f"{component}Field"
    return Field


PlanKindField = choice_field(PlanKind, "PlanKindEnum")
ExecutingRuleField = choice_field(ExecutingRule, "TaskExecutingRuleEnum", "Chuỗi rỗng: theo danh sách")
RecurrenceField = choice_field(Recurrence, "TaskRecurrenceEnum", "Chuỗi rỗng: một lần, theo thời hạn")
StatusClassField = choice_field(StatusClass, "TaskStatusClassEnum")
AssignmentRoleField = choice_field(AssignmentRole, "AssignmentRoleEnum")
ExtensionStatusField = choice_field(ExtensionStatus, "ExtensionStatusEnum")
DirectionField = choice_field(Direction, "IndicatorDirectionEnum")
PeriodField = choice_field(Period, "IndicatorPeriodEnum")
SourceField = choice_field(Source, "IndicatorSourceEnum")
IndicatorStatusField = choice_field(IndicatorStatus, "IndicatorStatusEnum")
DeadlineStatusField = choice_field(MilestoneStatus, "DeadlineStatusEnum", "Đánh giá theo thời hạn (như mốc chỉ tiêu)")

PROGRESS = serializers.DecimalField(
    max_digits=4, decimal_places=1, help_text='Tiến độ (%), chuỗi có 1 chữ số lẻ (ví dụ "62.5")'
)


PCT = "Tỷ lệ phần trăm, chuỗi 2 chữ số lẻ, làm tròn theo TINHGON_SHARE_ROUNDING"


class TaskTallySerializer(serializers.Serializer):
    """Nhiệm vụ của kế hoạch như báo cáo của bộ, ngành thống kê (tinhgon/plans/progress.TaskTally)."""

    due = serializers.IntegerField(help_text="Số nhiệm vụ có thời hạn (mỗi kỳ của nhiệm vụ định kỳ tính một)")
    done = serializers.IntegerField(help_text="Đã hoàn thành")
    done_on_time = serializers.IntegerField(help_text="Hoàn thành đúng hạn")
    done_late = serializers.IntegerField(help_text="Hoàn thành quá hạn")
    overdue = serializers.IntegerField(help_text="Chưa hoàn thành, đã quá hạn")
    not_due = serializers.IntegerField(help_text="Chưa hoàn thành, chưa đến hạn")
    in_progress = serializers.IntegerField(help_text="Trong số chưa đến hạn: đã báo cáo tiến độ")
    reached = serializers.IntegerField(help_text="Đã đến hạn hoặc đã hoàn thành (mẫu số của các tỷ lệ hoàn thành)")
    regular = serializers.IntegerField(help_text="Nhiệm vụ thường xuyên (không có thời hạn), không tính tỷ lệ")
    regular_reported = serializers.IntegerField(help_text="Nhiệm vụ thường xuyên đã có báo cáo kết quả")
    done_pct = serializers.CharField(help_text=PCT + "; đã hoàn thành ÷ reached")
    done_on_time_pct = serializers.CharField(help_text=PCT + "; đúng hạn ÷ reached")
    done_late_pct = serializers.CharField(help_text=PCT + "; quá hạn ÷ reached")
    overdue_pct = serializers.CharField(help_text=PCT + "; chưa hoàn thành quá hạn ÷ reached")
    not_due_pct = serializers.CharField(help_text=PCT + "; chưa đến hạn ÷ due")
    on_time_pct = serializers.CharField(help_text="Như done_on_time_pct")
    rounding = serializers.CharField(help_text="Quy tắc làm tròn tỷ lệ: half_up, half_even hoặc down")


def _pct(value) -> str:
    """One decimal always ("0.0", not "0": progress.weighted_mean leaves an empty mean unquantized)."""
    return str(value.quantize(rollup.ONE))


class PolicyContextMixin:
    """Serializers get the user's policy, to offer only the plans and tasks the user may see as references."""

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "policy": getattr(self, "policy", None)}  # None: the schema


def _visible_choices(serializer, **models) -> None:
    policy = serializer.context.get("policy")
    if policy is None:
        return
    for name, model in models.items():
        serializer.fields[name].queryset = model.objects.visible_to(policy)


# Plans ------------------------------------------------------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer):
    issuer = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    kind = PlanKindField(required=False, default=PlanKind.OTHER)
    parent_plan = serializers.PrimaryKeyRelatedField(
        queryset=Plan.objects.none(), required=False, allow_null=True, help_text="Kế hoạch cấp trên được thực hiện"
    )
    parent_task = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.none(),
        required=False,
        allow_null=True,
        help_text="Nhiệm vụ cấp trên được thực hiện (kế hoạch cấp trên mặc định là kế hoạch của nhiệm vụ)",
    )
    progress = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()
    child_plans = serializers.SerializerMethodField()
    row_version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "number",
            "issued_on",
            "issuer",
            "title",
            "kind",
            "period_start",
            "period_end",
            "objectives",
            "parent_plan",
            "parent_task",
            "progress",
            "tasks",
            "child_plans",
            "status",
            "closed_on",
            "created_at",
            "row_version",
        ]
        read_only_fields = ["created_at", "status", "closed_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _visible_choices(self, parent_plan=Plan, parent_task=Task)

    @extend_schema_field(PROGRESS)
    def get_progress(self, plan):
        figures = self.context.get("figures")
        if figures is None or plan.pk not in figures.plan_progress:
            figures = rollup.cascade_many([plan])
        return _pct(figures.plan_progress[plan.pk])

    @extend_schema_field(TaskTallySerializer)
    def get_tasks(self, plan) -> dict:
        """The same tally the plan page shows (progress.cascade_many, computed once for the page of plans)."""
        figures = self.context.get("figures")
        if figures is None or plan.pk not in figures.tallies:
            figures = rollup.cascade_many([plan])
        return figures.tallies[plan.pk].as_json()

    def get_child_plans(self, plan) -> list[int]:
        """Kế hoạch cấp dưới thực hiện kế hoạch này mà người dùng được xem (id)."""
        return [child.pk for child in plan.child_plans.all()]


def _plans_with_parts(plans, policy):
    children = Plan.objects.visible_to(policy).only("id", "parent_plan_id").order_by("id")
    return plans.select_related("issuer").prefetch_related(Prefetch("child_plans", queryset=children))


class FiguresMixin:
    """Lists and details of plans and tasks carry figures computed once for the whole page."""

    def roots(self, rows) -> list[Plan]:
        raise NotImplementedError

    def get_serializer(self, *args, **kwargs):
        if args and args[0] is not None and "context" not in kwargs:
            rows = args[0]
            rows = list(rows) if isinstance(rows, list | tuple) or hasattr(rows, "model") else [rows]
            kwargs["context"] = {**self.get_serializer_context(), "figures": rollup.cascade_many(self.roots(rows))}
        return super().get_serializer(*args, **kwargs)


# A plan's document read into its tasks (issue 16): nothing saved -----------------------------------------------------


class PlanExtractSerializer(serializers.Serializer):
    issuer = serializers.CharField(
        max_length=40, help_text="Mã đơn vị ban hành kế hoạch (cần quyền plans.manage tại đơn vị đó)"
    )
    file = serializers.FileField(
        required=False, allow_empty_file=True, help_text="Tệp kế hoạch: .docx, .pdf có lớp chữ hoặc .txt (multipart)"
    )
    text = serializers.CharField(required=False, trim_whitespace=False, help_text="Hoặc nội dung kế hoạch (JSON)")

    def validate(self, data):
        if bool(data.get("file")) == bool((data.get("text") or "").strip()):
            raise serializers.ValidationError("Gửi tệp kế hoạch (file) hoặc nội dung kế hoạch (text), một trong hai.")
        return data


class PlanExtractionHeaderSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="Số, ký hiệu; rỗng khi văn bản để trống")
    issued_on = serializers.DateField(allow_null=True)
    title = serializers.CharField()
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)


class ExtractedTaskSerializer(serializers.Serializer):
    CODES = "Mã đơn vị; một quy tắc (“các sở, ngành”) được mở rộng thành mã các đơn vị nó chỉ"

    number = serializers.CharField(help_text="STT như văn bản ghi")
    content = serializers.CharField()
    lead = serializers.ListField(child=serializers.CharField(), help_text=CODES)
    coordinating = serializers.ListField(child=serializers.CharField(), help_text=CODES)
    executing = serializers.ListField(child=serializers.CharField(), help_text=CODES)
    executing_rule = ExecutingRuleField()
    unmatched = serializers.ListField(child=serializers.CharField(), help_text="Tên cơ quan không tìm thấy")
    deadline = serializers.DateField(allow_null=True)
    recurrence = serializers.ChoiceField(choices=Recurrence.choices[1:], allow_null=True)
    products = serializers.CharField()


class PlanExtractionSerializer(serializers.Serializer):
    header = PlanExtractionHeaderSerializer()
    tasks = ExtractedTaskSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


def _codes(refs, issuer: Organisation, day: date) -> list[str]:
    """The codes of the units the document names, each rule expanded as task_save expands a task's rule."""
    codes: list[str] = []
    for ref in refs:
        if ref.unit is not None:
            codes.append(ref.unit.code)
        elif ref.rule:
            codes += services.rule_units(issuer=issuer, rule=ref.rule, day=day).values_list("code", flat=True)
    return list(dict.fromkeys(codes))


def _extraction_data(result: extraction.Extraction, issuer: Organisation) -> dict:
    header = result.header
    day = max(header.period_start or today(), today())
    tasks = [
        {
            "number": t.number,
            "content": t.content,
            "lead": _codes(t.lead, issuer, day),
            "coordinating": _codes(t.coordinating, issuer, day),
            "executing": _codes(t.executing, issuer, day),
            "executing_rule": document_import.combined_rule(t.executing),
            "unmatched": [ref.text for ref in t.unmatched],
            "deadline": t.deadline,
            "recurrence": t.recurrence or None,
            "products": t.products,
        }
        for t in result.tasks
    ]
    fields = ("number", "issued_on", "title", "period_start", "period_end")
    return {"header": {f: getattr(header, f) for f in fields}, "tasks": tasks, "warnings": result.warnings}


class PlanViewSet(
    PolicyMixin,
    PolicyContextMixin,
    FiguresMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Plans (kế hoạch) the user may see, with their progress (tinhgon/plans/progress.py) and the plans below."""

    serializer_class = PlanSerializer
    queryset = Plan.objects.none()
    filterset_class = PlanFilter
    action_rules = {"list": VIEW, "create": MANAGE, "extract": MANAGE}

    def roots(self, rows):
        return rows

    def get_queryset(self):
        plans = Plan.objects.visible_to(self.policy)
        return _plans_with_parts(plans, self.policy).order_by("-period_start", "-id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = Plan(**serializer.validated_data)
        self.require(MANAGE, plan.issuer)
        services.plan_save(plan=plan, by=request.user)
        plan = _plans_with_parts(Plan.objects.filter(pk=plan.pk), self.policy).get()
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: PlanSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the plan's follow-up: its open assignments raise no more overdue items, reminders or to-dos.
        409 when it is closed already."""
        return self._move("close")

    @extend_schema(request=None, responses={200: PlanSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Follow the plan again. 409 when it is followed already."""
        return self._move("reopen")

    @extend_schema(
        request={"multipart/form-data": PlanExtractSerializer, "application/json": PlanExtractSerializer},
        responses={200: PlanExtractionSerializer},
    )
    @action(detail=False, methods=["post"])
    def extract(self, request):
        """Read a plan's document (Word, PDF with a text layer, or text) into its header and tasks, with each task's
        agencies as unit codes of the issuer's province: nothing is saved. 400 with `detail` for a document that
        cannot be read (a scan, a password, another kind of file, too large)."""
        data = PlanExtractSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        issuer = get_visible(self.policy, Organisation.objects, code=data.validated_data["issuer"])
        self.require(MANAGE, issuer)
        try:
            document = extraction.read_document(
                upload=data.validated_data.get("file"), text=data.validated_data.get("text")
            )
        except extraction.DocumentRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_400_BAD_REQUEST)
        result = extraction.extract(document, issuer=issuer)
        return Response(PlanExtractionSerializer(_extraction_data(result, issuer)).data)

    def _move(self, name: str):
        plan = self.get_object(MANAGE)
        plan.perform(name, self.policy)
        return Response(self.get_serializer(self.get_object()).data)


# Tasks ------------------------------------------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.none())
    lead = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), help_text="Mã cơ quan chủ trì"
    )
    coordinating = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), many=True, required=False, help_text="Mã cơ quan"
    )
    executing = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), many=True, required=False, help_text="Mã cơ quan"
    )
    executing_rule = ExecutingRuleField(required=False, default="")
    recurrence = RecurrenceField(required=False, default="")
    recurrence_day = serializers.IntegerField(
        min_value=1, max_value=31, required=False, allow_null=True, help_text="Hạn trong tháng cuối kỳ (ngày)"
    )
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, required=False)
    area = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ReformArea.objects.all(),
        required=False,
        allow_null=True,
        help_text="Mã lĩnh vực cải cách hành chính (null: chưa phân lĩnh vực)",
    )
    status_class = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    assignments = serializers.SerializerMethodField()
    row_version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "code",
            "order",
            "title",
            "area",
            "content",
            "lead",
            "coordinating",
            "executing",
            "executing_rule",
            "deadline",
            "recurrence",
            "recurrence_day",
            "product",
            "weight",
            "status_class",
            "progress",
            "assignments",
            "row_version",
        ]
        read_only_fields = ["order"]
        validators = []  # the service refuses a duplicate code in Vietnamese

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _visible_choices(self, plan=Plan)

    def _figures(self, task) -> rollup.TaskFigures:
        figures = self.context.get("figures")
        if figures is None or task.pk not in figures.task_figures:
            figures = rollup.cascade_many([task.plan])
        return figures.task_figures[task.pk]

    @extend_schema_field(StatusClassField)
    def get_status_class(self, task):
        """The worst status class of the task's assignments (all done: done late if any was late)."""
        return self._figures(task).status

    @extend_schema_field(PROGRESS)
    def get_progress(self, task):
        return _pct(self._figures(task).progress)

    def get_assignments(self, task) -> list[int]:
        """Phân công thực hiện mà người dùng được xem (id), xem /api/v1/assignments/."""
        return [a.pk for a in task.assignments.all()]

    def validate(self, data):
        if data.get("recurrence") and data.get("deadline"):
            raise serializers.ValidationError({"deadline": ["Nhiệm vụ định kỳ có thời hạn theo từng kỳ."]})
        if not data.get("recurrence") and data.get("recurrence_day"):
            raise serializers.ValidationError({"recurrence_day": ["Chỉ dùng cho nhiệm vụ định kỳ."]})
        return data


def _tasks_with_parts(tasks, policy):
    """With the assignments the user may see (a unit's part is not every reader's: Assignment.visible_to)."""
    parts = Assignment.objects.visible_to(policy).only("id", "task_id")
    return tasks.select_related("plan", "lead", "area").prefetch_related(
        "coordinating", "executing", Prefetch("assignments", queryset=parts)
    )


class TaskViewSet(
    PolicyMixin,
    PolicyContextMixin,
    FiguresMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Tasks (nhiệm vụ) of the plans the user may see, with their status class and progress. Creating a task makes
    the assignments of every unit involved (one per dated instance of a recurring task). Deleting one is for a task
    entered by mistake: refused (400, with the reasons) once anything was recorded on it."""

    serializer_class = TaskSerializer
    queryset = Task.objects.none()
    filterset_class = TaskFilter
    action_rules = {"list": VIEW, "create": MANAGE}

    def roots(self, rows):
        return list({task.plan_id: task.plan for task in rows}.values())

    def get_queryset(self):
        tasks = Task.objects.visible_to(self.policy)
        return _tasks_with_parts(tasks, self.policy).order_by("plan", "code_key", "id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        self.require(MANAGE, data["plan"].issuer)
        coordinating, executing = data.pop("coordinating", []), data.pop("executing", [])
        task = services.task_save(task=Task(**data), coordinating=coordinating, executing=executing, by=request.user)
        task = _tasks_with_parts(Task.objects.filter(pk=task.pk), self.policy).get()
        return Response(self.get_serializer(task).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.task_delete(task=self.get_object(MANAGE))
        return Response(status=status.HTTP_204_NO_CONTENT)


# Assignments ------------------------------------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="task.plan_id", read_only=True)
    task_code = serializers.CharField(source="task.code", read_only=True)
    task_title = serializers.CharField(source="task.title", read_only=True)
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    role = AssignmentRoleField(read_only=True)
    status_class = serializers.SerializerMethodField()
    row_version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "task",
            "plan",
            "task_code",
            "task_title",
            "organisation",
            "organisation_name",
            "role",
            "period_label",
            "due_on",
            "original_due_on",
            "progress",
            "report",
            "completed_on",
            "status_class",
            "updated_at",
            "row_version",
        ]
        read_only_fields = fields

    @extend_schema_field(StatusClassField)
    def get_status_class(self, assignment):
        return assignment.status_class()


class AssignmentReportSerializer(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False, help_text="Tiến độ (%)")
    report = serializers.CharField(allow_blank=True, required=False, help_text="Kết quả thực hiện")
    completed_on = serializers.DateField(
        allow_null=True, required=False, help_text="Ngày hoàn thành (tiến độ 100% mà không có ngày: hôm nay)"
    )
    row_version = serializers.IntegerField(
        required=False,
        help_text="Phiên bản đã đọc (bắt buộc, hoặc tiêu đề If-Match): 428 khi thiếu, 409 khi người khác đã cập nhật.",
    )


class ExtensionRequestSerializer(serializers.ModelSerializer):
    status = ExtensionStatusField(read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True, allow_null=True, default=None)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, allow_null=True, default=None)
    row_version = serializers.IntegerField(read_only=True)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "assignment",
            "requested_due_on",
            "reason",
            "status",
            "requested_by",
            "decided_by",
            "decision_note",
            "decided_on",
            "created_at",
            "row_version",
        ]
        read_only_fields = ["assignment", "decision_note", "decided_on", "created_at"]


class ExtensionDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(
        allow_blank=True, required=False, default="", help_text="Ý kiến (bắt buộc khi không đồng ý gia hạn)"
    )
    on = serializers.DateField(
        required=False, allow_null=True, help_text="Ngày quyết định (YYYY-MM-DD), bỏ trống là hôm nay"
    )


class AssignmentViewSet(
    PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Each unit's part in a task (phân công thực hiện), on which it reports its progress: seen by the unit, the
    plan's issuer and the task's lead."""

    serializer_class = AssignmentSerializer
    queryset = Assignment.objects.none()
    filterset_class = AssignmentFilter
    # Counted and paged in one narrow pass, then read by id: a province's 8,840 visible assignments were found
    # twice, for the count and for the page (as the review forms').
    pagination_class = OnePassPagination
    action_rules = {"list": VIEW}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        assignments = Assignment.objects.visible_to(self.policy)
        return assignments.select_related("task", "organisation").order_by("due_on", "id")

    @extend_schema(
        request=AssignmentReportSerializer,
        responses={200: AssignmentSerializer, 409: CONFLICT, 428: PRECONDITION_REQUIRED},
    )
    def partial_update(self, request, *args, **kwargs):
        """Report progress: a progress figure, the results, the completion date. Reaching 100% without a date
        completes the assignment today; a completion date sets the progress to 100%."""
        assignment = self.get_object(REPORT)
        started_from = self.started_from()
        body = AssignmentReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.assignment_report(
            assignment=assignment,
            progress=data.get("progress", assignment.progress),
            report=data.get("report", assignment.report),
            completed_on=data.get("completed_on", assignment.completed_on),
            started_from=started_from,
        )
        return Response(AssignmentSerializer(self.get_object()).data)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=ExtensionRequestSerializer, responses={201: ExtensionRequestSerializer})
    @action(detail=True, methods=["post"])
    def extension(self, request, pk=None):
        """Ask the plan's issuer for a later deadline, with a reason (one pending request at a time)."""
        assignment = self.get_object(REPORT)
        body = ExtensionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        created = services.extension_request(
            assignment=assignment,
            new_due_on=body.validated_data["requested_due_on"],
            reason=body.validated_data["reason"],
            by=request.user,
        )
        return Response(ExtensionRequestSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExtensionDecisionSerializer, responses={200: ExtensionRequestSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="extension/approve")
    def extension_approve(self, request, pk=None):
        """The plan's issuer agrees: the assignment's deadline moves to the date asked for. 409 once decided."""
        return self._decide("approve")

    @extend_schema(request=ExtensionDecisionSerializer, responses={200: ExtensionRequestSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="extension/refuse")
    def extension_refuse(self, request, pk=None):
        """The plan's issuer refuses, saying why (`note` required). 409 once decided."""
        return self._decide("refuse")

    def _decide(self, name: str):
        """Decide the assignment's latest extension request (the pending one; a decided one answers 409). The
        permission (plans.manage on the plan's issuer) is checked before anything else is read."""
        assignment = self.get_object(MANAGE)
        extension = assignment.extension_requests.select_related("assignment__task__plan__issuer").first()
        if extension is None:
            raise NotFound("Phân công này chưa có đề nghị gia hạn.")
        body = ExtensionDecisionSerializer(data=self.request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        extension.perform(name, self.policy, data["note"], by=self.request.user, on=data.get("on"))
        return Response(ExtensionRequestSerializer(extension).data)


# Overdue ----------------------------------------------------------------------------------------------------------


class OverdueUnitSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="code", help_text="Mã đơn vị")
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Số phân công quá hạn")
    assignments = AssignmentSerializer(many=True)


class OverdueView(PolicyMixin, generics.ListAPIView):
    """Overdue assignments of a unit and the units under it, grouped by unit (most overdue first), 50 units a page.
    `org` names a unit the user may see (404 otherwise); without it, the unit the token acts for."""

    queryset = Assignment.objects.none()
    serializer_class = OverdueUnitSerializer
    filterset_class = OverdueFilter
    action_rules = {"GET": VIEW}

    def list(self, request, *args, **kwargs):
        # Two queries whatever the size, as the page who-is-late-below-me: the units with their counts (grouped in
        # SQL; a few thousand at most, paged here rather than counted again), then the assignments of this page's
        # units. Unpaged, the nation's answer held all 29,000 late assignments of the country (3.4 s → 0.4 s).
        overdue = self.overdue_rows(request)
        units = list(overdue.late_units().order_by("-count", "name", "organisation_id"))
        groups = {unit["organisation_id"]: {**unit, "assignments": []} for unit in self.paginate_queryset(units)}
        rows = overdue.filter(organisation_id__in=list(groups)).select_related("task", "organisation")
        for assignment in rows.order_by("due_on", "id"):
            groups[assignment.organisation_id]["assignments"].append(assignment)
        return self.get_paginated_response(OverdueUnitSerializer(groups.values(), many=True).data)

    def overdue_rows(self, request):
        data = request.query_params.copy()
        if not data.get("org"):
            acting = getattr(request._request, "acting_membership", None)
            data["org"] = acting.organisation.code if acting else ""
        get_visible(self.policy, Organisation.objects, code=data["org"])
        filters = OverdueFilter(data, queryset=Assignment.objects.visible_to(self.policy).overdue())
        if not filters.is_valid():
            raise serializers.ValidationError(filters.errors)
        return filters.qs


# Indicators -------------------------------------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.none(), required=False, allow_null=True)
    direction = DirectionField(required=False, default=Direction.AT_LEAST)
    period = PeriodField(required=False, default=Period.YEARLY)
    source = SourceField(required=False, default=Source.MANUAL)
    area = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ReformArea.objects.all(),
        required=False,
        allow_null=True,
        help_text="Mã lĩnh vực cải cách hành chính (null: chưa phân lĩnh vực)",
    )
    deadline = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Thời hạn đạt chỉ tiêu (bỏ trống: ngày cuối kỳ của kế hoạch, hoặc 31/12 năm nay)",
    )
    reached_on = serializers.SerializerMethodField(help_text="Ngày đầu tiên đạt mục tiêu (null: chưa đạt)")
    deadline_status = serializers.SerializerMethodField()
    row_version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "name",
            "area",
            "unit",
            "direction",
            "target",
            "period",
            "deadline",
            "reached_on",
            "deadline_status",
            "organisation",
            "plan",
            "source",
            "row_version",
        ]

    def get_reached_on(self, indicator) -> date | None:
        return indicator.reached_on(indicator.values.all())

    @extend_schema_field(DeadlineStatusField(allow_null=True))
    def get_deadline_status(self, indicator):
        """Đánh giá theo thời hạn, căn cứ ngày đầu tiên đạt mục tiêu."""
        return indicator.deadline_status(indicator.values.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _visible_choices(self, plan=Plan)


class IndicatorValueSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    entered_by = serializers.CharField(source="entered_by.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "period_start",
            "period_end",
            "period_label",
            "value",
            "note",
            "computed",
            "entered_by",
            "entered_at",
            "status",
        ]
        read_only_fields = fields

    @extend_schema_field(IndicatorStatusField)
    def get_status(self, row):
        """met: đạt; at_risk: chưa đạt, kỳ chưa kết thúc; missed: kỳ đã kết thúc mà không đạt."""
        return row.status


class IndicatorValueInSerializer(serializers.Serializer):
    period_start = serializers.DateField(help_text="Ngày đầu một kỳ của chỉ tiêu (YYYY-MM-DD)")
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    note = serializers.CharField(allow_blank=True, required=False, default="")


def _span_starting(indicator: Indicator, start: date):
    """The indicator's period starting on `start` (in its plan's period, or in that year)."""
    if indicator.plan_id:
        first, last = indicator.plan.period_start, indicator.plan.period_end
    else:
        first, last = date(start.year, 1, 1), date(start.year, 12, 31)
    return next((s for s in spans(indicator.period, first, last) if s.start == start), None)


class IndicatorViewSet(
    PolicyMixin,
    PolicyContextMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Indicators (chỉ tiêu): targets of a unit, computed from the app's data or entered by hand with evidence."""

    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.none()
    filterset_class = IndicatorFilter
    action_rules = {"list": VIEW, "create": "indicators.manage"}

    def get_queryset(self):
        indicators = Indicator.objects.visible_to(self.policy).prefetch_related("values")
        return indicators.select_related("organisation", "plan", "area").order_by("organisation__code", "name", "id")

    def perform_create(self, serializer):
        self.require("indicators.manage", serializer.validated_data["organisation"])
        serializer.save()

    @extend_schema(methods=["get"], request=None, responses=IndicatorValueSerializer(many=True))
    @extend_schema(
        methods=["post"],
        request=IndicatorValueInSerializer,
        responses={
            201: IndicatorValueSerializer,
            200: OpenApiResponse(
                IndicatorValueSerializer(many=True),
                description="Chỉ tiêu tính tự động: các giá trị được tính lại (không cần gửi nội dung)",
            ),
        },
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def values(self, request, pk=None):
        """GET: the values by period, with their status. POST: enter the value of one period (manual indicator);
        for an indicator computed from the app's data, recompute the values of its periods so far."""
        if request.method == "POST":
            indicator = self.get_object("indicators.enter")
            if indicator.source != Source.MANUAL:
                indicator_services.indicator_refresh(indicator)
            else:
                return self._enter(indicator)
        else:
            indicator = self.get_object()
        rows = indicator.values.select_related("indicator", "entered_by").order_by("period_start")
        return Response(IndicatorValueSerializer(rows, many=True).data)

    def _enter(self, indicator: Indicator):
        body = IndicatorValueInSerializer(data=self.request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        span = _span_starting(indicator, data["period_start"])
        if span is None:
            raise serializers.ValidationError(
                {"period_start": ["Ngày này không phải ngày đầu một kỳ theo dõi của chỉ tiêu."]}
            )
        row = indicator_services.indicator_value_enter(
            indicator=indicator, span=span, value=data["value"], note=data["note"], by=self.request.user
        )
        row = IndicatorValue.objects.select_related("indicator", "entered_by").get(pk=row.pk)
        return Response(IndicatorValueSerializer(row).data, status=status.HTTP_201_CREATED)
