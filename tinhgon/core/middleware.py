"""The first validation layer: what no page or endpoint ever accepts is refused before any view runs, with a 400
and a Vietnamese message (JSON under /api/), never a 500 further down.

- NUL characters anywhere (path, query string, form fields, JSON bodies): PostgreSQL cannot store them and an
  error would come from the database;
- query values longer than MAX_QUERY_VALUE characters (no filter needs them; a search is a few words).
Field-level rules (ranges, dates, choices) stay with the forms, FilterSets and serializers."""

from django.http import JsonResponse
from django.shortcuts import render

MAX_QUERY_VALUE = 1000
NUL_MESSAGE = "Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL). Hãy kiểm tra lại nội dung đã nhập hoặc sao chép."
LONG_MESSAGE = f"Tham số tìm kiếm, lọc quá dài (tối đa {MAX_QUERY_VALUE} ký tự)."
JSON_TYPES = ("application/json", "application/merge-patch+json")


class RefuseHostileInput:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem:
            return bad_request(request, problem)
        return self.get_response(request)

    def problem(self, request) -> str | None:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return NUL_MESSAGE
        for values in request.GET.lists():
            if any("\x00" in value for value in [values[0], *values[1]]):
                return NUL_MESSAGE
            if any(len(value) > MAX_QUERY_VALUE for value in values[1]):
                return LONG_MESSAGE
        if request.method in ("POST", "PUT", "PATCH") and self.body_has_nul(request):
            return NUL_MESSAGE
        return None

    @staticmethod
    def body_has_nul(request) -> bool:
        if request.content_type in JSON_TYPES:
            body = request.body  # bounded by DATA_UPLOAD_MAX_MEMORY_SIZE
            return b"\x00" in body or b"\\u0000" in body.lower()
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return any("\x00" in value for _, values in request.POST.lists() for value in values)
        return False


def bad_request(request, message: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "core/bad_request.html", {"message": message}, status=400)
