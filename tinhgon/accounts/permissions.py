"""The one place that decides what a user may see and do.

A rule maps an action code to the roles that may perform it and the scope each role covers. Scopes are counted
from the organisation of a membership:
- `subtree`: that unit and every unit that is or ever was under it (history included, so a province office still
  reads the districts merged away in 2025);
- `unit`: that unit only;
- `top`: like `subtree`, but only for a membership at a top unit (a province or a ministry, no parent unit).
Superusers may do everything. docs/permissions.md is generated from RULES (`manage.py permissions_matrix`) and a
test keeps the two in step. Later features add rows here, never ad-hoc checks in views.

On the web, a user acts for one membership at a time (the one chosen in the header). Through the API, a token acts
with all of the user's memberships, or with the one named by the `X-Acting-Org` header.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from tinhgon.accounts.models import Membership, Role
from tinhgon.core.visibility import get_visible  # noqa: F401 - moved to core; imported from here until callers move
from tinhgon.organisations.models import Organisation, OrganisationLink

SUBTREE = "subtree"
UNIT = "unit"
# Only a membership at a top unit (a province or a ministry: no parent) counts, over its whole subtree: shared
# reference data such as the field catalogue is kept by the province's focal point, not by each department's.
TOP = "top"

EVERY_ROLE = {role: SUBTREE for role in Role.values}
MANAGERS = {Role.ADMIN: SUBTREE}
SUPERVISORS = {Role.ADMIN: SUBTREE, Role.OVERSIGHT: SUBTREE, Role.AGENCY_LEADER: SUBTREE}

RULES: dict[str, tuple[str, dict[str, str]]] = {
    "organisations.view": ("Xem cây tổ chức và thông tin đơn vị", EVERY_ROLE),
    "organisations.add": ("Tạo đơn vị cấp dưới", MANAGERS),
    "organisations.change": ("Sửa thông tin đơn vị", MANAGERS),
    "organisations.merge": ("Hợp nhất, sáp nhập đơn vị", MANAGERS),
    "users.view": ("Xem người dùng của đơn vị", SUPERVISORS),
    "users.add": ("Tạo tài khoản người dùng", MANAGERS),
    "memberships.view": ("Xem phân công vai trò", {**SUPERVISORS, Role.UNIT_HEAD: UNIT}),
    "memberships.manage": ("Thêm, thu hồi vai trò của người dùng", MANAGERS),
    "audit.view": ("Xem nhật ký hệ thống", {**SUPERVISORS, Role.FOCAL_POINT: SUBTREE}),
    # Procedure registry (issue 3)
    "procedures.view": ("Xem danh mục thủ tục nội bộ (kể cả dự thảo)", EVERY_ROLE),
    "procedures.edit": (
        "Soạn thảo, sửa, nhập Excel thủ tục (dự thảo)",
        {Role.OFFICER: SUBTREE, Role.UNIT_HEAD: SUBTREE, Role.FOCAL_POINT: SUBTREE, Role.ADMIN: SUBTREE},
    ),
    "procedures.submit": ("Trình thủ tục", {Role.UNIT_HEAD: SUBTREE, Role.AGENCY_LEADER: SUBTREE}),
    "procedures.check": ("Kiểm soát hoặc trả lại thủ tục đã trình", {Role.FOCAL_POINT: SUBTREE}),
    "decisions.read": ("Đọc toàn văn dự thảo quyết định công bố (mọi thủ tục trong đó)", EVERY_ROLE),
    "decisions.manage": (
        "Soạn, ban hành quyết định công bố",
        {Role.FOCAL_POINT: SUBTREE, Role.AGENCY_LEADER: SUBTREE},
    ),
    # Review and simplification (issue 4)
    "reviews.view": ("Xem kế hoạch, phiếu rà soát, phương án và sổ theo dõi chỉ tiêu", EVERY_ROLE),
    "approvals.read": ("Đọc toàn văn dự thảo quyết định phê duyệt phương án (mọi phương án trong đó)", EVERY_ROLE),
    "reviews.plan": (
        "Lập kế hoạch rà soát, giao phiếu rà soát",
        {Role.FOCAL_POINT: SUBTREE, Role.AGENCY_LEADER: SUBTREE, Role.ADMIN: SUBTREE},
    ),
    "reviews.edit": (
        "Điền phiếu rà soát, bảng tính chi phí, phương án đơn giản hóa",
        {Role.OFFICER: SUBTREE, Role.UNIT_HEAD: SUBTREE, Role.FOCAL_POINT: SUBTREE},
    ),
    "reviews.submit": ("Trình phiếu rà soát và phương án", {Role.UNIT_HEAD: SUBTREE, Role.AGENCY_LEADER: SUBTREE}),
    "reviews.check": ("Kiểm soát, trả lại phiếu rà soát; đánh giá độc lập", {Role.FOCAL_POINT: SUBTREE}),
    "reviews.approve": (
        "Soạn, ban hành quyết định phê duyệt phương án",
        {Role.AGENCY_LEADER: SUBTREE, Role.FOCAL_POINT: SUBTREE},
    ),
    "reviews.implement": (
        "Cập nhật thực thi phương án",
        {Role.OFFICER: SUBTREE, Role.UNIT_HEAD: SUBTREE, Role.FOCAL_POINT: SUBTREE, Role.AGENCY_LEADER: SUBTREE},
    ),
    "reviews.parameters": (
        "Quản lý bộ tham số chi phí, mốc chỉ tiêu",
        {Role.FOCAL_POINT: SUBTREE, Role.ADMIN: SUBTREE},
    ),
    # Plans, tasks and indicators (issue 5)
    "plans.view": ("Xem kế hoạch, nhiệm vụ, tiến độ và chỉ tiêu", EVERY_ROLE),
    "plans.manage": (
        "Ban hành, sửa kế hoạch và nhiệm vụ, xóa nhiệm vụ nhập nhầm; xem xét đề nghị gia hạn",
        {Role.AGENCY_LEADER: SUBTREE, Role.FOCAL_POINT: SUBTREE, Role.UNIT_HEAD: UNIT, Role.ADMIN: SUBTREE},
    ),
    "plans.report": (
        "Báo cáo tiến độ, gửi minh chứng, đề nghị gia hạn nhiệm vụ được giao",
        {Role.OFFICER: SUBTREE, Role.UNIT_HEAD: SUBTREE, Role.FOCAL_POINT: SUBTREE, Role.AGENCY_LEADER: SUBTREE},
    ),
    "indicators.manage": (
        "Đặt chỉ tiêu, lập bộ chỉ số đánh giá",
        {Role.AGENCY_LEADER: SUBTREE, Role.FOCAL_POINT: SUBTREE, Role.ADMIN: SUBTREE},
    ),
    "indicators.enter": (
        "Nhập giá trị chỉ tiêu, tự chấm điểm kèm minh chứng",
        {Role.OFFICER: SUBTREE, Role.UNIT_HEAD: SUBTREE, Role.FOCAL_POINT: SUBTREE, Role.AGENCY_LEADER: SUBTREE},
    ),
    "scorecards.appraise": ("Thẩm định điểm bộ chỉ số", {Role.OVERSIGHT: SUBTREE}),
    # Dashboards and periodic reports (issue 6)
    "reports.view": ("Xem bảng điều khiển và báo cáo định kỳ", EVERY_ROLE),
    "reports.write": (
        "Lập báo cáo định kỳ, viết nội dung, nhập số liệu bổ sung",
        {Role.OFFICER: SUBTREE, Role.UNIT_HEAD: SUBTREE, Role.FOCAL_POINT: SUBTREE, Role.AGENCY_LEADER: SUBTREE},
    ),
    "reports.submit": (
        "Gửi báo cáo lên cấp trên (khóa số liệu): trưởng phòng gửi báo cáo của phòng",
        {Role.AGENCY_LEADER: SUBTREE, Role.FOCAL_POINT: SUBTREE, Role.UNIT_HEAD: UNIT},
    ),
    "reports.receive": (
        "Tiếp nhận hoặc trả lại (kèm lý do) báo cáo của đơn vị cấp dưới gửi lên",
        {Role.AGENCY_LEADER: SUBTREE, Role.FOCAL_POINT: SUBTREE},
    ),
    # The field catalogue (lĩnh vực), shared reference data (issue 12)
    "fields.manage": (
        "Quản lý danh mục lĩnh vực (thêm, đổi tên, chuyển nhóm, hợp nhất, ngừng sử dụng): đầu mối cấp tỉnh, bộ",
        {Role.FOCAL_POINT: TOP, Role.ADMIN: TOP},
    ),
    # Quality management: the ISO 9001 processes of an agency and the QĐ 766 service-quality index (issue 13)
    "quality.view": ("Xem sổ quy trình ISO 9001, đánh giá nội bộ và điểm Bộ chỉ số 766", EVERY_ROLE),
    "quality.manage": (
        "Lập, sửa quy trình ISO 9001, quyết định công bố, đợt đánh giá nội bộ và điểm không phù hợp",
        {Role.FOCAL_POINT: SUBTREE, Role.AGENCY_LEADER: SUBTREE, Role.ADMIN: SUBTREE},
    ),
    "quality.enter": (
        "Nhập điểm Bộ chỉ số 766 hằng tháng; cập nhật khắc phục điểm không phù hợp của quy trình đơn vị chủ trì",
        {Role.OFFICER: SUBTREE, Role.UNIT_HEAD: SUBTREE, Role.FOCAL_POINT: SUBTREE, Role.AGENCY_LEADER: SUBTREE},
    ),
    "quality.publish": (
        "Công khai hoặc thu hồi điểm Bộ chỉ số 766 của tháng: trưởng phòng công khai điểm của phòng",
        {Role.UNIT_HEAD: UNIT, Role.FOCAL_POINT: SUBTREE, Role.AGENCY_LEADER: SUBTREE},
    ),
}

ROLE_PRIORITY = [
    Role.ADMIN,
    Role.OVERSIGHT,
    Role.AGENCY_LEADER,
    Role.FOCAL_POINT,
    Role.UNIT_HEAD,
    Role.OFFICER,
]


@dataclass
class Policy:
    user: object
    memberships: list[Membership]
    _reach_cache: dict = field(default_factory=dict, repr=False)

    @property
    def is_superuser(self) -> bool:
        return bool(getattr(self.user, "is_superuser", False))

    def _scopes(self, action: str) -> list[tuple[int, str]]:
        roles = RULES[action][1]
        return [
            (m.organisation_id, SUBTREE if roles[m.role] == TOP else roles[m.role])
            for m in self.memberships
            if m.role in roles and (roles[m.role] != TOP or m.organisation.parent_id is None)
        ]

    def can_anywhere(self, action: str) -> bool:
        return self.is_superuser or bool(self._scopes(action))

    def own_units(self, action: str) -> list[int]:
        """The units the user belongs to in a role that has `action`, not the units below them: what waits for
        "their unit" (a leader's to-do list holds the department's own assignments, not every division's)."""
        return [root for root, _ in self._scopes(action)]

    def allows(self, action: str, organisation: Organisation | None) -> bool:
        """May the user perform `action` on something that belongs to `organisation`? A None organisation (a
        root unit, a user without memberships) is reserved to superusers."""
        if self.is_superuser:
            return True
        if organisation is None:
            return False
        return any(self._reaches(root, scope, organisation.pk) for root, scope in self._scopes(action))

    def _reaches(self, root_id: int, scope: str, org_id: int) -> bool:
        if scope == UNIT or root_id == org_id:
            return root_id == org_id
        key = (root_id, org_id)
        if key not in self._reach_cache:
            self._reach_cache[key] = OrganisationLink.objects.filter(ancestor_id=root_id, descendant_id=org_id).exists()
        return self._reach_cache[key]

    def sees_whole_tree(self, action: str) -> bool:
        """Does the user's scope for `action` hold a whole tree of units (everything under a unit with no parent,
        the nation in a national deployment)? A list may then shape its query for everything rather than for a few
        units (Review.visible_to)."""
        if self.is_superuser:
            return True
        roots = {root for root, scope in self._scopes(action) if scope == SUBTREE}
        return any(m.organisation_id in roots and m.organisation.parent_id is None for m in self.memberships)

    def sees_everything(self, action: str) -> bool:
        """Does the user's scope for `action` hold every unit there is (the national oversight of a national
        deployment, where the nation is the one root; a superuser)? A rule "of a unit in the scope" then holds for
        every row, and a list reads them without it: for the nation the rule's ORed subqueries were most of the
        plan list's time. One query, once per request: is there a unit with no parent outside the user's roots?
        Every unit with a parent lies, through its parents, under a unit with none, and the closure table links it
        to that unit (a unit ended with its parent cleared counts as one more unit with none: the answer is then
        no, which costs speed, never rows). Excluding every unit the scope reads took 14 ms for the nation."""
        if self.is_superuser:
            return True
        if not self.sees_whole_tree(action):
            return False
        key = ("everything", action)
        if key not in self._reach_cache:
            roots = [root for root, scope in self._scopes(action) if scope == SUBTREE]
            outside = Organisation.objects.filter(parent__isnull=True).exclude(pk__in=roots)
            self._reach_cache[key] = not outside.exists()
        return self._reach_cache[key]

    def organisations(self, action: str) -> QuerySet[Organisation]:
        """Every unit on which `action` is allowed, as a queryset to filter lists with."""
        if self.is_superuser:
            return Organisation.objects.all()
        scopes = self._scopes(action)
        subtree_roots = [root for root, scope in scopes if scope == SUBTREE]
        unit_ids = [root for root, scope in scopes if scope == UNIT]
        under = OrganisationLink.objects.filter(ancestor_id__in=subtree_roots).values("descendant_id")
        return Organisation.objects.filter(id__in=under) | Organisation.objects.filter(id__in=unit_ids)


def anonymous_policy() -> Policy:
    return Policy(user=None, memberships=[])


def pick_acting(memberships: list[Membership], wanted_id=None, wanted_code: str | None = None):
    """The membership a request acts for: the one asked for (session id or org code), else the strongest role."""
    for m in memberships:
        if (wanted_id and m.pk == wanted_id) or (wanted_code and m.organisation.code == wanted_code):
            return m
    ranked = sorted(memberships, key=lambda m: (ROLE_PRIORITY.index(m.role), m.pk))
    return ranked[0] if ranked else None


SCOPE_LABELS = {SUBTREE: "✔ cây", UNIT: "✔ đơn vị", TOP: "✔ cấp tỉnh, bộ"}


def matrix_markdown() -> str:
    """The permission matrix as the Markdown table kept in docs/permissions.md."""
    roles = list(Role)
    lines = [
        "| Hành động (mã) | " + " | ".join(f"{r.label} (`{r.value}`)" for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for code, (label, scopes) in RULES.items():
        cells = [SCOPE_LABELS.get(scopes.get(r.value, ""), "—") for r in roles]
        lines.append(f"| {label} (`{code}`) | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
