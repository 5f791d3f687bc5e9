"""Dashboards and periodic reports API (domain.md §8; tinhgon/reports).

Every object is found through its model's visibility rule, as on the pages (tinhgon/reports/views.py):
- the dashboard of a unit is seen with `reports.view` over the unit (404 otherwise, `dashboard_unit`);
- reports are those of `Report.objects.visible_to` (404 outside); a report is created, refreshed and written
  (narrative, rows entered by hand) with `reports.write` over its unit, and sent to the parent (the transition
  `submit`, which freezes it) with `reports.submit` (403 when visible but not allowed); the parent's office
  returns it with a reason or accepts it into its aggregate with `reports.receive` over the parent unit.
Refreshing and writing are edits of a versioned record: they need the version they were based on (`row_version` in
the body or `If-Match`; 428 without it, 409 with what changed when stale). A second submit, or the second of two
simultaneous creations of a period's report, answers 409. Bad parameters answer 400 with Vietnamese messages.
"""

from django.http import HttpResponse

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
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhgon.api.base import CONFLICT, PRECONDITION_REQUIRED, PolicyMixin, PreconditionRequired
from tinhgon.api.pagination import OnePassPagination
from tinhgon.api.v1.originals import OriginalSerializer, original_action, original_data
from tinhgon.core.dates import today
from tinhgon.core.files import download
from tinhgon.core.visibility import get_visible
from tinhgon.organisations.models import Organisation
from tinhgon.reports import services
from tinhgon.reports.dashboard import dashboard_data, dashboard_unit
from tinhgon.reports.filters import ReportFilter
from tinhgon.reports.forms import DashboardFilterForm
from tinhgon.reports.models import Report, Status
from tinhgon.reports.periods import Kind

WRITE = "reports.write"
SUBMIT = "reports.submit"
RECEIVE = "reports.receive"


def choice_field(choices, component: str, doc: str = ""):
    """A ChoiceField over `choices` (TextChoices) described in the schema as the enum component `component`."""
    lines = [f"* `{value}` - {label}" for value, label in choices.choices]
    schema = {"type": "string", "enum": list(choices.values), "description": "\n".join(filter(None, [doc, *lines]))}

    @extend_schema_field(schema, component_name=component)
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices.choices, **kwargs)

    Field.__name__ = Field.__qualname__ = f"{component}Field"
    return Field


ReportKindField = choice_field(Kind, "ReportKindEnum")
ReportStatusField = choice_field(Status, "ReportStatusEnum")

REPORT_EXISTS = OpenApiResponse(
    response=inline_serializer(
        "ReportExists",
        {
            "detail": serializers.CharField(),
            "report": serializers.IntegerField(help_text="Báo cáo đã có của đơn vị trong kỳ (id)"),
        },
    ),
    description="Đơn vị đã có báo cáo của kỳ này (kể cả khi vừa được tạo bởi một yêu cầu đồng thời).",
)


# Dashboard --------------------------------------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("org", str, description="Mã đơn vị (mặc định: đơn vị đang thay mặt)"),
        OpenApiParameter(
            "as_of",
            OpenApiTypes.DATE,
            description="Số liệu tính đến ngày (mặc định: hôm nay), từ 01/01/2000 đến 31/12/2100",
        ),
        OpenApiParameter(
            "all",
            OpenApiTypes.BOOL,
            description="Chế độ theo dõi (cán bộ theo dõi, quản trị): giữ mọi đơn vị trực thuộc trong bảng xếp hạng "
            "và bản đồ nhiệt, như liên kết “Xem toàn bộ” (?all=1) của trang; nhận `1`/`true`, `0`/`false`. Mặc định: "
            "một màn hình (các đơn vị đứng đầu, đứng cuối và dòng tổng cộng; các đơn vị có nhiều nhiệm vụ quá hạn "
            "nhất), `ranking_hidden` và `heatmap.hidden` là số đơn vị không hiển thị. Không đổi các chế độ khác. "
            "Cùng quyền như khi không có tham số: `reports.view` trên đơn vị.",
        ),
    ],
    responses={
        200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="Số liệu của bảng điều khiển (tinhgon/reports/dashboard.py `dashboard_data`): thủ tục, "
            "rà soát và đơn giản hóa, nhiệm vụ, chỉ tiêu của đơn vị và các đơn vị trực thuộc. Tỷ lệ phần trăm là "
            'chuỗi có hai chữ số lẻ ("12.50").',
        ),
        400: OpenApiResponse(description="Tham số không hợp lệ (thông báo theo từng tham số)."),
        404: OpenApiResponse(description="Không có đơn vị này, hoặc bạn không được xem bảng điều khiển của đơn vị."),
    },
)
class ReportDashboardView(PolicyMixin, APIView):
    """The figures behind the dashboard of a unit (the same as the page /bao-cao/bang-dieu-khien/?org=<code>;
    `all` as the page's ?all=1); the parameters are checked by the page's form."""

    def get(self, request):
        form = DashboardFilterForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        params = form.cleaned_data
        org = dashboard_unit(self.policy, params["org"], request.acting_membership)
        return Response(dashboard_data(org, params["as_of"] or today(), self.policy, all=params["all"]))


# Reports ----------------------------------------------------------------------------------------------------------


class ReportManualRowSerializer(serializers.Serializer):
    section = serializers.CharField(allow_blank=True, required=False, default="", help_text="Mục của báo cáo")
    label = serializers.CharField(allow_blank=True, help_text="Nội dung (dòng không có nội dung bị bỏ qua)")
    value = serializers.CharField(allow_blank=True, help_text="Giá trị (bắt buộc khi có nội dung)")
    note = serializers.CharField(allow_blank=True, required=False, default="", help_text="Ghi chú")


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {},
        "description": "Số liệu tính đến ngày chốt (tinhgon/reports/figures.py): `procedures`, `reviews`, `tasks`, "
        '`indicators`. Tỷ lệ phần trăm là chuỗi có hai chữ số lẻ ("33.33"), làm tròn theo quy tắc ghi ở '
        "`tasks.rounding` (TINHGON_SHARE_ROUNDING). `tasks` có các trường như TaskTally của kế hoạch (nhiệm vụ có "
        "thời hạn trong kỳ, đã hoàn thành đúng hạn / quá hạn, chưa hoàn thành quá hạn, chưa đến hạn, mỗi số kèm tỷ lệ; "
        "nhiệm vụ thường xuyên tính riêng). Đóng băng khi gửi báo cáo.",
    }
)
class FiguresField(serializers.JSONField):
    pass


class ReportSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="organisation.code", read_only=True, help_text="Mã cơ quan báo cáo")
    org_name = serializers.CharField(source="organisation.name", read_only=True)
    kind = ReportKindField(read_only=True)
    status = ReportStatusField(read_only=True)
    label = serializers.SerializerMethodField()
    figures = FiguresField(read_only=True)
    manual_rows = ReportManualRowSerializer(many=True, read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True, allow_null=True, default=None)
    received_by = serializers.CharField(
        source="received_by.username",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="Người của đơn vị cấp trên đã tiếp nhận hoặc trả lại báo cáo",
    )
    row_version = serializers.IntegerField(read_only=True)
    original = serializers.SerializerMethodField(help_text="Bản gốc đã ký (khi đã đính kèm)")

    class Meta:
        model = Report
        fields = [
            "id",
            "org",
            "org_name",
            "kind",
            "year",
            "number",
            "label",
            "start",
            "end",
            "status",
            "figures",
            "computed_at",
            "results",
            "difficulties",
            "proposals",
            "manual_rows",
            "document_number",
            "signer",
            "signer_title",
            "recipients",
            "submitted_by",
            "submitted_at",
            "received_by",
            "received_at",
            "return_reason",
            "created_at",
            "row_version",
            "original",
        ]
        read_only_fields = fields

    @extend_schema_field(OriginalSerializer(allow_null=True))
    def get_original(self, report):
        return original_data(report, "report-original")

    def get_label(self, report) -> str:
        """Kỳ báo cáo, ví dụ "quý III/2026"."""
        return report.period.label


class ReportCreateSerializer(serializers.Serializer):
    org = serializers.CharField(max_length=40, help_text="Mã cơ quan báo cáo")
    kind = ReportKindField()
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False, help_text="Năm của kỳ báo cáo")
    number = serializers.IntegerField(
        min_value=1, max_value=12, required=False, default=1, help_text="Tháng, quý hoặc nửa năm (1, 2) của kỳ"
    )
    start = serializers.DateField(required=False, allow_null=True, help_text="Từ ngày (chỉ báo cáo đột xuất)")
    end = serializers.DateField(required=False, allow_null=True, help_text="Đến ngày (chỉ báo cáo đột xuất)")

    def validate(self, data):
        if data["kind"] == Kind.AD_HOC:
            if not (data.get("start") and data.get("end")):
                raise serializers.ValidationError({"end": ["Báo cáo đột xuất cần ngày bắt đầu và ngày kết thúc."]})
        else:
            if data.get("start") or data.get("end"):
                raise serializers.ValidationError(
                    {"start": ["Chỉ báo cáo đột xuất mới chọn ngày; các kỳ khác có ngày chốt số liệu cố định."]}
                )
            if not data.get("year"):
                raise serializers.ValidationError({"year": ["Cần năm của kỳ báo cáo."]})
        return data


class ReportWriteSerializer(serializers.Serializer):
    results = serializers.CharField(allow_blank=True, required=False, help_text="Kết quả đạt được")
    difficulties = serializers.CharField(
        allow_blank=True, required=False, help_text="Tồn tại, hạn chế, khó khăn, vướng mắc"
    )
    proposals = serializers.CharField(allow_blank=True, required=False, help_text="Đề xuất, kiến nghị")
    document_number = serializers.CharField(allow_blank=True, required=False, max_length=60)
    signer = serializers.CharField(allow_blank=True, required=False, max_length=200)
    signer_title = serializers.CharField(allow_blank=True, required=False, max_length=200)
    recipients = serializers.CharField(allow_blank=True, required=False)
    manual_rows = ReportManualRowSerializer(many=True, required=False, help_text="Thay toàn bộ số liệu nhập tay")
    row_version = serializers.IntegerField(
        required=False,
        help_text="Phiên bản đã đọc (bắt buộc, hoặc tiêu đề If-Match): 428 nếu thiếu, 409 nếu đã cũ.",
    )


class ReportVersionSerializer(serializers.Serializer):
    row_version = serializers.IntegerField(
        required=False, help_text="Phiên bản đã đọc (hoặc tiêu đề If-Match): 409 nếu báo cáo đã thay đổi từ đó."
    )


class ReportReturnSerializer(ReportVersionSerializer):
    reason = serializers.CharField(max_length=4000, help_text="Lý do trả lại, để đơn vị báo cáo chỉnh sửa")


class ReportChildSerializer(serializers.Serializer):
    org = serializers.CharField(help_text="Mã đơn vị trực thuộc")
    name = serializers.CharField()
    submitted = serializers.BooleanField(help_text="Đã gửi báo cáo cùng kỳ (đang chờ tiếp nhận hoặc đã tiếp nhận)")
    status = ReportStatusField(allow_null=True, help_text="Trạng thái báo cáo đã gửi lên; null nếu chưa gửi")
    report = serializers.IntegerField(allow_null=True, help_text="Báo cáo đã gửi (id), null nếu chưa gửi")
    submitted_at = serializers.DateTimeField(allow_null=True)


class ReportChildrenSerializer(serializers.Serializer):
    report = serializers.IntegerField()
    submitted = serializers.IntegerField(help_text="Số đơn vị đã gửi (chờ tiếp nhận hoặc đã tiếp nhận)")
    accepted = serializers.IntegerField(help_text="Số đơn vị đã được tiếp nhận báo cáo (tính vào tổng hợp)")
    missing = serializers.ListField(child=serializers.CharField(), help_text="Mã các đơn vị chưa gửi")
    children = ReportChildSerializer(many=True)
    aggregate = serializers.DictField(
        child=serializers.DictField(),
        help_text="Tổng số liệu đã đóng băng của các báo cáo đã tiếp nhận: `procedures`, `reviews` (số nguyên), "
        "`tasks` (số nguyên, kèm các tỷ lệ `*_pct` là chuỗi hai chữ số lẻ và quy tắc làm tròn `rounding`, như "
        "TaskTally)",
    )


MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class ReportViewSet(PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Periodic reports (báo cáo định kỳ) of the units the user may see: figures as of the cut-off, the narrative,
    rows entered by hand; submitting one to the parent freezes it."""

    serializer_class = ReportSerializer
    queryset = Report.objects.none()
    filterset_class = ReportFilter
    # The order's three columns sorted for the page, then its 50 reports read whole: sorted with every column, the
    # nation's 60,000 reports spilled 10 MB to disk (106 ms).
    pagination_class = OnePassPagination
    action_rules = {"list": "reports.view", "create": WRITE}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        reports = Report.objects.visible_to(self.policy).select_related(
            "organisation__parent", "submitted_by", "received_by"
        )
        return reports.order_by("-end", "organisation__code", "-id")

    def _fresh(self, report: Report, code: int = status.HTTP_200_OK) -> Response:
        return Response(ReportSerializer(self.get_queryset().get(pk=report.pk)).data, status=code)

    @extend_schema(request=ReportCreateSerializer, responses={201: ReportSerializer, 409: REPORT_EXISTS})
    def create(self, request, *args, **kwargs):
        """Create the report of a period with its figures computed as of the cut-off. One per unit and period
        (except ad hoc reports): when it exists, even created a moment ago by a simultaneous request, the answer is
        409 with the existing report's id, the same whichever request came second."""
        body = ReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        org = get_visible(self.policy, Organisation.objects, code=data["org"])
        self.require(WRITE, org)
        try:
            report = services.report_create(
                organisation=org,
                kind=data["kind"],
                year=data.get("year") or data["end"].year,
                number=data["number"],
                start=data.get("start"),
                end=data.get("end"),
                by=request.user,
            )
        except services.ReportExists as error:
            return Response({"detail": error.messages[0], "report": error.existing.pk}, status.HTTP_409_CONFLICT)
        return self._fresh(report, status.HTTP_201_CREATED)

    @extend_schema(
        request=ReportWriteSerializer,
        responses={200: ReportSerializer, 409: CONFLICT, 428: PRECONDITION_REQUIRED},
    )
    def partial_update(self, request, *args, **kwargs):
        """Write the narrative (results, difficulties, proposals, signature block) and the rows entered by hand of
        a draft, from the version read (`row_version` or If-Match)."""
        report = self.get_object(WRITE)
        started_from = self.started_from()
        body = ReportWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in body.validated_data.items() if k != "row_version"}
        return self._fresh(services.report_write(report=report, started_from=started_from, **data))

    @extend_schema(
        request=ReportVersionSerializer,
        responses={200: ReportSerializer, 409: CONFLICT, 428: PRECONDITION_REQUIRED},
    )
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        """Recompute the figures of a draft from the data as it is now (still as of the cut-off), from the version
        read (`row_version` or If-Match)."""
        report = self.get_object(WRITE)
        return self._fresh(services.report_refresh(report=report, started_from=self.started_from()))

    @extend_schema(request=ReportVersionSerializer, responses={200: ReportSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the report to the parent organisation: the figures are computed one last time and frozen. With
        `row_version` (or If-Match), refused (409) when the report changed since it was read."""
        return self._transition("submit", SUBMIT, ReportVersionSerializer)

    @extend_schema(request=ReportReturnSerializer, responses={200: ReportSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """Return a report sent up to its unit with the reason (the office of the parent unit): it is unlocked for
        fixing and sent again. Refused (409) unless it waits to be received."""
        return self._transition("send_back", RECEIVE, ReportReturnSerializer)

    @extend_schema(request=ReportVersionSerializer, responses={200: ReportSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept a report sent up into the parent unit's aggregate (the office of the parent unit). Refused (409)
        unless it waits to be received."""
        return self._transition("accept", RECEIVE, ReportVersionSerializer)

    original = original_action(ReportSerializer, lambda report: str(report.period.title))

    def _transition(self, name: str, rule: str, body_class) -> Response:
        report = self.get_object()
        if not report.permits(self.policy, rule):
            raise PermissionDenied()  # before the body is read: who may not act learns nothing from it
        body = body_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        args = [body.validated_data["reason"]] if "reason" in body.fields else []
        report.perform(name, self.policy, *args, by=self.request.user, started_from=self._version_if_sent())
        return self._fresh(report)

    def _version_if_sent(self) -> int | None:
        try:
            return self.started_from()
        except PreconditionRequired:
            return None

    @extend_schema(responses=ReportChildrenSerializer)
    @action(detail=True, methods=["get"])
    def children(self, request, pk=None):
        """The units directly under the reporting unit at the end of the period: who submitted the report of the
        same period and who did not, with the totals of what was submitted."""
        report = self.get_object()
        rows = services.children(report, self.policy)
        out = [
            {
                "org": row.organisation.code,
                "name": row.organisation.name,
                "submitted": row.report is not None and row.report.is_locked,
                "status": row.report.status if row.report else None,
                "report": row.report.pk if row.report else None,
                "submitted_at": row.report.submitted_at if row.report else None,
            }
            for row in rows
        ]
        data = {
            "report": report.pk,
            "submitted": sum(1 for row in out if row["submitted"]),
            "accepted": sum(1 for row in rows if row.accepted),
            "missing": [row["org"] for row in out if not row["submitted"]],
            "children": out,
            "aggregate": services.aggregate(rows),
        }
        return Response(ReportChildrenSerializer(data).data)

    def _document(self, ext: str) -> HttpResponse:
        from tinhgon.reports import documents

        report = self.get_object()
        return download(documents.RENDERERS[ext](report, self.policy), documents.file_title(report), ext)

    @extend_schema(responses={(200, MIME["docx"]): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        """The report as a Word document (Nghị định 30/2020/NĐ-CP layout)."""
        return self._document("docx")

    @extend_schema(responses={(200, MIME["xlsx"]): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        """The report's figures as an Excel workbook."""
        return self._document("xlsx")

    @extend_schema(responses={(200, MIME["pdf"]): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The report as a PDF."""
        return self._document("pdf")
