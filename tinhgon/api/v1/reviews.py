"""Review and simplification API (domain.md §3.3-§3.8, §6, §7): review plans, review forms and their workflow,
cost parameters and cost sheets, proposals, approval of one form, and the 20%/20% target ledger.

Permissions (tinhgon/accounts/permissions.py):
- a review form is seen by whoever has `reviews.view` over the procedure's owner or the form's responsible unit,
  and is filled, submitted, checked by the roles of `reviews.edit` / `reviews.submit` / `reviews.check` over the
  responsible unit (the procedure's owner unless the plan chose another one);
- a plan is seen by whoever has `reviews.view` over its organisation or over one of the procedures it lists, and
  made by `reviews.plan` over its organisation;
- approving one form takes `reviews.approve` over the issuer of the approval decision given in the body.
Errors raised by tinhgon/reviews/services.py are answered 400 with their Vietnamese messages; a save made from a
stale copy (`row_version`) is answered 409.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count, Q

from drf_spectacular.types import OpenApiTypes
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
from tinhgon.organisations.models import Organisation, OrganisationLink
from tinhgon.procedures.models import Procedure
from tinhgon.reviews import services
from tinhgon.reviews.constants import EDITABLE, Action, ChangeKind, ReviewStatus, Scenario
from tinhgon.reviews.models import ApprovalDecision, CostParameterSet, CostSheet, Proposal, Review, ReviewRound

VIEW = "reviews.view"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Nội dung đã được người khác cập nhật. Hãy tải lại để xem bản mới nhất."
    default_code = "conflict"


CONFLICT_RESPONSE = OpenApiResponse(
    response=inline_serializer(
        "ReviewConflict",
        {"detail": serializers.CharField(), "row_version": serializers.IntegerField()},
    ),
    description="Lưu từ bản cũ: `row_version` gửi lên khác bản đang lưu (trả về `row_version` hiện tại).",
)


def _guard_stale(instance, started_from) -> None:
    """409 when the copy the caller started from is older than the stored one. Call inside a transaction: the row
    stays locked until the service saves it."""
    try:
        services.stale(instance, started_from)
    except DjangoValidationError as error:
        conflict = Conflict(error.messages[0])
        # Set after __init__, which would turn the current row_version into a string.
        conflict.detail = {
            "detail": conflict.detail,
            "row_version": type(instance).objects.get(pk=instance.pk).row_version,
        }
        raise conflict from error


def _service(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except DjangoValidationError as error:
        raise as_drf_error(error) from error


def _open_review(procedure: Procedure) -> Review | None:
    """The procedure's review form that can still be filled in (draft or returned), the newest if several."""
    return procedure.reviews.filter(status__in=EDITABLE).select_related("responsible").order_by("-id").first()


def _visible_reviews(policy):
    scope = policy.organisations(VIEW)
    return Review.objects.filter(Q(procedure__owner__in=scope) | Q(responsible__in=scope))


def _visible_procedure(policy, procedure: Procedure) -> None:
    if not policy.allows(VIEW, procedure.owner):
        raise NotFound(f"Không tìm thấy thủ tục {procedure.pk}.")


# Review forms -----------------------------------------------------------------------------------------------------


class ReviewAnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField(help_text="Mã câu hỏi (id)")
    answer = serializers.BooleanField(allow_null=True, required=False, help_text="true: Có, false: Không, null: chưa")
    reason = serializers.CharField(allow_blank=True, required=False)
    proposal = serializers.CharField(allow_blank=True, required=False)


class ReviewAnswerOutSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question_id")
    order = serializers.IntegerField(source="question.order")
    criterion = serializers.CharField(source="question.criterion")
    component = serializers.CharField(source="question.component")
    text = serializers.CharField(source="question.text")
    guidance = serializers.CharField(source="question.guidance")
    answer = serializers.BooleanField(allow_null=True)
    reason = serializers.CharField()
    proposal = serializers.CharField()
    flagged = serializers.BooleanField(source="is_flagged", help_text="Câu trả lời gợi ý cần đơn giản hóa")


class ReviewSerializer(serializers.ModelSerializer):
    round = serializers.PrimaryKeyRelatedField(queryset=ReviewRound.objects.all())
    procedure = serializers.PrimaryKeyRelatedField(queryset=Procedure.objects.filter(is_template=False))
    procedure_code = serializers.CharField(source="procedure.code", read_only=True)
    name = serializers.CharField(source="version.name", read_only=True, help_text="Tên thủ tục ở phiên bản rà soát")
    version = serializers.IntegerField(source="version.number", read_only=True)
    responsible = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), required=False, help_text="Mặc định: cơ quan quản lý"
    )
    status = serializers.CharField(read_only=True, help_text="draft, submitted, returned, checked, assessed, approved")
    reviewer = serializers.CharField(source="reviewer.username", read_only=True, allow_null=True, default=None)
    answers = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    row_version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "round",
            "procedure",
            "procedure_code",
            "name",
            "version",
            "responsible",
            "deadline",
            "rationale",
            "expected_output",
            "status",
            "reviewer",
            "return_comment",
            "assessment",
            "submitted_on",
            "checked_on",
            "approval",
            "answers",
            "missing",
            "row_version",
        ]
        read_only_fields = ["return_comment", "assessment", "submitted_on", "checked_on", "approval"]
        validators = []  # the service refuses a procedure already in the plan, in Vietnamese
        extra_kwargs = {"deadline": {"required": False}}

    @extend_schema_field(ReviewAnswerOutSerializer(many=True))
    def get_answers(self, review):
        return ReviewAnswerOutSerializer(review.answers.all(), many=True).data

    def get_missing(self, review) -> list[str]:
        """What must still be filled before the form can be submitted."""
        return services.review_missing(review)


class ReviewPatchSerializer(serializers.Serializer):
    answers = ReviewAnswerSerializer(many=True)
    row_version = serializers.IntegerField(
        required=False, help_text="Gửi kèm để không ghi đè thay đổi của người khác (409 nếu đã cũ)."
    )


class ReviewCommentSerializer(serializers.Serializer):
    comment = serializers.CharField()


class ReviewApprovalSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    signed_on = serializers.DateField()
    signer = serializers.CharField(max_length=200)
    signer_title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    issuer = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())


class ReviewHintDecisionSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)


class ReviewHintSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    why = serializers.CharField(help_text="Căn cứ cụ thể của gợi ý")
    kind = serializers.CharField(allow_null=True, help_text="Loại thay đổi phương án tương ứng (nếu có)")
    targets = serializers.ListField(child=serializers.CharField(), help_text="Thành phần hồ sơ, bước... liên quan")
    stale = serializers.BooleanField(help_text="Gợi ý không còn được phát hiện, chỉ còn lựa chọn đã ghi nhận")
    decision = ReviewHintDecisionSerializer(allow_null=True, help_text="Lựa chọn của người rà soát (null: chưa)")


def _with_parts(reviews):
    ids = [r.pk for r in reviews]
    return list(
        Review.objects.filter(pk__in=ids)
        .select_related("procedure", "version", "responsible", "reviewer", "round")
        .prefetch_related("answers__question", "cost_sheets", "proposal")
        .order_by("procedure__code")
    )


# Plans ------------------------------------------------------------------------------------------------------------


class ReviewRoundSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    review_count = serializers.SerializerMethodField()

    class Meta:
        model = ReviewRound
        fields = [
            "id",
            "title",
            "organisation",
            "year",
            "decision_number",
            "decision_date",
            "deadline",
            "note",
            "created_at",
            "review_count",
        ]
        read_only_fields = ["created_at"]

    def get_review_count(self, round) -> int:
        counted = getattr(round, "review_total", None)
        return round.reviews.count() if counted is None else counted


@extend_schema(parameters=[OpenApiParameter("organisation", str), OpenApiParameter("year", int)])
class ReviewRoundViewSet(
    PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Review plans (kế hoạch rà soát) visible to the user: of their organisations, or listing their procedures."""

    serializer_class = ReviewRoundSerializer
    queryset = ReviewRound.objects.none()

    def get_queryset(self):
        scope = self.policy.organisations(VIEW)
        listed = _visible_reviews(self.policy).values("round_id")
        rounds = (
            ReviewRound.objects.filter(Q(organisation__in=scope) | Q(pk__in=listed))
            .select_related("organisation")
            .annotate(review_total=Count("reviews"))
        )
        params = self.request.query_params
        if self.action == "list":
            if params.get("organisation"):
                rounds = rounds.filter(organisation__code=params["organisation"])
            if params.get("year", "").isdigit():
                rounds = rounds.filter(year=int(params["year"]))
        return rounds.order_by("-year", "-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation")
        self.require("reviews.plan", organisation)
        serializer.instance = _service(
            services.round_create,
            organisation=organisation,
            title=data.pop("title"),
            year=data.pop("year"),
            by=self.request.user,
            **data,
        )

    @extend_schema(request=None, responses={200: ReviewSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="add-all-published")
    def add_all_published(self, request, pk=None):
        """Open a review form for every published procedure of the plan's organisation and the units under it that
        the plan does not list yet. Answers the forms created."""
        round = self.get_object()
        self.require("reviews.plan", round.organisation)
        created = _service(services.round_add_all_published, round=round)
        return Response(ReviewSerializer(_with_parts(created), many=True).data)


@extend_schema(
    parameters=[
        OpenApiParameter("round", int),
        OpenApiParameter("status", str, enum=ReviewStatus.values),
        OpenApiParameter("procedure", int),
    ]
)
class ReviewViewSet(
    PolicyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Review forms (phiếu rà soát) of the procedures the user may see, with their answers and workflow."""

    serializer_class = ReviewSerializer
    queryset = Review.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        reviews = _visible_reviews(self.policy)
        params = self.request.query_params
        if self.action == "list":
            for name in ("round", "procedure"):
                if params.get(name):
                    reviews = reviews.filter(**{name: params[name]}) if params[name].isdigit() else reviews.none()
            if params.get("status"):
                reviews = reviews.filter(status=params["status"])
        return (
            reviews.select_related("procedure", "version", "responsible", "reviewer", "round")
            .prefetch_related("answers__question", "cost_sheets", "proposal")
            .order_by("round", "procedure__code")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        round, procedure = data["round"], data["procedure"]
        if not self.policy.allows(VIEW, round.organisation):
            raise NotFound(f"Không tìm thấy kế hoạch rà soát {round.pk}.")
        _visible_procedure(self.policy, procedure)
        self.require("reviews.plan", round.organisation)
        if not Organisation.objects.ever_under([round.organisation]).filter(pk=procedure.owner_id).exists():
            raise serializers.ValidationError(
                {"procedure": [f"Thủ tục {procedure.code} không thuộc phạm vi của {round.organisation}."]}
            )
        review = _service(
            services.round_add_procedure,
            round=round,
            procedure=procedure,
            responsible=data.get("responsible"),
            deadline=data.get("deadline"),
            rationale=data.get("rationale", ""),
            expected_output=data.get("expected_output", ""),
        )
        return Response(ReviewSerializer(_with_parts([review])[0]).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewPatchSerializer, responses={200: ReviewSerializer, 409: CONFLICT_RESPONSE})
    def partial_update(self, request, *args, **kwargs):
        review = self.get_object()
        self.require("reviews.edit", review.responsible)
        body = ReviewPatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answers = {}
        for item in body.validated_data["answers"]:
            values = dict(item)
            answers[values.pop("question")] = values
        started_from = body.validated_data.get("row_version")
        with transaction.atomic():
            _guard_stale(review, started_from)
            _service(services.review_answer, review=review, answers=answers, started_from=started_from, by=request.user)
        return Response(ReviewSerializer(self.get_object()).data)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def _transition(self, action_code, apply):
        review = self.get_object()
        self.require(action_code, review.responsible)
        _service(apply, review)
        return Response(ReviewSerializer(self.get_object()).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition("reviews.submit", services.review_submit)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        return self._transition("reviews.check", services.review_check)

    @extend_schema(request=ReviewCommentSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        comment = str(request.data.get("comment", "") or "")
        return self._transition("reviews.check", lambda review: services.review_return(review, comment))

    @extend_schema(request=ReviewApprovalSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve this form's proposal by the approval decision given in the body (created and issued at once)."""
        review = self.get_object()
        body = ReviewApprovalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        self.require("reviews.approve", data["issuer"])
        with transaction.atomic():
            decision = ApprovalDecision.objects.create(**data)
            _service(services.approval_add, decision=decision, review=review)
            _service(services.approval_issue, decision=decision)
        return Response(ReviewSerializer(self.get_object()).data)

    @extend_schema(responses=ReviewHintSerializer(many=True))
    @action(detail=True, methods=["get"])
    def hints(self, request, pk=None):
        """The automatic simplification hints for this form, with the reviewer's choice on each."""
        from tinhgon.reviews.hints import hints_for_review

        review = self.get_object()
        return Response(ReviewHintSerializer([_hint_row(h) for h in hints_for_review(review)], many=True).data)


def _hint_row(pair) -> dict:
    """One (Hint, HintDecision | None) pair of hints.hints_for_review as the API shows it."""
    hint, decision = pair
    return {
        "code": hint.code,
        "title": hint.title,
        "why": hint.why,
        "kind": hint.kind or None,
        "targets": list(hint.targets),
        "stale": hint.stale,
        "decision": None if decision is None else {"accepted": decision.accepted, "note": decision.note},
    }


# Cost parameters and cost sheets ----------------------------------------------------------------------------------


class ReviewCostParameterSetSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text="Cơ quan áp dụng (bỏ trống: dùng chung toàn quốc, chỉ quản trị hệ thống tạo được)",
    )
    hourly_rate = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text="Thu nhập bình quân một giờ (đồng), 2 chữ số lẻ"
    )

    class Meta:
        model = CostParameterSet
        fields = [
            "id",
            "name",
            "year",
            "monthly_income",
            "working_days_per_month",
            "hours_per_day",
            "source",
            "organisation",
            "hourly_rate",
        ]


def _parameter_sets(policy):
    """Shared sets, and those of any unit in the user's scope or above it (a unit uses its province's figures)."""
    scope = policy.organisations(VIEW)
    above = OrganisationLink.objects.filter(descendant__in=scope).values("ancestor_id")
    return CostParameterSet.objects.filter(
        Q(organisation__isnull=True) | Q(organisation__in=scope) | Q(organisation__in=above)
    )


@extend_schema(parameters=[OpenApiParameter("year", int)])
class ReviewCostParameterViewSet(
    PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Cost parameter sets (average income, working time): shared ones and those of the user's units or above."""

    serializer_class = ReviewCostParameterSetSerializer
    queryset = CostParameterSet.objects.none()

    def get_queryset(self):
        sets = _parameter_sets(self.policy).select_related("organisation")
        year = self.request.query_params.get("year", "")
        if self.action == "list" and year.isdigit():
            sets = sets.filter(year=int(year))
        return sets.order_by("-year", "name", "id")

    def perform_create(self, serializer):
        self.require("reviews.parameters", serializer.validated_data.get("organisation"))
        serializer.save()


class ReviewCostRowSerializer(serializers.Serializer):
    activity = serializers.CharField(max_length=300)
    hours = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0, default=0)
    outsourced_cost = serializers.IntegerField(min_value=0, default=0, help_text="Chi phí thuê dịch vụ (đồng)")
    fees = serializers.IntegerField(min_value=0, default=0, help_text="Phí, lệ phí (đồng)")
    other_costs = serializers.IntegerField(min_value=0, default=0, help_text="In ấn, sao chụp, đi lại, bưu chính")
    cost = serializers.SerializerMethodField(help_text="Chi phí của công việc (đồng)")

    def get_cost(self, row) -> int:
        return row.cost() if hasattr(row, "cost") else 0


class ReviewCostSheetSerializer(serializers.ModelSerializer):
    procedure = serializers.PrimaryKeyRelatedField(queryset=Procedure.objects.filter(is_template=False))
    scenario = serializers.ChoiceField(choices=Scenario.choices)
    parameters = serializers.PrimaryKeyRelatedField(
        queryset=CostParameterSet.objects.all(),
        required=False,
        allow_null=True,
        help_text="Bộ tham số (bỏ trống: bộ mới nhất của cơ quan hoặc cấp trên, hoặc bộ dùng chung)",
    )
    executions_per_year = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0, default=1)
    subjects_per_year = serializers.IntegerField(min_value=0, default=1)
    rows = ReviewCostRowSerializer(many=True)
    hourly_rate = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    row_version = serializers.IntegerField(
        required=False, help_text="Gửi kèm khi ghi lại bảng tính của phiếu rà soát (409 nếu đã cũ)."
    )

    class Meta:
        model = CostSheet
        fields = [
            "id",
            "procedure",
            "review",
            "scenario",
            "parameters",
            "parameters_name",
            "parameters_source",
            "monthly_income",
            "working_days_per_month",
            "hours_per_day",
            "hourly_rate",
            "executions_per_year",
            "subjects_per_year",
            "rows",
            "cost_per_execution",
            "annual_cost",
            "row_version",
        ]
        read_only_fields = [
            "review",
            "parameters_name",
            "parameters_source",
            "monthly_income",
            "working_days_per_month",
            "hours_per_day",
            "cost_per_execution",
            "annual_cost",
        ]


@extend_schema(
    parameters=[
        OpenApiParameter("procedure", int),
        OpenApiParameter("review", int),
        OpenApiParameter("round", int),
        OpenApiParameter("scenario", str, enum=Scenario.values),
    ]
)
class ReviewCostSheetViewSet(
    PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """POST writes the procedure's sheet of that scenario on its open review form (replacing the form's sheet of
    that scenario, 200) when the procedure has one, else creates a standalone sheet (201)."""

    serializer_class = ReviewCostSheetSerializer
    queryset = CostSheet.objects.none()

    def get_queryset(self):
        scope = self.policy.organisations(VIEW)
        sheets = CostSheet.objects.filter(Q(procedure__owner__in=scope) | Q(review__responsible__in=scope))
        params = self.request.query_params
        if self.action == "list":
            for name, lookup in (("procedure", "procedure"), ("review", "review"), ("round", "review__round")):
                if params.get(name):
                    sheets = sheets.filter(**{lookup: params[name]}) if params[name].isdigit() else sheets.none()
            if params.get("scenario"):
                sheets = sheets.filter(scenario=params["scenario"])
        return sheets.select_related("procedure").prefetch_related("rows").order_by("-id")

    @extend_schema(responses={200: ReviewCostSheetSerializer, 201: ReviewCostSheetSerializer, 409: CONFLICT_RESPONSE})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        procedure = data["procedure"]
        _visible_procedure(self.policy, procedure)
        parameters = data.get("parameters")
        if parameters is not None and not _parameter_sets(self.policy).filter(pk=parameters.pk).exists():
            raise serializers.ValidationError({"parameters": "Không tìm thấy bộ tham số chi phí."})
        review = _open_review(procedure)
        self.require("reviews.edit", review.responsible if review else procedure.owner)
        existing = review.sheet(data["scenario"]) if review else None
        with transaction.atomic():
            if existing is not None:
                _guard_stale(existing, data.get("row_version"))
            sheet = _service(
                services.sheet_save,
                procedure=procedure,
                scenario=data["scenario"],
                rows=[services.RowData(**{k: v for k, v in row.items() if k != "cost"}) for row in data["rows"]],
                parameters=parameters,
                review=review,
                executions_per_year=data["executions_per_year"],
                subjects_per_year=data["subjects_per_year"],
                started_from=data.get("row_version") if existing is not None else None,
            )
        sheet = self.get_queryset().get(pk=sheet.pk)
        return Response(
            ReviewCostSheetSerializer(sheet).data,
            status=status.HTTP_200_OK if existing is not None else status.HTTP_201_CREATED,
        )


# Proposals --------------------------------------------------------------------------------------------------------


class ReviewChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    target = serializers.CharField(allow_blank=True, required=False, default="")
    before = serializers.CharField(allow_blank=True, required=False, default="")
    after = serializers.CharField(allow_blank=True, required=False, default="")


class ReviewBenefitSerializer(serializers.Serializer):
    before = serializers.IntegerField(help_text="Chi phí tuân thủ một năm trước đơn giản hóa (đồng)")
    after = serializers.IntegerField(help_text="Chi phí tuân thủ một năm sau đơn giản hóa (đồng)")
    saving = serializers.IntegerField()
    saving_pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text="Phần trăm, chuỗi 2 chữ số lẻ")


class ReviewDraftVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.CharField()


class ReviewProposalSerializer(serializers.ModelSerializer):
    procedure = serializers.PrimaryKeyRelatedField(
        queryset=Procedure.objects.filter(is_template=False), source="review.procedure"
    )
    action = serializers.ChoiceField(choices=Action.choices)
    changes = ReviewChangeSerializer(many=True, required=False)
    reason = serializers.CharField(allow_blank=True, required=False, default="")
    benefit = serializers.SerializerMethodField()
    draft_version = ReviewDraftVersionSerializer(read_only=True, allow_null=True)
    row_version = serializers.IntegerField(required=False, help_text="Gửi kèm khi sửa phương án đã có (409 nếu đã cũ).")

    class Meta:
        model = Proposal
        fields = [
            "id",
            "review",
            "procedure",
            "action",
            "changes",
            "reason",
            "legal_acts",
            "implementing_issuer",
            "implementation_deadline",
            "draft_version",
            "implemented_on",
            "benefit",
            "row_version",
        ]
        read_only_fields = ["review", "implemented_on"]

    @extend_schema_field(ReviewBenefitSerializer)
    def get_benefit(self, proposal):
        benefit = proposal.benefit()
        return {
            "before": benefit.before,
            "after": benefit.after,
            "saving": benefit.saving,
            "saving_pct": str(benefit.saving_pct),
        }


@extend_schema(
    parameters=[
        OpenApiParameter("procedure", int),
        OpenApiParameter("round", int),
        OpenApiParameter("action", str, enum=Action.values),
    ]
)
class ReviewProposalViewSet(
    PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """POST writes the proposal of the procedure's open review form: created (201) or updated (200)."""

    serializer_class = ReviewProposalSerializer
    queryset = Proposal.objects.none()

    def get_queryset(self):
        proposals = Proposal.objects.filter(review__in=_visible_reviews(self.policy))
        params = self.request.query_params
        if self.action == "list":
            for name, lookup in (("procedure", "review__procedure"), ("round", "review__round")):
                if params.get(name):
                    proposals = (
                        proposals.filter(**{lookup: params[name]}) if params[name].isdigit() else proposals.none()
                    )
            if params.get("action"):
                proposals = proposals.filter(action=params["action"])
        return (
            proposals.select_related("review__procedure", "draft_version")
            .prefetch_related("review__cost_sheets")
            .order_by("-id")
        )

    @extend_schema(responses={200: ReviewProposalSerializer, 201: ReviewProposalSerializer, 409: CONFLICT_RESPONSE})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        procedure = data.pop("review")["procedure"]
        _visible_procedure(self.policy, procedure)
        review = _open_review(procedure)
        if review is None:
            raise serializers.ValidationError(
                {"procedure": [f"Thủ tục {procedure.code} không có phiếu rà soát đang mở để lập phương án."]}
            )
        self.require("reviews.edit", review.responsible)
        existing = getattr(review, "proposal", None)
        started_from = data.pop("row_version", None)
        with transaction.atomic():
            if existing is not None:
                _guard_stale(existing, started_from)
            proposal = _service(
                services.proposal_save,
                review=review,
                action=data.pop("action"),
                changes=data.pop("changes", []),
                reason=data.pop("reason", ""),
                started_from=started_from if existing is not None else None,
                by=request.user,
                **data,
            )
        proposal = self.get_queryset().get(pk=proposal.pk)
        return Response(
            ReviewProposalSerializer(proposal).data,
            status=status.HTTP_200_OK if existing is not None else status.HTTP_201_CREATED,
        )


# Ledger -----------------------------------------------------------------------------------------------------------


class ReviewMilestoneSerializer(serializers.Serializer):
    metric = serializers.CharField(help_text="reviewed_pct, simplified_pct, cost_saving_pct, implemented_pct")
    target = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="Phần trăm, chuỗi 2 chữ số lẻ")
    due_on = serializers.DateField()
    value = serializers.DecimalField(max_digits=7, decimal_places=2, help_text="Phần trăm, chuỗi 2 chữ số lẻ")
    status = serializers.CharField(help_text="met, on_track, at_risk, missed")
    source = serializers.CharField()


PCT = 'Phần trăm, chuỗi có 2 chữ số lẻ (ví dụ "12.50")'


class ReviewLedgerSerializer(serializers.Serializer):
    org = serializers.CharField()
    as_of = serializers.DateField()
    published = serializers.IntegerField(help_text="Số thủ tục đã công bố trong phạm vi")
    reviewed = serializers.IntegerField(help_text="Số thủ tục đã rà soát (phiếu đã kiểm soát)")
    reviewed_pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text=PCT)
    simplified = serializers.IntegerField(help_text="Số thủ tục có phương án bãi bỏ, thay thế, sửa đổi đã phê duyệt")
    simplified_pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text=PCT)
    cost_before = serializers.IntegerField(help_text="Chi phí tuân thủ một năm trước đơn giản hóa (đồng)")
    cost_after = serializers.IntegerField(help_text="Chi phí tuân thủ một năm sau đơn giản hóa (đồng)")
    cost_saving = serializers.IntegerField()
    cost_saving_pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text=PCT)
    implemented_pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text=PCT)
    by_action = serializers.DictField(
        child=serializers.IntegerField(), help_text="Số thủ tục đã rà soát theo phương án (trống: chưa có phương án)"
    )
    milestones = ReviewMilestoneSerializer(many=True)


@extend_schema(
    parameters=[
        OpenApiParameter("org", str, description="Mã đơn vị (mặc định: đơn vị đang thay mặt)"),
        OpenApiParameter("group", str, description="Nhóm thủ tục: A, B"),
        OpenApiParameter("field", str, description="Mã lĩnh vực"),
        OpenApiParameter("level", str, description="Cấp thực hiện"),
        OpenApiParameter("as_of", OpenApiTypes.DATE, description="Tính đến ngày (mặc định: hôm nay)"),
    ],
    responses=ReviewLedgerSerializer,
)
class ReviewLedgerView(PolicyMixin, APIView):
    """Sổ theo dõi chỉ tiêu 20%/20% of an organisation and the units under it (tinhgon/reviews/ledger.py).
    Percentages are strings with two decimals ("12.50")."""

    def get(self, request):
        from tinhgon.reviews.ledger import ledger_for

        params = request.query_params
        code = params.get("org", "").strip()
        if code:
            org = Organisation.objects.filter(code=code).first()
        else:
            acting = getattr(request._request, "acting_membership", None)
            org = acting.organisation if acting else None
        if org is None or not self.policy.allows(VIEW, org):
            raise NotFound("Không tìm thấy đơn vị.")
        as_of = today()
        if params.get("as_of"):
            try:
                as_of = serializers.DateField().to_internal_value(params["as_of"])
            except serializers.ValidationError as error:
                raise serializers.ValidationError({"as_of": error.detail}) from error
        filters = {name: params.get(name, "").strip() for name in ("group", "field", "level")}
        result = ledger_for(org, as_of=as_of, **filters)
        data = {
            "org": org.code,
            "as_of": as_of,
            "published": result.published,
            "reviewed": result.reviewed,
            "reviewed_pct": result.reviewed_pct,
            "simplified": result.simplified,
            "simplified_pct": result.simplified_pct,
            "cost_before": result.cost_before,
            "cost_after": result.cost_after,
            "cost_saving": result.cost_saving,
            "cost_saving_pct": result.cost_saving_pct,
            "implemented_pct": result.implemented_pct,
            "by_action": result.by_action,
            "milestones": [
                {
                    "metric": check.milestone.metric,
                    "target": check.milestone.target,
                    "due_on": check.milestone.due_on,
                    "value": check.value,
                    "status": check.status,
                    "source": check.milestone.source,
                }
                for check in result.milestones
            ],
        }
        return Response(ReviewLedgerSerializer(data).data)
