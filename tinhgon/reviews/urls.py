from django.urls import path

from tinhgon.reviews import views
from tinhgon.reviews.document_views import urlpatterns as document_urls
from tinhgon.reviews.milestone_views import urlpatterns as milestone_urls
from tinhgon.reviews.team_views import urlpatterns as team_urls

app_name = "reviews"

urlpatterns = [
    # /ra-soat/: review plans, forms, approval, implementation, the target ledger
    path("", views.round_list, name="rounds"),
    path("ke-hoach/<int:pk>/", views.round_detail, name="round"),
    path("phieu/<int:pk>/", views.review_form, name="review"),
    path("phieu/<int:pk>/goi-y/", views.hint_decide, name="hint"),
    path("phieu/<int:pk>/chi-phi-hien-tai/", views.sheet_current, name="sheet-current"),
    path("phieu/<int:pk>/chi-phi-sau/", views.sheet_proposed, name="sheet-proposed"),
    path("phieu/<int:pk>/trinh/", views.submit, name="submit"),
    path("phieu/<int:pk>/kiem-soat/", views.check, name="check"),
    path("phieu/<int:pk>/tra-lai/", views.return_, name="return"),
    path("phieu/<int:pk>/danh-gia/", views.assess, name="assess"),
    path("phe-duyet/", views.approval_list, name="approvals"),
    path("phe-duyet/<int:pk>/", views.approval_detail, name="approval"),
    path("phe-duyet/<int:pk>/sua/", views.approval_edit, name="approval-edit"),
    path("phe-duyet/<int:pk>/ban-hanh/", views.approval_issue, name="approval-issue"),
    path("phe-duyet/<int:pk>/ban-goc.pdf", views.approval_original, name="approval-original"),
    path("thuc-thi/", views.implementation_list, name="implementation"),
    path("thuc-thi/<int:pk>/", views.implementation_list, name="implementation-update"),
    path("so-theo-doi/", views.ledger_page, name="ledger"),
    path("so-theo-doi/thu-tuc/", views.ledger_procedures, name="ledger-procedures"),
    path("tham-so/", views.parameter_list, name="parameters"),
]

urlpatterns += document_urls
urlpatterns += team_urls
urlpatterns += milestone_urls
