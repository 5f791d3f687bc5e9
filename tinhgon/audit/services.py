from django.contrib.contenttypes.models import ContentType

from tinhgon.audit.context import current_action, current_actor
from tinhgon.audit.models import AuditLogEntry


def log_action(obj, *, verb: str, changes: dict | None = None, action: str | None = None) -> AuditLogEntry:
    """Append one entry about `obj`. The action code is, in order: the explicit `action`, the code of the
    enclosing `audit.context.action()` block, or `<app>.<object>.<verb>`."""
    actor = current_actor()
    code = action or current_action() or _default_code(obj, verb)
    scope = obj.audit_scope_organisation_id() if hasattr(obj, "audit_scope_organisation_id") else None
    return AuditLogEntry.objects.create(
        actor=actor.user,
        actor_repr=actor.user.get_username() if actor.user else "hệ thống",
        organisation=actor.organisation,
        action=code,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        scope_organisation_id=scope,
        changes=changes or {},
        ip_address=actor.ip,
    )


def _default_code(obj, verb: str) -> str:
    if hasattr(obj, "audit_code"):
        return obj.audit_code(verb)
    return f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}"
