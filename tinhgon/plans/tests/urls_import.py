"""Test URLconf: the project's URLs plus the task import under /ke-hoach/ (namespace "plans"), for as long as
tinhgon/urls.py does not mount the plans app itself."""

from django.urls import include, path

from tinhgon.urls import urlpatterns as project_urlpatterns

mounted = any(getattr(p, "namespace", None) == "plans" for p in project_urlpatterns)
urlpatterns = list(project_urlpatterns)
if not mounted:
    urlpatterns.append(path("ke-hoach/", include(("tinhgon.plans.import_urls", "plans"), namespace="plans")))
