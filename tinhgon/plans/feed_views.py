"""The in-app notifications page (the same digest as the daily e-mail, for the logged-in user) and the private
iCalendar feeds (tinhgon/plans/reminders.py). A feed acts for the user its token was made for: it lists only the
assignments that user may see (Assignment.objects.visible_to), and a bad, forged or outdated token is a 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from tinhgon.accounts.permissions import Policy
from tinhgon.core.files import download
from tinhgon.core.visibility import get_visible
from tinhgon.organisations.models import Organisation
from tinhgon.plans import reminders
from tinhgon.plans.models import Assignment


def _all_memberships(user) -> Policy:
    """The user with every role they hold: the digest and the feeds cover all their units, not only the one the
    web session acts for."""
    return Policy(user=user, memberships=list(user.memberships_in_force()))


def _days(request) -> int:
    try:
        return max(1, min(int(request.GET.get("days", reminders.DEFAULT_DAYS)), 90))
    except ValueError:
        return reminders.DEFAULT_DAYS


@login_required
def notifications(request):
    days = _days(request)
    policy = _all_memberships(request.user)
    visible = Assignment.objects.visible_to(policy)
    found = reminders.digests(days=days, users=[request.user], base_url="", assignments=visible)
    digest = found[0] if found else None
    base = request.build_absolute_uri("/").rstrip("/")
    feeds = [
        {
            "label": "Nhiệm vụ của các đơn vị tôi tham gia",
            "url": base + reverse("plans:ical-user", args=[reminders.ical_token_for_user(request.user)]),
        }
    ]
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
    # inline: a calendar application subscribes to the address; a browser shows or saves it under the feed's name
    response = download(reminders.calendar(assignments, name=name, base=base), name, "ics", attachment=False)
    response["Cache-Control"] = "private, max-age=900"
    return response


def ical_user(request, token: str):
    """Open assignments of the units the token's user is a member of."""
    user = reminders.ical_user_from_token(token)
    if user is None:
        raise Http404
    policy = _all_memberships(user)
    units = [m.organisation_id for m in policy.memberships]
    visible = Assignment.objects.visible_to(policy).filter(organisation_id__in=units)
    return _ics(request, reminders.open_assignments(visible), f"Nhiệm vụ · {user.get_full_name()}")


def ical_org(request, code: str, token: str):
    """Open assignments of a unit and every unit that is or was under it, among those the token's user may see."""
    user = reminders.ical_user_from_token(token, org_code=code)
    if user is None:
        raise Http404
    policy = _all_memberships(user)
    org = get_visible(policy, Organisation.objects, code=code)
    below = Assignment.objects.visible_to(policy).within(Organisation.objects.ever_under([org]))
    return _ics(request, reminders.open_assignments(below), f"Nhiệm vụ · {org.name}")
