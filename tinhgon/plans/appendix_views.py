"""Downloads of a plan with its task appendix (appendix.py), for whoever may read the plan."""

from django.contrib.auth.decorators import login_required

from tinhgon.core.files import download
from tinhgon.core.visibility import get_visible
from tinhgon.plans import appendix
from tinhgon.plans.models import Plan


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def plan_docx(request, pk):
    plan = get_visible(request.policy, Plan.objects.select_related("issuer__parent"), pk=pk)
    title = f"{appendix.file_title(plan)} và phụ lục nhiệm vụ"
    return _private(download(appendix.plan_docx(plan), title, "docx"))


@login_required
def plan_xlsx(request, pk):
    plan = get_visible(request.policy, Plan.objects.select_related("issuer__parent"), pk=pk)
    title = f"Phụ lục nhiệm vụ {appendix.file_title(plan)}"
    return _private(download(appendix.appendix_xlsx(plan), title, "xlsx"))
