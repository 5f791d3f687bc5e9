"""Notifications and iCalendar feeds, included by tinhgon/plans/urls.py (app_name "plans", under /ke-hoach/)."""

from django.urls import path

from tinhgon.plans import feed_views

urlpatterns = [
    path("thong-bao/", feed_views.notifications, name="notifications"),
    path("lich/<str:token>.ics", feed_views.ical_user, name="ical-user"),
    path("lich/don-vi/<str:code>/<str:token>.ics", feed_views.ical_org, name="ical-org"),
]
