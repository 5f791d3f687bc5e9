from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "tinhgon.plans"
    verbose_name = "Kế hoạch, nhiệm vụ, chỉ tiêu"
