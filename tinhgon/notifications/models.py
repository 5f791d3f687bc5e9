from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """A notification is its recipient's alone."""
        if policy.user is None:
            return self.none()
        return self.filter(recipient=policy.user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def to_email(self):
        """Not yet sent by e-mail, for recipients who want e-mail and have an address."""
        return self.filter(emailed_at__isnull=True, recipient__is_active=True).exclude(recipient__email="")

    def mark_read(self) -> int:
        # Derived data (who has read what), not a domain record: no audit entry is wanted for it.
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    """One hand-off told to one person: what happened ("Thủ tục bị trả lại"), about what, by whom, why (the reason
    of a return, the text of a comment or request), with a link to the page where they act. Written in the same
    transaction as the move it tells about, so a move rolled back tells nothing."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="người nhận"
    )
    kind = models.CharField("loại", max_length=100)  # the audit code of the move: "procedures.version.returned"
    verb = models.CharField("việc", max_length=200)  # "trả lại thủ tục"
    title = models.CharField("nội dung", max_length=500)
    note = models.TextField("lý do, ý kiến", blank=True)
    url = models.CharField("đường dẫn", max_length=500)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="đơn vị",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người thực hiện",
    )
    for_action = models.BooleanField("cần xử lý", default=False)  # the recipient is the one who acts next
    created_at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    emailed_at = models.DateTimeField("đã gửi thư lúc", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["emailed_at", "recipient"], name="notification_email_idx"),
        ]

    def __str__(self):
        return f"{self.verb}: {self.title}"

    def permits(self, policy, action: str) -> bool:
        return policy.user is not None and policy.user.pk == self.recipient_id

    @property
    def sentence(self) -> str:
        """ "Nguyễn Văn A đã trả lại thủ tục" or, for a system move, "Đã công bố thủ tục"."""
        who = self.actor.get_full_name() if self.actor_id else ""
        return f"{who} đã {self.verb}" if who else f"Đã {self.verb}"
