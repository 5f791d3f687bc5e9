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
    path("quyet-dinh/<int:pk>/ban-goc.pdf", views.decision_original, name="decision-original"),
    # an agency's posting list for its notice board, and the list its own website embeds
    path("co-quan/", views.agencies, name="agencies"),  # the search form's agency picker (JSON)
    path("co-quan/<str:code>/", views.agency, name="agency"),
    path("niem-yet/<str:code>/", views.posting_list, name="posting-list"),
    path("niem-yet/<str:code>.pdf", views.posting_list_pdf, name="posting-list-pdf"),
    path("nhung/<str:code>/", views.embed, name="embed"),
]
