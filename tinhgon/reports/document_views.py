"""Downloads of a periodic report (Word, Excel annex, PDF) and the files made for the user in the background.

Included by tinhgon/reports/urls.py (app_name "reports", mounted at /bao-cao/). A report is found through its
visibility rule (Report.objects.visible_to: members of a parent organisation too, "reports.view" reaches the
subtree); a report out of reach answers 404, as if it did not exist. Generated files are private to the user who
asked for them (GeneratedFile.objects.visible_to) and are served by core.files.serve_file, never by a file URL.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from tinhgon.core.files import download, download_name, serve_file
from tinhgon.core.visibility import get_visible
from tinhgon.reports.models import GeneratedFile, Report

FORMATS = {"docx": "Word", "xlsx": "Excel", "pdf": "PDF"}


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


@require_POST
@login_required
def generate(request, pk, fmt):
    from tinhgon.reports.tasks import generate_file

    if fmt not in FORMATS:
        raise Http404
    report = get_visible(request.policy, Report.objects.select_related("organisation"), pk=pk)
    file = GeneratedFile.objects.create(
        user=request.user, report=report, format=fmt, title=f"{report} ({FORMATS[fmt]})"[:300]
    )
    generate_file.enqueue(file.pk)
    return redirect("reports:file", pk=file.pk)


def _status(file: GeneratedFile) -> dict:
    return {
        "status": file.status,
        "status_label": file.get_status_display(),
        "progress": file.progress,
        "message": file.message,
        "download_url": reverse("reports:file-download", args=[file.pk]) if file.is_ready else None,
    }


@login_required
def files(request):
    items = GeneratedFile.objects.visible_to(request.policy).select_related("report")[:200]
    return render(request, "reports/files.html", {"files": items})


@login_required
def file_detail(request, pk):
    file = get_visible(request.policy, GeneratedFile.objects.all(), pk=pk)
    return render(request, "reports/file.html", {"file": file, "state": _status(file)})


@login_required
def file_status(request, pk):
    file = get_visible(request.policy, GeneratedFile.objects.all(), pk=pk)
    response = JsonResponse(_status(file))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def file_download(request, pk):
    from tinhgon.reports import documents

    file = get_visible(request.policy, GeneratedFile.objects.select_related("report__organisation"), pk=pk)
    if not file.is_ready:
        raise Http404
    name = download_name(documents.file_title(file.report), file.format) if file.report else None
    return serve_file(file.file, filename=name)


urlpatterns = [
    path("<int:pk>/docx/", report_docx_view, name="docx"),
    path("<int:pk>/xlsx/", report_xlsx_view, name="xlsx"),
    path("<int:pk>/pdf/", report_pdf_view, name="pdf"),
    path("<int:pk>/tao-tep/<str:fmt>/", generate, name="generate"),
    path("tep/", files, name="files"),
    path("tep/<int:pk>/", file_detail, name="file"),
    path("tep/<int:pk>/trang-thai/", file_status, name="file-status"),
    path("tep/<int:pk>/tai/", file_download, name="file-download"),
]
