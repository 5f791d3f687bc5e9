from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from tinhgon.core.formatting import day as shown

# The name of the legal date of an act wherever a user gives it: the field of a transition's form, the key of its
# API body ({"on": "2023-06-30"}) and the key of the refusal (ValidationError({"on": ...})).
ON = "on"


def today() -> date:
    """Today in the project's time zone (Asia/Ho_Chi_Minh), not the server's UTC date."""
    return timezone.localdate()


def legal_date(
    on: date | None,
    *,
    what: str,
    unit=None,
    after: Iterable[tuple[date | None, str]] = (),
    field: str = ON,
) -> date:
    """The date an act happened in law or in fact (ngày của văn bản, của việc), as the user gives it: today when
    not given. Refused, with a Vietnamese message keyed by `field`, when it is
    - in the future (an act already done cannot have happened after today; planned dates such as deadlines do not
      come through here);
    - before `unit` (an Organisation: what it acted as) existed (its `valid_from`);
    - before an earlier act of the same record, given in `after` as (date or None, "what that date is") pairs:
      checked before submitted, signed before checked, completed before the plan was issued.
    The audit trail keeps separately who recorded the act and when."""
    day = on or today()
    if day > today():
        raise ValidationError({field: f"{what} ({shown(day)}) không thể sau ngày hôm nay ({shown(today())})."})
    if unit is not None and unit.valid_from and day < unit.valid_from:
        raise ValidationError(
            {field: f"{what} ({shown(day)}) trước ngày {unit.name} bắt đầu hoạt động ({shown(unit.valid_from)})."}
        )
    for earlier, label in after:
        if earlier is not None and day < earlier:
            raise ValidationError({field: f"{what} ({shown(day)}) không thể trước {label} ({shown(earlier)})."})
    return day
