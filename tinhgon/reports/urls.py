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
    path("<int:pk>/tra-lai/", views.report_return, name="return"),
    path("<int:pk>/tiep-nhan/", views.report_accept, name="accept"),
    path("<int:pk>/ban-goc.pdf", views.report_original, name="original"),
    *document_urls,
]
