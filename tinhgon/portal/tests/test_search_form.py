"""The portal's search form at national size: its agency list (8,000 units at the national profile) is written in
one pass (core.forms.LongSelect) and kept in the cache as long as the page may be (portal.forms)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tinhgon.core.forms import LongSelect
from tinhgon.portal.forms import PortalSearchForm
from tinhgon.portal.queries import public_versions

pytestmark = pytest.mark.django_db


def test_a_long_select_escapes_values_and_labels_and_marks_the_chosen_one():
    widget = LongSelect(choices=[("", "Tất cả"), ("A&B", "Sở <Nội vụ>"), ("C", "Sở Tài chính")])
    html = widget.render("co_quan", "A&B", attrs={"id": "id_co_quan"})
    assert '<select id="id_co_quan" name="co_quan">' in html
    assert '<option value="A&amp;B" selected>Sở &lt;Nội vụ&gt;</option>' in html
    assert '<option value="C">Sở Tài chính</option>' in html


def test_the_agencies_of_the_portal_form_are_those_owning_published_procedures_and_above(world, published):
    published(world.units["P-A-1"])
    codes = [code for code, _ in PortalSearchForm(published=public_versions()).fields["co_quan"].choices]
    assert {"P", "P-A", "P-A-1"} <= set(codes) and "P-B" not in codes


def test_the_agency_list_is_read_once_while_the_cache_keeps_it(world, published, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "form"}}
    published(world.units["P-A-1"])
    PortalSearchForm(published=public_versions())
    with CaptureQueriesContext(connection) as queries:
        form = PortalSearchForm(published=public_versions())
    assert not any("organisations_organisation" in q["sql"] for q in queries.captured_queries)
    assert "P-A-1" in [code for code, _ in form.fields["co_quan"].choices]
