"""The in-app notifications page (the same digest as the daily e-mail, for the logged-in user) and the private
iCalendar feeds (tinhgon/plans/reminders.py)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from tinhgon.accounts.permissions import Policy
from tinhgon.organisations.models import Organisation
from tinhgon.plans import reminders


@login_required
def notifications(request):
    try:
        days = max(1, min(int(request.GET.get("days", reminders.DEFAULT_DAYS)), 90))
    except ValueError:
        days = reminders.DEFAULT_DAYS
    found = reminders.digests(days=days, users=[request.user], base_url="")
    digest = found[0] if found else None
    base = request.build_absolute_uri("/").rstrip("/")
    feeds = [
        {
            "label": "Nhiệm vụ của các đơn vị tôi tham gia",
            "url": base + reverse("plans:ical-user", args=[reminders.ical_token_for_user(request.user)]),
        }
    ]
    policy = Policy(user=request.user, memberships=list(request.user.memberships_in_force()))
    seen = set()
    for m in policy.memberships:
        org = m.organisation
        if org.pk in seen or not policy.allows("plans.view", org):
            continue
        seen.add(org.pk)
        token = reminders.ical_token_for_org(org, request.user)
        feeds.append(
            {
                "label": f"{org.name} và các đơn vị trực thuộc",
                "url": base + reverse("plans:ical-org", args=[org.code, token]),
            }
        )
    return render(request, "plans/notifications.html", {"digest": digest, "days": days, "feeds": feeds})


def _ics(request, assignments, name: str) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    response = HttpResponse(reminders.calendar(assignments, name=name, base=base), content_type="text/calendar")
    response["Content-Type"] = "text/calendar; charset=utf-8"
    response["Content-Disposition"] = 'inline; filename="nhiem-vu.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


def ical_user(request, token: str):
    """Open assignments of the units the token's user is a member of."""
    user = reminders.ical_user_from_token(token)
    if user is None:
        raise Http404
    org_ids = {m.organisation_id for m in user.memberships_in_force()}
    return _ics(request, reminders.open_assignments_of(org_ids), f"Nhiệm vụ · {user.get_full_name()}")


def ical_org(request, code: str, token: str):
    """Open assignments of a unit and every unit that is or was under it, for a token whose user may see plans
    there."""
    user = reminders.ical_user_from_token(token, org_code=code)
    org = Organisation.objects.filter(code=code).first()
    if user is None or org is None:
        raise Http404
    policy = Policy(user=user, memberships=list(user.memberships_in_force()))
    if not policy.allows("plans.view", org):
        raise Http404
    units = Organisation.objects.ever_under([org]).values("id")
    return _ics(request, reminders.open_assignments_of(units), f"Nhiệm vụ · {org.name}")
