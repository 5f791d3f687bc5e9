"""Excel import of a plan's task table, and its tasks entered from its document; included by tinhgon/plans/urls.py
(app_name "plans", at /ke-hoach/)."""

from django.urls import path

from tinhgon.plans import document_views, import_views

urlpatterns = [
    path("<int:pk>/nhap-excel/", import_views.task_import, name="task-import"),
    path("<int:pk>/nhap-excel/xac-nhan/", import_views.task_import_confirm, name="task-import-confirm"),
    path("<int:pk>/nhap-excel/bang-nhiem-vu.xlsx", import_views.task_table, name="task-table"),
    path("<int:pk>/nhap-van-ban/", document_views.document_upload, name="document-import"),
    path("<int:pk>/nhap-van-ban/xem-lai/", document_views.document_review, name="document-review"),
    path("mau-nhiem-vu.xlsx", import_views.task_import_template, name="task-import-template"),
]
