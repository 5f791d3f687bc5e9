from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "tinhgon.portal"
    verbose_name = "Cổng công khai thủ tục"
