from decimal import Decimal, InvalidOperation

from django import template

from tinhgon.core import formatting

register = template.Library()


@register.filter
def points(value) -> str:
    """Points as they are read: 18, 17,75, 19,5 (no trailing zeros, a decimal comma); empty for none."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return str(value)
    return formatting.number(number)
