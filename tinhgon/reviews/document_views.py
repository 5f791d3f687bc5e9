"""Downloads of the review work: the review form and the approval decision as Word, the proposals annex and the
target ledger as Excel. Readable by whoever may view reviews of the organisation concerned; everyone else gets a
404, so the existence of a form or a decision does not leak. Included by tinhgon/reviews/urls.py under /ra-soat/."""

import re
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import path

from tinhgon.core.dates import today
from tinhgon.organisations.models import Organisation
from tinhgon.reviews import documents
from tinhgon.reviews import ledger as ledger_module
from tinhgon.reviews.models import ApprovalDecision, Review, ReviewRound


def _docx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=documents.DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text)


@login_required
def review_docx(request, pk):
    review = get_object_or_404(Review.objects.select_related("procedure__owner", "responsible"), pk=pk)
    policy = request.policy
    if not (policy.allows("reviews.view", review.procedure.owner) or policy.allows("reviews.view", review.responsible)):
        raise Http404
    return _docx_response(documents.review_docx(review), f"phieu-ra-soat-{_safe(review.procedure.code)}.docx")


@login_required
def approval_docx(request, pk):
    decision = get_object_or_404(ApprovalDecision.objects.select_related("issuer"), pk=pk)
    policy = request.policy
    if not policy.allows("reviews.view", decision.issuer):
        scope = policy.organisations("reviews.view")
        if not decision.reviews.filter(Q(procedure__owner__in=scope) | Q(responsible__in=scope)).exists():
            raise Http404
    return _docx_response(documents.approval_docx(decision), f"QD-phe-duyet-{_safe(decision.number)}.docx")


@login_required
def proposals_xlsx(request):
    """The proposals of the reviews the user may view; ?round= narrows to one plan (404 when not visible)."""
    policy = request.policy
    if not policy.can_anywhere("reviews.view"):
        raise PermissionDenied
    scope = policy.organisations("reviews.view")
    reviews = Review.objects.filter(Q(procedure__owner__in=scope) | Q(responsible__in=scope))
    filename = "phuong-an-don-gian-hoa.xlsx"
    round_id = request.GET.get("round", "").strip()
    if round_id:
        if not round_id.isdigit():
            raise Http404
        plan = get_object_or_404(ReviewRound.objects.select_related("organisation"), pk=int(round_id))
        if not (policy.allows("reviews.view", plan.organisation) or reviews.filter(round=plan).exists()):
            raise Http404
        reviews = reviews.filter(round=plan)
        filename = f"phuong-an-don-gian-hoa-ke-hoach-{plan.pk}.xlsx"
    return documents.file_response(documents.write_proposals, reviews.distinct(), filename=filename)


def _as_of(text: str) -> date:
    """'dd/mm/yyyy' or 'yyyy-mm-dd'; ValueError otherwise."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        return date(int(match[3]), int(match[2]), int(match[1]))
    return date.fromisoformat(text)


def _organisation(request) -> Organisation:
    """?org= (id or code), else the unit the user acts for; 404 when the user may not view its reviews."""
    wanted = request.GET.get("org", "").strip()
    if wanted:
        lookup = Q(code=wanted) | (Q(pk=int(wanted)) if wanted.isdigit() else Q(pk__in=[]))
        org = Organisation.objects.filter(lookup).first()
    else:
        acting = getattr(request, "acting_membership", None)
        org = acting.organisation if acting is not None else None
    if org is None or not request.policy.allows("reviews.view", org):
        raise Http404
    return org


@login_required
def ledger_xlsx(request):
    org = _organisation(request)
    try:
        as_of = _as_of(request.GET["as_of"].strip()) if request.GET.get("as_of", "").strip() else today()
    except ValueError:
        return HttpResponseBadRequest("Ngày không hợp lệ: dùng dạng dd/mm/yyyy.")
    filters = {key: request.GET.get(key, "").strip() for key in ("group", "field", "level")}
    result = ledger_module.ledger_for(org, as_of=as_of, **filters)
    rows = documents.ledger_rows(result)
    filename = f"so-theo-doi-{_safe(org.code)}-{as_of:%Y%m%d}.xlsx"
    return documents.file_response(documents.write_ledger, result, rows, filename=filename)


urlpatterns = [
    path("phieu/<int:pk>/docx/", review_docx, name="review-docx"),
    path("phe-duyet/<int:pk>/docx/", approval_docx, name="approval-docx"),
    path("phuong-an.xlsx", proposals_xlsx, name="proposals-xlsx"),
    path("so-theo-doi.xlsx", ledger_xlsx, name="ledger-xlsx"),
]
