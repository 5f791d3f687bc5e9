from django.urls import path

from tinhgon.plans import appendix_views, indicator_views, views
from tinhgon.plans.feed_urls import urlpatterns as feed_urls
from tinhgon.plans.import_urls import urlpatterns as import_urls

app_name = "plans"

urlpatterns = [
    # /ke-hoach/: plans and tasks, reports, my assignments, who is late
    path("", views.plan_list, name="plans"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/sua/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/ke-hoach-va-phu-luc.docx", appendix_views.plan_docx, name="plan-docx"),
    path("<int:pk>/phu-luc-nhiem-vu.xlsx", appendix_views.plan_xlsx, name="plan-xlsx"),
    path("<int:pk>/theo-doi/", views.plan_follow, name="plan-follow"),
    path("<int:pk>/them-nhiem-vu/", views.task_add, name="task-add"),
    path("tai-lieu/<int:pk>/", views.attachment_file, name="attachment-file"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("nhiem-vu/<int:pk>/sua/", views.task_edit, name="task-edit"),
    path("nhiem-vu/<int:pk>/xoa/", views.task_delete, name="task-delete"),
    path("gia-han/<int:pk>/", views.extension_decide, name="extension-decide"),
    path("phan-cong/<int:pk>/", views.assignment_detail, name="assignment"),
    path("minh-chung/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("cua-toi/", views.my_assignments, name="mine"),
    path("tre-han/", views.overdue, name="overdue"),
    # indicators and scorecards
    path("chi-tieu/", indicator_views.indicator_list, name="indicators"),
    path("chi-tieu/<int:pk>/", indicator_views.indicator_detail, name="indicator"),
    path("chi-tieu/so-lieu/<int:pk>/minh-chung/", indicator_views.indicator_value_file, name="indicator-value-file"),
    path("bo-chi-so/", indicator_views.scorecard_list, name="scorecards"),
    path("bo-chi-so/<int:pk>/", indicator_views.scorecard_detail, name="scorecard"),
    path("bo-chi-so/<int:pk>/tu-danh-gia/", indicator_views.scorecard_self_assess, name="scorecard-self-assess"),
    path("bo-chi-so/<int:pk>/tham-dinh/", indicator_views.scorecard_appraise, name="scorecard-appraise"),
    path("bo-chi-so/<int:pk>/sao-chep/", indicator_views.scorecard_copy, name="scorecard-copy"),
]

urlpatterns += import_urls + feed_urls
