"""One demo user per role. The password is for demonstration only and is printed by seed_demo."""

from tinhgon.accounts.models import Membership, Role, User
from tinhgon.organisations.models import Organisation

DEMO_PASSWORD = "TinhGon@2026"

USERS = [
    ("quantri", "Nguyễn Văn Quản", [("VLG", Role.ADMIN)], {"is_staff": True, "is_superuser": True}),
    ("vanphong", "Trần Thị Giám Sát", [("VLG", Role.OVERSIGHT), ("VLG", Role.FOCAL_POINT)], {}),
    ("lanhdao.snv", "Lê Văn Lãnh", [("VLG-SNV", Role.AGENCY_LEADER)], {}),
    ("daumoi.snv", "Phạm Thị Đầu Mối", [("VLG-SNV", Role.FOCAL_POINT)], {}),
    ("truongphong.tdkt", "Hoàng Văn Trưởng", [("VLG-SNV-TDKT", Role.UNIT_HEAD)], {}),
    ("chuyenvien.tdkt", "Đỗ Thị Chuyên", [("VLG-SNV-TDKT", Role.OFFICER)], {}),
    ("chuyenvien.longchau", "Võ Minh Xã", [("VLG-LONGCHAU", Role.OFFICER)], {}),
]


def seed() -> list[tuple[str, str]]:
    printed = []
    for username, full_name, memberships, flags in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                email=f"{username}@demo.tinhgon.local",
                **flags,
            )
        for code, role in memberships:
            Membership.objects.get_or_create(user=user, organisation=Organisation.objects.get(code=code), role=role)
        printed.append((username, ", ".join(f"{Role(r).label} @ {c}" for c, r in memberships)))
    return printed
