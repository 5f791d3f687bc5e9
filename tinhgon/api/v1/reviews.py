"""Review and simplification API (domain.md §3.3-§3.8, §6, §7): review plans, review forms and their workflow,
cost parameters and cost sheets, proposals, approval of one form, and the 20%/20% target ledger.

Every list and lookup goes through the models' visibility rules (`visible_to`, get_visible: 404 outside them) and
`permits` (403), the same as the pages under /ra-soat/ (tinhgon/reviews/models.py):
- a review form is seen over its procedure's owner, its responsible unit or its plan's organisation, and filled,
  submitted, checked by the roles of `reviews.edit` / `reviews.submit` / `reviews.check` over the responsible unit
  or the procedure's owner;
- a plan is seen over its organisation or through a form it holds, and made by `reviews.plan` over it;
- approving one form takes `reviews.approve` over the issuer of the approval decision given in the body.
Workflow steps are the models' transitions: a step from a state it does not start from (a double submit) is 409.
Rewriting an existing sheet or proposal needs the version it was based on (`row_version` or If-Match): 428
without, 409 when stale. Model refusals are 400 with their Vietnamese messages (tinhgon/api/errors.py).
"""

from decimal import Decimal

from django.db.models import Count, Prefetch, Q

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhgon.api.base import CONFLICT, ETAG, PRECONDITION_REQUIRED, PolicyMixin
from tinhgon.api.pagination import OnePassPagination
from tinhgon.core.visibility import get_visible
from tinhgon.organisations.models import Organisation
from tinhgon.procedures.constants import STANDARD_LEGAL_BASES
from tinhgon.procedures.models import Procedure
from tinhgon.reviews import costs, services
from tinhgon.reviews.constants import Action, ChangeKind, Metric, MilestoneStatus, Scenario
from tinhgon.reviews.filters import (
    CostSheetFilter,
    MilestoneFilter,
    ParameterFilter,
    ProposalFilter,
    ReviewFilter,
    RoundFilter,
)
from tinhgon.reviews.forms import LedgerFilterForm
from tinhgon.reviews.ledger import COUNTS, METRIC_DEFINITIONS, applicable_milestones, filters_for, shared_ledger
from tinhgon.reviews.models import (
    VIEW,
    ApprovalDecision,
    CostParameterSet,
    CostSheet,
    Milestone,
    Proposal,
    Review,
    ReviewRound,
)

SET_MILESTONES = "reviews.parameters"


def _procedure(policy, procedure: Procedure) -> Procedure:
    """The procedure named in a body, if the user may see it (404 otherwise)."""
    return get_visible(policy, Procedure.objects.select_related("owner"), pk=procedure.pk)


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
    assignee = serializers.CharField(
        source="assignee.username",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="Cán bộ được giao phiếu (tên đăng nhập); giao phiếu trên trang kế hoạch",
    )
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
            "assignee",
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
        return review.missing()


ROW_VERSION_HELP = "Phiên bản đã đọc (hoặc tiêu đề If-Match): bắt buộc khi sửa (428 nếu thiếu, 409 nếu đã cũ)."


class ReviewPatchSerializer(serializers.Serializer):
    answers = ReviewAnswerSerializer(many=True)
    row_version = serializers.IntegerField(required=False, min_value=0, help_text=ROW_VERSION_HELP)


class ReviewCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, max_length=5000, help_text="Lý do trả lại (bắt buộc)")


class ReviewAssessmentSerializer(serializers.Serializer):
    assessment = serializers.CharField(allow_blank=True, max_length=5000, help_text="Ý kiến đánh giá độc lập")


class LegalDateSerializer(serializers.Serializer):
    """The body of a workflow step: the day it happened in law or in fact, today when left out."""

    on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Ngày thực hiện (YYYY-MM-DD), bỏ trống là hôm nay; không sau hôm nay, không trước bước trước đó",
    )


class ReviewApprovalSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    signed_on = serializers.DateField()
    signer = serializers.CharField(max_length=200)
    signer_title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    issuer = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    legal_bases = serializers.CharField(
        required=False,
        default="\n".join(STANDARD_LEGAL_BASES),
        help_text="Căn cứ ban hành, mỗi căn cứ một dòng (mặc định: Luật Tổ chức chính quyền địa phương, QĐ 1085)",
    )
    proposal = serializers.CharField(
        max_length=300, help_text="Tờ trình đề nghị, ví dụ “Tờ trình số 6692/TTr-SGTVT ngày 25/10/2024”"
    )
    proposer = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Mã cơ quan trình; mặc định: cơ quan quản lý thủ tục",
    )

    def validate(self, data):
        issuer, title = data.get("issuer"), data.get("signer_title") or ""
        if issuer and issuer.signer_title_problem(title):  # never another kind's title (issue 12)
            raise serializers.ValidationError({"signer_title": [issuer.signer_title_problem(title)]})
        return data


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
        .select_related("procedure", "version", "responsible", "reviewer", "assignee", "round")
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


class ReviewRoundViewSet(
    PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Review plans (kế hoạch rà soát) visible to the user: of their organisations, or listing their forms."""

    serializer_class = ReviewRoundSerializer
    queryset = ReviewRound.objects.none()
    filterset_class = RoundFilter
    action_rules = {"list": VIEW, "create": "reviews.plan"}

    def get_queryset(self):
        shown = Q(reviews__in=Review.objects.visible_to(self.policy))  # count the forms the user may see only
        return (
            ReviewRound.objects.visible_to(self.policy)
            .select_related("organisation")
            .annotate(review_total=Count("reviews", filter=shown, distinct=True))
            .order_by("-year", "-id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation")
        self.require("reviews.plan", organisation)
        serializer.instance = services.round_create(
            organisation=organisation, title=data.pop("title"), year=data.pop("year"), by=self.request.user, **data
        )

    @extend_schema(request=None, responses={200: ReviewSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="add-all-published", filter_backends=[], pagination_class=None)
    def add_all_published(self, request, pk=None):
        """Open a review form for every published procedure of the plan's organisation and the units under it that
        the plan does not list yet. Answers the forms created."""
        round = self.get_object("reviews.plan")
        created = services.round_add_all_published(round=round)
        return Response(ReviewSerializer(_with_parts(created), many=True).data)


class ReviewViewSet(
    PolicyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Review forms (phiếu rà soát) the user may see, with their answers and workflow."""

    serializer_class = ReviewSerializer
    queryset = Review.objects.none()
    filterset_class = ReviewFilter
    # The page's forms found narrow, then read whole by id: with the joins of the page ahead of the visibility
    # rule, PostgreSQL joined all 46,000 forms of the country to their versions and units first (230 ms).
    pagination_class = OnePassPagination
    action_rules = {"list": VIEW, "create": "reviews.plan", "approve": "reviews.approve"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Review.objects.visible_to(self.policy)
            .select_related(
                "procedure__owner", "version", "responsible", "reviewer", "assignee", "round__organisation", "approval"
            )
            .prefetch_related("answers__question", "cost_sheets", "proposal")
            .order_by("-round__year", "-round_id", "procedure__code", "pk")  # the plans' own order, newest first
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rounds = ReviewRound.objects.select_related("organisation")
        round = get_visible(self.policy, rounds, action="reviews.plan", pk=data["round"].pk)
        review = services.round_add_procedure(
            round=round,
            procedure=_procedure(self.policy, data["procedure"]),
            responsible=data.get("responsible"),
            deadline=data.get("deadline"),
            rationale=data.get("rationale", ""),
            expected_output=data.get("expected_output", ""),
        )
        return Response(ReviewSerializer(_with_parts([review])[0]).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReviewPatchSerializer, responses={200: ReviewSerializer, 409: CONFLICT, 428: PRECONDITION_REQUIRED}
    )
    def partial_update(self, request, *args, **kwargs):
        """Save answers of the form; the body says which version of the form it was based on."""
        review = self.get_object("reviews.edit")
        started_from = self.started_from()
        body = ReviewPatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answers = {}
        for item in body.validated_data["answers"]:
            values = dict(item)
            answers[values.pop("question")] = values
        services.review_answer(review=review, answers=answers, started_from=started_from, by=request.user)
        return Response(ReviewSerializer(self.get_object()).data)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def _move(self, name: str, body: serializers.Serializer | None = None):
        """Run the form's transition `name`. The permission is checked before the body is read: who may not act
        learns nothing from a validation error."""
        review = self.get_object(Review.transitions()[name].permission)
        arguments = []
        if body is not None:
            body.is_valid(raise_exception=True)
            arguments = list(body.validated_data.values())
        review.perform(name, self.policy, *arguments)
        return Response(ReviewSerializer(self.get_object()).data)

    @extend_schema(request=LegalDateSerializer, responses={200: ReviewSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the form, on the day given as `on` (default today)."""
        return self._move("submit", LegalDateSerializer(data=request.data))

    @extend_schema(request=LegalDateSerializer, responses={200: ReviewSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        """Check the form, on the day given as `on` (default today, never before it was submitted)."""
        return self._move("control", LegalDateSerializer(data=request.data))

    @extend_schema(request=ReviewCommentSerializer, responses={200: ReviewSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._move("send_back", ReviewCommentSerializer(data=request.data))

    @extend_schema(request=ReviewAssessmentSerializer, responses={200: ReviewSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        return self._move("assess", ReviewAssessmentSerializer(data=request.data))

    @extend_schema(request=ReviewApprovalSerializer, responses={200: ReviewSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve this form's proposal by the approval decision given in the body (created and issued at once;
        nothing is kept when it is refused)."""
        review = self.get_object("reviews.approve")  # before the body: who may not act learns nothing from it
        body = ReviewApprovalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        self.require("reviews.approve", body.validated_data["issuer"])
        services.approval_issue_one(review=review, policy=self.policy, **body.validated_data)
        return Response(ReviewSerializer(self.get_object()).data)

    @extend_schema(responses=ReviewHintSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
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


class ReviewCostParameterViewSet(
    PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Cost parameter sets (average income, working time): shared ones and those of the user's units or above."""

    serializer_class = ReviewCostParameterSetSerializer
    queryset = CostParameterSet.objects.none()
    filterset_class = ParameterFilter
    action_rules = {"list": VIEW, "create": "reviews.parameters"}

    def get_queryset(self):
        sets = CostParameterSet.objects.visible_to(self.policy).select_related("organisation")
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
        required=False, min_value=0, help_text=f"Khi ghi lại bảng tính đã có của phiếu rà soát. {ROW_VERSION_HELP}"
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


class ReviewCostSheetViewSet(
    PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """POST writes the procedure's sheet of that scenario on its open review form (replacing the form's sheet of
    that scenario, 200, from the version it was based on) when the procedure has one, else creates a standalone
    sheet (201)."""

    serializer_class = ReviewCostSheetSerializer
    queryset = CostSheet.objects.none()
    filterset_class = CostSheetFilter
    action_rules = {"list": VIEW, "create": "reviews.edit"}

    def get_queryset(self):
        sheets = CostSheet.objects.visible_to(self.policy)
        return sheets.select_related("procedure").prefetch_related("rows").order_by("-id")

    @extend_schema(
        responses={
            200: ReviewCostSheetSerializer,
            201: ReviewCostSheetSerializer,
            409: CONFLICT,
            428: PRECONDITION_REQUIRED,
        }
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        procedure = _procedure(self.policy, data["procedure"])
        parameters = data.get("parameters")
        visible = CostParameterSet.objects.visible_to(self.policy)
        if parameters is not None and not visible.filter(pk=parameters.pk).exists():
            raise serializers.ValidationError({"parameters": "Không tìm thấy bộ tham số chi phí."})
        review = Review.objects.open_for(procedure)
        if not (review or procedure).permits(self.policy, "reviews.edit"):
            raise PermissionDenied()
        existing = review.cost_sheets.filter(scenario=data["scenario"]).first() if review else None
        sheet = services.sheet_save(
            procedure=procedure,
            scenario=data["scenario"],
            rows=[services.RowData(**{k: v for k, v in row.items() if k != "cost"}) for row in data["rows"]],
            parameters=parameters,
            review=review,
            executions_per_year=data["executions_per_year"],
            subjects_per_year=data["subjects_per_year"],
            sheet=existing,
            started_from=self.started_from() if existing else None,
        )
        return Response(
            ReviewCostSheetSerializer(self.get_queryset().get(pk=sheet.pk)).data,
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


class ReviewTimeCutSerializer(serializers.Serializer):
    days = serializers.DecimalField(max_digits=8, decimal_places=2, help_text="Số ngày làm việc cắt giảm")
    pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text="Phần trăm, chuỗi 2 chữ số lẻ")


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
    time_before = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Thời hạn giải quyết trước (ngày làm việc); bỏ trống: đọc từ phiên bản đang rà soát",
    )
    time_after = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Thời hạn giải quyết sau đơn giản hóa (ngày làm việc)",
    )
    time_cut = serializers.SerializerMethodField()
    draft_version = ReviewDraftVersionSerializer(read_only=True, allow_null=True)
    row_version = serializers.IntegerField(
        required=False, min_value=0, help_text=f"Khi sửa phương án đã có. {ROW_VERSION_HELP}"
    )

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
            "time_before",
            "time_after",
            "time_cut",
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

    @extend_schema_field(ReviewTimeCutSerializer(allow_null=True))
    def get_time_cut(self, proposal):
        """Null unless the option amends, replaces or re-engineers the procedure and both times are recorded."""
        cut = proposal.time_cut()
        return None if cut is None else {"days": str(cut.days), "pct": str(cut.pct)}


class ReviewProposalViewSet(
    PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """POST writes the proposal of the procedure's open review form: created (201), or updated (200) from the
    version it was based on."""

    serializer_class = ReviewProposalSerializer
    queryset = Proposal.objects.none()
    filterset_class = ProposalFilter
    action_rules = {"list": VIEW, "create": "reviews.edit"}

    def get_queryset(self):
        return (
            Proposal.objects.visible_to(self.policy)
            .select_related("review__procedure", "draft_version")
            .prefetch_related("review__cost_sheets")
            .order_by("-id")
        )

    @extend_schema(
        responses={
            200: ReviewProposalSerializer,
            201: ReviewProposalSerializer,
            409: CONFLICT,
            428: PRECONDITION_REQUIRED,
        }
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        procedure = _procedure(self.policy, data.pop("review")["procedure"])
        review = Review.objects.open_for(procedure)
        if review is None:
            raise serializers.ValidationError(
                {"procedure": [f"Thủ tục {procedure.code} không có phiếu rà soát đang mở để lập phương án."]}
            )
        if not review.permits(self.policy, "reviews.edit"):
            raise PermissionDenied()
        existing = Proposal.objects.filter(review=review).exists()
        data.pop("row_version", None)
        proposal = services.proposal_save(
            review=review,
            action=data.pop("action"),
            changes=data.pop("changes", []),
            reason=data.pop("reason", ""),
            started_from=self.started_from() if existing else None,
            by=request.user,
            **data,
        )
        return Response(
            ReviewProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data,
            status=status.HTTP_200_OK if existing else status.HTTP_201_CREATED,
        )


# Approval decisions -----------------------------------------------------------------------------------------------


class ApprovalOptionSerializer(serializers.Serializer):
    review = serializers.IntegerField(help_text="Mã phiếu rà soát")
    procedure = serializers.CharField(help_text="Mã thủ tục")
    name = serializers.CharField(help_text="Tên thủ tục")
    action = serializers.ChoiceField(choices=Action.choices)
    benefit = ReviewBenefitSerializer()
    time_before = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    time_after = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    time_cut = ReviewTimeCutSerializer(allow_null=True)


class ApprovalTotalSerializer(ReviewBenefitSerializer):
    time_cut = serializers.IntegerField(help_text=COUNTS["time_cut"].definition)
    time_cut_days = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Số ngày làm việc cắt giảm")
    time_cut_pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text=COUNTS["time_cut_pct"].definition)


def _option(review) -> dict:
    proposal = review.proposal
    benefit = proposal.benefit()
    cut = proposal.time_cut()
    return {
        "review": review.pk,
        "procedure": review.procedure.code,
        "name": review.version.name,
        "action": proposal.action,
        "benefit": {**vars(benefit), "saving": benefit.saving, "saving_pct": benefit.saving_pct},
        "time_before": proposal.time_before,
        "time_after": proposal.time_after,
        "time_cut": None if cut is None else {"days": cut.days, "pct": cut.pct},
    }


def _total(options: list[dict]) -> dict:
    """The annex's total line: the sums of the options listed, by the ledger's rules (COUNTS)."""
    cost = costs.Benefit(sum(o["benefit"]["before"] for o in options), sum(o["benefit"]["after"] for o in options))
    timed = [o for o in options if o["time_cut"] and o["time_cut"]["days"] > 0]
    time = costs.TimeCut(sum(o["time_before"] for o in timed), sum(o["time_after"] for o in timed))
    return {
        "before": cost.before,
        "after": cost.after,
        "saving": cost.saving,
        "saving_pct": cost.saving_pct,
        "time_cut": len(timed),
        "time_cut_days": time.days,
        "time_cut_pct": time.pct,
    }


class ApprovalSerializer(serializers.ModelSerializer):
    """A decision in the list: its annex is counted, and given whole with its total by the decision itself."""

    issuer = serializers.SlugRelatedField(slug_field="code", read_only=True)
    proposer = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    lead_unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    options_count = serializers.IntegerField(
        source="n_reviews", read_only=True, help_text="Số phương án trong phụ lục mà bạn được xem"
    )

    class Meta:
        model = ApprovalDecision
        fields = [
            "id",
            "number",
            "title",
            "issuer",
            "signed_on",
            "signer",
            "signer_title",
            "legal_bases",
            "proposal",
            "proposer",
            "lead_unit",
            "status",
            "options_count",
            "row_version",
        ]


class ApprovalDetailSerializer(ApprovalSerializer):
    options_count = serializers.SerializerMethodField(help_text="Số phương án trong phụ lục mà bạn được xem")
    options = serializers.SerializerMethodField(help_text="Phụ lục: các phương án được phê duyệt tại quyết định")
    total = serializers.SerializerMethodField()

    class Meta(ApprovalSerializer.Meta):
        fields = [*ApprovalSerializer.Meta.fields, "options", "total"]

    @staticmethod
    def _options(decision) -> list[dict]:
        """The options the user may see (a draft shows who sees it through one of their forms that form only),
        worked out once for both fields."""
        if not hasattr(decision, "_options"):
            shown = [r for r in decision.shown_reviews if getattr(r, "proposal", None) is not None]
            decision._options = [_option(r) for r in shown]
        return decision._options

    def get_options_count(self, decision) -> int:
        return len(self._options(decision))

    @extend_schema_field(ApprovalOptionSerializer(many=True))
    def get_options(self, decision):
        return ApprovalOptionSerializer(self._options(decision), many=True).data

    @extend_schema_field(ApprovalTotalSerializer)
    def get_total(self, decision):
        return ApprovalTotalSerializer(_total(self._options(decision))).data


class ApprovalCreateSerializer(ReviewApprovalSerializer):
    number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)
    signer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    proposal = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    lead_unit = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )
    reviews = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=10**18),
        max_length=2000,
        help_text="Mã các phiếu rà soát có phương án đã kiểm soát, đưa vào dự thảo quyết định",
    )


class ApprovalOptionsSerializer(serializers.Serializer):
    add = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=10**18), max_length=2000, required=False, default=list
    )
    remove = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=10**18), max_length=2000, required=False, default=list
    )
    row_version = serializers.IntegerField(required=False, min_value=0, help_text=ROW_VERSION_HELP)


class ApprovalIssueSerializer(serializers.Serializer):
    row_version = serializers.IntegerField(
        required=False, min_value=0, help_text=f"Không bắt buộc: ban hành đúng bản đã đọc. {ROW_VERSION_HELP}"
    )


class ApprovalViewSet(
    PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Quyết định phê duyệt phương án (tinhgon/reviews/models.py ApprovalDecision): one decision approves many
    options, listed in its annex (`options`, `total`). POST creates a draft with the forms given; `options` adds and
    removes forms on a draft from the version read (428 without it, 409 when stale); `issue` issues it through the
    decision's transition (a second issue is 409, nothing changes twice)."""

    serializer_class = ApprovalSerializer
    queryset = ApprovalDecision.objects.none()
    action_rules = {"list": VIEW, "create": "reviews.approve"}

    def get_queryset(self):
        decisions = (
            ApprovalDecision.objects.visible_to(self.policy)
            .select_related("issuer", "proposer", "lead_unit")
            .order_by("-signed_on", "-id")
        )
        if self.action == "list":  # the annexes counted (list): given whole, a page of the nation's had 20,000 options
            return decisions
        shown = (
            Review.objects.visible_to(self.policy)
            .filter(proposal__isnull=False)
            .select_related("procedure", "version", "proposal")
            .prefetch_related("cost_sheets")
            .order_by("procedure__code", "pk")
        )
        return decisions.prefetch_related(Prefetch("reviews", queryset=shown, to_attr="shown_reviews"))

    def get_serializer_class(self):
        return ApprovalSerializer if self.action == "list" else ApprovalDetailSerializer

    def _reviews(self, ids: list[int], field: str) -> list[Review]:
        """The forms named, among those the user may see: 400 naming the others (the same words whether a form
        does not exist or is not theirs to see)."""
        found = {r.pk: r for r in Review.objects.visible_to(self.policy).filter(pk__in=ids)}
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError({field: [f"Không tìm thấy phiếu rà soát {', '.join(missing)}."]})
        return [found[pk] for pk in dict.fromkeys(ids)]

    def _answer(self, pk: int, code=status.HTTP_200_OK) -> Response:
        return Response(ApprovalDetailSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(request=ApprovalCreateSerializer, responses={201: ApprovalDetailSerializer})
    def create(self, request, *args, **kwargs):
        body = ApprovalCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        self.require("reviews.approve", data["issuer"])
        if data["lead_unit"] is not None:  # as on the page: a unit the user approves for
            self.require("reviews.approve", data["lead_unit"])
        if data["proposer"] is not None and not self.policy.allows(VIEW, data["proposer"]):
            raise serializers.ValidationError({"proposer": ["Không tìm thấy cơ quan trình."]})
        reviews = self._reviews(data.pop("reviews"), "reviews")
        decision = services.approval_create(fields=data, reviews=reviews)
        return self._answer(decision.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=ApprovalOptionsSerializer,
        responses={200: ApprovalDetailSerializer, 409: CONFLICT, 428: PRECONDITION_REQUIRED},
    )
    @action(detail=True, methods=["post"], url_path="options", url_name="options")
    def change_options(self, request, pk=None):  # not `options`: that name answers HTTP OPTIONS
        decision = self.get_object("reviews.approve")  # before the body: who may not act learns nothing from it
        body = ApprovalOptionsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        started_from = self.started_from()
        add = self._reviews(body.validated_data["add"], "add")
        remove = self._reviews(body.validated_data["remove"], "remove")
        services.approval_set_options(decision=decision, add=add, remove=remove, started_from=started_from)
        return self._answer(decision.pk)

    @extend_schema(request=ApprovalIssueSerializer, responses={200: ApprovalDetailSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issue the draft: every option in it is approved and gets its implementation items."""
        decision = self.get_object("reviews.approve")
        body = ApprovalIssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        match = ETAG.match(request.headers.get("If-Match", ""))
        started_from = body.validated_data.get("row_version", match and int(match.group(1)))
        decision.perform("issue", self.policy, started_from=started_from)
        return self._answer(decision.pk)

    # Last in the class: defined earlier, `list` would be this method in the annotations below it.
    def list(self, request, *args, **kwargs):
        page = ApprovalDecision.with_review_counts(self.paginate_queryset(self.get_queryset()), self.policy)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# Ledger -----------------------------------------------------------------------------------------------------------


MILESTONE_STATUS_HELP = "; ".join(f"{value}: {label}" for value, label in MilestoneStatus.choices)


class ReviewMilestoneSerializer(serializers.Serializer):
    metric = serializers.ChoiceField(choices=Metric.choices)
    definition = serializers.CharField(help_text="Cách tính của chỉ tiêu")
    target = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="Phần trăm, chuỗi 2 chữ số lẻ")
    due_on = serializers.DateField()
    value = serializers.DecimalField(max_digits=7, decimal_places=2, help_text="Phần trăm, chuỗi 2 chữ số lẻ")
    reached_on = serializers.DateField(
        allow_null=True, help_text="Ngày đầu tiên chỉ tiêu đạt mức (tính đến ngày xem); null: chưa đạt"
    )
    status = serializers.ChoiceField(choices=MilestoneStatus.choices, help_text=MILESTONE_STATUS_HELP)
    source = serializers.CharField()
    organisation = serializers.CharField(allow_null=True, help_text="Mã đơn vị đặt mốc; null: mốc toàn quốc")
    inherited = serializers.BooleanField(help_text="Mốc kế thừa từ cấp trên hoặc toàn quốc")


PCT = 'Phần trăm, chuỗi có 2 chữ số lẻ (ví dụ "12.50")'


def _counts(key: str) -> str:
    return COUNTS[key].definition


class ReviewLedgerSerializer(serializers.Serializer):
    """Each count is described by its definition on the ledger page (reviews.ledger.COUNTS)."""

    org = serializers.CharField()
    as_of = serializers.DateField()
    computed_at = serializers.DateTimeField(
        allow_null=True,
        help_text="Thời điểm tính số liệu khi lấy từ số liệu tính sẵn (đơn vị rất lớn, như toàn quốc); null: tính ngay",
    )
    published = serializers.IntegerField(help_text=_counts("published"))
    inventoried = serializers.IntegerField(help_text=_counts("inventoried"))
    published_pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text=PCT)
    submitted = serializers.IntegerField(help_text=_counts("submitted"))
    submitted_pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text=PCT)
    approved = serializers.IntegerField(help_text=_counts("approved"))
    approved_pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text=PCT)
    reviewed = serializers.IntegerField(help_text=_counts("reviewed"))
    reviewed_pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text=PCT)
    simplified = serializers.IntegerField(help_text=_counts("simplified"))
    simplified_pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text=PCT)
    cost_before = serializers.IntegerField(help_text=_counts("cost"))
    cost_after = serializers.IntegerField(help_text=_counts("cost"))
    cost_saving = serializers.IntegerField(help_text=_counts("cost"))
    cost_saving_pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text=PCT)
    implemented = serializers.IntegerField(help_text=_counts("implemented"))
    implemented_pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text=PCT)
    time_cut = serializers.IntegerField(help_text=_counts("time_cut"))
    time_before = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="Tổng thời hạn trước (ngày làm việc) của các thủ tục có cắt giảm"
    )
    time_after = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="Tổng thời hạn sau (ngày làm việc) của các thủ tục có cắt giảm"
    )
    time_cut_days = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Số ngày làm việc cắt giảm")
    time_cut_pct = serializers.DecimalField(max_digits=7, decimal_places=2, help_text=_counts("time_cut_pct"))
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
        OpenApiParameter("as_of", OpenApiTypes.DATE, description="Tính đến ngày (mặc định: hôm nay; dd/mm/yyyy)"),
    ],
    responses=ReviewLedgerSerializer,
)
class ReviewLedgerView(PolicyMixin, APIView):
    """Sổ theo dõi chỉ tiêu 20%/20% of an organisation and the units under it (tinhgon/reviews/ledger.py), counting
    what the user may see only; the parameters of the ledger page (LedgerFilterForm). Percentages are strings with
    two decimals ("12.50")."""

    action_rules = {"GET": VIEW}

    def get(self, request):
        form = LedgerFilterForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        acting = getattr(request._request, "acting_membership", None)
        filters = filters_for(self.policy, acting, **form.cleaned_data)
        result = shared_ledger(filters)
        data = {
            "org": filters.roots[0].code,
            "as_of": filters.as_of,
            "computed_at": result.computed_at,
            "published": result.published,
            "inventoried": result.inventoried,
            "published_pct": result.published_pct,
            "submitted": result.submitted,
            "submitted_pct": result.submitted_pct,
            "approved": result.approved,
            "approved_pct": result.approved_pct,
            "reviewed": result.reviewed,
            "reviewed_pct": result.reviewed_pct,
            "simplified": result.simplified,
            "simplified_pct": result.simplified_pct,
            "cost_before": result.cost_before,
            "cost_after": result.cost_after,
            "cost_saving": result.cost_saving,
            "cost_saving_pct": result.cost_saving_pct,
            "implemented": result.implemented,
            "implemented_pct": result.implemented_pct,
            "time_cut": result.time_cut,
            "time_before": result.time_before,
            "time_after": result.time_after,
            "time_cut_days": result.time_cut_days,
            "time_cut_pct": result.time_cut_pct,
            "by_action": result.by_action,
            "milestones": [
                {
                    "metric": check.milestone.metric,
                    "definition": check.definition,
                    "target": check.milestone.target,
                    "due_on": check.milestone.due_on,
                    "value": check.value,
                    "reached_on": check.reached_on,
                    "status": check.status,
                    "source": check.milestone.source,
                    "organisation": check.milestone.organisation.code if check.milestone.organisation else None,
                    "inherited": check.inherited,
                }
                for check in result.milestones
            ],
        }
        return Response(ReviewLedgerSerializer(data).data)


# Milestones -------------------------------------------------------------------------------------------------------


METRIC_HELP = "; ".join(f"{value}: {label}" for value, label in Metric.choices)


class MilestoneSerializer(serializers.ModelSerializer):
    metric = serializers.ChoiceField(choices=Metric.choices, help_text=METRIC_HELP)
    organisation = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        allow_null=True,
        help_text="Mã đơn vị đặt mốc theo kế hoạch của mình (null: mốc toàn quốc, chỉ quản trị hệ thống đặt, sửa)",
    )
    target = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=100, help_text="Phần trăm phải đạt"
    )
    definition = serializers.SerializerMethodField(help_text="Cách tính của chỉ tiêu")
    row_version = serializers.IntegerField(
        required=False, min_value=0, help_text="Phiên bản đã đọc (bắt buộc khi sửa: hoặc tiêu đề If-Match)"
    )

    class Meta:
        model = Milestone
        fields = ["id", "organisation", "metric", "definition", "target", "due_on", "source", "row_version"]
        validators = []  # the model's clean refuses a second milestone of a metric and date, in Vietnamese

    def get_definition(self, milestone) -> str:
        return METRIC_DEFINITIONS[milestone.metric]


class ApplicableMilestoneSerializer(MilestoneSerializer):
    organisation = serializers.CharField(source="organisation.code", allow_null=True, default=None)
    inherited = serializers.BooleanField(help_text="Kế thừa từ cấp trên hoặc mốc toàn quốc")

    class Meta(MilestoneSerializer.Meta):
        fields = [*MilestoneSerializer.Meta.fields, "inherited"]


class MilestoneViewSet(PolicyMixin, viewsets.ModelViewSet):
    """Mốc chỉ tiêu: the national ones (QĐ 1085/QĐ-TTg) and each unit's own, set from its plan; a unit inherits, metric
    by metric, those of its nearest unit above until it sets its own (tinhgon/reviews/ledger.py
    applicable_milestones). Seen: the national ones, those of the user's units and of the units above them. Set,
    changed and removed by `reviews.parameters` over the unit; a change or removal carries the version it was read at
    (`row_version` or If-Match): 428 without, 409 when stale."""

    serializer_class = MilestoneSerializer
    queryset = Milestone.objects.none()
    filterset_class = MilestoneFilter
    action_rules = {"list": VIEW, "applicable": VIEW, "create": SET_MILESTONES}
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        milestones = Milestone.objects.visible_to(self.policy).select_related("organisation")
        return milestones.order_by("organisation__code", "metric", "due_on", "id")

    def _save(self, milestone: Milestone, data: dict, started_from: int | None) -> Milestone:
        for name, value in data.items():
            setattr(milestone, name, value)
        self.require(SET_MILESTONES, milestone.organisation)
        services.milestone_save(milestone=milestone, started_from=started_from)
        return milestone

    @extend_schema(responses={201: MilestoneSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("row_version", None)
        milestone = self._save(Milestone(), data, None)
        return Response(self.get_serializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: MilestoneSerializer, 409: CONFLICT, 428: PRECONDITION_REQUIRED})
    def partial_update(self, request, *args, **kwargs):
        milestone = self.get_object(SET_MILESTONES)
        started_from = self.started_from()
        serializer = self.get_serializer(milestone, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("row_version", None)
        if "organisation" in data and data["organisation"] != milestone.organisation:
            raise serializers.ValidationError({"organisation": "Không chuyển mốc sang đơn vị khác: hãy đặt mốc mới."})
        return Response(self.get_serializer(self._save(milestone, data, started_from)).data)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(responses={204: None, 409: CONFLICT, 428: PRECONDITION_REQUIRED})
    def destroy(self, request, *args, **kwargs):
        milestone = self.get_object(SET_MILESTONES)
        services.milestone_delete(milestone=milestone, started_from=self.started_from())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[OpenApiParameter("org", str, description="Mã đơn vị (mặc định: đơn vị đang thay mặt)")],
        responses=ApplicableMilestoneSerializer(many=True),
        filters=False,
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def applicable(self, request):
        """The milestones the unit's ledger is judged against: its own, else inherited metric by metric."""
        acting = getattr(request._request, "acting_membership", None)
        org = request.query_params.get("org", "")
        if len(org) > 40:
            raise serializers.ValidationError({"org": "Mã đơn vị quá dài."})
        root = filters_for(self.policy, acting, org=org).roots[0]
        rows = []
        for milestone, inherited in applicable_milestones([root]):
            milestone.inherited = inherited
            rows.append(milestone)
        return Response(ApplicableMilestoneSerializer(rows, many=True).data)
