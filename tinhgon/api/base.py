import re

from django.core.exceptions import ValidationError as DjangoValidationError

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, PermissionDenied

from tinhgon.accounts.permissions import Policy, pick_acting
from tinhgon.core.visibility import get_visible

ACTING_HEADER = "HTTP_X_ACTING_ORG"
# An If-Match value as GET answered it in ETag: the row_version in quotes, weak or strong.
ETAG = re.compile(r'^\s*(?:W/)?"(\d{1,9})"\s*$')
# Primary keys in API paths: digits that fit a bigint, so that no lookup reaches the database with a value it
# cannot hold (SQLite raises OverflowError on 20 digits).
ID_PATTERN = "[0-9]{1,18}"


CONFLICT = OpenApiResponse(
    response=inline_serializer(
        "Conflict",
        {
            "detail": serializers.CharField(),
            "row_version": serializers.IntegerField(required=False, help_text="Phiên bản đang lưu"),
            "changes": inline_serializer(
                "ConflictChange",
                {
                    "at": serializers.DateTimeField(),
                    "by": serializers.CharField(),
                    "action": serializers.CharField(),
                    "fields": serializers.ListField(child=serializers.CharField()),
                },
                many=True,
                required=False,
            ),
        },
    ),
    description="Xung đột: bản gửi lên dựa trên phiên bản cũ (kèm những thay đổi đã có từ đó), hoặc trạng thái đã "
    "thay đổi (ví dụ bấm hai lần).",
)
PRECONDITION_REQUIRED = OpenApiResponse(description="Thiếu phiên bản đã đọc (row_version hoặc If-Match).")


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Cần gửi kèm phiên bản bạn đã đọc (trường row_version trong nội dung, hoặc tiêu đề If-Match với ETag nhận "
        "được khi đọc) để không ghi đè thay đổi của người khác."
    )
    default_code = "precondition_required"


class PolicyMixin:
    """Gives API views `self.policy`: all of the token holder's memberships, or only the one whose organisation
    code is sent in `X-Acting-Org`. Also records the acting membership for the audit trail.

    Viewsets build `get_queryset()` on the model's `visible_to(self.policy)`, so that a list shows and a detail
    finds exactly what the web pages do; `get_object()` goes through accounts.permissions.get_visible."""

    lookup_value_regex = ID_PATTERN
    # Actions on no particular object (a list, a creation) and the rule the user needs somewhere for them: 403
    # otherwise, before anything is read or validated (objects are checked one by one with get_visible).
    action_rules: dict[str, str] = {}

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
        # Only where no object is named: an action on an object answers 404 first when it is not visible.
        names_object = (getattr(self, "lookup_url_kwarg", None) or getattr(self, "lookup_field", "pk")) in kwargs
        rule = self.action_rules.get(getattr(self, "action", None) or request.method)
        if rule and not names_object and not self.policy.can_anywhere(rule):
            raise PermissionDenied()

    def get_object(self, action: str | None = None):
        """The object named in the URL among those the user may see (404), and with `action`, allowed (403)."""
        lookup = self.lookup_url_kwarg or self.lookup_field
        obj = get_visible(self.policy, self.get_queryset(), action=action, **{self.lookup_field: self.kwargs[lookup]})
        self.check_object_permissions(self.request, obj)
        return obj

    def require(self, action: str, organisation) -> None:
        """403 unless `action` is allowed on `organisation` (for what does not exist yet: a new record's owner)."""
        if not self.policy.allows(action, organisation):
            raise PermissionDenied()

    def started_from(self) -> int:
        """The row_version an update was based on: `row_version` in the body, else the ETag sent in If-Match.
        Without either the update is refused (428): an API client must not overwrite a change it has not seen."""
        data = self.request.data
        version = data.get("row_version") if isinstance(data, dict) else None
        if version is None:
            match = ETAG.match(self.request.headers.get("If-Match", ""))
            version = match and match.group(1)
        if version is None:
            raise PreconditionRequired()
        try:
            return int(version)
        except (TypeError, ValueError):
            raise serializers.ValidationError({"row_version": "Phiên bản phải là một số nguyên."}) from None

    def finalize_response(self, request, response, *args, **kwargs):
        """Every answer carrying one record's row_version carries it as its ETag too, for If-Match."""
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if 200 <= response.status_code < 300 and isinstance(data, dict) and isinstance(data.get("row_version"), int):
            response["ETag"] = f'"{data["row_version"]}"'
        return response


def as_drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(error, "message_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({"non_field_errors": error.messages})
