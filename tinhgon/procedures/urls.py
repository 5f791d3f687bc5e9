from django.urls import path

from tinhgon.procedures import decision_views, field_views, import_views, views

app_name = "procedures"

urlpatterns = [
    # /thu-tuc/: the internal registry (login required)
    path("", views.procedure_list, name="list"),
    path("them/", views.procedure_new, name="create"),
    path("danh-muc-mau/", views.template_list, name="templates"),
    path("<int:pk>/", views.procedure_detail, name="detail"),
    path("<int:pk>/sua/", views.procedure_edit, name="edit"),
    path("<int:pk>/phien-ban-moi/", views.version_new, name="version-new"),
    path("<int:pk>/so-sanh/", views.version_compare, name="compare"),
    path("<int:pk>/trinh/", views.submit, name="submit"),
    path("<int:pk>/kiem-soat/", views.check, name="check"),
    path("<int:pk>/tra-lai/", views.return_, name="return"),
    path("<int:pk>/ket-thuc-chuyen-tiep/", views.transition_end, name="transition-end"),
    path("<int:pk>/mau-don/", views.form_upload, name="form-upload"),
    # a form's file: public for the versions in force, otherwise as the procedure
    path("mau-don/<int:pk>/tai-ve/", views.form_file, name="form-file"),
    # /thu-tuc/quyet-dinh/: publication decisions
    path("quyet-dinh/", decision_views.decision_list, name="decisions"),
    path("quyet-dinh/them/", decision_views.decision_create, name="decision-create"),
    path("quyet-dinh/<int:pk>/", decision_views.decision_detail, name="decision"),
    path("quyet-dinh/<int:pk>/sua/", decision_views.decision_edit, name="decision-edit"),
    path("quyet-dinh/<int:pk>/ban-hanh/", decision_views.decision_issue_view, name="decision-issue"),
    path("quyet-dinh/<int:pk>/du-thao.docx", decision_views.decision_docx, name="decision-docx"),
    path("quyet-dinh/<int:pk>/ban-goc.pdf", decision_views.decision_original, name="decision-original"),
    path("quyet-dinh/<int:pk>/bo/<int:item_pk>/", decision_views.decision_item_remove, name="decision-item-remove"),
    # /thu-tuc/linh-vuc/: the field catalogue
    path("linh-vuc/", field_views.field_list, name="fields"),
    path("linh-vuc/them/", field_views.field_create, name="field-create"),
    path("linh-vuc/<int:pk>/", field_views.field_detail, name="field"),
    path("linh-vuc/<int:pk>/doi-ten/", field_views.field_rename, name="field-rename"),
    path("linh-vuc/<int:pk>/chuyen-nhom/", field_views.field_move, name="field-move"),
    path("linh-vuc/<int:pk>/hop-nhat/", field_views.field_merge, name="field-merge"),
    path("linh-vuc/<int:pk>/trang-thai/", field_views.field_state, name="field-state"),
    # Excel import/export
    path("nhap-excel/", import_views.import_upload, name="import"),
    path("nhap-excel/xac-nhan/", import_views.import_confirm, name="import-confirm"),
    path("mau-nhap-excel.xlsx", import_views.import_template, name="import-template"),
    path("xuat-excel/", import_views.export, name="export"),
    path("xuat-excel-mau-nhap/", import_views.export_import_layout, name="export-import-layout"),
]
