"""How pages and endpoints find their objects. Each domain model's QuerySet has `visible_to(policy)`, its one
visibility rule (built on accounts.permissions.Policy, passed in: core imports no app), and its instances have
`permits(policy, action)`, the organisation(s) an action is checked on."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404


def get_visible(policy, queryset, *, action: str | None = None, **lookup):
    """The one way a page, endpoint, document or file finds its object: the row of `queryset` matched by `lookup`
    among those the model's visibility rule (`QuerySet.visible_to(policy)`) lets the user see, else 404; with
    `action`, 403 unless the object permits it (`obj.permits(policy, action)`): seen, but not theirs to change.
    A malformed lookup value (text where a number is expected) is a 404 too, never a 500."""
    try:
        obj = queryset.visible_to(policy).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError, OverflowError):
        raise Http404 from None
    if action is not None and not obj.permits(policy, action):
        raise PermissionDenied
    return obj


def require_somewhere(policy, action: str) -> None:
    """A list or a form about no particular object: 403 unless the user's roles allow `action` somewhere."""
    if not policy.can_anywhere(action):
        raise PermissionDenied
