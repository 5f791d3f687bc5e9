from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "tinhgon.organisations"
    verbose_name = "Tổ chức"
