from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from tinhgon.api.base import CONFLICT, PRECONDITION_REQUIRED, PolicyMixin, as_drf_error
from tinhgon.core.dates import today
from tinhgon.core.locking import refuse_stale
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.services import units_merge

VIEW = "organisations.view"


class OrganisationSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    successor = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    predecessors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    row_version = serializers.IntegerField(
        read_only=True,
        help_text="Phiên bản đang lưu: gửi lại (trường row_version hoặc If-Match) khi sửa, để không ghi đè thay đổi "
        "của người khác.",
    )

    class Meta:
        model = Organisation
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "valid_from",
            "valid_to",
            "is_state_agency",
            "is_tthc_focal_unit",
            "successor",
            "predecessors",
            "row_version",
        ]

    def validate(self, attrs):
        unit = self.instance or Organisation()
        for name, value in attrs.items():
            setattr(unit, name, value)
        try:
            unit.full_clean(validate_unique=False, exclude=["row_version"])
        except DjangoValidationError as error:
            raise as_drf_error(error) from error
        return attrs


class MergeSerializer(serializers.Serializer):
    sources = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    target = serializers.CharField()
    target_name = serializers.CharField(required=False, allow_blank=True)
    target_kind = serializers.ChoiceField(choices=Organisation.Kind.choices, required=False)
    date = serializers.DateField()

    def validate_sources(self, codes):
        units = list(Organisation.objects.visible_to(self.context["policy"]).filter(code__in=codes))
        missing = sorted(set(codes) - {u.code for u in units})
        if missing:
            raise serializers.ValidationError(f"Không tìm thấy đơn vị: {', '.join(missing)}.")
        return units


@extend_schema(
    parameters=[
        OpenApiParameter("kind", str, description="Loại đơn vị (mã máy)"),
        OpenApiParameter("parent", str, description="Mã đơn vị cấp trên: chỉ lấy các đơn vị trực thuộc"),
        OpenApiParameter("as_of", str, description="Ngày (YYYY-MM-DD): cây tổ chức tại ngày này"),
        OpenApiParameter("search", str, description="Tìm theo tên hoặc mã, không phân biệt dấu"),
    ]
)
class OrganisationViewSet(
    PolicyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.none()  # the real one is scoped per user in get_queryset
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_rules = {"list": VIEW, "create": "organisations.add", "merge": "organisations.merge"}

    def get_queryset(self):
        units = (
            Organisation.objects.visible_to(self.policy)
            .select_related("parent", "successor")
            .prefetch_related("predecessors")
        )
        if self.action != "list":
            return units
        params = self.request.query_params
        day = self._as_of(params.get("as_of"))
        if params.get("as_of"):
            units = units.as_of(day)
        if params.get("kind"):
            units = units.filter(kind=params["kind"])
        if params.get("parent"):
            parent = Organisation.objects.filter(code=params["parent"]).first()
            units = units.filter(pk__in=parent.children_on(day).values("pk")) if parent else units.none()
        if params.get("search"):
            units = units.search(params["search"])
        return units.order_by("code")

    def _as_of(self, raw):
        if not raw:
            return today()
        try:
            return serializers.DateField().to_internal_value(raw)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"as_of": error.detail}) from error

    def perform_create(self, serializer):
        self.require("organisations.add", serializer.validated_data.get("parent"))
        serializer.save()

    @extend_schema(responses={200: OrganisationSerializer, 409: CONFLICT, 428: PRECONDITION_REQUIRED})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @transaction.atomic
    def perform_update(self, serializer):
        unit = serializer.instance
        self.require("organisations.change", unit)
        refuse_stale(unit, self.started_from())
        new_parent = serializer.validated_data.get("parent", unit.parent)
        if new_parent != unit.parent:
            self.require("organisations.add", new_parent)
        serializer.save()

    @extend_schema(request=MergeSerializer, responses=OrganisationSerializer)
    @action(detail=False, methods=["post"])
    def merge(self, request):
        data = MergeSerializer(data=request.data, context={"policy": self.policy})
        data.is_valid(raise_exception=True)
        sources, code, day = (
            data.validated_data["sources"],
            data.validated_data["target"],
            data.validated_data["date"],
        )
        target = Organisation.objects.filter(code=code).first()
        for unit in sources + ([target] if target else [sources[0].parent]):
            if not self.policy.allows("organisations.merge", unit):
                raise PermissionDenied(f"Bạn không có quyền hợp nhất đơn vị {unit.code if unit else ''}.")
        merged_into = units_merge(
            sources=sources,
            target=target,
            day=day,
            target_code=code,
            target_name=data.validated_data.get("target_name", ""),
            target_kind=data.validated_data.get("target_kind", ""),
        )
        return Response(OrganisationSerializer(merged_into).data, status=status.HTTP_200_OK)
