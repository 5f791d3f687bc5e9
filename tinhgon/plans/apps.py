from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "tinhgon.plans"
    verbose_name = "Kế hoạch, nhiệm vụ, chỉ tiêu"

    def ready(self):
        from tinhgon.plans import inbox  # noqa: F401  (registers its to-do sources)
