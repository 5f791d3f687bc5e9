from django.core.exceptions import ValidationError as DjangoValidationError

from rest_framework.views import exception_handler as drf_exception_handler

from tinhgon.api.base import as_drf_error


def exception_handler(exc, context):
    """DRF's handler, plus model validation errors turned into the same per-field JSON (never a 500)."""
    if isinstance(exc, DjangoValidationError):
        exc = as_drf_error(exc)
    return drf_exception_handler(exc, context)
