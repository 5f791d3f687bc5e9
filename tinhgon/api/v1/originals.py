"""The signed original of a decision or report in the API (audit/originals.py): what its serializer shows, and the
`original` action of its viewset (GET reads the PDF, POST attaches or replaces it as multipart `file`)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from tinhgon.audit.originals import STATE_LABELS, attach_original, serve_original


class SignatureSerializer(serializers.Serializer):
    signer = serializers.CharField(help_text="Người ký: tên chung (CN) trong chứng thư")
    organisation = serializers.CharField(help_text="Tổ chức (O) trong chứng thư")
    signed_at = serializers.DateTimeField(allow_null=True, help_text="Thời điểm ký do phần mềm ký ghi")
    state = serializers.ChoiceField(
        choices=list(STATE_LABELS),
        help_text="intact: nguyên vẹn từ khi ký (chuỗi chứng thư chưa xác thực được); altered: đã bị thay đổi sau "
        "khi ký; unreadable: không đọc được chữ ký",
    )
    state_label = serializers.CharField()


class OriginalSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Địa chỉ tải bản gốc đã ký (PDF)")
    sha256 = serializers.CharField(help_text="Mã băm SHA-256 của tệp")
    attached_at = serializers.DateTimeField()
    signatures = SignatureSerializer(many=True)


class OriginalUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Tệp PDF bản gốc đã ký (bản quét hoặc bản ký số)")


def original_data(record, url_name: str) -> dict | None:
    if not record.original:
        return None
    signatures = [
        {**s, "signed_at": s["signed_at"].isoformat() if s.get("signed_at") else None} for s in record.signatures()
    ]
    return {
        "url": reverse(url_name, args=[record.pk]),
        "sha256": record.original_sha256,
        "attached_at": record.original_attached_at.isoformat() if record.original_attached_at else None,
        "signatures": signatures,
    }


def original_action(serializer_class, title):
    """The viewset action `original`: GET the PDF (404 when none is attached), POST a new one (the record's
    `original_permission`; 400 with the reason in Vietnamese when refused). `title(record)` names the download."""

    @extend_schema(methods=["GET"], request=None, responses={(200, "application/pdf"): bytes})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": OriginalUploadSerializer},
        responses={200: serializer_class},
    )
    @action(detail=True, methods=["get", "post"])
    def original(self, request, pk=None):
        """The signed original (bản gốc đã ký) of an issued decision or a submitted report. GET: the PDF (404 while
        none is attached). POST (multipart `file`, the issuer's managers): attach or replace it; the file is checked
        by content (a PDF only, no JavaScript, within the size limit), its SHA-256 recorded and its digital
        signatures read; the answer is the record with `original`."""
        if request.method == "GET":
            record = self.get_object()
            if not record.original:
                raise NotFound("Văn bản chưa có bản gốc đã ký.")
            return serve_original(record, title(record))
        record = self.get_object(self.get_queryset().model.original_permission)
        body = OriginalUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            attach_original(record, body.validated_data["file"])
        except DjangoValidationError as error:
            raise serializers.ValidationError({"file": error.messages}) from error
        return Response(serializer_class(self.get_object(), context=self.get_serializer_context()).data)

    return original
