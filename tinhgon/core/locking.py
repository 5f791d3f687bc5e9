"""Optimistic locking: every save of a versioned record bumps its `row_version`; a form or API call carries the
version it was loaded with, and a save made from an older copy is refused (`Stale`) instead of silently
overwriting someone else's change."""

from django.core.exceptions import ValidationError
from django.db import models

STALE = (
    "Nội dung đã được người khác cập nhật sau khi bạn mở trang. Hãy tải lại trang để xem bản mới nhất; những gì "
    "bạn vừa nhập vẫn được giữ trên biểu mẫu."
)


class Versioned(models.Model):
    """A record edited by people who may work on it at the same time: each save counts one version."""

    row_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.row_version = (self.row_version or 0) + 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "row_version"}
        super().save(*args, **kwargs)


class Stale(ValidationError):
    """A save from a copy older than the stored record: answered 409 by the API, shown on the form by the web.
    `instance` and `started_from` let the answer list what was changed since (audit entries)."""

    def __init__(self, instance, started_from: int, stored: int, message: str = STALE):
        super().__init__(message, code="stale")
        self.instance, self.started_from, self.stored = instance, started_from, stored


def refuse_stale(instance, started_from: int | None, message: str = STALE) -> None:
    """Refuse when `started_from` differs from the stored `row_version`, read under a row lock so that two
    concurrent saves from the same copy cannot both pass. Nothing to check for a new object or without a version."""
    if started_from is None or instance.pk is None:
        return
    stored = type(instance)._base_manager.select_for_update().filter(pk=instance.pk)
    version = stored.values_list("row_version", flat=True).first()
    if int(started_from) != version:
        raise Stale(instance, int(started_from), version, message)
