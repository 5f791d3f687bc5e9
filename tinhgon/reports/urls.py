from django.urls import path

from tinhgon.reports import views
from tinhgon.reports.document_views import urlpatterns as document_urls

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/cap-nhat-so-lieu/", views.report_refresh, name="refresh"),
    path("<int:pk>/gui/", views.report_submit, name="submit"),
    *document_urls,
]
