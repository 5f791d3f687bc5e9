"""The audit trail in its readers' words: an action code ("procedures.version.checked") as a Vietnamese phrase
("Kiểm soát phiên bản thủ tục"), a changed field by its label, a foreign key by the name of what it points to, a
choice by its label, a date as dd/mm/yyyy. The stored entries keep codes and raw values (append-only, stable);
only their display is translated, for a page of entries at once (one query per kind of object they name)."""

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst

from tinhgon.core import formatting

# What an entry's verb means; a transition's own label is used for the verbs not listed (audit.transitions).
VERBS = {
    "created": "tạo",
    "updated": "sửa",
    "deleted": "xóa",
    "drafted": "soạn dự thảo",
    "submitted": "trình",
    "checked": "kiểm soát",
    "returned": "trả lại",
    "scheduled": "công bố (chờ hiệu lực)",
    "published": "áp dụng",
    "amended": "sửa đổi, bổ sung",
    "replaced": "thay thế",
    "abolished": "bãi bỏ",
    "issued": "ban hành",
    "original_attached": "đính kèm bản gốc đã ký của",
    "original_replaced": "thay bản gốc đã ký của",
    "applied": "áp dụng",
    "merged": "hợp nhất",
    "moved": "chuyển đơn vị cấp trên của",
    "reassigned": "chuyển giao",
    "reported": "báo cáo tiến độ",
    "requested": "đề nghị gia hạn",
    "extended": "gia hạn",
    "approved": "phê duyệt",
    "refused": "không đồng ý",
    "entered": "nhập",
    "computed": "tính",
    "scored": "chấm điểm",
    "answered": "trả lời",
    "assessed": "đánh giá độc lập",
    "added_to_approval": "đưa vào dự thảo phê duyệt",
    "implemented": "thực thi",
    "started": "bắt đầu thực hiện",
    "completed": "hoàn thành",
    "accepted": "chấp nhận",
    "dismissed": "bỏ qua",
    "refreshed": "cập nhật số liệu",
    "logged_in": "đăng nhập",
    "logged_out": "đăng xuất",
    "login_failed": "đăng nhập không thành công",
    "revoked": "thu hồi",
    "denied": "từ chối",
    "confirmed": "xác nhận nhập",
}
# Objects of security events that are not models.
OBJECTS = {
    "accounts.access": "truy cập",
    "accounts.token": "khóa API",
    "accounts.password": "mật khẩu",
    "procedures.import": "tệp Excel danh mục thủ tục",  # core.imports: an import confirmed (audit/signals.py)
    "plans.task_import": "tệp Excel bảng nhiệm vụ",
    "plans.document_import": "văn bản kế hoạch (nhiệm vụ nhập từ văn bản)",
}
YES_NO = {True: "Có", False: "Không"}


def object_names() -> dict[str, tuple[str, dict[str, str]]]:
    """Each audited model's code ("<app>.<audit name>") -> (its verbose name, its transitions' labels by verb)."""
    from tinhgon.audit.models import AuditedModel
    from tinhgon.audit.transitions import Transitions

    names = {code: (name, {}) for code, name in OBJECTS.items()}
    for model in apps.get_models():
        if issubclass(model, AuditedModel):
            moves = {t.verb: t.label for t in model.transitions().values()} if issubclass(model, Transitions) else {}
            names[model.audit_code("x")[:-2]] = (str(model._meta.verbose_name), moves)
    return names


def action_label(code: str, names: dict) -> str:
    """An action code as a phrase: procedures.version.checked -> "Kiểm soát phiên bản thủ tục", with a
    transition's own label first (a report is "gửi", not "trình"); an unknown code is shown as it is."""
    subject, _, verb = code.rpartition(".")
    if subject not in names:
        return code
    name, moves = names[subject]
    return capfirst(f"{moves.get(verb) or VERBS.get(verb, verb.replace('_', ' '))} {name}")


def describe(entries) -> list:
    """Give each entry `action_label` and `display_rows` [(field label, old, new)], in a fixed number of queries."""
    entries = list(entries)
    names = object_names()
    fields = {}  # (model, attname) -> field
    wanted = defaultdict(set)  # related model -> ids
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        for attname, values in (entry.changes or {}).items():
            field = field_of(model, attname, fields)
            if isinstance(field, models.ForeignKey):
                wanted[field.related_model].update(v for v in values if v is not None)
    found = {model: model._base_manager.in_bulk(list(ids)) for model, ids in wanted.items()}
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        entry.action_label = action_label(entry.action, names)
        entry.display_rows = [
            row(field_of(model, attname, fields), attname, values, found)
            for attname, values in (entry.changes or {}).items()
        ]
    return entries


def field_of(model, attname: str, cache: dict):
    if model is None:
        return None
    key = (model, attname)
    if key not in cache:
        cache[key] = next((f for f in model._meta.concrete_fields if f.attname == attname), None)
    return cache[key]


def row(field, attname: str, values, found) -> tuple[str, str, str]:
    label = capfirst(str(field.verbose_name)) if field is not None else attname
    old, new = (list(values) + [None, None])[:2]
    return label, shown(field, old, found), shown(field, new, found)


def shown(field, value, found) -> str:
    """A stored value as the reader knows it."""
    if value is None or value in ("", [], {}):
        return "—"
    if field is None:
        return str(value)
    if isinstance(field, models.ForeignKey):
        obj = found.get(field.related_model, {}).get(value)
        if obj is None:
            return f"#{value} (đã xóa)"
        full_name = getattr(obj, "get_full_name", None)
        return (full_name() if full_name else "") or str(obj)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return YES_NO[value]
    if isinstance(field, models.DecimalField):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return formatting.number(number)
    if isinstance(field, models.JSONField):
        return f"{len(value)} mục" if isinstance(value, list | dict) else "đã cập nhật"
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            return f"{timezone.localtime(datetime.fromisoformat(value.replace('Z', '+00:00'))):%d/%m/%Y %H:%M}"
        except ValueError:
            return value
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            return f"{date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    text = str(value)
    return text if len(text) <= 300 else f"{text[:300]}…"
