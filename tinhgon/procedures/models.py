import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from tinhgon.audit.models import AuditedModel
from tinhgon.audit.originals import SignedOriginal
from tinhgon.audit.transitions import Transitions, transition
from tinhgon.core import workbooks
from tinhgon.core.dates import legal_date, today
from tinhgon.core.fts import FullTextField, RowidOneToOneField
from tinhgon.core.locking import Versioned
from tinhgon.core.text import fold_vn
from tinhgon.organisations.models import Organisation
from tinhgon.procedures import processing_time
from tinhgon.procedures.constants import (
    EDITABLE,
    INTERNAL_GROUPS,
    KIND_GROUPS,
    PUBLIC,
    REQUIRED_COMPONENTS,
    Change,
    Channel,
    DecisionStatus,
    Group,
    Kind,
    Level,
    Status,
    TimeUnit,
)
from tinhgon.procedures.processing_time import ProcessingTime

MANAGE_FIELDS = "fields.manage"


def field_key(text) -> str:
    """How a field's name is matched (imports, filters, old names): folded, punctuation and spacing ignored, so
    "Thi đua - Khen thưởng", "Thi đua – khen thưởng" and "thi dua khen thuong" are one name."""
    return workbooks.key(text)


class FieldQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """The catalogue is reference data shared by every unit: whoever may read the registry reads all of it."""
        return self.all()

    def active(self):
        return self.filter(is_active=True)

    def name_index(self) -> dict[str, "Field"]:
        """Folded name or code -> the field a text means today: codes, current names, the names a field had
        before a rename, and the names of merged fields (their survivor). Two queries."""
        fields = {f.pk: f for f in self.all()}
        index: dict[str, Field] = {}
        for f in fields.values():
            index.setdefault(field_key(f.code), f.survivor(fields))
        renames = FieldChange.objects.filter(kind=FieldChange.Kind.RENAMED).order_by("at", "pk")
        for field_id, old_name in renames.values_list("field_id", "old_name"):
            index[field_key(old_name)] = fields[field_id].survivor(fields)
        for f in fields.values():  # a current name wins over an old name or a code
            index[field_key(f.name)] = f.survivor(fields)
        return index

    def resolve(self, text: str) -> "Field | None":
        """The field `text` names today (code, name, old name or merged name), or None."""
        return self.name_index().get(field_key(text)) if text and text.strip() else None


class Field(Versioned, AuditedModel):
    """Lĩnh vực: an open catalogue, a tree (`parent`), kept by the province's TTHC focal point (rule
    `fields.manage`). A rename keeps the old name findable (FieldChange); a merge moves every version to the
    surviving field and keeps the merged one inactive, pointing to it (`merged_into`)."""

    code = models.SlugField("mã lĩnh vực", max_length=40, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=200, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="thuộc lĩnh vực",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField("đang sử dụng", default=True)
    valid_to = models.DateField("ngừng sử dụng từ ngày", null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="đã hợp nhất vào",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )

    audit_name = "field"
    audit_exclude = frozenset({"row_version"})

    objects = FieldQuerySet.as_manager()

    class Meta:
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def permits(self, policy, action: str) -> bool:
        """The catalogue belongs to no unit: the rule's scope (memberships at a province or ministry, see
        accounts.permissions.TOP) already says who keeps it."""
        return policy.can_anywhere(action)

    def survivor(self, fields: dict | None = None) -> "Field":
        """The field this one lives on as: itself, or the end of its chain of merges."""
        found, seen = self, set()
        while found.merged_into_id and found.pk not in seen:
            seen.add(found.pk)
            found = fields[found.merged_into_id] if fields is not None else found.merged_into
        return found

    def ancestors(self, fields: dict | None = None) -> list["Field"]:
        """From the root down to the parent."""
        chain, found, seen = [], self, {self.pk}
        while found.parent_id and found.parent_id not in seen:
            found = fields[found.parent_id] if fields is not None else found.parent
            seen.add(found.pk)
            chain.append(found)
        return chain[::-1]

    def descendant_ids(self) -> set[int]:
        """Every field under this one, at any depth (the catalogue is small: one query)."""
        children: dict[int, list[int]] = {}
        for pk, parent in Field.objects.values_list("pk", "parent_id"):
            children.setdefault(parent, []).append(pk)
        found, todo = set(), [self.pk]
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found


class FieldChange(models.Model):
    """The history of the catalogue: each creation, rename, move, merge and (re)activation of a field, with who
    did it and the day it takes effect. Old names stay findable through the renames recorded here."""

    class Kind(models.TextChoices):
        CREATED = "created", "Thêm mới"
        RENAMED = "renamed", "Đổi tên"
        MOVED = "moved", "Chuyển nhóm"
        MERGED = "merged", "Hợp nhất vào lĩnh vực khác"
        DEACTIVATED = "deactivated", "Ngừng sử dụng"
        REACTIVATED = "reactivated", "Sử dụng lại"

    field = models.ForeignKey(Field, verbose_name="lĩnh vực", on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("thay đổi", max_length=20, choices=Kind.choices)
    on = models.DateField("từ ngày", default=today)
    old_name = models.CharField("tên cũ", max_length=200, blank=True)
    new_name = models.CharField("tên mới", max_length=200, blank=True)
    old_parent = models.ForeignKey(
        Field, verbose_name="nhóm cũ", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_parent = models.ForeignKey(
        Field, verbose_name="nhóm mới", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    into = models.ForeignKey(
        Field, verbose_name="hợp nhất vào", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    versions_moved = models.PositiveIntegerField("số phiên bản thủ tục chuyển", default=0)
    note = models.CharField("căn cứ, ghi chú", max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("ghi lúc", default=timezone.now)

    class Meta:
        verbose_name = "thay đổi lĩnh vực"
        verbose_name_plural = "lịch sử danh mục lĩnh vực"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.field}"


VIEW = "procedures.view"
WHOLE = "decisions.read"  # reading a decision with every procedure in it (its Word file)


class ProcedureQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """Procedures of the units the user may see (drafts included): the registry's one visibility rule. Every
        procedure for one who sees every unit (`Policy.sees_everything`), without the rule's subquery."""
        if policy.sees_everything(VIEW):
            return self.all()
        return self.filter(owner__in=policy.organisations(VIEW))

    def owned_within(self, organisations):
        return self.filter(owner__in=organisations)

    def internal(self):
        """Procedures whose versions are internal (groups A, B): what the 20 %/20 % ledger, its milestones and the
        review rounds count. An ordinary procedure (Group.ORDINARY) is held in the registry beside them and never
        counted there (docs/decisions/0009-procedure-kinds.md)."""
        ordinary = ProcedureVersion.objects.filter(procedure=models.OuterRef("pk"), group=Group.ORDINARY)
        return self.exclude(models.Exists(ordinary))


class Procedure(AuditedModel):
    """The identity of one internal procedure across its versions. Content lives in ProcedureVersion."""

    code = models.CharField("mã thủ tục", max_length=60, unique=True)
    national_code = models.CharField("mã trên CSDL quốc gia", max_length=60, blank=True)
    owner = models.ForeignKey(
        "organisations.Organisation", verbose_name="cơ quan quản lý", on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(
        "self",
        verbose_name="theo danh mục mẫu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
    )
    is_template = models.BooleanField("là thủ tục mẫu (danh mục dùng chung)", default=False)
    # The day the unit listed the procedure in its inventory (thống kê) in fact: the K1 denominator as of a date.
    # Given by the user (default today; core.dates.legal_date), apart from when it was typed in (created_at).
    inventoried_on = models.DateField("ngày thống kê", default=today)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_exclude = frozenset({"created_at"})

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = "thủ tục hành chính nội bộ"
        verbose_name_plural = "thủ tục hành chính nội bộ"
        ordering = ["code"]

    def __str__(self):
        return self.code

    def audit_scope_organisation_id(self):
        return self.owner_id

    def permits(self, policy, action: str) -> bool:
        return policy.allows(action, self.owner)

    def save(self, *args, **kwargs):
        before = getattr(self, "_audit_snapshot", {})
        super().save(*args, **kwargs)
        template_changed = before.get("is_template", self.is_template) != self.is_template
        if template_changed:  # the versions' is_public copies "not a template"
            self.versions.filter(status__in=PUBLIC).update(is_public=not self.is_template)
        if template_changed or before.get("owner_id", self.owner_id) != self.owner_id:
            published = self.versions.filter(status__in=PUBLIC).values_list("pk", flat=True)
            SearchEntry.objects.using(self._state.db).sync(published)

    @staticmethod
    def next_code(owner) -> str:
        """`<owner code>-<n>`, n counting this owner's procedures, skipping codes already taken."""
        n = Procedure.objects.filter(owner=owner).count() + 1
        while Procedure.objects.filter(code=f"{owner.code}-{n:03d}").exists():
            n += 1
        return f"{owner.code}-{n:03d}"

    def latest_version(self):
        return self.versions.order_by("-number").first()

    def published_version(self):
        return self.versions.filter(status=Status.PUBLISHED).first()


class ProcedureVersionQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """The versions of the procedures the user may see (`ProcedureQuerySet.visible_to`)."""
        if policy.sees_everything(VIEW):
            return self.all()
        return self.filter(procedure__owner__in=policy.organisations(VIEW))

    def registry(self, policy):
        """The registry list: the latest version of each procedure the user may see, outside the templates."""
        return self.latest().visible_to(policy).filter(procedure__is_template=False)

    def count_by_field(self) -> dict[int, int]:
        """How many of these versions each field has (field id → number), in one grouped query."""
        rows = self.order_by().values("field_id").annotate(n=Count("pk"))
        return {row["field_id"]: row["n"] for row in rows}

    def latest(self):
        """The newest version of each procedure (the one being worked on, or the last published): no newer one.
        Asked as an anti-join, which PostgreSQL estimates well; `pk = (newest … LIMIT 1)` was estimated at one row
        and read every version of the country for one province's registry page (1.2 s at the national profile)."""
        newer = ProcedureVersion.objects.filter(
            procedure=models.OuterRef("procedure"), number__gt=models.OuterRef("number")
        )
        return self.filter(~models.Exists(newer))

    def published(self):
        """Versions in force today (or still applied during an abolition's transition), outside the template
        catalogue: the only ones the public portal shows."""
        return self.filter(is_public=True)

    def in_force_on(self, day: date):
        return self.filter(effective_from__lte=day).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))

    def owned_within(self, organisations):
        return self.filter(procedure__owner__in=organisations)

    def with_components(self):
        return self.select_related("procedure__owner", "field").prefetch_related(
            "steps", "dossier_items", "legal_bases", "forms", "levels"
        )

    def internal(self):
        return self.filter(group__in=INTERNAL_GROUPS)

    def of_kind(self, kind: str):
        return self.filter(group__in=KIND_GROUPS[kind])

    def at_level(self, level: str):
        """Versions performed at `level`: their primary level or any other level they list (VersionLevel)."""
        others = VersionLevel.objects.filter(version=models.OuterRef("pk"), level=level)
        return self.filter(Q(level=level) | models.Exists(others))


class ProcedureVersion(Transitions, Versioned, AuditedModel):
    """One version of a procedure with every component of domain.md §3.1. A version stops being editable once it
    is submitted; a published version is immutable, and editing the procedure starts the draft of the next one."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions", verbose_name="thủ tục")
    number = models.PositiveIntegerField("phiên bản")
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT)

    name = models.CharField("tên thủ tục", max_length=500)
    group = models.CharField("nhóm", max_length=1, choices=Group.choices)
    # The primary level: a procedure performed at several levels (VersionLevel rows) is counted once, under this one.
    level = models.CharField("cấp thực hiện", max_length=20, choices=Level.choices)
    field = models.ForeignKey(Field, verbose_name="lĩnh vực", on_delete=models.PROTECT, related_name="+")
    channels = models.JSONField("cách thức thực hiện", default=list, blank=True)
    dossier_sets = models.PositiveSmallIntegerField("số lượng bộ hồ sơ", default=1)
    # Thời hạn giải quyết: the text as the decision words it (published as written), and the structured part read
    # from it (procedures.processing_time): the main case's value or range and unit, then the other cases.
    processing_time_text = models.CharField(
        "thời hạn giải quyết", max_length=500, blank=True, help_text="Ghi như quyết định công bố, ví dụ: 10 - 20 ngày"
    )
    processing_time_min = models.DecimalField(
        "thời hạn tối thiểu (khi là khoảng)", max_digits=6, decimal_places=1, null=True, blank=True
    )
    processing_time_value = models.DecimalField(
        "thời hạn tối đa", max_digits=6, decimal_places=1, null=True, blank=True
    )
    processing_time_unit = models.CharField(
        "đơn vị thời hạn", max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    processing_time_variants = models.JSONField(
        "thời hạn theo trường hợp",
        default=list,
        blank=True,
        help_text="Các trường hợp khác: [{condition, min, max, unit}]",
    )
    performers = models.TextField("đối tượng thực hiện", blank=True)
    authority = models.TextField("cơ quan có thẩm quyền quyết định", blank=True)
    performing_body = models.TextField("cơ quan trực tiếp thực hiện", blank=True)
    coordinating_bodies = models.TextField("cơ quan phối hợp", blank=True)
    result = models.TextField("kết quả thực hiện", blank=True)
    fees = models.TextField("phí, lệ phí", blank=True)
    conditions = models.TextField("yêu cầu, điều kiện", blank=True)
    executions_per_year = models.PositiveIntegerField("số lần thực hiện/năm của một đối tượng", null=True, blank=True)
    subjects_per_year = models.PositiveIntegerField("số đối tượng thực hiện/năm", null=True, blank=True)

    effective_from = models.DateField("có hiệu lực từ", null=True, blank=True)
    effective_to = models.DateField("hết hiệu lực từ sau ngày", null=True, blank=True)
    review_comment = models.TextField("ý kiến trả lại", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người tạo",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(blank=True, editable=False)
    # Published and not in the template catalogue, kept by save() (and Procedure.save() for is_template): what the
    # portal shows, tested on the version row alone. The join to procedures it saves is what a search matching
    # 13% of 100,000 versions spent most of its time on (bench/README.md, Search). Deliberately not indexed: on
    # SQLite an index here would compete with the full-text candidates to drive the search (procedures/search.py).
    # The check constraint makes the dangerous mistake impossible: a version that is not published (or still applied
    # during an abolition's transition) is never public.
    is_public = models.BooleanField("đang công khai", default=False, editable=False)

    audit_name = "version"
    audit_exclude = frozenset({"search_text", "is_public", "row_version", "created_at", "updated_at"})

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "phiên bản thủ tục"
        verbose_name_plural = "phiên bản thủ tục"
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique_number"),
            models.CheckConstraint(
                condition=Q(is_public=False) | Q(status__in=sorted(PUBLIC)), name="procversion_public_only_published"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "group", "level"], name="procversion_status_idx"),
            models.Index(fields=["effective_from", "effective_to"], name="procversion_effective_idx"),
        ]

    def __str__(self):
        return f"{self.name} (phiên bản {self.number})"

    def audit_scope_organisation_id(self):
        return self.procedure.owner_id

    def permits(self, policy, action: str) -> bool:
        return self.procedure.permits(policy, action)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def kind(self) -> str:
        return Group(self.group).kind if self.group else ""

    def get_kind_display(self) -> str:
        return Kind(self.kind).label if self.kind else ""

    def level_rows(self) -> list["VersionLevel"]:
        """Every level the version is performed at with its implementing body, the primary level first. A version
        written by a bulk path may have no rows yet: its primary level and body stand for them."""
        rows = sorted(self.levels.all(), key=lambda row: (row.level != self.level, row.order, row.pk or 0))
        return rows or [VersionLevel(version=self, level=self.level, body=self.performing_body, order=1)]

    # Workflow (domain.md §4.1): the drafting unit submits, the focal point checks or sends back. ---------------

    @transition(
        source={Status.DRAFT, Status.RETURNED}, target=Status.SUBMITTED, permission="procedures.submit", label="trình"
    )
    def submit(self):
        self.review_comment = ""

    @transition(source={Status.SUBMITTED}, target=Status.CHECKED, permission="procedures.check", label="kiểm soát")
    def control(self):
        """Refused, listing them, while mandatory components are missing."""
        missing = self.missing_components()
        if missing:
            raise ValidationError(
                f"Chưa thể kiểm soát: còn thiếu {len(missing)} thành phần bắt buộc. Thiếu: " + "; ".join(missing)
            )

    @transition(
        source={Status.SUBMITTED, Status.CHECKED},
        target=Status.RETURNED,
        permission="procedures.check",
        label="trả lại",
        verb="returned",
    )
    def send_back(self, comment: str):
        if not (comment or "").strip():
            raise ValidationError({"comment": "Cần ghi rõ lý do trả lại để người soạn thảo chỉnh sửa."})
        self.review_comment = comment.strip()

    # Publication: moves made by an issued decision (procedures.services.decision_issue / decision_apply). ------

    @transition(source={Status.CHECKED}, target=Status.SCHEDULED, permission=None, label="công bố")
    def schedule(self):
        pass

    @transition(source={Status.SCHEDULED}, target=Status.PUBLISHED, permission=None, label="áp dụng")
    def publish(self, day: date):
        self.effective_from = day

    def _end(self, day: date) -> None:
        self.effective_to = day - timedelta(days=1)

    @transition(source={Status.PUBLISHED}, target=Status.AMENDED, permission=None, label="sửa đổi")
    def end_amended(self, day: date):
        """The version in force until `day`, when an amended version takes its place."""
        self._end(day)

    @transition(source={Status.PUBLISHED}, target=Status.REPLACED, permission=None, label="thay thế")
    def end_replaced(self, day: date):
        self._end(day)

    @transition(source={Status.PUBLISHED, Status.SCHEDULED}, target=Status.ABOLISHED, permission=None, label="bãi bỏ")
    def abolish(self, day: date):
        self._end(day)

    @transition(
        source={Status.PUBLISHED, Status.SCHEDULED},
        target=Status.TRANSITIONAL,
        permission=None,
        label="bãi bỏ, áp dụng chuyển tiếp",
        verb="abolished_transitional",
    )
    def abolish_with_transition(self, until: date | None):
        """Abolished, but applied on until the end of `until` (shown on the portal till then), or with no date
        until a later decision ends the transition."""
        self.effective_to = until

    @transition(source={Status.TRANSITIONAL}, target=Status.ABOLISHED, permission=None, label="hết áp dụng chuyển tiếp")
    def end_transition(self, day: date):
        """The transition ends on `day` (its last day is the day before): kept when the clause gave a date."""
        if self.effective_to is None or self.effective_to >= day:
            self._end(day)

    @transition(
        source={Status.TRANSITIONAL},
        target=Status.ABOLISHED,
        permission="decisions.manage",
        label="kết thúc áp dụng chuyển tiếp",
        verb="transition_ended",
    )
    def mark_transition_ended(self, on: str = ""):
        """Whoever manages decisions records that the clause's condition came to pass ("đến khi Thông tư … có hiệu
        lực"): the procedure is no longer applied from `on` (dd/mm/yyyy, default today), never a day to come nor
        before it took effect."""
        try:
            day = date(*reversed([int(part) for part in on.strip().split("/")])) if on.strip() else None
        except (ValueError, TypeError):
            raise ValidationError({"on": "Ngày kết thúc không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."}) from None
        day = legal_date(
            day, what="Ngày kết thúc áp dụng chuyển tiếp", after=[(self.effective_from, "ngày thủ tục có hiệu lực")]
        )
        if self.effective_to is not None and day > self.effective_to:
            raise ValidationError({"on": "Thời hạn chuyển tiếp đã kết thúc trước ngày này."})
        self._end(day)

    def save(self, *args, **kwargs):
        was_public = getattr(self, "_audit_snapshot", {}).get("status") in PUBLIC
        self.prepare_save()
        super().save(*args, **kwargs)
        if was_public or self.status in PUBLIC:  # only a public version ever has a search entry
            SearchEntry.objects.using(self._state.db).sync([self.pk])

    def prepare_save(self) -> None:
        """The derived columns save() writes: bulk paths (bulk_create does not call save()) call this themselves."""
        self.search_text = self.folded_text()
        self.processing_time_text = processing_time.worded(self.processing_time_text, self.processing_time())
        self.is_public = self.status in PUBLIC and not self.procedure.is_template

    def folded_text(self) -> str:
        """What the search matches: name, codes and field, folded (no diacritics, lower case)."""
        procedure = self.procedure
        return fold_vn(
            f"{self.name} {procedure.code} {procedure.national_code} {self.field.name if self.field_id else ''}"
        )

    def processing_time_display(self) -> str:
        """The time limit as published: the decision's own words, or the wording of the structured part."""
        if self.processing_time_text:
            return self.processing_time_text
        structured = self.processing_time()
        return structured.text() if structured else ""

    def time_warnings(self) -> list[str]:
        """A time limit that disagrees with the sum of its steps' times, for the decision's confirmation page."""
        disagreement = processing_time.steps_disagreement(
            self.processing_time(), [step.duration for step in self.steps.all()]
        )
        return [f"“{self.name}”: {disagreement}"] if disagreement else []

    def processing_time(self) -> ProcessingTime | None:
        """The structured part (None when nothing was understood or entered)."""
        return processing_time.from_fields(
            self.processing_time_min,
            self.processing_time_value,
            self.processing_time_unit,
            self.processing_time_variants,
        )

    def processing_working_days(self) -> Decimal | None:
        """What the cost model compares: the maximum of the main case in working days (docs/glossary.md)."""
        structured = self.processing_time()
        return structured.main.in_working_days() if structured else None

    def channel_labels(self) -> list[str]:
        return [Channel(c).label for c in self.channels if c in Channel.values]

    def missing_components(self) -> list[str]:
        """Labels of the mandatory components that are still empty (the focal point's check guard)."""
        return [COMPONENT_LABELS[name] for name in required_components() if not self._has(name)]

    def _has(self, component: str) -> bool:
        if component in {"steps", "dossier_items", "legal_bases", "forms"}:
            return getattr(self, component).exists()
        if component == "processing_time":
            return bool(self.processing_time_text) or self.processing_time_value is not None
        if component == "field":
            return self.field_id is not None
        return bool(getattr(self, component))

    def clean(self):
        unknown = set(self.channels or []) - set(Channel.values)
        if unknown:
            raise ValidationError({"channels": f"Cách thức không hợp lệ: {', '.join(sorted(unknown))}."})
        errors = processing_time.problems(
            self.processing_time_min, self.processing_time_value, self.processing_time_variants
        )
        if errors:
            raise ValidationError(errors)


class SearchEntryQuerySet(models.QuerySet):
    SYNC_CHUNK = 500

    def sync(self, version_ids) -> None:
        """Make the entries of these versions what they should be: one for each public version, with its current
        text, field, group, level and owner, none for the others. Three queries per SYNC_CHUNK versions."""
        ids = list(version_ids)
        for start in range(0, len(ids), self.SYNC_CHUNK):
            chunk = ids[start : start + self.SYNC_CHUNK]
            self.filter(version_id__in=chunk).delete()
            self.bulk_create(self._derived(ProcedureVersion.objects.using(self.db).filter(pk__in=chunk)))

    def rebuild(self) -> int:
        """Every entry again from the versions (after a bulk load, or to repair): returns the number of entries."""
        self.all().delete()
        public = ProcedureVersion.objects.using(self.db).order_by("pk")
        batch, written = [], 0
        for entry in self._derived(public):
            batch.append(entry)
            if len(batch) == 2000:
                written += len(self.bulk_create(batch))
                batch = []
        return written + len(self.bulk_create(batch))

    def _derived(self, versions):
        rows = versions.filter(is_public=True).values_list(
            "pk", "search_text", "field_id", "group", "level", "procedure__owner_id"
        )
        for pk, text, field_id, group, level, owner_id in rows.iterator(2000):
            yield SearchEntry(
                version_id=pk,
                search_text=text,
                text_length=len(text),
                field_id=field_id,
                group=group,
                level=level,
                owner_id=owner_id,
            )


class SearchEntry(models.Model):
    """The public search's copy of a version in force (`is_public`): its folded text and the columns the portal
    filters and counts by, and nothing else. Searching this narrow table instead of the 40-column version table
    visits a third of the pages on PostgreSQL and smaller rows on SQLite (bench/README.md, Search).

    Derived data, never edited: `ProcedureVersion.save()` and `Procedure.save()` call `SearchEntry.objects.sync()`,
    bulk loads call `rebuild()` (`manage.py rebuild_search_entries`). The full-text indexes live here: a trigram GIN
    index on PostgreSQL, the FTS5 table `SearchEntryText` on SQLite (migration 0006). No other index, on purpose:
    on SQLite an index on owner or field would compete with the FTS5 rowids to drive the search's plan.
    """

    version = RowidOneToOneField(
        ProcedureVersion, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    search_text = models.TextField()
    text_length = models.PositiveIntegerField()  # len(search_text): the search ranks shorter texts first
    field = models.ForeignKey(Field, on_delete=models.PROTECT, db_index=False, related_name="+")
    group = models.CharField(max_length=1, choices=Group.choices)
    level = models.CharField(max_length=20, choices=Level.choices)
    owner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, db_index=False, related_name="+")

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "mục tra cứu công khai"
        verbose_name_plural = "mục tra cứu công khai"

    def __str__(self):
        return self.search_text


class SearchEntryText(models.Model):
    """SQLite only: the FTS5 table (trigram tokenizer) over SearchEntry.search_text, created by migration 0006 and
    kept by its triggers. Declared so that a search can join it: `SearchEntry.objects.filter(fts__text__match=...)`
    (core/fts.py). There is no such table on PostgreSQL, which searches with its trigram index."""

    entry = models.OneToOneField(
        SearchEntry,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="fts",
    )
    text = FullTextField(db_column="procedures_searchentry_fts")  # FTS5's hidden column, named after the table

    class Meta:
        managed = False
        db_table = "procedures_searchentry_fts"

    def __str__(self):
        return str(self.entry_id)


def required_components() -> list[str]:
    """The components a version needs before the focal point may check it: REQUIRED_COMPONENTS, or the
    TINHGON_REQUIRED_COMPONENTS setting. The check guard and the marks on the edit form both read this."""
    return getattr(settings, "TINHGON_REQUIRED_COMPONENTS", REQUIRED_COMPONENTS)


COMPONENT_LABELS = {
    "name": "Tên thủ tục",
    "group": "Nhóm",
    "level": "Cấp thực hiện",
    "field": "Lĩnh vực",
    "steps": "Trình tự thực hiện",
    "channels": "Cách thức thực hiện",
    "dossier_items": "Thành phần, số lượng hồ sơ",
    "dossier_sets": "Số lượng bộ hồ sơ",
    "processing_time": "Thời hạn giải quyết",
    "performers": "Đối tượng thực hiện",
    "authority": "Cơ quan có thẩm quyền quyết định",
    "performing_body": "Cơ quan trực tiếp thực hiện",
    "coordinating_bodies": "Cơ quan phối hợp",
    "result": "Kết quả thực hiện",
    "fees": "Phí, lệ phí",
    "forms": "Mẫu đơn, mẫu tờ khai",
    "conditions": "Yêu cầu, điều kiện",
    "legal_bases": "Căn cứ pháp lý",
    "executions_per_year": "Số lần thực hiện/năm",
    "subjects_per_year": "Số đối tượng thực hiện/năm",
}


class VersionPart(AuditedModel):
    """A child row of a version (step, dossier item, legal basis, form). Frozen with its version."""

    version: models.ForeignKey
    order = models.PositiveSmallIntegerField("thứ tự", default=1)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def audit_scope_organisation_id(self):
        return self.version.procedure.owner_id

    def save(self, *args, **kwargs):
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_editable()
        return super().delete(*args, **kwargs)

    def _check_editable(self):
        if not self.version.is_editable:
            raise ValidationError("Phiên bản đã trình hoặc đã công bố không thể sửa; hãy tạo phiên bản mới.")


class Step(VersionPart):
    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="steps", verbose_name="phiên bản thủ tục"
    )
    actor = models.CharField("chủ thể thực hiện", max_length=300, blank=True)
    action = models.TextField("nội dung công việc")
    duration = models.CharField("thời gian", max_length=100, blank=True)

    class Meta(VersionPart.Meta):
        verbose_name = "bước thực hiện"
        verbose_name_plural = "trình tự thực hiện"

    def __str__(self):
        return f"Bước {self.order}: {self.action[:60]}"


class DossierItem(VersionPart):
    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="dossier_items", verbose_name="phiên bản thủ tục"
    )
    name = models.CharField("tên giấy tờ", max_length=500)
    originals = models.PositiveSmallIntegerField("bản chính", default=0)
    copies = models.PositiveSmallIntegerField("bản sao", default=0)
    certified_copies = models.PositiveSmallIntegerField("bản sao chứng thực", default=0)
    obtainable_from_data = models.BooleanField(
        "có thể khai thác từ dữ liệu sẵn có / kết quả giải quyết trước đó", default=False
    )

    class Meta(VersionPart.Meta):
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"

    def __str__(self):
        return self.name

    def quantity_display(self) -> str:
        parts = [(self.originals, "bản chính"), (self.copies, "bản sao"), (self.certified_copies, "bản sao chứng thực")]
        return ", ".join(f"{n:02d} {label}" for n, label in parts if n) or "—"


class LegalBasis(VersionPart):
    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="legal_bases", verbose_name="phiên bản thủ tục"
    )
    number = models.CharField("số, ký hiệu", max_length=100)
    date = models.DateField("ngày ban hành", null=True, blank=True)
    issuer = models.CharField("cơ quan ban hành", max_length=300, blank=True)
    title = models.CharField("trích yếu", max_length=500, blank=True)
    article = models.CharField("điều, khoản", max_length=200, blank=True)

    class Meta(VersionPart.Meta):
        verbose_name = "căn cứ pháp lý"
        verbose_name_plural = "căn cứ pháp lý"

    def __str__(self):
        dated = f" ngày {self.date:%d/%m/%Y}" if self.date else ""
        issuer = f"của {self.issuer}" if self.issuer else ""
        return " ".join(p for p in [self.title or "Văn bản", f"số {self.number}{dated}", issuer] if p)


class VersionLevel(VersionPart):
    """One level a version is performed at, with its implementing body (cơ quan thực hiện): a joint procedure of a
    ministry's list is performed at central level by one body and at provincial level by another (QĐ 101/QĐ-BNV).
    The row of the primary level mirrors `ProcedureVersion.level` and `performing_body` (procedures.services keeps
    it so); the version is counted once, under its primary level."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="levels", verbose_name="phiên bản thủ tục"
    )
    level = models.CharField("cấp thực hiện", max_length=20, choices=Level.choices)
    body = models.TextField("cơ quan thực hiện", blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="đơn vị trong hệ thống",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(VersionPart.Meta):
        verbose_name = "cấp thực hiện"
        verbose_name_plural = "các cấp thực hiện"
        constraints = [models.UniqueConstraint(fields=["version", "level"], name="version_level_unique")]

    def __str__(self):
        return f"{self.get_level_display()}: {self.body}" if self.body else self.get_level_display()


def form_upload_path(instance, filename):
    return f"procedures/{instance.version.procedure_id}/v{instance.version.number}/{filename}"


class ProcedureFormQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """Forms of the versions in force are public, like the portal page that lists them; drafts' forms only to
        whoever may see the procedure."""
        return self.filter(Q(version__is_public=True) | Q(version__procedure__owner__in=policy.organisations(VIEW)))


class ProcedureForm(VersionPart):
    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="forms", verbose_name="phiên bản thủ tục"
    )
    name = models.CharField("tên mẫu đơn, tờ khai", max_length=300)
    file = models.FileField("tệp", upload_to=form_upload_path, blank=True)

    objects = ProcedureFormQuerySet.as_manager()

    class Meta(VersionPart.Meta):
        verbose_name = "mẫu đơn, tờ khai"
        verbose_name_plural = "mẫu đơn, tờ khai"

    def __str__(self):
        return self.name


class PublicationDecisionQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """Decisions of the units the user may see, and decisions that contain their procedures."""
        scope = policy.organisations(VIEW)
        theirs = DecisionItem.objects.filter(version__procedure__owner__in=scope).values("decision_id")
        return self.filter(Q(issuer__in=scope) | Q(pk__in=theirs))

    def with_item_counts(self):
        """`n_new`, `n_amended`, `n_replaced`, `n_abolished`: the decision's items of each change. Each is a
        subquery on the decision's own items, which PostgreSQL works out only for the rows a page keeps (after the
        sort and the LIMIT) and which a COUNT leaves out; as one GROUP BY over the join, the portal's list of the
        country's 14,000 decisions counted their 99,000 items on every page (150 ms)."""
        return self.annotate(**{f"n_{change}": _item_count(change) for change in Change.values})


def _item_count(change: str):
    items = DecisionItem.objects.filter(decision=OuterRef("pk"), change=change).order_by().values("decision")
    return Coalesce(Subquery(items.annotate(n=Count("pk")).values("n")), 0)


class DecisionGrounds(models.Model):
    """What a decision rests on (NĐ 30/2020/NĐ-CP, Phụ lục I): its căn cứ, and the tờ trình of the agency whose
    head proposed it. Publication decisions and approval decisions are refused without them."""

    legal_bases = models.TextField("căn cứ ban hành", blank=True, help_text="Mỗi căn cứ một dòng.")
    proposal = models.CharField(
        "tờ trình đề nghị",
        max_length=300,
        blank=True,
        help_text="Ví dụ: Tờ trình số 04/TTr-VPUBND ngày 25/7/2025",
    )
    proposer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="cơ quan trình",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Cơ quan có thủ trưởng ký tờ trình; để trống là cơ quan quản lý các thủ tục trong quyết định.",
    )

    # What a draft may lack but issuing needs: forms mark them like required fields.
    issue_needs = ("signed_on", "signer", "legal_bases", "proposal")

    class Meta:
        abstract = True

    def owning_agencies(self) -> set:
        """The agencies owning the procedures the decision is about."""
        raise NotImplementedError

    def legal_basis_lines(self) -> list[str]:
        return [line.strip() for line in self.legal_bases.splitlines() if line.strip()]

    def proposing_agency(self):
        """The agency whose head proposed the decision: as chosen, else the one agency owning every procedure in it
        (the department whose division drafted them), else the issuer's TTHC control focal unit, which gathers the
        agencies' lists into one tờ trình (QĐ 680/QĐ-UBND Vĩnh Long: "Theo đề nghị của Chánh Văn phòng UBND tỉnh"),
        else None."""
        if self.proposer_id:
            return self.proposer
        owners = self.owning_agencies()
        if len(owners) == 1:
            return owners.pop()
        focal = Organisation.objects.subtree(self.issuer).filter(is_tthc_focal_unit=True).order_by("pk").first()
        return focal.agency() if focal else None

    def proposal_clause(self) -> str:
        """'Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 85/TTr-SNV ngày 08/10/2025.' (NĐ 30/2020: the head
        of the proposing agency and their tờ trình). A tờ trình typed with its proposer ('… của Giám đốc Sở Nội vụ')
        is taken as typed unless an agency was chosen."""
        text = " ".join(self.proposal.split()).rstrip(".")
        if not text:
            return ""
        if text.lower().startswith("theo đề nghị"):
            return f"{text}."
        document, sep, named = text.rpartition(" của ")
        if sep and not self.proposer_id:
            return f"Theo đề nghị của {named} tại {document}."
        agency = self.proposing_agency()
        if agency is None:
            return f"Theo đề nghị tại {text}."
        return f"Theo đề nghị của {agency.head_in_prose()} tại {document if sep else text}."

    def preamble(self) -> list[str]:
        """The căn cứ lines and the proposal as the decision prints them: 'Căn cứ …;' each, the last before the
        proposal ending the sentence when there is none."""
        lines = [unicodedata.normalize("NFC", line).rstrip(".;, ") for line in self.legal_basis_lines()]
        lines = [line if line.lower().startswith("căn cứ") else f"Căn cứ {line}" for line in lines]
        proposal = unicodedata.normalize("NFC", self.proposal_clause())
        ends = [";"] * len(lines)
        if lines and not proposal:
            ends[-1] = "."
        return [line + end for line, end in zip(lines, ends, strict=True)] + ([proposal] if proposal else [])

    def grounds_problems(self) -> list[str]:
        problems = []
        if not self.legal_basis_lines():
            problems.append("Cần nhập căn cứ ban hành (mỗi căn cứ một dòng).")
        if not self.proposal.strip():
            problems.append("Cần nhập tờ trình đề nghị (số, ngày của tờ trình).")
        elif " của " not in self.proposal and self.owning_agencies() and self.proposing_agency() is None:
            problems.append("Cần chọn cơ quan trình: các thủ tục thuộc nhiều cơ quan khác nhau.")
        return problems


class PublicationDecision(DecisionGrounds, Transitions, Versioned, AuditedModel, SignedOriginal):
    """Quyết định công bố: publishes, amends, replaces or abolishes procedures from its effective date."""

    number = models.CharField("số, ký hiệu", max_length=60, help_text="Ví dụ: 680/QĐ-UBND")
    title = models.CharField("trích yếu", max_length=500, blank=True)
    issuer = models.ForeignKey(
        "organisations.Organisation", verbose_name="cơ quan ban hành", on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField("ngày ký", null=True, blank=True)
    signer = models.CharField("người ký", max_length=150, blank=True)
    signer_title = models.CharField(
        "chức vụ người ký",
        max_length=150,
        blank=True,
        help_text="Để trống là chức vụ người đứng đầu cơ quan ban hành (CHỦ TỊCH, GIÁM ĐỐC, BỘ TRƯỞNG…); ký thay "
        "ghi hai dòng, ví dụ “KT. CHỦ TỊCH” rồi “PHÓ CHỦ TỊCH”.",
    )
    effective_on = models.DateField("ngày có hiệu lực")
    status = models.CharField("trạng thái", max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    issued_at = models.DateTimeField("thời điểm ban hành trên hệ thống", null=True, blank=True)
    applied_at = models.DateTimeField("thời điểm áp dụng vào danh mục", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_name = "decision"
    audit_exclude = frozenset({"created_at", "row_version"})
    original_states = frozenset({DecisionStatus.ISSUED, DecisionStatus.APPLIED})
    original_permission = "decisions.manage"

    objects = PublicationDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "quyết định công bố"
        verbose_name_plural = "quyết định công bố"
        ordering = ["-effective_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="decision_unique_number_per_issuer"),
        ]

    def __str__(self):
        return self.number

    def audit_scope_organisation_id(self):
        return self.issuer_id

    def permits(self, policy, action: str) -> bool:
        if action == WHOLE:
            return self.whole_visible_to(policy)
        return policy.allows(action, self.issuer)

    def owning_agencies(self) -> set:
        return {
            item.version.procedure.owner.agency()
            for item in self.items.select_related("version__procedure__owner__parent")
        }

    def signing_title(self) -> str:
        """The title printed over the signature: as entered, else the head of the issuer's kind of unit."""
        return self.signer_title.strip() or self.issuer.signer_titles()[0]

    def whole_visible_to(self, policy) -> bool:
        """May the user read the whole decision, every procedure in it? Always once issued (it is public record);
        for a draft, only over the issuer, whose scope holds every item: a unit that sees the draft because one of
        its procedures is in it must not read the others' drafts in the Word file."""
        return self.status != DecisionStatus.DRAFT or policy.allows(WHOLE, self.issuer)

    def issue_problems(self) -> list[str]:
        """Why `issue` would refuse this draft now (empty when it may be issued): the confirmation page shows them
        before the user tries."""
        if self.status != DecisionStatus.DRAFT:
            return ["Quyết định đã được ban hành."]
        items = list(self.items.select_related("version__procedure", "replaces"))
        problems = [] if items else ["Quyết định chưa có thủ tục nào."]
        if not self.signed_on or not self.signer:
            problems.append("Cần nhập ngày ký và người ký trước khi ban hành.")
        problems += self.grounds_problems()
        return problems + [problem for item in items for problem in item.problems()]

    def issue_warnings(self) -> list[str]:
        """What the confirmation page points out without refusing: a time limit that disagrees with its steps."""
        items = self.items.select_related("version").prefetch_related("version__steps")
        return [warning for item in items for warning in item.version.time_warnings()]

    @transition(
        source={DecisionStatus.DRAFT}, target=DecisionStatus.ISSUED, permission="decisions.manage", label="ban hành"
    )
    def issue(self):
        """Record the signed decision: the versions it publishes become scheduled (applied on the effective date,
        procedures.services.decision_apply)."""
        problems = self.issue_problems()
        if problems:
            raise ValidationError(problems)
        self.issued_at = timezone.now()
        for item in self.items.exclude(change=Change.ABOLISHED).select_related("version__procedure"):
            item.version.schedule()

    @transition(
        source={DecisionStatus.ISSUED}, target=DecisionStatus.APPLIED, permission=None, label="áp dụng", verb="applied"
    )
    def apply(self):
        """Apply to the registry as of the effective date D: new versions take effect on D, the versions they
        amend, replace or abolish end on D - 1, and the decision items that had published those are ended."""
        for item in self.items.select_related("version__procedure", "replaces"):
            item.apply(self.effective_on)
        self.applied_at = timezone.now()


# The states a version must be in to enter a decision in each form.
ITEM_SOURCE_STATES = {
    Change.NEW: {Status.CHECKED},
    Change.AMENDED: {Status.CHECKED},
    Change.REPLACED: {Status.CHECKED},
    Change.ABOLISHED: {Status.PUBLISHED, Status.SCHEDULED, Status.TRANSITIONAL},
}
ANNEX_PART = re.compile(r"[IVXLC]+")
ANNEX_SECTION = re.compile(r"[A-ZĐ0-9][A-ZĐ0-9.]*")


class DecisionItemQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """The items of an issued decision are public record; those of a draft only to whoever may see the
        procedure (a draft decision of the province does not show one department's drafts to another)."""
        return self.filter(
            Q(version__procedure__owner__in=policy.organisations(VIEW)) | ~Q(decision__status=DecisionStatus.DRAFT)
        )


class DecisionItem(models.Model):
    decision = models.ForeignKey(PublicationDecision, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    version = models.ForeignKey(
        ProcedureVersion, verbose_name="thủ tục (phiên bản)", on_delete=models.PROTECT, related_name="decision_items"
    )
    change = models.CharField("hình thức", max_length=20, choices=Change.choices)
    replaces = models.ForeignKey(
        Procedure,
        verbose_name="thay thế thủ tục",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by_items",
    )
    ends = models.ManyToManyField(
        "self", verbose_name="chấm dứt hiệu lực của", symmetrical=False, blank=True, related_name="ended_by"
    )
    # The text the annex prints for the item, e.g. "Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ" in the
    # column "Tên VBQPPL quy định việc bãi bỏ" of an abolished procedure.
    legal_ground = models.CharField(
        "căn cứ pháp lý của việc công bố, sửa đổi, bãi bỏ",
        max_length=500,
        blank=True,
        help_text="Ví dụ: bị bãi bỏ tại Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ",
    )
    # Where the item stands in the decision's annex ("Phần I – mục A – STT 1"), as the decision numbers it; a later
    # decision that ends it cites this position.
    annex_part = models.CharField("phần", max_length=10, blank=True, help_text="Số La Mã, ví dụ: I")
    annex_section = models.CharField("mục", max_length=20, blank=True, help_text="Ví dụ: A hoặc A.1")
    annex_number = models.PositiveSmallIntegerField("số thứ tự trong phụ lục", null=True, blank=True)
    # An abolition's transitional clause: the procedure goes on being applied until a condition or a date.
    transition_until = models.DateField("tiếp tục thực hiện đến hết ngày", null=True, blank=True)
    transition_note = models.CharField(
        "điều khoản chuyển tiếp",
        max_length=500,
        blank=True,
        help_text="Ví dụ: tiếp tục thực hiện đến khi Thông tư thay thế có hiệu lực",
    )

    objects = DecisionItemQuerySet.as_manager()

    class Meta:
        verbose_name = "thủ tục trong quyết định"
        verbose_name_plural = "thủ tục trong quyết định"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "version"], name="decision_item_unique_version"),
        ]

    def __str__(self):
        return f"{self.decision.number} · {self.get_change_display()} · {self.version.name}"

    def problems(self) -> list[str]:
        """Why this procedure cannot be published by its decision in this form (empty when it can)."""
        version, change, replaces, decision = self.version, self.change, self.replaces, self.decision
        name = f"“{version.name}”"
        errors = []
        if version.status not in ITEM_SOURCE_STATES[change]:
            errors.append(
                f"{name} đang ở trạng thái “{version.get_status_display()}”, không thể đưa vào quyết định "
                f"theo hình thức “{Change(change).label}”."
            )
        published = version.procedure.published_version()
        if change == Change.NEW and published is not None:
            errors.append(f"{name} đã được công bố; dùng hình thức “Sửa đổi, bổ sung”.")
        if change == Change.AMENDED and published is None:
            errors.append(f"{name} chưa có phiên bản đang hiệu lực để sửa đổi; dùng hình thức “Mới ban hành”.")
        if change == Change.REPLACED and (replaces is None or replaces.published_version() is None):
            errors.append(f"Cần chọn thủ tục đang có hiệu lực bị {name} thay thế.")
        if not Organisation.objects.ever_under([decision.issuer]).filter(pk=version.procedure.owner_id).exists():
            errors.append(f"{name} không thuộc phạm vi quản lý của {decision.issuer}.")
        return errors + list(self.clause_problems().values())

    def clause_problems(self) -> dict[str, str]:
        """The annex position and transitional clause that cannot stand, by field."""
        errors = {}
        if self.annex_part and not ANNEX_PART.fullmatch(self.annex_part):
            errors["annex_part"] = "Phần của phụ lục ghi bằng số La Mã, ví dụ: I, II."
        if self.annex_section and not ANNEX_SECTION.fullmatch(self.annex_section):
            errors["annex_section"] = "Mục của phụ lục ghi bằng chữ in hoa hoặc số, ví dụ: A, B, A.1."
        if self.annex_number == 0:
            errors["annex_number"] = "Số thứ tự trong phụ lục bắt đầu từ 1."
        if self.has_transition() and self.change != Change.ABOLISHED:
            errors["transition_note"] = "Chỉ thủ tục bị bãi bỏ mới có điều khoản chuyển tiếp."
        effective_on = self.decision.effective_on if self.decision_id else None
        if self.transition_until and effective_on and self.transition_until < effective_on:
            errors["transition_until"] = (
                f"Ngày kết thúc áp dụng chuyển tiếp không được trước ngày quyết định có hiệu lực "
                f"({effective_on:%d/%m/%Y})."
            )
        if self.version_id and self.version.status == Status.TRANSITIONAL and self.has_transition():
            errors["transition_note"] = "Thủ tục đang áp dụng chuyển tiếp; quyết định này chỉ chấm dứt việc áp dụng."
        return errors

    def has_transition(self) -> bool:
        return bool(self.transition_until or self.transition_note.strip())

    def transition_display(self) -> str:
        """'Tiếp tục thực hiện đến hết ngày 31/12/2026', or the clause as the decision words it."""
        note = " ".join(self.transition_note.split())
        if note:
            return note[0].upper() + note[1:]
        return f"Tiếp tục thực hiện đến hết ngày {self.transition_until:%d/%m/%Y}" if self.transition_until else ""

    def annex_position(self) -> str:
        """'Phần I – mục A – STT 1' (the parts given)."""
        parts = [
            f"Phần {self.annex_part}" if self.annex_part else "",
            f"mục {self.annex_section}" if self.annex_section else "",
            f"STT {self.annex_number}" if self.annex_number else "",
        ]
        return " – ".join(part for part in parts if part)

    def apply(self, day: date) -> None:
        version = self.version
        if self.change == Change.ABOLISHED:
            if version.status == Status.TRANSITIONAL:  # a later decision ends the transition
                self._end(version, version.end_transition, day)
            elif self.has_transition():
                self._end(version, lambda _day: version.abolish_with_transition(self.transition_until), day)
            else:
                self._end(version, version.abolish, day)
            return
        if self.change == Change.AMENDED:
            current = version.procedure.published_version()
            self._end(current, current and current.end_amended, day)
        elif self.change == Change.REPLACED:
            current = self.replaces.published_version()
            self._end(current, current and current.end_replaced, day)
        version.publish(day)

    def _end(self, version, move, day: date) -> None:
        if version is None:
            return
        move(day)
        self.ends.add(
            *DecisionItem.objects.filter(version=version, decision__status=DecisionStatus.APPLIED).exclude(pk=self.pk)
        )
