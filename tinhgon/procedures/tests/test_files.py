"""A procedure's forms are served by a view that applies the visibility rule: public while the version is in force,
otherwise only to whoever may see the procedure; never by their storage path."""

from urllib.parse import quote

from django.core.files.base import ContentFile
from django.test import override_settings

import pytest

from tinhgon.procedures.models import ProcedureForm
from tinhgon.procedures.tests.factories import make_procedure

pytestmark = pytest.mark.django_db

DOCX_BYTES = b"PK\x03\x04 a stored word file"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def form_of(version, name="Mẫu tờ trình.docx", content=DOCX_BYTES):
    form = ProcedureForm(version=version, name="Mẫu tờ trình", order=1)
    form.file.save(name, ContentFile(content), save=False)
    form.save()
    return form


def url(form):
    return f"/thu-tuc/mau-don/{form.pk}/tai-ve/"


def test_a_public_form_is_downloaded_by_anyone_as_an_attachment(client, world, published):
    version = published(world.units["P-A"]).latest_version()
    ProcedureForm.objects.bulk_create([ProcedureForm(version=version, name="Mẫu", order=1, file="mau.docx")])
    ProcedureForm.objects.get().file.storage.save("mau.docx", ContentFile(DOCX_BYTES))  # a published version is frozen
    response = client.get(url(ProcedureForm.objects.get()))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == DOCX_BYTES
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_drafts_form_is_hidden_from_visitors_and_outsiders(client, login, world):
    form = form_of(make_procedure(world.units["P-A"]).latest_version())
    assert client.get(url(form)).status_code == 404
    assert login(world.outsider).get(url(form)).status_code == 404
    assert login(world.officer_a1).get(url(form)).status_code == 404  # P-A-1 does not see P-A's drafts
    assert login(world.focal_a).get(url(form)).status_code == 200


def test_the_storage_path_serves_nothing(client, login, world):
    form = form_of(make_procedure(world.units["P-A"]).latest_version())
    assert login(world.focal_a).get(f"/media/{form.file.name}").status_code == 404


@override_settings(TINHGON_FILE_SENDER="nginx")
def test_in_production_nginx_sends_the_file_from_its_internal_location(login, world):
    form = form_of(make_procedure(world.units["P-A"]).latest_version())
    response = login(world.focal_a).get(url(form))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{quote(form.file.name)}"  # nginx decodes it
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
