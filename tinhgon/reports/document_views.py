"""Downloads of a periodic report (Word, Excel annex, PDF) and the files made for the user in the background.

Included by tinhgon/reports/urls.py (app_name "reports", mounted at /bao-cao/). A report is readable by whoever may
view reports of its organisation (members of a parent organisation too: "reports.view" reaches the subtree); a
report out of reach answers 404, as if it did not exist. Generated files are private to the user who asked for them.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from tinhgon.reports.models import FileStatus, GeneratedFile, Report

FORMATS = {"docx": "Word", "xlsx": "Excel", "pdf": "PDF"}


def _report_for(request, pk) -> Report:
    report = get_object_or_404(Report.objects.select_related("organisation"), pk=pk)
    if not request.policy.allows("reports.view", report.organisation):
        raise Http404
    return report


def _download(report: Report, fmt: str) -> HttpResponse:
    from tinhgon.reports import documents  # imported here: the renderers load slowly

    response = HttpResponse(documents.RENDERERS[fmt](report), content_type=documents.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{documents.filename(report, fmt)}"'
    return response


@login_required
def report_docx_view(request, pk):
    return _download(_report_for(request, pk), "docx")


@login_required
def report_xlsx_view(request, pk):
    return _download(_report_for(request, pk), "xlsx")


@login_required
def report_pdf_view(request, pk):
    return _download(_report_for(request, pk), "pdf")


@require_POST
@login_required
def generate(request, pk, fmt):
    from tinhgon.reports.tasks import generate_file

    if fmt not in FORMATS:
        raise Http404
    report = _report_for(request, pk)
    file = GeneratedFile.objects.create(
        user=request.user, report=report, format=fmt, title=f"{report} ({FORMATS[fmt]})"[:300]
    )
    generate_file.enqueue(file.pk)
    return redirect("reports:file", pk=file.pk)


def _own_file(request, pk) -> GeneratedFile:
    file = get_object_or_404(GeneratedFile.objects.select_related("report__organisation"), pk=pk, user=request.user)
    if file.report is not None and not request.policy.allows("reports.view", file.report.organisation):
        raise Http404  # the user no longer reaches the report the file was made from
    return file


def _status(file: GeneratedFile) -> dict:
    done = file.status == FileStatus.DONE and bool(file.file)
    return {
        "status": file.status,
        "status_label": file.get_status_display(),
        "progress": file.progress,
        "message": file.message,
        "download_url": reverse("reports:file-download", args=[file.pk]) if done else None,
    }


@login_required
def files(request):
    items = GeneratedFile.objects.filter(user=request.user).select_related("report")[:200]
    return render(request, "reports/files.html", {"files": items})


@login_required
def file_detail(request, pk):
    file = _own_file(request, pk)
    return render(request, "reports/file.html", {"file": file, "state": _status(file)})


@login_required
def file_status(request, pk):
    response = JsonResponse(_status(_own_file(request, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def file_download(request, pk):
    file = _own_file(request, pk)
    if file.status != FileStatus.DONE or not file.file:
        raise Http404
    from tinhgon.reports import documents

    name = documents.filename(file.report, file.format) if file.report else file.file.name.rsplit("/", 1)[-1]
    return FileResponse(
        file.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=documents.CONTENT_TYPES.get(file.format, "application/octet-stream"),
    )


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
