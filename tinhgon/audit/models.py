import json
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile


class AuditLogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Nhật ký hệ thống không thể sửa.")

    def delete(self):
        raise PermissionDenied("Nhật ký hệ thống không thể xóa.")

    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))

    def for_objects(self, model, ids):
        """The entries about the records `ids` of `model` (a record's several editions, say)."""
        kind = ContentType.objects.get_for_model(model)
        return self.filter(content_type=kind, object_id__in=[str(pk) for pk in ids])

    def since_version(self, obj, version: int):
        """The entries about `obj` written after it reached row_version `version`, oldest first."""
        return self.for_object(obj).filter(object_version__gt=version).order_by("created_at", "id")

    def visible_to(self, policy):
        """Entries about objects of the units the user may audit; entries about nothing of any unit (a login, a
        setting) when made on behalf of one of those units. An entry about another root's object is not shown
        even when someone of ours made it."""
        if policy.is_superuser:
            return self
        units = policy.organisations("audit.view")
        about_ours = models.Q(scope_organisation__in=units)
        ours_about_nothing = models.Q(scope_organisation__isnull=True, organisation__in=units)
        return self.filter(about_ours | ours_about_nothing)


class AuditLogEntry(models.Model):
    """One append-only line of the audit trail. Rows are only ever inserted: the model, its queryset and, on
    PostgreSQL, a database trigger all refuse updates and deletes."""

    created_at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_repr = models.CharField("người thực hiện (tên)", max_length=150, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="đơn vị thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("hành động", max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField("đối tượng", max_length=300, blank=True)
    scope_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="đơn vị của đối tượng",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changes = models.JSONField("thay đổi", default=dict, blank=True, encoder=DjangoJSONEncoder)
    # The object's row_version after the change (for versioned objects): a client refused for editing from an older
    # version is shown the entries written since the version it had.
    object_version = models.PositiveIntegerField("phiên bản của đối tượng", null=True, blank=True)
    ip_address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)

    objects = AuditLogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "mục nhật ký"
        verbose_name_plural = "nhật ký hệ thống"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Nhật ký hệ thống không thể sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Nhật ký hệ thống không thể xóa.")

    def change_rows(self) -> list[tuple[str, Any, Any]]:
        return [(field, values[0], values[1]) for field, values in self.changes.items()]


PLAIN = (str, int, bool, float)


def _plain(value):
    """A JSON-safe copy of a field value (dates as ISO strings, decimals as strings, files as their stored name)."""
    if value is None or type(value) in PLAIN:  # the common case, without a JSON round trip
        return value
    if type(value) is date:  # as DjangoJSONEncoder writes them, ~20 times faster than the round trip
        return value.isoformat()
    if type(value) is Decimal:
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class AuditedModel(models.Model):
    """Every create, update and delete of a subclass writes one audit entry (see tinhgon/audit/signals.py).

    `audit_name` names the object in action codes (`<app>.<audit_name>.<verb>`); `audit_exclude` lists attributes
    that are bookkeeping, not content (timestamps, search columns).
    """

    audit_name: ClassVar[str] = ""
    audit_exclude: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        """Keep the loaded values for the audit snapshot, which is only worked out if something reads it (a save,
        a delete): a page listing 3,500 units spent 12 ms on snapshots nobody read. Values that can change in
        place (JSON lists and dicts) or that a descriptor changes (files) are snapshotted at once."""
        instance = super().from_db(db, field_names, values)
        special = cls._audit_special_attnames()
        eager = {name: _plain(getattr(instance, name)) for name in special if name in field_names} if special else {}
        instance._audit_loaded = (field_names, values, eager)
        return instance

    @property
    def _audit_snapshot(self) -> dict[str, Any]:
        """The audited values as loaded from the database (or as last saved): what audit_changes() compares with.
        AttributeError for an object neither loaded nor saved, so that getattr(obj, "_audit_snapshot", {}) works."""
        state = self.__dict__
        snapshot = state.get("_audit_snapshot_value")
        if snapshot is None:
            if "_audit_loaded" not in state:
                raise AttributeError("_audit_snapshot")
            field_names, values, eager = state["_audit_loaded"]
            audited = self._audited_attname_set()
            snapshot = {
                name: eager[name] if name in eager else _plain(value)
                for name, value in zip(field_names, values, strict=True)
                if name in audited
            }
            state["_audit_snapshot_value"] = snapshot
        return snapshot

    @_audit_snapshot.setter
    def _audit_snapshot(self, snapshot: dict[str, Any]) -> None:
        self.__dict__["_audit_snapshot_value"] = snapshot

    def audit_values(self) -> dict[str, Any]:
        loaded = self.__dict__
        return {name: _plain(getattr(self, name)) for name in self._audited_attnames() if name in loaded}

    @classmethod
    def _audited_attnames(cls) -> tuple[str, ...]:
        """The attributes audit_values() reads, worked out once per class: this runs for every row loaded."""
        names = cls.__dict__.get("_audited_attnames_cache")
        if names is None:
            names = tuple(
                field.attname
                for field in cls._meta.concrete_fields
                if field.attname not in cls.audit_exclude and not field.primary_key
            )
            cls._audited_attnames_cache = names
        return names

    @classmethod
    def _audited_attname_set(cls) -> frozenset[str]:
        names = cls.__dict__.get("_audited_attname_set_cache")
        if names is None:
            names = cls._audited_attname_set_cache = frozenset(cls._audited_attnames())
        return names

    @classmethod
    def _audit_special_attnames(cls) -> tuple[str, ...]:
        """Audited attributes whose loaded value must be snapshotted at once: JSON (mutable in place) and files
        (the descriptor turns the stored name into a FieldFile, which _plain reads differently)."""
        names = cls.__dict__.get("_audit_special_cache")
        if names is None:
            audited = cls._audited_attname_set()
            names = cls._audit_special_cache = tuple(
                field.attname
                for field in cls._meta.concrete_fields
                if field.attname in audited and isinstance(field, models.JSONField | models.FileField)
            )
        return names

    def audit_changes(self, created: bool) -> dict[str, list]:
        now = self.audit_values()
        if created:
            return {name: [None, value] for name, value in now.items() if value not in (None, "", [], {})}
        before = getattr(self, "_audit_snapshot", {})
        return {name: [before.get(name), value] for name, value in now.items() if before.get(name) != value}

    def audit_scope_organisation_id(self):
        """The organisation whose history this object belongs to; subclasses override."""
        return None

    @classmethod
    def audit_code(cls, verb: str) -> str:
        return f"{cls._meta.app_label}.{cls.audit_name or cls._meta.model_name}.{verb}"
