from django.utils.functional import SimpleLazyObject

from tinhgon.notifications.models import Notification


def unread(request):
    """The number of unread notifications, for the bell in the header: counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(lambda: Notification.objects.filter(recipient=user).unread().count())
    }
