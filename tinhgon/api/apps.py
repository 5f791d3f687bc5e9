from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tinhgon.api"
    verbose_name = "API"
