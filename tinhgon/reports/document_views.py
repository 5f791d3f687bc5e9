"""Downloads of a periodic report (Word, Excel annex, PDF), made at once on each request (docs/decisions/0008).

Included by tinhgon/reports/urls.py (app_name "reports", mounted at /bao-cao/). A report is found through its
visibility rule (Report.objects.visible_to: members of a parent organisation too, "reports.view" reaches the
subtree); a report out of reach answers 404, as if it did not exist.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from tinhgon.core.files import download
from tinhgon.core.visibility import get_visible
from tinhgon.reports.models import Report


def _download(request, pk, fmt: str) -> HttpResponse:
    from tinhgon.reports import documents  # imported here: the renderers load slowly

    report = get_visible(request.policy, Report.objects.select_related("organisation"), pk=pk)
    return download(documents.RENDERERS[fmt](report, request.policy), documents.file_title(report), fmt)


@login_required
def report_docx_view(request, pk):
    return _download(request, pk, "docx")


@login_required
def report_xlsx_view(request, pk):
    return _download(request, pk, "xlsx")


@login_required
def report_pdf_view(request, pk):
    return _download(request, pk, "pdf")


urlpatterns = [
    path("<int:pk>/docx/", report_docx_view, name="docx"),
    path("<int:pk>/xlsx/", report_xlsx_view, name="xlsx"),
    path("<int:pk>/pdf/", report_pdf_view, name="pdf"),
]
