from django import template

from tinhgon.procedures.search import highlight as _highlight

register = template.Library()


@register.filter
def highlight(text, q):
    """`{{ version.name|highlight:q }}`: the query words marked, ignoring diacritics (the result is escaped)."""
    return _highlight(text, q)
