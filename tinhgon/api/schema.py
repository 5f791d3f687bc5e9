"""The refusals every operation can answer, written into the OpenAPI schema once (a drf-spectacular postprocessing
hook) instead of on each view: a client, and schemathesis, then find every status code the API sends documented,
with the body it carries. And the view that serves the schema, generated once per process."""

from django.utils import translation

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "Thông báo lỗi bằng tiếng Việt"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Lỗi theo từng trường: tên trường (hoặc non_field_errors) → danh sách thông báo",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {}},
            {"type": "string"},
            {"type": "object"},
        ]
    },
}
REFUSALS = {
    "400": ("Dữ liệu không hợp lệ (thông báo theo từng trường)", FIELD_ERRORS),
    "401": ("Chưa xác thực (thiếu hoặc sai khóa API)", ERROR),
    "403": ("Không có quyền thực hiện", ERROR),
    "404": ("Không tìm thấy (hoặc ngoài phạm vi được xem)", ERROR),
}
WRITE_REFUSALS = {
    "409": ("Xung đột: bản gửi lên dựa trên phiên bản cũ, hoặc trạng thái đã thay đổi", {"type": "object"}),
}
UPDATE_REFUSALS = {
    "428": ("Thiếu phiên bản đã đọc (row_version hoặc If-Match)", ERROR),
}


def document_refusals(result, generator, request, public):
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            refusals = dict(REFUSALS)
            if method in ("post", "put", "patch", "delete"):
                refusals.update(WRITE_REFUSALS)
            if method in ("put", "patch"):
                refusals.update(UPDATE_REFUSALS)
            if not operation.get("security") and path.startswith("/api/v1/public/"):
                refusals.pop("401")
                refusals.pop("403")
            for code, (description, schema) in refusals.items():
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": schema}}}
                )
    return result


_generated: dict = {}  # (urlconf, version, language) -> the schema, for the life of the process


class OncePerProcessGenerator(SchemaGenerator):
    """Generates the public schema once per process for each version and language: it depends only on the code
    (SERVE_PUBLIC: no view is left out for the reader), and generating it took 0.3–0.5 s of each request."""

    def get_schema(self, request=None, public=False):
        if not public:
            return super().get_schema(request=request, public=public)
        key = (str(self.urlconf), self.api_version, translation.get_language())
        if key not in _generated:
            _generated[key] = super().get_schema(request=request, public=public)
        return _generated[key]


class SchemaView(SpectacularAPIView):
    generator_class = OncePerProcessGenerator
