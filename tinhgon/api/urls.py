from django.urls import include, path

from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from tinhgon.api.schema import SchemaView
from tinhgon.api.v1.accounts import MembershipViewSet, UserViewSet
from tinhgon.api.v1.fields import FieldViewSet
from tinhgon.api.v1.inbox import InboxView
from tinhgon.api.v1.notifications import NotificationViewSet
from tinhgon.api.v1.organisations import OrganisationViewSet
from tinhgon.api.v1.plans import AssignmentViewSet, IndicatorViewSet, OverdueView, PlanViewSet, TaskViewSet
from tinhgon.api.v1.procedures import DecisionViewSet, ProcedureViewSet
from tinhgon.api.v1.public import PublicProcedureViewSet
from tinhgon.api.v1.reports import ReportDashboardView, ReportViewSet
from tinhgon.api.v1.reviews import (
    ApprovalViewSet,
    MilestoneViewSet,
    ReviewCostParameterViewSet,
    ReviewCostSheetViewSet,
    ReviewLedgerView,
    ReviewProposalViewSet,
    ReviewRoundViewSet,
    ReviewViewSet,
)

router = DefaultRouter()
router.include_format_suffixes = False  # one address per resource: no .json variants
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("users", UserViewSet, basename="user")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("fields", FieldViewSet, basename="field")
router.register("public/procedures", PublicProcedureViewSet, basename="public-procedure")
router.register("review-rounds", ReviewRoundViewSet, basename="review-round")
router.register("reviews", ReviewViewSet, basename="review")
router.register("cost-parameters", ReviewCostParameterViewSet, basename="cost-parameter")
router.register("cost-sheets", ReviewCostSheetViewSet, basename="cost-sheet")
router.register("proposals", ReviewProposalViewSet, basename="proposal")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("approvals", ApprovalViewSet, basename="approval")
router.register("plans", PlanViewSet, basename="plan")
router.register("tasks", TaskViewSet, basename="task")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("reports", ReportViewSet, basename="report")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/ledger/", ReviewLedgerView.as_view(), name="ledger"),
    path("v1/inbox/", InboxView.as_view(), name="inbox"),
    path("v1/overdue/", OverdueView.as_view(), name="overdue"),
    path("v1/dashboard/", ReportDashboardView.as_view(), name="dashboard"),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: the site's CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
