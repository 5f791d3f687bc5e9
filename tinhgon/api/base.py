from django.core.exceptions import ValidationError as DjangoValidationError

from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied

from tinhgon.accounts.permissions import Policy, pick_acting

ACTING_HEADER = "HTTP_X_ACTING_ORG"


class PolicyMixin:
    """Gives API views `self.policy`: all of the token holder's memberships, or only the one whose organisation
    code is sent in `X-Acting-Org`. Also records the acting membership for the audit trail."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = request.user
        memberships = list(user.memberships_in_force()) if user.is_authenticated else []
        wanted = request.META.get(ACTING_HEADER, "").strip()
        if wanted:
            # Every role the user holds at that organisation (a person can be oversight and focal point there).
            memberships = [m for m in memberships if m.organisation.code == wanted]
            if not memberships:
                raise PermissionDenied(f"Bạn không có vai trò nào tại đơn vị {wanted}.")
        request._request.acting_membership = pick_acting(memberships)
        self.policy = Policy(user=user, memberships=memberships)

    def require(self, action: str, organisation) -> None:
        """404 when the object is outside what the user may see at all, 403 when it is visible but not changeable."""
        if not self.policy.allows(action, organisation):
            raise PermissionDenied()

    def require_visible(self, view_action: str, organisation) -> None:
        if not self.policy.allows(view_action, organisation):
            raise NotFound()


def as_drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(error, "message_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({"non_field_errors": error.messages})
