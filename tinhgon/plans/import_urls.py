"""Excel import of a plan's task table; included by tinhgon/plans/urls.py (app_name "plans", at /ke-hoach/)."""

from django.urls import path

from tinhgon.plans import import_views

urlpatterns = [
    path("<int:pk>/nhap-excel/", import_views.task_import, name="task-import"),
    path("<int:pk>/nhap-excel/xac-nhan/", import_views.task_import_confirm, name="task-import-confirm"),
    path("<int:pk>/nhap-excel/bang-nhiem-vu.xlsx", import_views.task_table, name="task-table"),
    path("mau-nhiem-vu.xlsx", import_views.task_import_template, name="task-import-template"),
]
