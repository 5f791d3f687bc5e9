from django.urls import path

from tinhgon.plans import views
from tinhgon.plans.feed_urls import urlpatterns as feed_urls
from tinhgon.plans.import_urls import urlpatterns as import_urls

app_name = "plans"

urlpatterns = [
    # /ke-hoach/: plans and tasks, reports, my assignments, who is late, indicators and scorecards
    path("", views.plan_list, name="plans"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/sua/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/them-nhiem-vu/", views.task_add, name="task-add"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("nhiem-vu/<int:pk>/sua/", views.task_edit, name="task-edit"),
    path("nhiem-vu/<int:pk>/xoa/", views.task_delete, name="task-delete"),
    path("gia-han/<int:pk>/", views.extension_decide, name="extension-decide"),
    path("phan-cong/<int:pk>/", views.assignment_detail, name="assignment"),
    path("cua-toi/", views.my_assignments, name="mine"),
    path("tre-han/", views.overdue, name="overdue"),
    path("chi-tieu/", views.indicator_list, name="indicators"),
    path("chi-tieu/<int:pk>/", views.indicator_detail, name="indicator"),
    path("bo-chi-so/", views.scorecard_list, name="scorecards"),
    path("bo-chi-so/<int:pk>/", views.scorecard_detail, name="scorecard"),
]

urlpatterns += import_urls + feed_urls
