from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError

from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from tinhgon.accounts.models import Membership, Role, User
from tinhgon.api.base import PolicyMixin
from tinhgon.organisations.models import Organisation


class UserSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, style={"input_type": "password"})

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "password", "is_active"]
        read_only_fields = ["is_active"]

    def validate(self, attrs):
        candidate = User(
            username=attrs.get("username"), full_name=attrs.get("full_name", ""), email=attrs.get("email", "")
        )
        try:
            password_validation.validate_password(attrs["password"], candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": error.messages}) from error
        return attrs

    def create(self, validated_data):
        return User.objects.create_user(**validated_data)


class UserViewSet(
    PolicyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = UserSerializer
    queryset = User.objects.none()  # the real one is scoped per user in get_queryset
    lookup_field = "username"
    lookup_value_regex = "[^/]+"
    action_rules = {"list": "users.view", "create": "users.add"}

    def get_queryset(self):
        return User.objects.visible_to(self.policy).order_by("username")

    def perform_create(self, serializer):
        acting = self.request.acting_membership
        serializer.save(created_in=acting.organisation if acting else None)


class MembershipSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all())
    organisation = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["id", "user", "organisation", "role", "is_active"]
        read_only_fields = ["is_active"]
        validators = [
            serializers.UniqueTogetherValidator(
                queryset=Membership.objects.all(),
                fields=["user", "organisation", "role"],
                message="Người dùng đã có vai trò này tại đơn vị này.",
            )
        ]


class MembershipViewSet(
    PolicyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()  # the real one is scoped per user in get_queryset
    action_rules = {"list": "memberships.view", "create": "memberships.manage"}

    def get_queryset(self):
        memberships = Membership.objects.visible_to(self.policy).select_related("user", "organisation").order_by("id")
        params = self.request.query_params
        if params.get("user"):
            memberships = memberships.filter(user__username=params["user"])
        if params.get("organisation"):
            memberships = memberships.filter(organisation__code=params["organisation"])
        return memberships

    def perform_create(self, serializer):
        self.require("memberships.manage", serializer.validated_data["organisation"])
        serializer.save()

    def perform_destroy(self, instance):
        if not instance.permits(self.policy, "memberships.manage"):
            raise PermissionDenied()
        instance.delete()
