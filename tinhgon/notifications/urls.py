from django.urls import path

from tinhgon.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("da-doc/", views.notification_read_all, name="read-all"),
    path("cach-nhan/", views.notification_preference, name="preference"),
]
