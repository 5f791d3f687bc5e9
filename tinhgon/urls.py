from django.contrib import admin
from django.urls import include, path

from tinhgon.core import views as core_views

admin.site.site_header = "tinhgon: quản trị hệ thống"
admin.site.site_title = "tinhgon"
admin.site.index_title = "Cấu hình"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("viec-can-lam/so-luong/", core_views.todo_count, name="todo-count"),
    path("", include("tinhgon.accounts.urls")),
    path("to-chuc/", include("tinhgon.organisations.urls")),
    path("nhat-ky/", include("tinhgon.audit.urls")),
    path("thu-tuc/", include("tinhgon.procedures.urls")),
    path("ra-soat/", include("tinhgon.reviews.urls")),
    path("ke-hoach/", include("tinhgon.plans.urls")),
    path("bao-cao/", include("tinhgon.reports.urls")),
    path("chat-luong/", include("tinhgon.quality.urls")),
    path("thong-bao/", include("tinhgon.notifications.urls")),
    path("cong-khai/chi-so-766/", include("tinhgon.quality.public_urls")),
    path("cong-khai/", include("tinhgon.portal.urls")),
    path("api/", include("tinhgon.api.urls")),
    path("quan-tri/", admin.site.urls),
]  # No static(MEDIA_URL): stored files are private, served by their app's view (core/files.py).

# Every refused request is logged in the audit trail, then answered with a page in Vietnamese.
handler403 = "tinhgon.accounts.views.permission_denied"
