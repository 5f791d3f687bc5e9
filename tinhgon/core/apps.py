from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tinhgon.core"
    verbose_name = "Lõi hệ thống"
