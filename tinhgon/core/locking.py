"""Optimistic locking: a form or API call carries the `row_version` it was loaded with, and a save made from an
older copy is refused (code "stale") instead of silently overwriting someone else's change."""

from django.core.exceptions import ValidationError

STALE = (
    "Nội dung đã được người khác cập nhật sau khi bạn mở trang. Hãy tải lại trang để xem bản mới nhất; những gì "
    "bạn vừa nhập vẫn được giữ trên biểu mẫu."
)


def refuse_stale(instance, started_from: int | None, message: str = STALE) -> None:
    """Refuse when `started_from` differs from the stored `row_version`, read under a row lock so that two
    concurrent saves from the same copy cannot both pass. Nothing to check for a new object or without a version."""
    if started_from is None or instance.pk is None:
        return
    stored = type(instance).objects.select_for_update().filter(pk=instance.pk).values_list("row_version", flat=True)
    if int(started_from) != stored.first():
        raise ValidationError(message, code="stale")
