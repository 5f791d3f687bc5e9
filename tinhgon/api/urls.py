from django.urls import include, path

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from tinhgon.api.v1.accounts import MembershipViewSet, UserViewSet
from tinhgon.api.v1.organisations import OrganisationViewSet
from tinhgon.api.v1.procedures import DecisionViewSet, ProcedureViewSet
from tinhgon.api.v1.public import PublicProcedureViewSet

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("users", UserViewSet, basename="user")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("public/procedures", PublicProcedureViewSet, basename="public-procedure")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
