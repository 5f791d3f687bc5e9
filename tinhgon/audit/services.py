from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType

from tinhgon.audit.context import Actor, current_action, current_actor
from tinhgon.audit.models import AuditedModel, AuditLogEntry


def log_action(obj, *, verb: str, changes: dict | None = None, action: str | None = None) -> AuditLogEntry:
    """Append one entry about `obj`. The action code is, in order: the explicit `action`, the code of the
    enclosing `audit.context.action()` block, or `<app>.<object>.<verb>`."""
    code = action or current_action() or _default_code(obj, verb)
    entry = _entry(obj, current_actor(), code, ContentType.objects.get_for_model(obj), changes)
    entry.save(force_insert=True)
    return entry


def log_created(objs: Sequence[AuditedModel]) -> list[AuditLogEntry]:
    """For rows inserted with bulk_create, which sends no signals: the entry that saving each object would have
    written (audit/signals.py: `<app>.<object>.created`, or the code of the enclosing action block, with every
    non-empty value as [None, value]), one per object, in the order given, inserted in bulk. Each object is then
    snapshotted as after a save, so that its next save() logs only what changed."""
    actor, action = current_actor(), current_action()
    types = {type(obj): ContentType.objects.get_for_model(obj) for obj in objs}
    entries = [
        _entry(obj, actor, action or obj.audit_code("created"), types[type(obj)], obj.audit_changes(created=True))
        for obj in objs
    ]
    AuditLogEntry.objects.bulk_create(entries)
    for obj in objs:
        obj._audit_snapshot = obj.audit_values()
    return entries


def _entry(obj, actor: Actor, action: str, content_type: ContentType, changes: dict | None) -> AuditLogEntry:
    scope = obj.audit_scope_organisation_id() if hasattr(obj, "audit_scope_organisation_id") else None
    return AuditLogEntry(
        actor_id=actor.user.pk if actor.user else None,
        actor_repr=actor.user.get_username() if actor.user else "hệ thống",
        organisation_id=actor.organisation.pk if actor.organisation else None,
        action=action,
        content_type_id=content_type.pk,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        scope_organisation_id=scope,
        changes=changes or {},
        object_version=getattr(obj, "row_version", None),
        ip_address=actor.ip,
    )


def _default_code(obj, verb: str) -> str:
    if hasattr(obj, "audit_code"):
        return obj.audit_code(verb)
    return f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}"
