import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

STAGED_FOR = timedelta(days=1)
ALREADY_CLAIMED = (
    "Tệp này đã được nhập (có thể do bấm xác nhận hai lần, hoặc ở một cửa sổ khác) hoặc đã chờ quá một ngày. "
    "Hãy xem lại dữ liệu đã nhập; nếu chưa có, hãy tải tệp lên lại."
)


def staged_path(instance, filename):
    """staged/<token><extension>: the name is ours; only the extension of the upload is kept (readers check it)."""
    suffix = Path(filename).suffix.lower()
    return f"staged/{instance.token}{suffix if suffix.isascii() and suffix[1:].isalnum() else '.bin'}"


class StagedFileQuerySet(models.QuerySet):
    def claim(self, token, *, user, purpose: str, target) -> "StagedFile | None":
        """Take the staged file for its confirmation, once: the row is deleted by the first caller, and a second
        confirmation (a double click, a second tab) finds nothing. The caller removes the file (`discard`)."""
        try:
            token = uuid.UUID(str(token))
        except ValueError:
            return None
        staged = self.filter(token=token, user=user, purpose=purpose, target=str(target)).first()
        if staged is None:
            return None
        deleted, _ = self.filter(pk=staged.pk).delete()
        return staged if deleted else None

    def expired(self):
        return self.filter(created_at__lt=timezone.now() - STAGED_FOR)


class StagedFile(models.Model):
    """An upload checked and previewed, waiting for the user to confirm it (an Excel import). The confirmation is
    consumed once; abandoned files are removed after a day."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=40)
    target = models.CharField(max_length=40)
    file = models.FileField(upload_to=staged_path)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StagedFileQuerySet.as_manager()

    class Meta:
        verbose_name = "tệp chờ xác nhận"
        verbose_name_plural = "tệp chờ xác nhận"

    def __str__(self):
        return f"{self.purpose} {self.token}"

    @classmethod
    def stage(cls, upload, *, user, purpose: str, target) -> "StagedFile":
        cls.discard_expired()
        staged = cls(user=user, purpose=purpose, target=str(target))
        staged.file.save(f"upload{Path(upload.name or '').suffix}", upload, save=False)
        staged.save()
        return staged

    def discard(self) -> None:
        """Remove the file and the row (if not claimed already)."""
        self.file.delete(save=False)
        type(self).objects.filter(pk=self.pk).delete()

    @classmethod
    def discard_expired(cls) -> None:
        for staged in cls.objects.expired():
            staged.discard()
