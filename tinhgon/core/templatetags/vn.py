"""Figures on a page written as the documents write them (core/formatting.py): `{% load vn %}` then
`{{ n|number }}` 1.234.567, `{{ amount|money }}` 549.915.000 đồng, `{{ share|percent }}` 18,97%, `{{ day|day }}`
dd/mm/yyyy. None prints nothing, so a template says what a missing figure is ("—") with `default`."""

from django import template

from tinhgon.core import formatting

register = template.Library()


def _blank(value) -> bool:
    return value is None or value == ""


@register.filter
def number(value, places=None) -> str:
    if _blank(value):
        return ""
    return formatting.number(value, int(places) if places not in (None, "") else None)


@register.filter
def money(value) -> str:
    return "" if _blank(value) else formatting.money(value)


@register.filter
def percent(value) -> str:
    return "" if _blank(value) else formatting.percent(value)


@register.filter
def day(value) -> str:
    return formatting.day(value) if value else ""
