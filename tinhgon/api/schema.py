"""The refusals every operation can answer, written into the OpenAPI schema once (a drf-spectacular postprocessing
hook) instead of on each view: a client, and schemathesis, then find every status code the API sends documented,
with the body it carries."""

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
