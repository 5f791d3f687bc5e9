from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "tinhgon.quality"
    verbose_name = "Quản lý chất lượng (ISO 9001, Bộ chỉ số 766)"

    def ready(self):
        from tinhgon.quality import inbox  # noqa: F401  (registers its to-do sources)
