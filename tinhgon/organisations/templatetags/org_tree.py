from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def org_tree(roots, day_param: str = ""):
    """Render nested <details> lists in Python: a province holds thousands of units, and one recursive template
    include per unit would dominate the page's time."""
    return format_html('<ul class="org-tree">{}</ul>', _items(roots, day_param, depth=0))


def _items(nodes, day_param, depth):
    return mark_safe("".join(_item(node, day_param, depth) for node in nodes))


def _item(node, day_param, depth):
    unit = node.unit
    link = format_html(
        '<a href="{}{}">{}</a> <span class="badge bg-secondary-lt org-kind">{}</span>',
        reverse("organisations:detail", args=[unit.code]),
        day_param,
        unit.name,
        unit.get_kind_display(),
    )
    if not node.children:
        return format_html("<li>{}</li>", link)
    kids = format_html_join("", "{}", ((_item(child, day_param, depth + 1),) for child in node.children))
    opened = " open" if depth < 1 else ""
    return format_html(
        '<li><details{}><summary>{} <span class="text-secondary">({})</span></summary><ul>{}</ul></details></li>',
        opened,
        link,
        len(node.children),
        kids,
    )
