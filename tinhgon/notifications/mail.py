"""E-mail of notifications through Django's mail settings (EMAIL_URL; the console by default, SMTP in production:
docs/deploy.md). Each person chooses (User.notify_by): at once, one digest a day, or none. A notification is mailed
once: `emailed_at` is set when its mail is handed to the mail server."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from tinhgon.accounts.models import NotifyBy
from tinhgon.core.dates import today
from tinhgon.notifications.models import Notification
from tinhgon.plans.reminders import site_url


def _message(user, notifications: list, subject: str) -> EmailMultiAlternatives:
    context = {"user": user, "notifications": notifications, "site": site_url(), "site_name": settings.SITE_NAME}
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string("notifications/email.txt", context), to=[user.email]
    )
    message.attach_alternative(render_to_string("notifications/email.html", context), "text/html")
    return message


def _send(batches: list[tuple[list, EmailMultiAlternatives]]) -> int:
    if not batches:
        return 0
    sent = get_connection().send_messages([message for _, message in batches]) or 0
    ids = [n.pk for notifications, _ in batches for n in notifications]
    Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())
    return sent


def send_at_once(ids: list[int]) -> int:
    """Mail each of these notifications on its own to recipients who want mail at once (after the move's commit)."""
    pending = Notification.objects.to_email().filter(pk__in=ids, recipient__notify_by=NotifyBy.IMMEDIATE)
    batches = []
    for n in pending.select_related("recipient", "actor"):
        subject = f"[{settings.SITE_NAME}] {n.sentence[0].upper()}{n.sentence[1:]}: {n.title}"[:250]
        batches.append(([n], _message(n.recipient, [n], subject)))
    return _send(batches)


def send_daily_digests() -> int:
    """One mail per person who chose the daily digest, with every notification not mailed yet (run once a day, with
    `manage.py send_notification_digests`). Returns the number of mails sent."""
    pending = (
        Notification.objects.to_email()
        .filter(recipient__notify_by=NotifyBy.DAILY)
        .select_related("recipient", "actor", "organisation")
        .order_by("recipient_id", "-for_action", "created_at", "pk")
    )
    by_user: dict[int, list] = {}
    for n in pending:
        by_user.setdefault(n.recipient_id, []).append(n)
    batches = []
    for notifications in by_user.values():
        user = notifications[0].recipient
        waiting = sum(1 for n in notifications if n.for_action)
        subject = f"[{settings.SITE_NAME}] {len(notifications)} thông báo ngày {today():%d/%m/%Y}"
        if waiting:
            subject += f", {waiting} việc chờ đồng chí xử lý"
        batches.append((notifications, _message(user, notifications, subject)))
    return _send(batches)
