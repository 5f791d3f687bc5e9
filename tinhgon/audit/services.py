from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from rest_framework.exceptions import PermissionDenied as APIPermissionDenied

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


def log_event(action: str, *, about=None, changes: dict | None = None) -> AuditLogEntry:
    """Append an entry about something that happened rather than a change of a record: a refused login or request,
    a sign-out, an API key issued. `about` is the record it concerns (usually a user); without one (a login with an
    unknown username, an anonymous request) the entry names no object. Details go in `changes` as [None, value]."""
    if about is not None:
        return log_action(about, verb="", action=action, changes=changes)
    actor = current_actor()
    entry = AuditLogEntry(
        actor_id=actor.user.pk if actor.user else None,
        actor_repr=actor.user.get_username() if actor.user else "hệ thống",
        organisation_id=actor.organisation.pk if actor.organisation else None,
        action=action,
        changes=changes or {},
        ip_address=actor.ip,
    )
    entry.save(force_insert=True)
    return entry


def log_access_denied(request, exc: Exception | None = None) -> AuditLogEntry | None:
    """A refused request (403): about the user who made it, with its method and path. Given the exception an error
    handler is answering, only a permission denial (Django's or DRF's) is logged."""
    if exc is not None and not isinstance(exc, PermissionDenied | APIPermissionDenied):
        return None
    user = getattr(request, "user", None)
    return log_event(
        "accounts.access.denied",
        about=user if user is not None and user.is_authenticated else None,
        changes={"method": [None, request.method], "path": [None, request.path[:500]]},
    )


def _default_code(obj, verb: str) -> str:
    if hasattr(obj, "audit_code"):
        return obj.audit_code(verb)
    return f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}"
