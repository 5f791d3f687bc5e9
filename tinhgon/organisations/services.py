from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tinhgon.audit import context as audit
from tinhgon.organisations.models import Organisation
from tinhgon.organisations.signals import units_merged


@transaction.atomic
def units_merge(
    *,
    sources: list[Organisation],
    target: Organisation | None = None,
    day: date,
    target_code: str = "",
    target_name: str = "",
    target_kind: str = "",
) -> Organisation:
    """Merge `sources` into `target` (an existing unit, or a new one made from code, name and kind, by default the
    first source's kind) on `day`.

    Side effects, each with its own audit entry: every source ends on day - 1 and names the target as successor;
    the sources' children still valid on `day` move under the target from that day; `units_merged` lets other apps
    reassign what the sources owned. Earlier dates still see the sources and their children as they were.
    """
    # Locked in a fixed order and reloaded: of two merges of the same unit at once, the second waits, then finds it
    # ended and is refused, instead of ending it twice.
    sources = list(Organisation.objects.select_for_update().filter(pk__in=[s.pk for s in sources]).order_by("pk"))
    if target is not None:
        target = Organisation.objects.select_for_update().get(pk=target.pk)
    _check_merge(sources, target, day)
    if target is None:
        target = _new_target(sources, day, target_code, target_name, target_kind)
    with audit.action("organisations.unit.merged"):
        for source in sources:
            source.valid_to = day - timedelta(days=1)
            source.successor = target
            source.save()
    with audit.action("organisations.unit.moved"):
        for child in Organisation.objects.filter(parent__in=sources).as_of(day):
            child.parent, child.move_on = target, day
            child.save()
    units_merged.send(sender=Organisation, sources=sources, target=target, day=day)
    return target


def _check_merge(sources, target, day) -> None:
    errors = []
    if not sources:
        errors.append("Cần ít nhất một đơn vị bị hợp nhất.")
    if target is not None and target in sources:
        errors.append("Đơn vị tiếp nhận không thể đồng thời là đơn vị bị hợp nhất.")
    if target is not None and not target.is_valid_on(day):
        errors.append(f"Đơn vị tiếp nhận {target.code} không có hiệu lực vào ngày {day:%d/%m/%Y}.")
    errors += [f"Đơn vị {s.code} đã được hợp nhất vào {s.successor}." for s in sources if s.successor_id]
    errors += [
        f"Đơn vị {s.code} không còn hiệu lực vào ngày {day - timedelta(days=1):%d/%m/%Y}."
        for s in sources
        if not s.successor_id and not s.is_valid_on(day - timedelta(days=1))
    ]
    if errors:
        raise ValidationError(errors)


def _new_target(sources, day, code, name, kind) -> Organisation:
    if not code or not name:
        raise ValidationError("Đơn vị tiếp nhận mới cần có mã và tên.")
    if Organisation.objects.filter(code=code).exists():
        raise ValidationError(f"Mã đơn vị {code} đã tồn tại.")
    first = sources[0]
    with audit.action("organisations.unit.created"):
        target = Organisation(
            code=code,
            name=name,
            kind=kind or first.kind,
            parent=first.parent,
            valid_from=day,
            is_state_agency=first.is_state_agency,
            is_tthc_focal_unit=any(s.is_tthc_focal_unit for s in sources),
        )
        target.full_clean()
        try:
            with transaction.atomic():  # a savepoint: the same code created meanwhile by someone else
                target.save()
        except IntegrityError:
            raise ValidationError(f"Mã đơn vị {code} đã tồn tại.") from None
    return target
