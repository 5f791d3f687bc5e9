from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tinhgon.audit"
    verbose_name = "Nhật ký hệ thống"

    def ready(self):
        from tinhgon.audit import signals  # noqa: F401
