import logging
import re
import unicodedata
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tinhgon.audit.models import AuditedModel
from tinhgon.core import doctemplates
from tinhgon.core.dates import today
from tinhgon.core.doctemplates import KINDS
from tinhgon.core.locking import Versioned
from tinhgon.core.text import fold_vn

logger = logging.getLogger(__name__)


def valid_on(day: date, prefix: str = "") -> Q:
    """Rows whose [valid_from, valid_to] interval contains `day` (valid_to empty = still valid)."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, policy):
        """Units the user may see: their own subtree, history included (accounts/permissions.py)."""
        return self.filter(pk__in=policy.organisations("organisations.view").values("pk"))

    def as_of(self, day: date | None = None):
        return self.filter(valid_on(day or today()))

    def current(self):
        return self.as_of(today())

    def subtree(self, root, *, as_of: date | None = None, include_self: bool = True):
        """All units under `root` on `as_of` (default today), found through the closure table in one query."""
        day = as_of or today()
        links = OrganisationLink.objects.filter(valid_on(day), ancestor=root)
        if not include_self:
            links = links.filter(depth__gt=0)
        return self.filter(id__in=links.values("descendant_id")).as_of(day)

    def ever_under(self, roots):
        """Units that are or ever were under any of `roots` (a queryset or list), whatever the date: the scope a
        member of those roots may read, history included."""
        return self.filter(id__in=OrganisationLink.objects.filter(ancestor__in=roots).values("descendant_id"))

    def ever_above(self, units):
        """Units that are or ever were above any of `units` (a queryset or list), those units included."""
        return self.filter(id__in=OrganisationLink.objects.filter(descendant__in=units).values("ancestor_id"))

    def search(self, text: str):
        """Units whose name, short name or code contain every word of `text`, ignoring diacritics and case."""
        words = fold_vn(text).split()
        if not words:
            return self
        every_word = Q()
        for word in words:
            every_word &= Q(search_text__contains=word)
        return self.filter(every_word | Q(code__iexact=text.strip()))


# The head of each kind of unit and the deputy who signs for them (NĐ 30/2020/NĐ-CP, thẩm quyền ký "KT."). The titles
# of a department's divisions vary (Chi cục trưởng, Trưởng phòng, Giám đốc trung tâm): the generic one is used.
UNIT_HEAD = ("THỦ TRƯỞNG CƠ QUAN", "PHÓ THỦ TRƯỞNG CƠ QUAN")
SIGNER_TITLES = {
    "ministry": ("BỘ TRƯỞNG", "THỨ TRƯỞNG"),
    "province": ("CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "district": ("CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "commune": ("CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "department": ("GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    "provincial_office": ("CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"),
}
# The head as the text of a decision names them before the unit's name ("Theo đề nghị của Giám đốc Sở Nội vụ", "của
# Chánh Văn phòng UBND tỉnh"); a division's head is its "Thủ trưởng".
HEAD_IN_PROSE = {
    "ministry": "Bộ trưởng",
    "province": "Chủ tịch",
    "district": "Chủ tịch",
    "commune": "Chủ tịch",
    "department": "Giám đốc",
    "provincial_office": "Chánh",
}


class Organisation(Versioned, AuditedModel):
    """A unit of the state administration (Bộ, UBND tỉnh, Sở, phòng, xã...), valid for a period of time.

    The tree is recorded twice: `parent` is the current parent, for display and forms; `OrganisationLink` is the
    time-versioned closure table that answers "what was under X on date D" in one indexed query.
    """

    class Kind(models.TextChoices):
        MINISTRY = "ministry", "Bộ, cơ quan ngang bộ"
        PROVINCE = "province", "UBND tỉnh, thành phố"
        PROVINCIAL_OFFICE = "provincial_office", "Văn phòng UBND tỉnh"
        DEPARTMENT = "department", "Sở, ban, ngành"
        DEPARTMENT_UNIT = "department_unit", "Phòng, chi cục, trung tâm"
        DISTRICT = "district", "UBND cấp huyện (trước 01/7/2025)"
        COMMUNE = "commune", "UBND xã, phường, đặc khu"

    code = models.CharField("mã đơn vị", max_length=40, unique=True)
    name = models.CharField("tên đơn vị", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=100, blank=True)
    kind = models.CharField("loại đơn vị", max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField("hiệu lực từ ngày", default=today)
    valid_to = models.DateField("hiệu lực đến ngày", null=True, blank=True)
    is_state_agency = models.BooleanField("là cơ quan hành chính nhà nước", default=True)
    is_tthc_focal_unit = models.BooleanField("là đơn vị đầu mối kiểm soát TTHC", default=False)
    successor = models.ForeignKey(
        "self",
        verbose_name="đơn vị kế thừa",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    search_text = models.CharField(max_length=600, blank=True, editable=False)

    audit_name = "unit"
    audit_exclude = frozenset({"search_text", "row_version"})

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind", "valid_from", "valid_to"], name="org_kind_validity_idx"),
            models.Index(fields=["search_text"], name="org_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="org_valid_to_after_from",
            ),
        ]

    def __str__(self):
        return self.name

    def signer_titles(self) -> tuple[str, str]:
        """The titles a decision of this unit is signed under: its head's, and a deputy's signing on the head's
        behalf ("KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH"). A ministry is never given a UBND title."""
        head, deputy = SIGNER_TITLES.get(self.kind, UNIT_HEAD)
        return head, f"KT. {head}\n{deputy}"

    def signer_title_problem(self, title: str) -> str:
        """Why `title` cannot be printed over a signature on this unit's decision ("" when it can): its first line
        names the head or deputy of another kind of unit ("CHỦ TỊCH" on a ministry's decision, issue 12), with or
        without "KT.", "TL.", "TUQ.", "Q." before it."""
        lines = unicodedata.normalize("NFC", title or "").upper().split("\n")
        first = lines[0].strip()
        named = re.sub(r"^(KT|TL|TM|TUQ|Q)\.\s*", "", first)
        own = set(SIGNER_TITLES.get(self.kind, UNIT_HEAD))
        others = {t for pair in (*SIGNER_TITLES.values(), UNIT_HEAD) for t in pair} - own
        if named not in others:
            return ""
        head, deputy = self.signer_titles()
        deputy = deputy.replace("\n", " / ")
        return f"Chức vụ “{first}” không phải chức vụ ký quyết định của {self.name}: ghi “{head}” hoặc “{deputy}”."

    def head_in_prose(self) -> str:
        """'Giám đốc Sở Nội vụ', 'Chánh Văn phòng UBND tỉnh', 'Thủ trưởng Phòng Tổ chức cán bộ'."""
        return f"{HEAD_IN_PROSE.get(self.kind, 'Thủ trưởng')} {self.name}"

    def agency(self) -> "Organisation":
        """The agency a unit belongs to: itself, or for a division (phòng, chi cục) the department above it. Decisions
        assign work to and take proposals from agencies, never from their divisions."""
        unit = self
        while unit.kind == self.Kind.DEPARTMENT_UNIT and unit.parent_id:
            unit = unit.parent
        return unit

    def clean(self):
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "Một đơn vị không thể là cấp trên của chính nó."})
        if self.parent_id and self.pk and self.parent.ancestors().filter(pk=self.pk).exists():
            raise ValidationError({"parent": "Không thể chọn đơn vị cấp dưới làm đơn vị cấp trên."})

    def save(self, *args, **kwargs):
        """Keeps two derived structures in step with the row: the folded search column and, when the unit is new
        or its parent changed, the closure links (moved on `self.move_on`, default today)."""
        self.search_text = fold_vn(f"{self.name} {self.short_name} {self.code}")
        creating = self._state.adding
        old_parent_id = getattr(self, "_audit_snapshot", {}).get("parent_id")
        super().save(*args, **kwargs)
        if creating:
            self._link_under(self.parent_id, self.valid_from, new=True)
        elif old_parent_id != self.parent_id:
            self._relink(max(getattr(self, "move_on", None) or today(), self.valid_from))

    def audit_scope_organisation_id(self):
        return self.pk

    def permits(self, policy, action: str) -> bool:
        return policy.allows(action, self)

    def _link_under(self, parent_id, day: date, *, new: bool = False) -> None:
        """Link this unit (and, on a move, its whole subtree) under `parent_id` from `day` on."""
        subtree = [(self.pk, 0)]
        if not new:
            subtree = list(
                OrganisationLink.objects.filter(valid_on(day), ancestor=self).values_list("descendant_id", "depth")
            )
        above = [(parent_id, 0)] if parent_id else []
        if parent_id:
            above += list(
                OrganisationLink.objects.filter(valid_on(day), descendant_id=parent_id, depth__gt=0).values_list(
                    "ancestor_id", "depth"
                )
            )
        rows = [
            OrganisationLink(ancestor_id=a, descendant_id=d, depth=up + 1 + down, valid_from=day)
            for a, up in above
            for d, down in subtree
        ]
        if new:
            rows.append(OrganisationLink(ancestor_id=self.pk, descendant_id=self.pk, depth=0, valid_from=day))
        OrganisationLink.objects.bulk_create(rows)

    def _relink(self, day: date) -> None:
        """Close the links from the old ancestors to this subtree on `day - 1` and open links to the new ones."""
        subtree_ids = OrganisationLink.objects.filter(valid_on(day), ancestor=self).values("descendant_id")
        own_ancestor_ids = list(
            OrganisationLink.objects.filter(valid_on(day), descendant=self, depth__gt=0).values_list(
                "ancestor_id", flat=True
            )
        )
        old = OrganisationLink.objects.filter(
            valid_on(day), descendant_id__in=subtree_ids, ancestor_id__in=own_ancestor_ids
        )
        # A link opened on the very day of the move never held: drop it rather than give it an empty interval.
        old.filter(valid_from__gte=day).delete()
        old.update(valid_to=day - timedelta(days=1))
        self._link_under(self.parent_id, day)

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def ancestors(self, *, as_of: date | None = None):
        """Units above this one on `as_of`, nearest last (root first), in one query."""
        day = as_of or today()
        links = OrganisationLink.objects.filter(valid_on(day), descendant=self, depth__gt=0)
        return (
            Organisation.objects.filter(id__in=links.values("ancestor_id"))
            .annotate(distance=models.Subquery(links.filter(ancestor=models.OuterRef("pk")).values("depth")[:1]))
            .order_by("-distance")
        )

    def children_on(self, day: date | None = None):
        day = day or today()
        links = OrganisationLink.objects.filter(valid_on(day), ancestor=self, depth=1)
        return Organisation.objects.filter(id__in=links.values("descendant_id")).as_of(day)


class OrganisationLink(models.Model):
    """Closure table of the organisation tree with validity: `ancestor` was above `descendant`, `depth` levels up,
    from `valid_from` to `valid_to`. Every unit links to itself at depth 0. A move closes the old rows and opens new
    ones, so earlier dates keep the tree as it was."""

    ancestor = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="descendant_links")
    descendant = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="ancestor_links")
    depth = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["ancestor", "valid_from", "valid_to"], name="orglink_ancestor_idx"),
            models.Index(fields=["descendant", "valid_from", "valid_to"], name="orglink_descendant_idx"),
        ]

    def __str__(self):
        return f"{self.ancestor_id} > {self.descendant_id} ({self.depth})"


def template_path(instance, filename):
    return f"organisations/templates/{instance.organisation.code}/{instance.kind}/{today():%Y%m%d}-{filename}"


class DocumentTemplateQuerySet(models.QuerySet):
    def visible_to(self, policy):
        return self.filter(organisation__in=Organisation.objects.visible_to(policy))

    def nearest(self, organisation, kind: str):
        """The template of `kind` that `organisation` prints with: its own, else its nearest ancestor's (today's
        tree), else None (the default in core/docx_templates/). One query."""
        if organisation is None:
            return None
        links = OrganisationLink.objects.filter(valid_on(today()), descendant=organisation)
        depth = models.Subquery(links.filter(ancestor=models.OuterRef("organisation_id")).values("depth")[:1])
        ids = links.values("ancestor_id")
        return self.filter(kind=kind, organisation_id__in=ids).annotate(distance=depth).order_by("distance").first()


class DocumentTemplate(AuditedModel):
    """An organisation's own version of the Word template of one kind of document (core.doctemplates.KINDS): its
    logo line, signer titles, standard căn cứ. It is used for the documents the organisation and the units under
    it issue, unless a nearer unit has its own. Checked against sample data when uploaded, so it always renders."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="document_templates"
    )
    kind = models.CharField("loại văn bản", max_length=40, choices=[(k.code, k.label) for k in KINDS.values()])
    file = models.FileField("tệp mẫu", upload_to=template_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tải lên", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("ngày tải lên", auto_now=True)

    audit_name = "template"
    audit_exclude = frozenset({"uploaded_at"})

    objects = DocumentTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = "mẫu văn bản của đơn vị"
        verbose_name_plural = "mẫu văn bản của đơn vị"
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="one_template_per_kind")]

    def __str__(self):
        return f"{self.kind} – {self.organisation}"

    def permits(self, policy, action: str) -> bool:
        return policy.allows(action, self.organisation)


def render_document(organisation, kind: str, context: dict, blocks: dict) -> bytes:
    """A document of `kind` printed with `organisation`'s template (template_bytes). An uploaded template was tried
    on sample data only: where it fails on this document's own data, the default template prints it and the failure
    is logged for the administrator, so that a clerk's download never fails for a template."""
    template = template_bytes(organisation, kind)
    default = KINDS[kind].default_bytes()
    if template != default:
        try:
            return doctemplates.render(template, context, blocks)
        except Exception:  # noqa: BLE001 - whatever the template did, the default still prints the document
            logger.warning("Mẫu %s của %s không dựng được; in bằng mẫu mặc định", kind, organisation, exc_info=True)
    return doctemplates.render(default, context, blocks)


def template_bytes(organisation, kind: str) -> bytes:
    """The template `organisation` prints documents of `kind` with: its own or its nearest ancestor's, else the
    default."""
    own = DocumentTemplate.objects.nearest(organisation, kind)
    if own is not None:
        with own.file.open("rb") as handle:
            return handle.read()
    return KINDS[kind].default_bytes()
