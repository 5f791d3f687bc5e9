from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tinhgon.reports"
    verbose_name = "Báo cáo định kỳ"

    def ready(self):
        from tinhgon.reports import inbox  # noqa: F401  (registers its to-do sources)
