from django.core.exceptions import ValidationError as DjangoValidationError

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tinhgon.api.base import as_drf_error
from tinhgon.audit.models import AuditLogEntry
from tinhgon.audit.services import log_access_denied
from tinhgon.audit.transitions import TransitionRefused
from tinhgon.core.locking import Stale


def exception_handler(exc, context):
    """DRF's handler, plus the domain's refusals in the same shape everywhere (never a 500):
    - a save from an older copy (`Stale`): 409 with the stored row_version and what was changed since;
    - a transition from a state it does not start from (a double submit): 409;
    - any other model validation error: 400 with per-field messages."""
    log_access_denied(context["request"], exc)  # a 403 is in the audit trail; other errors are not logged
    if isinstance(exc, Stale):
        return Response(stale_body(exc), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, TransitionRefused):
        return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = as_drf_error(exc)
    return drf_exception_handler(exc, context)


def stale_body(exc: Stale) -> dict:
    entries = AuditLogEntry.objects.since_version(exc.instance, exc.started_from).select_related("actor")
    return {
        "detail": exc.messages[0],
        "row_version": exc.stored,
        "changes": [
            {
                "at": entry.created_at,
                "by": entry.actor.get_full_name() if entry.actor else entry.actor_repr,
                "action": entry.action,
                "fields": sorted(entry.changes),
            }
            for entry in entries[:20]
        ],
    }
