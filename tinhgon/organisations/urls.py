from django.urls import path

from tinhgon.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("hop-nhat/", views.merge, name="merge"),
    path("tim/", views.lookup, name="lookup"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/sua/", views.edit, name="edit"),
    path("<str:code>/them-don-vi/", views.create, name="create"),
]
