"""What the review pages and downloads share about who may open them at all (objects are found with get_visible)."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from tinhgon.reviews.models import VIEW


def viewers_only(view):
    """A list, an export or a form on no particular object: 403 for a user who may view review work nowhere."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.policy.can_anywhere(VIEW):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
