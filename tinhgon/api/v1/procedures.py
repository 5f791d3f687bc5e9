import functools

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from tinhgon.api.base import CONFLICT, PolicyMixin, as_drf_error
from tinhgon.api.pagination import OnePassPagination
from tinhgon.api.v1.originals import OriginalSerializer, original_action, original_data
from tinhgon.core.files import download
from tinhgon.core.locking import refuse_stale
from tinhgon.organisations.models import Organisation
from tinhgon.procedures import processing_time
from tinhgon.procedures.constants import Change, Channel, TimeUnit
from tinhgon.procedures.filters import RegistryFilter
from tinhgon.procedures.models import DecisionItem, Field, Procedure, ProcedureVersion, PublicationDecision
from tinhgon.procedures.services import (
    ITEM_CLAUSES,
    STALE_PROCEDURE,
    VERSION_FIELDS,
    Components,
    decision_add_item,
    decision_issue,
    procedure_create,
    version_start_next,
    version_update,
)


@extend_schema_field(OpenApiTypes.STR)
class FieldRef(serializers.Field):
    """A field (lĩnh vực) given by its code or its name."""

    def to_representation(self, value):
        return value.name

    def to_internal_value(self, data):
        found = Field.objects.resolve(str(data))  # code, name, or a name it had before a rename or merge
        if found is None:
            raise serializers.ValidationError(f"Không có lĩnh vực “{data}”.")
        return found


class StepSerializer(serializers.Serializer):
    order = serializers.IntegerField(required=False, min_value=1)
    actor = serializers.CharField(allow_blank=True, required=False, default="")
    action = serializers.CharField()
    duration = serializers.CharField(allow_blank=True, required=False, default="")


class DossierItemSerializer(serializers.Serializer):
    name = serializers.CharField()
    originals = serializers.IntegerField(min_value=0, max_value=99, default=1)
    copies = serializers.IntegerField(min_value=0, max_value=99, default=0)
    certified_copies = serializers.IntegerField(min_value=0, max_value=99, default=0)
    obtainable_from_data = serializers.BooleanField(default=False)


class LegalBasisSerializer(serializers.Serializer):
    number = serializers.CharField()
    date = serializers.DateField(required=False, allow_null=True, default=None)
    issuer = serializers.CharField(allow_blank=True, required=False, default="")
    title = serializers.CharField(allow_blank=True, required=False, default="")
    article = serializers.CharField(allow_blank=True, required=False, default="")


class ProcessingTimeVariantSerializer(serializers.Serializer):
    condition = serializers.CharField(max_length=300)
    min = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0, allow_null=True, default=None)
    max = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0, max_value=3650)
    unit = serializers.ChoiceField(choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS)


class ProcessingTimeSerializer(serializers.Serializer):
    """The time limit as the decision words it (`text`) and its structured part: the main case's maximum (`value`)
    or range (`min` to `value`) in `unit`, and the other cases. Send the text alone and the structured part is read
    from it; send `value` and the structured part is taken as given (the text, if absent, is worded from it)."""

    text = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    min = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0, allow_null=True, default=None)
    value = serializers.DecimalField(
        max_digits=6, decimal_places=1, min_value=0, max_value=3650, allow_null=True, default=None
    )
    unit = serializers.ChoiceField(choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS)
    variants = ProcessingTimeVariantSerializer(many=True, required=False, default=list)
    understood = serializers.BooleanField(read_only=True, help_text="Whether the structured part is filled.")

    def validate(self, data):
        errors = processing_time.problems(data["min"], data["value"], [_variant(v) for v in data["variants"]])
        if errors:
            raise serializers.ValidationError(
                {key.removeprefix("processing_time_"): message for key, message in errors.items()}
            )
        return data

    def columns(self, data: dict) -> dict:
        if data["value"] is None:
            return processing_time.fields_for(data["text"])
        return {
            "processing_time_text": data["text"].strip(),
            "processing_time_min": data["min"],
            "processing_time_value": data["value"],
            "processing_time_unit": data["unit"],
            "processing_time_variants": [_variant(v) for v in data["variants"]],
        }

    @staticmethod
    def of(version) -> dict:
        def number(value):
            return None if value is None else str(value)

        return {
            "text": version.processing_time_display(),
            "min": number(version.processing_time_min),
            "value": number(version.processing_time_value),
            "unit": version.processing_time_unit,
            "variants": version.processing_time_variants,
            "understood": version.processing_time_value is not None,
        }


def _variant(data: dict) -> dict:
    low = data.get("min")
    return {
        "condition": data["condition"].strip(),
        "min": None if low is None else str(low),
        "max": str(data["max"]),
        "unit": data["unit"],
    }


@functools.cache
def field_names(serializer_class) -> tuple[str, ...]:
    """The names of a serializer's fields, worked out once: an instance deep-copies its declared fields, and the
    list made one for each dossier item and legal basis of its 50 procedures (a third of its time)."""
    return tuple(serializer_class().fields)


TEXTS = ["performers", "authority", "performing_body", "coordinating_bodies", "result", "fees", "conditions"]


class ProcedureSerializer(serializers.Serializer):
    """A procedure as its latest version (the one being worked on, or the last published one)."""

    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(required=False, allow_blank=True, max_length=60)
    national_code = serializers.CharField(required=False, allow_blank=True, max_length=60)
    owner = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    inventoried_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Ngày thống kê thủ tục (YYYY-MM-DD), bỏ trống là hôm nay; chỉ đặt khi tạo thủ tục",
    )
    name = serializers.CharField(max_length=500)
    group = serializers.ChoiceField(choices=[("A", "A"), ("B", "B")])
    level = serializers.ChoiceField(choices=ProcedureVersion._meta.get_field("level").choices)
    field = FieldRef()
    steps = StepSerializer(many=True, required=False)
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices), required=False)
    dossier_items = DossierItemSerializer(many=True, required=False)
    dossier_sets = serializers.IntegerField(min_value=0, max_value=99, required=False, default=1)
    processing_time = ProcessingTimeSerializer(required=False)
    legal_bases = LegalBasisSerializer(many=True, required=False)
    executions_per_year = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    subjects_per_year = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    status = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    row_version = serializers.IntegerField(required=False, help_text="Gửi kèm khi sửa để không ghi đè thay đổi khác.")

    def get_fields(self):
        fields = super().get_fields()
        for name in TEXTS:
            fields[name] = serializers.CharField(required=False, allow_blank=True, default="")
        return fields

    def to_representation(self, procedure):
        version = procedure.latest if hasattr(procedure, "latest") else procedure.latest_version()
        data = Components.of(version)
        return {
            "id": procedure.pk,
            "code": procedure.code,
            "national_code": procedure.national_code,
            "owner": procedure.owner.code,
            "inventoried_on": procedure.inventoried_on.isoformat(),
            **{k: data.fields[k] for k in ["name", "group", "level", "channels"]},
            "field": version.field.name,
            "levels": [{"level": row.level, "body": row.body} for row in version.level_rows()],
            "steps": [{k: s[k] for k in ("order", "actor", "action", "duration")} for s in data.steps],
            "dossier_items": [{k: d[k] for k in field_names(DossierItemSerializer)} for d in data.dossier_items],
            "dossier_sets": version.dossier_sets,
            "processing_time": ProcessingTimeSerializer.of(version),
            **{name: getattr(version, name) for name in TEXTS},
            "legal_bases": [
                {k: (b[k].isoformat() if k == "date" and b[k] else b[k]) for k in field_names(LegalBasisSerializer)}
                for b in data.legal_bases
            ],
            "executions_per_year": version.executions_per_year,
            "subjects_per_year": version.subjects_per_year,
            "status": version.status,
            "version": version.number,
            "row_version": version.row_version,
        }

    def components(self, base: Components | None = None) -> Components:
        """Components from the validated data, on top of `base` for a partial update."""
        data = self.validated_data
        fields = dict(base.fields) if base else {}
        for name in VERSION_FIELDS:
            if name in data:
                fields[name] = data[name]
        if "processing_time" in data:
            fields.update(ProcessingTimeSerializer().columns(data["processing_time"]))
        parts = {
            name: (data[name] if name in data else (getattr(base, name) if base else []))
            for name in ("steps", "dossier_items", "legal_bases")
        }
        parts["steps"] = [{k: v for k, v in s.items() if k != "order"} for s in parts["steps"]]
        return Components(fields={**_defaults(), **fields}, **parts)


def _defaults() -> dict:
    return {
        "channels": [],
        "dossier_sets": 1,
        **processing_time.fields_for(""),
        **dict.fromkeys(TEXTS, ""),
        "executions_per_year": None,
        "subjects_per_year": None,
    }


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField()


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureVersion
        fields = ["number", "status", "name", "effective_from", "effective_to", "created_at"]


class LatestVersionFilter(DjangoFilterBackend):
    """The registry's FilterSet (over versions) for a list of procedures: the procedures whose latest version
    matches. A bad value is a 400 naming the parameter; the OpenAPI parameters come from the FilterSet."""

    def get_filterset_class(self, view, queryset=None):
        return view.filterset_class

    def filter_queryset(self, request, queryset, view):
        filters = view.filterset_class(request.query_params, queryset=view.registry(), request=request)
        if not filters.is_valid():
            raise serializers.ValidationError(filters.errors)
        if not any(value not in (None, "") for value in filters.form.cleaned_data.values()):
            return queryset
        # The procedures of the filtered registry, in place of the view's (the same rule, unfiltered): ANDed, the
        # latest versions were worked out twice, 230 ms for the nation.
        return view.procedures_of(filters.qs)


class ProcedureViewSet(
    PolicyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ProcedureSerializer
    queryset = Procedure.objects.none()
    filterset_class = RegistryFilter
    filter_backends = [LatestVersionFilter]
    action_rules = {"list": "procedures.view", "create": "procedures.edit"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    @property
    def paginator(self):
        """For a user who sees a few units, the page's codes sorted in one pass with the count, then its procedures
        read by id: walking the code index until 50 rows passed the rule, PostgreSQL read the 28,000 procedures of
        the provinces coded before it for one province (75 ms). For a whole tree that walk is the right plan (every
        row passes) and sorting the nation's 80,000 codes is not (147 → 202 ms)."""
        if not hasattr(self, "_paginator"):
            few = not self.policy.sees_whole_tree("procedures.view")
            self._paginator = OnePassPagination() if few else PageNumberPagination()
        return self._paginator

    def registry(self):
        """The latest version of each procedure the user may see: the one rule of this endpoint's procedures."""
        return ProcedureVersion.objects.registry(self.policy)

    def procedures_of(self, versions):
        """The procedures of `versions` (the registry, or a part of it), for the list and each object."""
        return Procedure.objects.filter(pk__in=versions.values("procedure_id")).select_related("owner").order_by("code")

    def get_queryset(self):
        return self.procedures_of(self.registry())

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        _attach_latest(page if page is not None else queryset)
        return page

    def get_object(self, action: str | None = None):
        procedure = super().get_object(action)
        _attach_latest([procedure])
        return procedure

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        owner = serializer.validated_data["owner"]
        self.require("procedures.edit", owner)
        try:
            procedure = procedure_create(
                owner=owner,
                components=serializer.components(),
                code=serializer.validated_data.get("code", ""),
                national_code=serializer.validated_data.get("national_code", ""),
                inventoried_on=serializer.validated_data.get("inventoried_on"),
                by=request.user,
            )
        except DjangoValidationError as error:
            raise as_drf_error(error) from error
        _attach_latest([procedure])
        return Response(ProcedureSerializer(procedure).data, status=status.HTTP_201_CREATED)

    @transaction.atomic
    def partial_update(self, request, *args, **kwargs):
        """Edit the draft, or start the next version's draft from the published one. The body must say which
        version it was based on (`row_version` of the latest version, or If-Match)."""
        procedure = self.get_object("procedures.edit")
        started_from = self.started_from()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "owner" in serializer.validated_data and serializer.validated_data["owner"] != procedure.owner:
            raise serializers.ValidationError({"owner": "Không đổi cơ quan quản lý qua API sửa thủ tục."})
        refuse_stale(procedure.latest, started_from, STALE_PROCEDURE)
        version = version_start_next(procedure=procedure, by=request.user)
        version_update(version=version, components=serializer.components(Components.of(version)))
        _attach_latest([procedure])
        return Response(ProcedureSerializer(procedure).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def _transition(self, name: str, body=None):
        """Move the latest version (409 when it is no longer in a state the move starts from). The permission is
        checked before the body is read: who may not act learns nothing from a validation error."""
        procedure = self.get_object()
        rule = ProcedureVersion.transitions()[name].permission
        if not procedure.permits(self.policy, rule):
            raise PermissionDenied()
        args = []
        if body is not None:
            body.is_valid(raise_exception=True)
            args = list(body.validated_data.values())
        procedure.latest.perform(name, self.policy, *args)
        _attach_latest([procedure])
        return Response(ProcedureSerializer(procedure).data)

    @extend_schema(request=None, responses={200: ProcedureSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition("submit")

    @extend_schema(request=None, responses={200: ProcedureSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        return self._transition("control")

    @extend_schema(request=CommentSerializer, responses={200: ProcedureSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._transition("send_back", CommentSerializer(data=request.data))

    @extend_schema(responses=VersionSummarySerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)  # a short list, as it is
    def versions(self, request, pk=None):
        procedure = self.get_object()
        return Response(VersionSummarySerializer(procedure.versions.order_by("number"), many=True).data)


def _attach_latest(procedures) -> None:
    """Load the latest version of each procedure, with its parts, in a fixed number of queries."""
    ids = [p.pk for p in procedures]
    latest = ProcedureVersion.objects.latest().filter(procedure_id__in=ids).with_components()
    by_procedure = {v.procedure_id: v for v in latest}
    for procedure in procedures:
        procedure.latest = by_procedure[procedure.pk]


class DecisionItemSerializer(serializers.Serializer):
    procedure = serializers.PrimaryKeyRelatedField(queryset=Procedure.objects.all())
    change = serializers.ChoiceField(choices=Change.choices)
    replaces = serializers.PrimaryKeyRelatedField(queryset=Procedure.objects.all(), required=False, allow_null=True)
    legal_ground = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="Ví dụ: bị bãi bỏ tại Nghị định số …"
    )
    annex_part = serializers.CharField(max_length=10, required=False, allow_blank=True, help_text="Phần: I, II…")
    annex_section = serializers.CharField(max_length=20, required=False, allow_blank=True, help_text="Mục: A, B…")
    annex_number = serializers.IntegerField(min_value=1, max_value=32767, required=False, allow_null=True)
    transition_note = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Khi bãi bỏ: “tiếp tục thực hiện đến khi …”",
    )
    transition_until = serializers.DateField(
        required=False, allow_null=True, help_text="Khi bãi bỏ: tiếp tục thực hiện đến hết ngày này"
    )


class DecisionSerializer(serializers.ModelSerializer):
    issuer = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    proposer = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text="Mã cơ quan trình; để trống là cơ quan quản lý các thủ tục (hoặc đầu mối kiểm soát TTHC)",
    )
    proposal_clause = serializers.CharField(read_only=True, help_text="“Theo đề nghị của … tại Tờ trình số …”")
    items = DecisionItemSerializer(many=True, required=False, write_only=True)
    item_list = serializers.SerializerMethodField()
    original = serializers.SerializerMethodField(help_text="Bản gốc đã ký (khi đã đính kèm)")

    class Meta:
        model = PublicationDecision
        fields = [
            "id",
            "number",
            "title",
            "signed_on",
            "signer",
            "signer_title",
            "issuer",
            "effective_on",
            "legal_bases",
            "proposal",
            "proposer",
            "proposal_clause",
            "status",
            "items",
            "item_list",
            "original",
        ]
        read_only_fields = ["status"]

    def validate(self, data):
        """A decision sent without a signer title is signed under the head of its issuer's kind of unit."""
        issuer = data.get("issuer")
        if issuer and not (data.get("signer_title") or "").strip():
            data["signer_title"] = issuer.signer_titles()[0]
        elif issuer and issuer.signer_title_problem(data["signer_title"]):  # never another kind's title (issue 12)
            raise serializers.ValidationError({"signer_title": [issuer.signer_title_problem(data["signer_title"])]})
        return data

    @extend_schema_field(OriginalSerializer(allow_null=True))
    def get_original(self, decision):
        return original_data(decision, "decision-original")

    def get_item_list(self, decision) -> list[dict]:
        return [
            {
                "procedure": i.version.procedure_id,
                "code": i.version.procedure.code,
                "name": i.version.name,
                "version": i.version.number,
                "change": i.change,
                "replaces": i.replaces_id,
                **{name: getattr(i, name) for name in ITEM_CLAUSES},
            }
            for i in decision.items.all()
        ]


class DecisionViewSet(
    PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = DecisionSerializer
    queryset = PublicationDecision.objects.none()
    action_rules = {"list": "procedures.view", "create": "decisions.manage"}

    def get_queryset(self):
        items = DecisionItem.objects.visible_to(self.policy).select_related("version__procedure")
        return (
            PublicationDecision.objects.visible_to(self.policy)
            .select_related("issuer")
            .prefetch_related(Prefetch("items", queryset=items))
            .order_by("-effective_on", "-id")
        )

    @transaction.atomic
    def perform_create(self, serializer):
        issuer = serializer.validated_data["issuer"]
        self.require("decisions.manage", issuer)
        items = serializer.validated_data.pop("items", [])
        decision = serializer.save()
        try:
            for item in items:
                procedure = item["procedure"]
                if not procedure.permits(self.policy, "procedures.view"):
                    raise NotFound(f"Không tìm thấy thủ tục {procedure.pk}.")
                version = (
                    procedure.published_version() if item["change"] == Change.ABOLISHED else procedure.latest_version()
                )
                decision_add_item(
                    decision=decision,
                    version=version or procedure.latest_version(),
                    change=item["change"],
                    replaces=item.get("replaces"),
                    **{name: item[name] for name in ITEM_CLAUSES if name in item},
                )
        except DjangoValidationError as error:
            raise serializers.ValidationError({"items": error.messages}) from error

    @extend_schema(request=None, responses={200: DecisionSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        decision_issue(decision=self.get_object("decisions.manage"))
        return Response(DecisionSerializer(self.get_object()).data)

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"): bytes})
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        from tinhgon.procedures import documents

        decision = self.get_object("decisions.read")  # a draft: only whoever may read every procedure in it
        return download(documents.decision_docx(decision), documents.decision_file_title(decision), "docx")

    original = original_action(DecisionSerializer, lambda decision: f"Quyết định {decision.number}")
