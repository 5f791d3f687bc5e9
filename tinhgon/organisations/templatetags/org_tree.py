from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from tinhgon.organisations.models import Organisation

register = template.Library()

KIND_LABELS = dict(Organisation.Kind.choices)
CODE = "__unit__"  # placeholder in the detail address, replaced by each unit's code
SAFE = "!$&'()*+,;=~:@"  # what reverse() leaves unquoted in a path segment (RFC 3986 sub-delimiters and ~:@)


@register.simple_tag
def org_tree(roots, day_param: str = ""):
    """Render nested <details> lists in Python, as strings with each value escaped once: the nation's tree holds
    10,600 units, and a reverse() and three format_html() for each took 3 s of its 4 (a recursive template include
    per unit would be slower still)."""
    detail = reverse("organisations:detail", args=[CODE])
    out = ['<ul class="org-tree">']
    for node in roots:
        _item(node, out, detail, escape(day_param), depth=0)
    out.append("</ul>")
    return mark_safe("".join(out))  # every value in it went through escape()


def _item(node, out: list, detail: str, day: str, depth: int) -> None:
    unit = node.unit
    href = escape(detail.replace(CODE, quote(unit.code, safe=SAFE)))
    kind = escape(KIND_LABELS.get(unit.kind, unit.kind))
    link = f'<a href="{href}{day}">{escape(unit.name)}</a> <span class="badge bg-secondary-lt org-kind">{kind}</span>'
    if not node.children:
        out.append(f"<li>{link}</li>")
        return
    opened = " open" if depth < 1 else ""
    summary = f'{link} <span class="text-secondary">({len(node.children)})</span>'
    out.append(f"<li><details{opened}><summary>{summary}</summary><ul>")
    for child in node.children:
        _item(child, out, detail, day, depth + 1)
    out.append("</ul></details></li>")
