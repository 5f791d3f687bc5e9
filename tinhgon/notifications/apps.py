from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tinhgon.notifications"
    verbose_name = "Thông báo"

    def ready(self):
        from tinhgon.notifications import receivers  # noqa: F401  (listens to every hand-off)
