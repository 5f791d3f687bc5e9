from django.urls import path

from tinhgon.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("hop-nhat/", views.merge, name="merge"),
    path("tim/", views.lookup, name="lookup"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/cay/", views.children, name="children"),
    path("<str:code>/sua/", views.edit, name="edit"),
    path("<str:code>/them-don-vi/", views.create, name="create"),
    path("<str:code>/mau-van-ban/", views.templates, name="templates"),
    path("<str:code>/mau-van-ban/<slug:kind>/mac-dinh/", views.template_default, name="template-default"),
    path("<str:code>/mau-van-ban/<slug:kind>/dang-dung/", views.template_current, name="template-current"),
    path("<str:code>/mau-van-ban/<slug:kind>/tai-len/", views.template_upload, name="template-upload"),
    path("<str:code>/mau-van-ban/<slug:kind>/tro-lai-mac-dinh/", views.template_revert, name="template-revert"),
]
