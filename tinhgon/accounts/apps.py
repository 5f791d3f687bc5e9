from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tinhgon.accounts"
    verbose_name = "Người dùng và phân quyền"

    def ready(self):
        from tinhgon.accounts import receivers  # noqa: F401
