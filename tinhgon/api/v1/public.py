"""Public, read-only API of the disclosure portal: procedures in force, no authentication.

Same visibility as the portal pages (`ProcedureVersion.objects.published()`): nothing else is reachable, not even by
a guessed code. One procedure can also be read as it was in force on a past day (`?as_of=YYYY-MM-DD`: what the
portal showed that day, public record then), with the decisions that published, amended or ended it. Field names
follow the registry API (`/api/v1/procedures/`).
"""

from datetime import date
from urllib.parse import quote

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from tinhgon.api.pagination import OnePassPagination
from tinhgon.core.dates import today
from tinhgon.portal.queries import (
    PAGE_ROWS,
    PUBLIC_DECISION_STATES,
    filter_entries,
    public_entries,
    public_versions,
    versions_on,
)
from tinhgon.procedures.constants import Group, Kind, Status
from tinhgon.procedures.models import DecisionItem, DossierItem, LegalBasis, ProcedureForm, ProcedureVersion, Step
from tinhgon.procedures.search import search_stage


class PublicStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = Step
        fields = ["order", "actor", "action", "duration"]


class PublicDossierItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierItem
        fields = ["name", "originals", "copies", "certified_copies", "obtainable_from_data"]


class PublicLegalBasisSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalBasis
        fields = ["number", "date", "issuer", "title", "article"]


class PublicFormSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProcedureForm
        fields = ["name", "url"]

    def get_url(self, form) -> str | None:
        """The form's download address (the file is served through the registry's view, never from storage)."""
        if not form.file:
            return None
        path = reverse("procedures:form-file", args=[form.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PublicProcessingTimeVariantSerializer(serializers.Serializer):
    condition = serializers.CharField()
    min = serializers.DecimalField(max_digits=6, decimal_places=1, coerce_to_string=False, allow_null=True)
    max = serializers.DecimalField(max_digits=6, decimal_places=1, coerce_to_string=False)
    unit = serializers.CharField()


class PublicProcessingTimeSerializer(serializers.Serializer):
    """The time limit as published (`text`) and its structured part (main case `min`–`value` in `unit`, and the
    other cases); the structured part is null when the text could not be read."""

    text = serializers.CharField(source="processing_time_display")
    min = serializers.DecimalField(
        source="processing_time_min", max_digits=6, decimal_places=1, coerce_to_string=False, allow_null=True
    )
    value = serializers.DecimalField(
        source="processing_time_value", max_digits=6, decimal_places=1, coerce_to_string=False, allow_null=True
    )
    unit = serializers.CharField(source="processing_time_unit")
    variants = PublicProcessingTimeVariantSerializer(source="processing_time_variants", many=True)


class PublicLevelSerializer(serializers.Serializer):
    """A level the procedure is performed at with its implementing body; the primary level first."""

    level = serializers.CharField(help_text="central, province, district, commune")
    body = serializers.CharField(help_text="Cơ quan thực hiện ở cấp này")
    organisation = serializers.CharField(source="organisation.code", allow_null=True, default=None)


class PublicProcedureSummarySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="procedure.code")
    owner = serializers.CharField(source="procedure.owner.code")
    owner_name = serializers.CharField(source="procedure.owner.name")
    field = serializers.CharField(source="field.name")
    version = serializers.IntegerField(source="number")
    kind = serializers.CharField(read_only=True, help_text="internal (nhóm A, B) hoặc ordinary (nhóm O)")
    in_transition = serializers.SerializerMethodField(
        help_text="Đã bãi bỏ nhưng còn áp dụng chuyển tiếp (đến `effective_to`, hoặc đến khi có quyết định khác)"
    )

    class Meta:
        model = ProcedureVersion
        fields = [
            "code",
            *("name", "kind", "group", "level", "field", "owner", "owner_name"),
            *("version", "in_transition", "effective_from", "effective_to"),
        ]

    def get_in_transition(self, version) -> bool:
        return version.status == Status.TRANSITIONAL


class PublicDecisionSerializer(serializers.Serializer):
    """A decision that published, amended, replaced or abolished the version: public record once issued."""

    number = serializers.CharField(source="decision.number")
    signed_on = serializers.DateField(source="decision.signed_on", allow_null=True)
    issuer = serializers.CharField(source="decision.issuer.name")
    effective_on = serializers.DateField(source="decision.effective_on")
    change = serializers.CharField(help_text="new, amended, replaced, abolished")
    legal_ground = serializers.CharField(help_text="Căn cứ pháp lý quyết định ghi cho thủ tục (ví dụ văn bản bãi bỏ)")
    annex_position = serializers.CharField(help_text="Vị trí trong phụ lục, ví dụ “Phần I – mục A – STT 1”")
    transition = serializers.CharField(
        source="transition_display", help_text="Điều khoản chuyển tiếp của việc bãi bỏ (“Tiếp tục thực hiện đến …”)"
    )
    transition_until = serializers.DateField(allow_null=True, help_text="Áp dụng chuyển tiếp đến hết ngày này")
    url = serializers.SerializerMethodField()

    def get_url(self, item) -> str:
        path = reverse("portal:decision", args=[item.decision_id])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PublicProcedureSerializer(PublicProcedureSummarySerializer):
    national_code = serializers.CharField(source="procedure.national_code")
    effective_to = serializers.DateField(
        allow_null=True,
        help_text="Hết hiệu lực (hoặc hết áp dụng chuyển tiếp khi đã bãi bỏ) từ sau ngày này",
    )
    decisions = serializers.SerializerMethodField()
    steps = PublicStepSerializer(many=True)
    dossier_items = PublicDossierItemSerializer(many=True)
    processing_time = PublicProcessingTimeSerializer(source="*")
    legal_bases = PublicLegalBasisSerializer(many=True)
    forms = PublicFormSerializer(many=True)
    levels = PublicLevelSerializer(source="level_rows", many=True, help_text="Các cấp thực hiện, cấp chính trước")

    class Meta(PublicProcedureSummarySerializer.Meta):
        fields = [
            "code",
            "national_code",
            "name",
            "kind",
            "group",
            "level",
            "levels",
            "field",
            "owner",
            "owner_name",
            "steps",
            "channels",
            "dossier_items",
            "dossier_sets",
            "processing_time",
            "performers",
            "authority",
            "performing_body",
            "coordinating_bodies",
            "result",
            "fees",
            "forms",
            "conditions",
            "legal_bases",
            "version",
            "in_transition",
            "effective_from",
            "effective_to",
            "decisions",
        ]

    @extend_schema_field(PublicDecisionSerializer(many=True))
    def get_decisions(self, version):
        items = [i for i in version.decision_items.all() if i.decision.status in PUBLIC_DECISION_STATES]
        return PublicDecisionSerializer(items, many=True, context=self.context).data


@extend_schema_view(
    list=extend_schema(
        summary="Thủ tục đang có hiệu lực (công khai)",
        parameters=[
            OpenApiParameter("q", str, description="Từ khóa, có dấu hoặc không dấu; chấp nhận lỗi gõ nhỏ."),
            OpenApiParameter(
                "X-Search-Mode",
                str,
                location=OpenApiParameter.HEADER,
                response=True,
                enum=["exact", "fuzzy"],
                description="Có khi tìm theo `q`: `exact` (chứa mọi từ) hoặc `fuzzy` (không có kết quả chính xác; "
                "kết quả gần đúng).",
            ),
            OpenApiParameter(
                "X-Search-Corrected",
                str,
                location=OpenApiParameter.HEADER,
                response=True,
                description="Có khi từ khóa có từ không tồn tại và đã được sửa: các từ đã tìm thay vào (không dấu, "
                "mã hóa phần trăm), ví dụ `khen thuong` cho `q=khen thuog`.",
            ),
            OpenApiParameter("owner", str, description="Mã cơ quan; gồm cả các đơn vị trực thuộc."),
            OpenApiParameter("kind", str, enum=Kind.values, description="internal: nhóm A, B; ordinary: nhóm O"),
            OpenApiParameter("group", str, enum=Group.values),
            OpenApiParameter("field", str, description="Mã hoặc tên lĩnh vực."),
            OpenApiParameter("level", str, enum=["central", "province", "district", "commune"]),
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATE,
                description="Ngày xem (YYYY-MM-DD, không sau hôm nay): các thủ tục có hiệu lực vào ngày đó (tìm `q` "
                "theo đúng các từ, không sửa lỗi gõ).",
            ),
        ],
    ),
    retrieve=extend_schema(
        summary="Toàn bộ nội dung một thủ tục đang có hiệu lực (công khai), hoặc có hiệu lực vào một ngày đã qua",
        parameters=[
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATE,
                description="Ngày xem (YYYY-MM-DD, không sau hôm nay): phiên bản có hiệu lực vào ngày đó.",
            )
        ],
    ),
)
class PublicProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    """Procedures in force: list (search and filters) and one procedure by its code, with every component."""

    permission_classes = [AllowAny]
    authentication_classes = []
    filter_backends = []
    pagination_class = OnePassPagination
    lookup_field = "code"
    lookup_url_kwarg = "code"
    lookup_value_regex = "[^/]+"

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if self.search_stage:
            response["X-Search-Mode"] = self.search_stage.mode  # "fuzzy": no exact match, approximate results
            if (
                self.search_stage.corrected
            ):  # the words searched instead (folded; percent-encoded, as headers are ASCII)
                response["X-Search-Corrected"] = quote(self.search_stage.corrected, safe=" ")
        return response

    def get_serializer_class(self):
        return PublicProcedureSerializer if self.action == "retrieve" else PublicProcedureSummarySerializer

    def get_queryset(self):
        """Retrieve: the version in force with every component. List: the search entries of the versions in force
        (filtered, searched, ordered); the paginator reads its page's versions from `page_rows`."""
        if self.action == "retrieve":
            as_of = self.as_of()
            versions = public_versions(as_of)
            decisions = Prefetch(
                "decision_items", queryset=DecisionItem.objects.select_related("decision__issuer").order_by("pk")
            )
            return versions.select_related("procedure__owner", "field").with_components().prefetch_related(decisions)
        params = self.request.query_params
        as_of = self.as_of()
        if as_of is not None and as_of < today():  # the search entries copy only today's versions
            filters = {name: params.get(name, "") for name in ("owner", "field", "group", "level")}
            return versions_on(as_of, params.get("q", ""), **filters).order_by("procedure__code", "pk")
        entries = filter_entries(
            public_entries(),
            owner=params.get("owner", ""),
            field=params.get("field", ""),
            group=params.get("group", ""),
            level=params.get("level", ""),
            kind=params.get("kind", ""),
        )
        if params.get("q", "").strip():
            self.search_stage = search_stage(entries, params["q"])
            return self.search_stage.entries
        return entries.order_by("version__procedure__code")

    page_rows = PAGE_ROWS
    search_stage = None

    def as_of(self) -> date | None:
        """The day asked for (`as_of`), refused in Vietnamese when it is not a date or is still to come."""
        text = self.request.query_params.get("as_of", "").strip()
        if not text:
            return None
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValidationError({"as_of": ["Ngày xem không hợp lệ; ghi dạng YYYY-MM-DD."]}) from None
        if day > today():
            raise ValidationError({"as_of": ["Không xem được ngày trong tương lai."]})
        return day

    def get_object(self):
        return get_object_or_404(self.get_queryset(), procedure__code=self.kwargs["code"])
