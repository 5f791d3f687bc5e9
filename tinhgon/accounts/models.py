from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models

from tinhgon.audit.models import AuditedModel


class UserQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """People with a role in a unit where the user may see people (users.view) or their roles
        (memberships.view: a unit head sees who works in the unit), and accounts created where the user may see
        people that have no role yet (an administrator of another province sees none of them)."""
        if policy.is_superuser:
            return self
        people = policy.organisations("users.view")
        roles = Membership.objects.filter(organisation__in=people) | Membership.objects.visible_to(policy)
        return self.filter(models.Q(pk__in=roles.values("user_id")) | models.Q(created_in__in=people))


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class NotifyBy(models.TextChoices):
    IMMEDIATE = "immediate", "Gửi thư ngay mỗi khi có thông báo"
    DAILY = "daily", "Gửi một thư tổng hợp mỗi ngày"
    NONE = "none", "Không gửi thư (chỉ xem trong hệ thống)"


class User(AuditedModel, AbstractUser):
    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    notify_by = models.CharField(
        "nhận thông báo qua thư điện tử",
        max_length=10,
        choices=NotifyBy.choices,
        default=NotifyBy.DAILY,
        help_text="Thông báo luôn hiện trong hệ thống; thư gửi đến địa chỉ thư điện tử của tài khoản.",
    )
    created_in = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="tạo bởi đơn vị",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Đơn vị của người quản trị đã tạo tài khoản: tài khoản chưa có vai trò chỉ hiện với đơn vị này.",
    )

    audit_exclude = frozenset({"password", "last_login"})

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def memberships_in_force(self):
        return self.memberships.filter(is_active=True).select_related("organisation").order_by("id")

    def permits(self, policy, action: str) -> bool:
        units = [m.organisation for m in self.memberships.select_related("organisation")]
        return any(policy.allows(action, unit) for unit in [*units, self.created_in] if unit is not None)


class Role(models.TextChoices):
    OFFICER = "officer", "Chuyên viên"
    UNIT_HEAD = "unit_head", "Lãnh đạo phòng/đơn vị"
    FOCAL_POINT = "focal_point", "Công chức đầu mối kiểm soát TTHC"
    AGENCY_LEADER = "agency_leader", "Lãnh đạo cơ quan"
    OVERSIGHT = "oversight", "Văn phòng UBND tỉnh / cơ quan cấp trên"
    ADMIN = "admin", "Quản trị hệ thống"


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, policy):
        return self.filter(organisation__in=policy.organisations("memberships.view"))


class Membership(AuditedModel):
    """A user acts for an organisation in a role. A user may hold several and switches between them."""

    user = models.ForeignKey(User, verbose_name="người dùng", on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    is_active = models.BooleanField("đang hiệu lực", default=True)
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)

    audit_exclude = frozenset({"created_at"})

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "phân công vai trò"
        verbose_name_plural = "phân công vai trò"
        ordering = ["user__username", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]

    def __str__(self):
        return f"{self.user.get_username()} · {self.get_role_display()} · {self.organisation.name}"

    def audit_scope_organisation_id(self):
        return self.organisation_id

    def permits(self, policy, action: str) -> bool:
        return policy.allows(action, self.organisation)
