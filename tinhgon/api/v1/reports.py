"""Dashboards and periodic reports API (domain.md §8; tinhgon/reports).

Permissions (tinhgon/accounts/permissions.py):
- the dashboard of a unit and its reports are seen with `reports.view` over the unit (404 otherwise);
- a report is created, refreshed and written (narrative, rows entered by hand) with `reports.write` over its unit,
  and sent to the parent (which freezes it) with `reports.submit` (403 when visible but not allowed).
Figures are computed by tinhgon/reports/figures.py as of the period's cut-off and frozen on submission. Errors
raised by the services are answered 400 with their Vietnamese messages; a narrative saved from a stale copy
(`row_version`) is answered 409 with the current `row_version`.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
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
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhgon.api.base import PolicyMixin, as_drf_error
from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.reports import services
from tinhgon.reports.models import Report, Status
from tinhgon.reports.periods import Kind

VIEW = "reports.view"
WRITE = "reports.write"
SUBMIT = "reports.submit"


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


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Báo cáo đã được người khác cập nhật. Hãy tải lại để xem bản mới nhất."
    default_code = "conflict"


CONFLICT_RESPONSE = OpenApiResponse(
    response=inline_serializer(
        "ReportConflict", {"detail": serializers.CharField(), "row_version": serializers.IntegerField()}
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


def _date_param(params, name: str):
    if not params.get(name):
        return None
    try:
        return serializers.DateField().to_internal_value(params[name])
    except serializers.ValidationError as error:
        raise serializers.ValidationError({name: error.detail}) from error


TRUE_VALUES, FALSE_VALUES = {"1", "true"}, {"", "0", "false"}


def _bool_param(params, name: str) -> bool:
    """`1`/`true` or `0`/`false` (any case; absent is false), else 400 in Vietnamese."""
    value = params.get(name, "").strip().lower()
    if value not in TRUE_VALUES | FALSE_VALUES:
        raise serializers.ValidationError({name: [f"Giá trị của {name} phải là 1 hoặc true (0 hoặc false: không)."]})
    return value in TRUE_VALUES


def _org_of(request, policy, code: str) -> Organisation:
    """The unit named by `code` (default: the acting membership's), 404 when the user may not see its reports."""
    code = (code or "").strip()
    if code:
        org = Organisation.objects.filter(code=code).first()
    else:
        acting = getattr(request._request, "acting_membership", None)
        org = acting.organisation if acting else None
    if org is None or not policy.allows(VIEW, org):
        raise NotFound(f"Không tìm thấy đơn vị {code}." if code else "Không tìm thấy đơn vị.")
    return org


# Dashboard --------------------------------------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("org", str, description="Mã đơn vị (mặc định: đơn vị đang thay mặt)"),
        OpenApiParameter("as_of", OpenApiTypes.DATE, description="Số liệu tính đến ngày (mặc định: hôm nay)"),
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
        )
    },
)
class ReportDashboardView(PolicyMixin, APIView):
    """The figures behind the dashboard of a unit (the same as the page /bao-cao/bang-dieu-khien/?org=<code>;
    `all` as the page's ?all=1)."""

    def get(self, request):
        from tinhgon.reports.dashboard import dashboard_data

        org = _org_of(request, self.policy, request.query_params.get("org", ""))
        as_of = _date_param(request.query_params, "as_of") or today()
        everything = _bool_param(request.query_params, "all")
        return Response(dashboard_data(org, as_of, self.policy, all=everything))


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
        '`indicators`. Tỷ lệ phần trăm là chuỗi có hai chữ số lẻ ("33.33"). Đóng băng khi gửi báo cáo.',
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
    row_version = serializers.IntegerField(read_only=True)

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
            "created_at",
            "row_version",
        ]
        read_only_fields = fields

    def get_label(self, report) -> str:
        """Kỳ báo cáo, ví dụ "quý III/2026"."""
        return report.period.label


class ReportCreateSerializer(serializers.Serializer):
    org = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), help_text="Mã cơ quan báo cáo"
    )
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
        required=False, help_text="Gửi kèm để không ghi đè nội dung của người khác (409 nếu đã cũ)."
    )


class ReportChildSerializer(serializers.Serializer):
    org = serializers.CharField(help_text="Mã đơn vị trực thuộc")
    name = serializers.CharField()
    submitted = serializers.BooleanField(help_text="Đã gửi báo cáo cùng kỳ")
    report = serializers.IntegerField(allow_null=True, help_text="Báo cáo đã gửi (id), null nếu chưa gửi")
    submitted_at = serializers.DateTimeField(allow_null=True)


class ReportChildrenSerializer(serializers.Serializer):
    report = serializers.IntegerField()
    submitted = serializers.IntegerField(help_text="Số đơn vị đã gửi")
    missing = serializers.ListField(child=serializers.CharField(), help_text="Mã các đơn vị chưa gửi")
    children = ReportChildSerializer(many=True)
    aggregate = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="Tổng số liệu đã đóng băng của các báo cáo đã gửi: `procedures`, `reviews`, `tasks`",
    )


def _with_parts(reports):
    return reports.select_related("organisation", "submitted_by")


MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@extend_schema(
    parameters=[
        OpenApiParameter("org", str, description="Mã cơ quan báo cáo"),
        OpenApiParameter("kind", str, enum=Kind.values),
        OpenApiParameter("year", int),
        OpenApiParameter("number", int),
        OpenApiParameter("status", str, enum=Status.values),
    ]
)
class ReportViewSet(
    PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Periodic reports (báo cáo định kỳ) of the units the user may see: figures as of the cut-off, the narrative,
    rows entered by hand; submitting one to the parent freezes it."""

    serializer_class = ReportSerializer
    queryset = Report.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        reports = Report.objects.filter(organisation__in=self.policy.organisations(VIEW))
        params = self.request.query_params
        if self.action == "list":
            if params.get("org"):
                reports = reports.filter(organisation__code=params["org"])
            if params.get("kind"):
                reports = reports.filter(kind=params["kind"])
            for name in ("year", "number"):
                if params.get(name):
                    value = params[name]
                    reports = reports.filter(**{name: value}) if value.isdigit() else reports.none()
            if params.get("status"):
                reports = reports.filter(status=params["status"])
        return _with_parts(reports).order_by("-end", "organisation__code", "-id")

    def _fresh(self, report: Report) -> Response:
        return Response(ReportSerializer(_with_parts(Report.objects.filter(pk=report.pk)).get()).data)

    @extend_schema(request=ReportCreateSerializer, responses={201: ReportSerializer})
    def create(self, request, *args, **kwargs):
        """Create the report of a period with its figures computed as of the cut-off (one per unit and period,
        except ad hoc reports)."""
        body = ReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        org = data["org"]
        if not self.policy.allows(VIEW, org):
            raise NotFound()
        self.require(WRITE, org)
        report = _service(
            services.report_create,
            organisation=org,
            kind=data["kind"],
            year=data.get("year") or data["end"].year,
            number=data["number"],
            start=data.get("start"),
            end=data.get("end"),
            by=request.user,
        )
        response = self._fresh(report)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=ReportWriteSerializer, responses={200: ReportSerializer, 409: CONFLICT_RESPONSE})
    def partial_update(self, request, *args, **kwargs):
        """Write the narrative (results, difficulties, proposals, signature block) and the rows entered by hand of
        a draft."""
        report = self.get_object()
        self.require(WRITE, report.organisation)
        body = ReportWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        started_from = data.pop("row_version", None)
        with transaction.atomic():
            try:
                _service(services.report_write, report=report, started_from=started_from, **data)
            except Conflict as conflict:
                conflict.detail = {
                    "detail": conflict.detail,
                    "row_version": Report.objects.get(pk=report.pk).row_version,
                }
                raise
        return self._fresh(report)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the report to the parent organisation: the figures are computed one last time and frozen."""
        report = self.get_object()
        self.require(SUBMIT, report.organisation)
        _service(services.report_submit, report=report, by=request.user)
        return self._fresh(report)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        """Recompute the figures of a draft from the data as it is now (still as of the cut-off)."""
        report = self.get_object()
        self.require(WRITE, report.organisation)
        _service(services.report_refresh, report)
        return self._fresh(report)

    @extend_schema(responses=ReportChildrenSerializer)
    @action(detail=True, methods=["get"])
    def children(self, request, pk=None):
        """The units directly under the reporting unit at the end of the period: who submitted the report of the
        same period and who did not, with the totals of what was submitted."""
        report = self.get_object()
        rows = services.children(report)
        out = [
            {
                "org": row.organisation.code,
                "name": row.organisation.name,
                "submitted": row.report is not None,
                "report": row.report.pk if row.report else None,
                "submitted_at": row.report.submitted_at if row.report else None,
            }
            for row in rows
        ]
        data = {
            "report": report.pk,
            "submitted": sum(1 for row in out if row["submitted"]),
            "missing": [row["org"] for row in out if not row["submitted"]],
            "children": out,
            "aggregate": services.aggregate(rows),
        }
        return Response(ReportChildrenSerializer(data).data)

    def _document(self, ext: str) -> HttpResponse:
        from tinhgon.reports import documents

        report = self.get_object()
        content = getattr(documents, f"report_{ext}")(report)
        response = HttpResponse(content, content_type=MIME[ext])
        response["Content-Disposition"] = f'attachment; filename="{documents.filename(report, ext)}"'
        return response

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
