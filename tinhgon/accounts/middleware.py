from tinhgon.accounts.permissions import Policy, anonymous_policy, pick_acting

ACTING_SESSION_KEY = "acting_membership_id"


class ActingMembershipMiddleware:
    """Sets `request.acting_membership` (the membership the user acts for) and `request.policy`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.acting_membership = None
        request.policy = anonymous_policy()
        if request.user.is_authenticated:
            memberships = list(request.user.memberships_in_force())
            acting = pick_acting(memberships, wanted_id=request.session.get(ACTING_SESSION_KEY))
            request.acting_membership = acting
            request.memberships = memberships
            request.policy = Policy(user=request.user, memberships=[acting] if acting else [])
        return self.get_response(request)
