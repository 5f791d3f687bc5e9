"""Template conventions that keep pages from failing on data the tests did not think of."""

import re
from pathlib import Path

from django.conf import settings
from django.template import engines

TEMPLATES = sorted(Path(settings.BASE_DIR, "tinhgon").rglob("templates/**/*.html"))
VARIABLE_DEFAULT = re.compile(r"\|default:[A-Za-z_]")


def test_no_default_filter_takes_a_variable():
    """`{{ a|default:b.name }}` raises VariableDoesNotExist (a 500) when `b` is None or a dict without `name`: a
    filter's argument is not forgiven like the variable it filters. `{% firstof a b.name %}` is."""
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{n}"
        for path in TEMPLATES
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if VARIABLE_DEFAULT.search(line)
    ]
    assert TEMPLATES and offenders == []


def test_firstof_forgives_what_default_does_not():
    context = {"unit": None, "row": {"code": "X"}}
    rendered = engines["django"].from_string("{% firstof unit.short_name unit.name row.name 'không rõ' %}")
    assert rendered.render(context) == "không rõ"
