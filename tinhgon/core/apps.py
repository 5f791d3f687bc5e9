from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tinhgon.core"
    verbose_name = "Lõi hệ thống"

    def ready(self):
        from tinhgon.core import checks  # noqa: F401 - registers the deployment checks
