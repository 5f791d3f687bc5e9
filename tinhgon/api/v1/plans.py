"""Plans, tasks, assignments and indicators API (domain.md §3.9, §4.3, §7, §9).

Permissions (tinhgon/accounts/permissions.py):
- a plan is seen by whoever has `plans.view` over its issuer, or over a unit one of its tasks is assigned to; a
  task likewise (its plan's issuer, or one of its own assignments); an assignment by `plans.view` over its unit or
  over the plan's issuer;
- plans are issued and tasks set by `plans.manage` over the plan's issuer;
- a unit reports on its assignment and asks for an extension with `plans.report` over that unit;
- indicators are seen with `plans.view` over their organisation, set with `indicators.manage` and their values
  entered (or recomputed, for computed ones) with `indicators.enter` over it.
Progress and status classes come from tinhgon/plans/progress.py, computed for a whole page of plans or tasks in a
number of queries that does not depend on the number of rows. Errors raised by the services are answered 400 with
their Vietnamese messages; a report saved from a stale copy (`row_version`) is answered 409.
"""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F, Prefetch, Q

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhgon.api.base import PolicyMixin, as_drf_error
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.plans import indicators as indicator_services
from tinhgon.plans import progress as rollup
from tinhgon.plans import services
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
from tinhgon.plans.models import Assignment, ExtensionRequest, Indicator, IndicatorValue, Plan, Task
from tinhgon.plans.periods import spans

VIEW = "plans.view"


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

PROGRESS = serializers.DecimalField(
    max_digits=4, decimal_places=1, help_text='Tiến độ (%), chuỗi có 1 chữ số lẻ (ví dụ "62.5")'
)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Nội dung đã được người khác cập nhật. Hãy tải lại để xem bản mới nhất."
    default_code = "conflict"


CONFLICT_RESPONSE = OpenApiResponse(
    response=inline_serializer(
        "PlanConflict", {"detail": serializers.CharField(), "row_version": serializers.IntegerField()}
    ),
    description="Lưu từ bản cũ: `row_version` gửi lên khác bản đang lưu (trả về `row_version` hiện tại).",
)


def _is_stale(error: DjangoValidationError) -> bool:
    return any(getattr(e, "code", None) == "stale" for e in getattr(error, "error_list", [error]))


def _service(call, *args, **kwargs):
    """Run a service; its validation errors become 400 (409 for a stale copy), in Vietnamese."""
    try:
        return call(*args, **kwargs)
    except DjangoValidationError as error:
        if _is_stale(error):
            raise Conflict(error.messages[0]) from error
        raise as_drf_error(error) from error


# Visibility and figures --------------------------------------------------------------------------------------------


def _visible_plans(policy):
    scope = policy.organisations(VIEW)
    assigned = Assignment.objects.filter(organisation__in=scope).values("task__plan_id")
    return Plan.objects.filter(Q(issuer__in=scope) | Q(pk__in=assigned))


def _visible_tasks(policy):
    scope = policy.organisations(VIEW)
    assigned = Assignment.objects.filter(organisation__in=scope).values("task_id")
    return Task.objects.filter(Q(plan__issuer__in=scope) | Q(pk__in=assigned))


def _visible_assignments(policy):
    scope = policy.organisations(VIEW)
    return Assignment.objects.filter(Q(organisation__in=scope) | Q(task__plan__issuer__in=scope))


def _pct(value) -> str:
    """One decimal always ("0.0", not "0": progress.weighted_mean leaves an empty mean unquantized)."""
    return str(value.quantize(rollup.ONE))


def status_q(status_class: str, day: date) -> Q:
    """The assignments of one status class (Assignment.status_class), as a filter."""
    done, open_ = Q(completed_on__isnull=False), Q(completed_on__isnull=True)
    not_late = Q(due_on__isnull=True) | Q(due_on__gte=day)
    reported = Q(progress__gt=0) | ~Q(report="")
    return {
        StatusClass.DONE_ON_TIME: done & (Q(due_on__isnull=True) | Q(completed_on__lte=F("due_on"))),
        StatusClass.DONE_LATE: done & Q(due_on__isnull=False, completed_on__gt=F("due_on")),
        StatusClass.OVERDUE: open_ & Q(due_on__lt=day),
        StatusClass.IN_PROGRESS: open_ & not_late & reported,
        StatusClass.NOT_DUE: open_ & not_late & ~reported,
    }[status_class]


def _org(code: str, policy) -> Organisation:
    org = Organisation.objects.filter(code=code).first()
    if org is None or not policy.allows(VIEW, org):
        raise NotFound(f"Không tìm thấy đơn vị {code}.")
    return org


# Plans ------------------------------------------------------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer):
    issuer = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    kind = PlanKindField(required=False, default=PlanKind.OTHER)
    parent_plan = serializers.PrimaryKeyRelatedField(
        queryset=Plan.objects.all(), required=False, allow_null=True, help_text="Kế hoạch cấp trên được thực hiện"
    )
    parent_task = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.all(),
        required=False,
        allow_null=True,
        help_text="Nhiệm vụ cấp trên được thực hiện (kế hoạch cấp trên mặc định là kế hoạch của nhiệm vụ)",
    )
    progress = serializers.SerializerMethodField()
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
            "child_plans",
            "created_at",
            "row_version",
        ]
        read_only_fields = ["created_at"]

    @extend_schema_field(PROGRESS)
    def get_progress(self, plan):
        figures = self.context.get("figures")
        if figures is None or plan.pk not in figures.plan_progress:
            figures = rollup.cascade_many([plan])
        return _pct(figures.plan_progress[plan.pk])

    def get_child_plans(self, plan) -> list[int]:
        """Kế hoạch cấp dưới thực hiện kế hoạch này (id)."""
        return [child.pk for child in plan.child_plans.all()]


def _plans_with_parts(plans):
    return plans.select_related("issuer").prefetch_related(
        Prefetch("child_plans", queryset=Plan.objects.only("id", "parent_plan_id").order_by("id"))
    )


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


@extend_schema(
    parameters=[
        OpenApiParameter("issuer", str, description="Mã cơ quan ban hành"),
        OpenApiParameter("kind", str, enum=PlanKind.values),
        OpenApiParameter("parent_plan", int),
        OpenApiParameter("year", int, description="Kế hoạch có thời gian thực hiện trong năm"),
    ]
)
class PlanViewSet(
    PolicyMixin,
    FiguresMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Plans (kế hoạch) the user may see, with their progress (tinhgon/plans/progress.py) and the plans below."""

    serializer_class = PlanSerializer
    queryset = Plan.objects.none()

    def roots(self, rows):
        return rows

    def get_queryset(self):
        plans = _visible_plans(self.policy)
        params = self.request.query_params
        if self.action == "list":
            if params.get("issuer"):
                plans = plans.filter(issuer__code=params["issuer"])
            if params.get("kind"):
                plans = plans.filter(kind=params["kind"])
            if params.get("parent_plan"):
                value = params["parent_plan"]
                plans = plans.filter(parent_plan=value) if value.isdigit() else plans.none()
            if params.get("year", "").isdigit():
                year = int(params["year"])
                plans = plans.filter(period_start__year__lte=year, period_end__year__gte=year)
        return _plans_with_parts(plans).order_by("-period_start", "-id")

    def create(self, request, *args, **kwargs):
        serializer = PlanSerializer(data=request.data, context={"figures": None})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        visible = _visible_plans(self.policy)
        if data.get("parent_plan") and not visible.filter(pk=data["parent_plan"].pk).exists():
            raise serializers.ValidationError({"parent_plan": ["Không tìm thấy kế hoạch cấp trên."]})
        parent_task = data.get("parent_task")
        if parent_task and not _visible_tasks(self.policy).filter(pk=parent_task.pk).exists():
            raise serializers.ValidationError({"parent_task": ["Không tìm thấy nhiệm vụ cấp trên."]})
        self.require("plans.manage", data["issuer"])
        plan = _service(services.plan_save, plan=Plan(**data), by=request.user)
        plan = _plans_with_parts(Plan.objects.filter(pk=plan.pk)).get()
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)


# Tasks ------------------------------------------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.all())
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
        validators = []  # the view refuses a duplicate code in Vietnamese

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
        """Phân công thực hiện (id), xem /api/v1/assignments/."""
        return [a.pk for a in task.assignments.all()]

    def validate(self, data):
        if data.get("recurrence") and data.get("deadline"):
            raise serializers.ValidationError({"deadline": ["Nhiệm vụ định kỳ có thời hạn theo từng kỳ."]})
        if not data.get("recurrence") and data.get("recurrence_day"):
            raise serializers.ValidationError({"recurrence_day": ["Chỉ dùng cho nhiệm vụ định kỳ."]})
        return data


def _tasks_with_parts(tasks):
    return tasks.select_related("plan", "lead").prefetch_related(
        "coordinating", "executing", Prefetch("assignments", queryset=Assignment.objects.only("id", "task_id"))
    )


@extend_schema(
    parameters=[
        OpenApiParameter("plan", int),
        OpenApiParameter("lead", str, description="Mã cơ quan chủ trì"),
    ]
)
class TaskViewSet(
    PolicyMixin,
    FiguresMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Tasks (nhiệm vụ) the user may see, with their status class and progress. Creating a task makes the
    assignments of every unit involved (one per dated instance of a recurring task). Deleting one is for a task
    entered by mistake: refused (400, with the reasons) once anything was recorded on it."""

    serializer_class = TaskSerializer
    queryset = Task.objects.none()

    def roots(self, rows):
        return list({task.plan_id: task.plan for task in rows}.values())

    def get_queryset(self):
        tasks = _visible_tasks(self.policy)
        params = self.request.query_params
        if self.action == "list":
            if params.get("plan"):
                tasks = tasks.filter(plan=params["plan"]) if params["plan"].isdigit() else tasks.none()
            if params.get("lead"):
                tasks = tasks.filter(lead__code=params["lead"])
        return _tasks_with_parts(tasks).order_by("plan", "order", "id")

    def create(self, request, *args, **kwargs):
        serializer = TaskSerializer(data=request.data, context={"figures": None})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        plan = data["plan"]
        if not _visible_plans(self.policy).filter(pk=plan.pk).exists():
            raise NotFound(f"Không tìm thấy kế hoạch {plan.pk}.")
        self.require("plans.manage", plan.issuer)
        if plan.tasks.filter(code=data["code"]).exists():
            raise serializers.ValidationError({"code": [f"Mã nhiệm vụ {data['code']} đã có trong kế hoạch."]})
        coordinating, executing = data.pop("coordinating", []), data.pop("executing", [])
        task = _service(
            services.task_save, task=Task(**data), coordinating=coordinating, executing=executing, by=request.user
        )
        task = _tasks_with_parts(Task.objects.filter(pk=task.pk)).get()
        return Response(self.get_serializer(task).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        self.require("plans.manage", instance.plan.issuer)
        _service(services.task_delete, task=instance)


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
        required=False, help_text="Gửi kèm để không ghi đè báo cáo của người khác (409 nếu đã cũ)."
    )


class ExtensionRequestSerializer(serializers.ModelSerializer):
    status = ExtensionStatusField(read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "assignment",
            "requested_due_on",
            "reason",
            "status",
            "requested_by",
            "decision_note",
            "created_at",
        ]
        read_only_fields = ["assignment", "decision_note", "created_at"]


def _assignments_with_parts(assignments):
    return assignments.select_related("task", "organisation")


@extend_schema(
    parameters=[
        OpenApiParameter("task", int),
        OpenApiParameter("plan", int),
        OpenApiParameter("organisation", str, description="Mã đơn vị được giao"),
        OpenApiParameter("status_class", str, enum=StatusClass.values),
    ]
)
class AssignmentViewSet(
    PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Each unit's part in a task (phân công thực hiện), on which it reports its progress."""

    serializer_class = AssignmentSerializer
    queryset = Assignment.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        assignments = _visible_assignments(self.policy)
        params = self.request.query_params
        if self.action == "list":
            for name in ("task", "plan"):
                if params.get(name):
                    lookup = "task" if name == "task" else "task__plan"
                    value = params[name]
                    assignments = assignments.filter(**{lookup: value}) if value.isdigit() else assignments.none()
            if params.get("organisation"):
                assignments = assignments.filter(organisation__code=params["organisation"])
            wanted = params.get("status_class", "")
            if wanted:
                if wanted in StatusClass.values:
                    assignments = assignments.filter(status_q(wanted, today()))
                else:
                    assignments = assignments.none()
        return _assignments_with_parts(assignments).order_by("due_on", "id")

    @extend_schema(request=AssignmentReportSerializer, responses={200: AssignmentSerializer, 409: CONFLICT_RESPONSE})
    def partial_update(self, request, *args, **kwargs):
        """Report progress: a progress figure, the results, the completion date. Reaching 100% without a date
        completes the assignment today; a completion date sets the progress to 100%."""
        assignment = self.get_object()
        self.require("plans.report", assignment.organisation)
        body = AssignmentReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        started_from = data.get("row_version")
        with transaction.atomic():
            try:
                _service(
                    services.assignment_report,
                    assignment=assignment,
                    progress=data.get("progress", assignment.progress),
                    report=data.get("report", assignment.report),
                    completed_on=data.get("completed_on", assignment.completed_on),
                    started_from=started_from,
                )
            except Conflict as conflict:
                conflict.detail = {
                    "detail": conflict.detail,
                    "row_version": Assignment.objects.get(pk=assignment.pk).row_version,
                }
                raise
        return Response(AssignmentSerializer(self.get_object()).data)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=ExtensionRequestSerializer, responses={201: ExtensionRequestSerializer})
    @action(detail=True, methods=["post"])
    def extension(self, request, pk=None):
        """Ask the plan's issuer for a later deadline, with a reason."""
        assignment = self.get_object()
        self.require("plans.report", assignment.organisation)
        body = ExtensionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        created = _service(
            services.extension_request,
            assignment=assignment,
            new_due_on=body.validated_data["requested_due_on"],
            reason=body.validated_data["reason"],
            by=request.user,
        )
        return Response(ExtensionRequestSerializer(created).data, status=status.HTTP_201_CREATED)


# Overdue ----------------------------------------------------------------------------------------------------------


class OverdueUnitSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text="Mã đơn vị")
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Số phân công quá hạn")
    assignments = AssignmentSerializer(many=True)


@extend_schema(
    parameters=[OpenApiParameter("org", str, description="Mã đơn vị (mặc định: đơn vị đang thay mặt)")],
    responses=OverdueUnitSerializer(many=True),
)
class OverdueView(PolicyMixin, APIView):
    """Overdue assignments of a unit and the units under it, grouped by unit (most overdue first)."""

    def get(self, request):
        code = request.query_params.get("org", "").strip()
        if not code:
            acting = getattr(request._request, "acting_membership", None)
            code = acting.organisation.code if acting else ""
        org = _org(code, self.policy)
        rows = _assignments_with_parts(
            Assignment.objects.overdue().within(Organisation.objects.ever_under([org]))
        ).order_by("organisation__name", "due_on", "id")
        groups: dict[int, dict] = {}
        for assignment in rows:
            unit = assignment.organisation
            group = groups.setdefault(unit.pk, {"organisation": unit.code, "name": unit.name, "assignments": []})
            group["assignments"].append(assignment)
        out = sorted(groups.values(), key=lambda g: -len(g["assignments"]))  # stable: by name within a count
        for group in out:
            group["count"] = len(group["assignments"])
        return Response(OverdueUnitSerializer(out, many=True).data)


# Indicators -------------------------------------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.all(), required=False, allow_null=True)
    direction = DirectionField(required=False, default=Direction.AT_LEAST)
    period = PeriodField(required=False, default=Period.YEARLY)
    source = SourceField(required=False, default=Source.MANUAL)

    class Meta:
        model = Indicator
        fields = ["id", "name", "unit", "direction", "target", "period", "organisation", "plan", "source"]


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


@extend_schema(
    parameters=[
        OpenApiParameter("organisation", str, description="Mã đơn vị"),
        OpenApiParameter("plan", int),
        OpenApiParameter("source", str, enum=Source.values),
    ]
)
class IndicatorViewSet(
    PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Indicators (chỉ tiêu): targets of a unit, computed from the app's data or entered by hand with evidence."""

    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.none()

    def get_queryset(self):
        indicators = Indicator.objects.filter(organisation__in=self.policy.organisations(VIEW))
        params = self.request.query_params
        if self.action == "list":
            if params.get("organisation"):
                indicators = indicators.filter(organisation__code=params["organisation"])
            if params.get("plan"):
                indicators = indicators.filter(plan=params["plan"]) if params["plan"].isdigit() else indicators.none()
            if params.get("source"):
                indicators = indicators.filter(source=params["source"])
        return indicators.select_related("organisation", "plan").order_by("organisation__code", "name", "id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        plan = data.get("plan")
        if plan is not None and not _visible_plans(self.policy).filter(pk=plan.pk).exists():
            raise serializers.ValidationError({"plan": ["Không tìm thấy kế hoạch."]})
        self.require("indicators.manage", data["organisation"])
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
    @action(detail=True, methods=["get", "post"])
    def values(self, request, pk=None):
        """GET: the values by period, with their status. POST: enter the value of one period (manual indicator);
        for an indicator computed from the app's data, recompute the values of its periods so far."""
        indicator = self.get_object()
        if request.method == "POST":
            self.require("indicators.enter", indicator.organisation)
            if indicator.source != Source.MANUAL:
                _service(indicator_services.indicator_refresh, indicator)
            else:
                body = IndicatorValueInSerializer(data=request.data)
                body.is_valid(raise_exception=True)
                data = body.validated_data
                span = _span_starting(indicator, data["period_start"])
                if span is None:
                    raise serializers.ValidationError(
                        {"period_start": ["Ngày này không phải ngày đầu một kỳ theo dõi của chỉ tiêu."]}
                    )
                row = _service(
                    indicator_services.indicator_value_enter,
                    indicator=indicator,
                    span=span,
                    value=data["value"],
                    note=data["note"],
                    by=request.user,
                )
                row = IndicatorValue.objects.select_related("indicator", "entered_by").get(pk=row.pk)
                return Response(IndicatorValueSerializer(row).data, status=status.HTTP_201_CREATED)
        rows = indicator.values.select_related("indicator", "entered_by").order_by("period_start")
        return Response(IndicatorValueSerializer(rows, many=True).data)
