"""The token holder's notifications (tinhgon/notifications): each hand-off told to them, newest first; read one or
all. A notification is its recipient's alone: another person's answers 404."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tinhgon.api.base import PolicyMixin
from tinhgon.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    sentence = serializers.CharField(read_only=True, help_text="Ai đã làm gì, bằng tiếng Việt")
    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True, default=None)
    organisation = serializers.CharField(
        source="organisation.code", read_only=True, allow_null=True, default=None, help_text="Mã đơn vị của việc"
    )

    class Meta:
        model = Notification
        fields = ["id", "kind", "sentence", "title", "note", "url", "organisation", "actor", "for_action"]
        fields += ["created_at", "read_at"]
        read_only_fields = fields


UNREAD = OpenApiParameter("unread", bool, description="Chỉ thông báo chưa đọc")
MARKED = inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()})


class NotificationViewSet(PolicyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Notifications of every hand-off that concerns the user: what waits for them (`for_action`) and what became of
    what they took part in, with the reason of a return and a link to its page."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self):
        mine = Notification.objects.visible_to(self.policy).select_related("actor", "organisation")
        unread = self.request.query_params.get("unread", "").lower() in ("1", "true")
        return mine.unread() if unread and self.action == "list" else mine

    @extend_schema(parameters=[UNREAD])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark this notification read (once; reading it again changes nothing)."""
        notification = self.get_object()
        Notification.objects.filter(pk=notification.pk).mark_read()
        return Response(NotificationSerializer(self.get_queryset().get(pk=notification.pk)).data)

    @extend_schema(request=None, responses=MARKED)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every unread notification of the user read."""
        return Response({"marked": Notification.objects.visible_to(self.policy).mark_read()})
