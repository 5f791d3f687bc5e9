from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tinhgon.reports"
    verbose_name = "Báo cáo định kỳ"
