from datetime import date

from django.utils import timezone


def today() -> date:
    """Today in the project's time zone (Asia/Ho_Chi_Minh), not the server's UTC date."""
    return timezone.localdate()
