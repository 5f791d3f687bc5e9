"""The field catalogue (lĩnh vực) in the API: read by whoever reads the registry, changed by `fields.manage` (the
focal points and administrators of a province or ministry; procedures/fields.py). A change carries the version it
was read at (`row_version` or If-Match): 428 without, 409 when stale."""

from django.db import transaction
from django.utils.functional import SimpleLazyObject

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tinhgon.api.base import CONFLICT, PRECONDITION_REQUIRED, PolicyMixin
from tinhgon.core.locking import refuse_stale
from tinhgon.procedures import fields as catalogue
from tinhgon.procedures.models import MANAGE_FIELDS, Field, FieldChange, ProcedureVersion

VIEW = "procedures.view"


class FieldChangeSerializer(serializers.ModelSerializer):
    old_parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    new_parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    into = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    by = serializers.CharField(source="by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = FieldChange
        fields = [
            "kind",
            "on",
            "old_name",
            "new_name",
            "old_parent",
            "new_parent",
            "into",
            "versions_moved",
            "note",
            "by",
            "at",
        ]


class FieldSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Field.objects.all(),
        required=False,
        allow_null=True,
        help_text="Mã lĩnh vực cha (null: cấp cao nhất)",
    )
    merged_into = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    procedures = serializers.SerializerMethodField(help_text="Số thủ tục bạn được xem thuộc lĩnh vực")
    old_names = serializers.SerializerMethodField(help_text="Các tên trước khi đổi tên (vẫn được nhận khi nhập)")
    on = serializers.DateField(write_only=True, required=False, help_text="Thay đổi áp dụng từ ngày (mặc định hôm nay)")
    note = serializers.CharField(write_only=True, required=False, default="", max_length=500)
    row_version = serializers.IntegerField(
        required=False, min_value=0, help_text="Phiên bản đã đọc (bắt buộc khi sửa: hoặc tiêu đề If-Match)"
    )

    class Meta:
        model = Field
        fields = [
            "id",
            "code",
            "name",
            "parent",
            "is_active",
            "valid_to",
            "merged_into",
            "procedures",
            "old_names",
            "on",
            "note",
            "row_version",
        ]
        read_only_fields = ["is_active", "valid_to"]
        extra_kwargs = {"code": {"required": False, "validators": []}, "name": {"validators": []}}

    def get_procedures(self, field) -> int:
        return self.context["procedure_counts"].get(field.pk, 0)

    def get_old_names(self, field) -> list[str]:
        return [c.old_name for c in field.changes.all() if c.kind == FieldChange.Kind.RENAMED]


class FieldDetailSerializer(FieldSerializer):
    history = FieldChangeSerializer(source="changes", many=True, read_only=True)

    class Meta(FieldSerializer.Meta):
        fields = [*FieldSerializer.Meta.fields, "history"]


class FieldMergeSerializer(serializers.Serializer):
    into = serializers.SlugRelatedField(
        slug_field="code", queryset=Field.objects.all(), help_text="Mã lĩnh vực tiếp nhận"
    )
    on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, default="", max_length=500)
    row_version = serializers.IntegerField(required=False, min_value=0)


class FieldMergeResultSerializer(serializers.Serializer):
    into = serializers.CharField()
    versions_moved = serializers.IntegerField()


class FieldViewSet(PolicyMixin, viewsets.ModelViewSet):
    """Lĩnh vực: the shared catalogue as a tree (`parent`). PATCH renames (`name`) and moves (`parent`); `merge/`
    moves every procedure version to another field and ends this one; old and merged names keep matching."""

    serializer_class = FieldSerializer
    queryset = Field.objects.none()
    action_rules = {"list": VIEW, "create": MANAGE_FIELDS}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        fields = Field.objects.visible_to(self.policy).select_related("parent", "merged_into")
        fields = fields.prefetch_related("changes__old_parent", "changes__new_parent", "changes__into", "changes__by")
        return fields.order_by("name")

    def get_serializer_context(self):
        # The registry counted once for all the fields answered, when they are: a subquery per field read the
        # country's 111,000 versions again for each (1.9 s for the national oversight's list).
        counts = SimpleLazyObject(lambda: ProcedureVersion.objects.registry(self.policy).count_by_field())
        return {**super().get_serializer_context(), "procedure_counts": counts}

    def get_serializer_class(self):
        return FieldDetailSerializer if self.action == "retrieve" else FieldSerializer

    @extend_schema(responses={201: FieldSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        field = catalogue.field_create(
            name=data["name"],
            code=data.get("code", ""),
            parent=data.get("parent"),
            by=request.user,
            on=data.get("on"),
            note=data.get("note", ""),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=field.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: FieldSerializer, 409: CONFLICT, 428: PRECONDITION_REQUIRED})
    def partial_update(self, request, *args, **kwargs):
        field = self.get_object(MANAGE_FIELDS)
        started_from = self.started_from()
        serializer = self.get_serializer(field, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "code" in data and data["code"] != field.code:
            raise serializers.ValidationError({"code": "Mã lĩnh vực không đổi được: đổi tên, hoặc hợp nhất."})
        change = {"by": request.user, "on": data.get("on"), "note": data.get("note", "")}
        if "name" in data and data["name"] != field.name:
            field = catalogue.field_rename(field=field, name=data["name"], row_version=started_from, **change)
            started_from = field.row_version
        if "parent" in data and data["parent"] != field.parent:
            catalogue.field_move(field=field, parent=data["parent"], row_version=started_from, **change)
        if "name" not in data and "parent" not in data:
            with transaction.atomic():
                refuse_stale(field, started_from)
        return Response(self.get_serializer(self.get_queryset().get(pk=field.pk)).data)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        request=FieldMergeSerializer,
        responses={200: FieldMergeResultSerializer, 409: CONFLICT, 428: PRECONDITION_REQUIRED},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge this field into `into`: every procedure version moves, this field ends (refused into itself, a
        field under it, or an inactive one)."""
        field = self.get_object(MANAGE_FIELDS)
        started_from = self.started_from()
        serializer = FieldMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        moved = catalogue.field_merge(
            source=field,
            target=data["into"],
            by=request.user,
            on=data.get("on"),
            note=data["note"],
            row_version=started_from,
        )
        return Response({"into": data["into"].code, "versions_moved": moved})
