from django.urls import path

from tinhgon.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.entries, name="entries"),
]
