"""Downloads of a plan with its task appendix (appendix.py), for whoever may read the plan."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from tinhgon.core.visibility import get_visible
from tinhgon.plans import appendix
from tinhgon.plans.models import Plan

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def plan_docx(request, pk):
    plan = get_visible(request.policy, Plan.objects.select_related("issuer__parent"), pk=pk)
    return _download(appendix.plan_docx(plan), DOCX, f"{appendix.file_stem(plan)}.docx")


@login_required
def plan_xlsx(request, pk):
    plan = get_visible(request.policy, Plan.objects.select_related("issuer__parent"), pk=pk)
    return _download(appendix.appendix_xlsx(plan), XLSX, f"{appendix.file_stem(plan)}.xlsx")
