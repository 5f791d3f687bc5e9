from django import template
from django.utils.safestring import mark_safe

from tinhgon.organisations.tree import TreeHtml

register = template.Library()


@register.simple_tag
def org_tree(roots, levels=None, day_param: str = ""):
    """The tree of `roots` as nested lists, `levels` below them (None: all; organisations/tree.py)."""
    html = TreeHtml(day_param, levels).items(roots)
    return mark_safe(f'<ul class="org-tree">{html}</ul>')  # every value in it went through escape()
