"""Downloads of the review work: the review form and the approval decision as Word, the proposals annex and the
target ledger as Excel. Each finds what it shows through the models' visibility rules (get_visible, visible_to):
everyone else gets a 404, so the existence of a form or a decision does not leak. A draft approval decision's Word
file shows every proposal in it, so it is for those who may view reviews of its issuer (403 for the others, who
see the draft only through their own form). Included by tinhgon/reviews/urls.py under /ra-soat/."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.urls import path

from tinhgon.core.files import download, spooled_download
from tinhgon.core.visibility import get_visible
from tinhgon.reviews import documents
from tinhgon.reviews import ledger as ledger_module
from tinhgon.reviews.decorators import viewers_only
from tinhgon.reviews.filters import ProposalFilter
from tinhgon.reviews.forms import LedgerFilterForm
from tinhgon.reviews.models import WHOLE, ApprovalDecision, Proposal, Review, ReviewRound


@login_required
def review_docx(request, pk):
    review = get_visible(request.policy, Review.objects.select_related("procedure", "version"), pk=pk)
    return download(documents.review_docx(review), documents.review_file_title(review), "docx")


@login_required
def approval_docx(request, pk):
    decisions = ApprovalDecision.objects.select_related("issuer")
    decision = get_visible(request.policy, decisions, action=WHOLE, pk=pk)
    return download(documents.approval_docx(decision), documents.approval_file_title(decision), "docx")


def _bad_request(errors) -> HttpResponseBadRequest:
    text = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
    return HttpResponseBadRequest(f"Tham số không hợp lệ: {text}", content_type="text/plain; charset=utf-8")


@login_required
@viewers_only
def proposals_xlsx(request):
    """The proposals the user may view, filtered like /api/v1/proposals/ (ProposalFilter); ?round= must name a plan
    the user may see (404)."""
    policy = request.policy
    filters = ProposalFilter(request.GET, queryset=Proposal.objects.visible_to(policy))
    if not filters.is_valid():
        return _bad_request(filters.errors)
    plan = filters.form.cleaned_data.get("round")
    if plan is not None:
        plan = get_visible(policy, ReviewRound.objects, pk=plan)
    reviews = Review.objects.filter(pk__in=filters.qs.values("review_id"))
    title = documents.proposals_file_title(plan)
    return spooled_download(lambda target: documents.write_proposals(reviews, target), title, "xlsx")


@login_required
@viewers_only
def ledger_xlsx(request):
    """The ledger page's figures and the procedures behind them; the same parameters (LedgerFilterForm), a 400 for
    a malformed one, a 404 for a unit the user may not see."""
    form = LedgerFilterForm(request.GET)
    if not form.is_valid():
        return _bad_request(form.errors)
    filters = ledger_module.filters_for(request.policy, request.acting_membership, **form.cleaned_data)
    result = ledger_module.ledger(filters)
    rows = documents.ledger_rows(result)
    title = documents.ledger_file_title(result)
    return spooled_download(lambda target: documents.write_ledger(result, rows, target), title, "xlsx")


urlpatterns = [
    path("phieu/<int:pk>/docx/", review_docx, name="review-docx"),
    path("phe-duyet/<int:pk>/docx/", approval_docx, name="approval-docx"),
    path("phuong-an.xlsx", proposals_xlsx, name="proposals-xlsx"),
    path("so-theo-doi.xlsx", ledger_xlsx, name="ledger-xlsx"),
]
