from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from tinhgon.core import inbox
from tinhgon.core.dates import today


@never_cache
def healthz(request):
    """200 when the app can reach its database, 503 otherwise; for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse({"status": "error", "database": "unavailable", "detail": str(error)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
def home(request):
    """The home page starts with what waits for the user (core/inbox.py)."""
    day = today()
    return render(request, "core/home.html", {"todo": inbox.items_for(request.policy, day), "today": day})


@login_required
@never_cache
def todo_count(request):
    """The to-do count in the navigation, fetched by htmx once the page is shown, so no page waits for the inbox's
    queries; red when something is overdue. An empty answer (nothing to do) removes the placeholder. Opened as a
    page rather than by htmx (django-htmx's request.htmx), it leads to the list itself."""
    if not request.htmx:
        return redirect("home")
    day = today()
    items = inbox.items_for(request.policy, day)
    overdue = sum(item.overdue_on(day) for item in items)
    return render(request, "core/todo_count.html", {"count": len(items), "overdue": overdue})
