from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tinhgon.demo"
    verbose_name = "Dữ liệu trình diễn"
