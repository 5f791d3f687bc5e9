from django import template
from django.utils.safestring import mark_safe

from tinhgon.organisations.tree import TreeHtml, inline_levels

register = template.Library()


@register.simple_tag
def org_tree(roots, day_param: str = ""):
    """The tree of `roots` as nested lists: whole when it is small, else two levels (organisations/tree.py)."""
    html = TreeHtml(day_param, inline_levels(roots)).items(roots)
    return mark_safe(f'<ul class="org-tree">{html}</ul>')  # every value in it went through escape()
