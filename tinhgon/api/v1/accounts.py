from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q

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

    def get_queryset(self):
        if self.policy.is_superuser:
            return User.objects.order_by("username")
        in_scope = Q(memberships__organisation__in=self.policy.organisations("users.view"))
        if self.policy.can_anywhere("users.add"):
            # Administrators also see accounts they created that have no role yet.
            in_scope |= Q(memberships__isnull=True)
        return User.objects.filter(pk__in=User.objects.filter(in_scope).values("pk")).order_by("username")

    def perform_create(self, serializer):
        if not self.policy.can_anywhere("users.add"):
            raise PermissionDenied()
        serializer.save()


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

    def get_queryset(self):
        memberships = Membership.objects.select_related("user", "organisation").order_by("id")
        if not self.policy.is_superuser:
            memberships = memberships.filter(organisation__in=self.policy.organisations("memberships.view"))
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
        self.require("memberships.manage", instance.organisation)
        instance.delete()
