"""The to-do list of the token holder (core/inbox.py), as the home page shows it."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhgon.api.base import PolicyMixin
from tinhgon.core import inbox


class InboxItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="procedures.returned, procedures.to_check, reviews.to_fill, plans.overdue…")
    label = serializers.CharField(help_text="Việc cần làm, bằng tiếng Việt")
    title = serializers.CharField()
    url = serializers.CharField(help_text="Trang của việc trên hệ thống (đường dẫn tương đối)")
    organisation = serializers.CharField(help_text="Tên đơn vị của việc")
    since = serializers.DateField(allow_null=True, help_text="Chờ từ ngày")
    due = serializers.DateField(allow_null=True, help_text="Thời hạn")
    note = serializers.CharField(allow_blank=True, help_text="Lý do trả lại, nội dung đề nghị")


@extend_schema(responses=InboxItemSerializer(many=True))
class InboxView(PolicyMixin, APIView):
    """Everything waiting for the user in the role(s) the token acts for (`X-Acting-Org` narrows it to one unit):
    drafts to submit, returned items with their reason, submissions to check or assess, decisions to issue,
    extension requests to decide, reports to send, assignments overdue or due soon; the most pressing first."""

    def get(self, request):
        return Response(InboxItemSerializer(inbox.items_for(self.policy), many=True).data)
