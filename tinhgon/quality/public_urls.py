"""The public page of the QĐ 766 index, under the portal's address (/cong-khai/chi-so-766/): no login."""

from django.urls import path

from tinhgon.quality import public_views

app_name = "service_index"

urlpatterns = [path("", public_views.index, name="index")]
