from django.urls import path

from tinhgon.quality import index_views, views

app_name = "quality"

urlpatterns = [
    # /chat-luong/: the register of ISO 9001 processes, announcements, internal audits and their findings
    path("", views.process_list, name="processes"),
    path("quy-trinh.xlsx", views.process_export, name="processes-xlsx"),
    path("quy-trinh/moi/", views.process_create, name="process-create"),
    path("quy-trinh/<int:pk>/", views.process_detail, name="process"),
    path("quy-trinh/<int:pk>/sua/", views.process_edit, name="process-edit"),
    path("quy-trinh/<int:pk>/ban-hanh-lan-moi/", views.process_new_edition, name="process-new-edition"),
    path("quy-trinh/<int:pk>/bai-bo/", views.process_abolish, name="process-abolish"),
    path("cong-bo/", views.announcement_list, name="announcements"),
    path("cong-bo/<int:pk>/sua/", views.announcement_edit, name="announcement-edit"),
    path("danh-gia-noi-bo/", views.audit_list, name="audits"),
    path("danh-gia-noi-bo/<int:pk>/", views.audit_detail, name="audit"),
    path("danh-gia-noi-bo/<int:pk>/sua/", views.audit_edit, name="audit-edit"),
    path("diem-khong-phu-hop/<int:pk>/", views.finding_detail, name="finding"),
    # /chat-luong/chi-so-766/: the monthly scores of the QĐ 766 service-quality index
    path("chi-so-766/", index_views.score_table, name="scores"),
    path("chi-so-766/nhap/", index_views.score_enter, name="score-enter"),
    path("chi-so-766/<int:pk>/", index_views.score_detail, name="score"),
    path("chi-so-766/<int:pk>/cong-khai/", index_views.score_publish, name="score-publish"),
    path("chi-so-766/<int:pk>/thu-hoi/", index_views.score_withdraw, name="score-withdraw"),
    path("chi-so-766/<int:pk>/minh-chung/", index_views.score_evidence, name="score-evidence"),
]
