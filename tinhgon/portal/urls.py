from django.urls import path

from tinhgon.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.search, name="search"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    path("thu-tuc/<str:code>/tai-ve.docx", views.procedure_docx, name="procedure-docx"),
    path("thu-tuc/<str:code>/tai-ve.pdf", views.procedure_pdf, name="procedure-pdf"),
    path("quyet-dinh/", views.decisions, name="decisions"),
    path("quyet-dinh/<int:pk>/", views.decision, name="decision"),
]
